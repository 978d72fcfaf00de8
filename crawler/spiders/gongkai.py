"""The one spider: discovers a site's columns from its homepage, walks every list, fetches every
document and 解读, and records facts only (items -> ``crawler.pipelines``).  The frontier,
re-scans, end-of-crawl checks, link checking, blocks and attachments are Scrapy components of
their own (docs/design.md, "The crawler's components"), enabled in ``crawler/settings.py``."""
from __future__ import annotations

import dataclasses
from functools import partial

import scrapy
from scrapy.utils.defer import deferred_from_coro

from crawler import items as it
from crawler import listing
from crawler.attachments import Attachments
from crawler.blocked import Blocked
from crawler.discovery import ColumnLink, unit_code
from crawler.endcheck import EndOfCrawlChecks
from crawler.extract.entries import shown_lines
from crawler.extract.navigation import find_gongkai_entry, names_unit_directory
from crawler.linkcheck import outcome_for_failure, soft404_facts
from crawler.pagerecords import fetch_error_item, header, list_records, page_item, page_links
from crawler.requestinfo import RequestInfo, build_request, info_of
from crawler.rescan import Rescan
from crawler.responses import bundled, decode, file_type, page_of
from crawler.scope import Scope
from crawler.spiders.documents import DocumentPages
from crawler.spiderview import SpiderView, store_views, stored_views
from crawler.sitetree import (column_item, entry_page_urls, home_unit, homepage_column,
                              page_column_links, profile_unit, site_name_from_title, tree_frames,
                              unit_platform_entry, units_elsewhere, wanted_unit)
from crawler.startpage import unreachable_start_page, unread_start_page
from govaudit.core.errors import EXIT_UNREACHABLE
from govaudit.core.urls import same_page_key
from govaudit.core.profile import first_override


