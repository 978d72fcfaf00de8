"""The crawler records facts, the audits judge them (issue 11, item 2).

One real crawl of a small fixture site, then audits of that stored snapshot: each verdict the
crawler used to take itself (placeholders, WAF statuses, soft 404s, gongkai vs portal) follows
``audits/defaults.yaml`` — an override in the audit configuration changes the result.
"""
import pytest
from crawler_helpers import AS_OF, FAST, crawl_into
from fixture_site import Answer, FixtureSite

from audits.runner import audit_scan
from govaudit.core import storage
from govaudit.core.profile import validate_profile

NAV = """<div class="nav"><ul>
<li><a href="/col/zcwj/">政策文件</a></li><li><a href="/col/xwdt/">新闻动态</a></li>
<li><a href="/col/tzgg/">通知公告</a></li><li><a href="/col/gzdt/">工作动态</a></li>
</ul></div>"""

HOME = f"""<html lang="zh-CN"><head><title>某区人民政府</title></head><body>{NAV}
<p>欢迎访问某区人民政府网站</p></body></html>"""

LIST = """<html><head><title>{name}</title></head><body>{nav}
<h2>{name}</h2>
<ul class="list">
{items}
</ul></body></html>"""

DOC = """<html><head><title>{title}</title></head><body>
<h1>{title}</h1>
<table class="xxgk"><tr><td>索 引 号：</td><td>11370181004205062T/2023-0000001</td>
<td>发布机构：</td><td>区财政局</td></tr>
<tr><td>发布日期：</td><td>2023-11-20</td><td>主题分类：</td><td>财政</td></tr></table>
<div id="zoom"><p>为进一步做好财政资金管理工作，现将有关事项通知如下。请各单位认真贯彻落实，确保各项工作按时完成。</p>
<p>相关链接：<a href="/forbidden.html">申报系统</a></p></div></body></html>"""

NEWS = """<html><head><title>区领导调研重点项目建设</title></head><body>
<h1>区领导调研重点项目建设</h1><div id="zoom"><p>11月20日，区领导到重点项目建设现场调研，详细了解项目进展情况，
要求各部门加强协调配合，全力推进项目建设，确保早日建成投用。</p></div></body></html>"""

GONE = """<html><head><title>提示</title></head><body><p>您访问的页面不存在或已被删除！</p></body></html>"""

MAINTENANCE = "本栏目信息正在维护"


def item(path, title, day=20):
    return f'<li><a href="{path}" title="{title}">{title}</a><span>2023-11-{day:02d}</span></li>'


@pytest.fixture(scope="module")
def site():
    pages = {
        "/": Answer(HOME),
        "/col/zcwj/": Answer(LIST.format(name="政策文件", nav=NAV, items=(
            item("/col/zcwj/doc1.html", "关于做好财政资金管理工作的通知")
            + item("/col/zcwj/gone.html", "关于印发某某办法的通知", 18)))),
        "/col/zcwj/doc1.html": Answer(DOC.format(title="关于做好财政资金管理工作的通知")),
        "/col/zcwj/gone.html": Answer(GONE),
        "/col/xwdt/": Answer(LIST.format(name="新闻动态", nav=NAV,
                                         items=item("/col/xwdt/news1.html", "区领导调研重点项目建设"))),
        "/col/xwdt/news1.html": Answer(NEWS),
        "/col/tzgg/": Answer(LIST.format(name="通知公告", nav=NAV, items=f"<li>{MAINTENANCE}</li>")),
        "/col/gzdt/": Answer(LIST.format(name="工作动态", nav=NAV, items=item("/col/gzdt/none.html", "暂无相关信息"))),
        "/col/gzdt/none.html": Answer(NEWS),
        "/forbidden.html": Answer("<html><body>Forbidden</body></html>", status=403),
    }
    s = FixtureSite(pages)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def scan(site, tmp_path_factory):
    return crawl_into(tmp_path_factory.mktemp("facts"), site.url, settings={**FAST, "RETRY_TIMES": 0})


def audit(scan, **overrides):
    doc = audit_scan(scan.engine, scan.scan_id, AS_OF, overrides)
    return {(f["check"], f["url"], f["field"]): f for f in doc["findings"]}, doc


