"""The full title of a detail page.

Candidates: visible headings (h1–h3, elements whose class/id says title), the 标题/名称 metadata
value, the ArticleTitle meta and the segments of <title>.  <title> is often
``{单位} - {栏目} - {标题}`` or ``{标题}_{栏目}_{站点}``, so its segments also tell which visible
headings are only the site, unit or column name.  A visible heading wins when it agrees with the
metas; otherwise the best-placed heading that is not a site/column name; then ArticleTitle; then the
metadata value; then the longest <title> segment.  Text ending in … / ... is never a title.
"""
from __future__ import annotations

import re

from crawler.extract.html import BLOCK_TAGS, SKIP_TAGS, Page, ancestors, attr_words, norm_space
from crawler.extract.fields import TITLE_LABELS
from crawler.extract.layout import contains, in_rail, words
from crawler.extract.breadcrumb import breadcrumb_box, breadcrumb_trail

_SEGMENT_SPLIT = re.compile(r"\s+[-–—|｜_]+\s+|\s*[_|｜]\s*|\s+-\s*|\s*-\s+")
_TITLE_CLASS = re.compile(r"(?:^|[\s_-])(?:title|tit|bt|biaoti|headline|con-title|article-title|"
                          r"news_title|art_title|arttitle|doc-title|xxgk_title|detail-title|wz_title)(?:$|[\s_-]|\d)",
                          re.I)
_NOT_TITLE_CLASS = re.compile(r"sub-?title|small-title|title-?bar|lm|column|nav|menu|logo|site|crumb|position",
                              re.I)
# Not "top"/"head": an article's own head block (.article-head, .detail-top) holds its title.
_CHROME = words("nav", "header", "footer", "side", "crumb")
_SITE_SUFFIX = re.compile(r"(?:人民政府|政府网站?|门户网站|政务网|信息公开(?:网|平台)?)$")


def is_truncated(text: str) -> bool:
    t = (text or "").rstrip()
    return t.endswith("…") or t.endswith("...") or t.endswith("..") or t.endswith("．．．")


_CJK = "\u4e00-\u9fff，。、；：《》“”‘’（）〔〕【】"
_BROKEN_LINE = re.compile(f"(?<=[{_CJK}])[ \t]*[\r\n][ \t\r\n]*(?=[{_CJK}])")


def heading_text(el) -> str:
    """A heading's text; a long title wrapped over two lines (<br> or a source line break)
    between Chinese characters reads as one line, without a space."""
    parts = [el.text or ""]
    for node in el.iterdescendants():
        if isinstance(node.tag, str) and node.tag == "br":
            parts.append("\n")
        elif isinstance(node.tag, str) and node.text and node.tag not in SKIP_TAGS:
            parts.append(node.text)
        if node.tail:
            parts.append(node.tail)
    return norm_space(_BROKEN_LINE.sub("", "".join(parts)))


def title_segments(title_tag: str) -> list[str]:
    return [s for s in (norm_space(x) for x in _SEGMENT_SPLIT.split(title_tag or "")) if s]


def _in_chrome(el, main) -> bool:
    return in_rail(el, main, _CHROME)


_LABELLED = re.compile(r"[\u4e00-\u9fff]{1,6}\s*[:：]")


def _classed_title_text(el) -> str:
    """The text of a title-classed box; a box that also holds the 来源：/作者：/date line below the
    title (div.detail-title > div + ul) gives its first block only."""
    text = heading_text(el)
    if not _LABELLED.search(text):
        return text
    blocks = [c for c in el if isinstance(c.tag, str) and c.tag in BLOCK_TAGS and heading_text(c)]
    if (el.text or "").strip() or not blocks:
        return text
    first = heading_text(blocks[0])
    return text if _LABELLED.search(first) else first


