"""Turning a Scrapy response into the text and parsed page the extractors take."""
from __future__ import annotations

from crawler.extract.encoding import decode_html
from crawler.extract.html import Page


def decode(response) -> tuple[str, str]:
    """Response text and the encoding used, trusting the bytes when header and <meta> disagree."""
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    return decode_html(response.body, content_type)


def page_of(response, url: str | None = None) -> tuple[Page, str, str]:
    """(parsed page, text, encoding): parsed once, shared by every extractor."""
    text, encoding = decode(response)
    return Page(url or response.url, text), text, encoding
