"""Which documents a re-scan may copy from the previous scan without asking the server.

A re-scan always asks for every column and list page again (conditionally), so new, moved and
removed documents are always seen.  A document on a list page that is unchanged since the
previous scan, or listed in the same column with the same title and date as then, is copied
without a request when all of these hold:

* the previous scan's copy was verified with the server (fetched, or answered 304) less than
  ``GOVAUDIT_RECHECK_DOCUMENTS_AFTER_DAYS`` ago — copies keep the date of that verification, so
  every document is asked again at least once per window (a monthly scan asks for all of them);
* the previous scan was audited and no finding of it names the document (its URL, or a URL in a
  finding's evidence such as the 解读 of a one-way link): documents under rectification are
  exactly the ones units edit in place, so they are always asked;
* the scan was not told to re-check everything (``scan --recheck-all``, or a window of 0).

``GOVAUDIT_TRUST_UNCHANGED_LISTS`` (profile ``crawl.trust_unchanged_lists``) trusts without the
age limit and without requiring an audited previous scan (findings still exclude documents); a
window of 0 still asks for everything.

What this misses, by design: a document without findings that is edited in place, or removed
while still listed, within the window.  The next scan after the window sees it.
"""
from __future__ import annotations

import datetime as dt
import json
import re

from sqlalchemy import select

from govaudit.core import storage

URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>]+")


def _verified_at(value: str | None) -> dt.datetime | None:
    try:
        stamp = dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    if stamp is not None and stamp.tzinfo is None:
        stamp = stamp.astimezone()
    return stamp


class RevisitPolicy:
    def __init__(self, engine, previous_scan_id, window_days: float, trust_always: bool = False,
                 scoped: bool = False, now: dt.datetime | None = None):
        self.engine = engine
        self.previous = int(previous_scan_id) if previous_scan_id else None
        self.window_days = window_days
        self.window = dt.timedelta(days=window_days) if window_days and window_days > 0 else None
        self.trust_always = trust_always
        self.now = now or dt.datetime.now().astimezone()
        self.flagged_urls: set[str] = set()
        audited = self.previous is not None and self._audited()
        # A window of 0 (``--recheck-all``) asks for everything, trust_always or not.  Column-scoped
        # scans read a column on its own: no replay, so nothing to trust either.
        self.enabled = bool(self.previous) and not scoped and self.window is not None and (trust_always or audited)
        if self.enabled and audited:
            self.flagged_urls = self._flagged()

    @classmethod
    def from_settings(cls, engine, settings):
        return cls(engine, settings.get("GOVAUDIT_PREVIOUS_SCAN_ID"),
                   settings.getfloat("GOVAUDIT_RECHECK_DOCUMENTS_AFTER_DAYS"),
                   trust_always=settings.getbool("GOVAUDIT_TRUST_UNCHANGED_LISTS"),
                   scoped=bool(settings.get("GOVAUDIT_SCOPE_COLUMN")))

    def _audited(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(storage.audit_summary.c.scan_id)
                                .where(storage.audit_summary.c.scan_id == self.previous)).first() is not None

    def _flagged(self) -> set[str]:
        """URLs named by the previous scan's findings (one row per finding: bounded by the report)."""
        fi = storage.finding
        urls: set[str] = set()
        with self.engine.connect() as conn:
            for url, evidence in conn.execute(select(fi.c.url, fi.c.evidence).where(fi.c.scan_id == self.previous)):
                if url:
                    urls.add(url)
                if evidence:
                    urls.update(URL_IN_TEXT.findall(json.dumps(evidence, ensure_ascii=False)))
        return urls

    def may_copy(self, url: str, previous_row: dict) -> bool:
        """May this document (fetched with 200 by the previous scan: ``previous_row``) be copied unasked?"""
        if not self.enabled or url in self.flagged_urls:
            return False
        if self.trust_always:
            return True
        verified = _verified_at(previous_row.get("fetched_at"))
        return verified is not None and self.now - verified < self.window
