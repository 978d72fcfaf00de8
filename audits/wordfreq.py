"""jieba's word frequencies in 6 MB instead of 63: ``compact_frequencies(jieba's dictionary file)``.

``jieba.Tokenizer`` reads its dictionary into ``FREQ``, a dict of every word and of every prefix of
a word (498,113 strings, 63 MB of RSS, measured 2026-12-05), and keeps it while it segments.  Its
segmentation asks no more of ``FREQ`` than whether a fragment is there (``in``), its frequency
(``[]``, ``get``), and the ``total``.  ``CompactFreq`` answers the same from two sorted arrays:
a 64-bit hash of each string and its frequency (0 for a prefix that is not itself a word).

The hash is Python's of the string's UTF-8 bytes: a str's own hash is of its internal buffer, so
偂 (U+5042, two bytes) and "BP" share one.  Two of half a million strings share a 64-bit hash
with a chance of about 10⁻⁸, and the arrays are built in the process that uses them (the hash of
bytes is seeded per process).

The dictionary is read a chunk of lines at a time and each chunk folded into the arrays before
the next is read: the build never holds the strings.  As in ``jieba.Tokenizer.gen_pfdict``, a
word's last line gives its frequency, a prefix never overrides a word, and the total counts every
line.  tests/audits/test_wordfreq.py compares both.
"""
from __future__ import annotations

import itertools
from array import array

import numpy as np

CHUNK = 50_000      # dictionary lines hashed at a time


def key(word: str) -> int:
    return hash(word.encode("utf-8"))


class CompactFreq:
    """The part of a dict of str -> frequency that jieba's segmentation uses."""

    def __init__(self, hashes: np.ndarray, freqs: np.ndarray):
        self.hashes, self.freqs = hashes, freqs

    def _index(self, word: str) -> int:
        k = key(word)
        i = int(np.searchsorted(self.hashes, k))
        return i if i < len(self.hashes) and self.hashes[i] == k else -1

    def __contains__(self, word) -> bool:
        return isinstance(word, str) and self._index(word) >= 0

    def __getitem__(self, word: str) -> int:
        i = self._index(word)
        if i < 0:
            raise KeyError(word)
        return int(self.freqs[i])

    def get(self, word: str, default=None):
        i = self._index(word)
        return default if i < 0 else int(self.freqs[i])

    def __len__(self) -> int:
        return len(self.hashes)


def _fold(hashes: np.ndarray, freqs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One entry per hash, sorted: the last word of it (a stable sort puts words, frequency > 0,
    after prefixes, and later lines after earlier ones); a prefix's 0 if no word is it.  A word
    of frequency 0 reads 0 either way."""
    by = np.lexsort((freqs > 0, hashes))
    hashes, freqs = hashes[by], freqs[by]
    last = np.append(hashes[1:] != hashes[:-1], True)
    return hashes[last], freqs[last]


def compact_frequencies(lines) -> tuple[CompactFreq, int]:
    """``FREQ`` and ``total`` of jieba's dictionary, read from ``lines`` (bytes or str lines of
    "word frequency [tag]")."""
    hashes, freqs = np.empty(0, np.int64), np.empty(0, np.int32)
    total, line_no = 0, 0
    while True:
        chunk = list(itertools.islice(lines, CHUNK))
        if not chunk:
            break
        new_hashes, new_freqs, previous = array("q"), array("i"), ""
        for line in chunk:
            line_no += 1
            text = (line.decode("utf-8") if isinstance(line, bytes) else line).strip()
            try:
                word, freq = text.split(" ")[:2]
                freq = int(freq)
            except ValueError:
                raise ValueError(f"invalid dictionary entry at line {line_no}: {text[:80]}") from None
            total += freq
            new_hashes.append(key(word))
            new_freqs.append(freq)
            # Prefixes the previous line already gave (the dictionary groups words by their
            # first characters) are not hashed again.
            shared = 0
            for a, b in zip(word, previous):
                if a != b:
                    break
                shared += 1
            for end in range(max(shared, 1), len(word)):
                new_hashes.append(key(word[:end]))
                new_freqs.append(0)
            previous = word
        del chunk
        hashes, freqs = _fold(np.concatenate([hashes, np.frombuffer(new_hashes, np.int64)]),
                              np.concatenate([freqs, np.frombuffer(new_freqs, np.int32)]))
    return CompactFreq(hashes, freqs), total
