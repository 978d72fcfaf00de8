"""What a crawl request is for: a small typed object carried in ``request.meta[META_KEY]``.

Every request the crawler makes (pages, link checks, soft-404 probes) carries one
``RequestInfo``; the components read it (the scope and conditional-request middlewares, the
frontier, the spider's callbacks).  The frontier stores it as a plain dict (``to_dict``) so
that ``resume`` re-issues a request exactly as it was made (``from_dict``).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import scrapy

META_KEY = "ga"
# Finish documents before reading further list pages, lists before new columns, and shallow
# columns before deep ones, so the queue stays short and the tree is read top-down.
PRIORITY = {"probe": 100, "home": 90, "document": 50, "attachment": 45, "list": 40, "unit_home": 30, "column": 20,
            "entry": 15, "link": 10, "spider_view": 5}
HANDLED_STATUSES = [304] + list(range(400, 600))
# Request kinds that crawl (fetch and parse; in the frontier); link checks and probes only look.
CRAWL_KINDS = frozenset({"home", "unit_home", "column", "list", "document", "entry", "attachment"})
# Pages kept in the HTTP cache for re-scans (documents are revalidated against the DB instead).
CACHED_KINDS = frozenset({"home", "unit_home", "column", "list"})


@dataclass
class RequestInfo:
    kind: str                              # a key of PRIORITY
    url: str = ""                          # the snapshot URL of the page (as linked, canonical)
    depth: int = 0                         # column-tree depth (columns, unit homes)
    # Column and document requests: the unit's name; unit homes: {"name", "code", "kind"}.
    unit: str | dict | None = None
    section: str | None = None             # gongkai | portal (columns and what they list)
    column: str | None = None              # documents, list pages: the column that lists them
    # Columns
    name: str | None = None
    path: str | None = None
    overrides: dict | None = None
    has_children: bool = False
    parent: str | None = None
    nav: dict | None = None                # how the column was reached (evidence for its section)
    frame_of: str | None = None            # unit homes: the frameset home this frame of it belongs to
    # List pages: how to ask for the page, and its number
    spec: dict | None = None
    page_no: int = 0
    # Documents: revalidate against the previous scan; its validators when looked up already
    conditional: bool = False
    validators: dict | None = None
    looked_up: bool = False
    # Attachments: the document that links the file, and the link text
    document: str | None = None
    anchor: str | None = None
    # Link checks and soft-404 probes
    external: bool = False
    attachment: bool = False
    key: list = field(default_factory=list)

    def column_ref(self) -> RequestInfo:
        """The column a column or list page belongs to (its url, unit and section)."""
        if self.kind == "column":
            return self
        return RequestInfo("column", self.column or "", unit=self.unit, section=self.section)

    def to_dict(self) -> dict:
        """The stored form (frontier rows): only what differs from the defaults."""
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
            if f.name == "looked_up":
                continue
            if value != default or f.name in ("kind", "url") or (f.name == "validators" and self.looked_up):
                out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict) -> RequestInfo:
        data = dict(data)
        column = data.get("column")
        if isinstance(column, dict):       # list pages stored by earlier versions
            data.update(column=column.get("url"), unit=column.get("unit"), section=column.get("section"))
        known = {f.name for f in dataclasses.fields(cls)}
        info = cls(**{k: v for k, v in data.items() if k in known})
        info.looked_up = "validators" in data
        return info


def info_of(request_or_response) -> RequestInfo | None:
    return request_or_response.meta.get(META_KEY)


def build_request(url: str, info: RequestInfo, callback, errback, method="GET", body=None, headers=None,
                  link_timeout: float | None = None) -> scrapy.Request:
    """A request of the crawl: its info, the statuses its callback handles, caching and priority."""
    info = dataclasses.replace(info, url=url)
    meta = {META_KEY: info, "handle_httpstatus_list": HANDLED_STATUSES, "dont_cache": info.kind not in CACHED_KINDS}
    if info.kind == "link" and link_timeout is not None:
        meta["download_timeout"] = link_timeout
    return scrapy.Request(url, callback=callback, errback=errback, method=method, body=body, headers=headers,
                          meta=meta, priority=PRIORITY[info.kind] - info.depth,
                          dont_filter=info.kind not in CRAWL_KINDS)
