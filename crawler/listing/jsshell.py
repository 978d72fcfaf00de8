"""JS-shell lists: a thin page whose inline script fetches the list from a data endpoint.

The endpoint is read from the inline script — ``fetch(…)``, ``$.ajax({url: …, data: {…}})``,
``$.get/$.post/$.getJSON(…)``, ``axios(…)``, ``xhr.open('GET', …)`` — including URLs built by
string concatenation or template literals (``'/api/list?page=' + page``, `` `…?page=${p}` ``);
identifiers are resolved from ``var/let/const`` declarations, ``data-*`` attributes or form
fields of the page.  The parameter that numbers pages (page/pageNo/pageNum/pageIndex/current…)
and the one that sizes them (size/pageSize/rows/limit/perPage…), or an offset (start/offset),
are recognised by name.

Page 1 is requested first; its answer states the total (total/totalCount/count/totalRecord…)
or the page count (pageCount/totalPage/pages…), and the remaining pages are planned from it.
Without either, pages are chained until one comes back short, empty or repeated.

Answers are JSON (or JSONP) or an HTML fragment.  JSON records are found by shape — the
largest list of objects whose values include a URL-ish string — and read with common key names
(title/name…, url/link/href…, date/pubDate/publishDate/fbrq…), falling back to shape (the
URL-ish value, the date-ish value, the longest other string).  Only endpoints on the page's
own host are followed.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.extract.dates import find_date
from crawler.extract.html import Page, norm_space, parse_fragment, text_of
from crawler.extract.title import is_truncated
from crawler.extract.urls import absolute_url, host_of
from crawler.items import ListEntry, ListPage
from crawler.listing.base import DEFAULT_MAX_PAGES, fingerprint, request
from crawler.extract.entries import best_group, entries_of, in_chrome, line_entries, unique_entries

NAME = "js_shell"
DEFAULT_SIZE = 20

PAGE_KEYS = {"page", "pageno", "pagenum", "pageindex", "currentpage", "curpage", "p", "pn", "pagenumber",
             "current", "currpage", "page_no", "page_num", "page_index", "pagecurrent", "cpage"}
SIZE_KEYS = {"size", "pagesize", "rows", "limit", "perpage", "per_page", "ps", "num", "page_size", "length",
             "pagecount_size", "pagelimit", "count_per_page", "psize"}
OFFSET_KEYS = {"start", "offset", "startindex", "begin", "from", "startrow", "skip"}
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
                  "obj", "list", "datas", "rows", "records", "items")

_CALL = re.compile(
    r"\bfetch\s*\(|(?:\$|\bjQuery)\.(?:ajax|get|post|getJSON)\s*\(|\baxios(?:\.(?:get|post|request))?\s*\("
    r"|\.open\s*\(\s*['\"](?:GET|POST)['\"]\s*,", re.I)
_STR = re.compile(r"'((?:[^'\\\n]|\\.)*)'|\"((?:[^\"\\\n]|\\.)*)\"|`((?:[^`\\]|\\.)*)`", re.S)
_IDENT = re.compile(r"[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*|\[[^\]\n]*\])*")
_TEMPLATE_SUB = re.compile(r"\$\{([^}]*)\}")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_OBJ_PAIR = re.compile(r"""['"]?([A-Za-z_$][\w$]*)['"]?\s*:\s*""")
_BAD_ENDPOINT = re.compile(r"visit|count\.jsp|stat|/log|weather|jiucuo|login|user|captcha|hit|click|share|qrcode|"
                           r"barrier|wza|conac|favicon|\.css|\.png|\.jpg|\.gif|\.svg", re.I)
_GOOD_ENDPOINT = re.compile(r"list|page|query|search|data|api|channel|column|col|doc|article|json|\.do\b|\.jsp|"
                            r"datacall|info|xxgk|gongkai|record", re.I)