def _visible_candidates(page: Page):
    crumbs = breadcrumb_box(page)
    seen = set()
    for el in page.body.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag
        heading = tag in ("h1", "h2", "h3")
        classed = not heading and bool(_TITLE_CLASS.search(attr_words(el))) and not _NOT_TITLE_CLASS.search(
            attr_words(el))
        if not (heading or classed) or el in seen:
            continue
        if heading and _NOT_TITLE_CLASS.search(attr_words(el)):
            continue
        if crumbs is not None and (contains(el, crumbs) or contains(crumbs, el)):
            continue            # 中国科普网 > 时政新闻 in a .title box is where the page sits, not its title
        text = heading_text(el) if heading else _classed_title_text(el)
        if not (2 <= len(text) <= 300) or is_truncated(text):
            continue
        seen.add(el)
        yield el, text, heading


def _places_above(page: Page) -> set:
    """The linked breadcrumb steps above the page (首页, the unit, the parent column): where the page
    sits, never its title.  A column page showing its one document inline has a <title> of only
    such names (政府信息公开指南_白沙区白沙街道办事处), so none of its segments is the title."""
    here = {page.url, getattr(page, "fetched_url", None)}
    steps = breadcrumb_trail(page)[:-1]      # the last step may be the page itself
    return {norm_space(s["name"]) for s in steps if s.get("url") and s["url"] not in here} - {""}


_MARKUP = re.compile(r"<[^<>]{0,200}>")


def meta_article_title(page: Page) -> str:
    """The ArticleTitle meta as a reader would see it: templates sometimes pour the heading's
    markup into it (``标题<div>——副标题</div>``)."""
    return norm_space(_MARKUP.sub("", page.meta("ArticleTitle") or ""))


def extract_title(page: Page, fields_raw=(), body_container=None) -> tuple[str, str]:
    """(title, source) where source is visible | meta | field | title_tag | none."""
    meta_title = meta_article_title(page)
    if is_truncated(meta_title):
        meta_title = ""
    field_title = next((norm_space(v) for label, v, *_ in fields_raw
                        if re.sub(r"\s+", "", label) in TITLE_LABELS and v), "")
    if is_truncated(field_title):
        field_title = ""
    names = {norm_space(page.meta(n) or "") for n in ("SiteName", "ColumnName", "ColumnType")} - {""}
    places = _places_above(page)
    names |= places
    segments = title_segments(page.title_tag)
    # The title's segment is the longest one that is not a site/unit/column name.
    titleish = [s for s in segments if s not in names and not _SITE_SUFFIX.search(s)]
    longest = max(titleish, key=len) if titleish else ""
    names.update(s for s in segments if s != longest)
    body_start = body_container

    best, best_score = None, 0
    for el, text, heading in _visible_candidates(page):
        if text in names:
            continue
        score = 0
        if text == meta_title or text == field_title:
            score += 10
        elif text == longest:
            score += 6
        elif meta_title and meta_title.startswith(text) and 2 * len(text) >= len(meta_title):
            score += 6          # the meta adds the 文号 or a subtitle to the title shown
        elif meta_title and text in meta_title:
            score -= 2
        elif longest and text in page.title_tag:
            score += 3
        score += {"h1": 3, "h2": 2, "h3": 1}.get(el.tag, 2)
        if len(text) >= 6:
            score += 1
        if _in_chrome(el, body_start):
            score -= 4
        if body_start is not None and (el is body_start or any(a is body_start for a in ancestors(el))):
            score -= 3
        if _SITE_SUFFIX.search(text):
            score -= 3
        if score > best_score:
            best, best_score = text, score
    if best is not None and best_score >= 3:
        return best, "visible"
    if meta_title:
        return meta_title, "meta"
    if field_title:
        return field_title, "field"
    if longest:
        return longest, "title_tag"
    if best is not None:
        return best, "visible"
    rest = [s for s in segments if s not in places] or segments    # 栏目_单位: the column's name, not the unit's
    fallback = max(rest, key=len) if rest else ""
    return fallback, "title_tag" if fallback else "none"
