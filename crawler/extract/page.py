"""Page-level facts for audits that must not see HTML, and every outgoing link of a page."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from crawler.extract.dates import is_month_day
from crawler.extract.entries import dated_entries, in_chrome, is_noise_anchor
from crawler.extract.html import Page, as_page, is_hidden, norm_space, text_content, text_of, text_pieces
from crawler.extract.urls import absolute_url, is_attachment_url
from crawler.items import LinkRef

# 47号文 (国办发〔2017〕47号) meta set.
REQUIRED_METAS = ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ArticleTitle", "PubDate", "ContentSource")

ACCESSIBILITY_WORDS = re.compile(r"无障碍")
CARE_WORDS = re.compile(r"关怀版|长者版|长者模式|适老|老年版|大字版|关爱版")
_SITE_ID = re.compile(r"(?:政府)?网站标识码\s*[:：]?\s*([0-9A-Za-z]{6,14})")
_ICP = re.compile(r"([\u4e00-\u9fa5]{1,2}ICP备\s*\d+号(?:-\d+)?)", re.I)
_POLICE = re.compile(r"([\u4e00-\u9fa5]{1,2}公网安备\s*\d+号?)")
_SEARCH_WORDS = re.compile(r"search|sousuo|keyword|searchword|query|^q$|^wd$|^kw$|^key$", re.I)
_UNLABELLED_OK_TYPES = {"hidden", "submit", "button", "image", "reset"}

_VIEWER_PARAMS = ("file", "url", "src")
MAX_SAMPLE = 5           # how many offending srcs/names a fact keeps as evidence
MAX_DATED_ITEMS = 200


def outgoing_links(url: str, html) -> list[LinkRef]:
    """Every link of the page: a[href], area[href], img[src], iframe/frame[src], attachments.

    Absolute, fragment dropped, javascript:/mailto:/tel: excluded; one LinkRef per
    (target, tag), first anchor text kept.  Links to downloadable files get tag 'attachment'.
    """
    page = as_page(url, html)
    if "outgoing_links" in page.memo:
        return list(page.memo["outgoing_links"])
    seen: set[tuple[str, str]] = set()
    out: list[LinkRef] = []

    def add(target, anchor, tag):
        resolved = page.resolve(target)
        if not resolved:
            return
        if tag == "a" and is_attachment_url(resolved):
            tag = "attachment"
        key = (resolved, tag)
        if key not in seen:
            seen.add(key)
            out.append(LinkRef(url=resolved, anchor=anchor, tag=tag))

    for el in page.tree.iter("a", "area", "img", "iframe", "frame", "embed", "object"):
        if el.tag in ("a", "area"):
            href = el.get("href")
            if href:
                add(href, norm_space(text_content(el)) or norm_space(el.get("title") or el.get("alt") or ""), "a")
            continue
        src = el.get("data" if el.tag == "object" else "src")
        if not src or src.strip().lower().startswith("data:"):
            continue
        name = norm_space(el.get("alt") or el.get("title") or "")
        if el.tag == "img":
            add(src, name, "img")
            continue
        # A document shown in the page (<embed>/<object>/<iframe> of the file itself, or of a
        # viewer such as pdf.js's viewer.html?file=<the file>) is one of its attachments.
        shown = page.resolve(src)
        if el.tag in ("iframe", "frame"):
            add(src, name, "iframe")
        for target in [shown, *_viewer_files(shown)]:
            if target and is_attachment_url(target):
                add(target, name, "attachment")
    page.memo["outgoing_links"] = out
    return list(out)


def _viewer_files(viewer: str | None) -> list[str]:
    """The file a document viewer page is given in its query (pdf.js ``viewer.html?file=…``, and
    the ``file``/``url``/``src`` parameter of its look-alikes), resolved against the viewer as the
    viewer resolves it."""
    if not viewer or "?" not in viewer:
        return []
    query = parse_qs(urlsplit(viewer).query)
    return [absolute_url(viewer, value) for key in _VIEWER_PARAMS for value in query.get(key, ())]


def resource_links(url: str, html) -> list[LinkRef]:
    """The page's external resources: script[src] (tag 'script') and stylesheets (tag 'css')."""
    page = as_page(url, html)
    out, seen = [], set()
    for el in page.tree.iter("script", "link"):
        if el.tag == "script":
            target, tag = el.get("src"), "script"
        elif "stylesheet" in (el.get("rel") or "").lower().split():
            target, tag = el.get("href"), "css"
        else:
            continue
        resolved = page.resolve(target) if target and not target.strip().lower().startswith("data:") else None
        if resolved and resolved not in seen:
            seen.add(resolved)
            out.append(LinkRef(url=resolved, anchor="", tag=tag))
    return out


