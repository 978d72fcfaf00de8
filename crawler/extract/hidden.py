"""How each link of a page is hidden from a reader (facts for the 暗链 audit, never a verdict).

For every ``<a href>`` / ``<iframe src>`` the signals seen on it or on an ancestor (a target also
shown openly, as a link or as a visible jump-menu ``<option value>``, counts as shown): its inline
``style``, the page's own ``<style>`` rules (a bounded selector match with cssselect), the
``hidden`` attribute, a zero-sized iframe, a ``<marquee>`` or ``<noscript>`` around it; and links
written by ``document.write`` in inline scripts.  Signals:

display_none, visibility_hidden, opacity_0, font_size_0, text_indent, offscreen, zero_size, clip,
hidden_attr, marquee, noscript, document_write
"""
from __future__ import annotations

import html as htmlmod
import re

from cssselect import GenericTranslator, SelectorError
from lxml import etree

from crawler.extract.html import as_page, norm_space
from crawler.items import LinkRef

MAX_RULES = 300          # <style> rules read per page
MAX_SELECTOR = 200       # characters of one selector
MAX_DEPTH = 15           # ancestors looked at per link
MAX_SCRIPT = 200_000     # characters of inline script read for document.write
MAX_CSS = 400_000        # characters of <style> read

_DECLS = (
    ("display_none", re.compile(r"display\s*:\s*none", re.I)),
    ("visibility_hidden", re.compile(r"visibility\s*:\s*hidden", re.I)),
    ("opacity_0", re.compile(r"(?<![-\w])opacity\s*:\s*0*(?:\.0+)?\s*(?:;|!|$)", re.I)),
    ("font_size_0", re.compile(r"font-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:;|!|$)", re.I)),
    ("text_indent", re.compile(r"text-indent\s*:\s*-\s*\d{3,}", re.I)),
    ("offscreen", re.compile(r"(?:^|[;\s])(?:left|top|right|margin-left|margin-top)\s*:\s*-\s*\d{3,}", re.I)),
    ("clip", re.compile(r"clip\s*:\s*rect\(\s*0|clip-path\s*:\s*inset\(\s*50%", re.I)),
)
_ZERO = re.compile(r"(?:^|[;\s])(?:width|height)\s*:\s*[01](?:px)?\s*(?:;|!|$)", re.I)
_OVERFLOW_HIDDEN = re.compile(r"overflow\s*:\s*hidden", re.I)
_SHOWS = re.compile(r"display\s*:\s*(?!none)[a-z]|visibility\s*:\s*visible", re.I)
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_WRITE = re.compile(r"document\.write(?:ln)?\s*\(\s*(['\"])(.{0,2000}?)\1\s*\)", re.S)
_WRITTEN_A = re.compile(r"<a\b[^>]*?href\s*=\s*['\"\\]*([^'\"\\ >]+)[^>]*>(.{0,200}?)</a>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")


def style_signals(style: str) -> list[str]:
    """The hiding signals of one declaration block."""
    if not style:
        return []
    found = [name for name, pattern in _DECLS if pattern.search(style)]
    if _ZERO.search(style) and _OVERFLOW_HIDDEN.search(style):
        found.append("zero_size")
    return found


def _rules(css: str, in_media: bool = False):
    """(selector, declarations, inside an @media block) of a style sheet's rules, one level of
    @media / @supports blocks opened (not print styles: they show nothing on a screen)."""
    depth, start = 0, 0
    for pos, ch in enumerate(css):
        if ch == "{":
            if depth == 0:
                selector = css[start:pos].rsplit(";", 1)[-1].strip()     # after @charset "…"; and the like
                body_start = pos + 1
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                if not selector.startswith("@"):
                    yield selector, css[body_start:pos], in_media
                elif (not in_media and selector[1:].lower().startswith(("media", "supports"))
                      and "print" not in selector.lower()):
                    yield from _rules(css[body_start:pos], in_media=True)
                start = pos + 1


def _elements(page, selectors: str, translator) -> list:
    out = []
    for selector in selectors[:2000].split(","):
        selector = selector.strip()
        if not selector or len(selector) > MAX_SELECTOR:
            continue
        try:
            out += page.tree.xpath(translator.css_to_xpath(selector))
        except (SelectorError, etree.XPathError, ValueError):
            continue
    return out


def _styled(page) -> dict:
    """element -> signals from the page's own <style> rules (bounded).  A rule inside an @media
    block hides an element on some screens only: no signal.  An element hidden at the top level
    but shown by an @media rule (a mobile layout: ``.wap{display:none}`` and, for phones,
    ``.wap{display:block}``) is shown to the readers of those screens: not display_none either."""
    out: dict = {}
    css = "\n".join(s.text or "" for s in page.tree.iter("style"))
    if not css:
        return out
    translator = GenericTranslator()
    responsive: set = set()
    for n, (selectors, body, in_media) in enumerate(_rules(_COMMENT.sub("", css)[:MAX_CSS])):
        if n >= MAX_RULES:
            break
        body = body[:4000]
        if in_media:
            if _SHOWS.search(body):
                responsive.update(_elements(page, selectors, translator))
            continue
        signals = style_signals(body)
        if signals:
            for el in _elements(page, selectors, translator):
                out.setdefault(el, []).extend(signals)
    for el in responsive & set(out):
        out[el] = [s for s in out[el] if s not in ("display_none", "visibility_hidden")]
    return out


