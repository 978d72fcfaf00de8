"""The homepage's 无障碍 / 关怀版 entries are fetched as pages of their own (kind 'other') with
their page facts, so the footer / markup rules can judge them; in scope and robots.txt obeyed."""
import pytest
from crawler_helpers import AS_OF, crawl_into
from fixture_site import Answer, FixtureSite

from audits.runner import audit_scan
from govaudit.core import storage

FOOTER = "<div class='footer'>网站标识码：3701810001 鲁ICP备12345678号 鲁公网安备 37018102000123号</div>"
HOME = f"""<html lang="zh-CN"><head><title>某县人民政府</title><meta name="SiteName" content="某县人民政府">
<meta name="SiteDomain" content="www.example.gov.cn"><meta name="SiteIDCode" content="3701810001"></head><body>
<div class="top"><a href="/wza/">无障碍</a> <a href="/ghb/">关怀版</a> <a href="/private/elder/">长者版</a>
<a href="http://wza.example.invalid/">无障碍浏览</a></div>
<ul class="nav"><li><a href="/col/dt/">工作动态</a></li></ul>{FOOTER}</body></html>"""
WZA = f"""<html lang="zh-CN"><head><title>无障碍浏览</title></head><body><h1>无障碍浏览</h1>
<p>本网站提供无障碍浏览服务。</p><a href="/">返回首页</a>{FOOTER}</body></html>"""
# The 关怀版 template lost its ICP and 公安 numbers.
GHB = """<html lang="zh-CN"><head><title>关怀版</title></head><body><h1>关怀版</h1>
<p>大字体、高对比度的关怀版页面。</p><a href="/col/dt/">工作动态</a><a href="/gone.html">旧页面</a>
<div class='footer'>网站标识码：3701810001</div></body></html>"""
COLUMN = """<html><head><title>工作动态</title></head><body><ul class="nav"><li><a href="/col/dt/">工作动态</a></li></ul>
<ul class="list"><li><a href="/col/dt/1.html">关于做好冬季安全生产工作的通知</a><span>2023-11-01</span></li></ul></body></html>"""
DOC = """<html><body><h1>关于做好冬季安全生产工作的通知</h1><p>发布日期：2023-11-01</p>
<div id="zoom"><p>内容。内容。内容。内容。内容。内容。内容。内容。</p></div></body></html>"""


@pytest.fixture(scope="module")
def site():
    s = FixtureSite({
        "/": Answer(HOME), "/wza/": Answer(WZA), "/ghb/": Answer(GHB), "/private/elder/": Answer(WZA),
        "/robots.txt": Answer("User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
        "/col/dt/": Answer(COLUMN), "/col/dt/1.html": Answer(DOC),
    })
    yield s
    s.stop()


@pytest.fixture(scope="module")
def snap(site, tmp_path_factory):
    return crawl_into(tmp_path_factory.mktemp("entries"), site.url,
                      settings={"GOVAUDIT_LINK_CHECK_EXTERNAL": False})


def test_entry_pages_are_stored_with_their_page_facts(site, snap):
    pages = snap.by_url(storage.page)
    wza, ghb = pages[site.url + "wza/"], pages[site.url + "ghb/"]
    assert (wza["kind"], wza["status"], ghb["kind"], ghb["status"]) == ("other", 200, "other", 200)
    assert wza["facts"]["icp"] == "鲁ICP备12345678号" and wza["facts"]["lang"] == "zh-CN"
    assert ghb["facts"]["site_id_code"] == "3701810001"
    assert ghb["facts"]["icp"] is None and ghb["facts"]["police_record"] is None
    # Fetched once: the link check of the homepage's links reuses the page row.
    gets = [p for m, p, _ in site.requests if p in ("/wza/", "/ghb/")]
    assert sorted(gets) == ["/ghb/", "/wza/"]
    assert snap.by_url(storage.link)[site.url + "ghb/"]["outcome"] == "ok"
    # Its own links are link-checked like any page's.
    assert snap.by_url(storage.link)[site.url + "gone.html"]["outcome"] == "http_4xx"


def test_entry_pages_stay_in_scope_and_obey_robots(site, snap):
    pages = snap.by_url(storage.page)
    assert site.url + "private/elder/" not in pages
    assert not [p for _, p, _ in site.requests if p.startswith("/private/")]
    assert "http://wza.example.invalid/" not in pages
    assert snap.by_url(storage.link)["http://wza.example.invalid/"]["outcome"] == "unchecked"


def test_the_footer_rule_sees_the_care_page(site, snap):
    findings = audit_scan(snap.engine, snap.scan_id, AS_OF)["findings"]
    identity = [f for f in findings if f["check"] == "site_identity_missing" and not f.get("field")]
    assert [f["url"] for f in identity] == [site.url + "ghb/"]
