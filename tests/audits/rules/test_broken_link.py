"""不可用链接 (broken_link): its cases on hand-built snapshots."""
from tests.audits.conftest import SITE, keys

AS_OF = "2023-11-30"
COL = "http://site.test/c/tzgg/"


def test_dead_target_linked_from_many_pages_is_one_finding(site):
    site.column(COL, "通知公告", unit="区教体局")
    sources = [f"http://site.test/d/{i}" for i in range(8)]
    for s in sources:
        site.doc(s, "某页", unit="区教体局", column_url=COL)
    site.link("http://site.test/files/a.pdf", status=404, outcome="http_4xx", sources=sources, tag="attachment",
              is_attachment=True)
    [f] = site.findings("broken_link", AS_OF)
    assert f.url == "http://site.test/files/a.pdf" and f.unit == "区教体局"
    assert f.evidence["source_count"] == 8 and len(f.evidence["sources"]) == 5
    assert f.evidence["source"] == "http://site.test/d/0" and f.evidence["is_attachment"] is True
    assert f.message.startswith("页面附件“链接”不可用：http://site.test/files/a.pdf（HTTP 404），所在页面：http://site.test/d/0等8个页面")


def test_homepage_link_is_marked_and_listed_first(site):
    site.column(SITE, "首页", section="homepage", kind="homepage")
    site.link("http://site.test/x", status=500, outcome="http_5xx", sources=["http://site.test/d/1", SITE],
              on_homepage=True)
    [f] = site.findings("broken_link", AS_OF)
    assert f.evidence["on_homepage"] is True and f.evidence["source"] == SITE
    assert f.evidence["homepage_source_count"] == 1 and f.message.startswith("首页链接“链接”不可用")


def test_every_broken_outcome(site):
    outcomes = {"timeout": None, "dns": None, "tls": None, "soft404": 200, "http_4xx": 410, "http_5xx": 503}
    for i, (outcome, status) in enumerate(outcomes.items()):
        site.link(f"http://site.test/t{i}", status=status, outcome=outcome, sources=["http://site.test/d/1"])
    found = site.findings("broken_link", AS_OF)
    assert len(found) == 6
    assert any("软404" in f.message for f in found) and any("超时" in f.message for f in found)


def test_statuses_are_configurable(site):
    site.link("http://site.test/w", status=403, outcome="http_4xx", sources=["http://site.test/d/1"])
    found = site.findings("broken_link", AS_OF, **{"links.inconclusive_statuses": [412, 418, 429]})
    assert keys(found) == [("broken_link", "http://site.test/w", None)]


def test_a_dead_page_linked_from_a_units_home_and_its_column_is_the_units(site):
    # A soft 404 linked from 绣惠街道's 信息公开 home (sorted first) and from its 工作动态 column.
    home, col = "http://site.test/col/col3001/index.html", "http://site.test/col/col3011/index.html"
    site.unit("某区人民政府", kind="district", home_url="http://site.test/col/col1001/index.html")
    site.unit("绣惠街道", kind="town", home_url=home)
    site.column(col, "工作动态", unit="绣惠街道")
    site.link("http://site.test/art/2023/11/15/art_3011_603.html", status=200, outcome="soft404",
              sources=[home, col], signals={"page_says_missing": True, "document_fields": 0})
    [f] = site.findings("broken_link", AS_OF)
    assert (f.unit, f.column, f.column_url) == ("绣惠街道", "工作动态", col)
    assert f.evidence["source"] == home, "the evidence still names the first linking page"