def _own(el, styled) -> list[str]:
    found = list(styled.get(el, ()))
    found += style_signals(el.get("style") or "")
    if el.get("hidden") is not None:
        found.append("hidden_attr")
    if el.tag in ("iframe", "frame") and (el.get("width") in ("0", "1") or el.get("height") in ("0", "1")):
        found.append("zero_size")
    if el.tag == "marquee":
        found.append("marquee")
    if el.tag == "noscript":
        found.append("noscript")
    return found


MAX_PANELS = 12     # a tabbed box has a few panels, not a page of look-alike blocks
_ABSOLUTE = re.compile(r"https?://", re.I)


def _panel_key(el):
    """What a set of switchable panels shares: tag and class, or tag and id without its number
    (<ul class="tab-con" id="con1">, <div id="tab_2">)."""
    cls = " ".join((el.get("class") or "").split())
    if cls:
        return el.tag, "class", cls
    ident = re.sub(r"\d+", "#", el.get("id") or "")
    return (el.tag, "id", ident) if "#" in ident else None


def _tab_panel(el, own, styled) -> bool:
    """A tabbed box's closed panel: hidden by display:none alone, among sibling panels of the same
    tag and class (or numbered id) of which one is shown.  Its links are the site's own box
    content, shown when the reader clicks the tab, not links hidden from readers."""
    if set(own) != {"display_none"} or el.getparent() is None:
        return False
    key = _panel_key(el)
    if key is None:
        return False
    panels = [c for c in el.getparent() if isinstance(c.tag, str) and c is not el and _panel_key(c) == key]
    return 0 < len(panels) < MAX_PANELS and any(not _own(c, styled) and c.find(".//a") is not None for c in panels)


def _signals(el, styled) -> tuple[list[str], object]:
    """The hiding signals of an element and its ancestors, and the nearest element that hides it
    (a closed tab panel's display:none is named tab_panel)."""
    signals: list[str] = []
    hider = None
    node, depth = el, 0
    while node is not None and depth < MAX_DEPTH and isinstance(node.tag, str):
        own = _own(node, styled)
        if own and _tab_panel(node, own, styled):
            own = ["tab_panel"]
        if own and hider is None:
            hider = node
        signals += own
        node, depth = node.getparent(), depth + 1
    return signals, hider


def link_hiding(url: str, html, blocks: bool = False):
    """({target URL: hiding signals}, links written by document.write) of a page; with ``blocks``
    also {target URL: path of the element hiding it} ("document.write" for written links).

    A target shown once openly and once hidden counts as shown: only targets every occurrence of
    which is hidden get signals.
    """
    page = as_page(url, html)
    styled = _styled(page)
    hidden: dict[str, list[str]] = {}
    block_of: dict[str, str] = {}
    shown: set[str] = set()
    tree = page.tree.getroottree()
    for el in page.tree.iter("a", "area", "iframe", "frame"):
        target = page.resolve(el.get("href") if el.tag in ("a", "area") else el.get("src"))
        if not target:
            continue
        signals, hider = _signals(el, styled)
        if signals:
            if blocks and target not in block_of:
                block_of[target] = tree.getpath(hider)
            hidden.setdefault(target, [])
            hidden[target] += [s for s in signals if s not in hidden[target]]
        else:
            shown.add(target)
    # A 友情链接 jump menu (<select onchange="window.open(this.value)">) names its sites openly: a
    # target one of its shown options holds is shown, whatever hidden copy of the menu the page keeps.
    for el in page.tree.iter("option"):
        value = (el.get("value") or "").strip()
        if _ABSOLUTE.match(value) and not _signals(el, styled)[0]:
            shown.add(page.resolve(value))
    written: list[LinkRef] = []
    scripts = "".join((s.text or "") for s in page.tree.iter("script") if not s.get("src"))[:MAX_SCRIPT]
    for m in _WRITE.finditer(scripts):
        for a in _WRITTEN_A.finditer(m.group(2)):
            target = page.resolve(htmlmod.unescape(a.group(1)))
            if target:
                written.append(LinkRef(url=target, anchor=norm_space(_TAGS.sub("", a.group(2))), tag="a"))
                hidden.setdefault(target, [])
                block_of.setdefault(target, "document.write")
                if "document_write" not in hidden[target]:
                    hidden[target].append("document_write")
    hidden = {t: s for t, s in hidden.items() if t not in shown}
    if blocks:
        return hidden, written, {t: block_of[t] for t in hidden if t in block_of}
    return hidden, written