def _entries(page: Page, words: re.Pattern) -> list[dict]:
    found = []
    # Entries are links or buttons (or a span with a click handler) with a short label.
    for a in page.body.iter("a", "button", "span"):
        if a.tag == "span" and (len(a) or not a.get("onclick")):
            continue
        text = norm_space(text_content(a)) or norm_space(a.get("title") or "")
        if text and len(text) <= 20 and words.search(text):
            found.append({"text": text, "url": page.resolve(a.get("href")) if a.tag == "a" else None})
    # one per text, preferring the ones with a link
    by_text: dict[str, dict] = {}
    for f in found:
        if f["text"] not in by_text or (f["url"] and not by_text[f["text"]]["url"]):
            by_text[f["text"]] = f
    return list(by_text.values())


def find_accessibility_entries(url: str, html) -> dict:
    """{'accessibility': [{'text', 'url'}], 'care': [...]} — 无障碍 and 关怀版/长者版 entries."""
    page = as_page(url, html)
    return {"accessibility": _entries(page, ACCESSIBILITY_WORDS), "care": _entries(page, CARE_WORDS)}


def _labelled_ids(page: Page) -> set[str]:
    return {lb.get("for") for lb in page.tree.iter("label") if lb.get("for")}


def _controls_without_label(page: Page) -> list[str]:
    labelled = _labelled_ids(page)
    missing = []
    for el in page.tree.iter("input", "select", "textarea"):
        if el.tag == "input" and (el.get("type") or "text").lower() in _UNLABELLED_OK_TYPES:
            continue
        if is_hidden(el):
            continue
        if el.get("aria-label") or el.get("aria-labelledby") or el.get("title"):
            continue
        if el.get("id") and el.get("id") in labelled:
            continue
        if any(p.tag == "label" for p in el.iterancestors()):
            continue
        missing.append(el.get("name") or el.get("id") or el.tag)
    return missing


def _has_search(page: Page) -> bool:
    for form in page.tree.iter("form"):
        action = (form.get("action") or "").lower()
        if "search" in action or "sousuo" in action or "jsearch" in action:
            return True
    for el in page.tree.iter("input"):
        kind = (el.get("type") or "text").lower()
        if kind == "search":
            return True
        if kind == "text" and any(_SEARCH_WORDS.search(el.get(a) or "") for a in ("name", "id", "class")):
            return True
        if kind == "text" and "搜索" in (el.get("placeholder") or "") + (el.get("value") or ""):
            return True
    return False


def _footer_text(page: Page) -> str:
    footers = [el for el in page.tree.iter("footer")]
    footers += [el for el in page.body.iter("div", "table", "section")
                if re.search(r"foot|bottom|copyright|banquan", (el.get("class") or "") + " " + (el.get("id") or ""),
                             re.I)]
    text = " ".join(text_of(el) for el in footers)
    # Some footers are not marked up as such: fall back to the last lines of the page.
    tail = "\n".join(page.text.splitlines()[-30:])
    return text + "\n" + tail


