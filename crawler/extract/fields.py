"""Visible label/value metadata (索引号, 发文字号 …) in every common layout.

How it works (one pass over the page's rendered *runs* — one run per block/cell, see
``crawler.extract.html``):

1. A *label hit* is a known label (``FIELD_SYNONYMS`` or ``OTHER_LABELS``; inner spaces of any
   kind allowed, so ``索 引 号`` and ``索&nbsp;引&nbsp;号`` match) standing at a label position: the
   start of a run, or after whitespace / an inline-element boundary / a separator, and followed
   by a colon (ASCII or full-width; ``【发布日期】`` brackets count as one) or by nothing else in
   its run (a label-only cell: ``<td>索引号</td>``, ``<dt>索引号</dt>``).
2. Its value is the text after the colon up to the next hit, an unknown ``xx：`` label, or the
   end of the run.  When the label stands alone in its cell, the value is the next cell: the
   following sibling element (``<td>`` after ``<td>``, ``<dd>`` after ``<dt>``, ``<div>`` after
   ``<div>``) or a block nested after the label in the same container.  A next cell that is itself
   a label, or no next cell, gives ``""`` (label shown with an empty value).
3. Hits close together (at most ``CLUSTER_GAP`` runs apart, on the same side of the body
   container's edge, no label repeated) form a block.  The chosen block is
   the one with the most distinct canonical fields; ties go to the one outside the main body
   container and then to the earliest.  A single hit inside the body container (#zoom,
   .TRS_Editor …) is ignored when any other block exists — that is how a sentence like
   “发布日期：” in prose is kept out.  Blocks made only of bare labels with empty values
   (a list's header row 名称|索引号|发布日期) are ignored.

Link text never counts as a label (menus often have a 主题分类 link).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from crawler.extract.content import find_body_container
from crawler.extract.dates import parse_date
from crawler.extract.html import (
    LINK_CLOSE, LINK_OPEN, MARKS, Page, ancestors, as_page, is_element, norm_space, strip_marks, text_content,
)

CANONICAL_FIELDS = ("索引号", "主题分类", "发文机关", "发文字号", "成文日期", "发布日期", "有效性")

_LABELS = yaml.safe_load((Path(__file__).with_name("labels.yaml")).read_text(encoding="utf-8"))
# label as written (spaces removed) → canonical field (labels.yaml: add a synonym there).
FIELD_SYNONYMS: dict[str, str] = dict(_LABELS["field_synonyms"])
# 时间：/ 日期： → 发布日期, only in the article's own date line (see ``field_of``).
DATE_LINE_LABELS: dict[str, str] = dict(_LABELS["date_line_labels"])
# Labels that are metadata but not one of the seven fields: recognised so that they bound the
# neighbouring values, and reported in fields_raw.
OTHER_LABELS = tuple(_LABELS["other_labels"])

TITLE_LABELS = ("标题", "名称", "文件名称", "信息名称")
# Page tools that print like labels (字号：大 中 小, 分享到：): never a field of the block.
TOOL_LABELS = frozenset(_LABELS["tool_labels"])

CLUSTER_GAP = 4      # runs between two hits of one metadata block
MAX_VALUE_SCAN = 400  # a metadata value is short; never scan further in hostile text

_M = "[" + MARKS + "]"
_SPACE = "[\\s\u3000\xa0]"
_COLON = "[:：]"
_PRE = "(?:^|(?<=[\\s" + MARKS + "|｜;；,，【\\[(（/]))"


def _label_pattern(labels) -> str:
    ordered = sorted({re.sub(r"\s+", "", lb) for lb in labels}, key=len, reverse=True)
    return "|".join((_SPACE + "*").join(map(re.escape, lb)) for lb in ordered)


_ALL_LABELS = tuple(FIELD_SYNONYMS) + tuple(DATE_LINE_LABELS) + OTHER_LABELS
# 【发布日期】2023-01-01: a closing bracket serves as the colon.
_HIT = re.compile(_PRE + "(?P<label>" + _label_pattern(_ALL_LABELS) + ")(?P<colon>(?:\\s|" + _M + ")*(?:"
                  + _COLON + "|(?<=[^\\s])[】\\]]" + _COLON + "?))?")
# An unknown "xx：" label ends the value before it (浏览次数：, 字号：, 分享到：).
_UNKNOWN_LABEL = re.compile("(?:[\\s|｜]|" + _M + ")+[\u4e00-\u9fa5]{2,6}(?:\\s|" + _M + ")*" + _COLON)
_STRIP_VALUE = " \t\r\n\xa0\u3000:：" + MARKS


def canonical_label(label: str) -> str | None:
    """The canonical field of a label as written (any spacing/colon), or None."""
    return FIELD_SYNONYMS.get(_label_key(label))


def _label_key(label: str) -> str:
    return re.sub("[\\s\u3000\xa0:：" + MARKS + "]+", "", label or "")


@dataclass
class Hit:
    run: int
    label: str           # as seen: colon removed, whitespace collapsed
    key: str             # spaces removed
    value: str
    bare: bool           # no colon: a label-only cell
    alone: bool          # nothing follows the label in its run: the value is in the next cell
    el: object
    start: int = 0       # offset of the label in its run
    inside: bool = False  # inside the body container (set when blocks are formed)
    raw: str = ""        # the label as displayed, colon included ("索 引 号：")
    cell: tuple = ()     # the runs of its value cell, when the label stands alone in its own cell


def _inside_link(text: str, pos: int) -> bool:
    opened = text.rfind(LINK_OPEN, 0, pos)
    return opened > text.rfind(LINK_CLOSE, 0, pos)


def _hits_in_run(run) -> list[Hit]:
    text = run.text
    if run.el.tag == "a" or any(a.tag == "a" for a in ancestors(run.el)):
        return []
    matches = list(_HIT.finditer(text))
    hits = []
    for n, m in enumerate(matches):
        after = text[m.end():matches[n + 1].start() if n + 1 < len(matches) else len(text)]
        empty_after = not strip_marks(after).strip()
        bare = m.group("colon") is None
        if bare and not empty_after:
            continue                # a label needs a colon or a cell of its own
        if _inside_link(text, m.start()):
            continue                # menus have 主题分类 / 政策文件 links
        after = after[:MAX_VALUE_SCAN]
        cut = _UNKNOWN_LABEL.search(after)
        value = norm_space((after[:cut.start()] if cut else after)).strip(_STRIP_VALUE)
        label = norm_space(m.group("label"))
        alone = empty_after and n + 1 == len(matches)
        # 【成文日期】: the opening bracket belongs to the label as shown (the closing one is its colon).
        opener = text[m.start() - 1] if m.start() and text[m.start() - 1] in "【[" else ""
        raw = norm_space(strip_marks(opener + m.group(0)))
        hits.append(Hit(run.index, label, _label_key(label), value, bare, alone, run.el, m.start(), raw=raw))
    return hits


_LEADING_LABEL = re.compile("^(?:\\s|" + _M + ")*[\u4e00-\u9fa5][\u4e00-\u9fa5\\s\u3000\xa0]{1,8}(?:\\s|" + _M + ")*" + _COLON)


def _starts_with_label(run) -> bool:
    """Does the run open with a label (known, or any short ``xx：``)?  Then it is no value cell:
    an empty value must not swallow the labels after it."""
    hits = _hits_in_run(run)
    if hits and not strip_marks(run.text[:hits[0].start]).strip():
        return True
    return bool(_LEADING_LABEL.match(run.text))


def _next_cell(runs, i: int):
    """Runs of the cell holding the value of a label standing alone in run ``i``.

    [] means "there is no value cell" (the value is empty); None means "not a cell layout".
    """
    label_el = runs[i].el
    if i + 1 < len(runs):
        nxt = runs[i + 1]
        # A block nested after the label in its own container: <li><b>索引号</b><p>v</p></li>
        if nxt.el is not label_el and any(a is label_el for a in ancestors(nxt.el)):
            return [nxt]
    el, label_text = label_el, norm_space(runs[i].text)
    for _ in range(3):
        sib = el.getnext()
        while sib is not None and not is_element(sib):
            sib = sib.getnext()
        if sib is not None:
            cell = []
            for r in runs[i + 1:i + 60]:
                if r.el is sib or any(a is sib for a in ancestors(r.el)):
                    cell.append(r)
                elif cell:
                    break                 # runs of one cell are consecutive
            return cell
        parent = el.getparent()
        if parent is None or norm_space(text_content(parent)) != label_text:
            return []
        el = parent          # climb out of a wrapper holding only the label: <td><b>索引号：</b></td>
    return []


_FORM_CONTROLS = ("input", "select", "textarea")


def _labels_a_form_field(label_el) -> bool:
    """A label standing beside form controls (a search form's 发布时间：[开始时间]-[结束时间] 当天 近三天)
    names a filter, not a field of the document."""
    box = label_el.getparent()
    return box is not None and any(el.get("type", "").lower() != "hidden" for el in box.iter(*_FORM_CONTROLS))


def find_hits(page: Page) -> list[Hit]:
    """Every label hit on the page with its value, in document order."""
    runs = page.runs
    out: list[Hit] = []
    consumed: set[int] = set()
    for run in runs:
        if run.index in consumed or not _HIT.search(run.text):
            continue
        hits = _hits_in_run(run)
        if any(h.alone for h in hits) and _labels_a_form_field(run.el):
            continue
        for h in hits:
            if not h.alone:
                continue
            cell = _next_cell(runs, run.index)
            if not cell or _starts_with_label(cell[0]):
                h.value = ""           # no value cell, or the next cell is another label
                continue
            h.value = norm_space(" ".join(r.text for r in cell)).strip(_STRIP_VALUE)
            h.cell = tuple(r.index for r in cell)
            consumed.update(h.cell)
        out.extend(hits)
    return out


def _clusters(hits: list[Hit], body_container=None) -> list[list[Hit]]:
    """Split hits into blocks: a gap of more than CLUSTER_GAP runs, a step into or out of the body
    container, or a label seen again (a block shows each label once) starts a new block."""
    clusters: list[list[Hit]] = []
    inside_prev = None
    for h in hits:
        inside = h.inside = _inside(h.el, body_container)
        if (clusters and h.run - clusters[-1][-1].run <= CLUSTER_GAP and inside == inside_prev
                and all(h.key != o.key for o in clusters[-1])):
            clusters[-1].append(h)
        else:
            clusters.append([h])
        inside_prev = inside
    return clusters


def field_of(hit: Hit) -> str | None:
    """The canonical field a hit shows: its label's synonym; a bare 时间：/ 日期： only in the
    article's date line (outside the body container) and only when it holds a date."""
    canon = FIELD_SYNONYMS.get(hit.key)
    if canon is None and hit.key in DATE_LINE_LABELS and not hit.inside and parse_date(hit.value):
        canon = DATE_LINE_LABELS[hit.key]
    return canon


def canonical_count(cluster) -> int:
    return len({f for f in map(field_of, cluster) if f})


def _inside(el, container) -> bool:
    return container is not None and (el is container or any(a is container for a in ancestors(el)))


def choose_block(hits: list[Hit], body_container=None) -> list[Hit]:
    """The metadata block among the page's label hits (see the module docstring)."""
    candidates = []
    for c in _clusters(hits, body_container):
        n = canonical_count(c)
        if n == 0 or all(h.bare and not h.value for h in c):
            continue                  # no field, or a table's header row 名称|索引号|发布日期
        candidates.append((c, n, _inside(c[0].el, body_container)))
    if len(candidates) > 1:
        candidates = [x for x in candidates if not (x[2] and x[1] == 1)] or candidates
    if not candidates:
        return []
    return max(candidates, key=lambda x: (x[1], not x[2], -x[0][0].run))[0]


def fields_from_hits(block: list[Hit]) -> tuple[dict, list]:
    """({canonical: value}, [[label as seen, value, canonical or None, label as displayed], ...]).

    A field's own label wins over a date-line 时间/日期 (which names the 发布日期 only when no
    label of the block does).  Of the labels of one field, a value shown beats an empty one, then
    the field's own name beats a synonym (成文日期 beside the metadata standard's 生成日期), then
    page order; a synonym so beaten names no field in the raw rows."""
    fields: dict[str, str] = {}
    kept: dict[str, Hit] = {}
    for weak in (False, True):
        for h in block:
            if (h.key in DATE_LINE_LABELS) != weak:
                continue
            canon = field_of(h)
            if canon is None or (weak and canon in fields):
                continue
            if canon not in kept or _precedence(h, canon) > _precedence(kept[canon], canon):
                fields[canon], kept[canon] = h.value, h
    named = {field_of(h) for h in block if h.key not in DATE_LINE_LABELS}
    raw: list[list] = []
    for h in block:
        canon = field_of(h)
        if h.key in DATE_LINE_LABELS and canon in named:
            canon = None              # a 时间 beside a 发布日期 label is some other time
        elif canon is not None and kept[canon] is not h and kept[canon].key == canon:
            canon = None              # the field's own label beside it: the synonym shows something else
        raw.append([h.label, h.value, canon, h.raw])
    return fields, raw


def _precedence(hit: Hit, canon: str) -> tuple:
    """Which of two labels of one field gives its value: a value shown, then the field's own name."""
    return bool(hit.value), hit.key == canon


_ANY_LABEL = re.compile("(?:^|(?<=[\\s|｜;；【\\[]))(?P<label>[\u4e00-\u9fa5][\u4e00-\u9fa5\\s\u3000\xa0]{1,7})"
                        "(?:\\s|" + _M + ")*(?:" + _COLON + "|】)")


def unread_labels(page: Page, block: list[Hit]) -> list[list[str]]:
    """[[label, value], ...]: labels with a value shown among the metadata block's rows that no
    known label reads (文件编码：…).  The field a page names so may be one the block lacks: the
    audits must not call it missing on the crawler's word."""
    if not block:
        return []
    known = set(FIELD_SYNONYMS) | set(DATE_LINE_LABELS) | set(OTHER_LABELS) | set(TITLE_LABELS) | TOOL_LABELS
    runs, out, seen = page.runs, [], set()
    # Runs that are a known label or its value cell: no label-only cell among them.
    taken = {h.run for h in block} | {i for h in block for i in h.cell}
    for i in range(block[0].run, min(block[-1].run + 1, len(runs))):
        run = runs[i]
        if run.el.tag == "a" or any(a.tag == "a" for a in ancestors(run.el)):
            continue
        bare = _bare_label_cell(runs, i) if i not in taken else None
        if bare is not None:
            label, cell, value = bare
            taken.update(r.index for r in cell)
            if _label_key(label) not in known | seen:
                seen.add(_label_key(label))
                out.append([label, value])
            continue
        matches = list(_ANY_LABEL.finditer(run.text))
        for n, m in enumerate(matches):
            key = _label_key(m.group("label"))
            if key in known or key in seen:
                continue
            after = run.text[m.end():matches[n + 1].start() if n + 1 < len(matches) else len(run.text)]
            value = norm_space(after[:MAX_VALUE_SCAN]).strip(_STRIP_VALUE)
            if not value and n + 1 == len(matches) and i + 1 < len(runs) and not _starts_with_label(runs[i + 1]):
                value = norm_space(runs[i + 1].text[:MAX_VALUE_SCAN]).strip(_STRIP_VALUE)
            if value:
                seen.add(key)
                out.append([norm_space(m.group("label")), value])
    return out


_BARE_LABEL = re.compile("[\u4e00-\u9fa5][\u4e00-\u9fa5\\s\u3000\xa0]{1,7}")
_CELL_TAGS = ("td", "th", "dt")


def _bare_label_cell(runs, i: int):
    """(label, value cell runs, value) of a table cell holding only a short name, without colon, whose next
    cell holds a value (``<td>所属类目</td><td>城乡建设</td>`` in a 4-column metadata table), or None."""
    run = runs[i]
    if run.el.tag not in _CELL_TAGS or run.links:
        return None
    label = norm_space(strip_marks(run.text))
    if not _BARE_LABEL.fullmatch(label):
        return None
    cell = _next_cell(runs, i)
    if not cell or _starts_with_label(cell[0]):
        return None
    value = norm_space(" ".join(r.text for r in cell)[:MAX_VALUE_SCAN]).strip(_STRIP_VALUE)
    return (label, cell, value) if value else None


def extract_fields(html_or_tree, url: str = "", body_container=None) -> tuple[dict, list]:
    """Visible label/value metadata → ({canonical: value}, [[label as seen, value], ...])."""
    page = as_page(url, html_or_tree)
    if body_container is None:
        body_container, strong = find_body_container(page)
        if not strong:
            body_container = None
    return fields_from_hits(choose_block(find_hits(page), body_container))
