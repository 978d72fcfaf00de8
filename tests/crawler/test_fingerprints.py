"""The frontier's set of request fingerprints: exact like a Python set, kept on disk."""
import gc
import hashlib
import random

from crawler.fingerprints import WIDTH, FingerprintSet
from govaudit.core import procfs


def digest(i: int) -> bytes:
    return hashlib.sha1(str(i).encode()).digest()


def test_same_answers_as_a_set_across_writes():
    rng = random.Random(7)
    fps, reference = FingerprintSet(pending=64), set()
    pool = [digest(i) for i in range(3000)]
    for _ in range(6000):
        fp = rng.choice(pool)
        assert (fp in fps) == (fp in reference)
        fps.add(fp)
        reference.add(fp)
        assert len(fps) == len(reference)
    assert fps.written > 2000 and len(fps.pending) < 64     # most of them were written
    assert all(fp in fps for fp in reference)
    assert not any(digest(i) in fps for i in range(3000, 4000))


def test_a_fingerprint_added_again_counts_once_whether_written_or_waiting():
    fps = FingerprintSet(pending=3)
    fps.add(digest(1))
    fps.add(digest(1))               # waiting twice is one
    fps.flush()
    fps.add(digest(1))               # waiting, and written already
    fps.add(digest(2))
    assert len(fps) == 2 and not fps.pending


def test_a_fingerprint_is_compared_whole():
    base = b"\x07" * (WIDTH - 2)
    ending = [base + b"\0\0", base + b"\0\1", base + b"\1\0"]
    fps = FingerprintSet(pending=1)
    fps.add(ending[0])
    assert ending[0] in fps
    assert ending[1] not in fps and ending[2] not in fps and base not in fps
    fps.add(ending[2])
    assert ending[1] not in fps
    assert b"\0" * WIDTH not in fps
    fps.add(b"\0" * WIDTH)
    assert b"\0" * WIDTH in fps and len(fps) == 3


def test_other_widths_are_kept_by_their_digest():
    fps = FingerprintSet(pending=2)
    short, long_ = b"abc", b"x" * 40
    fps.add(short)
    fps.add(long_)
    assert short in fps and long_ in fps
    assert b"abd" not in fps and b"x" * 39 not in fps
    fps.add(b"abc")
    assert len(fps) == 2


def test_empty_and_truth():
    fps = FingerprintSet()
    assert not fps and len(fps) == 0 and digest(1) not in fps
    fps.add(digest(1))
    assert fps


def test_memory_does_not_grow_with_the_fingerprints():
    # 300,000 fingerprints: 6 MB at 20 bytes each in memory, 27 MB as a set of bytes.
    n = 300_000
    fps = FingerprintSet()
    for i in range(2_000):           # the page cache filled, the statements prepared
        fps.add(digest(i))
    fps.flush()
    gc.collect()
    before = procfs.rss_kib()
    for i in range(2_000, n):
        fps.add(digest(i))
    fps.flush()
    gc.collect()
    grown = procfs.rss_kib() - before
    assert len(fps) == n and digest(n // 2) in fps and digest(n) not in fps
    assert grown < 1536, f"grew {grown} kB for {n} fingerprints"
