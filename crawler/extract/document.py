"""A detail page → :class:`DocumentFacts` (everything the snapshot's ``document`` row needs)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.extract.content import find_body_container
from crawler.extract.dates import parse_date
from crawler.extract.fields import choose_block, field_of, fields_from_hits, find_hits, unread_labels
from crawler.extract.html import Page, as_page, norm_space, text_of, visible_text
from crawler.extract.page import outgoing_links
from crawler.extract.breadcrumb import breadcrumb_trail
from crawler.extract.relations import find_relations, looks_like_interpretation
from crawler.extract.title import extract_title
from crawler.extract.urls import is_attachment_url
from crawler.items import LinkRef
from govaudit.core.clock import epoch_day

_FILENAME = re.compile(r"[^/?#=&]+\.(?:\w{2,4})(?=$|[?&#])")


@dataclass
class DocumentFacts:
    """What a detail page shows.  ``fields`` keys are the canonical names of ``CANONICAL_FIELDS``."""
    url: str
    title: str = ""
    title_source: str = ""                  # visible | meta | field | title_tag | none
    meta_title: str = ""                    # the ArticleTitle meta as written (markup poured into it kept)
    fields: dict = field(default_factory=dict)
    fields_raw: list = field(default_factory=list)       # [[label as seen, value, canonical, label as displayed], ...]
    unread_labels: list = field(default_factory=list)    # [[label, value], ...] in the block that no known label reads
    metas: dict = field(default_factory=dict)            # every <meta name=…> of the page
    publish_date: str | None = None         # ISO, from the visible 发布日期 only
    written_date: str | None = None         # ISO, from the visible 成文日期 only
    body_text: str = ""
    attachments: list = field(default_factory=list)      # [{"url":..., "name":...}]
    interpretation_links: list[LinkRef] = field(default_factory=list)   # this page → its 解读
    original_links: list[LinkRef] = field(default_factory=list)         # this page (a 解读) → 原文
    links: list[LinkRef] = field(default_factory=list)   # every outgoing link
    looks_like_interpretation: bool = False
    column_name: str | None = None          # ColumnName meta or the breadcrumb's last step
    breadcrumb: list = field(default_factory=list)


# A page this much like one document is not a list or a hub, whatever frames, related-link
# blocks or navigation it also carries (a list still wins when it shows this many entries).
ARTICLE_BODY_CHARS = 150       # text of an explicit article container (#zoom, .TRS_Editor …)
LONG_TEXT_CHARS = 800          # text of the densest block when no container marks the article
LIST_ENTRIES_OVER_DOCUMENT = 3


def document_evidence(page: Page) -> str | None:
    """Why the page reads as one document — its visible metadata block (two or more of the seven
    fields), an article body, a long text — or None."""
    memo = page.memo.get("document_evidence", False)
    if memo is not False:
        return memo
    container, strong = find_body_container(page)
    block = choose_block(find_hits(page), container if strong else None)
    named = sorted({f for f in map(field_of, block) if f})
    body_len = len(text_of(container)) if container is not None else 0
    why = None
    if len(named) >= 2:
        why = "metadata block (" + "、".join(named) + ")"
    elif strong and body_len >= ARTICLE_BODY_CHARS:
        why = f"article body <{container.tag} {_describe(container)}> ({body_len} chars)"
    elif body_len >= LONG_TEXT_CHARS:
        why = f"long text in <{container.tag} {_describe(container)}> ({body_len} chars)"
    elif _article_meta(page):
        why = f"ArticleTitle meta of an article page ({_article_meta(page)[:40]})"
    page.memo["document_evidence"] = why
    return why


def entries_beside_article(page: Page, urls) -> bool:
    """Do the dated links ``urls`` a list reader found all stand beside the page's article — none of
    them linked from its body container, which holds an article's text?  A detail page's 最新公开,
    相关阅读 and 热点推荐 boxes do; a column page's own list is its main content."""
    urls = set(urls)
    container, _strong = find_body_container(page)
    if not urls or container is None or len(text_of(container)) < ARTICLE_BODY_CHARS:
        return False
    inside = {page.resolve(a.get("href")) for a in container.iter("a") if a.get("href")}
    return not urls & inside


def _article_meta(page: Page) -> str:
    """The ArticleTitle meta that CMS templates (Hanweb, TRS, ucap) print on article pages only."""
    title = norm_space(page.meta("ArticleTitle") or "")
    return title if title and title != norm_space(page.meta("ColumnName") or "") else ""


def _describe(el) -> str:
    return " ".join(f'{k}="{el.get(k)}"' for k in ("id", "class") if el.get(k))


def breadcrumb(page: Page) -> list[str]:
    """当前位置：首页 > 信息公开 > 政策解读 → ['首页', '信息公开', '政策解读'] (the step names of
    :func:`crawler.extract.position.breadcrumb_trail`)."""
    return [step["name"] for step in breadcrumb_trail(page)]


def _attachment_name(ref: LinkRef) -> str:
    if ref.anchor:
        return ref.anchor
    m = _FILENAME.search(ref.url)
    return m.group(0) if m else ref.url.rsplit("/", 1)[-1]


def _field_date(value) -> str | None:
    """A date field's day (ISO): its text, or the Unix time a script shows as a date."""
    day = parse_date(value)
    if day is None and (epoch := epoch_day(value)) is not None:
        day = epoch.isoformat()
    return day


def extract_document(url: str, html) -> DocumentFacts:
    """Title, fields, dates, body, attachments, 解读 relations and links of a detail page."""
    page = as_page(url, html)
    container, strong = find_body_container(page)
    block = choose_block(find_hits(page), container if strong else None)
    fields, raw = fields_from_hits(block)
    title, title_source = extract_title(page, raw, container)
    links = outgoing_links(url, page)
    attachments = [{"url": r.url, "name": _attachment_name(r)} for r in links
                   if r.tag == "attachment" or (r.tag == "a" and is_attachment_url(r.url))]
    crumbs = breadcrumb(page)
    column_name = page.meta("ColumnName") or (crumbs[-1] if crumbs else None)
    is_interp = looks_like_interpretation(title) or bool(
        column_name and "解读" in column_name and "原文" not in column_name)
    interpretation, original = find_relations(page, container, title, is_interpretation=is_interp)
    return DocumentFacts(
        url=page.url,
        title=title,
        title_source=title_source,
        meta_title=norm_space(page.meta("ArticleTitle") or ""),
        fields=fields,
        fields_raw=raw,
        unread_labels=unread_labels(page, block),
        metas=dict(page.metas),
        publish_date=_field_date(fields.get("发布日期")),
        written_date=_field_date(fields.get("成文日期")),
        body_text=visible_text(container if container is not None else page.body),
        attachments=attachments,
        interpretation_links=interpretation,
        original_links=original,
        links=links,
        looks_like_interpretation=is_interp,
        column_name=column_name or None,
        breadcrumb=crumbs,
    )
