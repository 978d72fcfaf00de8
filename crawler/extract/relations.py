"""政策文件 ↔ 解读 relations as pages show them.

* A labelled block — a line/cell/heading that says 相关解读 / 关联解读 / 政策解读 / 解读文件 / 解读材料 /
  图解 / 一图读懂 (→ interpretation links) or 相关文件 / 关联文件 / 政策原文 / 原文链接 / 相关政策
  (→ original links), followed by links on the same line (and on the lines after it that <br> breaks
  in the same element) or by a run of link lines after it, up to the next label or heading line.
  Blocks inside page chrome (nav, header, footer, side rails) are ignored: a side rail titled
  政策解读 lists the latest 解读 of the site, not this page's.
* In a block of related items (关联稿件 / 相关阅读 / 相关文章 …), the links whose title names a 解读 —
  none on a page that is itself a 解读: the CMS fills its 相关文章 with the 政策解读 column's other
  items, its sibling 解读, none of them a 解读 of it — nor one quoting (《…》) only documents this page's
  title cannot be, even cut short: a block filled by keyword lists the 解读 of other documents.
* Links inside the main content whose own text looks like a 解读 title (《…》政策解读, 一图读懂…)
  or says 原文链接 / 查看原文 / 政策原文 — unless the 解读 title quotes a document (《…》) that the
  page's own title does not name: a news round-up linking the 解读 of other documents has none;
  nor is a 上一篇/下一篇 step to the column's neighbouring item.
* An image button whose alt/title says 政策原文 / 查看原文 / 原文链接, anywhere outside page chrome (the
  one link an image-only 图解 has to its document).
* Such a block (or a 解读 block) written hidden (``style="display:none"``) and shown by the page's
  own script when it has items (``$(".xglj").css("display","block")``, ``.show()``) counts as
  shown: its links that name a 解读 (or say 原文链接) are taken.
"""
from __future__ import annotations

import re

from crawler.extract.html import LINK_CLOSE, LINK_OPEN, SOFT, Page, norm_space, strip_marks, text_content
from crawler.extract.layout import in_rail, words
from crawler.items import LinkRef

INTERPRETATION_LABELS = ("相关解读", "关联解读", "政策解读", "相关政策解读", "关联政策解读", "解读文件", "解读材料",
                         "文件解读", "解读链接", "图解", "政策图解", "一图读懂", "图文解读", "文字解读", "视频解读", "解读")
ORIGINAL_LABELS = ("相关文件", "关联文件", "政策原文", "原文链接", "政策原文链接", "相关政策", "关联政策", "文件原文",
                   "原文件", "政策文件", "原文", "相关政策文件", "关联政策文件")
# A block of related items (关联稿件 on Ucap pages): only its links whose title names a 解读 count.
RELATED_LABELS = ("关联稿件", "相关稿件", "关联信息", "相关信息", "相关阅读", "相关文章", "延伸阅读", "相关链接")
_LABELS = sorted(INTERPRETATION_LABELS + ORIGINAL_LABELS + RELATED_LABELS, key=len, reverse=True)
# Python's \s also matches the run markers (\x1c-\x1f): spell the spaces out.
_SP = "[ \t\r\n\xa0\u3000]"
_LABEL_RE = re.compile("^(?:" + _SP + "|[【\\[])*(?P<label>" + "|".join(map(re.escape, _LABELS)) +
                       ")(?:" + _SP + "|[】\\]])*(?:[:：]|$|(?=" + LINK_OPEN + "))")
# Any short heading-like line ends a link block (附件：, 责任编辑：, 【打印】 …).
_OTHER_HEADING = re.compile("^(?:" + _SP + "|[【\\[])*[\u4e00-\u9fa5]{2,6}(?:" + _SP + "|[】\\]])*[:：]")

_KINDS = "(?:文字|图文|图片|图表|视频|音频|动漫|漫画|专家|部门|负责人|领导|媒体|政策|权威|新闻|在线|简明)?"
# A title that *names* a 解读: it starts with one (文字解读：…, 一图读懂…) …
_INTERPRETATION_PREFIX = re.compile(
    "^(?:【[^】]{0,8}】)?" + _KINDS + "解读(?:[:：｜|丨《“ \u3000]|$)|一图(?:读懂|看懂|解读|了解)|^图解|图解[:：《“]"
    "|政策问答|答记者问|^问答[:：]")
# … or ends as one (《…》政策解读, 关于《…》的解读, 某办法解读) …
_INTERPRETATION_SUFFIX = re.compile(_KINDS + "解读(?:材料|稿)?[)）]?$|《[^》]{2,}》.{0,12}解读")
# … unless it is itself a notice about 解读 work (关于做好政策解读工作的通知).
_NOTICE_ENDING = re.compile("(?:通知|意见|办法|方案|规定|决定|公告|通告|批复|函|细则|规划|纪要|制度)$")


