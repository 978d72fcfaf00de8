"""The one spider: discovers a site's columns from its homepage, walks every list, fetches
every document and 解读, and checks every link target once.

It records facts only (items -> ``crawler.pipelines``); audits judge them later.  What it
reads out of HTML comes from the pure functions of ``crawler.extract`` / ``crawler.listing``;
this module decides what to fetch next, in what order, and keeps the crawl in scope.

Request bookkeeping: every crawl request is written to the DB frontier before the page that
found it is marked done, so ``resume`` re-issues exactly the requests that never completed.
"""
from __future__ import annotations

import difflib
import hashlib
import re
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy import select

from crawler import items as it
from crawler import profile_lists
from crawler import signals as ga_signals
from crawler.linkcheck import (
    HEAD_REFUSED_STATUSES, LinkTargets, PageSignature, looks_like_js_challenge, outcome_for_failure,
    outcome_for_status, probe_url, soft404_outcome, text_digest,
)
from crawler.scope import Scope
from govaudit import storage
from govaudit.errors import EXIT_DB, EXIT_UNREACHABLE, EXIT_USAGE

# Priorities: finish documents before reading further list pages, lists before new columns,
# and shallow columns before deep ones (so a column is named by its nearest parent).
PRIORITY = {"probe": 100, "home": 90, "document": 50, "list": 40, "column": 20, "link": 10}
HANDLED_STATUSES = [304] + list(range(400, 600))

# Navigation names that lead into the 政务公开 platform / policy library (section gongkai).
GONGKAI_NAMES = re.compile(r"信息公开|政务公开|政府公开|公开目录|政策文件|文件库|规范性文件|政策解读")
TOWN_NAMES = re.compile(r"镇|街道|乡")
UNIT_GROUPS = re.compile(r"部门|单位|镇街|镇|街道|乡|区直|县直|市直")
UNIT_CODE = re.compile(r"site_([A-Za-z0-9_-]+)")


def _ex():
    """The extraction entry points (imported lazily: the worker imports the spider early)."""
    from crawler.extract import document, navigation, page, soft404
    from crawler import listing

    return document, navigation, page, soft404, listing


def decode(response) -> tuple[str, str]:
    """Response text and the encoding used, trusting the bytes when header and <meta> disagree."""
    try:
        from crawler.extract.encoding import decode_html
    except ImportError:  # the extraction package's helper is not there yet
        return response.text, response.encoding
    text, encoding = decode_html(response.body, response.headers.get(b"Content-Type", b"").decode("latin-1"))
    return text, encoding


