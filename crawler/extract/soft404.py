"""Soft 404: an HTTP 200 page that says the page does not exist.

The page-side test is here; the link checker confirms it by fetching a random path on the same
host and comparing the two answers with :func:`similar_pages` (as GSA Site Scanning does).
"""
from __future__ import annotations

import difflib
import re

from crawler.extract.html import Page, as_page, norm_space

MAX_TEXT_CHARS = 2048       # a not-found page is small; a real page saying "找不到" in its text is not
MAX_BYTES = 64 * 1024       # bigger bodies are real pages (or templates with a full site chrome)
SIMILARITY = 0.9

_NOT_FOUND = re.compile(
    r"找不到|页面不存在|网页不存在|文章不存在|信息不存在|内容不存在|无法找到|未找到|没有找到|错误页面|页面错误|出错了"
    r"|已被删除|已删除|已经删除|已下线|已撤稿|不存在或已|访问的页面|您所访问|您访问的|无法访问"
    r"|page\s+not\s+found|not\s+found|does\s+not\s+exist|\b404\b",
    re.I,
)


def _visible(text_or_html) -> tuple[str, str]:
    """(visible text, <title>) of an HTML string, a Page, or plain text."""
    if isinstance(text_or_html, Page):
        return text_or_html.text, text_or_html.title_tag
    s = text_or_html or ""
    if "<" in s and ">" in s:
        page = as_page("", s)
        return page.text, page.title_tag
    return s, ""


def looks_like_soft404(status: int | None, text, size: int | None = None,
                       max_text_chars: int = MAX_TEXT_CHARS, max_bytes: int = MAX_BYTES) -> bool:
    """HTTP 200 + small page + a not-found phrase in its title or text."""
    if status is not None and status != 200:
        return False
    if size is not None and size > max_bytes:
        return False
    visible, title = _visible(text)
    visible = norm_space(visible)
    if len(visible) > max_text_chars:
        return False
    if not visible and not title:
        return False
    return bool(_NOT_FOUND.search(title) or _NOT_FOUND.search(visible))


# URLs, paths and numbers a not-found template echoes back differ between two probes.
_ECHO = re.compile(r"(?:https?://)?[\w.-]*(?:/[\w.%~+=&?;-]*)+|\d+")


def _comparable(page) -> str:
    text, title = _visible(page)
    return norm_space(_ECHO.sub(" ", title + " " + text))


def page_similarity(a, b) -> float:
    """0..1 similarity of two pages' visible text (1 = same page), echoed paths ignored."""
    ta, tb = _comparable(a), _comparable(b)
    if not ta and not tb:
        return 1.0
    matcher = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    if matcher.real_quick_ratio() < SIMILARITY * 0.5:
        return matcher.real_quick_ratio()
    return matcher.ratio()


def similar_pages(a, b, threshold: float = SIMILARITY) -> bool:
    """Do two answers look like the same page (e.g. a link's answer and a random-path probe)?

    Text that merely echoes the requested path differs little, so templates that print the
    missing URL still compare as similar.
    """
    return page_similarity(a, b) >= threshold
