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

from sqlalchemy import and_, select

from govaudit import storage

INCONCLUSIVE_STATUSES = frozenset({403, 412, 418, 429})
# Answers to HEAD that mean "ask again with GET" (many CMS and WAFs mishandle HEAD).
HEAD_REFUSED_STATUSES = frozenset({400, 403, 405, 406, 412, 501})

_SCRIPT = re.compile(rb"<script", re.I)
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


def outcome_for_failure(failure) -> tuple[str, str]:
    """Map a Twisted/Scrapy download failure to (outcome, one-line detail)."""
    from twisted.internet import error as net_error

    exc = failure.value
    name = type(exc).__name__
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else name
    if failure.check(net_error.DNSLookupError):
        return "dns", f"DNS lookup failed: {text}"
    if failure.check(net_error.TimeoutError, net_error.TCPTimedOutError) or "Timeout" in name:
        return "timeout", "timed out"
    if "SSL" in name or "TLS" in name or "certificate" in text.lower() or "ssl" in text.lower():
        return "tls", f"TLS error: {text}"
    if failure.check(net_error.ConnectionRefusedError):
        return "error", "connection refused"
    if name == "IgnoreRequest":
        return "unchecked", text
    return "error", f"{name}: {text}"


def looks_like_js_challenge(body: bytes, status: int, max_bytes: int) -> bool:
    """A tiny 200 page whose only content is a script: an anti-bot challenge, not content."""
    if status != 200 or len(body) > max_bytes or not _SCRIPT.search(body):
        return False
    text = body.decode("utf-8", "replace")
    text = re.sub(r"(?is)<script.*?</script>|<style.*?</style>|<noscript.*?</noscript>", "", text)
    return len(_TAGS.sub("", text)) < 20


def text_digest(text: str) -> str:
    return hashlib.sha1(" ".join((text or "").split()).encode("utf-8")).hexdigest()


def probe_url(url: str) -> str:
    """A path that cannot exist on the host of ``url``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/govaudit-probe-{uuid.uuid4().hex[:12]}.html", "", ""))


@dataclass
class PageSignature:
    """What the soft-404 comparison needs of a 200 page."""
    status: int | None
    title: str = ""
    text_len: int = 0
    digest: str = ""

    def matches(self, other: "PageSignature") -> bool:
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
        pg = storage.page
        sub = self._unclassified().subquery()
        q = (select(pg.c.url, pg.c.status, pg.c.facts)
             .join(sub, sub.c.target_url == pg.c.url)
             .where(pg.c.scan_id == self.scan_id).limit(limit))
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
        from sqlalchemy import func

        ln = storage.link
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(ln).where(
                ln.c.scan_id == self.scan_id, ln.c.is_external.is_(True), ln.c.outcome != "unchecked")).scalar()
