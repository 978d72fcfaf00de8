"""The one spider: discovers a site's columns from its homepage, walks every list, fetches
every document and 解读, then checks every link target once.

It records facts only (items -> ``crawler.pipelines``); audits judge them later.  What it
reads out of HTML comes from the pure functions of ``crawler.extract`` / ``crawler.listing``;
this module decides what to fetch next, in what order, and keeps the crawl in scope.

Request bookkeeping: every crawl request is written to the DB frontier before the page that
found it is marked done, so ``resume`` re-issues exactly the requests that never completed.
"""
from __future__ import annotations

import dataclasses
import difflib
import hashlib

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy import select

from crawler import items as it
from crawler import listing, profile_lists
from crawler import signals as ga_signals
from crawler.discovery import ColumnLink, column_links, section_for, tree_owner, unit_code
from crawler.extract.document import extract_document
from crawler.extract.navigation import classify_page, find_column_links, find_gongkai_entry
from crawler.extract.page import page_facts
from crawler.linkcheck import LinkCheckMixin, LinkTargets, outcome_for_failure
from crawler.middlewares import previous_validators
from crawler.responses import bundled, decode, page_of
from crawler.revisit import RevisitPolicy
from crawler.scope import Scope
from govaudit.core import storage
from govaudit.core.errors import EXIT_UNREACHABLE, EXIT_USAGE

# Finish documents before reading further list pages, lists before new columns, and shallow
# columns before deep ones, so the queue stays short and the tree is read top-down.
PRIORITY = {"probe": 100, "home": 90, "document": 50, "list": 40, "unit_home": 30, "column": 20, "entry": 15,
            "link": 10}
HANDLED_STATUSES = [304] + list(range(400, 600))
# Pages kept in the HTTP cache for re-scans (documents are revalidated against the DB instead).
CACHED_KINDS = frozenset({"home", "unit_home", "column", "list"})


def header(response, name: bytes) -> str | None:
    return (response.headers.get(name) or b"").decode("latin-1") or None


