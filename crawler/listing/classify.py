"""What kind of page a column link led to: 'list' | 'document' | 'hub' | 'other'.

From the markup (list structures, metadata blocks, body length) and from the list readers of
the registry, not from any one site's URL scheme.  A reader's ``evidence`` says how much its
recognising the page weighs against the page reading as a document or a hub of columns.
When ``read_list`` already read the same ``Page``, the readers are not asked again.
"""
from __future__ import annotations

from crawler.extract.content import find_body_container
from crawler.extract.document import LIST_ENTRIES_OVER_DOCUMENT, document_evidence, entries_beside_article
from crawler.extract.entries import best_group, entries_of, in_chrome, page_table_lists
from crawler.extract.fields import canonical_count, choose_block, find_hits
from crawler.extract.html import Page, as_page, text_of
from crawler.extract.navigation import find_column_links
from crawler.listing import plain, registry
from crawler.listing.base import CERTAIN, hub_of_boxes, STRONG, WEAK, ReadContext, recognises

# A page of nothing but column links is a hub from this many links on (a sub-site's column bar of
# 首页 + 5 columns, framed into its pages, is one).
HUB_MIN_COLUMNS = 5


def classify_page(url: str, html, profile_rules=None) -> str:
    """'list' | 'document' | 'hub' | 'other', from the markup."""
    return page_kind(url, html, profile_rules)[0]


def page_kind(url: str, html, profile_rules=None) -> tuple[str, str]:
    """(kind, why): the kind of ``classify_page`` and the evidence that decided it.

    A page that reads as one document (``document_evidence``: a metadata block, an article body,
    a long text) stays a document unless a list reader is certain or the page lists more
    entries than a document's related links: never a hub."""
    page = as_page(url, html)
    ctx = registry.context(profile_rules=profile_rules)
    certain = _recognised_by(page, CERTAIN, ctx)
    if certain:
        return "list", f"list reader {certain} (certain)"
    parent, items = best_group(page)
    entries = entries_of(items, page.resolve) if parent is not None and not in_chrome(parent) else []
    evidence = document_evidence(page)
    if evidence and len(entries) < LIST_ENTRIES_OVER_DOCUMENT:
        return "document", evidence
    if evidence and entries_beside_article(page, [e.url for e in entries]):
        return "document", evidence + f"; its {len(entries)} dated links stand beside the article"
    container, strong = find_body_container(page)
    block = choose_block(find_hits(page), container if strong else None)
    body_len = len(text_of(container)) if container is not None else 0
    if canonical_count(block) >= 2 and len(entries) < 5:
        return "document", evidence or "metadata block"
    if strong and len(entries) < 3 and (body_len >= 150 or block):
        return "document", f"article body ({body_len} chars)" + (" with a metadata line" if block else "")
    if hub_of_boxes(url, page, len(entries)) and not _paged(page):
        return "hub", f"{hub_of_boxes(url, page, len(entries))} boxes of entries, each headed by its column's 更多 link"
    if entries and any(parent is table for table, _rows in page_table_lists(page)):
        return "list", f"{len(entries)} rows of a table headed as a list of documents (名称, 索引号, 日期 …)"
    columns = [c for c in find_column_links(url, page) if c.region == "content"]
    if len(entries) >= 3 and len(columns) < 2 * len(entries):
        return "list", f"{len(entries)} repeated link+date entries"
    strong_reader = _recognised_by(page, STRONG, ctx)
    if strong_reader:
        return "list", f"list reader {strong_reader} (strong)"
    if evidence:
        return "document", evidence
    if len(columns) >= HUB_MIN_COLUMNS:
        return "hub", f"{len(columns)} column links in the content area"
    weak = _recognised_by(page, WEAK, ctx)
    if entries or weak:
        return "list", f"list reader {weak} (weak)" if weak else f"{len(entries)} link+date entries"
    if body_len >= 300:
        return "document", f"{body_len} chars of text"
    all_columns = find_column_links(url, page)
    if len(all_columns) >= HUB_MIN_COLUMNS:
        return "hub", f"{len(all_columns)} column links"
    return "other", "no list, document or column links found"


def _paged(page: Page) -> bool:
    """The page pages through a list (下一页, numbered page links, 共N页): a column page, whatever
    boxes of other columns its sidebar shows.  A hub of boxes has no pager."""
    pager = plain.Pager(page)
    return bool(pager.next_url or pager.last_url or pager.numbered or pager.page_count)


def _recognised_by(page: Page, evidence: str, ctx: ReadContext) -> str | None:
    return next((reader.name for reader in ctx.readers if reader.evidence == evidence
                 and recognises(reader, page, ctx)), None)
