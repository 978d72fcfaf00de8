"""Link checking over real HTTP against a hand-made site with every awkward answer: HEAD
refused, slow pages, WAF shells, soft 404s, external hosts beyond the cap, hostile links."""
import shutil
from urllib.parse import urlsplit

import pytest
from crawler_helpers import FAST, crawl_into
from fixture_site import Answer, FixtureSite
from sqlalchemy import select

from crawler.refused import reopen_refused_pages
from govaudit.core import storage

HOME = """<html lang="zh-CN"><head><title>某区人民政府</title></head><body>
<div class="nav"><ul>
<li><a href="/col/tzgg/">通知公告</a></li>
<li><a href="/col/zcwj/">政策文件</a></li>
</ul></div>
<p>{extra}</p>
</body></html>"""

LIST = """<html><head><title>{name}</title></head><body>
<div class="nav"><ul><li><a href="/col/tzgg/">通知公告</a></li><li><a href="/col/zcwj/">政策文件</a></li></ul></div>
<h2>{name}</h2>
<ul class="list">
{items}
</ul></body></html>"""

DOC = """<html><head><title>{title}</title></head><body>
<h1>{title}</h1>
<table class="xxgk"><tr><td>索 引 号：</td><td>11370181004205062T/2023-{n:07d}</td><td>发布机构：</td><td>区财政局</td></tr>
<tr><td>发布日期：</td><td>2023-10-{n:02d}</td><td>主题分类：</td><td>财政</td></tr></table>
<div id="zoom"><p>为进一步做好财政资金管理工作，现将有关事项通知如下。请各单位认真贯彻落实，确保各项工作按时完成。</p>
<p>附件：<a href="{attachment}">申请表.pdf</a></p>
<p>相关链接：{links}</p></div></body></html>"""


GBK_TITLE = "关于埇桥镇垃圾分类工作的通知"      # 埇 is in GBK, not in GB2312
WAF_SHELL = "<html><head><script>document.cookie='t=1';location.reload();</script></head><body></body></html>"


def item(path, title, day):
    return f'<li><a href="{path}" title="{title}">{title}</a><span>2023-10-{day:02d}</span></li>'


@pytest.fixture(scope="module")
def outside():
    """A second host: external links point here (checked, never crawled)."""
    site = FixtureSite({
        "/ok.html": Answer("<html><body><p>外部网站的正常页面，内容足够长，不是错误页面。</p></body></html>"),
        "/gone.html": Answer("<html><body>gone</body></html>", status=410),
        "/crawl-me/": Answer(HOME.format(extra="")),
    }, host="localhost")
    yield site
    site.stop()


