"""Back off when a server asks, and notice being blocked (a downloader middleware, ``BlockWatch``).

* ``Retry-After`` on 429/503 pauses that server's slot for as long as it says (at most
  ``GOVAUDIT_RETRY_AFTER_MAX`` seconds).
* A run of 429/503/timeouts from one host multiplies its delay by ``GOVAUDIT_BACKOFF_FACTOR``
  each time (up to ``GOVAUDIT_BACKOFF_MAX_DELAY``); every ``GOVAUDIT_BACKOFF_RECOVER_AFTER``
  good answers in a row divide it again, down to the delay before the back-off, so one page that always
  answers 429 does not slow the rest of the scan for good.
* A *refusal* is a 403/412/418/429 (``GOVAUDIT_BLOCK_STATUSES``), a WAF challenge page (a tiny
  200 page that only runs a script) or a cookie-then-redirect-to-itself.  A refused page is asked
  again behind the queue (``GOVAUDIT_REFUSAL_RETRIES`` times) before its answer counts as the
  page's own; ``--resume`` asks again for such answers anyway, pages and files (``crawler.refused``).
  Refusals of ``GOVAUDIT_BLOCK_AFTER`` different URLs of one host in a row are a block: the
  host is paused (``GOVAUDIT_BLOCK_PAUSE`` seconds between requests) and asked again slowly; if
  ``GOVAUDIT_BLOCK_RETRIES`` such retries are still refused the host is given up: no further
  request goes to it.

A request refused or not made because of a block fails with ``Blocked``: the spider records no
fetch error for it and leaves it open in the frontier, so ``--resume`` asks for it again.  The
facts (stat ``govaudit/blocked``: the hosts, what they answered and when, the units and columns
whose pages were not read) go into the scan's stats; the scan is then ``blocked``, and the
audits judge what it means (``audits/blocking.py``).
"""
from __future__ import annotations

import email.utils
import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin

from scrapy.utils.httpobj import urlparse_cached

from crawler.blocked import Blocked, Refused
from crawler.linkcheck import looks_like_js_challenge
from crawler.requestinfo import info_of
from govaudit.core import clock

log = logging.getLogger(__name__)
STAT = "govaudit/blocked"
RETRY_KEY = "govaudit_refused"
# Subtracted from a refused request's priority when it is asked again: below every request of the
# crawl (crawler.requestinfo.PRIORITY less the depth), so it waits until the queue has run dry.
BEHIND_THE_QUEUE = 1000


