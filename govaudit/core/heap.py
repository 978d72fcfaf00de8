"""Memory a phase of the audit freed, handed back to the system before the next phase starts;
large blocks kept off the heap of a long crawl.

glibc keeps the pages of freed blocks; ``malloc_trim`` returns every whole free page of its heaps,
the middle ones too.  Between the audit's phases this is 5–15 MB that the next phase would
otherwise stack its own memory on (docs/performance.md, "Thirteenth pass").  Elsewhere than
glibc (musl, macOS) there is no such call and only the collection is done.
"""
from __future__ import annotations

import ctypes
import functools
import gc


M_MMAP_THRESHOLD = -3      # glibc's mallopt parameter


@functools.cache
def _libc_call(name: str):
    try:
        return getattr(ctypes.CDLL(None), name)      # the C library the interpreter runs on
    except (OSError, AttributeError, TypeError):     # no such call, or no dlopen(NULL) (Windows)
        return None


def _malloc_trim():
    return _libc_call("malloc_trim")


def give_back() -> bool:
    """Collect the garbage and return the freed pages; False where the C library cannot."""
    gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def map_large_blocks(threshold: int) -> bool:
    """Blocks of ``threshold`` bytes or more get pages of their own, returned when freed.

    glibc raises its threshold by itself (up to 32 MB) once such a block is freed, and then puts
    large blocks on its heap, where a 10⁵-document crawl left 7 MB of holes between live ones
    (docs/performance.md, "Seventeenth pass").  A threshold that is set stays where it is.
    False where there is no ``mallopt`` or it refused."""
    mallopt = _libc_call("mallopt")
    return bool(threshold) and mallopt is not None and mallopt(M_MMAP_THRESHOLD, int(threshold)) == 1

