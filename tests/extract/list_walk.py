"""Drive one column's list the way the spider does, without Scrapy: every follow-up request is
made once (the spider's request de-duplication), at most ``max_pages`` requests per column
(``GOVAUDIT_MAX_LIST_PAGES``), and the column's entries are the union of its pages' entries.

    walk = ListWalk(column_url)
    queue = walk.add(read_list(column_url, html), column_url)
    ... for each answer: queue += walk.add(read_response(req, url, body, content_type), url)
"""
from __future__ import annotations

from crawler.items import ListEntry, ListPage
from crawler.listing import DEFAULT_MAX_PAGES


class ListWalk:
    def __init__(self, column_url: str, max_pages: int = DEFAULT_MAX_PAGES):
        self.max_pages = max_pages
        self.entries: list[ListEntry] = []
        self.style: str | None = None
        self._placeholder: str | None = None
        self._seen_entries: set[str] = set()
        self._requested: set[tuple] = {("GET", column_url, None)}

    def add(self, page: ListPage, page_url: str) -> list[dict]:
        """Record one list page; return the follow-up requests not made yet."""
        self.style = self.style or page.style
        self._placeholder = self._placeholder or page.placeholder   # the shell's or its first answer's
        for e in page.entries:
            if e.url not in self._seen_entries:
                self._seen_entries.add(e.url)
                self.entries.append(e)
        out = []
        for req in page.next_pages:
            key = ((req.get("method") or "GET").upper(), req["url"], req.get("body"))
            if key in self._requested or len(self._requested) >= self.max_pages:
                continue
            self._requested.add(key)
            out.append(req)
        return out

    @property
    def placeholder(self) -> str | None:
        """The 暂无信息 text the list showed — only when it lists nothing."""
        return None if self.entries else self._placeholder