_ORIGINAL_ANCHOR = re.compile(r"^(?:点击)?(?:查看|阅读)?(?:政策|文件)?原文(?:链接|件)?(?:请?点击)?$|^原文链接")
_CHROME = words("nav", "header", "footer", "side")
_INLINE_HIDDEN = re.compile(r"display\s*:\s*none", re.I)
# jQuery showing an element: $(".cls").show() / .css("display","block") / .fadeIn() / .slideDown()
_SHOWN_BY_SCRIPT = re.compile(r"""\$\(\s*["']([.#][\w-]+)["']\s*\)\s*\.\s*(?:show|fadeIn|slideDown)\s*\(|"""
                              r"""\$\(\s*["']([.#][\w-]+)["']\s*\)\s*\.\s*css\s*\(\s*["']display["']\s*,\s*"""
                              r"""["'](?:block|inline|inline-block|flex|table)["']""")
MAX_SCRIPT_CHARS = 200_000    # bounded work on hostile pages

BLOCK_LOOKAHEAD = 20     # runs after a label searched for its links


def looks_like_interpretation(title: str | None) -> bool:
    """Does a title name a 解读 (文字解读：…, 图文解读, 一图读懂, 《…》政策解读, 关于《…》的解读, 政策问答)?"""
    t = norm_space(title or "")
    if not t:
        return False
    if _INTERPRETATION_PREFIX.search(t):
        return True
    return bool(_INTERPRETATION_SUFFIX.search(t)) and not _NOTICE_ENDING.search(t)


def _in_chrome(el, main) -> bool:
    """A block in a rail lists the site's latest 解读, not this page's."""
    return in_rail(el, main, _CHROME)


def _link_share(run) -> float:
    text = strip_marks(run.text).strip()
    if not text:
        return 0.0
    linked = 0
    for m in re.finditer(LINK_OPEN + "(.*?)" + LINK_CLOSE, run.text, re.S):
        linked += len(strip_marks(m.group(1)).strip())
    return linked / len(text)


def _block_links(runs, i: int, label_end: int) -> list:
    """The <a> elements a label at run i introduces: the links after it on its line, then the link
    lines after it up to the next label or heading line.  When the label's own line holds links, the
    block goes on only in the element holding that line (its lines broken by <br>): a list of other
    links after that element is another block."""
    found = [a for pos, a in runs[i].links if pos >= label_end]
    own = runs[i].el if found else None
    for run in runs[i + 1:i + 1 + BLOCK_LOOKAHEAD]:
        if own is not None and run.el is not own:
            break
        text = run.text.replace(SOFT, "")
        if _LABEL_RE.match(text) or _OTHER_HEADING.match(text):
            break
        if run.links and _link_share(run) >= 0.5:
            found.extend(a for _pos, a in run.links)
            continue
        if found or run.index - i > 2:
            break
    return found


def _ref(page: Page, a) -> LinkRef | None:
    url = page.resolve(a.get("href"))
    if not url:
        return None
    return LinkRef(url=url, anchor=norm_space(a.get("title") or "") or norm_space(text_content(a)) or _image_label(a),
                   tag="a")


_QUOTED = re.compile(r"《([^》]{2,})》")
_NOT_TITLE_TEXT = re.compile(r"[\s\u3000《》“”\"']+")


def names_another_document(anchor: str, title: str | None) -> bool:
    """Does a 解读 link's text quote only documents (《…》) that the page's own title does not name?"""
    quoted = _QUOTED.findall(anchor or "")
    own = _NOT_TITLE_TEXT.sub("", title or "")
    if not quoted or not own:
        return False
    return not any(_NOT_TITLE_TEXT.sub("", q) in own for q in quoted)


def _abbreviates(name: str, own: str) -> bool:
    """Can ``name`` be ``own`` cut short?  A short name keeps its characters in order
    (《某县2022年统计公报》 for 某县2022年国民经济和社会发展统计公报)."""
    rest = iter(own)
    return all(ch in rest for ch in name)


def quotes_another_document(anchor: str, title: str | None) -> bool:
    """Does a 解读 link's text quote (《…》) only documents that the page's own title cannot be,
    not even cut short?  A 相关文章 block filled by keyword lists other documents' 解读."""
    quoted = _QUOTED.findall(anchor or "")
    own = _NOT_TITLE_TEXT.sub("", title or "")
    if not quoted or not own:
        return False
    return not any(_abbreviates(_NOT_TITLE_TEXT.sub("", q), own) for q in quoted)


