"""Link checking: classify each distinct link target once per scan.

Targets that the crawl fetched anyway (documents, columns) take their outcome from the
stored ``page`` row; every other target is checked with HEAD, falling back to GET when a
server refuses HEAD, and with GET when a 200 HTML answer must be tested for a soft 404.

Outcomes: ok | http_4xx | http_5xx | timeout | dns | tls | soft404 | inconclusive | error |
unchecked.  403/412/418/429 and tiny JS-challenge shells are ``inconclusive``: a WAF said no,
which proves nothing about the link.
"""
from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import and_, func, select

from crawler import items as it
from crawler.extract.soft404 import looks_like_soft404
from crawler.extract.urls import extension, is_attachment_url
from crawler.responses import bundled, page_of
from govaudit.core import storage

INCONCLUSIVE_STATUSES = frozenset({403, 412, 418, 429})
# Link targets checked with HEAD first even on the site itself (no soft-404 test applies).
BINARY_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "mp3", "mp4", "flv",
                               "avi", "wmv", "swf", "css", "js"})
# Answers to HEAD that mean "ask again with GET" (many CMS and WAFs mishandle HEAD).
HEAD_REFUSED_STATUSES = frozenset({400, 403, 405, 406, 412, 501})

_SCRIPT = re.compile(rb"<script", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>|&nbsp;|\s+")


def outcome_for_status(status: int | None) -> str:
    if status is None:
        return "error"
    if status in INCONCLUSIVE_STATUSES:
        return "inconclusive"
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
    "IgnoreRequest": "unchecked",
}


def outcome_for_failure(failure) -> tuple[str, str]:
    """Map a download failure to (outcome, one-line detail)."""
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
    """A tiny 200 page whose only content is a script: an anti-bot challenge, not content."""
    if status != 200 or len(body) > max_bytes or not _SCRIPT.search(body):
        return False
    text = body.decode("utf-8", "replace")
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


class LinkTargets:
    """Reads back, from the snapshot, the link targets still to classify (bounded batches)."""

    def __init__(self, engine, scan_id: int):
        self.engine = engine
        self.scan_id = scan_id

    def _unclassified(self):
        ls, ln = storage.link_source, storage.link
        return (select(ls.c.target_url).distinct()
                .select_from(ls.outerjoin(ln, and_(ln.c.scan_id == ls.c.scan_id, ln.c.url == ls.c.target_url)))
                .where(ls.c.scan_id == self.scan_id, ln.c.id.is_(None)))

    def fetched(self, limit: int = 1000) -> list:
        """Unclassified targets the crawl fetched itself: (url, status, facts) from their page row."""
        pg, ls, ln = storage.page, storage.link_source, storage.link
        # From the page rows, with index probes per row: the DISTINCT over every link source
        # of the scan that ``_unclassified`` needs would be recomputed for every batch.
        q = (select(pg.c.url, pg.c.status, pg.c.facts)
             .where(pg.c.scan_id == self.scan_id,
                    select(ls.c.id).where(ls.c.scan_id == self.scan_id, ls.c.target_url == pg.c.url).exists(),
                    ~select(ln.c.id).where(ln.c.scan_id == self.scan_id, ln.c.url == pg.c.url).exists())
             .limit(limit))
        with self.engine.connect() as conn:
            return conn.execute(q).all()

    def unfetched(self, exclude: set, limit: int) -> list[str]:
        """Unclassified targets the crawl did not fetch, skipping those already in flight."""
        pg = storage.page
        sub = self._unclassified().subquery()
        q = (select(sub.c.target_url)
             .where(~select(pg.c.id).where(pg.c.scan_id == self.scan_id, pg.c.url == sub.c.target_url).exists())
             .limit(limit + len(exclude)))
        with self.engine.connect() as conn:
            return [u for (u,) in conn.execute(q) if u not in exclude][:limit]

    def count_external_checked(self) -> int:
        ln = storage.link
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(ln).where(
                ln.c.scan_id == self.scan_id, ln.c.is_external.is_(True), ln.c.outcome != "unchecked")).scalar()