def checks_of(found, url):
    return {check for check, u, _field in found if u == url}


def test_waf_status_is_recorded_as_a_status_and_judged_by_the_config(site, scan):
    link = scan.by_url(storage.link)[site.url + "forbidden.html"]
    assert (link["status"], link["outcome"]) == (403, "http_4xx")
    found, _ = audit(scan)
    assert checks_of(found, site.url + "forbidden.html") == {"link_inconclusive"}
    found, _ = audit(scan, **{"links.inconclusive_statuses": [429]})
    assert checks_of(found, site.url + "forbidden.html") == {"broken_link"}


def test_a_soft_404_page_is_stored_with_its_signals_and_judged_by_the_config(site, scan):
    gone = site.url + "col/zcwj/gone.html"
    assert gone in scan.by_url(storage.document)                 # stored: the crawler does not drop it
    link = scan.by_url(storage.link)[gone]
    assert link["outcome"] == "soft404" and link["signals"]["page_says_missing"]
    assert link["signals"]["document_fields"] == 0
    found, doc = audit(scan)
    assert checks_of(found, gone) == {"broken_link"}              # a dead link, not a document to judge
    assert doc["inventory"]["documents"] == 3
    found, doc = audit(scan, **{"links.soft404.page_says_missing": False})
    assert "broken_link" not in checks_of(found, gone) and "missing_element" in checks_of(found, gone)
    assert doc["inventory"]["documents"] == 4


def test_placeholder_lines_are_recorded_and_judged_by_the_keywords(site, scan):
    url = site.url + "col/tzgg/"
    column = scan.by_url(storage.column)[url]
    assert MAINTENANCE in column["shown_lines"] and column["placeholder"] in (None, False)
    found, _ = audit(scan)
    shown = found.get(("empty_column", url, None)) or {"evidence": {}}
    assert shown["evidence"].get("placeholder_text") is None
    found, _ = audit(scan, **{"columns.placeholder_keywords": ["正在维护"]})
    assert found[("empty_column", url, None)]["evidence"]["placeholder_text"] == MAINTENANCE


def test_placeholder_entries_are_recorded_and_judged_by_the_limits(site, scan):
    url = site.url + "col/gzdt/"
    titles = [r["title"] for r in scan.rows(storage.list_item, column_url=url)]
    assert titles == ["暂无相关信息"]                              # recorded, not dropped
    found, _ = audit(scan)
    assert ("empty_column", url, None) in found
    found, _ = audit(scan, **{"columns.placeholder_entry_max_chars": 4})
    assert ("empty_column", url, None) not in found


def test_the_section_is_judged_from_the_recorded_navigation(site, scan):
    columns = scan.by_url(storage.column)
    policy, news = site.url + "col/zcwj/", site.url + "col/xwdt/"
    assert columns[policy]["nav"] == {"via": "homepage", "top": "政策文件"}
    assert columns[news]["nav"] == {"via": "homepage", "top": "新闻动态"}
    doc1, news1 = site.url + "col/zcwj/doc1.html", site.url + "col/xwdt/news1.html"
    found, _ = audit(scan)
    assert "missing_element" in checks_of(found, doc1) and "missing_element" not in checks_of(found, news1)
    found, _ = audit(scan, **{"columns.gongkai_nav_keywords": ["信息公开", "新闻"]})
    assert "missing_element" not in checks_of(found, doc1) and "missing_element" in checks_of(found, news1)
    found, _ = audit(scan, **{"columns.gongkai_url_patterns": ["/col/xwdt/"]})
    assert "missing_element" in checks_of(found, news1)


def test_one_column_override_schema_for_profiles_and_the_audit_config(site, scan):
    news1 = site.url + "col/xwdt/news1.html"
    # The profile's keys (name_pattern, no_update_window) work in the audit config too ...
    found, _ = audit(scan, **{"columns.overrides": [{"name_pattern": "新闻", "section": "gongkai",
                                                      "no_update_window": True}]})
    assert "missing_element" in checks_of(found, news1)
    # ... and the audit config's (match, no_window, policy) in a profile.
    validate_profile({"start_urls": [site.url],
                      "columns": [{"match": "新闻动态", "no_window": True, "policy": True}]})