_RENDERS = re.compile(r"innerHTML|\.append\(|\.html\(|insertAdjacentHTML|forEach|\.map\(|for\s*\(|\$\.each|"
                      r"template|render", re.I)
_JSONP = re.compile(r"^\s*[\w$.]+\s*\((.*)\)\s*;?\s*$", re.S)
_URLISH = re.compile(r"^(?:https?:)?//|^\.{0,2}/|\.(?:s?html?|jsp|aspx?|php|do)(?:[?#]|$)", re.I)


# ---- reading the inline script --------------------------------------------------------------

def _lit(m) -> str:
    if m.group(3) is not None:
        return _TEMPLATE_SUB.sub(lambda x: "{" + x.group(1).strip() + "}", m.group(3))
    s = m.group(1) if m.group(1) is not None else m.group(2)
    return re.sub(r"\\(.)", r"\1", s)


def _skip_ws(src: str, i: int) -> int:
    while i < len(src) and src[i] in " \t\r\n":
        i += 1
    return i


def _balanced(src: str, i: int, open_c: str = "(", close_c: str = ")") -> int:
    depth = 0
    while i < len(src):
        c = src[i]
        if c in "'\"`":
            m = _STR.match(src, i)
            if m:
                i = m.end()
                continue
        if c == open_c:
            depth += 1
        elif c == close_c:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def _expr(src: str, i: int) -> tuple[str | None, int]:
    """A concatenation of literals and identifiers → template with {identifier} holes."""
    parts: list[str] = []
    while True:
        i = _skip_ws(src, i)
        m = _STR.match(src, i)
        if m:
            parts.append(_lit(m))
            i = m.end()
        elif i < len(src) and src[i] == "(":
            end = _balanced(src, i)
            parts.append("{" + src[i + 1:end - 1].strip() + "}")
            i = end
        elif i < len(src) and src[i].isdigit():
            d = re.match(r"\d+", src[i:])
            parts.append(d.group(0))
            i += d.end()
        else:
            m = _IDENT.match(src, i)
            if not m or m.group(0) in ("function", "return", "new"):
                break
            name = re.sub(r"\s+", "", m.group(0))
            i = m.end()
            if i < len(src) and src[i] == "(":          # a call: encodeURIComponent(x), getPage()
                end = _balanced(src, i)
                inner = src[i + 1:end - 1].strip()
                name = inner if re.fullmatch(r"[\w$.]+", inner) else name
                i = end
            parts.append("{" + name + "}")
        i = _skip_ws(src, i)
        if i < len(src) and src[i] == "+":
            i += 1
            continue
        break
    return ("".join(parts) if parts else None), i


_CALL_VALUE = re.compile(r"(?:new\s+)?[A-Za-z_$][\w$.]*\s*\(\s*\{")


def _object(src: str, i: int) -> tuple[dict, int]:
    """A JS object literal at src[i] == '{' → {key: template}."""
    end = _balanced(src, i, "{", "}")
    body = src[i + 1:end - 1]
    out: dict[str, str] = {}
    j = 0
    while True:
        m = _OBJ_PAIR.search(body, j)
        if not m:
            break
        k = m.group(1)
        vpos = _skip_ws(body, m.end())
        if vpos < len(body) and body[vpos] == "{":
            sub_end = _balanced(body, vpos, "{", "}")
            out[k] = body[vpos:sub_end]
            j = sub_end
            continue
        call = _CALL_VALUE.match(body, vpos)
        if call:                        # JSON.stringify({…}) / new URLSearchParams({…}): keep the source
            call_end = _balanced(body, body.index("(", vpos))
            out[k] = body[vpos:call_end]
            j = call_end
            continue
        v, j2 = _expr(body, vpos)
        if v is not None:
            out[k] = v
        j = max(j2, m.end())
    return out, end


def _key(name: str) -> str:
    return re.split(r"[.\[]", name.strip())[-1].strip("]'\" ").lower()


