"""A page's breadcrumb (当前位置：首页 > 信息公开 > 政策文件): the steps, their links and the element
that shows them.

Real sites share a few conventions, and nothing else is needed to read them:

- a prefix: 当前位置 / 您的位置 / 您的当前位置 / 您当前所在位置 / 您现在的位置是 / 所在位置, colon of either width,
  any whitespace; the steps may be in the same line or in the cells / list items after it;
- a box whose class or id says breadcrumb (crumb, position, location, dqwz, bread, nav-path …; the
  weaker wz, current, path only with an arrow-separated chain);
- a line of links joined by arrows from the site's home to a column holding the page
  (中国科普网 > 时政新闻 >), without prefix or box.

Steps are separated by > ＞ » › → 〉 ｜ | / (``&gt;`` and ``&gt;&gt;`` included), or stand in
list items / table cells of their own.  The trail ends at the first piece that is no step (the
字号：/打印 tools in the same box, a long text).
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.extract.html import (BLOCK_TAGS, LINK_CLOSE, LINK_OPEN, SKIP_TAGS, Page, attr_words,
                                    is_hidden, norm_space, strip_marks, text_of)

# 当前位置 / 您的位置 / 您的当前位置 / 您当前所在位置 / 您现在的位置是 / 所在位置：, colon of either
# width (none needed after a qualified 位置), any whitespace between.
_PREFIX = re.compile(r"(?:您\s*)?(?:的\s*)?(?:(?:当前|现在|目前)\s*)?(?:(?:所在|的)\s*){0,2}位\s*置\s*(?:是\s*)?(?:[:：]\s*)?")
_QUALIFIED = re.compile(r"您|当前|现在|目前|所在|的")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LEAD = 8                       # characters a prefix may stand after in its line (an icon's alt, a space)


def prefix_match(text: str):
    """The 当前位置 prefix at the start of ``text`` (after at most a few non-Chinese characters),
    or None: 地理位置：… is no prefix."""
    for m in _PREFIX.finditer(text[:_LEAD + 16]):
        if m.start() > _LEAD or _CJK.search(text[:m.start()]):
            return None
        said = m.group(0)
        if "位" in said and (re.search(r"[:：]", said) or _QUALIFIED.search(said)):
            return m
    return None


# Steps are separated by > ＞ » › → ｜ | / (and &gt;&gt;); a menu is a row of | or / links, so a
# trail without a 当前位置 prefix or a breadcrumb box must use the arrow family.
_SEP = re.compile(r"\s*(?:>>|>|»|＞|›|→|〉|｜|\||/|\\)\s*")
_ARROWS = re.compile(r"^[\s>»＞›→〉]+$")
# Words of a breadcrumb box's class/id: strong ones alone make a box; weak ones (current, path,
# wz …) are also used for other things, so their box must show an arrow-separated chain.
_STRONG_BOX = re.compile(r"crumb|(?:^|[\s_-])(?:position(?!-(?:relative|absolute|fixed|static|sticky))|location|"
                         r"dqwz|mbx|weizhi|bread|nav-?path|daohang-?path|curpos|cur-?pos)(?:$|[\s_-]|\d)", re.I)
_WEAK_BOX = re.compile(r"(?:^|[\s_-])(?:wz|current|path|local|loc|pos)(?:$|[\s_-]|\d)", re.I)
_ITEM_TAGS = frozenset({"li", "td", "th", "dd", "dt"})
MAX_CRUMBS = 12
MAX_CRUMB_LEN = 40
MAX_BOX_CHARS = 600             # a box with more text than this is a page section, not a trail
_SCAN_RUNS = 400


def _tokens(box, page: Page):
    """The box's visible content in order: ("link", text, href), ("text", text) and ("item",) at
    the start of each list item / table cell (the CSS-drawn separator of <li> trails)."""
    rules = page.hidden_rules
    out = []

    def walk(el):
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if tag is not None and tag not in SKIP_TAGS and not is_hidden(el, rules):
            if tag == "a":
                out.append(("link", text_of(el), el.get("href")))
            else:
                if tag in _ITEM_TAGS:
                    out.append(("item",))
                elif tag in BLOCK_TAGS or tag == "br":
                    out.append(("block",))
                if el.text:
                    out.append(("text", el.text))
                for child in el:
                    walk(child)
        if el.tail and el is not box:
            out.append(("text", el.tail))

    walk(box)
    return out


def _trail_of(box, page: Page, prefixed: bool) -> tuple[list[dict], bool]:
    """(steps, arrows) of a breadcrumb box: the steps after the 当前位置 prefix (when ``prefixed``),
    joined by separators, list items or links that follow each other; the trail ends at the first
    step that is no step (a 字号：/打印 tool row, a long text) or comes without a separator.
    ``arrows``: every separator was of the arrow family."""
    tokens = _tokens(box, page)
    if prefixed:
        for i, tok in enumerate(tokens):
            m = tok[0] == "text" and prefix_match(norm_space(tok[1]))
            if m:
                tokens = [("text", norm_space(tok[1])[m.end():])] + tokens[i + 1:]
                break
        else:
            return [], False
    steps: list[dict] = []
    separated, arrows, last_link = True, True, False
    for tok in tokens:
        kind = tok[0]
        if kind == "item":
            separated = True
            continue
        if kind == "block":
            continue
        if kind == "link":
            pieces = [(tok[1], tok[2])]
        else:
            pieces = []
            for part in re.split(r"(" + _SEP.pattern + r")", tok[1]):
                if _SEP.fullmatch(part or "") and part.strip():
                    pieces.append((None, "sep"))
                    arrows = arrows and bool(_ARROWS.match(part))
                elif norm_space(part):
                    pieces.append((norm_space(part), None))
        for name, href in pieces:
            if href == "sep":
                separated = True
                continue
            name = norm_space(name).strip(" :：")
            if not name:
                continue
            linked = kind == "link"
            if (not separated and not (linked and last_link)) or len(name) > MAX_CRUMB_LEN \
                    or re.search(r"[:：]", name) or len(steps) >= MAX_CRUMBS:
                return steps, arrows
            steps.append({"name": name, "url": page.resolve(href) if href else None})
            separated, last_link = False, linked
    return steps, arrows


def _box_text_len(el) -> int:
    return len(text_of(el))


def _from_prefix(page: Page):
    for run in page.runs[:_SCAN_RUNS]:
        plain = norm_space(run.text)
        m = prefix_match(plain)
        if not m:
            continue
        box, best = run.el, None
        for _ in range(4):
            # The prefix may stand alone in its cell (当前位置：| 首页 | > 信息公开 …) or list item
            # (<li>当前位置：首页</li><li>政务信息</li>…): widen to the row that holds the steps.
            steps, _arrows = _trail_of(box, page, prefixed=True)
            if best is not None and len(steps) <= len(best[0]):
                break
            if len(steps) >= 2 or (steps and _QUALIFIED.search(m.group(0))):
                best = steps, box
            if best is not None and box.tag not in _ITEM_TAGS:
                break
            box = box.getparent()
            if box is None or box.tag in ("body", "html") or _box_text_len(box) > MAX_BOX_CHARS:
                break
        if best is not None:
            return best
    return None


def _from_box(page: Page):
    for el in page.body.iter():
        if not isinstance(el.tag, str) or el.tag in SKIP_TAGS:
            continue
        words = attr_words(el)
        strong = bool(_STRONG_BOX.search(words))
        if not strong and not _WEAK_BOX.search(words):
            continue
        if el.tag == "a" or _box_text_len(el) > MAX_BOX_CHARS:
            continue
        steps, arrows = _trail_of(el, page, prefixed=False)
        links = sum(1 for s in steps if s["url"])
        if len(steps) >= 2 and links and (strong or arrows):
            return steps, el
    return None


def _root_link(url: str | None, page: Page) -> bool:
    """Does ``url`` lead to the site's (or a platform's) home: /, /index.html, /xxgk/index.shtml?"""
    if not url:
        return False
    parts, own = urlsplit(url), urlsplit(page.url)
    path = re.sub(r"(?:index|default|main)\.\w+$", "", parts.path)
    return parts.netloc == own.netloc and path.count("/") <= 2


def _from_chain(page: Page):
    """A line that is only links joined by arrows (中国科普网 > 时政新闻 >), from the site's home
    link to a column that holds this page (its directory is a prefix of the page's URL)."""
    for run in page.runs[:_SCAN_RUNS]:
        if not run.links or len(run.links) < 2:
            continue
        outside = re.sub(LINK_OPEN + ".*?" + LINK_CLOSE, "", run.text, flags=re.S)
        outside = strip_marks(outside)
        if not outside.strip() or not _ARROWS.match(outside):
            continue
        steps, arrows = _trail_of(run.el, page, prefixed=False)
        if len(steps) < 2 or not arrows or not all(s["url"] for s in steps):
            continue
        last = steps[-1]["url"].split("?")[0].rsplit("/", 1)[0] + "/"
        if _root_link(steps[0]["url"], page) and (page.url.startswith(last) or steps[-1]["url"] == page.url):
            return steps, run.el
    return None


def _found(page: Page):
    memo = page.memo.get("breadcrumb")
    if memo is None:
        memo = page.memo["breadcrumb"] = _from_prefix(page) or _from_box(page) or _from_chain(page) or ([], None)
    return memo


def breadcrumb_trail(page: Page) -> list[dict]:
    """The breadcrumb as [{"name", "url"}] (url None for a step shown without a link), first step
    first; [] when the page shows none.  Found, in order: after a 当前位置/您的位置 prefix; in a
    box whose class/id says breadcrumb (crumb, position, location, dqwz …); as a line of links
    joined by arrows from the site's home to a column holding the page."""
    return [dict(s) for s in _found(page)[0]]


def breadcrumb_box(page: Page):
    """The element holding the page's breadcrumb (None when it shows none): never a title."""
    return _found(page)[1]