class GongkaiSpider(LinkCheckMixin, scrapy.Spider):
    name = "gongkai"

    def __init__(self, start_urls=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.start_urls = list(start_urls or [])
        self.fatal: tuple[str, int] | None = None
        self.site_name: str | None = None
        self.seen: set[bytes] = set()               # request fingerprints (the only per-site memory)
        self.units: dict[str, dict] = {}            # unit name -> facts (a site has tens)
        self.in_flight_links: set[str] = set()      # bounded by GOVAUDIT_LINK_BATCH
        self.probes: dict = {}                      # (host, top dir) -> PageSignature | pending | failed
        self.probe_waiting: dict = {}               # link checks waiting for their probe
        self.external_checked = 0
        self.home_reached = False
        self.unit_matched = False
        self.column_matched = False

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
        spider.max_pages = s.getint("GOVAUDIT_MAX_PAGES") or None
        spider.link_check = s.getbool("GOVAUDIT_LINK_CHECK")
        spider.check_external = s.getbool("GOVAUDIT_LINK_CHECK_EXTERNAL")
        spider.external_cap = s.getint("GOVAUDIT_EXTERNAL_LINK_CAP")
        spider.link_timeout = s.getfloat("GOVAUDIT_LINK_TIMEOUT")
        spider.link_batch = s.getint("GOVAUDIT_LINK_BATCH")
        spider.probe_enabled = s.getbool("GOVAUDIT_SOFT404_PROBE")
        spider.js_shell_bytes = s.getint("GOVAUDIT_JS_SHELL_MAX_BYTES")
        spider.scope = Scope(spider.start_urls, s.getlist("GOVAUDIT_ALLOWED_HOSTS"),
                             s.getlist("GOVAUDIT_IGNORE_PARAMS"), s.getlist("GOVAUDIT_EXCLUDE_PATTERNS"))
        spider.column_overrides = spider.profile.get("columns") or []
        spider.profile_units = spider.profile.get("units") or []
        spider.list_rules = spider.profile.get("lists") or []
        spider.engine = storage.connect(s.get("GOVAUDIT_DB"))
        spider.targets = LinkTargets(spider.engine, spider.scan_id)
        spider.revisit = RevisitPolicy.from_settings(spider.engine, s)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.on_response, signal=signals.response_received)
        crawler.signals.connect(spider.on_request, signal=signals.request_reached_downloader)
        return spider

    def on_request(self, request, spider=None):
        self.crawler.stats.inc_value("govaudit/requests")

    def on_response(self, response, request, spider=None):
        if "cached" not in response.flags and request.method != "HEAD":
            # What really crossed the network (a revalidated page comes back from the cache).
            self.crawler.stats.inc_value("govaudit/downloaded_bytes", len(response.body))
            if response.status == 200:
                self.crawler.stats.inc_value("govaudit/full_downloads")
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
        self.crawler.signals.send_catch_log(ga_signals.flush_requested)

    # ---- requests and the frontier -------------------------------------------------------------
    def fingerprint(self, request) -> bytes:
        return self.crawler.request_fingerprinter.fingerprint(request)

    def make(self, url, callback, ga: dict, method="GET", body=None, headers=None, errback="on_error"):
        ga = {**ga, "url": url}
        meta = {"ga": ga, "handle_httpstatus_list": HANDLED_STATUSES, "dont_cache": ga["kind"] not in CACHED_KINDS}
        if ga["kind"] == "link":
            meta["download_timeout"] = self.link_timeout
        return scrapy.Request(url, callback=getattr(self, callback), errback=getattr(self, errback),
                              method=method, body=body, headers=headers, meta=meta,
                              priority=PRIORITY[ga["kind"]] - ga.get("depth", 0), dont_filter=True)

    def is_new(self, url, callback="parse_column") -> bool:
        return self.fingerprint(scrapy.Request(url, method="GET")) not in self.seen

    def mark_seen(self, url) -> None:
        """Known but not to be fetched (outside a --unit scope)."""
        self.seen.add(self.fingerprint(scrapy.Request(url, method="GET")))

    def emit(self, request):
        """Yield (frontier entry, request) unless this request was already made in this scan."""
        fp = self.fingerprint(request)
        if fp in self.seen:
            return
        self.seen.add(fp)
        yield it.FrontierEntry(fingerprint=fp.hex(), url=request.url, request={
            "url": request.url, "method": request.method,
            "body": request.body.decode("utf-8", "replace") if request.body else None,
            "headers": {k.decode("latin-1"): v[0].decode("latin-1") for k, v in request.headers.items()},
            "callback": request.callback.__name__, "errback": request.errback.__name__,
            "ga": request.meta["ga"],
        })
        yield request

    def done(self, response_or_failure):
        """The frontier marker that closes a request: yielded after everything it produced."""
        request = getattr(response_or_failure, "request", None)
        if request is not None:
            yield it.FrontierDone(self.fingerprint(request).hex())

    async def start(self):
        self.crawler.stats.set_value("govaudit/resumed", self.resume)
        if self.revisit.enabled:     # the report says how old a copied verification may be
            self.crawler.stats.set_value("govaudit/recheck_window_days", None if self.revisit.trust_always
                                         else self.revisit.window_days)
        if self.resume:
            restored = self.restore_frontier()
            if self.seen:
                for request in restored:
                    yield request
                return
        for url in self.start_urls:
            for out in self.emit(self.make(self.scope.canonical(url), "parse_home", {"kind": "home"})):
                yield out

    def restore_frontier(self) -> list:
        """Resume: seed the seen-set with every request made so far; re-issue the unfinished."""
        fr = storage.frontier
        pending = []
        with self.engine.connect() as conn:
            rows = conn.execute(select(fr.c.fingerprint, fr.c.done, fr.c.request).where(fr.c.scan_id == self.scan_id))
            for row in rows:
                self.seen.add(bytes.fromhex(row.fingerprint))
                if not row.done:
                    spec = row.request
                    pending.append(self.make(spec["url"], spec["callback"], spec["ga"], method=spec["method"],
                                             body=spec["body"], headers=spec.get("headers") or None,
                                             errback=spec["errback"]))
        with self.engine.begin() as conn:      # link checks that were in flight are checked again
            conn.execute(storage.link.delete().where(storage.link.c.scan_id == self.scan_id,
                                                    storage.link.c.detail == "pending"))
        self.home_reached = bool(self.seen)
        with self.engine.connect() as conn:     # the scope was found by the interrupted run
            if self.scope_unit:
                self.unit_matched = conn.execute(select(storage.unit.c.id).where(
                    storage.unit.c.scan_id == self.scan_id).limit(1)).first() is not None
            if self.scope_column:
                col = storage.column
                self.column_matched = conn.execute(select(col.c.id).where(
                    col.c.scan_id == self.scan_id, col.c.url == self.scope.canonical(self.scope_column))
                    .limit(1)).first() is not None
        self.crawler.stats.set_value("govaudit/restored_requests", len(pending))
        return pending

    # ---- what every page records -----------------------------------------------------------------
    def page_item(self, response, kind, page=None, encoding=None, facts=None):
        facts = dict(facts or {})
        if page is not None and response.status == 200:
            try:
                facts.update(page_facts(response.meta["ga"]["url"], page, homepage=kind == "homepage"))
            except Exception as exc:  # noqa: BLE001 - a hostile page must not stop the crawl
                facts["facts_error"] = f"{type(exc).__name__}: {exc}"
        return it.PageItem(
            url=response.meta["ga"]["url"], kind=kind, status=response.status, size=len(response.body),
            content_hash=hashlib.sha256(response.body).hexdigest() if response.body else None,
            etag=header(response, b"ETag"), last_modified=header(response, b"Last-Modified"),
            encoding=encoding, facts=facts)

    def link_sources(self, source, refs, on_homepage=False):
        """link_source rows for the outgoing links of a page (list entries and attachments included)."""
        seen = set()
        for ref in refs:
            url = self.scope.canonical(ref.url) if ref.url else None
            if not url or url in seen or url == source:
                continue
            seen.add(url)
            yield it.LinkSourceItem(target_url=url, source_url=source, anchor=(ref.anchor or "")[:500],
                                    tag=ref.tag, on_homepage=on_homepage)

    def page_links(self, response, page, on_homepage=False):
        from crawler.extract.page import outgoing_links

        try:
            refs = outgoing_links(response.meta["ga"]["url"], page)
        except Exception:  # noqa: BLE001
            refs = []
        yield from self.link_sources(response.meta["ga"]["url"], refs, on_homepage)

    def fetch_error(self, url, error, status=None, request=None):
        self.crawler.stats.inc_value("govaudit/fetch_errors")
        referer = (request.headers.get(b"Referer") or b"").decode("latin-1") or None if request is not None else None
        return it.FetchErrorItem(url=url, error=error, status=status, referer=referer)

    @bundled
    def on_error(self, failure):
        request = failure.request
        ga = request.meta.get("ga") or {}
        outcome, detail = outcome_for_failure(failure)
        if outcome != "unchecked":    # robots.txt and scope refusals are not fetches
            yield self.fetch_error(ga.get("url", request.url), detail, request=request)
            yield it.PageItem(url=ga.get("url", request.url), kind={"home": "homepage", "entry": "other"}.get(ga.get("kind"), ga.get("kind")),
                              status=None, facts={"error": outcome, "detail": detail})
            if ga.get("kind") == "home" and not self.home_reached:
                self.stop(f"无法访问起始网址 / start URL unreachable: {ga.get('url')} ({detail})", EXIT_UNREACHABLE)
        elif ga.get("kind") == "home" and not self.home_reached:
            # Refused without a fetch error (a redirect loop, robots.txt): a fact for the audits.
            self.crawler.stats.set_value("govaudit/start_page_unread", detail)
        yield from self.done(failure)

    def http_error(self, response, kind):
        """A 4xx/5xx answer: recorded (the link check reuses it), nothing more to read."""
        yield self.fetch_error(response.meta["ga"]["url"], f"HTTP {response.status}", response.status,
                               response.request)
        yield self.page_item(response, kind)
        yield from self.done(response)

    # ---- homepage --------------------------------------------------------------------------------
    @bundled
    def parse_home(self, response):
        ga = response.meta["ga"]
        if response.status >= 400:
            if not self.home_reached:
                self.stop(f"无法访问起始网址 / start URL unreachable: {ga['url']} (HTTP {response.status})",
                          EXIT_UNREACHABLE)
            yield from self.http_error(response, "homepage")
            return
        self.home_reached = True
        page, text, encoding = page_of(response, ga["url"])
        self.site_name = self.profile.get("site_name") or page.title_tag.split("-")[0].strip() or None
        home = self.page_item(response, "homepage", page, encoding, self.soft404_facts(response, page, text))
        yield home
        yield from self.page_links(response, page, on_homepage=True)
        if not (self.scope_unit or self.scope_column):
            yield from self.homepage_column(ga["url"], response.status, home.facts.get("dated_items") or [])
            yield from self.entry_pages(home.facts)
        entry = find_gongkai_entry(ga["url"], page)
        if entry is not None and self.scope.allows(self.scope.canonical(entry.url)):
            yield from self.follow_unit_home(self.scope.canonical(entry.url), None)
        for link in self.column_links(ga["url"], page):
            if entry is not None and link.url == self.scope.canonical(entry.url):
                continue
            if self.scope_unit:
                self.mark_seen(link.url)       # the district's own columns are not wanted
                continue
            yield from self.follow_column(link, unit=None, section=section_for(link.name, None), depth=1)
        yield from self.done(response)

    def homepage_column(self, url, status, dated_items):
        """The homepage as a pseudo-column holding its dated items (首页更新 is judged on them)."""
        yield it.ColumnItem(url=url, name="首页", path="首页", section="homepage", kind="homepage", is_leaf=True,
                            list_style="homepage", http_status=status)
        for pos, item in enumerate(dated_items):
            yield it.ListItemItem(column_url=url, url=self.scope.canonical(item["url"]), title=item.get("title", ""),
                                  date_raw=item.get("date") or "", date=item.get("date"), page_url=url, position=pos)

    def entry_pages(self, home_facts):
        """The homepage's 无障碍 / 关怀版 entries lead to stand-alone pages with their own footer
        and markup (rules.md A1–A5 apply to them): fetched once, as pages of kind 'other'."""
        for entry in [*home_facts.get("accessibility_entries", ()), *home_facts.get("care_entries", ())]:
            url = self.scope.canonical(entry["url"]) if entry.get("url") else None
            if url and self.scope.allows(url):
                yield from self.emit(self.make(url, "parse_entry_page", {"kind": "entry"}))

    @bundled
    def parse_entry_page(self, response):
        if response.status >= 400:
            yield from self.http_error(response, "other")
            return
        url = response.meta["ga"]["url"]
        page, text, encoding = page_of(response, url)
        yield self.page_item(response, "other", page, encoding, self.soft404_facts(response, page, text))
        yield from self.page_links(response, page)
        yield from self.done(response)

    # ---- units and columns -------------------------------------------------------------------------
    def column_links(self, url, page):
        try:
            links = find_column_links(url, page)
        except Exception:  # noqa: BLE001
            return []
        for link in links:
            link.url = self.scope.canonical(link.url)
        return [c for c in column_links(links, self.scope.allows) if c.url not in self.scope.start_urls]

    def profile_unit(self, url, name=None) -> dict | None:
        for unit in self.profile_units:
            prefix = unit.get("url_prefix")
            if (prefix and url.startswith(self.scope.canonical(prefix))) or unit["name"] == name:
                return {"name": unit["name"], "code": unit.get("code"), "kind": unit.get("kind")}
        return None

    def wanted_unit(self, name, code) -> bool:
        return not self.scope_unit or self.scope_unit in (name, code)

    def follow_unit_home(self, url, unit: dict | None):
        """A unit's own 信息公开 home (unit=None: the district's platform home)."""
        ga = {"kind": "unit_home", "unit": unit, "depth": 1}
        yield from self.emit(self.make(url, "parse_unit_home", ga))

    @bundled
    def parse_unit_home(self, response):
        ga = response.meta["ga"]
        if response.status >= 400:
            yield from self.http_error(response, "hub")
            return
        page, text, encoding = page_of(response, ga["url"])
        yield self.page_item(response, "hub", page, encoding, self.soft404_facts(response, page, text))
        links = self.column_links(ga["url"], page)
        unit = dict(ga.get("unit") or {})
        if not unit:   # the district: named by the heading its catalogue tree hangs under
            raw = find_column_links(ga["url"], page)
            unit = {"name": tree_owner(raw) or self.profile.get("site_name") or self.site_name or "本级",
                    "kind": "district", "code": None}
        unit["home_url"] = ga["url"]
        unit.update({k: v for k, v in (self.profile_unit(ga["url"], unit["name"]) or {}).items() if v})
        self.units.setdefault(unit["name"], unit)
        wanted = self.wanted_unit(unit["name"], unit.get("code"))
        if wanted:
            self.unit_matched = self.unit_matched or bool(self.scope_unit)
            yield it.UnitItem(name=unit["name"], code=unit.get("code"), home_url=unit["home_url"], kind=unit.get("kind"))
            yield from self.page_links(response, page)
        for link in links:
            sub = self.profile_unit(link.url, link.name)
            if link.is_unit or (sub and sub["name"] == link.name):
                sub = sub or {}
                found = {"name": link.name, "code": sub.get("code") or unit_code(link.url),
                         "kind": sub.get("kind") or link.unit_kind}
                self.units.setdefault(found["name"], found)
                if self.wanted_unit(found["name"], found["code"]):
                    yield from self.follow_unit_home(link.url, found)
                else:
                    self.mark_seen(link.url)
            elif wanted:
                yield from self.follow_column(link, unit=unit["name"], section="gongkai", depth=2)
            else:
                self.mark_seen(link.url)
        yield from self.done(response)

    def overrides_for(self, url, name) -> dict | None:
        import re

        for rule in self.column_overrides:
            if rule.get("url_pattern") and not re.search(rule["url_pattern"], url):
                continue
            if rule.get("name_pattern") and not re.search(rule["name_pattern"], name or ""):
                continue
            return {k: v for k, v in rule.items() if k not in ("url_pattern", "name_pattern")}
        return None

    def follow_column(self, link, unit, section, depth, parent=None):
        if depth > self.max_depth:
            return
        overrides = self.overrides_for(link.url, link.name)
        if overrides and overrides.get("skip"):
            return
        if overrides and overrides.get("section"):
            section = overrides["section"]
        ga = {"kind": "column", "name": link.name, "path": "/".join(link.path), "unit": unit, "section": section,
              "depth": depth, "overrides": overrides, "has_children": link.has_children, "parent": parent}
        yield from self.emit(self.make(link.url, "parse_column", ga))

    def column_item(self, ga, status, **kw):
        return it.ColumnItem(url=ga["url"], name=ga["name"], path=ga["path"], parent_url=ga.get("parent"),
                             unit=ga.get("unit"), section=ga.get("section") or "gongkai", http_status=status,
                             overrides=ga.get("overrides"), **kw)

    @bundled
    def parse_column(self, response):
        ga = response.meta["ga"]
        if response.status >= 400:
            yield from self.http_error(response, "column")
            return
        if self.replayable(response):
            replayed = self.replay(response, "column")
            if replayed is not None:
                yield from replayed
                return
        page, text, encoding = page_of(response, ga["url"])
        try:
            found = (profile_lists.read_column(self.list_rules, ga["url"], text)
                     or listing.read_list(ga["url"], page, dict(response.headers.to_unicode_dict()),
                                          max_pages=self.max_list_pages))
        except Exception:  # noqa: BLE001 - an unreadable list is a column without items
            found = None
        children = [c for c in self.column_links(ga["url"], page) if self.is_new(c.url) and not c.is_unit]
        is_hub = found is None and (ga.get("has_children") or bool(children))
        kind = "hub" if is_hub else "list"
        if found is None and not is_hub and classify_page(ga["url"], page) == "document":
            kind = "single"    # the column shows one page inline (指南, 机构职能)
        wanted = not self.scope_column or ga["url"] == self.scope.canonical(self.scope_column)
        for child in children:
            child.path = [*ga["path"].split("/"), child.name] if len(child.path) == 1 else child.path
        facts = self.soft404_facts(response, page, text)
        facts["replay"] = {"children": [dataclasses.asdict(c) for c in children],
                           "next": found.next_pages if found else [], "page_no": 1}
        yield self.page_item(response, "hub" if is_hub else "column", page, encoding, facts)
        if wanted:
            self.column_matched = self.column_matched or bool(self.scope_column)
            yield from self.page_links(response, page)
            yield self.column_item(
                ga, response.status, kind=kind, is_leaf=not (ga.get("has_children") or children),
                list_style=found.style if found else ("hub" if is_hub else None),
                placeholder=bool(found and found.placeholder and not found.entries),
                placeholder_text=found.placeholder if found else None)
            if found:
                yield from self.list_entries(ga, found, ga["url"], start=0)
                yield from self.next_list_pages(ga, found, page_no=1)
        for child in children:
            yield from self.follow_column(child, unit=ga.get("unit"), section=ga.get("section"),
                                          depth=ga.get("depth", 1) + 1, parent=ga["url"])
        yield from self.done(response)

    # ---- unchanged column and list pages on a re-scan ----------------------------------------------
    def replayable(self, response) -> bool:
        """Served from the HTTP cache after a 304: the page is what the previous scan read."""
        return (bool(self.previous_scan_id) and "cached" in response.flags and response.request.method == "GET"
                and not self.scope_column)

    def replay(self, response, kind):
        """Copy an unchanged column/list page's records from the previous scan and issue again the
        requests it led to (documents, further pages, sub-columns), without parsing it.

        Returns None when the previous scan holds no replay for it (then it is parsed as usual).
        """
        ga = response.meta["ga"]
        previous = int(self.previous_scan_id)
        pg, li = storage.page, storage.list_item
        with self.engine.connect() as conn:
            replay = conn.execute(select(pg.c.facts["replay"]).where(pg.c.scan_id == previous,
                                                                     pg.c.url == ga["url"])).scalar()
            if not replay:
                return None
            entries = conn.execute(select(li.c.url).where(li.c.scan_id == previous, li.c.page_url == ga["url"])
                                   .order_by(li.c.position)).scalars().all()
        return self._replayed(response, kind, replay, entries)

    def _replayed(self, response, kind, replay, entries):
        ga = response.meta["ga"]
        self.crawler.stats.inc_value("govaudit/replayed_pages")
        yield it.CopyPreviousItem(url=ga["url"], previous_scan_id=int(self.previous_scan_id), kind=kind)
        column_ga = ga if kind == "column" else ga["column"]
        found = it.ListPage(style="replay", entries=[it.ListEntry(url=u) for u in entries],
                                 next_pages=replay.get("next") or [])
        urls = [self.scope.canonical(u) for u in entries]
        if self.revisit.enabled:
            urls = yield from self.trusted_documents(urls)
        yield from self.document_requests(column_ga, urls)
        yield from self.next_list_pages(column_ga, found, (replay.get("page_no") or 1) if kind == "column"
                                        else ga["page_no"] + 1)
        for child in replay.get("children") or []:
            yield from self.follow_column(ColumnLink(**child), unit=ga.get("unit"), section=ga.get("section"),
                                          depth=ga.get("depth", 1) + 1, parent=ga["url"])
        yield from self.done(response)

    def trusted_documents(self, urls):
        """The documents of an unchanged list page, and the 解读/原文 they link to, that the
        revisit policy (``crawler.revisit``) lets us copy from the previous scan unasked.

        Returns the URLs that still need a (conditional) request.
        """
        previous = int(self.previous_scan_id)
        fingerprints = {}      # each URL fingerprinted once (tens of thousands per re-scan)

        def new(candidates):
            for u in candidates:
                if u not in fingerprints and self.scope.allows(u):
                    fingerprints[u] = self.fingerprint(scrapy.Request(u, method="GET"))
            return [u for u in candidates if u in fingerprints and fingerprints[u] not in self.seen]

        pending = new(urls)
        ask = []
        while pending:
            known = previous_validators(self.engine, previous, pending)
            related = []
            for url in pending:
                if url not in known or not self.revisit.may_copy(url, known[url]):
                    ask.append(url)
                    continue
                self.seen.add(fingerprints[url])     # copied: known, not to be fetched
                self.crawler.stats.inc_value("govaudit/trusted_unchanged")
                self.crawler.stats.inc_value("govaudit/documents")
                yield it.CopyPreviousItem(url=url, previous_scan_id=previous, kind="document", verified=False)
                related += new(known[url]["related"])
            pending = list(dict.fromkeys(u for u in related if u not in ask))
        return ask

    # ---- list pages --------------------------------------------------------------------------------
    def list_entries(self, column_ga, found, page_url, start):
        column_url = column_ga["url"]
        urls = [self.scope.canonical(entry.url) for entry in found.entries]
        for pos, (entry, url) in enumerate(zip(found.entries, urls), start=start):
            yield it.ListItemItem(column_url=column_url, url=url, title=entry.title, full_title=entry.full_title,
                                  date_raw=entry.date_raw, date=entry.date, page_url=page_url, position=pos)
            yield it.LinkSourceItem(target_url=url, source_url=page_url, anchor=(entry.title or "")[:500])
        if self.revisit.enabled:     # a changed or POST list page: documents listed as before may be copied
            as_before = self.listed_as_before(column_url, found.entries, urls)
            asked = yield from self.trusted_documents([u for u in urls if u in as_before])
            urls = [u for u in urls if u not in as_before] + asked
        yield from self.document_requests(column_ga, urls)

    def listed_as_before(self, column_url, entries, urls) -> set[str]:
        """Documents this list shows exactly as the previous scan saw them listed in this column
        (same title, same date): new, retitled or re-dated entries are not among them."""
        li = storage.list_item
        shown = {url: ((entry.title or "").strip(), entry.date_raw or "") for entry, url in zip(entries, urls)}
        if not shown:
            return set()
        with self.engine.connect() as conn:
            rows = conn.execute(select(li.c.url, li.c.title, li.c.date_raw).where(
                li.c.scan_id == int(self.previous_scan_id), li.c.column_url == column_url,
                li.c.url.in_(list(shown))))
            return {row.url for row in rows if shown.get(row.url) == ((row.title or "").strip(), row.date_raw or "")}

    def same_as_previous(self, response) -> bool:
        """A list page (or data endpoint) without validators whose bytes are the previous scan's
        (GET only: POST pages share a URL)."""
        if not (self.previous_scan_id and response.status == 200 and response.request.method == "GET"
                and not self.scope_column):
            return False
        pg = storage.page
        with self.engine.connect() as conn:
            previous = conn.execute(select(pg.c.content_hash).where(
                pg.c.scan_id == int(self.previous_scan_id), pg.c.url == response.meta["ga"]["url"])).scalar()
        return previous is not None and previous == hashlib.sha256(response.body).hexdigest()

    def document_requests(self, column_ga, urls):
        """Fetch the documents a list links to (conditionally, when an earlier scan has them)."""
        urls = [u for u in urls if self.scope.allows(u) and self.is_new(u)]
        known = {}
        if self.previous_scan_id and urls:   # one lookup per list page for the conditional requests
            known = previous_validators(self.engine, int(self.previous_scan_id), urls)
        for url in urls:
            doc_ga = {"kind": "document", "column": column_ga["url"], "unit": column_ga.get("unit"),
                      "section": column_ga.get("section"), "conditional": True}
            if self.previous_scan_id:
                doc_ga["validators"] = known.get(url)
            yield from self.emit(self.make(url, "parse_document", doc_ga))

    def next_list_pages(self, column_ga, found, page_no):
        if page_no >= self.max_list_pages:
            return
        column = {k: column_ga.get(k) for k in ("url", "unit", "section")}
        for spec in found.next_pages:
            url = self.scope.canonical(spec["url"])
            if not self.scope.allows(url):
                continue
            ga = {"kind": "list", "column": column, "spec": spec, "page_no": page_no}
            yield from self.emit(self.make(url, "parse_list", ga, method=spec.get("method") or "GET",
                                           body=spec.get("body"), headers=spec.get("headers") or None))

    @bundled
    def parse_list(self, response):
        ga = response.meta["ga"]
        if response.status >= 400:
            yield from self.http_error(response, "list")
            return
        if self.replayable(response) or self.same_as_previous(response):
            # Unchanged (304, or the same bytes from a data endpoint that sends no validators).
            replayed = self.replay(response, "list")
            if replayed is not None:
                yield from replayed
                return
        text, encoding = decode(response)
        spec = ga["spec"]
        try:
            if spec.get("reader") == profile_lists.READER:
                found = profile_lists.read_response(self.list_rules, spec, ga["url"], text)
            else:
                found = listing.read_response(spec, ga["url"], text, header(response, b"Content-Type"))
        except Exception as exc:  # noqa: BLE001
            yield self.fetch_error(ga["url"], f"unreadable list page: {type(exc).__name__}: {exc}", response.status)
            yield from self.done(response)
            return
        replay = {"next": found.next_pages} if response.request.method == "GET" else None
        yield self.page_item(response, "list", None, encoding, {"replay": replay} if replay else None)
        # Positions stay unique and ordered across pages (page N starts at N * 1000).
        yield from self.list_entries(ga["column"], found, ga["url"], start=ga["page_no"] * 1000)
        yield from self.next_list_pages(ga["column"], found, ga["page_no"] + 1)
        yield from self.done(response)

    # ---- documents ---------------------------------------------------------------------------------
    @bundled
    def parse_document(self, response):
        ga = response.meta["ga"]
        if response.status == 304 and self.previous_scan_id:
            yield from self.unchanged_document(response)
            return
        if response.status >= 400:
            yield from self.http_error(response, "document")
            return
        page, text, encoding = page_of(response, ga["url"])
        facts = extract_document(ga["url"], page)
        signature = self.soft404_facts(response, page, text)
        signature["document_fields"] = len(facts.fields)
        signature["related"] = [self.scope.canonical(r.url) for r in (*facts.interpretation_links, *facts.original_links)]
        page_row = self.page_item(response, "document", page, encoding, signature)
        yield page_row
        if signature["soft404_test"] and not facts.fields:
            # "页面不存在" with status 200 and no metadata: a dead link, not a document.
            yield self.fetch_error(ga["url"], "soft 404: the page says it does not exist", response.status)
            yield from self.done(response)
            return
        self.crawler.stats.inc_value("govaudit/documents")
        yield it.DocumentItem(
            url=ga["url"], final_url=response.url, http_status=response.status, title=facts.title,
            unit=ga.get("unit"), column_url=ga.get("column"), fields=facts.fields, fields_raw=facts.fields_raw,
            metas=facts.metas, publish_date=facts.publish_date, written_date=facts.written_date,
            body_text=facts.body_text, attachments=facts.attachments,
            is_interpretation=facts.looks_like_interpretation, encoding=encoding,
            content_hash=page_row.content_hash,
            etag=header(response, b"ETag"), last_modified=header(response, b"Last-Modified"))
        yield from self.link_sources(ga["url"], facts.links)
        for kind, refs in (("interpretation", facts.interpretation_links), ("original", facts.original_links)):
            for ref in refs:
                url = self.scope.canonical(ref.url)
                yield it.RelationItem(src_url=ga["url"], dst_url=url, kind=kind, anchor=(ref.anchor or "")[:500])
                yield from self.follow_related(ga, url)
        yield from self.done(response)

    def unchanged_document(self, response):
        """304 Not Modified: the previous scan's facts are this scan's facts."""
        ga = response.meta["ga"]
        self.crawler.stats.inc_value("govaudit/not_modified")
        self.crawler.stats.inc_value("govaudit/documents")
        yield it.CopyPreviousItem(url=ga["url"], previous_scan_id=int(self.previous_scan_id), kind="document")
        for url in response.meta.get("previous_related") or ():
            yield from self.follow_related(ga, url)
        yield from self.done(response)

    def follow_related(self, ga, url):
        """A 解读 / 原文 linked from a document is fetched as a document too (if in scope)."""
        if self.scope.allows(url):
            doc_ga = {"kind": "document", "column": None, "unit": ga.get("unit"), "section": ga.get("section"),
                      "conditional": True}
            yield from self.emit(self.make(url, "parse_document", doc_ga))

    # ---- the end of the crawl: scope checks, then link checking --------------------------------------
    def on_idle(self, spider=None):
        if self.fatal:
            return
        self.flush()
        if not self.home_reached:
            return
        if self.scope_unit and not self.unit_matched:
            names = sorted(self.units)
            close = difflib.get_close_matches(self.scope_unit, names, n=5, cutoff=0.3)
            hint = f"; 相近 / close matches: {', '.join(close)}" if close else (
                f"; 已知单位 / known units: {', '.join(names[:12])}" if names else "")
            self.stop(f"未找到单位 / unknown unit: {self.scope_unit}{hint}", EXIT_USAGE)
            return
        if self.scope_column and not self.column_matched:
            # Not in any catalogue: read it as a column of its own.
            self.column_matched = True
            url = self.scope.canonical(self.scope_column)
            name = url.rstrip("/").rsplit("/", 1)[-1]
            ga = {"kind": "column", "name": name, "path": name, "unit": None, "section": "gongkai", "depth": 1}
            if self.schedule(self.emit(self.make(url, "parse_column", ga))):
                raise DontCloseSpider
        if self.link_check and (self.classify_fetched() + self.schedule_link_checks()):
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