def _declared(name: str, scripts: str, page: Page) -> str | None:
    """The value of a variable/field the script reads, from a declaration or the page's markup."""
    memo = page.memo.setdefault("js_declared", {})
    if name not in memo:
        memo[name] = _find_declared(name, scripts, page)
    return memo[name]


def _find_declared(name: str, scripts: str, page: Page) -> str | None:
    base = name.split(".")[-1].strip()
    if not re.fullmatch(r"[\w$]+", base or ""):
        return None
    m = re.search(r"(?:\bvar|\blet|\bconst|[,{]|\bthis\.)\s*" + re.escape(base) + r"\s*[=:]\s*", scripts)
    if m:
        v, _ = _expr(scripts, m.end())
        if v is not None and not _PLACEHOLDER.search(v):
            return v
    for el in page.tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("data-" + base.lower()) is not None:
            return el.get("data-" + base.lower())
        if el.tag == "input" and base in (el.get("id"), el.get("name")) and el.get("value") is not None:
            return el.get("value")
    return None


class Endpoint:
    """A list data endpoint: how to ask for page n.

    ``query`` are the URL's own parameters, ``data`` the call's data object (sent in the URL for
    GET, as the form or JSON body for POST).  Values are literal, or one of the markers
    ``{page}`` / ``{offset}`` filled in per page.
    """

    def __init__(self, url: str, method: str = "GET", query: dict | None = None, data: dict | None = None,
                 body_kind: str = "query"):
        self.url = url                    # absolute, without query
        self.method = method.upper()
        self.query = dict(query or {})
        self.data = dict(data or {})
        self.body_kind = body_kind        # query | form | json

    def all_params(self) -> dict:
        return {**self.query, **self.data}

    @property
    def paged(self) -> bool:
        return any(v in ("{page}", "{offset}") for v in self.all_params().values())

    def size(self) -> int | None:
        v = next((v for k, v in self.all_params().items() if _key(k) in SIZE_KEYS and str(v).isdigit()), None)
        return int(v) if v else None

    def _fill(self, params: dict, n: int) -> dict:
        size = self.size() or DEFAULT_SIZE
        marks = {"{page}": str(n), "{offset}": str((n - 1) * size)}
        return {k: marks.get(v, v) for k, v in params.items()}

    def request_for(self, n: int, page_url: str, **meta) -> dict:
        query, data = self._fill(self.query, n), self._fill(self.data, n)
        headers = {"X-Requested-With": "XMLHttpRequest"}
        body = None
        if self.method == "GET" or self.body_kind == "query":
            query.update(data)
        elif self.body_kind == "json":
            body = json.dumps({k: (int(v) if str(v).isdigit() else v) for k, v in data.items()}, ensure_ascii=False)
            headers["Content-Type"] = "application/json"
        else:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        parts = urlsplit(self.url)
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(list(query.items())), ""))
        return request(url, NAME, page_url, method=self.method, body=body, headers=headers,
                       endpoint=self.to_dict(), page=n, **meta)

    def to_dict(self) -> dict:
        return {"url": self.url, "method": self.method, "query": self.query, "data": self.data,
                "body_kind": self.body_kind}

    @classmethod
    def from_dict(cls, d: dict) -> "Endpoint":
        return cls(d["url"], d.get("method", "GET"), d.get("query"), d.get("data"), d.get("body_kind", "query"))


def _classify(key: str, value: str, scripts: str, page: Page) -> str | None:
    """A parameter value with its placeholders filled (page/size/offset markers kept)."""
    k = _key(key)
    holes = _PLACEHOLDER.findall(value)
    if k in PAGE_KEYS and (holes or value.isdigit()):
        return "{page}"
    if k in OFFSET_KEYS and (holes or value.isdigit()):
        return "{offset}"
    if not holes:
        return value
    if k in SIZE_KEYS:
        resolved = _declared(holes[0], scripts, page)
        return resolved if resolved and resolved.isdigit() else str(DEFAULT_SIZE)
    out = value
    for h in holes:
        if _key(h) in PAGE_KEYS:
            return "{page}"
        resolved = _declared(h, scripts, page)
        if resolved is None:
            return None
        out = out.replace("{" + h + "}", resolved)
    return out


