"""Hanweb JCMS (大汉版通) lists: records in a ``<script type="text/xml"><datastore>`` data island.

The first page's records sit in CDATA inside the script (an HTML parser sees no links there);
the rest come from ``/module/web/jpage/dataproxy.jsp?startrecord=S&endrecord=E&perpage=P``,
POSTed with the column's form (``col=1&appid=1&webid=W&path=/&columnid=C&unitid=U&webname=…
&permissiontype=0``) and answered with the same ``<datastore>`` XML (sometimes with a
``<totalrecord>``).  The total comes from ``$('#N').jpage({totalRecord:…, perPage:…})``; the
form values from the ``<nextgroup>`` link or ``param_N={columnid:…, unitid:…}``.

With a stated total every group is planned from the first page.  Without one the groups are
chained: a full answer asks for the next group, a short or empty one (deep pages of some
deployments answer 54 empty bytes) ends the list.
"""
from __future__ import annotations

import html as htmlmod
import math
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from crawler.extract.html import Page, parse_fragment
from crawler.extract.urls import absolute_url, host_of
from crawler.items import ListPage
from crawler.listing.base import CERTAIN, DEFAULT_MAX_PAGES, ReadContext, fingerprint, planned_pages, request
from crawler.extract.entries import entries_of

name = "hanweb_datastore"
evidence = CERTAIN
PROXY_PATH = "/module/web/jpage/dataproxy.jsp"

_DATASTORE = re.compile(r"<datastore>(.*?)(?:</datastore>|$)", re.S | re.I)
_RECORD = re.compile(r"<record>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</nextgroup>", re.S | re.I)
_TOTALRECORD = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_JPAGE = re.compile(r"\.jpage\(\s*\{(.*?)\}\s*\)", re.S)
_PARAM = re.compile(r"\bparam_\w+\s*=\s*\{(.*?)\}", re.S)
_KV = re.compile(r"""['"]?(\w+)['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,}\s]+))""")
_HREF = re.compile(r"""href\s*=\s*['"]([^'"]+)['"]""", re.I)

FORM_KEYS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname",
             "permissiontype")


def _kv(text: str) -> dict:
    return {m.group(1): next(g for g in m.groups()[1:] if g is not None) for m in _KV.finditer(text)}


def _records(xml: str) -> list[str]:
    return [(m.group(1) if m.group(1) is not None else htmlmod.unescape(m.group(2) or "")) for m in
            _RECORD.finditer(xml)]


def _entries(records: list[str], resolve) -> list:
    items = []
    for rec in records:
        frag = parse_fragment(rec)
        items.append(frag)
    entries = entries_of(items, resolve)
    # A record without a date element is still one entry: make_entry handles each wrapper.
    return entries


def _form(script_text: str, datastore: str, page_url: str) -> tuple[str, dict]:
    """(proxy URL, form fields) from the nextgroup link, jpage config and param_N object."""
    form: dict[str, str] = {"col": "1", "appid": "1", "webid": "1", "path": "/", "permissiontype": "0"}
    proxy = PROXY_PATH
    ng = _NEXTGROUP.search(datastore)
    if ng:
        href = _HREF.search(ng.group(1) or htmlmod.unescape(ng.group(2) or ""))
        if href:
            link = htmlmod.unescape(href.group(1))
            parts = urlsplit(link)
            if parts.path:
                proxy = parts.path
            for k, v in parse_qsl(parts.query, keep_blank_values=True):
                if k not in ("page", "startrecord", "endrecord", "perpage"):
                    form[k] = v
    for m in _PARAM.finditer(script_text):
        form.update({k: v for k, v in _kv(m.group(1)).items() if k in FORM_KEYS})
    jp = _JPAGE.search(script_text)
    if jp:
        conf = _kv(jp.group(1))
        if conf.get("proxyUrl"):
            proxy = conf["proxyUrl"]
        for k in FORM_KEYS:
            if k in conf:
                form[k] = conf[k]
    ordered = {k: form[k] for k in FORM_KEYS if k in form}
    ordered.update({k: v for k, v in form.items() if k not in ordered})
    proxy_url = urljoin(page_url, proxy)
    if host_of(proxy_url) != host_of(page_url):      # page content never sends the crawler elsewhere
        proxy_url = urljoin(page_url, PROXY_PATH)
    return proxy_url, ordered


