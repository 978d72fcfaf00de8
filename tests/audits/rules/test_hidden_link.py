"""暗链 (hidden_link): its cases on hand-built snapshots (link_source facts as the crawler records them)."""
from govaudit.core import storage
from tests.audits.conftest import SnapshotBuilder

AS_OF = "2023-11-30"
HOME = "http://site.test/"


def _source(site, target, anchor, hidden, source=HOME, block=None):
    facts = {"hidden": hidden, **({"block": block} if block else {})} if hidden else None
    site._add(storage.link_source, target_url=target, source_url=source, anchor=anchor, tag="a",
              on_homepage=source == HOME, facts=facts)


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


def test_a_hidden_menu_of_government_sites_is_no_hidden_link_unless_a_severe_word_says_so(site):
    """吉林省公共资源交易中心 (tests/realpages): a 相关链接 drop-down hidden by one element lists the
    other provinces' trading platforms, most on *.gov.cn, a few on .com."""
    menu, spam = "/html/body/div[2]/ul", "/html/body/div[9]"
    for n in range(6):
        _source(site, f"http://ggzy.p{n}.gov.cn/", f"某省公共资源交易平台{n}", ["display_none"], block=menu)
    _source(site, "http://www.ccggzy.com.cn/", "长春市公共资源交易中心", ["display_none"], block=menu)
    _source(site, "http://www.hnsggzy.com/", "湖南省公共资源交易平台", ["display_none"], block=menu)
    _source(site, "http://www.amjs-1.example/", "百家乐", ["display_none"], block=menu)        # severe: always
    for n in range(5):                                          # an injected run: no government site in it
        _source(site, f"http://seo{n}.example/", f"友情{n}", ["display_none"], block=spam)
    found = {f.url: f for f in site.findings("hidden_link", AS_OF)}
    assert set(found) == {"http://www.amjs-1.example/", *(f"http://seo{n}.example/" for n in range(5))}
    assert found["http://www.amjs-1.example/"].severity == "veto"
    # A smaller share of government sites than menu_gov_share: the .com links are reported
    strict = site.findings("hidden_link", AS_OF, **{"hidden_links.menu_gov_share": 0.9})
    assert {"http://www.ccggzy.com.cn/", "http://www.hnsggzy.com/"} <= {f.url for f in strict}


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


def test_a_closed_tab_is_no_hidden_link_unless_a_severe_word_says_so(site):
    """A homepage 媒体聚焦 tab, display:none until clicked, links news sites off the gov.cn domain."""
    site.page(HOME, kind="homepage")
    _source(site, "http://www.dzwww.com/a.htm", "历城：冬季清洁取暖惠及万户居民", ["tab_panel"], block="/html/body/ul[2]")
    _source(site, "http://www.bet.example/", "百家乐", ["tab_panel"], block="/html/body/ul[2]")
    _source(site, "http://spam.example/", "友情", ["tab_panel", "display_none"], block="/html/body/ul[3]")
    found = {f.url: f for f in site.findings("hidden_link", AS_OF)}
    assert set(found) == {"http://www.bet.example/", "http://spam.example/"}
    assert found["http://www.bet.example/"].severity == "veto"
