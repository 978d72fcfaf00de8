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
from sitesim.traffic import CHALLENGE_PAGE

URL = "http://www.example.gov.cn/col/col1/index.html"


@pytest.fixture(scope="module")
def watch():
    s = Settings()
    s.setmodule(defaults)
    return BlockWatch(SimpleNamespace(settings=s))      # only its settings are read here


def answer(status=200, body=b"<html><body><p>" + "正文内容".encode() * 50 + b"</p></body></html>", headers=None):
    return HtmlResponse(URL, status=status, body=body, headers=headers or {}, request=Request(URL))


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
