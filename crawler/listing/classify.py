"""What kind of page a column link led to: 'list' | 'document' | 'hub' | 'other'.

From the markup (list structures, metadata blocks, body length) and from the list readers of
the registry, not from any one site's URL scheme.  A reader's ``evidence`` says how much its
recognising the page weighs against the page reading as a document or a hub of columns.
When ``read_list`` already read the same ``Page``, the readers are not asked again.
"""
from __future__ import annotations

from crawler.extract.content import find_body_container
from crawler.extract.entries import best_group, entries_of, in_chrome
from crawler.extract.fields import canonical_count, choose_block, find_hits
from crawler.extract.html import Page, as_page, text_of
from crawler.extract.navigation import find_column_links
from crawler.listing import registry
from crawler.listing.base import CERTAIN, STRONG, WEAK, ReadContext, recognises


def _recognised(page: Page, evidence: str, ctx: ReadContext) -> bool:
    return any(recognises(reader, page, ctx) for reader in ctx.readers if reader.evidence == evidence)


def classify_page(url: str, html, profile_rules=None) -> str:
    """'list' | 'document' | 'hub' | 'other', from the markup."""
    page = as_page(url, html)
    ctx = registry.context(profile_rules=profile_rules)
    if _recognised(page, CERTAIN, ctx):
        return "list"
    container, strong = find_body_container(page)
    block = choose_block(find_hits(page), container if strong else None)
    body_len = len(text_of(container)) if container is not None else 0
    parent, items = best_group(page)
    entries = entries_of(items, page.resolve) if parent is not None and not in_chrome(parent) else []
    if canonical_count(block) >= 2 and len(entries) < 5:
        return "document"
    if strong and len(entries) < 3 and (body_len >= 150 or block):
        return "document"
    columns = [c for c in find_column_links(url, page) if c.region == "content"]
    if len(entries) >= 3 and len(columns) < 2 * len(entries):
        return "list"
    if _recognised(page, STRONG, ctx):
        return "list"
    if len(columns) >= 6:
        return "hub"
    if entries or _recognised(page, WEAK, ctx):
        return "list"
    if body_len >= 300:
        return "document"
    if len(find_column_links(url, page)) >= 6:
        return "hub"
    return "other"
