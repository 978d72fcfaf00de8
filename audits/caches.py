"""Tables the rules build once and keep (the 严重表述错误 matcher and the pinyin dictionaries it
reads: about 20 MiB).  The runner lets them go right after the rule that builds them (declared
``@rule(own_tables=True)``, run first) and again once the rules are done, so neither the other
rules nor the report add their memory on top of them; the next audit in the process builds them
again (about a second)."""
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
