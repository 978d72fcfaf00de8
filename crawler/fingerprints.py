"""The fingerprints of every request a scan made, held in 20 bytes each.

A Python set of ``bytes`` costs about 90 bytes a fingerprint (the object, and its slot in a table
that doubles): at 10⁵ documents (125,000 requests) that was 11 MB of the crawl child, the part of
it that grew with the site.  Here the merged fingerprints are two flat buffers in sorted order,
the first 8 bytes of each as integers (``array``, searched by ``bisect``) and the other 12 beside
them, and the newest few thousand are a set that is merged into them when it is full.
Membership stays exact: a fingerprint is compared whole.  The attachments keep the digests of
the file contents they have read in one too (a SHA-256 is held as its SHA-1, ``key``).

Only the standard library: importing numpy would add 12 MB to the crawl child, which has no
other use for it.
"""
from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left

WIDTH = 20          # Scrapy's fingerprints are SHA-1 digests
HEAD = 8            # bytes of a fingerprint kept as the sorted integer
RECENT = 8192       # fingerprints held as a set before they are merged (about 0.7 MB)


class FingerprintSet:
    """A set of request fingerprints (``bytes``): ``add``, ``in`` and ``len``."""

    def __init__(self, recent: int = RECENT):
        self.heads = array("Q")         # sorted
        self.tails = bytearray()        # WIDTH - HEAD bytes a fingerprint, in the heads' order
        self.recent: set[bytes] = set()
        self.limit = recent

    @staticmethod
    def key(fingerprint: bytes) -> bytes:
        """``fingerprint`` itself when it is a digest of the usual width; any other (a custom
        ``REQUEST_FINGERPRINTER_CLASS``'s) by its SHA-1 digest."""
        return fingerprint if len(fingerprint) == WIDTH else hashlib.sha1(fingerprint).digest()

    def _merged(self, key: bytes) -> bool:
        head, tail, size = int.from_bytes(key[:HEAD], "big"), key[HEAD:], WIDTH - HEAD
        at = bisect_left(self.heads, head)
        while at < len(self.heads) and self.heads[at] == head:
            if self.tails[at * size:(at + 1) * size] == tail:
                return True
            at += 1
        return False

    def __contains__(self, fingerprint: bytes) -> bool:
        key = self.key(fingerprint)
        return key in self.recent or self._merged(key)

    def add(self, fingerprint: bytes) -> None:
        key = self.key(fingerprint)
        if key in self.recent or self._merged(key):
            return
        self.recent.add(key)
        if len(self.recent) >= self.limit:
            self.merge()

    def merge(self) -> None:
        """Move the recent fingerprints into the sorted buffers, in place: the buffers grow by
        the recent ones and are never copied whole (a copy doubled them for a moment, 2.5 MB at
        10⁵ documents).  From the end backwards, so each merged fingerprint moves once."""
        size, keys = WIDTH - HEAD, sorted(self.recent)
        heads, tails = self.heads, self.tails
        end = len(heads)                        # heads[:end]: not yet moved
        heads.frombytes(bytes(HEAD * len(keys)))
        tails.extend(bytes(size * len(keys)))
        write = len(heads)                      # heads[write:]: in their final place
        # Big-endian heads sort as the bytes do, so a key's place is found from its head alone
        # (the tails of equal heads are in byte order already).
        for key in reversed(keys):
            head, tail = int.from_bytes(key[:HEAD], "big"), key[HEAD:]
            at = bisect_left(heads, head, 0, end)
            while at < end and heads[at] == head and tails[at * size:(at + 1) * size] < tail:
                at += 1
            moved = end - at
            if moved:
                heads[write - moved:write] = heads[at:end]
                tails[(write - moved) * size:write * size] = tails[at * size:end * size]
            write -= moved + 1
            heads[write] = head
            tails[write * size:(write + 1) * size] = tail
            end = at
        self.recent = set()

    def __len__(self) -> int:
        return len(self.heads) + len(self.recent)

    def __bool__(self) -> bool:
        return len(self) > 0