def _method(value: str | None, default: str) -> str:
    value = (value or "").strip().upper()
    return value if value in ("GET", "POST") else default


def _endpoint_from_call(src: str, pos: int, page: Page) -> Endpoint | None:
    """The endpoint of the request call starting at ``src[pos]`` (see ``_CALL``)."""
    call = src[pos:pos + 40]
    method = "POST" if re.search(r"\.post\s*\(|open\s*\(\s*['\"]POST", call, re.I) else "GET"
    data: dict = {}
    body_kind = "query"
    i = _skip_ws(src, src.index("(", pos) + 1)
    if call.startswith(".open"):                              # xhr.open('GET', url)
        i = _skip_ws(src, src.index(",", i) + 1)
    if i < len(src) and src[i] == "{":                       # $.ajax({url: …, data: {…}}) / axios({…})
        opts, _ = _object(src, i)
        url_t = opts.get("url")
        method = _method(opts.get("type") or opts.get("method"), method)
        raw_data = opts.get("data") or opts.get("params") or ""
        if "json" in (opts.get("contentType") or "").lower() or "JSON.stringify" in raw_data:
            body_kind = "json"
        data = _object(raw_data, raw_data.index("{"))[0] if "{" in raw_data else {}
    else:
        url_t, j = _expr(src, i)
        j = _skip_ws(src, j)
        if j < len(src) and src[j] == ",":                     # fetch(url, {method, body}) / $.get(url, {data})
            j = _skip_ws(src, j + 1)
            if j < len(src) and src[j] == "{":
                opts, _ = _object(src, j)
                if "method" in opts or "body" in opts:
                    method = _method(opts.get("method"), method)
                    raw = opts.get("body") or ""
                    if "JSON.stringify" in raw:
                        body_kind = "json"
                    data = _object(raw, raw.index("{"))[0] if "{" in raw else {}
                else:
                    data = opts
    if url_t and url_t.startswith("{") and url_t.endswith("}") and url_t.count("{") == 1:
        url_t = _declared(url_t[1:-1], src, page)           # fetch(api + …) with var api = '/…'
    if not url_t:
        return None
    return _endpoint_from_template(url_t, data, method, body_kind, src, page)


def _endpoint_from_template(url_t: str, data: dict, method: str, body_kind: str, scripts: str,
                            page: Page) -> Endpoint | None:
    base, _, query = url_t.partition("?")
    for h in _PLACEHOLDER.findall(base):
        resolved = _declared(h, scripts, page)
        if resolved is None:
            return None
        base = base.replace("{" + h + "}", resolved)
    def classified(pairs) -> dict:
        out = {}
        for k, v in pairs:
            c = _classify(k, v, scripts, page)
            if c is not None:
                out[k] = c
        return out

    url = absolute_url(page.url, base)
    if not url or host_of(url) != host_of(page.url):
        return None
    if method == "POST" and body_kind == "query":
        body_kind = "form"
    return Endpoint(url, method, classified(parse_qsl(query, keep_blank_values=True)), classified(data.items()),
                    body_kind if method == "POST" else "query")


def _score(ep: Endpoint, context: str) -> int:
    parts = urlsplit(ep.url)
    path = parts.path + "?" + parts.query
    score = 0
    if _BAD_ENDPOINT.search(path):
        score -= 6
    if _GOOD_ENDPOINT.search(path):
        score += 2
    if ep.paged:
        score += 3
    if any(_key(k) in SIZE_KEYS for k in ep.all_params()):
        score += 2
    if _RENDERS.search(context):
        score += 1
    return score


MAX_LITERAL_CANDIDATES = 50


