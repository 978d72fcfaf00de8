"""暗链 (hidden_link): its cases on hand-built snapshots (link_source facts as the crawler records them)."""
from govaudit.core import storage
from tests.audits.conftest import SnapshotBuilder

AS_OF = "2023-11-30"
HOME = "http://site.test/"


def _source(site, target, anchor, hidden, source=HOME):
    site._add(storage.link_source, target_url=target, source_url=source, anchor=anchor, tag="a",
              on_homepage=source == HOME, facts={"hidden": hidden} if hidden else None)


def test_hidden_offsite_links_are_found_gambling_ones_veto(site):
    site.page(HOME, kind="homepage")
    _source(site, "http://www.bet-8888.example/", "百家乐 真人娱乐", ["display_none"])
    _source(site, "http://spam.example/p", "友情", ["offscreen", "font_size_0"])
    _source(site, "http://shown.example/", "shown", None)                       # shown: not hidden
    _source(site, "http://www.hanweb.com/", "Produced By 大汉网络", ["display_none"])   # CMS mark
    _source(site, "http://www.sd.gov.cn/", "山东省人民政府", ["display_none"])    # *.gov.cn
    _source(site, "http://site.test/menu", "菜单", ["display_none"])              # the site's own
    found = {f.url: f for f in site.findings("hidden_link", AS_OF)}
    assert set(found) == {"http://www.bet-8888.example/", "http://spam.example/p"}
    bet = found["http://www.bet-8888.example/"]
    assert bet.severity == "veto" and bet.evidence["severe_words"] == ["百家乐", "真人娱乐"]
    assert bet.evidence["how"] == ["display:none"] and bet.evidence["source"] == HOME
    assert found["http://spam.example/p"].severity == "deduct"


def test_profile_allow_list(site):
    _source(site, "http://stats.partner.example/c.js", "", ["zero_size"])
    assert site.findings("hidden_link", AS_OF)
    assert not site.findings("hidden_link", AS_OF, **{"hidden_links.allow_hosts": ["partner.example"]})


def test_links_shown_only_to_the_spider_are_cloaked_hidden_links(engine):
    views = {HOME: {"status": 200, "links": [["http://www.pj-casino.example/", "澳门葡京"],
                                             ["http://shown.example/", "shown"]]},
             "http://site.test/never-stored": {"status": 200, "links": [["http://x.example/", "x"]]}}
    site = SnapshotBuilder(engine, stats={"spider_views": views})
    _source(site, "http://shown.example/", "shown", None)
    found = {f.url: f for f in site.findings("hidden_link", AS_OF)}
    assert set(found) == {"http://www.pj-casino.example/"}
    assert found["http://www.pj-casino.example/"].evidence["how"] == ["仅向搜索引擎蜘蛛显示"]
    assert found["http://www.pj-casino.example/"].severity == "veto"
    assert not site.findings("hidden_link", AS_OF, **{"hidden_links.cloaking": False})


def test_the_target_page_text_makes_it_severe(site):
    site.link("http://plain.example/", status=200, outcome="ok",
              signals={"external": {"title": "澳门威尼斯人 在线娱乐", "text": "真人百家乐"}})
    _source(site, "http://plain.example/", "友情链接", ["display_none"])
    (found,) = site.findings("hidden_link", AS_OF)
    assert found.severity == "veto" and "百家乐" in found.evidence["severe_words"]