class GongkaiSpider(DocumentPages, scrapy.Spider):
    name = "gongkai"

    def __init__(self, start_urls=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.start_urls = list(start_urls or [])
        self.fatal: tuple[str, int] | None = None
        self.site_name: str | None = None
        self.frontier = None          # set by the frontier when the scheduler opens it
        self.homes: set[str] = set()  # 信息公开 homes read, as same_page_key: never columns
        self.units_elsewhere: dict[str, str] = {}    # units listed whose sites are out of scope: url -> name

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.profile = s.get("GOVAUDIT_PROFILE") or {}
        spider.resume = s.getbool("GOVAUDIT_RESUME")
        spider.scope_unit = s.get("GOVAUDIT_SCOPE_UNIT")
        spider.scope_column = s.get("GOVAUDIT_SCOPE_COLUMN")
        spider.max_depth = s.getint("GOVAUDIT_MAX_DEPTH")
        spider.max_list_pages = s.getint("GOVAUDIT_MAX_LIST_PAGES")
        spider.max_pages = s.getint("GOVAUDIT_MAX_PAGES") or None     # crawl_facts reports it
        spider.scope = Scope(spider.start_urls, s.getlist("GOVAUDIT_ALLOWED_HOSTS"),
                             s.getlist("GOVAUDIT_IGNORE_PARAMS"), s.getlist("GOVAUDIT_EXCLUDE_PATTERNS"))
        spider.column_overrides = spider.profile.get("columns") or []
        spider.profile_units = spider.profile.get("units") or []
        spider.list_rules = spider.profile.get("lists") or []
        spider.spider_view = SpiderView(spider.scope, s.getint("GOVAUDIT_SPIDER_VIEW_SAMPLE"))
        return spider

    def stop(self, message: str, code: int) -> None:
        """A problem the whole crawl cannot survive: one line for the user, then close."""
        if self.fatal is None:
            self.fatal = (message, code)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="fatal"))

    def make(self, url, callback, ga: RequestInfo, method="GET", body=None, headers=None, errback="on_error"):
        return build_request(url, ga, getattr(self, callback), getattr(self, errback), method=method, body=body,
                             headers=headers)

    async def start(self):
        self.rescan = self.crawler.get_downloader_middleware(Rescan)
        self.checks = self.crawler.get_extension(EndOfCrawlChecks)
        self.files = self.crawler.get_extension(Attachments)
        self.spider_view.keep = partial(store_views, self.frontier.engine, self.frontier.scan_id)
        if self.resume:
            restored = self.frontier.restore(self.make)
            self.checks.restore(self.scope, bool(self.frontier.seen))
            if self.frontier.seen:
                # The stored views first: the restored requests' answers take new views, and
                # storing those would write over views not yet restored.
                for request in self.spider_view.restore(stored_views(self.frontier.engine, self.frontier.scan_id)):
                    yield request
                for request in restored:
                    yield request
                return
        for url in self.start_urls:
            for out in self.frontier.emit(self.make(self.scope.canonical(url), "parse_home", RequestInfo("home"))):
                yield out

    def fetch_error(self, url, error, status=None, request=None):
        self.crawler.stats.inc_value("govaudit/fetch_errors")
        return fetch_error_item(url, error, status, request)

    @bundled
    def on_error(self, failure):
        if failure.check(Blocked):
            return      # not read because the host blocks us: left open in the frontier for --resume
        request = failure.request
        ga = info_of(request)
        url = ga.url or request.url
        outcome, detail = outcome_for_failure(failure)
        if outcome != "unchecked":    # robots.txt and scope refusals are not fetches
            yield self.fetch_error(url, detail, request=request)
            yield it.PageItem(url=url, kind={"home": "homepage", "entry": "other"}.get(ga.kind, ga.kind),
                              status=None, facts={"error": outcome, "detail": detail})
            if ga.kind == "home" and not self.checks.home_reached:
                why = unreachable_start_page(failure.value, detail)
                self.stop(f"无法访问起始网址 / start URL unreachable: {ga.url} ({why})", EXIT_UNREACHABLE)
        elif ga.kind == "home" and not self.checks.home_reached:
            # Refused without a fetch error (a redirect loop, robots.txt): a fact for the audits.
            self.crawler.stats.set_value("govaudit/start_page_unread", unread_start_page(failure.value, detail))
        yield from self.frontier.done(failure)

    def http_error(self, response, kind):
        """A 4xx/5xx answer: recorded (the link check reuses it), nothing more to read."""
        yield self.fetch_error(info_of(response).url, f"HTTP {response.status}", response.status,
                               response.request)
        yield page_item(response, kind)
        yield from self.frontier.done(response)

    # ---- homepage --------------------------------------------------------------------------------
    @bundled
    def parse_home(self, response):
        ga = info_of(response)
        if response.status >= 400:
            if not self.checks.home_reached:
                self.stop(f"无法访问起始网址 / start URL unreachable: {ga.url} (HTTP {response.status})",
                          EXIT_UNREACHABLE)
            yield from self.http_error(response, "homepage")
            return
        self.checks.home_reached = True
        media = file_type(response)
        if media is not None:
            # A file is no homepage: nothing to read on it, and no footer or 无障碍 entry to miss.
            self.crawler.stats.set_value("govaudit/start_page_unread", f"返回的是 {media} 文件，不是网页")
            yield from self.frontier.done(response)
            return
        page, text, encoding = page_of(response, ga.url)
        self.site_name = self.profile.get("site_name") or site_name_from_title(page.title_tag)
        home = page_item(response, "homepage", page, encoding, soft404_facts(response, page, text))
        yield home
        yield from page_links(self.scope, response, page, on_homepage=True)
        yield from self.spider_view.requests_for(ga.url, self.site_name or "")
        if not (self.scope_unit or self.scope_column):
            yield from homepage_column(self.scope, ga.url, response.status, home.facts.get("dated_items") or [])
            yield from self.entry_pages(home.facts)
        entry = find_gongkai_entry(ga.url, page)
        if entry is not None and self.scope.allows(self.scope.canonical(entry.url)):
            yield from self.follow_unit_home(self.scope.canonical(entry.url), None)
        for link in page_column_links(self.scope, ga.url, page):
            if entry is not None and same_page_key(link.url) == same_page_key(self.scope.canonical(entry.url)):
                continue        # the 信息公开 home again, as its folder or its index page
            if self.scope_unit:
                self.frontier.mark_seen(link.url)       # the district's own columns are not wanted
                continue
            yield from self.follow_column(link, unit=None, section="portal", depth=1,
                                          nav={"via": "homepage", "top": link.name})
        yield from self.frontier.done(response)

    def entry_pages(self, home_facts):
        """The homepage's 无障碍 / 关怀版 entries: fetched once, as pages of kind 'other'."""
        for url in entry_page_urls(self.scope, home_facts):
            yield from self.frontier.emit(self.make(url, "parse_entry_page", RequestInfo("entry")))

    @bundled
    def parse_entry_page(self, response):
        if response.status >= 400:
            yield from self.http_error(response, "other")
            return
        url = info_of(response).url
        page, text, encoding = page_of(response, url)
        yield page_item(response, "other", page, encoding, soft404_facts(response, page, text))
        yield from page_links(self.scope, response, page)
        yield from self.frontier.done(response)

    # ---- units and columns -------------------------------------------------------------------------
    def follow_unit_home(self, url, unit: dict | None):
        """A unit's own 信息公开 home (unit=None: the district's platform home)."""
        ga = RequestInfo("unit_home", unit=unit, depth=1)
        yield from self.frontier.emit(self.make(url, "parse_unit_home", ga))

    @bundled
    def parse_unit_home(self, response):
        ga = info_of(response)
        if response.status >= 400:
            yield from self.http_error(response, "hub")
            return
        page, text, encoding = page_of(response, ga.url)
        yield page_item(response, "hub", page, encoding, soft404_facts(response, page, text))
        links = page_column_links(self.scope, ga.url, page)
        self.units_elsewhere.update(units_elsewhere(self.scope, ga.url, page))
        self.homes.add(same_page_key(ga.frame_of or ga.url))
        # A frame of a frameset home (its tree.htm) belongs to the unit the home named.
        unit = ga.unit if ga.frame_of else home_unit(ga.unit, ga.url, page, self.profile, self.scope, self.site_name)
        self.checks.found_unit(unit)
        wanted = wanted_unit(self.scope_unit, unit["name"], unit.get("code"))
        if wanted:
            self.checks.unit_matched = self.checks.unit_matched or bool(self.scope_unit)
            if not ga.frame_of:
                yield it.UnitItem(name=unit["name"], code=unit.get("code"), home_url=unit["home_url"], kind=unit.get("kind"))
            yield from page_links(self.scope, response, page)
        frames = list(tree_frames(self.scope, page, bool(links))) if not ga.frame_of else []
        entry = unit_platform_entry(ga.url, links) if ga.unit is not None and not ga.frame_of else None
        if entry and self.frontier.is_new(entry):     # the unit's 信息公开 page: its home again
            self.homes.add(same_page_key(entry))
            frames.append(entry)
        for url in frames:
            yield from self.frontier.emit(self.make(url, "parse_unit_home", RequestInfo(
                "unit_home", unit=unit, depth=ga.depth, frame_of=ga.url)))
        for link in links:
            sub = profile_unit(self.profile_units, self.scope, link.url, link.name)
            if link.is_unit or (sub and sub["name"] == link.name):
                yield from self.follow_unit_link(link, sub)
            elif wanted:
                yield from self.follow_column(link, unit=unit["name"], section="gongkai", depth=2,
                                              nav={"via": "platform", "hub": ga.url})
            else:
                self.frontier.mark_seen(link.url)
        yield from self.frontier.done(response)

    def follow_unit_link(self, link, sub: dict | None):
        """A link naming a unit (部门信息公开 / 镇街信息公开 directory entry): its 信息公开 home."""
        sub = sub or {}
        found = {"name": link.name, "code": sub.get("code") or unit_code(link.url),
                 "kind": sub.get("kind") or link.unit_kind}
        self.checks.found_unit(found)
        if wanted_unit(self.scope_unit, found["name"], found["code"]):
            yield from self.follow_unit_home(link.url, found)
        else:
            self.frontier.mark_seen(link.url)

    def follow_column(self, link, unit, section, depth, parent=None, nav=None):
        if depth > self.max_depth or same_page_key(link.url) in self.homes:
            return      # a unit's home linked from its own pages (…/index.shtml for …/) is no column
        overrides = first_override(self.column_overrides, link.url, link.name, "/".join(link.path))
        if overrides and overrides.get("skip"):
            return
        if overrides and overrides.get("section"):
            section = overrides["section"]
            nav = {**(nav or {}), "profile_section": section}     # the profile says so, for the subtree
        ga = RequestInfo("column", name=link.name, path="/".join(link.path), unit=unit, section=section,
                         depth=depth, overrides=overrides, has_children=link.has_children, parent=parent,
                         nav=nav)
        yield from self.frontier.emit(self.make(link.url, "parse_column", ga))

    @bundled
    def parse_column(self, response):
        ga = info_of(response)
        if response.status >= 400:
            yield from self.http_error(response, "column")
            return
        replay = self.rescan.unchanged(response, "column")
        if replay is not None:       # unchanged since the previous scan (304)
            yield from self.replayed(response, "column", *replay)
            return
        page, text, encoding = page_of(response, ga.url)
        try:
            found = listing.read_list(ga.url, page, dict(response.headers.to_unicode_dict()),
                                      max_pages=self.max_list_pages, profile_rules=self.list_rules)
        except Exception:  # noqa: BLE001 - an unreadable list is a column without items
            found = None
        links = page_column_links(self.scope, ga.url, page, column_name=ga.name)
        # An entry of the column's own list is its document, never a sub-column (an undated list's titles).
        listed = {self.scope.canonical(e.url) for e in found.entries} if found else set()
        children = [c for c in links if self.frontier.is_new(c.url) and not c.is_unit and c.url not in listed
                    and same_page_key(c.url) not in self.homes]
        # One page shown inline (指南, 机构职能), whatever catalogue tree its template shows beside it.
        single = found is None and listing.classify_page(ga.url, page) == "document"
        # A 部门信息公开 / 镇街信息公开 directory lists units' homes: a hub, never a blank column.
        elsewhere = units_elsewhere(self.scope, ga.url, page, ga.name) if found is None and not single else {}
        self.units_elsewhere.update(elsewhere)
        is_hub = found is None and not single and (ga.has_children or bool(children) or any(c.is_unit for c in links)
                                                   or bool(elsewhere))
        kind = "single" if single else "hub" if is_hub else "list"
        wanted = not self.scope_column or ga.url == self.scope.canonical(self.scope_column)
        for child in children:
            child.path = [*ga.path.split("/"), child.name] if len(child.path) == 1 else child.path
        facts = soft404_facts(response, page, text)
        # The units a directory column lists (部门/镇街信息公开, often one page below the platform home,
        # and as often linked from the homepage's 政务公开 box, which makes it a portal column).
        units = [c for c in links if c.is_unit and self.frontier.is_new(c.url)] \
            if is_hub and (ga.section == "gongkai" or names_unit_directory(ga.name)) and not self.scope_column else []
        facts["replay"] = {"children": [dataclasses.asdict(c) for c in children],
                           "units": [dataclasses.asdict(c) for c in units],
                           "next": listing.stored_pages(found.next_pages) if found else [], "page_no": 1,
                           "elsewhere": elsewhere,
                           **({"inline": True} if single and wanted else {})}
        row = page_item(response, "hub" if is_hub else "column", page, encoding, facts)
        yield row
        if wanted:
            self.checks.column_matched = self.checks.column_matched or bool(self.scope_column)
            yield from page_links(self.scope, response, page)
            yield column_item(
                ga, response.status, page, kind=kind, is_leaf=not (ga.has_children or children),
                list_style=found.style if found else ("hub" if is_hub else None),
                shown_lines=None if found and found.entries else shown_lines(page))
            if single and response.status == 200:
                yield from self.inline_document(response, ga, page, encoding, row.content_hash)
            if found:
                yield from self.list_entries(ga, found, ga.url, start=0)
                yield from self.next_list_pages(ga, found, page_no=1)
        for child in children:
            yield from self.follow_column(child, unit=ga.unit, section=ga.section,
                                          depth=ga.depth + 1, parent=ga.url, nav=ga.nav)
        for link in units:
            yield from self.follow_unit_link(link, profile_unit(self.profile_units, self.scope, link.url, link.name))
        yield from self.frontier.done(response)

    # ---- unchanged column and list pages on a re-scan ----------------------------------------------
    def replayed(self, response, kind, copy, replay, entries):
        """An unchanged column/list page: its records are copied from the previous scan
        (``copy``) and the requests it led to (documents, further pages, sub-columns) issued
        again, unparsed."""
        ga = info_of(response)
        yield copy
        if replay.get("inline"):        # a 'single' column's inline article: its document row too
            yield it.CopyPreviousItem(url=copy.url, previous_scan_id=copy.previous_scan_id, kind="document")
        column_ga = ga.column_ref()
        found = it.ListPage(style="replay", entries=[it.ListEntry(url=u) for u in entries],
                                 next_pages=listing.pages_from_stored(replay.get("next")))
        urls = [self.scope.canonical(u) for u in entries]
        listed = set(urls)
        if self.rescan.revisit.enabled:
            urls = yield from self.rescan.trusted_documents(urls, self.frontier, self.scope)
        yield from self.listed_and_related(column_ga, listed, urls)
        yield from self.next_list_pages(column_ga, found, (replay.get("page_no") or 1) if kind == "column"
                                        else ga.page_no + 1)
        self.units_elsewhere.update(replay.get("elsewhere") or {})
        for child in replay.get("children") or []:
            yield from self.follow_column(ColumnLink(**child), unit=ga.unit, section=ga.section,
                                          depth=ga.depth + 1, parent=ga.url, nav=ga.nav)
        for link in replay.get("units") or []:
            link = ColumnLink(**link)
            yield from self.follow_unit_link(link, profile_unit(self.profile_units, self.scope, link.url, link.name))
        yield from self.frontier.done(response)

    # ---- list pages --------------------------------------------------------------------------------
    def list_entries(self, column_ga, found, page_url, start):
        urls = [self.scope.canonical(entry.url) for entry in found.entries]
        yield from list_records(column_ga.url, found.entries, urls, page_url, start)
        listed = set(urls)
        urls = yield from self.rescan.trusted_listing(column_ga.url, found.entries, urls, self.frontier, self.scope)
        yield from self.listed_and_related(column_ga, listed, urls)

    def listed_and_related(self, column_ga, listed, urls):
        """A re-scan's requests after copying a list's documents: those the list shows are the column's;
        the 解读/原文 of copied ones are not, as in a first scan (``follow_related``), or a policy
        library's 原文 would become documents of the 解读 column."""
        yield from self.document_requests(column_ga, [u for u in urls if u in listed])
        for url in urls:
            if url not in listed:
                yield from self.follow_related(column_ga, url)

    def document_requests(self, column_ga, urls):
        """Fetch the documents a list links to (conditionally, when an earlier scan has them)."""
        urls = [u for u in urls if self.scope.allows(u) and self.frontier.is_new(u)]
        known = self.rescan.validators(urls)
        for url in urls:
            doc_ga = RequestInfo("document", column=column_ga.url, unit=column_ga.unit, section=column_ga.section,
                                 conditional=True)
            if self.rescan.previous:
                doc_ga.validators, doc_ga.looked_up = known.get(url), True
            yield from self.frontier.emit(self.make(url, "parse_document", doc_ga))

    def next_list_pages(self, column_ga, found, page_no):
        if page_no >= self.max_list_pages:
            return
        for spec in found.next_pages:
            url = self.scope.canonical(spec["url"])
            if not self.scope.allows(url):
                continue
            ga = RequestInfo("list", column=column_ga.url, unit=column_ga.unit, section=column_ga.section,
                             spec=spec, page_no=page_no)
            yield from self.frontier.emit(self.make(url, "parse_list", ga, method=spec.get("method") or "GET",
                                           body=spec.get("body"), headers=spec.get("headers") or None))

    @bundled
    def parse_list(self, response):
        ga = info_of(response)
        if response.status >= 400:
            yield from self.http_error(response, "list")
            return
        # Unchanged (304, or the same bytes from a data endpoint that sends no validators).
        replay = self.rescan.unchanged(response, "list", same_bytes=True)
        if replay is not None:
            yield from self.replayed(response, "list", *replay)
            return
        text, encoding = decode(response)
        spec = ga.spec
        try:
            found = listing.read_response(spec, ga.url, text, header(response, b"Content-Type"),
                                          profile_rules=self.list_rules)
        except Exception as exc:  # noqa: BLE001
            yield self.fetch_error(ga.url, f"unreadable list page: {type(exc).__name__}: {exc}", response.status)
            yield from self.frontier.done(response)
            return
        replay = {"next": listing.stored_pages(found.next_pages)} if response.request.method == "GET" else None
        yield page_item(response, "list", None, encoding, {"replay": replay} if replay else None)
        if found.style in listing.UNREAD_STYLES:     # the column page promised a list this answer is not
            yield it.ColumnListStyleItem(url=ga.column, list_style=found.style)
        # Positions stay unique and ordered across pages (page N starts at N * 1000).
        yield from self.list_entries(ga.column_ref(), found, ga.url, start=ga.page_no * 1000)
        yield from self.next_list_pages(ga.column_ref(), found, ga.page_no + 1)
        yield from self.frontier.done(response)
