"""Reading a list data endpoint's answer: JSON (or JSONP) records, or an HTML fragment.

JSON records are found by shape — the largest list of objects whose values include a URL-ish
string — and read with common key names (title/name…, url/link/href…, date/pubDate/
publishDate/fbrq…), falling back to shape (the URL-ish value, the date-ish value, the longest
other string).  The answer states the total (total/totalCount/count/totalRecord…) or the page
count (pageCount/totalPage/pages…) when it states either.

An answer with no records lists nothing only on positive evidence (``lists_nothing``): a total of 0
under a known key, or an empty records array / empty html field under a known container key
(jpaas ``{"data": {"html": "", "total": 0}}``, EWB ``{"custom": {"infodata": [], "total": 0}}``).
An error envelope (``{"success": false, "message": "paramJson解析失败"}``), a token answer
(``{"code": 0, "token": "…"}``) or anything else is no list at all: unread, not empty.

Used by the JS-shell reader (``crawler.listing.jsshell``); no reader of its own.
"""
from __future__ import annotations

import datetime as dt
import json
import re

from crawler.extract.dates import find_date
from crawler.extract.entries import best_group, entries_of, line_entries, unique_entries
from crawler.extract.html import Page, norm_space, parse_fragment, text_of
from crawler.extract.title import is_truncated
from crawler.items import ListEntry

TOTAL_KEYS = ("total", "totalcount", "totalrecord", "totalrecords", "recordcount", "totalnum", "totalelements",
              "total_count", "totalsize", "rowcount", "allcount", "totalrow", "totalrows", "count", "records")
PAGES_KEYS = ("pagecount", "totalpage", "totalpages", "pages", "pagetotal", "total_pages", "page_count",
              "totalpagecount", "pagesize_total")
TITLE_KEYS = ("fulltitle", "full_title", "doctitle", "title", "name", "subject", "wjbt", "bt", "articletitle",
              "infotitle", "text", "label", "filename")
URL_KEYS = ("url", "link", "href", "docurl", "pageurl", "linkurl", "detailurl", "articleurl", "visiturl",
            "puburl", "path", "uri", "doclink", "fileurl")
DATE_KEYS = ("date", "pubdate", "publishdate", "fbrq", "publishtime", "pubtime", "releasedate", "releasetime",
             "docdate", "publish_date", "fbsj", "docreltime", "createtime", "created", "time", "updatetime",
             "cwrq", "writedate", "inputdate", "addtime", "rq", "sj")
_DATE_KEY_HINT = re.compile(r"date|time|rq$|sj$", re.I)
CONTAINER_KEYS = ("data", "page", "pager", "pagination", "pageinfo", "result", "results", "body", "content",
                  "obj", "list", "datas", "rows", "records", "items", "custom")
# Where an answer keeps its records or its rendered list: an empty one of these says "nothing".
RECORDS_KEYS = ("list", "datas", "rows", "records", "items", "infodata", "data", "result", "results", "content",
                "html", "datalist", "recordlist", "doclist", "articlelist", "infolist")
# An answer that says it failed lists nothing it can be judged on.
_FAILED = re.compile(r"^(?:false|fail(?:ed|ure)?|error)$", re.I)

_JSONP = re.compile(r"^\s*[\w$.]+\s*\((.*)\)\s*;?\s*$", re.S)
_URLISH = re.compile(r"^(?:https?:)?//|^\.{0,2}/|\.(?:s?html?|jsp|aspx?|php|do)(?:[?#]|$)", re.I)


def _loads(body: str):
    text = (body or "").strip()
    if not text or text[0] not in "{[" and not _JSONP.match(text):
        return None
    for candidate in (text, (_JSONP.match(text).group(1) if _JSONP.match(text) else None)):
        if candidate is None:
            continue
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return None


def _is_urlish(v) -> bool:
    return isinstance(v, str) and len(v) < 500 and bool(_URLISH.search(v.strip())) and " " not in v.strip()


