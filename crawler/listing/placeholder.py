"""A list page that lists nothing and says so (暂无信息 / 正在建设中)."""
from __future__ import annotations

from crawler.extract.entries import placeholder_text
from crawler.extract.html import Page, as_page
from crawler.items import ListPage
from crawler.listing.base import STRONG, ReadContext

name = "placeholder"
evidence = STRONG


def detect(page: Page, ctx: ReadContext) -> ListPage | None:
    text = placeholder_text(page)
    return ListPage(style=name, placeholder=text) if text else None


def read_response(meta: dict, url: str, body: str, content_type: str | None, ctx: ReadContext) -> ListPage:
    # Never asked for (the reader plans no further pages); an answer is read like its page.
    return detect(as_page(url, body or ""), ctx) or ListPage(style=name)
