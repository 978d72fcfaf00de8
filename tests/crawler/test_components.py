"""The crawler's components, each on its own (issue 11): the frontier as Scrapy's dupefilter, the
re-scan object, the link checker, and the typed request info they share.

Snapshots come from real crawls over HTTP of a hand-made site; a component is then built the way
Scrapy builds it (``from_crawler``) from the same settings the crawl child uses.
"""
import pytest
import scrapy
from crawler_helpers import FAST, Snapshot, crawl_into
from fixture_site import Answer, FixtureSite
from scrapy.utils.test import get_crawler
from sqlalchemy import insert

from crawler import items as it
from crawler import signals as ga_signals
from crawler.frontier import ADMITTED, RESTORE_CHUNK, Frontier
from crawler.linkcheck import LinkChecker
from crawler.requestinfo import META_KEY, RequestInfo, build_request
from crawler.responses import BUNDLE_REQUESTS, bundled
from crawler.rescan import Rescan
from crawler.runner import crawl
from crawler.scope import Scope
from crawler.spiders.gongkai import GongkaiSpider
from crawler.worker import build_settings
from govaudit.core import storage

HOME = """<html><head><title>某区人民政府</title></head><body>
<div class="nav"><ul><li><a href="/col/tzgg/">通知公告</a></li></ul></div></body></html>"""
LIST = """<html><head><title>通知公告</title></head><body>
<div class="nav"><ul><li><a href="/col/tzgg/">通知公告</a></li></ul></div>
<ul class="list">{items}</ul></body></html>"""
DOC = """<html><head><title>{title}</title></head><body><h1>{title}</h1>
<table class="xxgk"><tr><td>索 引 号：</td><td>11370181004205062T/2023-{n:07d}</td><td>发布机构：</td><td>区财政局</td></tr>
<tr><td>发布日期：</td><td>2023-10-{n:02d}</td><td>主题分类：</td><td>财政</td></tr></table>
<div id="zoom"><p>为进一步做好财政资金管理工作，现将有关事项通知如下。请各单位认真贯彻落实。</p>
<p><a href="/missing-{n}.html">相关链接</a></p></div></body></html>"""
DOCS = [f"/art/2023/10/{n}/doc{n}.html" for n in (1, 2, 3)]


@pytest.fixture()
def site():
    items = "".join(f'<li><a href="{path}">关于财政资金管理的通知{n}</a><span>2023-10-0{n}</span></li>'
                    for n, path in enumerate(DOCS, start=1))
    pages = {"/": Answer(HOME), "/col/tzgg/": Answer(LIST.format(items=items))}
    pages.update({path: Answer(DOC.format(title=f"关于财政资金管理的通知{n}", n=n)) for n, path in enumerate(DOCS, 1)})
    fixture = FixtureSite(pages)
    yield fixture
    fixture.stop()


def base(site) -> str:
    return site.url.rstrip("/")


def component_crawler(snap: Snapshot, start_url: str, **settings):
    """A Scrapy crawler with the govaudit settings of the crawl child (no crawl started, no reactor)."""
    config = {"db": snap.db, "scan_id": snap.scan_id, "start_urls": [start_url], **settings}
    ours = {k: v for k, v in build_settings(config).copy_to_dict().items() if k.startswith("GOVAUDIT_")}
    return get_crawler(GongkaiSpider, ours)


def test_request_info_survives_the_frontier_row():
    info = RequestInfo("document", url="http://x/d.html", column="http://x/c/", unit="区财政局", section="gongkai",
                       conditional=True, validators=None, looked_up=True)
    stored = info.to_dict()
    assert stored["validators"] is None            # looked up, none found: not to be looked up again
    assert RequestInfo.from_dict(stored) == info
    assert not RequestInfo.from_dict(RequestInfo("document", url="http://x/d.html").to_dict()).looked_up
    # A list page stored by an earlier version: its column as a dict.
    old = {"kind": "list", "url": "http://x/c/2", "page_no": 2, "spec": {"url": "http://x/c/2"},
           "column": {"url": "http://x/c/", "unit": "区财政局", "section": "gongkai"}}
    column = RequestInfo.from_dict(old).column_ref()
    assert (column.url, column.unit, column.section) == ("http://x/c/", "区财政局", "gongkai")