def find_relations(page: Page, body_container=None, title: str | None = None,
                   is_interpretation: bool | None = None) -> tuple[list[LinkRef], list[LinkRef]]:
    """(interpretation_links, original_links) of a page (``title``: the page's own, when known;
    ``is_interpretation``: whether the page is itself a 解读, by default judged from ``title``)."""
    interp: dict[str, LinkRef] = {}
    orig: dict[str, LinkRef] = {}
    runs = page.runs
    # A 解读's own 相关文章 lists its sibling 解读 (the 政策解读 column's other items), not a 解读 of it.
    own_is_interpretation = looks_like_interpretation(title) if is_interpretation is None else is_interpretation
    for run in runs:
        m = _LABEL_RE.match(run.text.replace(SOFT, ""))
        if not m or _in_chrome(run.el, body_container):
            continue
        # the label must not itself be a link (a menu item 政策解读)
        head = run.text.replace(SOFT, "")[:m.end("label")]
        if LINK_OPEN in head:
            continue
        label = m.group("label")
        related = label in RELATED_LABELS
        target = interp if related or label in INTERPRETATION_LABELS else orig
        label_end = run.text.find(label[-1]) + 1
        for a in _block_links(runs, run.index, label_end):
            ref = _ref(page, a)
            if not ref or ref.url == page.url:
                continue
            if related and (own_is_interpretation or not looks_like_interpretation(ref.anchor)
                            or quotes_another_document(ref.anchor, title)):
                continue
            target.setdefault(ref.url, ref)
    for block in _script_shown_blocks(page, body_container):
        _take_named(page, block.iter("a"), interp, orig)
    if body_container is not None:
        _take_named(page, body_container.iter("a"), interp, orig, title)
    for a in page.body.iter("a"):
        # An image button 政策原文 / 查看原文 below the article container (an image-only 图解's one link
        # to its document): it has no text a label line or the container pass could read.
        if (not norm_space(text_content(a)) and _ORIGINAL_ANCHOR.search(_image_label(a))
                and not _in_chrome(a, body_container)):
            ref = _ref(page, a)
            if ref and ref.url != page.url:
                orig.setdefault(ref.url, ref)
    return list(interp.values()), list(orig.values())


def _image_label(a) -> str:
    """What a link without text shows: its title, else its image's alt or title (an image button
    labelled 政策原文 / 查看原文 under an image-only 图解)."""
    for el in (a, *a.iter("img")):
        label = norm_space(el.get("title") or "") or (norm_space(el.get("alt") or "") if el.tag == "img" else "")
        if label:
            return label
    return ""


def _take_named(page: Page, anchors, interp: dict, orig: dict, title: str | None = None) -> None:
    """The links whose own text names a 解读 (of this page's document) or says 原文链接."""
    for a in anchors:
        ref = _ref(page, a)
        if not ref or ref.url == page.url or _steps_to_a_neighbour(a):
            continue
        text = norm_space(text_content(a)) or _image_label(a)
        if _ORIGINAL_ANCHOR.search(text):
            orig.setdefault(ref.url, ref)
        elif looks_like_interpretation(text) and len(text) > 6 and not names_another_document(text, title):
            interp.setdefault(ref.url, ref)


# 上一篇：/ 下一篇：(上一条, 下一则 …) before a link: it steps to the column's neighbouring item.
_NEIGHBOUR = re.compile(r"[上下]一(?:篇|条|则|个|项)\s*[:：]?\s*$")
_NEIGHBOUR_ANCHOR = re.compile(r"^[【\[(（]?\s*[上下]一(?:篇|条|则)")


def _steps_to_a_neighbour(a) -> bool:
    """Is the link a 上一篇/下一篇 step?  Pages of a 解读 column step to other 解读 so: no 解读 of
    this page's document."""
    if _NEIGHBOUR_ANCHOR.match(norm_space(text_content(a))):
        return True
    el = a
    for _ in range(2):                 # <p>上一篇：<a>, <li><span>上一篇：</span><a>, <p><b>下一篇</b><span><a>
        parent = el.getparent()
        if parent is None:
            return False
        before = parent.text or ""
        for child in parent:
            if child is el:
                break
            before += (text_content(child) if isinstance(child.tag, str) else "") + (child.tail or "")
        if norm_space(before):
            return bool(_NEIGHBOUR.search(norm_space(before)))
        el = parent
    return False


def _script_shown_blocks(page: Page, body_container) -> list:
    """Related-link blocks written hidden (inline display:none) that the page's own script shows."""
    selectors = set()
    for script in page.scripts:
        for m in _SHOWN_BY_SCRIPT.finditer(script[:MAX_SCRIPT_CHARS]):
            selectors.add(m.group(1) or m.group(2))
    if not selectors:
        return []
    blocks = []
    for el in page.body.iter():
        if not isinstance(el.tag, str) or not _INLINE_HIDDEN.search(el.get("style") or ""):
            continue
        keys = {"." + c for c in (el.get("class") or "").split()} | ({"#" + el.get("id")} if el.get("id") else set())
        if not keys & selectors or _in_chrome(el, body_container):
            continue
        heading = norm_space(text_content(el))[:40]
        if any(label in heading for label in RELATED_LABELS + INTERPRETATION_LABELS + ORIGINAL_LABELS):
            blocks.append(el)
    return blocks
