"""Where an element sits on the page: page chrome (nav, header, footer, side rails, widgets) or
the main column.  One vocabulary of class/id words, shared by every extractor.

Words are matched as whole parts of class/id values (``side``, ``news-side``, ``side_box``; not
``inside``).  "left"/"right" are deliberately not chrome by themselves: many templates put the
catalogue tree in ``.left`` and the content — list or article — in ``.right``; a ``.left`` or
``.right`` column is a rail only when it does not hold the page's main content (:func:`in_rail`).
"""
from __future__ import annotations

import re

from crawler.extract.html import ancestors, attr_words

CHROME_TAGS = frozenset({"nav", "header", "footer", "aside"})

WORDS = {
    "nav": "nav|navbar|menu|dh|topnav|mainnav",
    "header": "header|topbar|banner|logo",
    "top": "top",
    "footer": "footer|foot|bottom|copyright|banquan",
    "side": "side|sidebar|aside|rightbar|leftbar|slide",
    "widgets": "hot|rank|ranking|recommend|tuijian|tj|xgwz|xgxx|related|links|friend|yqlj|share|toolbar",
    "calendar": "calendar|rili|datepicker|date-picker",
    "crumb": "breadcrumb|crumb|position|location|dqwz",
    # a bare "page" class is a pager; "page-content" / "main-page" are not
    "pager": "(?<![_-])page(?![_-])|pager|pages|pagination|fenye|pagebar|pagenav|page_?box",
    "columns": "left|right",
}


def words(*groups: str) -> re.Pattern:
    """A pattern matching any word of the named groups as a whole part of a class/id."""
    alternatives = "|".join(WORDS[g] for g in groups)
    return re.compile(r"(?:^|[\s_-])(?:" + alternatives + r")(?:$|[\s_-])", re.I)


def within(el, pattern: re.Pattern, tags=CHROME_TAGS, include_self: bool = True) -> bool:
    """Is ``el`` (or an ancestor) one of ``tags`` or classed with a word of ``pattern``?"""
    chain = [el, *ancestors(el)] if include_self else ancestors(el)
    for a in chain:
        if a.tag in tags:
            return True
        w = attr_words(a)
        if w.strip() and pattern.search(w):
            return True
    return False


_COLUMNS = words("columns")


def contains(outer, inner) -> bool:
    return inner is not None and (outer is inner or any(a is outer for a in ancestors(inner)))


def in_rail(el, main, pattern: re.Pattern) -> bool:
    """Chrome (``pattern``), or a left/right column that does not hold ``main`` (the content)."""
    if within(el, pattern):
        return True
    for a in [el, *ancestors(el)]:
        w = attr_words(a)
        if w.strip() and _COLUMNS.search(w):
            return main is not None and not contains(a, main)
    return False
