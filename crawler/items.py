"""Items: the facts the crawler records.  The pipeline writes each to its snapshot table.

They are also the interface between the pure extraction code (``crawler/extract``,
``crawler/listing``: HTML in, these records out, no Scrapy, no network) and the spider.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ListEntry:
    """One entry of a column list (a link to a document plus what the list shows)."""
    url: str                       # absolute
    title: str = ""                # text as shown (may be truncated with …)
    full_title: str = ""           # title="" attribute, when present
    date_raw: str = ""             # the date text next to it
    date: str | None = None        # ISO, None if absent or unparseable


@dataclass
class ListPage:
    """What a list reader makes of one list page (or one data-endpoint response)."""
    style: str                     # hanweb_datastore | trs_createpage | js_shell | plain_next | ...
    entries: list[ListEntry] = field(default_factory=list)
    # Further pages of the same list (absolute URLs; POST bodies where a reader needs them).
    # [{"url":..., "method": "GET", "body": None, "headers": {}}], or pages planned from a stated count
    # (crawler.listing.base.PagePlan: the same dicts, made when asked for).
    next_pages: list[dict] = field(default_factory=list)
    placeholder: str | None = None  # 暂无信息 / 正在建设中 text, when the page says so
    total: int | None = None       # total record count, when the page states one


@dataclass
class LinkRef:
    url: str                       # absolute target
    anchor: str = ""
    tag: str = "a"                 # a | img | attachment | iframe


# ---- items the spider yields; the pipeline stores them -------------------------------------

@dataclass
class UnitItem:
    name: str
    code: str | None = None
    home_url: str | None = None
    kind: str | None = None        # district | department | town


@dataclass
class ColumnItem:
    url: str
    name: str
    path: str = ""
    parent_url: str | None = None
    unit: str | None = None
    section: str = "gongkai"       # gongkai (reached through the 信息公开 platform) | portal | homepage
    nav: dict | None = None        # how it was reached: {"via": homepage|platform|scope, "top"|"hub": ...}
    kind: str = "list"             # list | hub | homepage | single
    is_leaf: bool = True
    list_style: str | None = None
    http_status: int | None = None
    shown_lines: list | None = None  # short lines shown when the page lists nothing (None: it lists)
    overrides: dict | None = None


@dataclass
class ColumnListStyleItem:
    """A column's list style learnt from its list's answer (a script's data endpoint answered
    with no list): updates the style its ``ColumnItem`` was stored with, nothing else."""
    url: str
    list_style: str


@dataclass
class ListItemItem:
    column_url: str
    url: str
    title: str = ""
    full_title: str = ""
    date_raw: str = ""
    date: str | None = None
    page_url: str | None = None
    position: int | None = None


@dataclass
class DocumentItem:
    url: str
    final_url: str | None = None
    http_status: int | None = None
    title: str = ""
    unit: str | None = None
    column_url: str | None = None
    fields: dict = field(default_factory=dict)        # canonical label -> value
    fields_raw: list = field(default_factory=list)    # [[label as seen, value], ...]
    metas: dict = field(default_factory=dict)
    publish_date: str | None = None
    written_date: str | None = None
    body_text: str = ""
    attachments: list = field(default_factory=list)   # [{"url":..., "name":...}]
    is_interpretation: bool = False
    encoding: str | None = None
    content_hash: str | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class RelationItem:
    src_url: str
    dst_url: str
    kind: str                       # interpretation | original
    anchor: str = ""


@dataclass
class PageItem:
    url: str
    kind: str                       # homepage | hub | column | list | document | other
    status: int | None = None
    size: int | None = None
    content_hash: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    encoding: str | None = None
    facts: dict = field(default_factory=dict)


@dataclass
class LinkSourceItem:
    target_url: str
    source_url: str
    anchor: str = ""
    tag: str = "a"
    on_homepage: bool = False
    facts: dict | None = None      # {"hidden": [signals], "block": path} when hidden (crawler/extract/hidden.py)


@dataclass
class LinkStatusItem:
    url: str
    status: int | None
    outcome: str                    # ok | http_4xx | http_5xx | timeout | dns | tls | soft404 | inconclusive | error
    detail: str = ""
    is_external: bool = False
    is_attachment: bool = False
    method: str = "HEAD"
    signals: dict | None = None     # soft-404 signals of a 200 HTML page (the audits judge them)


@dataclass
class AttachmentItem:
    """A file a document links to, as fetched (its text: ``attachment_text`` by sha256)."""
    url: str
    document_url: str
    name: str = ""
    status: int | None = None
    content_type: str | None = None
    size: int | None = None
    sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    outcome: str = "fetched"        # fetched | not_modified | too_large | over_total | failed
    detail: str = ""


@dataclass
class FetchErrorItem:
    url: str
    error: str
    status: int | None = None
    referer: str | None = None


# ---- bookkeeping items (crawler-internal: resume and incremental re-scans) ---------------

@dataclass
class FrontierEntry:
    """A request the spider decided to make; stored before the page that found it is done."""
    fingerprint: str
    url: str
    request: dict                   # method, body, headers, callback, errback, priority, meta


@dataclass
class FrontierDone:
    """Everything a request produced has been yielded before this marker."""
    fingerprint: str


@dataclass
class CopyPreviousItem:
    """An unchanged page (HTTP 304): copy its facts from the previous scan into this one."""
    url: str
    previous_scan_id: int
    kind: str = "document"          # the page kind
    # False: copied without asking the server (crawler.revisit); the copy keeps the date it was
    # last verified, so the revisit window counts from there.
    verified: bool = True


@dataclass
class Records:
    """All records one response produced, in order, as one item: one trip through Scrapy's
    item machinery per page instead of one per link (the spider's callbacks bundle them)."""
    items: list = field(default_factory=list)
