"""Reading a JS shell's inline script: the list's data endpoint and how to ask it for page n.

The endpoint is read from the inline script — ``fetch(…)``, ``$.ajax({url: …, data: {…}})``,
``$.get/$.post/$.getJSON(…)``, ``axios(…)``, ``xhr.open('GET', …)`` — including URLs built by
string concatenation or template literals (``'/api/list?page=' + page``, `` `…?page=${p}` ``);
identifiers are resolved from ``var/let/const`` declarations, ``data-*`` attributes or form
fields of the page.  The parameter that numbers pages (page/pageNo/pageNum/pageIndex/current…)
and the one that sizes them (size/pageSize/rows/limit/perPage…), or an offset (start/offset),
are recognised by name, nested objects' too (EWB ``params: {categoryNum: …, pageIndex: …}``, paged
from 0 when the script calls ``load(0)``).  A JSON text parameter (jpaas ``paramJson``) is sent as
written, the page number filled into one built by concatenation (``'{"pageNo":' + pageNo + '}'``).
A URL string handed to a site's own loader counts when it looks like a paged data endpoint.  Only
endpoints on the page's own host are taken; a token service (``/api/auth/token``) is no list.

Used by the JS-shell reader (``crawler.listing.jsshell``); no reader of its own.
"""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.extract.html import Page
from crawler.extract.urls import absolute_url, host_of
from crawler.listing.base import request

DEFAULT_SIZE = 20

PAGE_KEYS = {"page", "pageno", "pagenum", "pageindex", "currentpage", "curpage", "p", "pn", "pagenumber",
             "current", "currpage", "page_no", "page_num", "page_index", "pagecurrent", "cpage"}
SIZE_KEYS = {"size", "pagesize", "rows", "limit", "perpage", "per_page", "ps", "num", "page_size", "length",
             "pagecount_size", "pagelimit", "count_per_page", "psize"}
OFFSET_KEYS = {"start", "offset", "startindex", "begin", "from", "startrow", "skip"}

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
_AUTH_PATH = re.compile(r"/(?:auth|oauth|token|gettoken|accesstoken|access_token|login)(?:/|\.\w+$|$)", re.I)
_GOOD_ENDPOINT = re.compile(r"list|page|query|search|data|api|channel|column|col|doc|article|json|\.do\b|\.jsp|"
                            r"datacall|info|xxgk|gongkai|record", re.I)
_RENDERS = re.compile(r"innerHTML|\.append\(|\.html\(|insertAdjacentHTML|forEach|\.map\(|for\s*\(|\$\.each|"
                      r"template|render", re.I)


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


class _Nested(str):
    """The source of an object literal nested in another (params: {…})."""


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
            out[k] = _Nested(body[vpos:sub_end])
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
                 body_kind: str = "query", first: int = 1):
        self.first = first                # page 1's number: 0 when the script asks load(0)
        self.url = url                    # absolute, without query
        self.method = method.upper()
        self.query = dict(query or {})
        self.data = dict(data or {})
        self.body_kind = body_kind        # query | form | json

    def all_params(self) -> dict:          # nested objects' too, flattened
        return dict(_leaves({**self.query, **self.data}))

    @property
    def paged(self) -> bool:
        return any(v in ("{page}", "{offset}") or "{page}" in v for v in self.all_params().values())

    def size(self) -> int | None:
        v = next((v for k, v in self.all_params().items() if _key(k) in SIZE_KEYS and str(v).isdigit()), None)
        return int(v) if v else None

    def _fill(self, params: dict, n: int) -> dict:
        size = self.size() or DEFAULT_SIZE
        marks = {"{page}": str(n - 1 + self.first), "{offset}": str((n - 1) * size)}

        def fill(v):                  # nested objects too; a JSON text's {page} hole
            return ({k: fill(x) for k, x in v.items()} if isinstance(v, dict) else
                    marks.get(v, v.replace("{page}", marks["{page}"]) if v.startswith("{") else v))
        return fill(params)

    def request_for(self, n: int, page_url: str, reader: str, **meta) -> dict:
        """The request for page ``n``, answered to ``reader`` (see ``crawler.listing.base.request``)."""
        query, data = self._fill(self.query, n), self._fill(self.data, n)
        headers = {"X-Requested-With": "XMLHttpRequest"}
        body = None
        if self.method == "GET" or self.body_kind == "query":
            query.update(_flat_values(data))
        elif self.body_kind == "json":
            body = json.dumps(_json_values(data), ensure_ascii=False)
            headers["Content-Type"] = "application/json"
        else:
            body = urlencode(_flat_values(data))
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        parts = urlsplit(self.url)
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(list(query.items())), ""))
        return request(url, reader, page_url, method=self.method, body=body, headers=headers,
                       endpoint=self.to_dict(), page=n, **meta)

    def to_dict(self) -> dict:
        return {"url": self.url, "method": self.method, "query": self.query, "data": self.data,
                "body_kind": self.body_kind, "first": self.first}

    @classmethod
    def from_dict(cls, d: dict) -> "Endpoint":
        return cls(d["url"], d.get("method", "GET"), d.get("query"), d.get("data"), d.get("body_kind", "query"),
                   d.get("first", 1))


