"""The frontier's set of request fingerprints: exact like a Python set, at about 20 bytes each."""
import hashlib
import random
import tracemalloc

import pytest

from crawler.fingerprints import HEAD, WIDTH, FingerprintSet


def digest(i: int) -> bytes:
    return hashlib.sha1(str(i).encode()).digest()


def test_same_answers_as_a_set_across_merges():
    rng = random.Random(7)
    fps, reference = FingerprintSet(recent=64), set()
    pool = [digest(i) for i in range(3000)]
    for _ in range(6000):
        fp = rng.choice(pool)
        assert (fp in fps) == (fp in reference)
        fps.add(fp)
        reference.add(fp)
        assert len(fps) == len(reference)
    assert len(fps.heads) > 2000             # most of them went through a merge
    assert all(fp in fps for fp in reference)
    assert not any(digest(i) in fps for i in range(3000, 4000))


@pytest.mark.parametrize("recent", [1, 2, 1000])
def test_trailing_and_leading_nul_bytes_are_part_of_the_fingerprint(recent):
    base = b"\x07" * (WIDTH - 2)
    ending = [base + b"\0\0", base + b"\0\1", base + b"\1\0"]
    fps = FingerprintSet(recent=recent)
    fps.add(ending[0])
    fps.merge()
    assert ending[0] in fps
    assert ending[1] not in fps and ending[2] not in fps
    fps.add(ending[2])
    fps.merge()
    assert ending[1] not in fps
    assert b"\0" * WIDTH not in fps
    fps.add(b"\0" * WIDTH)
    assert b"\0" * WIDTH in fps and len(fps) == 3


def test_fingerprints_sharing_their_first_bytes_stay_apart_and_in_order():
    rng = random.Random(3)
    head = b"\x42" * HEAD
    keys = [head + bytes(rng.randrange(256) for _ in range(WIDTH - HEAD)) for _ in range(200)]
    keys += [digest(i) for i in range(200)]
    rng.shuffle(keys)
    fps = FingerprintSet(recent=17)
    for k in keys[:300]:
        fps.add(k)
    fps.merge()
    assert all(k in fps for k in keys[:300])
    assert not any(k in fps for k in keys[300:] if k not in keys[:300])
    size = WIDTH - HEAD
    stored = [fps.heads[i].to_bytes(HEAD, "big") + bytes(fps.tails[i * size:(i + 1) * size])
              for i in range(len(fps.heads))]
    assert stored == sorted(set(keys[:300]))


def test_other_widths_are_kept_by_their_digest():
    fps = FingerprintSet(recent=2)
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


def test_memory_per_fingerprint_is_about_its_width():
    # The fingerprints are made before tracing: only what the set itself holds is counted.
    n = 50_000
    keys = [digest(i) for i in range(n)]
    tracemalloc.start()
    try:
        fps = FingerprintSet()
        for k in keys:
            fps.add(k)
        fps.merge()
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(fps) == n
    # A set of bytes holds the object (56 bytes) and a slot (16-32 bytes) for each.
    assert held / n < WIDTH * 1.2


def test_a_merge_does_not_copy_what_was_merged_before():
    n, recent = 50_000, 4096
    keys = [digest(i) for i in range(n + recent)]
    tracemalloc.start()
    try:
        fps = FingerprintSet(recent=10**9)       # merged only when asked
        for k in keys[:n]:
            fps.add(k)
        fps.merge()
        for k in keys[n:]:
            fps.add(k)
        tracemalloc.reset_peak()
        fps.merge()
        after, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(fps) == n + recent and all(k in fps for k in keys[::997])
    # Beyond what the set holds after the merge: a copy of the merged buffers would be n * WIDTH.
    assert peak - after < n * WIDTH / 4