class LinkCheckMixin:
    """The spider's link checking: after the crawl, each distinct target once (see module doc).

    Needs from the spider: ``make``, ``record``, ``flush``, ``scope``, ``targets`` and the
    ``GOVAUDIT_LINK_*`` / ``GOVAUDIT_SOFT404_PROBE`` settings it reads in ``from_crawler``.
    """

    def classify_fetched(self) -> int:
        """Targets the crawl fetched anyway take their status from the page row.

        Returns the number of soft-404 probes it had to schedule first (0 = all classified).
        """
        probes = []
        while True:
            rows = self.targets.fetched(limit=1000)
            classified = 0
            for url, status, facts in rows:
                facts = facts or {}
                if status is None:
                    outcome, detail = facts.get("error", "error"), facts.get("detail", "")
                else:
                    outcome, detail = outcome_for_status(status), f"HTTP {status}"
                    if status == 200:
                        if self.needs_probe(url):
                            probes.extend(self.probe_requests(url))
                            continue
                        soft, why = self.soft404_for(url, facts)
                        if soft:
                            outcome, detail = "soft404", why
                self.record(it.LinkStatusItem(url=url, status=status, outcome=outcome, detail=detail,
                                              is_external=not self.scope.is_internal(url), method="GET"))
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

    def probe_requests(self, url: str, then: dict | None = None):
        """The probe of ``url``'s application, unless it is already on its way.

        ``then`` is a link-check result to finish once the probe has answered.
        """
        key = self.probe_key(url)
        if then:
            self.probe_waiting.setdefault(key, []).append(then)
        if key in self.probes:
            return []
        self.probes[key] = "pending"
        return [self.make(probe_url(url, key[1]), "parse_probe", {"kind": "probe", "key": list(key)},
                          errback="on_probe_error")]

    def soft404_for(self, url, facts) -> tuple[bool, str]:
        probe = self.probes.get(self.probe_key(url))
        probe = probe if isinstance(probe, PageSignature) else None
        sig = PageSignature(200, facts.get("title", ""), facts.get("text_len", 0), facts.get("digest", ""))
        start = url in self.scope.start_urls or self.scope.canonical(facts.get("final_url") or url) in self.scope.start_urls
        # A page showing document metadata (索引号, 发布日期 …) is a document, whatever its text says.
        says_missing = bool(facts.get("soft404_test")) and not facts.get("document_fields")
        return soft404_outcome(says_missing, sig, probe, start)

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
            ga = {"kind": "link", "external": external, "attachment": attachment}
            # Pages of this site are asked with GET at once (a soft-404 test needs the body);
            # files and other sites' pages with HEAD first.
            method = "HEAD" if external or attachment or extension(url) in BINARY_EXTENSIONS else "GET"
            requests.append(self.make(url, "parse_link", ga, method=method, errback="on_link_error"))
        self.flush()
        for request in requests:
            self.crawler.engine.crawl(request)
        return len(urls)

    def link_result(self, ga, status, outcome, detail, method):
        self.in_flight_links.discard(ga["url"])
        self.crawler.stats.inc_value("govaudit/links_checked")
        return it.LinkStatusItem(url=ga["url"], status=status, outcome=outcome, detail=detail[:500],
                                 is_external=ga["external"], is_attachment=ga["attachment"], method=method)

    @bundled
    def parse_link(self, response):
        ga = response.meta["ga"]
        method = response.request.method
        status = response.status
        if method == "HEAD" and status in HEAD_REFUSED_STATUSES:
            yield self.make(ga["url"], "parse_link", ga, errback="on_link_error")   # ask again with GET
            return
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        is_html = "html" in content_type
        if method == "HEAD" and status == 200 and is_html:
            # A soft 404 needs the body (an "attachment" that answers HTML is suspect too).
            yield self.make(ga["url"], "parse_link", ga, errback="on_link_error")
            return
        outcome, detail = outcome_for_status(status), f"HTTP {status}"
        if status == 200 and method == "GET" and is_html:
            if looks_like_js_challenge(response.body, status, self.js_shell_bytes):
                outcome, detail = "inconclusive", "JS challenge page (anti-bot), not judged"
            else:
                facts = self._link_facts(response)
                if self.needs_probe(ga["url"]):
                    # Classified when the probe of its application answers.
                    yield from self.probe_requests(ga["url"], then={"ga": ga, "status": status, "facts": facts})
                    return
                soft, why = self.soft404_for(ga["url"], facts)
                if soft:
                    outcome, detail = "soft404", why
        yield self.link_result(ga, status, outcome, detail, method)

    def soft404_facts(self, response, page, text) -> dict:
        """What link classification needs later: the page test and a signature for the probe."""
        if response.status != 200:
            return {}
        try:
            says_missing = bool(looks_like_soft404(response.status, page, len(response.body)))
        except Exception:  # noqa: BLE001 - hostile markup must not stop the crawl
            says_missing = False
        return {"soft404_test": says_missing, "title": page.title_tag[:200], "text_len": len(page.text),
                "digest": text_digest(page.text), "final_url": response.url}

    def _link_facts(self, response) -> dict:
        page, text, _ = page_of(response, response.meta["ga"]["url"])
        return self.soft404_facts(response, page, text)

    @bundled
    def on_link_error(self, failure):
        ga = failure.request.meta["ga"]
        outcome, detail = outcome_for_failure(failure)
        yield self.link_result(ga, None, outcome, detail, failure.request.method)

    # ---- soft-404 probes: one random nonexistent path per application ----------------------------
    @bundled
    def parse_probe(self, response):
        page, _, _ = page_of(response)
        ga = response.meta["ga"]
        self.probes[tuple(ga["key"])] = PageSignature(response.status, page.title_tag[:200], len(page.text),
                                                      text_digest(page.text))
        yield from self.after_probe(ga)

    @bundled
    def on_probe_error(self, failure):
        ga = failure.request.meta["ga"]
        self.probes[tuple(ga["key"])] = "failed"
        yield from self.after_probe(ga)

    def after_probe(self, probe_ga):
        for then in self.probe_waiting.pop(tuple(probe_ga["key"]), []):
            ga, status, facts = then["ga"], then["status"], then["facts"]
            soft, why = self.soft404_for(ga["url"], facts)
            outcome, detail = ("soft404", why) if soft else (outcome_for_status(status), f"HTTP {status}")
            yield self.link_result(ga, status, outcome, detail, "GET")
