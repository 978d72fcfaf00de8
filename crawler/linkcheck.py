"""Link checking: classify each distinct link target once per scan.

Targets that the crawl fetched anyway (documents, columns) take their outcome from the
stored ``page`` row; every other target is checked with HEAD, falling back to GET when a
server refuses HEAD, and with GET when a 200 HTML answer must be tested for a soft 404.

Outcomes: ok | http_4xx | http_5xx | timeout | dns | tls | soft404 | inconclusive | error |
unchecked.  An HTTP status is recorded as its class (``http_4xx`` / ``http_5xx``) with the status
itself: which statuses only mean "a WAF said no" (403, 429 …) is the audits' judgement
(``links.inconclusive_statuses`` in ``audits/defaults.yaml``).  Tiny JS-challenge shells, which
have no status of their own to judge, are recorded as ``inconclusive``.
"""
from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from crawler import items as it
from crawler import signals as ga_signals
from crawler.blocked import BLOCKED, Blocked, Refused
from crawler.external import external_facts
from crawler.extract.soft404 import looks_like_soft404
from crawler.extract.urls import extension, is_attachment_url
from crawler.linktargets import LinkTargets
from crawler.refused import forget_unsettled_links
from crawler.requestinfo import RequestInfo, build_request, info_of
from crawler.responses import bundled, file_type, page_of
from govaudit.core import storage

# Link targets checked with HEAD first even on the site itself (no soft-404 test applies).
BINARY_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "mp3", "mp4", "flv",
                               "avi", "wmv", "swf", "css", "js"})
# Answers to HEAD that mean "ask again with GET" (many CMS and WAFs mishandle HEAD).
HEAD_REFUSED_STATUSES = frozenset({400, 403, 405, 406, 412, 501})