def test_frontier_refuses_a_request_already_in_the_frontier_table(tmp_path, site):
    snap = crawl_into(tmp_path, site.url)
    stored = {r["url"] for r in snap.rows(storage.frontier)}
    assert {base(site) + path for path in DOCS} <= stored
    crawler = component_crawler(snap, site.url, resume=True)
    recorded = []
    crawler.signals.connect(lambda item: recorded.append(item), signal=ga_signals.record_item, weak=False)
    frontier = Frontier.from_crawler(crawler)
    frontier.open()

    spider = GongkaiSpider.from_crawler(crawler, start_urls=[site.url])

    def request(path):     # as another component would make it: not admitted by the spider
        return build_request(base(site) + path, RequestInfo("document"), spider.parse_document, spider.on_error)

    assert frontier.request_seen(request(DOCS[0]))               # made by the interrupted run
    assert crawler.stats.get_value("govaudit/frontier_refused") == 1
    assert not frontier.request_seen(request("/new.html"))       # new: admitted, and its row recorded
    assert [(type(r), r.url) for r in recorded] == [(it.FrontierEntry, base(site) + "/new.html")]
    assert recorded[0].request["ga"]["kind"] == "document"
    assert frontier.request_seen(request("/new.html"))
    # Without --resume the scan's table is not this crawl's memory.
    fresh = Frontier.from_crawler(component_crawler(snap, site.url))
    fresh.open()
    assert not fresh.request_seen(request(DOCS[0]))


def test_rescan_copies_the_documents_of_an_unchanged_list_without_asking(tmp_path, site):
    first = crawl_into(tmp_path, site.url)
    before = len(site.requests)
    settings = {**FAST, "GOVAUDIT_TRUST_UNCHANGED_LISTS": True}
    second = Snapshot(first.db, crawl(db=first.db, start_urls=[site.url], settings=settings))
    asked = [path for method, path, _ in site.requests[before:] if method == "GET"]
    assert not set(DOCS) & set(asked)                       # copied unasked ...
    assert "/col/tzgg/" in asked                            # ... because the list was asked, and unchanged
    assert second.scan["stats"]["trusted_unchanged"] == len(DOCS)
    assert set(first.by_url(storage.document)) == set(second.by_url(storage.document))

    # The same decision made by the component alone, against the first scan.
    crawler = component_crawler(second, site.url, previous_scan_id=first.scan_id,
                                settings={"GOVAUDIT_TRUST_UNCHANGED_LISTS": True})
    rescan = Rescan.from_crawler(crawler)
    frontier = Frontier.from_crawler(crawler)
    frontier.open()
    urls = [base(site) + path for path in DOCS]
    out = rescan.trusted_documents(urls, frontier, Scope([site.url]))
    copies = []
    try:
        while True:
            copies.append(next(out))
    except StopIteration as done:
        ask = done.value
    assert ask == []
    assert [(c.url, c.kind, c.verified) for c in copies] == [(u, "document", False) for u in urls]
    assert not any(frontier.is_new(u) for u in urls)        # copied: never fetched in this scan
    # Without trust, a document is revalidated with the previous scan's validators.
    conditional = Rescan.from_crawler(component_crawler(second, site.url, previous_scan_id=first.scan_id))
    request = scrapy.Request(urls[0], meta={META_KEY: RequestInfo("document", url=urls[0], conditional=True)})
    conditional.process_request(request)
    assert request.headers.get(b"If-None-Match")


def test_link_checker_owns_its_state_and_counts_what_it_classified(tmp_path, site):
    snap = crawl_into(tmp_path, site.url)
    links = snap.by_url(storage.link)
    dead = {base(site) + f"/missing-{n}.html" for n in (1, 2, 3)}
    assert {u for u, r in links.items() if r["outcome"] == "http_4xx"} == dead
    assert snap.scan["stats"]["links_checked"] == len(links)
    off = crawl_into(tmp_path, site.url, name="off.db", settings={"GOVAUDIT_LINK_CHECK": False})
    assert off.rows(storage.link_source) and not off.rows(storage.link)
    assert off.scan["stats"]["links_checked"] == 0
    # Its settings are its own.
    checker = LinkChecker.from_crawler(component_crawler(snap, site.url, settings={
        "GOVAUDIT_LINK_CHECK_EXTERNAL": False, "GOVAUDIT_LINK_BATCH": 7}))
    assert (checker.enabled, checker.check_external, checker.link_batch) == (True, False, 7)
    assert checker.in_flight_links == set() and checker.probes == {}


def test_a_long_list_is_passed_on_in_slices_each_after_its_records():
    """A callback naming thousands of documents does not hold all its requests at once, and every
    request still comes after the record of its frontier entry."""
    made = []

    class Callbacks:
        @bundled
        def parse(self, response):
            for n in range(BUNDLE_REQUESTS * 3 + 7):
                yield it.FrontierEntry(fingerprint=f"{n:040x}", url=f"http://x/d{n}.html", request={})
                made.append(n)
                yield scrapy.Request(f"http://x/d{n}.html")
            yield it.FrontierDone("f" * 40)

    recorded, handed_on = set(), 0
    for value in Callbacks().parse(None):
        if isinstance(value, it.Records):
            recorded |= {r.url for r in value.items if isinstance(r, it.FrontierEntry)}
        else:
            assert value.url in recorded
            assert len(made) - handed_on <= BUNDLE_REQUESTS      # made, not yet passed on
            handed_on += 1
    assert handed_on == len(recorded) == BUNDLE_REQUESTS * 3 + 7