@dataclass
class HostWatch:
    run: set = field(default_factory=set)       # URLs refused in a row
    trouble: int = 0                             # 429/503/timeouts in a row
    good: int = 0                                # good answers in a row since the last trouble
    calm_delay: float | None = None              # the slot's delay before the back-off, while backed off
    probes: int = 0                              # slow retries since the block was seen
    seen: str = ""                               # what the host answered last when refusing
    given_up: dict | None = None


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds from now: delta-seconds or an HTTP date; None if unusable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class BlockWatch:
    def __init__(self, crawler):
        s = crawler.settings
        self.crawler = crawler
        self.statuses = {int(x) for x in s.getlist("GOVAUDIT_BLOCK_STATUSES")}
        self.block_after = s.getint("GOVAUDIT_BLOCK_AFTER")
        self.pause = s.getfloat("GOVAUDIT_BLOCK_PAUSE")
        self.block_retries = s.getint("GOVAUDIT_BLOCK_RETRIES")
        self.refusal_retries = s.getint("GOVAUDIT_REFUSAL_RETRIES")
        self.factor = s.getfloat("GOVAUDIT_BACKOFF_FACTOR")
        self.max_delay = s.getfloat("GOVAUDIT_BACKOFF_MAX_DELAY")
        self.recover_after = max(1, s.getint("GOVAUDIT_BACKOFF_RECOVER_AFTER", 5))
        self.min_backoff = s.getfloat("GOVAUDIT_BACKOFF_MIN_DELAY", 0.5)
        self.retry_after_max = s.getfloat("GOVAUDIT_RETRY_AFTER_MAX")
        self.base_delay = s.getfloat("DOWNLOAD_DELAY")
        self.js_shell_bytes = s.getint("GOVAUDIT_JS_SHELL_MAX_BYTES")
        self.hosts: dict[str, HostWatch] = {}
        self.facts = {"hosts": {}, "units": set(), "columns": set(), "not_fetched": 0}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    # ---- what a response is ----------------------------------------------------------------------
    def refusal(self, request, response) -> str | None:
        status = response.status
        if status in self.statuses:
            return f"HTTP {status}"
        if looks_like_js_challenge(response.body, status, self.js_shell_bytes):
            return "JS challenge page"
        if 300 <= status < 400 and response.headers.get("Set-Cookie"):
            target = urljoin(request.url, (response.headers.get("Location") or b"").decode("latin-1"))
            if target == request.url:
                return "cookie redirect loop"
        return None

    # ---- the slot of a request's server ---------------------------------------------------------
    def slot(self, request):
        downloader = self.crawler.engine.downloader
        return downloader.slots.get(request.meta.get(downloader.DOWNLOAD_SLOT))

    def slow_down(self, request, watch: HostWatch) -> None:
        slot = self.slot(request)
        if slot is not None:
            if watch.calm_delay is None:
                watch.calm_delay = slot.delay       # what recover() comes back to (AutoThrottle's too)
            slot.delay = min(self.max_delay, max(slot.delay * self.factor, self.base_delay, self.min_backoff))

    def recover(self, request, watch: HostWatch) -> None:
        """A good answer: after ``recover_after`` in a row, the slot's delay comes back a step,
        never below what it was before the back-off (nor below ``DOWNLOAD_DELAY``)."""
        watch.good += 1
        slot = self.slot(request)
        if slot is None or watch.calm_delay is None or watch.good < self.recover_after:
            return
        watch.good = 0
        floor = max(self.base_delay, watch.calm_delay)
        slot.delay = max(floor, slot.delay / self.factor)
        if slot.delay < self.min_backoff:
            slot.delay = floor                  # the floor of slow_down is not a step to keep
        if slot.delay <= floor:
            watch.calm_delay = None             # backed off no longer

    def wait(self, request, seconds: float) -> None:
        """The server's slot sends nothing for ``seconds`` from now."""
        slot = self.slot(request)
        if slot is not None:
            slot.lastseen = max(slot.lastseen, time.monotonic() + seconds - slot.delay)

    # ---- downloader middleware ---------------------------------------------------------------
    def process_request(self, request, spider=None):
        watch = self.hosts.get(urlparse_cached(request).hostname or "")
        if watch is not None and watch.given_up:
            self.not_fetched(request)
            raise Blocked(f"blocked: {urlparse_cached(request).hostname} ({watch.seen})")

    def process_exception(self, request, exception, spider=None):
        if "Timeout" in type(exception).__name__:
            watch = self.watch(request)
            watch.trouble += 1
            watch.good = 0
            self.slow_down(request, watch)

    def process_response(self, request, response, spider=None):
        watch = self.watch(request)
        if response.status in (429, 503):
            watch.trouble += 1
            watch.good = 0
            self.slow_down(request, watch)
            pause = retry_after_seconds(response.headers.get("Retry-After"))
            if pause is not None:
                self.wait(request, min(pause, self.retry_after_max))
        kind = self.refusal(request, response)
        if kind is None:
            watch.run.clear()
            watch.probes = 0
            if response.status < 400:
                watch.trouble = 0
                self.recover(request, watch)
            return response
        watch.run.add(request.url)
        watch.seen = kind
        host = urlparse_cached(request).hostname or ""
        if len(watch.run) >= self.block_after:
            if watch.probes == 0:
                log.warning("%s refuses %d URLs in a row (%s): pausing %.0f s between requests",
                            host, len(watch.run), kind, self.pause)
            watch.probes += 1
            if watch.probes > self.block_retries:
                self.give_up(host, watch)
                self.not_fetched(request)
                raise Blocked(f"blocked: {host} ({kind})")
            slot = self.slot(request)
            if slot is not None:
                slot.delay = max(slot.delay, self.pause)
            self.wait(request, self.pause)
            return self.again(request)
        if request.meta.get(RETRY_KEY, 0) < self.refusal_retries:
            # Asked again later, behind the queue, so that a block shows by then.  At its own
            # priority it came straight back (the queue is last-in first-out): four pages in flight
            # were refused three times each before a fifth URL was, and kept their 403 as their own.
            return self.again(request, priority=request.priority - BEHIND_THE_QUEUE)
        if response.status >= 400:
            return response        # refused again and again, alone: that page's own answer
        raise Refused(kind)        # a challenge page or a cookie loop is no page to read

    def again(self, request, priority: int | None = None):
        retry = request.replace(dont_filter=True, priority=request.priority if priority is None else priority)
        retry.meta[RETRY_KEY] = request.meta.get(RETRY_KEY, 0) + 1
        retry.meta.pop("redirect_times", None)
        return retry

    # ---- facts --------------------------------------------------------------------------------
    def watch(self, request) -> HostWatch:
        return self.hosts.setdefault(urlparse_cached(request).hostname or "", HostWatch())

    def give_up(self, host: str, watch: HostWatch) -> None:
        watch.given_up = {"status": watch.seen, "at": clock.utc_now(), "refused_urls": len(watch.run)}
        self.facts["hosts"][host] = watch.given_up
        log.warning("%s blocks this crawler (%s): no further requests to it", host, watch.seen)
        self.crawler.stats.set_value(STAT, self.facts)     # read (and made plain) when the scan closes

    def not_fetched(self, request) -> None:
        ga = info_of(request)
        self.facts["not_fetched"] += 1
        if ga is not None:
            unit = ga.unit.get("name") if isinstance(ga.unit, dict) else ga.unit
            if ga.kind in ("unit_home", "home", "column", "list", "document", "entry"):
                self.facts["units"].add(unit or "")
            column = ga.url if ga.kind == "column" else ga.column
            if column:
                self.facts["columns"].add(column)


def blocked_facts(stats) -> dict | None:
    """The block facts of a crawl, as plain JSON (None if no host blocked it)."""
    facts = stats.get_value(STAT)
    if not facts or not facts["hosts"]:
        return None
    return {"hosts": dict(facts["hosts"]), "units": sorted(facts["units"]), "columns": sorted(facts["columns"]),
            "not_fetched": facts["not_fetched"]}