_SCRIPT = re.compile(rb"<script", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>|&nbsp;|\s+")
_INLINE_SCRIPT = re.compile(r"(?is)<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>")
# What WAF challenges (加速乐 __jsl_clearance, 瑞数 $_ts, 安全狗, 云锁 …) do in their inline script.
_CHALLENGE_CODE = re.compile(r"document\.cookie|location\s*[.=]|\$_ts|eval\s*\(|atob\s*\(|fromCharCode|_0x")


def outcome_for_status(status: int | None) -> str:
    """The class of an HTTP answer (a fact; the audits judge which statuses are inconclusive)."""
    if status is None:
        return "error"
    if status >= 500:
        return "http_5xx"
    if status >= 400:
        return "http_4xx"
    return "ok"


# Failure class names -> outcome.  Names, not classes: Scrapy >= 2.13 wraps Twisted's errors
# in its own (DownloadTimeoutError …), older versions pass Twisted's through.
_FAILURES = {
    "DNSLookupError": "dns", "CannotResolveHostError": "dns",
    "TimeoutError": "timeout", "TCPTimedOutError": "timeout", "DownloadTimeoutError": "timeout",
    "ConnectionRefusedError": "refused", "DownloadConnectionRefusedError": "refused",
    "IgnoreRequest": "unchecked", "OutOfScope": "unchecked",
}


def outcome_for_failure(failure) -> tuple[str, str]:
    """Map a download failure to (outcome, one-line detail)."""
    if isinstance(failure.value, Refused):
        return "inconclusive", f"{failure.value} (anti-bot), not judged"
    chain, exc = [], failure.value
    while exc is not None and len(chain) < 5:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    text = next((str(e).strip().splitlines()[0] for e in chain if str(e).strip()), type(chain[0]).__name__)
    for e in chain:
        outcome = _FAILURES.get(type(e).__name__)
        if outcome == "dns":
            return "dns", _prefixed("DNS lookup failed", text)
        if outcome == "timeout":
            return "timeout", "timed out"
        if outcome == "refused":
            return "error", "connection refused"
        if outcome == "unchecked":
            return "unchecked", text
    names = " ".join(type(e).__name__ for e in chain)
    if "SSL" in names or "TLS" in names or any(w in text.lower() for w in ("ssl", "tls", "certificate")):
        return "tls", _prefixed("TLS error", text)
    return "error", _prefixed(type(chain[0]).__name__, text)


def _prefixed(prefix: str, text: str) -> str:
    """``prefix: text``, unless the text already says it: Twisted's DNSLookupError reads "DNS lookup
    failed: …", and Scrapy wraps it in an error whose text is that text again."""
    if text.lower().startswith(prefix.lower()):
        return text
    return f"{prefix}: {text}"


def looks_like_js_challenge(body: bytes, status: int, max_bytes: int) -> bool:
    """A tiny 200 page whose only content is an inline script that sets a cookie, reloads or
    decodes itself: an anti-bot challenge, not content.  A script-rendered page (an empty mount
    element and ``<script src=…>``) is a page of its own, read or not by a profile's endpoint."""
    if status != 200 or len(body) > max_bytes or not _SCRIPT.search(body):
        return False
    text = body.decode("utf-8", "replace")
    inline = " ".join(m.group(1) for m in _INLINE_SCRIPT.finditer(text))
    if not _CHALLENGE_CODE.search(inline):
        return False
    text = re.sub(r"(?is)<script.*?</script>|<style.*?</style>|<noscript.*?</noscript>", "", text)
    return len(_TAGS.sub("", text)) < 20


def text_digest(text: str) -> str:
    return hashlib.sha1(" ".join((text or "").split()).encode("utf-8")).hexdigest()


def probe_url(url: str, directory: str = "") -> str:
    """A path that cannot exist on the host of ``url`` (inside ``directory`` when given)."""
    parts = urlsplit(url)
    prefix = f"/{directory}" if directory else ""
    return urlunsplit((parts.scheme, parts.netloc, f"{prefix}/govaudit-probe-{uuid.uuid4().hex[:12]}.html", "", ""))


@dataclass
class PageSignature:
    """What the soft-404 comparison needs of a 200 page."""
    status: int | None
    title: str = ""
    text_len: int = 0
    digest: str = ""

    def matches(self, other: PageSignature) -> bool:
        """Two 200 answers that are the same error page (the host's answer to a random path)."""
        if self.status != 200 or other.status != 200:
            return False
        if self.digest and self.digest == other.digest:
            return True
        longest = max(self.text_len, other.text_len, 1)
        return bool(self.title) and self.title == other.title and abs(self.text_len - other.text_len) / longest < 0.1


def soft404_outcome(page_says_missing: bool, sig: PageSignature, probe: PageSignature | None,
                    is_start_page: bool) -> tuple[bool, str]:
    """Is a 200 page a soft 404?  The page test, confirmed against the host's random-path probe."""
    if sig.status != 200 or is_start_page:
        return False, ""
    probe_note = "no probe" if probe is None else f"probe of a random path answered {probe.status}"
    if probe is not None and sig.matches(probe):
        return True, f"soft 404: same page as a nonexistent path ({probe_note})"
    if page_says_missing:
        return True, f"soft 404: page says it does not exist ({probe_note})"
    return False, ""


def soft404_facts(response, page, text) -> dict:
    """What link classification needs later: the page test and a signature for the probe."""
    if response.status != 200 or file_type(response) is not None:
        return {}       # a file answered: not a page that could say 页面不存在
    try:
        says_missing = bool(looks_like_soft404(response.status, page, len(response.body)))
    except Exception:  # noqa: BLE001 - hostile markup must not stop the crawl
        says_missing = False
    return {"soft404_test": says_missing, "title": page.title_tag[:200], "text_len": len(page.text),
            "digest": text_digest(page.text), "final_url": response.url}


class LinkChecker:
    """Scrapy extension (``EXTENSIONS``): after the crawl, each distinct target once (see module
    doc).  The spider's end-of-crawl check asks it for a round at every idle (``on_idle``).

    Settings: ``GOVAUDIT_LINK_CHECK``, ``GOVAUDIT_LINK_CHECK_EXTERNAL``,
    ``GOVAUDIT_EXTERNAL_LINK_CAP``, ``GOVAUDIT_LINK_TIMEOUT``, ``GOVAUDIT_LINK_BATCH``,
    ``GOVAUDIT_SOFT404_PROBE``, ``GOVAUDIT_JS_SHELL_MAX_BYTES``.  Stats: ``govaudit/links_checked``.
    """

    def __init__(self, crawler):
        s = crawler.settings
        self.crawler = crawler
        self.enabled = s.getbool("GOVAUDIT_LINK_CHECK")
        self.check_external = s.getbool("GOVAUDIT_LINK_CHECK_EXTERNAL")
        self.external_cap = s.getint("GOVAUDIT_EXTERNAL_LINK_CAP")
        self.link_timeout = s.getfloat("GOVAUDIT_LINK_TIMEOUT")
        self.link_batch = s.getint("GOVAUDIT_LINK_BATCH")
        self.probe_enabled = s.getbool("GOVAUDIT_SOFT404_PROBE")
        self.js_shell_bytes = s.getint("GOVAUDIT_JS_SHELL_MAX_BYTES")
        self.scan_id = s.getint("GOVAUDIT_SCAN_ID")
        self.engine = storage.connect(s.get("GOVAUDIT_DB"))
        self.targets = LinkTargets(self.engine, self.scan_id)
        self.in_flight_links: set[str] = set()      # bounded by GOVAUDIT_LINK_BATCH
        self.probes: dict = {}                      # (host, top dir) -> PageSignature | pending | failed
        self.probe_waiting: dict = {}               # link checks waiting for their probe
        self.external_checked = 0
        self.external: dict = {}                    # url -> external_facts of its last answer
        if s.getbool("GOVAUDIT_RESUME"):
            self.forget_pending()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def scope(self):
        return self.crawler.spider.scope

    def forget_pending(self) -> None:
        """Resume: link checks that were in flight, blocked or refused are checked again."""
        forget_unsettled_links(self.engine, self.scan_id, self.crawler.settings.getlist("GOVAUDIT_BLOCK_STATUSES"))

    def record(self, item) -> None:
        """Store a result decided outside a callback (the pipeline buffers it like any other)."""
        self.crawler.signals.send_catch_log(ga_signals.record_item, item=item)

    def flush(self) -> None:
        self.crawler.signals.send_catch_log(ga_signals.flush_requested)

    def make(self, url, callback, ga: RequestInfo, method="GET", errback=None):
        return build_request(url, ga, getattr(self, callback), getattr(self, errback or "on_link_error"),
                             method=method, link_timeout=self.link_timeout)

    def on_idle(self) -> int:
        """One round of link checking: the number of requests it is waiting for (0: all done)."""
        if not self.enabled:
            return 0
        return self.classify_fetched() + self.schedule_link_checks()

    def classify_fetched(self) -> int:
        """Targets the crawl fetched anyway take their status from the page row.

        Returns the number of soft-404 probes it had to schedule first (0 = all classified).
        """
        probes = []
        while True:
            rows = self.targets.fetched(limit=1000)
            classified = 0
            for url, status, facts in rows:
                signals = None
                if status is None:
                    outcome, detail = facts.get("error", "error"), facts.get("detail", "")
                else:
                    outcome, detail = outcome_for_status(status), f"HTTP {status}"
                    if status == 200:
                        if self.needs_probe(url):
                            probes.extend(self.probe_requests(url))
                            continue
                        soft, why = self.soft404_for(url, facts)
                        signals = self.soft404_signals(url, facts)
                        if soft:
                            outcome, detail = "soft404", why
                self.record(it.LinkStatusItem(url=url, status=status, outcome=outcome, detail=detail,
                                              is_external=not self.scope.is_internal(url), method="GET",
                                              signals=signals))
                classified += 1
            self.flush()
            self.crawler.stats.inc_value("govaudit/links_checked", classified)
            if classified == 0:
                break
        for request in probes:
            self.crawler.engine.crawl(request)
        return len(probes) or int(any(v == "pending" for v in self.probes.values()))

    @staticmethod
    def probe_key(url: str) -> tuple[str, str]:
        """Soft-404 behaviour is per application: host plus first path segment."""
        parts = urlsplit(url)
        segments = parts.path.split("/")
        top = segments[1] if len(segments) > 2 else ""
        return parts.netloc, top

    def needs_probe(self, url: str) -> bool:
        return self.probe_enabled and not isinstance(self.probes.get(self.probe_key(url)), PageSignature) \
            and self.probes.get(self.probe_key(url), "missing") != "failed"

    def probe_requests(self, url: str, then: tuple | None = None):
        """The probe of ``url``'s application, unless it is already on its way.

        ``then`` is a link-check result to finish once the probe has answered.
        """
        key = self.probe_key(url)
        if then:
            self.probe_waiting.setdefault(key, []).append(then)
        if key in self.probes:
            return []
        self.probes[key] = "pending"
        return [self.make(probe_url(url, key[1]), "parse_probe", RequestInfo("probe", key=list(key)),
                          errback="on_probe_error")]

    def soft404_for(self, url, facts) -> tuple[bool, str]:
        """soft404 when either signal fires; the audits may overrule it by the signals
        (``links.soft404`` in audits/defaults.yaml: a page showing document metadata is a document)."""
        probe = self.probes.get(self.probe_key(url))
        probe = probe if isinstance(probe, PageSignature) else None
        start = url in self.scope.start_urls or self.scope.canonical(facts.get("final_url") or url) in self.scope.start_urls
        return soft404_outcome(bool(facts.get("soft404_test")), self._signature(facts), probe, start)

    @staticmethod
    def _signature(facts) -> PageSignature:
        return PageSignature(200, facts.get("title", ""), facts.get("text_len", 0), facts.get("digest", ""))

    def soft404_signals(self, url, facts) -> dict:
        """The facts a soft-404 verdict rests on, stored with the link for the audits."""
        probe = self.probes.get(self.probe_key(url))
        same = isinstance(probe, PageSignature) and self._signature(facts).matches(probe)
        return {"page_says_missing": bool(facts.get("soft404_test")), "same_as_missing_path": same,
                "document_fields": int(facts.get("document_fields") or 0)}

    def schedule_link_checks(self) -> int:
        if self.external_checked == 0:
            self.external_checked = self.targets.count_external_checked()
        urls = self.targets.unfetched(self.in_flight_links, self.link_batch)
        requests = []
        for url in urls:
            external = not self.scope.is_internal(url)
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
                                          is_external=external, is_attachment=attachment, method="-"))
            ga = RequestInfo("link", external=external, attachment=attachment)
            # Pages of this site are asked with GET at once (a soft-404 test needs the body);
            # files and other sites' pages with HEAD first.
            method = "HEAD" if external or attachment or extension(url) in BINARY_EXTENSIONS else "GET"
            requests.append(self.make(url, "parse_link", ga, method=method, errback="on_link_error"))
        self.flush()
        for request in requests:
            self.crawler.engine.crawl(request)
        return len(urls)

    def link_result(self, ga, status, outcome, detail, method, signals=None):
        self.in_flight_links.discard(ga.url)
        self.crawler.stats.inc_value("govaudit/links_checked")
        if ga.url in self.external:
            signals = {**(signals or {}), "external": self.external.pop(ga.url)}
        return it.LinkStatusItem(url=ga.url, status=status, outcome=outcome, detail=detail[:500],
                                 is_external=ga.external, is_attachment=ga.attachment, method=method,
                                 signals=signals)

    @bundled
    def parse_link(self, response):
        ga = info_of(response)
        method = response.request.method
        status = response.status
        if ga.external:
            self.external[ga.url] = external_facts(response)
        if method == "HEAD" and status in HEAD_REFUSED_STATUSES:
            yield self.make(ga.url, "parse_link", ga, errback="on_link_error")   # ask again with GET
            return
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        is_html = "html" in content_type
        if method == "HEAD" and status == 200 and is_html:
            # A soft 404 needs the body (an "attachment" that answers HTML is suspect too).
            yield self.make(ga.url, "parse_link", ga, errback="on_link_error")
            return
        outcome, detail = outcome_for_status(status), f"HTTP {status}"
        signals = None
        if status == 200 and method == "GET" and is_html:
            if looks_like_js_challenge(response.body, status, self.js_shell_bytes):
                outcome, detail = "inconclusive", "JS challenge page (anti-bot), not judged"
            else:
                page, text, _ = page_of(response, ga.url)
                facts = soft404_facts(response, page, text)
                if self.needs_probe(ga.url):
                    # Classified when the probe of its application answers.
                    yield from self.probe_requests(ga.url, then=(ga, status, facts))
                    return
                soft, why = self.soft404_for(ga.url, facts)
                signals = self.soft404_signals(ga.url, facts)
                if soft:
                    outcome, detail = "soft404", why
        yield self.link_result(ga, status, outcome, detail, method, signals)

    @bundled
    def on_link_error(self, failure):
        ga = info_of(failure.request)
        outcome, detail = outcome_for_failure(failure)
        if failure.check(Blocked):      # not checked: the host blocks us (checked again on --resume)
            outcome, detail = "unchecked", BLOCKED
        yield self.link_result(ga, None, outcome, detail, failure.request.method)

    # ---- soft-404 probes: one random nonexistent path per application ----------------------------
    @bundled
    def parse_probe(self, response):
        page, _, _ = page_of(response)
        ga = info_of(response)
        self.probes[tuple(ga.key)] = PageSignature(response.status, page.title_tag[:200], len(page.text),
                                                      text_digest(page.text))
        yield from self.after_probe(ga)

    @bundled
    def on_probe_error(self, failure):
        ga = info_of(failure.request)
        self.probes[tuple(ga.key)] = "failed"
        yield from self.after_probe(ga)

    def after_probe(self, probe_ga):
        for then in self.probe_waiting.pop(tuple(probe_ga.key), []):
            ga, status, facts = then
            soft, why = self.soft404_for(ga.url, facts)
            outcome, detail = ("soft404", why) if soft else (outcome_for_status(status), f"HTTP {status}")
            yield self.link_result(ga, status, outcome, detail, "GET", self.soft404_signals(ga.url, facts))
