"""Callback helpers: a response as the text and parsed page the extractors take, and the
bundling of a callback's records into one item (in slices for a long list)."""
from __future__ import annotations

import functools

import scrapy

from crawler import items as it
from crawler.extract.encoding import decode_html
from crawler.extract.html import Page
from crawler.extract.urls import canonical_url


def decode(response) -> tuple[str, str]:
    """Response text and the encoding used, trusting the bytes when header and <meta> disagree."""
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    return decode_html(response.body, content_type)


def file_type(response) -> str | None:
    """The media type of an answer that is a file, not a web page (a PDF, a download); None for a
    page.  An answer without a Content-Type, or a text, HTML or XML one, is read as a page."""
    media = (response.headers.get(b"Content-Type") or b"").decode("latin-1").split(";")[0].strip().lower()
    if not media or media.startswith("text/") or "html" in media or "xml" in media:
        return None
    return media


def page_of(response, url: str | None = None) -> tuple[Page, str, str]:
    """(parsed page, text, encoding): parsed once, shared by every extractor.

    A file answer (a list entry linking straight to a PDF or a .doc) is no page: it is read as an
    empty one, so its bytes are never taken for body text (``%PDF-1.4 1 0 obj…`` read as the text
    of a 指南 lacks every item it must state)."""
    if file_type(response) is not None:
        return Page(url or response.url, ""), "", None
    text, encoding = decode(response)
    page = Page(url or response.url, text)
    if url and response.url != url:
        # Stored under the URL as linked, but a redirect (/col/tzgg.htm → /list.jsp?catid=140)
        # moved it: its relative links are relative to where it was read.
        page.fetched_url = canonical_url(response.url)
    return page, text, encoding


# Requests a callback's output holds at once: a list answer naming thousands of documents is
# passed on in slices, so its requests do not all live at once (their memory grew with a site).
BUNDLE_REQUESTS = 100


def bundled(callback):
    """Yield a callback's records as one ``Records`` item, first, then its requests; a callback
    that makes more than ``BUNDLE_REQUESTS`` requests does so in slices, each slice's records
    before its requests.

    Records first also keeps the frontier promise: the entries of the requests a page found
    reach the pipeline before any of those requests can complete.
    """
    @functools.wraps(callback)
    def wrapper(self, response_or_failure):
        records, requests = [], []
        for out in callback(self, response_or_failure) or ():
            (requests if isinstance(out, scrapy.Request) else records).append(out)
            if len(requests) >= BUNDLE_REQUESTS:
                if records:
                    yield it.Records(records)
                yield from requests
                records, requests = [], []
        if records:
            yield it.Records(records)
        yield from requests
    return wrapper
