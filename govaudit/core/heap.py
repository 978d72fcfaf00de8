"""Memory a phase of the audit freed, handed back to the system before the next phase starts.

glibc keeps the pages of freed blocks; ``malloc_trim`` returns every whole free page of its heaps,
the middle ones too.  Between the audit's phases this is 5–15 MB that the next phase would
otherwise stack its own memory on (docs/performance.md, "Thirteenth pass").  Elsewhere than
glibc (musl, macOS) there is no such call and only the collection is done.
"""
from __future__ import annotations

import ctypes
import functools
import gc


@functools.cache
def _malloc_trim():
    try:
        return ctypes.CDLL(None).malloc_trim       # the C library the interpreter runs on
    except (OSError, AttributeError, TypeError):     # no such call, or no dlopen(NULL) (Windows)
        return None


def give_back() -> bool:
    """Collect the garbage and return the freed pages; False where the C library cannot."""
    gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