def _image_texts(page: Page) -> str:
    """The alt / title of the page's images: a footer often shows the 网站标识码 as a picture
    (<img alt="网站标识码3701810001">), which a reader sees and a screen reader reads."""
    return "\n".join(norm_space(img.get(k) or "") for img in page.tree.iter("img") for k in ("alt", "title"))


def dated_items(page: Page, limit: int = MAX_DATED_ITEMS) -> list[dict]:
    """Links shown with a date next to them, outside page chrome: [{'url', 'title', 'date'}]
    (homepage freshness).  A header's "今天是 2023-11-30" is not an item.  Then the links shown
    with a month and day only (<li><a>…</a><span>11-28</span>): ``date`` None and the text as
    shown in ``date_raw``, since the page does not say the year (the audit dates them by the
    fetch date)."""
    items = [{"url": e.url, "title": e.full_title or e.title, "date": e.date} for e in dated_entries(page)[:limit]]
    seen = {i["url"] for i in items}
    for item in _month_day_items(page):
        if len(items) >= limit:
            break
        if item["url"] not in seen:
            seen.add(item["url"])
            items.append(item)
    return items


def _month_day_items(page: Page):
    """List items holding one link and, apart from it, a month-day stamp."""
    for el in page.body.iter("li", "tr", "dd"):
        links = [a for a in el.iter("a") if a.get("href")]
        if len(links) != 1 or is_hidden(el) or in_chrome(el):
            continue
        a = links[0]
        title = norm_space(text_content(a)) or norm_space(a.get("title") or "")
        url = page.resolve(a.get("href"))
        if not url or not title or is_noise_anchor(title):
            continue
        raw = next((p for p in text_pieces(el) if p not in title and is_month_day(p)), None)
        if raw:
            yield {"url": url, "title": norm_space(a.get("title") or "") or title, "date": None, "date_raw": raw}


def page_facts(url: str, html, homepage: bool = False) -> dict:
    """Facts about a page for the accessibility / site-identity / freshness rules.

    ``dated_items`` (the homepage's dated links, for 首页更新) only for a homepage: on every other
    page it would be work and stored JSON that nothing reads.
    """
    page = as_page(url, html)
    root = page.tree
    imgs = [img for img in root.iter("img") if img.get("alt") is None]
    footer = _footer_text(page)
    site_id = _SITE_ID.search(footer) or _SITE_ID.search(page.text) or _SITE_ID.search(_image_texts(page))
    icp = _ICP.search(footer) or _ICP.search(page.text)
    police = _POLICE.search(footer) or _POLICE.search(page.text)
    entries = find_accessibility_entries(url, page)
    unlabelled = _controls_without_label(page)
    metas = {name: page.meta(name) for name in REQUIRED_METAS}
    return {
        "lang": (root.get("lang") or root.get("xml:lang") or "").strip() or None,
        "imgs_total": sum(1 for _ in root.iter("img")),
        "imgs_without_alt": len(imgs),
        "imgs_without_alt_sample": [page.resolve(i.get("src")) or (i.get("src") or "") for i in imgs[:MAX_SAMPLE]],
        "controls_without_label": len(unlabelled),
        "controls_without_label_sample": unlabelled[:MAX_SAMPLE],
        "accessibility_entry": bool(entries["accessibility"]),
        "care_entry": bool(entries["care"]),
        "accessibility_entries": entries["accessibility"][:MAX_SAMPLE],
        "care_entries": entries["care"][:MAX_SAMPLE],
        "site_id_code": site_id.group(1) if site_id else None,
        "icp": norm_space(icp.group(1)) if icp else None,
        "police_record": norm_space(police.group(1)) if police else None,
        "metas": {k: v for k, v in metas.items() if v is not None},
        "metas_missing": [k for k, v in metas.items() if not v],
        "search_box": _has_search(page),
        "title": page.title_tag,
        **({"dated_items": dated_items(page)} if homepage else {}),
    }