def _literal_endpoints(scripts: str, page: Page):
    """URL strings handed to a site's own loader (``gkList.load(opts, "/api/list.json?page=1")``):
    the request code is in an external file, only the URL is inline."""
    tried = 0
    for m in _STR.finditer(scripts):
        if tried >= MAX_LITERAL_CANDIDATES:
            return
        text = _lit(m)
        if len(text) > 400 or " " in text or "<" in text or not (text.startswith(("/", "./", "../", "http"))
                                                                   or "?" in text):
            continue
        if "?" not in text and not _DATA_PATH.search(text):
            continue
        tried += 1
        ep = _endpoint_from_template(text, {}, "GET", "query", scripts, page)
        if ep is not None:
            yield m.start(), ep


_DATA_PATH = re.compile(r"\.(?:json|do|jsp|php|aspx?|action)(?:$|\?)|/api/|/front/|/data", re.I)
LITERAL_MIN_SCORE = 4        # a bare URL string must look like a paged data endpoint


def find_endpoints(page: Page) -> list[tuple[int, Endpoint]]:
    """[(score, Endpoint)] of data endpoints named in the page's inline scripts, best first."""
    scripts = "\n".join(s for s in page.scripts if "<datastore" not in s.lower())
    found, urls = [], set()
    for m in _CALL.finditer(scripts):
        try:
            ep = _endpoint_from_call(scripts, m.start(), page)
        except (ValueError, IndexError):
            continue
        if ep is not None:
            found.append((_score(ep, scripts[m.start():m.start() + 3000]), ep))
            urls.add(ep.url)
    for pos, ep in _literal_endpoints(scripts, page):
        if ep.url in urls:
            continue
        score = _score(ep, scripts[pos:pos + 3000])
        if score >= LITERAL_MIN_SCORE:
            found.append((score - 1, ep))
            urls.add(ep.url)
    found.sort(key=lambda x: -x[0])
    return [f for f in found if f[0] > 0]


def detect(page: Page, max_pages: int = DEFAULT_MAX_PAGES) -> ListPage | None:
    endpoints = find_endpoints(page)
    if not endpoints:
        return None
    _score, ep = endpoints[0]
    parent, items = best_group(page)
    entries = entries_of(items, page.resolve) if parent is not None and not in_chrome(parent) else []
    result = ListPage(style=NAME, entries=entries)
    result.next_pages = [ep.request_for(1, page.url, mode="first", max_pages=max_pages)]
    return result


# ---- reading the endpoint's answer ----------------------------------------------------------

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


def read_response(meta: dict, url: str, body: str, content_type: str | None = None) -> ListPage:
    page_url = meta.get("page_url") or url
    entries, total, pages, n_records = parse_answer(body, page_url)
    result = ListPage(style=NAME, entries=entries, total=total)
    ep = Endpoint.from_dict(meta["endpoint"])
    n = int(meta.get("page") or 1)
    limit = int(meta.get("max_pages") or DEFAULT_MAX_PAGES)
    if not ep.paged or not entries:
        return result
    mode = meta.get("mode")
    if mode == "first":
        size = ep.size() or n_records
        if n_records and total is not None and n_records < size and total > n_records:
            size = n_records                      # the server capped the page size
        count = pages if pages else (math.ceil(total / size) if total is not None and size else None)
        if count is not None:
            result.next_pages = [ep.request_for(i, page_url, mode="planned") for i in range(2, min(count, limit) + 1)]
            return result
    if mode in ("first", "chained"):
        fp = fingerprint(entries)
        seen = list(meta.get("seen") or [])
        size = ep.size()
        if fp in seen or n >= limit or (size and n_records < size):
            if fp in seen:
                result.entries = []
            return result
        result.next_pages = [ep.request_for(n + 1, page_url, mode="chained", max_pages=limit,
                                            seen=(seen + [fp])[-50:])]
    return result


__all__ = ["NAME", "detect", "read_response", "find_endpoints", "Endpoint", "record_entry"]