def _url_of_variants(flat: dict, resolve) -> str | None:
    """A record's link given per device (``"urls": {"pc": "/…", "mobile": "/…"}``, often as a JSON
    string): the pc link, else the first link-like one.  开普云/Ucap records carry their link so."""
    for k in ("urls", "links", "url", "link"):
        v = flat.get(k)
        if isinstance(v, str) and v.strip().startswith("{"):
            try:
                v = json.loads(v)
            except ValueError:
                continue
        if isinstance(v, dict):
            variants = _lower(v)
            for choice in [variants.get("pc"), variants.get("web"), *variants.values()]:
                if _is_urlish(choice) and resolve(choice.strip()):
                    return resolve(choice.strip())
    return None


def _epoch_date(v) -> str | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    if 1e12 <= v < 5e12:
        v = v / 1000
    if 5e8 <= v < 5e9:
        return (dt.datetime.fromtimestamp(v, dt.timezone(dt.timedelta(hours=8)))).date().isoformat()
    return None


def _find_records(obj, depth: int = 0):
    best, best_score = None, 0
    if depth > 6:
        return None, 0
    if isinstance(obj, list):
        dicts = [x for x in obj if isinstance(x, dict)]
        if dicts:
            score = sum(1 for d in dicts if any(_is_urlish(v) for v in d.values()))
            if score > best_score:
                best, best_score = dicts, score
        for x in obj[:50]:
            sub, s = _find_records(x, depth + 1)
            if s > best_score:
                best, best_score = sub, s
    elif isinstance(obj, dict):
        for v in obj.values():
            if isinstance(v, (list, dict)):
                sub, s = _find_records(v, depth + 1)
                if s > best_score:
                    best, best_score = sub, s
    return best, best_score


def _lower(d: dict) -> dict:
    return {str(k).lower(): v for k, v in d.items()}


def _text(v) -> str:
    if not isinstance(v, str):
        return ""
    return text_of(parse_fragment(v)) if "<" in v and ">" in v else norm_space(v)


def record_entry(rec: dict, resolve) -> ListEntry | None:
    flat = _lower(rec)
    url = None
    for k in URL_KEYS:
        if _is_urlish(flat.get(k)):
            url = resolve(flat[k].strip())
            if url:
                break
    if url is None:
        url = _url_of_variants(flat, resolve)
    if url is None:
        url = next((resolve(v.strip()) for v in flat.values() if _is_urlish(v) and resolve(v.strip())), None)
    if url is None:
        return None
    date_raw, date = "", None
    for k in DATE_KEYS:
        v = flat.get(k)
        if isinstance(v, str) and find_date(v):
            date_raw, date = norm_space(v), find_date(v).iso
            break
        if _epoch_date(v):
            date_raw, date = str(v), _epoch_date(v)
            break
    if date is None:
        for k, v in flat.items():
            if isinstance(v, str) and len(v) <= 30 and find_date(v):
                date_raw, date = norm_space(v), find_date(v).iso
                break
            if _DATE_KEY_HINT.search(k) and _epoch_date(v):      # epoch numbers only under a date-ish key
                date_raw, date = str(v), _epoch_date(v)
                break
    titles = [_text(flat.get(k)) for k in TITLE_KEYS if _text(flat.get(k))]
    if not titles:
        others = [_text(v) for v in flat.values()
                  if isinstance(v, str) and not _is_urlish(v) and not (len(v) <= 30 and find_date(v))]
        titles = [max(others, key=len)] if others else []
    shown = titles[0] if titles else ""
    complete = [t for t in titles if not is_truncated(t)]
    full = max(complete, key=len) if complete else ""
    return ListEntry(url=url, title=shown or full, full_title=full, date_raw=date_raw, date=date)


