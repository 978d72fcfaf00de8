"""govaudit.core.heap: the pages a phase freed go back to the system, in a real process."""
from __future__ import annotations

import subprocess
import sys

# A heap left full of holes: 90 MB of 1.5 kB blocks (glibc's, not Python's small-object allocator)
# of which every 64th stays, the last one too, so that no free page lies at the heap's top.
CODE = """
import sys
from govaudit.core import heap, procfs
blocks = [bytes(1500) + bytes([i % 256]) for i in range(60_000)]
kept = blocks[63::64] + blocks[-1:]
del blocks
before = procfs.rss_kib()
returned = heap.give_back() if sys.argv[1] == "give" else None
print(before, procfs.rss_kib(), returned)
"""


def _run(mode: str, code: str = CODE) -> tuple[int, int, str]:
    """``code`` in a fresh interpreter: RSS (KiB) before and after the freeing, and what the call said."""
    out = subprocess.run([sys.executable, "-c", code, mode], capture_output=True, text=True,
                         check=True).stdout
    before, after, returned = out.split()
    return int(before), int(after), returned


def test_the_freed_pages_in_the_middle_of_the_heap_go_back():
    before, after, returned = _run("give")
    assert returned == "True"                 # glibc, as on Debian
    assert before - after > 40 << 10          # of about 88 MB freed, held until then


def test_without_it_they_stay():
    before, after, _ = _run("keep")
    assert before - after < 4 << 10


# Blocks of 200 kB, every other one kept: glibc has raised its own threshold past them (a 4 MB
# block was freed first), so without a fixed one they lie on its heap and their holes stay.
LARGE = """
import sys
from govaudit.core import heap, procfs
mapped = heap.map_large_blocks(64 << 10) if sys.argv[1] == "map" else None
first = bytes(4 << 20)
del first
blocks = [b"x" * (200_000 + i) for i in range(300)]
kept = blocks[1::2]
full = procfs.rss_kib()
del blocks
print(full, procfs.rss_kib(), mapped)
"""


def test_large_blocks_on_their_own_pages_go_back_when_freed():
    full, after, mapped = _run("map", LARGE)
    assert mapped == "True"
    assert full - after > 20 << 10            # of the 30 MB freed


def test_on_the_heap_their_holes_stay():
    full, after, _ = _run("keep", LARGE)
    assert full - after < 4 << 10