def _group_request(proxy: str, page_url: str, form: dict, start: int, end: int, per_page: int, **meta) -> dict:
    sep = "&" if "?" in proxy else "?"
    url = absolute_url(page_url, f"{proxy}{sep}startrecord={start}&endrecord={end}&perpage={per_page}")
    return request(url, name, page_url, method="POST", body=urlencode(form),
                   headers={"Content-Type": "application/x-www-form-urlencoded"},
                   form=form, proxy=proxy, start=start, end=end, perpage=per_page, **meta)


def _plan(proxy, page_url, form, first_count, total, per_page, max_pages):
    group = max(first_count, per_page, 1)
    groups = min(max(math.ceil((total - first_count) / group), 0), max_pages)
    return planned_pages(name, planned, range(groups), {"proxy": proxy, "page_url": page_url, "form": form,
                                                        "first": first_count, "total": total,
                                                        "per_page": per_page, "group": group})


def planned(args: dict, k: int) -> dict:
    """The ``k``-th group of records after the first page's (the total is known)."""
    start = args["first"] + 1 + k * args["group"]
    end = min(start + args["group"] - 1, args["total"])
    return _group_request(args["proxy"], args["page_url"], args["form"], start, end, args["per_page"],
                          mode="planned")


def detect(page: Page, ctx: ReadContext) -> ListPage | None:
    max_pages = ctx.max_pages
    for script in page.scripts:
        if "<datastore" not in script.lower():
            continue
        ds = _DATASTORE.search(script)
        if not ds:
            continue
        datastore = ds.group(1)
        records = _records(datastore)
        entries = _entries(records, page.resolve)
        all_scripts = "\n".join(page.scripts)
        conf = _kv(_JPAGE.search(all_scripts).group(1)) if _JPAGE.search(all_scripts) else {}
        total = _int(conf.get("totalRecord"))
        if total is None:
            total = _int(_first(_TOTALRECORD, datastore))
        per_page = _int(conf.get("perPage")) or len(records) or 15
        proxy, form = _form(all_scripts, datastore, page.url)
        result = ListPage(style=name, entries=entries, total=total)
        if total is not None:
            result.next_pages = _plan(proxy, page.url, form, len(records), total, per_page, max_pages)
        elif records and _NEXTGROUP.search(datastore):
            group = len(records)
            result.next_pages = [_group_request(proxy, page.url, form, group + 1, 2 * group, per_page,
                                                mode="chained", group=group, hops=1, max_pages=max_pages,
                                                seen=[fingerprint(entries)])]
        return result
    return None


def read_response(meta: dict, url: str, body: str, content_type: str | None, ctx: ReadContext) -> ListPage:
    page_url = meta.get("page_url") or url
    resolve = Page(page_url, "").resolve
    ds = _DATASTORE.search(body or "")
    records = _records(ds.group(1) if ds else body or "")
    entries = _entries(records, resolve)
    total = _int(_first(_TOTALRECORD, body or ""))
    result = ListPage(style=name, entries=entries, total=total)
    if meta.get("mode") != "chained" or not entries:
        return result
    group = meta.get("group") or len(records)
    fp = fingerprint(entries)
    seen = list(meta.get("seen") or [])
    hops = int(meta.get("hops") or 1)
    limit = int(meta.get("max_pages") or DEFAULT_MAX_PAGES)
    if len(records) < group or fp in seen or hops >= limit:
        return result                 # short page: the end; repeated page: a server ignoring startrecord
    start = int(meta["end"]) + 1
    if total is not None and start > total:
        return result
    result.next_pages = [_group_request(meta["proxy"], page_url, meta["form"], start, start + group - 1,
                                        meta["perpage"], mode="chained", group=group, hops=hops + 1,
                                        max_pages=limit, seen=(seen + [fp])[-20:])]
    return result


def _first(pattern, text):
    m = pattern.search(text or "")
    return m.group(1) if m else None


def _int(value) -> int | None:
    try:
        return int(str(value).strip().strip("'\""))
    except (TypeError, ValueError):
        return None

