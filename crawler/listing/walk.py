"""Per-column pagination bookkeeping for the spider (pure; no Scrapy).

    walk = ListWalk(column_url)
    first = read_list(column_url, html)
    for req in walk.add(first, column_url): schedule(req)
    ... for each answer: for req in walk.add(read_response(req, url, body, ctype), url): schedule(req)
    walk.entries  → every entry of the column, first occurrence kept, in list order

``add`` drops requests already made (same URL, method and body), stops a chain whose page adds
no new entry (a loop, or a server answering every page number with the same records), and never
lets one column make more than ``max_pages`` requests.
"""
from __future__ import annotations

from crawler.items import ListEntry, ListPage
from crawler.listing.base import DEFAULT_MAX_PAGES


class ListWalk:
    def __init__(self, column_url: str, max_pages: int = DEFAULT_MAX_PAGES):
        self.column_url = column_url
        self.max_pages = max_pages
        self.entries: list[ListEntry] = []
        self.pages: list[tuple[str, int]] = []      # (page url, entries on it) in arrival order
        self.style: str | None = None
        self._placeholder: str | None = None
        self.total: int | None = None
        self._seen_entries: set[str] = set()
        self._requested: set[tuple] = {("GET", column_url, None)}
        self.stopped_reason: str | None = None

    @staticmethod
    def _key(req: dict) -> tuple:
        return ((req.get("method") or "GET").upper(), req["url"], req.get("body"))

    def add(self, page: ListPage, page_url: str) -> list[dict]:
        """Record one list page; return the follow-up requests still worth making."""
        if self.style is None:
            self.style = page.style
        if self._placeholder is None and page.placeholder:
            self._placeholder = page.placeholder      # the shell's or its first answer's empty state
        if page.total is not None and self.total is None:
            self.total = page.total
        new = [e for e in page.entries if e.url not in self._seen_entries]
        for e in new:
            self._seen_entries.add(e.url)
            self.entries.append(e)
        self.pages.append((page_url, len(new)))
        if page.entries and not new:
            self.stopped_reason = "page added no new entries"
            return []
        out = []
        for req in page.next_pages:
            key = self._key(req)
            if key in self._requested:
                continue
            if len(self._requested) >= self.max_pages:
                self.stopped_reason = f"max_pages={self.max_pages} reached"
                break
            self._requested.add(key)
            out.append(req)
        return out

    @property
    def placeholder(self) -> str | None:
        """The 暂无信息 text the list showed — only when it lists nothing."""
        return None if self.entries else self._placeholder

    @property
    def done_requests(self) -> int:
        return len(self._requested)
