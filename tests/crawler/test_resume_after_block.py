"""``--resume`` of a blocked scan asks again for what the block left unsettled, not only for the
pages left open in the frontier: answers that were refusals (a page, a file or a link check
refused before the block was recognised, taken as its own answer) and the Baiduspider views it could not
take; and it keeps the views the first run took.  Cheap: the session's crawl of the small site,
copied and turned into a blocked scan, resumed against the same (unblocked) site; only what the
test reopened is asked again."""
from __future__ import annotations

import json
import shutil
from functools import partial
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from crawler_helpers import FAST, Snapshot
from scrapy.http import HtmlResponse
from sqlalchemy import delete, insert, select, update
from twisted.python.failure import Failure

from crawler.attachments import Attachments
from crawler.blocked import Blocked
from crawler.requestinfo import RequestInfo, build_request
from crawler.runner import crawl
from crawler.scope import Scope
from crawler.spiderview import SpiderView, store_views, stored_views
from govaudit.core import storage
from sitesim.veto import CLOAKED_TARGET


def a_document_link(snap: Snapshot) -> str:
    """A document the crawl fetched that is also a link target (checked from its page row)."""
    links = snap.by_url(storage.link)
    return next(u for u in sorted(snap.by_url(storage.document)) if u in links and links[u]["status"] == 200)


def unfetched_link_targets(snap: Snapshot, n: int) -> list[str]:
    """Link targets of the site the crawl did not fetch (checked by a request of their own), that answered 200."""
    pages = snap.by_url(storage.page)
    return [u for u, r in sorted(snap.by_url(storage.link).items())
            if u not in pages and r["status"] == 200 and u.startswith(snap.scan["start_url"].rstrip("/"))][:n]


@pytest.fixture(scope="module")
def resumed(small_sim, small_audit, tmp_path_factory):
    """The shared scan as a block leaves it, and the same scan resumed once the block is lifted."""
    work = tmp_path_factory.mktemp("resume-after-block")
    shutil.copy(small_audit.db_path, work / "scan.db")
    snap = Snapshot(storage.db_url(str(work / "scan.db")), small_audit.scan_id)
    before = {"links": snap.by_url(storage.link), "stats": dict(snap.scan["stats"])}
    document = a_document_link(snap)
    head_refused, challenged = unfetched_link_targets(snap, 2)
    file = next(r for r in snap.rows(storage.attachment) if r["status"] == 200 and r["sha256"])
    before["file"] = dict(file)
    views = dict(before["stats"]["spider_views"])
    home = next(u for u in views if any(t == CLOAKED_TARGET for t, _ in views[u]["links"]))
    unasked = next(u for u in views if u != home)
    views[unasked] = {**views[unasked], "status": None, "links": [], "error": "Blocked"}   # as a blocked ask leaves it
    sid, pg, ln = snap.scan_id, storage.page, storage.link
    with snap.engine.begin() as conn:
        # The document was refused (403) before the block was recognised: its refusal is its page.
        conn.execute(update(pg).where(pg.c.scan_id == sid, pg.c.url == document).values(status=403))
        conn.execute(delete(storage.document).where(storage.document.c.scan_id == sid,
                                                    storage.document.c.url == document))
        conn.execute(insert(storage.fetch_error).values(scan_id=sid, url=document, status=403, error="HTTP 403"))
        conn.execute(update(ln).where(ln.c.scan_id == sid, ln.c.url == document)
                     .values(status=403, outcome="http_4xx", detail="HTTP 403"))
        # A file refused the same way (its GET is its link check too).
        conn.execute(update(storage.attachment).where(storage.attachment.c.id == file["id"])
                     .values(status=403, sha256=None, size=None, detail="HTTP 403"))
        conn.execute(update(ln).where(ln.c.scan_id == sid, ln.c.url == file["url"])
                     .values(status=403, outcome="http_4xx", detail="HTTP 403"))
        # Two link checks refused: a 429, and the WAF's JavaScript challenge page.
        conn.execute(update(ln).where(ln.c.scan_id == sid, ln.c.url == head_refused)
                     .values(status=429, outcome="http_4xx", detail="HTTP 429"))
        conn.execute(update(ln).where(ln.c.scan_id == sid, ln.c.url == challenged)
                     .values(outcome="inconclusive", detail="JS challenge page (anti-bot), not judged"))
        stats = {**before["stats"], "spider_views": views, "blocked": {"hosts": {"127.0.0.1": {"status": "HTTP 403"}}}}
        conn.execute(update(storage.scan).where(storage.scan.c.id == sid).values(status="blocked", stats=stats))
    asked = len(small_sim.requests)
    assert crawl(db=snap.db, start_urls=[small_sim.url], resume=True, settings=FAST) == sid
    snap.requests = list(small_sim.requests)[asked:]
    return snap, before, {"document": document, "links": [head_refused, challenged], "home": home,
                          "unasked": unasked}


