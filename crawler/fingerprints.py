"""The fingerprints of every request a scan made, kept on disk: the crawl child's memory does not
grow with the site.

Held in memory they were the part of the crawl child that grew with the site: a Python set of
``bytes`` costs about 90 bytes a fingerprint (11 MB at 10⁵ documents, 125,000 requests), and
even two flat sorted buffers of 20 bytes each were 3–4 MB there, and would be ten times that at
10⁶ (docs/performance.md, "Nineteenth pass").  Here they are the rows of a private temporary
SQLite database (an empty file name: SQLite deletes its file itself, however the crawl ends)
behind a page cache of fixed size; the newest few hundred wait in a set and are written in one
transaction.  Membership stays exact: a fingerprint is compared whole.  A lookup costs about
4 µs, against some 25 µs to compute the fingerprint in the first place.

The attachments keep the digests of the file contents they have read in one too (a SHA-256 is
held as its SHA-1, ``key``).  Not thread-safe: the crawl uses it from the reactor's thread.
"""
from __future__ import annotations

import hashlib
import sqlite3

WIDTH = 20          # Scrapy's fingerprints are SHA-1 digests
PENDING = 512       # fingerprints held in memory before they are written
CACHE_KIB = 512     # SQLite's page cache for them


class FingerprintSet:
    """A set of request fingerprints (``bytes``): ``add``, ``in`` and ``len``."""

    def __init__(self, pending: int = PENDING, cache_kib: int = CACHE_KIB):
        self.limit = pending
        self.pending: set[bytes] = set()
        self.written = 0
        self.db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        # The file is scratch: a crash loses it whole, and a resume seeds it from the frontier.
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
        self.db.execute("CREATE TABLE seen (key BLOB PRIMARY KEY) WITHOUT ROWID")

    @staticmethod
    def key(fingerprint: bytes) -> bytes:
        """``fingerprint`` itself when it is a digest of the usual width; any other (a custom
        ``REQUEST_FINGERPRINTER_CLASS``'s) by its SHA-1 digest."""
        return fingerprint if len(fingerprint) == WIDTH else hashlib.sha1(fingerprint).digest()

    def __contains__(self, fingerprint: bytes) -> bool:
        key = self.key(fingerprint)
        if key in self.pending:
            return True
        return self.db.execute("SELECT 1 FROM seen WHERE key = ?", (key,)).fetchone() is not None

    def add(self, fingerprint: bytes) -> None:
        self.pending.add(self.key(fingerprint))
        if len(self.pending) >= self.limit:
            self.flush()

    def flush(self) -> None:
        """Write the pending fingerprints (one already written is ignored, so ``add`` needs no
        lookup of its own)."""
        if not self.pending:
            return
        before = self.db.total_changes
        self.db.execute("BEGIN")
        self.db.executemany("INSERT OR IGNORE INTO seen VALUES (?)", ((k,) for k in sorted(self.pending)))
        self.db.execute("COMMIT")
        self.written += self.db.total_changes - before
        self.pending = set()

    def __len__(self) -> int:
        self.flush()
        return self.written

    def __bool__(self) -> bool:
        return bool(self.pending) or self.written > 0
