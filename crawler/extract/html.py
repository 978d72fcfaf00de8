"""Parsing once per page, and the text views every extractor shares.

Every entry point accepts an HTML string, an lxml tree, or a :class:`Page`.  The spider can
build one ``Page`` per response and pass it to every extractor, so the markup is parsed once
and derived views (visible text, inline scripts, text runs) are computed at most once.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from lxml import etree

from crawler.extract.urls import absolute_url

# Elements whose content is never visible text.
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "select",
    "option", "textarea", "object", "embed", "svg", "math", "iframe", "canvas", "button",
})

# Elements that start a new line / cell when rendered.  Everything else is inline.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
    "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
})

# Markers put into run text at inline element boundaries (never occur in real text).
SOFT = "\x1f"          # any inline element boundary
LINK_OPEN = "\x1d"     # start of an <a>
LINK_CLOSE = "\x1c"    # end of an <a>
MARKS = SOFT + LINK_OPEN + LINK_CLOSE
_MARKS_TABLE = str.maketrans("", "", MARKS)

_WS = re.compile(r"\s+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SHOWN_STYLE = re.compile(r"display\s*:\s*(?!none)[a-z]", re.I)
_CLOSE_ROOT = re.compile(rb"</(?:html|body)\s*>", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)

_local = threading.local()


def _parser() -> etree.HTMLParser:
    # Plain etree elements: walking them is several times faster than lxml.html's element classes.
    # lxml parsers must not be shared between threads.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = etree.HTMLParser(encoding="utf-8", remove_blank_text=False)
    return parser


_EMPTY = b"<html><body></body></html>"


def norm_space(text: str | None) -> str:
    """Collapse every whitespace run (incl. &nbsp; and full-width spaces) to one space; strip."""
    if not text:
        return ""
    return _WS.sub(" ", text.translate(_MARKS_TABLE)).strip()


def parse_html(html: str | bytes):
    """Parse a document (str, or UTF-8 bytes) into an lxml root <html>; never raises on junk."""
    if isinstance(html, str):
        data = _XML_DECL.sub("", html, count=1).encode("utf-8", "replace")
    else:
        data = html
    # A server-side include that is a whole page (header fragments ending in </html>) must not
    # end the document: browsers ignore a stray </body> or </html>, libxml2 stops reading there.
    data = _CLOSE_ROOT.sub(b"", data)
    root = None
    if data.strip():
        try:
            root = etree.fromstring(data, _parser())
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            root = None
    if root is None or not isinstance(root.tag, str):
        root = etree.fromstring(_EMPTY, _parser())
    if root.find("body") is None:
        etree.SubElement(root, "body")
    return root


def parse_fragment(html: str):
    """Parse an HTML fragment (a list record, an endpoint's HTML) under a <div> wrapper."""
    root = parse_html("<html><body><div>" + (html or "") + "</div></body></html>")
    body = root.find("body")
    return body[0] if body is not None and len(body) else root


def strip_marks(text: str) -> str:
    return text.translate(_MARKS_TABLE)


def is_hidden(el, hidden_rules=None) -> bool:
    """Hidden from the reader: [hidden], an inline display:none / visibility:hidden, or one of the
    page's own <style> rules (``hidden_rules``, from :func:`hidden_selectors`)."""
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    if hidden_rules and not (style and _SHOWN_STYLE.search(style)):   # an inline display:block wins
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        ident = el.get("id")
        classes = (el.get("class") or "").split()
        for rule_tag, rule_id, rule_classes in hidden_rules:
            if (rule_tag in (None, tag) and rule_id in (None, ident)
                    and all(c in classes for c in rule_classes) and (rule_id or rule_classes)):
                return True
    return False


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SIMPLE_SELECTOR = re.compile(r"^([a-zA-Z][\w-]*)?((?:[.#][\w-]+)+)$")
MAX_STYLE_CHARS = 200_000    # bounded work on hostile pages


def hidden_selectors(root) -> tuple:
    """The page's own <style> rules that hide an element: ``(tag, id, classes)`` of every simple
    selector (``.meta``, ``#info``, ``div.hide``) whose top-level rule says display:none or
    visibility:hidden.  Rules inside @media and the like (print styles) and selectors with
    combinators are left out: they do not hide the element everywhere."""
    text = "".join(s.text or "" for s in root.iter("style")
                   if (s.get("media") or "all").strip().lower() in ("all", "screen", ""))[:MAX_STYLE_CHARS]
    text = _CSS_COMMENT.sub("", text)
    rules, depth, start, selector = [], 0, 0, ""
    for pos, ch in enumerate(text):
        if ch == "{":
            if depth == 0:
                # after an at-statement (@charset "UTF-8"; @import …;), not part of the selector
                selector = text[start:pos].rsplit(";", 1)[-1]
                start = pos + 1
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                body = text[start:pos]
                if not selector.strip().startswith("@") and "{" not in body and _HIDDEN_STYLE.search(body):
                    for sel in selector.split(","):
                        m = _SIMPLE_SELECTOR.match(sel.strip())
                        if m:
                            parts = re.findall(r"[.#][\w-]+", m.group(2))
                            ids = [p[1:] for p in parts if p[0] == "#"]
                            rules.append(((m.group(1) or "").lower() or None, ids[0] if ids else None,
                                          tuple(p[1:] for p in parts if p[0] == ".")))
                start = pos + 1
    return tuple(rules)


def is_element(el) -> bool:
    return isinstance(el.tag, str)


@dataclass
class Run:
    """A rendered line or cell: the text of one block, inline boundaries marked with SOFT."""
    text: str
    el: object          # the block element that owns the text
    index: int = 0
    links: list = None  # [(offset in text, <a> element)] of the links in this run

    @property
    def plain(self) -> str:
        return norm_space(self.text)


def _build_runs(root, hidden_rules=None) -> list[Run]:
    runs: list[Run] = []
    if hidden_rules is None:
        hidden_rules = hidden_selectors(root)
    buf: list[str] = []
    links: list = []          # (offset in the current run, <a>)
    owner = [root]
    buflen = [0]

    def put(text):
        buf.append(text)
        buflen[0] += len(text)

    def flush(el, keep_empty=False):
        text = "".join(buf)
        if keep_empty or text.translate(_MARKS_TABLE).strip():
            runs.append(Run(text, el, len(runs), list(links)))
        buf.clear()
        links.clear()
        buflen[0] = 0

    def walk(el):
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if tag is None or tag in SKIP_TAGS or tag == "img" or is_hidden(el, hidden_rules):
            pass                                  # comments, scripts, hidden parts: tail only
        elif tag in ("br", "hr"):
            flush(owner[-1])
        elif tag in BLOCK_TAGS:
            flush(owner[-1])
            owner.append(el)
            before = len(runs)
            if el.text:
                put(el.text)
            for child in el:
                walk(child)
            # A leaf cell with nothing in it still counts: it is an empty value.
            flush(el, keep_empty=len(runs) == before)
            owner.pop()
        else:
            is_link = tag == "a"
            if is_link:
                links.append((buflen[0], el))
            put(LINK_OPEN if is_link else SOFT)
            if el.text:
                put(el.text)
            for child in el:
                walk(child)
            put(LINK_CLOSE if is_link else SOFT)
        if el.tail:
            put(el.tail)

    body = root.find("body") if root.tag == "html" else root
    walk(body if body is not None else root)
    flush(owner[-1])
    return runs


def visible_text(el, sep: str = "\n") -> str:
    """Rendered text of an element: scripts, styles and hidden parts removed, one line per block."""
    return sep.join(r.plain for r in _build_runs(el) if r.plain)


class Page:
    """One fetched page: its URL, markup and lazily computed shared views."""

    def __init__(self, url: str, html=None, tree=None):
        self.url = url or ""
        self._html = html if isinstance(html, str) else None
        if tree is None and html is not None and not isinstance(html, str):
            if isinstance(html, (bytes, bytearray)):
                self._html = bytes(html).decode("utf-8", "replace")
            else:
                tree = html
        self._tree = tree
        self._runs = None
        self._text = None
        self._scripts = None
        self._base = None
        self.fetched_url = None         # where the page was read, when a redirect moved it from url
        self._metas = None
        self._body_container = None     # set by crawler.extract.content
        self._resolved: dict = {}
        self.memo: dict = {}            # per-page results shared between extractors (links, hits …)

    @property
    def tree(self):
        if self._tree is None:
            self._tree = parse_html(self._html or "")
        return self._tree

    @property
    def html(self) -> str:
        if self._html is None:
            self._html = etree.tostring(self.tree, encoding="unicode", method="html")
        return self._html

    @property
    def body(self):
        body = self.tree.find("body")
        return body if body is not None else self.tree

    @property
    def hidden_rules(self) -> tuple:
        """The page's own <style> rules that hide elements (:func:`hidden_selectors`), read once."""
        rules = self.memo.get("hidden_rules")
        if rules is None:
            rules = self.memo["hidden_rules"] = hidden_selectors(self.tree)
        return rules

    @property
    def runs(self) -> list[Run]:
        if self._runs is None:
            self._runs = _build_runs(self.tree, self.hidden_rules)
        return self._runs

    @property
    def text(self) -> str:
        """Visible text, one line per block."""
        if self._text is None:
            self._text = "\n".join(r.plain for r in self.runs if r.plain)
        return self._text

    @property
    def scripts(self) -> list[str]:
        """Text of every inline <script> (including type=text/xml data islands)."""
        if self._scripts is None:
            self._scripts = [s.text for s in self.tree.iter("script") if s.text and not s.get("src")]
        return self._scripts

    @property
    def base_url(self) -> str:
        if self._base is None:
            base = self.tree.find(".//base[@href]")
            href = base.get("href") if base is not None else None
            where = self.fetched_url or self.url       # relative links are the final address's
            self._base = absolute_url(where, href) if href else where
            self._base = self._base or where
        return self._base

    @property
    def metas(self) -> dict:
        """<meta name=… content=…> of the page (first occurrence wins; names as written)."""
        if self._metas is None:
            metas = {}
            for m in self.tree.iter("meta"):
                name = m.get("name") or m.get("property")
                if name and name not in metas:
                    metas[name] = (m.get("content") or "").strip()
            self._metas = metas
        return self._metas

    def meta(self, name: str) -> str | None:
        """Case-insensitive meta lookup."""
        lname = name.lower()
        for key, value in self.metas.items():
            if key.lower() == lname:
                return value
        return None

    def resolve(self, href: str | None) -> str | None:
        """``href`` made absolute against the page's base (memoised: menus repeat links)."""
        if href is None:
            return None
        try:
            return self._resolved[href]
        except KeyError:
            url = self._resolved[href] = absolute_url(self.base_url, href)
            return url

    @property
    def title_tag(self) -> str:
        t = self.tree.find(".//title")
        return norm_space(text_content(t)) if t is not None else ""


def as_page(url: str, html_or_tree) -> Page:
    """Accept an HTML string/bytes, an lxml tree, or an existing Page."""
    if isinstance(html_or_tree, Page):
        if url and not html_or_tree.url:
            html_or_tree.url = url
        return html_or_tree
    return Page(url, html_or_tree)


def _visible_parts(el) -> list[str]:
    """The visible text chunks of one element in order (text and tails; " " after a block)."""
    parts = []

    def walk(e):
        if isinstance(e.tag, str):
            tag = e.tag.lower()
            if tag in SKIP_TAGS or is_hidden(e):
                return
            if e.text:
                parts.append(e.text)
            for c in e:
                walk(c)
                if c.tail:
                    parts.append(c.tail)
            if tag in BLOCK_TAGS or tag == "br":
                parts.append(" ")

    walk(el)
    return parts


def text_of(el) -> str:
    """Normalised visible text of one element (cheap: no run building)."""
    return norm_space("".join(_visible_parts(el)))


def text_pieces(el) -> list[str]:
    """The visible text nodes of one element, each normalised, empty ones dropped: tells a date
    standing in its own node (a list item's date) from one inside a sentence."""
    return [p for p in (norm_space(part) for part in _visible_parts(el)) if p]


def text_content(el) -> str:
    """All text of an element and its descendants (scripts included, comments not), like a DOM's."""
    return "".join(el.itertext())


def ancestors(el):
    p = el.getparent()
    while p is not None:
        yield p
        p = p.getparent()


def attr_words(el) -> str:
    """class and id of an element, lower-cased, for role guessing."""
    return ((el.get("class") or "") + " " + (el.get("id") or "")).lower()