def _leaves(params: dict):
    for k, v in params.items():
        yield from (_leaves(v) if isinstance(v, dict) else [(k, v)])


def _json_values(v):                 # numbers as numbers (not "004472", a code)
    if isinstance(v, dict):
        return {k: _json_values(x) for k, x in v.items()}
    return int(v) if str(v).isdigit() and (v == "0" or not str(v).startswith("0")) else v


def _flat_values(data: dict) -> dict:  # a nested object in a query or form: its JSON text
    return {k: json.dumps(_json_values(v), ensure_ascii=False) if isinstance(v, dict) else v for k, v in data.items()}


def _json_text(value: str, scripts: str, page: Page) -> str | None:
    """A parameter holding JSON text, fixed or built by concatenation: as written, with the page
    number's hole made the ``{page}`` marker and the others filled; None when it is no JSON."""
    filled = text = value.strip()
    if not (text.startswith("{") and text.endswith("}") and '"' in text):
        return None
    for h in _PLACEHOLDER.findall(text):
        if h.lstrip().startswith('"'):
            continue                              # a JSON member, not a hole
        v = "\x00" if _key(h) in PAGE_KEYS else _declared(h, scripts, page)
        if _key(h) in SIZE_KEYS and not (v or "").isdigit():
            v = str(DEFAULT_SIZE)
        if v is None:
            return None
        filled = filled.replace("{" + h + "}", v if v.isdigit() or v == "\x00" else json.dumps(v)[1:-1])
    try:
        return json.loads(filled.replace("\x00", "1")) and filled.replace("\x00", "{page}")
    except ValueError:
        return None


def _classify(key: str, value, scripts: str, page: Page):
    """A parameter value with its placeholders filled (page/size/offset markers kept); a nested
    object's values so, in a dict."""
    if isinstance(value, _Nested):
        inner = _object(value, 0)[0]
        return {k: c for k, v in inner.items() if (c := _classify(k, v, scripts, page)) is not None} or None
    if as_json := _json_text(value, scripts, page):
        return as_json
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
    return m if (m := (value or "").strip().upper()) in ("GET", "POST") else default


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
    ep = _endpoint_from_template(url_t, data, method, body_kind, src, page)
    fn = list(re.finditer(r"function\s+([\w$]+)\s*\(\s*[\w$]+\s*\)", src[:pos]))
    if ep is not None and fn and re.search(re.escape(fn[-1].group(1)) + r"\s*\(\s*0\s*\)", src):
        ep.first = 0                                   # function load(pageIndex) {…}  load(0);
    return ep


def _endpoint_from_template(url_t: str, data: dict, method: str, body_kind: str, scripts: str,
                            page: Page) -> Endpoint | None:
    base, _, query = url_t.partition("?")
    for h in _PLACEHOLDER.findall(base):
        resolved = _declared(h, scripts, page)
        if resolved is None:
            return None
        base = base.replace("{" + h + "}", resolved)
    def classified(pairs) -> dict:
        return {k: c for k, v in pairs if (c := _classify(k, v, scripts, page)) is not None}

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
    if _BAD_ENDPOINT.search(path) or _AUTH_PATH.search(parts.path):
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
