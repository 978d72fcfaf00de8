"""The main content container of a detail page and its text.

Strong signals first — the containers real CMS templates use and crawlers key on (#zoom,
.TRS_Editor / .TRS_UEDITOR / .trs_editor_view, #UCAP-CONTENT, the ContentStart meta marker,
<article>) — then the block holding the most paragraph text.
"""
from __future__ import annotations

import re

from crawler.extract.html import SKIP_TAGS, Page, attr_words, is_hidden, text_content, visible_text
from crawler.extract.layout import within, words

_STRONG_IDS = ("zoom", "ucap-content", "barrierfree_content", "artibody", "article_content", "articlecontent")
_STRONG_CLASS = re.compile(r"\b(?:trs_editor|trs_ueditor|trs_editor_view|trs_paper_default|view\s+trs_)", re.I)
_WEAK_WORDS = re.compile(
    r"(?:^|[\s_-])(?:content|contents|zw|zhengwen|article|detail|main-?txt|con_?text|text|artile_zw|"
    r"wzxq|news_?content|info_?content|txt|bd|body|con)(?:$|[\s_-])", re.I)
# Not "columns": a .left/.right column is a rail only when it does not hold the content (layout.py),
# and table-layout templates put the article itself in <td class="right">; marking it chrome made a
# short article (a 印发 notice whose text is the attachment) lose to the footer.
_CHROME = words("nav", "header", "top", "footer", "side", "widgets", "crumb")
_TEXT_TAGS = ("p", "div", "span", "font", "td", "li", "section", "h2", "h3", "h4", "pre", "blockquote")


def _strong_container(page: Page):
    root = page.tree
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in SKIP_TAGS:
            continue
        el_id = (el.get("id") or "").lower()
        if el_id in _STRONG_IDS:
            return el
        cls = el.get("class")
        if cls and _STRONG_CLASS.search(cls):
            return el
    marker = root.find(".//meta[@name='ContentStart']")
    if marker is not None and marker.getparent() is not None and marker.getparent().tag != "head":
        return marker.getparent()
    articles = [a for a in root.iter("article") if not is_hidden(a)]
    if len(articles) == 1:
        return articles[0]
    return None


def _densest_container(page: Page):
    """The element whose direct text-bearing children hold the most text."""
    score: dict = {}
    for el in page.body.iter(*_TEXT_TAGS):
        if is_hidden(el):
            continue
        own = len((el.text or "").strip()) + sum(len((c.tail or "").strip()) for c in el)
        if el.tag == "p" or own:
            n = own if el.tag != "p" else len(text_content(el).strip())
            if n < 10:
                continue
            parent = el.getparent()
            if parent is None:
                continue
            score[parent] = score.get(parent, 0) + n
            grand = parent.getparent()
            if grand is not None:
                score[grand] = score.get(grand, 0) + n // 2
    best, best_score = None, 0
    for el, n in score.items():
        if el.tag in ("body", "html"):
            continue
        if within(el, _CHROME):
            n = n // 4                    # text in a rail or a footer is rarely the article
        elif _WEAK_WORDS.search(attr_words(el)):
            n = int(n * 1.5)
        if n > best_score:
            best, best_score = el, n
    return best


def find_body_container(page: Page):
    """(element, strong) — the main content container and whether a strong signal found it."""
    cached = getattr(page, "_body_container", None)
    if cached is not None:
        return cached
    el = _strong_container(page)
    result = (el, True) if el is not None else (_densest_container(page), False)
    page._body_container = result
    return result


def body_text(page: Page) -> str:
    el, _strong = find_body_container(page)
    return visible_text(el if el is not None else page.body)
