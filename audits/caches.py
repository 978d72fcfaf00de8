"""Tables the rules build once and keep (the 严重表述错误 matcher and the pinyin dictionaries it
reads: about 20 MiB).  ``audit_scan`` lets them go once the rules are done, so the report does not
add its memory on top of them; the next audit in the process builds them again (about a second)."""
from __future__ import annotations

from functools import lru_cache

_CACHES: list = []


def rule_cache(maxsize: int | None = 1):
    """``functools.lru_cache`` whose cache ``release()`` empties."""
    def wrap(func):
        cached = lru_cache(maxsize=maxsize)(func)
        _CACHES.append(cached)
        return cached
    return wrap


def release() -> None:
    for cached in _CACHES:
        cached.cache_clear()