@pytest.fixture(scope="module")
def site(outside):
    ext = f"http://localhost:{outside.port}"
    links = (f'<a href="/head405.pdf">表格</a> <a href="/slow.html">慢页面</a> <a href="/waf.html">防火墙</a> '
             f'<a href="/missing.html">已删除的页面</a> <a href="/moved.html">已迁移</a> '
             f'<a href="{ext}/ok.html">外部1</a> <a href="{ext}/gone.html">外部2</a> <a href="{ext}/crawl-me/">外部3</a> '
             f'<a href="javascript:alert(1)">脚本</a> <a href="mailto:a@b.cn">邮件</a>')
    docs = {f"/col/tzgg/doc{n}.html": Answer(DOC.format(title=f"关于做好第{n}批财政资金管理工作的通知", n=n,
                                                         attachment="/files/a.pdf", links=links))
            for n in (1, 2)}
    pages = {
        "/": Answer(HOME.format(extra='<a href="/ghost/">旧栏目</a>')),
        "/robots.txt": Answer("User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
        "/col/tzgg/": Answer(LIST.format(name="通知公告", items="\n".join(
            item(f"/col/tzgg/doc{n}.html", f"关于做好第{n}批财政资金管理工作的通知", n) for n in (1, 2))
            + item("/col/tzgg/gbk.html", GBK_TITLE, 3)
            + item("/col/tzgg/challenged.html", "关于做好第4批财政资金管理工作的通知", 4))),
        # The header says UTF-8, the <meta> says GBK, the bytes are GBK (with a GBK-only character).
        "/col/tzgg/gbk.html": Answer(DOC.replace("<head>", '<head><meta charset="gbk">').format(
            title=GBK_TITLE, n=3, attachment="/files/a.pdf", links="").encode("gbk"),
            content_type="text/html; charset=utf-8"),
        "/col/zcwj/": Answer(LIST.format(name="政策文件", items=item("/col/tzgg/doc1.html", "关于做好第1批财政资金管理工作的通知", 1)
                                          + item("/private/doc9.html", "不应抓取的文件", 9))),
        "/head405.pdf": Answer(b"%PDF-1.4 fake", content_type="application/pdf", head_status=405),
        "/files/a.pdf": Answer(b"%PDF-1.4 fake", content_type="application/pdf"),
        "/slow.html": Answer("<html><body>slow</body></html>", delay=4),
        "/waf.html": Answer(WAF_SHELL),
        # A document the firewall answers with its challenge page, every time, while the rest is served.
        "/col/tzgg/challenged.html": Answer(WAF_SHELL),
        "/missing.html": Answer("<html><head><title>提示</title></head><body><p>您访问的页面不存在或已被删除！</p></body></html>"),
        "/moved.html": Answer("", status=302, headers={"Location": "/missing-for-real.html"}),
        **docs,
    }
    s = FixtureSite(pages)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def scan(site, tmp_path_factory):
    # The link checker's own requests (HEAD first …); attachments fetched as files: test_attachments.py.
    settings = {**FAST, "GOVAUDIT_LINK_TIMEOUT": 1.5, "GOVAUDIT_EXTERNAL_LINK_CAP": 2, "RETRY_TIMES": 0,
                "GOVAUDIT_ATTACHMENTS": False}
    return crawl_into(tmp_path_factory.mktemp("links"), site.url, settings=settings)


def test_the_fixture_site_is_crawled(site, scan):
    assert scan.scan["status"] == "complete"
    assert set(scan.by_url(storage.document)) == {site.url + "col/tzgg/doc1.html", site.url + "col/tzgg/doc2.html",
                                                  site.url + "col/tzgg/gbk.html"}
    fields = scan.by_url(storage.document)[site.url + "col/tzgg/doc1.html"]["fields"]
    assert fields["索引号"] == "11370181004205062T/2023-0000001" and fields["发文机关"] == "区财政局"


def test_head_refused_falls_back_to_get(site, scan):
    link = scan.by_url(storage.link)[site.url + "head405.pdf"]
    assert (link["outcome"], link["status"], link["method"]) == ("ok", 200, "GET")
    assert ("HEAD", "/head405.pdf") in [(m, p) for m, p, _ in site.requests]
    attachment = scan.by_url(storage.link)[site.url + "files/a.pdf"]
    assert (attachment["outcome"], attachment["method"], attachment["is_attachment"]) == ("ok", "HEAD", True)
    assert ("GET", "/files/a.pdf") not in [(m, p) for m, p, _ in site.requests]


def test_classification_of_awkward_targets(site, scan):
    links = scan.by_url(storage.link)
    assert links[site.url + "slow.html"]["outcome"] == "timeout"
    assert links[site.url + "waf.html"]["outcome"] == "inconclusive"
    assert links[site.url + "missing.html"]["outcome"] == "soft404"
    assert links[site.url + "moved.html"]["outcome"] == "http_4xx"          # 302 to a dead page
    assert links[site.url + "ghost/"]["outcome"] == "http_4xx"              # a dead column link on the homepage
    homepage_sources = {r["target_url"] for r in scan.rows(storage.link_source, source_url=site.url)}
    assert site.url + "ghost/" in homepage_sources
    assert all(r["on_homepage"] for r in scan.rows(storage.link_source, source_url=site.url))


def test_a_document_answered_only_by_a_challenge_page_is_not_read_as_a_document(site, scan, tmp_path):
    """Taken as the page's own answer, the challenge shell was read as a document without any field
    (要素不全 for every element).  It is a refusal: not read, the link inconclusive, and --resume
    asks for it again."""
    url = site.url + "col/tzgg/challenged.html"
    assert url not in scan.by_url(storage.document)
    assert scan.by_url(storage.page)[url]["status"] is None
    assert scan.by_url(storage.link)[url]["outcome"] == "inconclusive"
    (error,) = scan.rows(storage.fetch_error, url=url)
    assert error["error"].startswith("refused: JS challenge page")
    assert 1 < sum(1 for _, p, _ in site.requests if p == "/col/tzgg/challenged.html") <= 3
    copy = tmp_path / "scan.db"
    shutil.copy(scan.db.removeprefix("sqlite:///"), copy)
    engine = storage.connect(storage.db_url(str(copy)))
    assert reopen_refused_pages(engine, scan.scan_id, [403, 412, 418, 429]) == 1
    with engine.connect() as conn:
        fr, pg = storage.frontier, storage.page
        assert not conn.execute(select(fr.c.done).where(fr.c.scan_id == scan.scan_id, fr.c.url == url)).scalar()
        assert conn.execute(select(pg.c.id).where(pg.c.scan_id == scan.scan_id, pg.c.url == url)).first() is None
        assert conn.execute(select(storage.page.c.id).where(pg.c.url == site.url + "col/tzgg/doc1.html")).first()


def test_external_links_are_checked_up_to_the_cap_and_never_crawled(site, outside, scan):
    ext = f"http://localhost:{outside.port}/"
    links = {u: r for u, r in scan.by_url(storage.link).items() if u.startswith(ext)}
    assert len(links) == 3 and all(r["is_external"] for r in links.values())
    checked = [r for r in links.values() if r["outcome"] != "unchecked"]
    assert len(checked) == 2
    assert [r["detail"] for r in links.values() if r["outcome"] == "unchecked"] == ["external link cap reached"]
    # A link check looks; it never follows the other site's own links.
    crawled = {u for u in scan.by_url(storage.page) if u.startswith(ext)}
    assert not crawled
    assert not [p for m, p, _ in outside.requests if p == "/" or p.startswith("/col/")]


def test_robots_and_page_supplied_schemes_stay_out(site, scan):
    assert not [p for _, p, _ in site.requests if p.startswith("/private/")]
    targets = set(scan.by_url(storage.link))
    assert not [u for u in targets if not u.startswith("http")]
    assert scan.by_url(storage.link)[site.url + "private/doc9.html"]["outcome"] == "unchecked"


def test_each_target_is_requested_once_per_method(site, scan):
    from collections import Counter

    counts = Counter((m, p) for m, p, _ in scan.requests_but_spider_views(site.requests) if "govaudit-probe" not in p)
    # A refusal (a 403/429 or the WAF's JavaScript challenge page) is asked again later, in case it
    # starts a block (crawler.blocking, GOVAUDIT_REFUSAL_RETRIES); everything else once.
    refused = {urlsplit(u).path for u, r in scan.by_url(storage.link).items()
               if r["status"] in (403, 412, 418, 429) or r["outcome"] == "inconclusive"}
    assert refused and all(n <= 3 for (m, p), n in counts.items() if p in refused)
    assert max(n for (m, p), n in counts.items() if p not in refused) == 1, \
        [k for k, n in counts.items() if n > 1 and k[1] not in refused]


def test_header_meta_and_bytes_disagree_bytes_win(site, scan):
    doc = scan.by_url(storage.document)[site.url + "col/tzgg/gbk.html"]
    assert doc["title"] == GBK_TITLE
    assert doc["encoding"] in ("gbk", "gb18030")
    assert doc["fields"]["发文机关"] == "区财政局"