def _number(obj, keys, depth: int = 0) -> int | None:
    if not isinstance(obj, dict) or depth > 3:
        return None
    flat = _lower(obj)
    for k in keys:
        v = flat.get(k)
        if isinstance(v, bool):
            continue
        if isinstance(v, int) or (isinstance(v, str) and v.strip().isdigit()):
            return int(v)
    for k in CONTAINER_KEYS:
        if isinstance(flat.get(k), dict):
            n = _number(flat[k], keys, depth + 1)
            if n is not None:
                return n
    return None


def parse_answer(body: str, page_url: str) -> tuple[list[ListEntry], int | None, int | None, int]:
    """(entries, total, page count, records seen) of an endpoint's answer."""
    resolve = Page(page_url, "").resolve
    data = _loads(body)
    if data is not None:
        records, _ = _find_records(data)
        total = _number(data, TOTAL_KEYS) if isinstance(data, dict) else None
        pages = _number(data, PAGES_KEYS) if isinstance(data, dict) else None
        if records:
            entries = unique_entries(record_entry(rec, resolve) for rec in records)
            return entries, total, pages, len(records)
        html = _html_in(data)
        if html is None:
            return [], total, pages, 0
        entries = _fragment_entries(html, page_url)
        return entries, total, pages, len(entries)
    entries = _fragment_entries(body or "", page_url)
    text = text_of(parse_fragment(body or ""))
    m = re.search(r"共\s*(\d+)\s*(?:条|篇|项|个|记录)", text)
    p = re.search(r"共\s*(\d+)\s*页", text)
    total = int(m.group(1)) if m else _attr_number(body, ("data-total", "data-count", "totalrecord"))
    return entries, total, int(p.group(1)) if p else None, len(entries)


def _failed(obj) -> bool:
    """The answer says it failed (success: false, status: "error", an error message)."""
    flat = _lower(obj)
    return (flat.get("success") is False or bool(_FAILED.match(str(flat.get("status", ""))))
            or flat.get("error") not in (None, "", False, 0))


def _empty_container(obj, depth: int = 0) -> bool:
    """A known records / html key holding nothing, in the answer or one of its known containers."""
    if not isinstance(obj, dict) or depth > 3:
        return False
    flat = _lower(obj)
    for k in RECORDS_KEYS:
        v = flat.get(k)
        if (isinstance(v, list) and not v) or (isinstance(v, str) and k in ("html", "content") and not v.strip()):
            return True
    return any(_empty_container(flat[k], depth + 1) for k in CONTAINER_KEYS if isinstance(flat.get(k), dict))


def lists_nothing(body: str) -> bool:
    """Whether an answer with no records says the list is empty (positive evidence), rather than
    being no list at all (an error envelope, a token, an unknown shape): see the module doc."""
    data = _loads(body)
    if isinstance(data, list):
        return not data
    if not isinstance(data, dict):
        return False
    if _failed(data):
        return False
    total = _number(data, TOTAL_KEYS)
    return total == 0 if total is not None else _empty_container(data)   # a total > 0: a page past the end


def _attr_number(body: str, names) -> int | None:
    for n in names:
        m = re.search(re.escape(n) + r"""\s*=\s*['"]?(\d+)""", body or "", re.I)
        if m:
            return int(m.group(1))
    return None


def _html_in(data) -> str | None:
    if isinstance(data, str):
        return data if "<a" in data.lower() else None
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        for v in data:
            h = _html_in(v)
            if h:
                return h
    return None


def _fragment_entries(html: str, page_url: str) -> list[ListEntry]:
    frag = parse_fragment(html)
    page = Page(page_url, frag)
    parent, items = best_group(frag, page.resolve, allow_undated=True)
    entries = entries_of(items, page.resolve) if parent is not None else []
    if len(entries) <= 1:
        lines = line_entries(Page(page_url, "<html><body>" + html + "</body></html>"))
        if len(lines) > len(entries):
            return lines
    if not entries and frag.tag == "div" and frag.find(".//a") is not None:
        entries = entries_of([c for c in frag if isinstance(c.tag, str)], page.resolve)
    return entries