class GongkaiSpider(scrapy.Spider):
    name = "gongkai"
    custom_settings: dict = {}

    def __init__(self, start_urls=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.start_urls = list(start_urls or [])
        self.fatal: tuple[str, int] | None = None
        self.seen: set[bytes] = set()
        self.units: dict[str, dict] = {}          # name -> {code, home_url, kind} (a site has few)
        self.in_flight_links: set[str] = set()
        self.probes: dict[str, PageSignature | None] = {}
        self.external_checked = 0
        self.unit_matched = False
        self.column_matched = False
        self.home_reached = False

    # ---- wiring ------------------------------------------------------------------------------
    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.profile = s.get("GOVAUDIT_PROFILE") or {}
        spider.scan_id = s.getint("GOVAUDIT_SCAN_ID")
        spider.previous_scan_id = s.get("GOVAUDIT_PREVIOUS_SCAN_ID")
        spider.resume = s.getbool("GOVAUDIT_RESUME")
        spider.scope_unit = s.get("GOVAUDIT_SCOPE_UNIT")
        spider.scope_column = s.get("GOVAUDIT_SCOPE_COLUMN")
        spider.max_depth = s.getint("GOVAUDIT_MAX_DEPTH")
        spider.max_list_pages = s.getint("GOVAUDIT_MAX_LIST_PAGES")
        spider.link_check = s.getbool("GOVAUDIT_LINK_CHECK")
        spider.check_external = s.getbool("GOVAUDIT_LINK_CHECK_EXTERNAL")
        spider.external_cap = s.getint("GOVAUDIT_EXTERNAL_LINK_CAP")
        spider.link_timeout = s.getfloat("GOVAUDIT_LINK_TIMEOUT")
        spider.link_batch = s.getint("GOVAUDIT_LINK_BATCH")
        spider.probe_enabled = s.getbool("GOVAUDIT_SOFT404_PROBE")
        spider.js_shell_bytes = s.getint("GOVAUDIT_JS_SHELL_MAX_BYTES")
        spider.max_pages = s.getint("GOVAUDIT_MAX_PAGES") or None
        spider.scope = Scope(spider.start_urls, s.getlist("GOVAUDIT_ALLOWED_HOSTS"),
                             s.getlist("GOVAUDIT_IGNORE_PARAMS"), s.getlist("GOVAUDIT_EXCLUDE_PATTERNS"))
        spider.engine = storage.connect(s.get("GOVAUDIT_DB"))
        spider.targets = LinkTargets(spider.engine, spider.scan_id)
        spider.column_overrides = spider.profile.get("columns") or []
        spider.profile_units = spider.profile.get("units") or []
        spider.list_rules = spider.profile.get("lists") or []
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.on_response, signal=signals.response_received)
        return spider

    def on_response(self, response, request, spider=None):
        if self.max_pages and self.crawler.stats.get_value("response_received_count", 0) >= self.max_pages:
            self.close_now("closespider_pagecount")

    def stop(self, message: str, code: int) -> None:
        """A problem the whole crawl cannot survive: one line for the user, then close."""
        if self.fatal is None:
            self.fatal = (message, code)
            self.close_now("fatal")

    def close_now(self, reason: str) -> None:
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))

    def record(self, item) -> None:
        """Store an item found outside a callback (the pipeline buffers it like any other)."""
        self.crawler.signals.send_catch_log(ga_signals.record_item, item=item)

    def flush(self) -> None:
        self.flush()

    # ---- requests and the frontier -------------------------------------------------------------
    def fingerprint(self, request) -> bytes:
        return self.crawler.request_fingerprinter.fingerprint(request)

    def make(self, url, callback, ga: dict, method="GET", body=None, headers=None, errback="on_error"):
        ga = {**ga, "url": url}
        meta = {"ga": ga, "handle_httpstatus_list": HANDLED_STATUSES}
        if ga["kind"] == "link":
            meta["download_timeout"] = self.link_timeout
        return scrapy.Request(url, callback=getattr(self, callback), errback=getattr(self, errback),
                              method=method, body=body, headers=headers, meta=meta,
                              priority=PRIORITY[ga["kind"]] - ga.get("depth", 0), dont_filter=True)

    def emit(self, request):
        """Yield (frontier entry, request) unless this request was already made in this scan."""
        fp = self.fingerprint(request)
        if fp in self.seen:
            return
        self.seen.add(fp)
        ga = request.meta["ga"]
        yield it.FrontierEntry(fingerprint=fp.hex(), url=request.url, request={
            "url": request.url, "method": request.method,
            "body": request.body.decode("utf-8", "replace") if request.body else None,
            "headers": {k.decode("latin-1"): v[0].decode("latin-1") for k, v in request.headers.items()
                        if k.lower() in (b"content-type", b"x-requested-with", b"referer")},
            "callback": request.callback.__name__, "errback": request.errback.__name__,
            "ga": ga,
        })
        yield request

    def done(self, response_or_failure):
        request = getattr(response_or_failure, "request", None)
        if request is None:
            return
        yield it.FrontierDone(self.fingerprint(request).hex())

    def restore(self, row) -> scrapy.Request:
        spec = row.request
        return self.make(spec["url"], spec["callback"], spec["ga"], method=spec["method"],
                         body=spec["body"], headers=spec.get("headers") or None, errback=spec["errback"])

    async def start(self):
        self.crawler.stats.set_value("govaudit/resumed", self.resume)
        if self.resume and self.restore_frontier():
            for request in self._restored:
                yield request
            return
        for url in self.start_urls:
            for out in self.emit(self.make(self.scope.canonical(url), "parse_home", {"kind": "home"})):
                yield out

    def restore_frontier(self) -> bool:
        """Resume: seed the seen-set with every request made so far, re-issue the unfinished."""
        fr = storage.frontier
        pending = []
        with self.engine.connect() as conn:
            for row in conn.execute(select(fr.c.fingerprint, fr.c.done, fr.c.request).where(fr.c.scan_id == self.scan_id)):
                self.seen.add(bytes.fromhex(row.fingerprint))
                if not row.done:
                    pending.append(row)
        # Link checks that were in flight are simply checked again.
        with self.engine.begin() as conn:
            conn.execute(storage.link.delete().where(storage.link.c.scan_id == self.scan_id,
                                                    storage.link.c.detail == "pending"))
        self._restored = [self.restore(row) for row in pending]
        self.crawler.stats.set_value("govaudit/restored_requests", len(self._restored))
        return bool(self.seen)

    # ---- shared page handling -------------------------------------------------------------------
    def page_item(self, response, kind, page=None, text="", encoding=None, extra=None):
        ga = response.meta["ga"]
        facts = dict(extra or {})
        if page is not None and response.status == 200:
            try:
                facts.update(_ex()[2].page_facts(ga["url"], page))
            except Exception as exc:  # noqa: BLE001 - a hostile page must not stop the crawl
                facts["facts_error"] = f"{type(exc).__name__}: {exc}"
        headers = response.headers
        return it.PageItem(
            url=ga["url"], kind=kind, status=response.status, size=len(response.body),
            content_hash=hashlib.sha256(response.body).hexdigest() if response.body else None,
            etag=(headers.get(b"ETag") or b"").decode("latin-1") or None,
            last_modified=(headers.get(b"Last-Modified") or b"").decode("latin-1") or None,
            encoding=encoding, facts=facts)

    def soft404_facts(self, response, page, text) -> dict:
        """What link classification needs later: the page test and a signature for the probe."""
        if response.status != 200:
            return {}
        try:
            says_missing = bool(_ex()[3].looks_like_soft404(response.status, page.text, len(response.body)))
        except Exception:  # noqa: BLE001
            says_missing = False
        return {"soft404_test": says_missing, "title": page.title_tag[:200],
                "text_len": len(page.text), "digest": text_digest(page.text),
                "final_url": response.url}

    def links_of(self, response, page, on_homepage=False, extra=()):
        """link_source rows for every outgoing link of a page (and list entries, attachments)."""
        source = response.meta["ga"]["url"]
        try:
            refs = list(_ex()[2].outgoing_links(source, page))
        except Exception:  # noqa: BLE001
            refs = []
        seen = set()
        for ref in [*refs, *extra]:
            url = self.scope.canonical(ref.url) if ref.url else None
            if not url or url in seen or url == source:
                continue
            seen.add(url)
            yield it.LinkSourceItem(target_url=url, source_url=source, anchor=(ref.anchor or "")[:500],
                                    tag=ref.tag, on_homepage=on_homepage)

    def record_failure(self, failure, kind):
        request = failure.request
        ga = request.meta.get("ga") or {}
        outcome, detail = outcome_for_failure(failure)
        self.crawler.stats.inc_value("govaudit/fetch_errors")
        referer = (request.headers.get(b"Referer") or b"").decode("latin-1") or None
        yield it.FetchErrorItem(url=ga.get("url", request.url), error=detail, status=None, referer=referer)
        if outcome != "unchecked":   # robots.txt / scope refusals are not fetches
            yield it.PageItem(url=ga.get("url", request.url), kind=kind, status=None,
                              facts={"error": outcome, "detail": detail})

    def on_error(self, failure):
        ga = failure.request.meta.get("ga") or {}
        kind = ga.get("kind")
        if kind == "home" and not self.home_reached:
            outcome, detail = outcome_for_failure(failure)
            if outcome != "unchecked":
                yield from self.record_failure(failure, "homepage")
                self.stop(f"无法访问起始网址 / start URL unreachable: {ga.get('url')} ({detail})", EXIT_UNREACHABLE)
                return
        yield from self.record_failure(failure, {"home": "homepage"}.get(kind, kind))
        if kind == "column":
            yield self.column_item(ga, status=None)
        yield from self.done(failure)

    def http_error(self, response, kind):
        self.crawler.stats.inc_value("govaudit/fetch_errors")
        yield it.FetchErrorItem(url=response.meta["ga"]["url"], error=f"HTTP {response.status}",
                                status=response.status,
                                referer=(response.request.headers.get(b"Referer") or b"").decode("latin-1") or None)
        yield self.page_item(response, kind)

    # ---- homepage --------------------------------------------------------------------------------
    def parse_home(self, response):
        ga = response.meta["ga"]
        if response.status >= 400:
            self.stop(f"无法访问起始网址 / start URL unreachable: {ga['url']} (HTTP {response.status})",
                      EXIT_UNREACHABLE)
            yield from self.http_error(response, "homepage")
            return
        self.home_reached = True
        text, encoding = decode(response)
        document, navigation, pagefacts, soft404, listing = _ex()
        from crawler.extract.html import Page

        page = Page(ga["url"], text)
        self.site_name = self.profile.get("site_name") or page.title_tag.split("-")[0].strip() or None
        yield self.page_item(response, "homepage", page, text, encoding, self.soft404_facts(response, page, text))
        yield from self.links_of(response, page, on_homepage=True)
        if not (self.scope_unit or self.scope_column):
            yield from self.homepage_column(response, page, listing)
        if self.probe_enabled:
            yield from self.emit(self.make(probe_url(ga["url"]), "parse_probe", {"kind": "probe"}, errback="on_probe_error"))
        for nav in self.nav_links(ga["url"], page, navigation):
            section = "gongkai" if GONGKAI_NAMES.search(nav["name"] + " " + nav.get("group", "")) else "portal"
            yield from self.follow_column(nav, parent=None, path=[], unit=None, section=section, depth=1)
        yield from self.done(response)

    def homepage_column(self, response, page, listing):
        url = response.meta["ga"]["url"]
        yield it.ColumnItem(url=url, name="首页", path="首页", section="homepage", kind="homepage", is_leaf=True,
                            list_style="homepage", http_status=response.status)
        entries = []
        try:
            found = listing.read_list(url, page, dict(response.headers.to_unicode_dict()))
            entries = list(found.entries) if found else []
        except Exception:  # noqa: BLE001
            entries = []
        for pos, entry in enumerate(e for e in entries if e.date):
            yield it.ListItemItem(column_url=url, url=self.scope.canonical(entry.url), title=entry.title,
                                  full_title=entry.full_title, date_raw=entry.date_raw, date=entry.date,
                                  page_url=url, position=pos)

    # ---- columns ---------------------------------------------------------------------------------
    def nav_links(self, url, page, navigation):
        """Column links of a page as plain dicts: url, name, group (in scope only)."""
        try:
            links = navigation.find_column_links(url, page)
        except Exception:  # noqa: BLE001
            return []
        out = []
        for link in links:
            target = self.scope.canonical(link.url) if getattr(link, "url", None) else None
            if not target or not self.scope.allows(target) or target in self.scope.start_urls:
                continue
            out.append({"url": target, "name": (getattr(link, "name", "") or "").strip(),
                        "group": (getattr(link, "group", "") or "").strip(),
                        "is_unit": bool(getattr(link, "is_unit", False))})
        return out

    def overrides_for(self, url, name) -> dict | None:
        for rule in self.column_overrides:
            if rule.get("url_pattern") and not re.search(rule["url_pattern"], url):
                continue
            if rule.get("name_pattern") and not re.search(rule["name_pattern"], name or ""):
                continue
            return {k: v for k, v in rule.items() if k not in ("url_pattern", "name_pattern")}
        return None

    def unit_of(self, nav) -> dict | None:
        """Is this link a unit's (部门/镇街) sub-site?  Profile units first, then the link's group."""
        for unit in self.profile_units:
            prefix = unit.get("url_prefix")
            if (prefix and nav["url"].startswith(self.scope.canonical(prefix))) or unit["name"] == nav["name"]:
                return {"name": unit["name"], "code": unit.get("code"), "kind": unit.get("kind"), "home_url": nav["url"]}
        if nav.get("is_unit") or (nav.get("group") and UNIT_GROUPS.search(nav["group"])):
            code = UNIT_CODE.search(nav["url"])
            kind = "town" if TOWN_NAMES.search(nav["name"]) or TOWN_NAMES.search(nav.get("group", "")) else "department"
            return {"name": nav["name"], "code": code.group(1) if code else None, "kind": kind, "home_url": nav["url"]}
        return None

    def wanted_unit(self, unit: dict) -> bool:
        want = self.scope_unit
        return not want or want in (unit["name"], unit.get("code"))

    def follow_column(self, nav, parent, path, unit, section, depth):
        if depth > self.max_depth:
            return
        name = nav["name"] or urlsplit(nav["url"]).path.rstrip("/").rsplit("/", 1)[-1]
        found_unit = self.unit_of(nav) if unit is None else None
        if found_unit:
            self.units.setdefault(found_unit["name"], found_unit)
            if self.scope_unit and not self.wanted_unit(found_unit):
                return
            if self.scope_unit:
                self.unit_matched = True
            yield it.UnitItem(**found_unit)
            unit = found_unit["name"]
            path = []            # a unit's columns are named from its own home
        elif self.scope_unit and unit is None and depth > 2:
            return                # restricted to a unit: the district's own columns are not wanted
        overrides = self.overrides_for(nav["url"], name)
        if overrides and overrides.get("skip"):
            return
        if overrides and overrides.get("section"):
            section = overrides["section"]
        ga = {"kind": "column", "name": name, "path": "/".join([*path, name]), "parent": parent,
              "unit": unit, "section": section, "depth": depth, "overrides": overrides,
              "unit_home": bool(found_unit)}
        yield from self.emit(self.make(nav["url"], "parse_column", ga))

    def column_item(self, ga, status, **kw):
        return it.ColumnItem(url=ga["url"], name=ga["name"], path=ga["path"], parent_url=ga.get("parent"),
                             unit=ga.get("unit"), section=ga.get("section") or "gongkai", http_status=status,
                             overrides=ga.get("overrides"), **kw)

    def column_in_scope(self, ga) -> bool:
        return not self.scope_column or ga["url"] == self.scope.canonical(self.scope_column)

    def parse_column(self, response):
        ga = response.meta["ga"]
        if response.status >= 400:
            yield from self.http_error(response, "column")
            yield self.column_item(ga, response.status, kind="list", is_leaf=True)
            yield from self.done(response)
            return
        text, encoding = decode(response)
        document, navigation, pagefacts, soft404, listing = _ex()
        from crawler.extract.html import Page

        page = Page(ga["url"], text)
        headers = dict(response.headers.to_unicode_dict())
        try:
            found = (profile_lists.read_column(self.list_rules, ga["url"], text)
                     or listing.read_list(ga["url"], page, headers))
        except Exception:  # noqa: BLE001 - an unreadable list is recorded as a column without items
            found = None
        children = [n for n in self.nav_links(ga["url"], page, navigation)
                    if self.fingerprint(self.make(n["url"], "parse_column", {"kind": "column"})) not in self.seen]
        is_hub = not found or (not found.entries and not found.placeholder and bool(children))
        kind = "hub" if is_hub else "list"
        yield self.page_item(response, "hub" if is_hub else "column", page, text, encoding,
                             self.soft404_facts(response, page, text))
        if self.column_in_scope(ga):
            self.column_matched = self.column_matched or bool(self.scope_column)
            yield from self.links_of(response, page)
            yield self.column_item(
                ga, response.status, kind=kind, is_leaf=not children,
                list_style=(found.style if found else None),
                placeholder=bool(found and found.placeholder and not found.entries),
                placeholder_text=(found.placeholder if found else None))
            if found:
                yield from self.list_entries(ga["url"], ga, found, ga["url"], start=0)
                yield from self.next_list_pages(ga, found, page_no=1)
        for child in children:
            yield from self.follow_column(child, parent=ga["url"], path=ga["path"].split("/"), unit=ga.get("unit"),
                                          section=ga.get("section"), depth=ga.get("depth", 1) + 1)
        yield from self.done(response)

    # ---- list pages --------------------------------------------------------------------------------
    def list_entries(self, column_url, column_ga, found, page_url, start):
        for pos, entry in enumerate(found.entries, start=start):
            url = self.scope.canonical(entry.url)
            yield it.ListItemItem(column_url=column_url, url=url, title=entry.title, full_title=entry.full_title,
                                  date_raw=entry.date_raw, date=entry.date, page_url=page_url, position=pos)
            yield it.LinkSourceItem(target_url=url, source_url=column_url, anchor=(entry.title or "")[:500])
            if self.scope.allows(url):
                doc_ga = {"kind": "document", "column": column_url, "unit": column_ga.get("unit"),
                          "section": column_ga.get("section"), "conditional": True}
                yield from self.emit(self.make(url, "parse_document", doc_ga))

    def next_list_pages(self, column_ga, found, page_no):
        if page_no >= self.max_list_pages:
            return
        for spec in found.next_pages:
            url = self.scope.canonical(spec["url"])
            if not self.scope.allows(url):
                continue
            ga = {"kind": "list", "column": column_ga["url"], "column_ga": {k: column_ga.get(k) for k in
                  ("url", "unit", "section")}, "spec": spec, "page_no": page_no}
            body = spec.get("body")
            headers = spec.get("headers") or None
            yield from self.emit(self.make(url, "parse_list", ga, method=spec.get("method") or "GET",
                                           body=body, headers=headers))

    def parse_list(self, response):
        ga = response.meta["ga"]
        if response.status >= 400:
            yield from self.http_error(response, "list")
            yield from self.done(response)
            return
        text, encoding = decode(response)
        listing = _ex()[4]
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        try:
            if ga["spec"].get("reader") == profile_lists.READER:
                found = profile_lists.read_response(self.list_rules, ga["spec"], ga["url"], text)
            else:
                found = listing.read_response(ga["spec"], ga["url"], text, content_type)
        except Exception as exc:  # noqa: BLE001
            yield it.FetchErrorItem(url=ga["url"], error=f"unreadable list page: {type(exc).__name__}: {exc}",
                                    status=response.status)
            yield from self.done(response)
            return
        yield self.page_item(response, "list", None, text, encoding)
        column_ga = ga["column_ga"]
        start = ga["page_no"] * 1000     # positions stay unique and ordered across pages
        yield from self.list_entries(ga["column"], column_ga, found, ga["url"], start)
        yield from self.next_list_pages(column_ga, found, ga["page_no"] + 1)
        yield from self.done(response)

    # ---- documents ---------------------------------------------------------------------------------
    def parse_document(self, response):
        ga = response.meta["ga"]
        if response.status == 304 and self.previous_scan_id:
            self.crawler.stats.inc_value("govaudit/not_modified")
            self.crawler.stats.inc_value("govaudit/documents")
            yield it.CopyPreviousItem(url=ga["url"], previous_scan_id=int(self.previous_scan_id), kind="document",
                                      column_url=ga.get("column"), unit=ga.get("unit"))
            yield from self.follow_previous_relations(ga)
            yield from self.done(response)
            return
        if response.status >= 400:
            yield from self.http_error(response, "document")
            yield from self.done(response)
            return
        text, encoding = decode(response)
        document, navigation, pagefacts, soft404, listing = _ex()
        from crawler.extract.html import Page

        page = Page(ga["url"], text)
        sig = self.soft404_facts(response, page, text)
        yield self.page_item(response, "document", page, text, encoding, sig)
        facts = document.extract_document(ga["url"], page)
        self.crawler.stats.inc_value("govaudit/documents")
        headers = response.headers
        attachments = [self._attachment(a) for a in (getattr(facts, "attachments", None) or [])]
        yield it.DocumentItem(
            url=ga["url"], final_url=response.url, http_status=response.status,
            title=getattr(facts, "title", "") or "", unit=ga.get("unit"), column_url=ga.get("column"),
            fields=dict(getattr(facts, "fields", {}) or {}), fields_raw=list(getattr(facts, "fields_raw", []) or []),
            metas=dict(getattr(facts, "metas", {}) or {}), publish_date=getattr(facts, "publish_date", None),
            written_date=getattr(facts, "written_date", None), body_text=getattr(facts, "body_text", "") or "",
            attachments=attachments, is_interpretation=bool(getattr(facts, "looks_like_interpretation", False)),
            encoding=encoding, content_hash=hashlib.sha256(response.body).hexdigest(),
            etag=(headers.get(b"ETag") or b"").decode("latin-1") or None,
            last_modified=(headers.get(b"Last-Modified") or b"").decode("latin-1") or None)
        extra = [it.LinkRef(url=a["url"], anchor=a.get("name", ""), tag="attachment") for a in attachments if a.get("url")]
        yield from self.links_of(response, page, extra=extra)
        for kind, refs in (("interpretation", getattr(facts, "interpretation_links", None) or []),
                           ("original", getattr(facts, "original_links", None) or [])):
            for ref in refs:
                url = self.scope.canonical(ref.url if hasattr(ref, "url") else ref)
                anchor = getattr(ref, "anchor", "") or ""
                yield it.RelationItem(src_url=ga["url"], dst_url=url, kind=kind, anchor=anchor[:500])
                yield from self.follow_related(ga, url)
        yield from self.done(response)

    @staticmethod
    def _attachment(a) -> dict:
        if isinstance(a, dict):
            return {"url": a.get("url"), "name": a.get("name", "")}
        return {"url": getattr(a, "url", None), "name": getattr(a, "anchor", "") or getattr(a, "name", "")}

    def follow_related(self, ga, url):
        """A 解读 / 原文 linked from a document is fetched as a document too (if in scope)."""
        if self.scope.allows(url):
            doc_ga = {"kind": "document", "column": None, "unit": ga.get("unit"), "section": ga.get("section"),
                      "conditional": True}
            yield from self.emit(self.make(url, "parse_document", doc_ga))

    def follow_previous_relations(self, ga):
        rel = storage.relation
        with self.engine.connect() as conn:
            rows = conn.execute(select(rel.c.dst_url).where(rel.c.scan_id == int(self.previous_scan_id),
                                                            rel.c.src_url == ga["url"])).all()
        for (dst,) in rows:
            yield from self.follow_related(ga, dst)

    # ---- link checking (after the crawl, from what the DB holds) -------------------------------------
    def on_idle(self, spider=None):
        if self.fatal:
            return
        self.flush()
        if not self.home_reached and not self.resume:
            return
        if self.scope_unit and not self.unit_matched:
            names = sorted(self.units)
            close = difflib.get_close_matches(self.scope_unit, names, n=5, cutoff=0.3)
            hint = f"; 相近 / close matches: {', '.join(close)}" if close else (
                f"; 已知单位 / known units: {', '.join(names[:10])}" if names else "")
            self.stop(f"未找到单位 / unknown unit: {self.scope_unit}{hint}", EXIT_USAGE)
            return
        if self.scope_column and not self.column_matched:
            ga = {"kind": "column", "name": self.scope_column.rstrip("/").rsplit("/", 1)[-1], "path": "",
                  "parent": None, "unit": None, "section": "gongkai", "depth": 1}
            self.column_matched = True
            scheduled = self.schedule(self.emit(self.make(self.scope.canonical(self.scope_column), "parse_column", ga)))
            if scheduled:
                raise DontCloseSpider
        if not self.link_check:
            return
        if self.classify_fetched() + self.schedule_link_checks():
            raise DontCloseSpider

    def schedule(self, outputs) -> int:
        n = 0
        for out in outputs:
            if isinstance(out, scrapy.Request):
                self.crawler.engine.crawl(out)
                n += 1
            else:
                self.record(out)
        self.flush()
        return n

    def classify_fetched(self) -> int:
        """Targets the crawl fetched anyway take their status from the page row."""
        total = 0
        while True:
            rows = self.targets.fetched(limit=1000)
            if not rows:
                return 0    # nothing scheduled: classification from pages is synchronous
            for url, status, facts in rows:
                facts = facts or {}
                if status is None:
                    outcome, detail = facts.get("error", "error"), facts.get("detail", "")
                else:
                    outcome, detail = outcome_for_status(status), f"HTTP {status}"
                    if status == 200:
                        soft, why = self.soft404_for(url, facts)
                        if soft:
                            outcome, detail = "soft404", why
                self.record(it.LinkStatusItem(url=url, status=status, outcome=outcome, detail=detail,
                                             is_external=not self.scope.is_internal(url), method="GET"))
                total += 1
            self.flush()
            self.crawler.stats.inc_value("govaudit/links_checked", len(rows))

    def soft404_for(self, url, facts) -> tuple[bool, str]:
        host = urlsplit(url).netloc
        probe = self.probes.get(host)
        sig = PageSignature(200, facts.get("title", ""), facts.get("text_len", 0), facts.get("digest", ""))
        start = url in self.scope.start_urls or self.scope.canonical(facts.get("final_url") or url) in self.scope.start_urls
        return soft404_outcome(bool(facts.get("soft404_test")), sig, probe, start)

    def schedule_link_checks(self) -> int:
        if self.external_checked == 0:
            self.external_checked = self.targets.count_external_checked()
        urls = self.targets.unfetched(self.in_flight_links, self.link_batch)
        requests = []
        for url in urls:
            external = not self.scope.is_internal(url)
            from crawler.extract.urls import is_attachment_url

            attachment = is_attachment_url(url)
            if external and (not self.check_external or self.external_checked >= self.external_cap):
                why = "external links not checked" if not self.check_external else "external link cap reached"
                self.record(it.LinkStatusItem(url=url, status=None, outcome="unchecked", detail=why,
                                              is_external=True, is_attachment=attachment, method="-"))
                continue
            if external:
                self.external_checked += 1
            self.in_flight_links.add(url)
            self.record(it.LinkStatusItem(url=url, status=None, outcome="unchecked", detail="pending",
                                          is_external=external, is_attachment=attachment, method="HEAD"))
            ga = {"kind": "link", "external": external, "attachment": attachment}
            requests.append(self.make(url, "parse_link", ga, method="HEAD", errback="on_link_error"))
        self.flush()
        for request in requests:
            self.crawler.engine.crawl(request)
        return len(urls)

    def link_result(self, ga, status, outcome, detail, method):
        self.in_flight_links.discard(ga["url"])
        self.crawler.stats.inc_value("govaudit/links_checked")
        return it.LinkStatusItem(url=ga["url"], status=status, outcome=outcome, detail=detail[:500],
                                 is_external=ga["external"], is_attachment=ga["attachment"], method=method)

    def parse_link(self, response):
        ga = response.meta["ga"]
        method = response.request.method
        status = response.status
        if method == "HEAD" and status in HEAD_REFUSED_STATUSES:
            yield self.make(ga["url"], "parse_link", ga, errback="on_link_error")   # ask again with GET
            return
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        is_html = "html" in content_type
        if method == "HEAD" and status == 200 and is_html and not ga["attachment"]:
            yield self.make(ga["url"], "parse_link", ga, errback="on_link_error")   # soft 404 needs the body
            return
        outcome, detail = outcome_for_status(status), f"HTTP {status}"
        if status == 200 and method == "GET" and is_html:
            if looks_like_js_challenge(response.body, status, self.js_shell_bytes):
                outcome, detail = "inconclusive", "JS challenge page (anti-bot), not judged"
            else:
                host = urlsplit(response.url).netloc
                if self.probe_enabled and host not in self.probes:
                    yield self.make(probe_url(response.url), "parse_probe", {"kind": "probe", "then": {
                        "ga": ga, "status": status, "facts": self._link_facts(response)}}, errback="on_probe_error")
                    return
                soft, why = self.soft404_for(ga["url"], self._link_facts(response))
                if soft:
                    outcome, detail = "soft404", why
        yield self.link_result(ga, status, outcome, detail, method)

    def _link_facts(self, response) -> dict:
        from crawler.extract.html import Page

        text, _ = decode(response)
        page = Page(response.meta["ga"]["url"], text)
        return self.soft404_facts(response, page, text)

    def on_link_error(self, failure):
        ga = failure.request.meta["ga"]
        outcome, detail = outcome_for_failure(failure)
        yield self.link_result(ga, None, outcome, detail, failure.request.method)

    # ---- soft-404 probes: one random nonexistent path per host ------------------------------------
    def parse_probe(self, response):
        text, _ = decode(response)
        from crawler.extract.html import Page

        page = Page(response.url, text)
        host = urlsplit(response.meta["ga"]["url"]).netloc
        self.probes[host] = PageSignature(response.status, page.title_tag[:200], len(page.text), text_digest(page.text))
        yield from self.after_probe(response.meta["ga"])

    def on_probe_error(self, failure):
        host = urlsplit(failure.request.meta["ga"]["url"]).netloc
        self.probes[host] = None
        yield from self.after_probe(failure.request.meta["ga"])

    def after_probe(self, probe_ga):
        then = probe_ga.get("then")
        if then:
            ga, status, facts = then["ga"], then["status"], then["facts"]
            soft, why = self.soft404_for(ga["url"], facts)
            outcome, detail = ("soft404", why) if soft else (outcome_for_status(status), f"HTTP {status}")
            yield self.link_result(ga, status, outcome, detail, "GET")