def test_resume_asks_again_for_pages_files_and_link_checks_that_were_refused(resumed):
    snap, before, changed = resumed
    document = changed["document"]
    assert snap.scan["status"] == "complete"
    assert snap.by_url(storage.page)[document]["status"] == 200
    assert document in snap.by_url(storage.document)
    assert not snap.rows(storage.fetch_error, url=document)
    links = snap.by_url(storage.link)
    file = before["file"]
    (again,) = snap.rows(storage.attachment, url=file["url"])
    assert (again["status"], again["sha256"], again["document_url"]) == (200, file["sha256"], file["document_url"])
    for url in [document, file["url"], *changed["links"]]:
        assert (links[url]["status"], links[url]["outcome"]) == (before["links"][url]["status"],
                                                                 before["links"][url]["outcome"]), url
    # Only what was refused was asked again, not the scan's other pages and links.
    assert len(snap.requests) < 20, snap.requests


def test_resume_keeps_the_spider_views_and_takes_those_it_could_not(resumed):
    snap, before, changed = resumed
    views = snap.scan["stats"]["spider_views"]
    assert set(views) == set(before["stats"]["spider_views"])
    assert [CLOAKED_TARGET, "澳门葡京娱乐城"] in views[changed["home"]]["links"]      # kept from the first run
    assert views[changed["unasked"]]["status"] == 200                                  # taken now
    assert views[changed["unasked"]] == before["stats"]["spider_views"][changed["unasked"]]


def test_a_file_not_asked_because_of_a_block_stays_open_for_resume():
    """Like a page: no attachment row (it used to be recorded ``failed``) and no done marker."""
    request = build_request("http://www.example.gov.cn/files/a.pdf", RequestInfo("attachment", attachment=True),
                            None, None)
    failure = Failure(Blocked("blocked: www.example.gov.cn (HTTP 403)"))
    failure.request = request
    spider = SimpleNamespace(frontier=SimpleNamespace(done=lambda f: ["done"]))
    files = Attachments.__new__(Attachments)      # what it records needs none of its state
    assert list(files.failed(spider, failure)) == []


def test_a_spider_view_asked_again_on_resume_searches_for_the_same_words():
    """The Baidu Referer of a view asked again names the page's title as the first ask did (it
    was empty on resume: the title is not stored with the page)."""
    first = SpiderView(scope=None, sample=6)
    (ask,) = first.requests_for("http://www.example.gov.cn/art/1.html", "关于印发某某办法的通知")
    stored = json.loads(json.dumps(first.views))          # as scan.stats keeps them
    (again,) = SpiderView(scope=None, sample=6).restore(stored)
    assert again.headers[b"Referer"] == ask.headers[b"Referer"]
    assert again.headers[b"Referer"].endswith(quote("关于印发某某办法的通知").encode())


def test_each_spider_view_is_stored_as_it_is_taken(tmp_path):
    """Views were written only when the crawl closed: a crawl killed with -9 lost them, and its
    resume asked for them all again."""
    engine = storage.connect(storage.db_url(str(tmp_path / "scan.db")))
    with engine.begin() as conn:
        scan_id = conn.execute(insert(storage.scan).values(start_url="http://www.example.gov.cn/", status="running",
                                                           stats={"pages": 3})).inserted_primary_key[0]
    views = SpiderView(Scope(["http://www.example.gov.cn/"]), sample=6, keep=partial(store_views, engine, scan_id))
    (ask,) = views.requests_for("http://www.example.gov.cn/", "某某区人民政府")
    body = '<html><body><a href="http://casino.example.com/">娱乐城</a><a href="/art/1.html">通知</a></body></html>'
    views.parse(HtmlResponse(ask.url, status=200, body=body.encode(), encoding="utf-8", request=ask))
    stored = stored_views(engine, scan_id)
    assert stored["http://www.example.gov.cn/"]["links"] == [["http://casino.example.com/", "娱乐城"]]
    with engine.connect() as conn:
        assert conn.execute(select(storage.scan.c.stats).where(storage.scan.c.id == scan_id)).scalar()["pages"] == 3
