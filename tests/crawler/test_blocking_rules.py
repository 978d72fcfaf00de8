"""What BlockWatch calls a refusal, and how it reads Retry-After (no network)."""
from __future__ import annotations

import email.utils
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings

from crawler import settings as defaults
from crawler.blocking import BlockWatch, retry_after_seconds
from crawler.requestinfo import PRIORITY, RequestInfo, build_request
from sitesim.traffic import CHALLENGE_PAGE

URL = "http://www.example.gov.cn/col/col1/index.html"


@pytest.fixture(scope="module")
def watch():
    s = Settings()
    s.setmodule(defaults)
    return BlockWatch(SimpleNamespace(settings=s))      # only its settings are read here


def answer(status=200, body=b"<html><body><p>" + "正文内容".encode() * 50 + b"</p></body></html>", headers=None):
    return HtmlResponse(URL, status=status, body=body, headers=headers or {}, request=Request(URL))


def watch_on_slot(host: str, delay: float, **settings):
    """A BlockWatch over one download slot of ``host`` that starts at ``delay``."""
    s = Settings()
    s.setmodule(defaults)
    for name, value in settings.items():
        s.set(name, value)
    slot = SimpleNamespace(delay=delay, lastseen=0.0)
    downloader = SimpleNamespace(DOWNLOAD_SLOT="download_slot", slots={host: slot})
    bw = BlockWatch(SimpleNamespace(settings=s, engine=SimpleNamespace(downloader=downloader)))
    return bw, slot, {"download_slot": host}, s


@pytest.mark.parametrize("status", [403, 412, 418, 429])
def test_refusal_statuses(watch, status):
    assert watch.refusal(Request(URL), answer(status)) == f"HTTP {status}"


def test_challenge_page_and_cookie_loop_are_refusals(watch):
    assert watch.refusal(Request(URL), answer(body=CHALLENGE_PAGE)) == "JS challenge page"
    loop = answer(302, b"", {"Location": "/col/col1/index.html", "Set-Cookie": "waf=1; path=/"})
    assert watch.refusal(Request(URL), loop) == "cookie redirect loop"


def test_ordinary_answers_are_not_refusals(watch):
    assert watch.refusal(Request(URL), answer()) is None
    assert watch.refusal(Request(URL), answer(404)) is None
    moved = answer(302, b"", {"Location": "/col/col2/index.html", "Set-Cookie": "a=1"})
    assert watch.refusal(Request(URL), moved) is None


def test_retry_after():
    assert retry_after_seconds(b"120") == 120
    when = email.utils.formatdate(1_000_060, usegmt=True)
    assert retry_after_seconds(when, now=1_000_000) == pytest.approx(60)
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None


def test_one_page_answering_429_does_not_slow_the_rest_of_the_scan_for_good():
    """A 429 doubles the server's delay; good answers in a row bring it back to DOWNLOAD_DELAY
    (a re-scanned demo spent minutes at 2.5 s a request after its one planted 429 page)."""
    bw, slot, meta, s = watch_on_slot("127.0.0.1", 0.0, DOWNLOAD_DELAY=0)
    refused = Request(URL + "?busy", meta=meta)
    for _ in range(3):                          # the page and its two slow asks again
        bw.process_response(refused, HtmlResponse(refused.url, status=429, request=refused))
    assert slot.delay == 2.0
    recover_after = s.getint("GOVAUDIT_BACKOFF_RECOVER_AFTER")
    good = Request(URL, meta=meta)
    delays = []
    for _ in range(4 * recover_after):
        bw.process_response(good, answer())
        delays.append(slot.delay)
    assert delays[recover_after - 2] == 2.0     # not at the first good answer
    assert delays[recover_after - 1] == 1.0 and delays[-1] == 0.0
    # trouble again starts the count afresh
    bw.process_response(refused, HtmlResponse(refused.url, status=503, request=refused))
    assert slot.delay == 0.5


def test_a_refused_page_is_asked_again_behind_every_request_of_the_crawl():
    """At its own priority a refused page came straight back (the scheduler's queue is last-in
    first-out): the pages in flight when a WAF started refusing used up their asks before a fifth
    URL was refused, and their 403 became their own answer (kept after --resume)."""
    s = Settings()
    s.setmodule(defaults)
    bw = BlockWatch(SimpleNamespace(settings=s, engine=SimpleNamespace(downloader=SimpleNamespace(
        DOWNLOAD_SLOT="download_slot", slots={}))))
    lowest = min(PRIORITY.values()) - s.getint("GOVAUDIT_MAX_DEPTH")
    refused = build_request(URL, RequestInfo("document", depth=2), None, None)
    for _ in range(s.getint("GOVAUDIT_REFUSAL_RETRIES")):
        retry = bw.process_response(refused, HtmlResponse(refused.url, status=403, request=refused))
        assert retry is not refused and retry.priority < min(lowest, refused.priority)
        refused = retry


def test_recovery_stops_at_the_delay_the_server_had_before_the_back_off():
    """A delay AutoThrottle had set (1.2 s for a slow server) is not undercut by the recovery."""
    bw, slot, meta, s = watch_on_slot("10.0.0.1", 1.2)
    busy = Request(URL + "?busy", meta=meta)
    bw.process_response(busy, HtmlResponse(busy.url, status=503, request=busy))
    assert slot.delay == 2.4
    good = Request(URL, meta=meta)
    for _ in range(10 * s.getint("GOVAUDIT_BACKOFF_RECOVER_AFTER")):
        bw.process_response(good, answer())
    assert slot.delay == 1.2


def test_the_first_back_off_step_of_a_server_without_delay_is_a_setting():
    """A server crawled with no delay gets GOVAUDIT_BACKOFF_MIN_DELAY at its first 429, and the
    recovery goes straight back to no delay rather than stopping at that floor."""
    bw, slot, meta, s = watch_on_slot("10.0.0.2", 0.0, DOWNLOAD_DELAY=0, GOVAUDIT_BACKOFF_MIN_DELAY=3.0)
    busy = Request(URL + "?busy", meta=meta)
    bw.process_response(busy, HtmlResponse(busy.url, status=429, request=busy))
    assert slot.delay == 3.0
    good = Request(URL, meta=meta)
    for _ in range(s.getint("GOVAUDIT_BACKOFF_RECOVER_AFTER")):
        bw.process_response(good, answer())
    assert slot.delay == 0.0
