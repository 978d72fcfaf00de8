"""What every page of the crawl records: its page row and the link sources of its outgoing links.

Pure functions over a response and its parsed page (``crawler.responses.page_of``); the
spider's callbacks yield what they return.
"""
from __future__ import annotations

import hashlib

from crawler import items as it
from crawler.extract.hidden import link_hiding
from crawler.extract.page import outgoing_links, page_facts, resource_links
from crawler.requestinfo import info_of
from crawler.responses import file_type


def header(response, name: bytes) -> str | None:
    return (response.headers.get(name) or b"").decode("latin-1") or None


def page_item(response, kind, page=None, encoding=None, facts=None):
    facts = dict(facts or {})
    if page is not None and response.status == 200 and file_type(response) is not None:
        facts["file_type"] = file_type(response)     # a file: no html lang, footer or links to read
    elif page is not None and response.status == 200:
        try:
            facts.update(page_facts(info_of(response).url, page, homepage=kind == "homepage"))
        except Exception as exc:  # noqa: BLE001 - a hostile page must not stop the crawl
            facts["facts_error"] = f"{type(exc).__name__}: {exc}"
    return it.PageItem(
        url=info_of(response).url, kind=kind, status=response.status, size=len(response.body),
        content_hash=hashlib.sha256(response.body).hexdigest() if response.body else None,
        etag=header(response, b"ETag"), last_modified=header(response, b"Last-Modified"),
        encoding=encoding, facts=facts)


def link_sources(scope, source, refs, on_homepage=False, hidden=None, blocks=None):
    """link_source rows for the outgoing links of a page (list entries and attachments included);
    ``hidden``: {target: hiding signals} of the page, ``blocks``: {target: the element hiding it}
    (crawler/extract/hidden.py): links hidden by one element are one block, a menu or an injection."""
    seen = set()
    hidden, blocks = hidden or {}, blocks or {}
    for ref in refs:
        url = scope.canonical(ref.url) if ref.url else None
        if not url or url in seen or url == source:
            continue
        seen.add(url)
        signals = hidden.get(ref.url) or hidden.get(url)
        block = blocks.get(ref.url) or blocks.get(url)
        facts = {"hidden": signals, **({"block": block} if block else {})} if signals else None
        yield it.LinkSourceItem(target_url=url, source_url=source, anchor=(ref.anchor or "")[:500],
                                tag=ref.tag, on_homepage=on_homepage, facts=facts)


def page_links(scope, response, page, on_homepage=False, refs=None):
    """link_source rows of a page's links (``refs``: already extracted), with how each is hidden."""
    try:
        refs = outgoing_links(info_of(response).url, page) if refs is None else refs
        if on_homepage:     # a homepage script or stylesheet that fails is a homepage broken link
            refs = [*refs, *resource_links(info_of(response).url, page)]
    except Exception:  # noqa: BLE001
        refs = []
    try:
        hidden, written, blocks = link_hiding(info_of(response).url, page, blocks=True)
    except Exception:  # noqa: BLE001 - a hostile page must not stop the crawl
        hidden, written, blocks = {}, [], {}
    yield from link_sources(scope, info_of(response).url, [*refs, *written], on_homepage, hidden, blocks)


def list_records(column_url, entries, urls, page_url, start):
    """A list page's entries (``urls``: their snapshot URLs): list items and link sources."""
    for pos, (entry, url) in enumerate(zip(entries, urls), start=start):
        yield it.ListItemItem(column_url=column_url, url=url, title=entry.title, full_title=entry.full_title,
                              date_raw=entry.date_raw, date=entry.date, page_url=page_url, position=pos)
        yield it.LinkSourceItem(target_url=url, source_url=page_url, anchor=(entry.title or "")[:500])


def fetch_error_item(url, error, status=None, request=None):
    referer = (request.headers.get(b"Referer") or b"").decode("latin-1") or None if request is not None else None
    return it.FetchErrorItem(url=url, error=error, status=status, referer=referer)


def document_item(response, url, unit, column_url, facts, encoding, content_hash) -> it.DocumentItem:
    """The document row of a page read as one (``facts``: crawler.extract.document.DocumentFacts)."""
    return it.DocumentItem(
        url=url, final_url=response.url, http_status=response.status, title=facts.title,
        unit=unit, column_url=column_url, fields=facts.fields, fields_raw=facts.fields_raw,
        metas=facts.metas, publish_date=facts.publish_date, written_date=facts.written_date,
        body_text=facts.body_text, attachments=facts.attachments,
        is_interpretation=facts.looks_like_interpretation, encoding=encoding, content_hash=content_hash,
        etag=header(response, b"ETag"), last_modified=header(response, b"Last-Modified"))


def relation_refs(scope, facts):
    """(kind, canonical target URL, anchor) of a document's 解读 / 原文 links."""
    for kind, refs in (("interpretation", facts.interpretation_links), ("original", facts.original_links)):
        for ref in refs:
            yield kind, scope.canonical(ref.url), (ref.anchor or "")[:500]