def long_list_site(count: int, paragraphs: int = 0) -> tuple[FixtureSite, list[str]]:
    """A column listing ``count`` documents, each ``paragraphs`` paragraphs longer than DOC."""
    docs = [f"/art/2023/10/d{n}.html" for n in range(count)]
    items = "".join(f'<li><a href="{path}">关于财政资金管理的通知{n}</a><span>2023-10-01</span></li>'
                    for n, path in enumerate(docs))
    more = "<p>各单位要严格执行预算，规范资金拨付流程，确保资金安全高效使用。</p>" * paragraphs
    pages = {"/": Answer(HOME), "/col/tzgg/": Answer(LIST.format(items=items))}
    doc = DOC.replace("</div>", more + "</div>")
    pages.update({path: Answer(doc.format(title=f"关于财政资金管理的通知{n}", n=n % 28 + 1))
                  for n, path in enumerate(docs)})
    return FixtureSite(pages), docs


def test_a_list_of_350_documents_is_crawled_whole_over_http(tmp_path):
    fixture, docs = long_list_site(350)
    try:
        snap = crawl_into(tmp_path, fixture.url)
        stored = {r["url"] for r in snap.rows(storage.document)}
        frontier = snap.rows(storage.frontier)
    finally:
        fixture.stop()
    assert {base(fixture) + path for path in docs} <= stored
    assert all(r["done"] for r in frontier)


def test_resume_restores_the_unfinished_requests_chunk_by_chunk_and_none_made_since(tmp_path):
    db = storage.db_url(str(tmp_path / "scan.db"))
    engine = storage.connect(db)
    spec = lambda n: {"url": f"http://site.test/doc{n}.html", "method": "GET", "body": None, "headers": {},
                      "callback": "parse_document", "errback": "on_error",
                      "ga": RequestInfo("document", url=f"http://site.test/doc{n}.html").to_dict()}
    total = 3 * RESTORE_CHUNK + 17
    with engine.begin() as conn:
        scan = insert(storage.scan).values(start_url="http://site.test/", status="interrupted")
        scan_id = conn.execute(scan).inserted_primary_key[0]
        conn.execute(insert(storage.frontier), [
            {"scan_id": scan_id, "fingerprint": f"{n:040x}", "url": spec(n)["url"], "request": spec(n),
             "done": n % 3 == 0} for n in range(total)])
    crawler = component_crawler(Snapshot(db, scan_id), "http://site.test/", resume=True)
    frontier = Frontier.from_crawler(crawler)
    frontier.open()
    assert len(frontier.seen) == total
    spider = GongkaiSpider.from_crawler(crawler, start_urls=["http://site.test/"])
    restored = frontier.restore(spider.make)
    first = next(restored)
    with engine.begin() as conn:       # a request this run makes while the restore goes on
        new = spec(total)
        conn.execute(insert(storage.frontier).values(scan_id=scan_id, fingerprint="f" * 40, url=new["url"],
                                                     request=new, done=False))
    urls = [first.url, *(r.url for r in restored)]
    assert urls == [spec(n)["url"] for n in range(total) if n % 3]
    assert first.meta[ADMITTED] == f"{1:040x}" and first.callback == spider.parse_document
    assert crawler.stats.get_value("govaudit/restored_requests") == len(urls)


def test_no_request_leaves_while_the_spider_has_its_backlog_of_answers(tmp_path):
    # Pages long enough that the downloader outruns the parser: without the bound, 14-15 answers
    # were on the spider's hands at once here.  With it, the downloader may still deliver what it
    # had in flight: at most its concurrency more than the backlog.
    backlog, concurrency = 1, 8
    fixture, docs = long_list_site(200, paragraphs=300)
    try:
        snap = crawl_into(tmp_path, fixture.url, settings={"GOVAUDIT_PARSE_BACKLOG": backlog,
                                                            "CONCURRENT_REQUESTS": concurrency,
                                                            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency})
    finally:
        fixture.stop()
    assert {base(fixture) + path for path in docs} <= {r["url"] for r in snap.rows(storage.document)}
    assert 1 <= snap.scan["stats"]["parse_backlog_peak"] <= backlog + concurrency
