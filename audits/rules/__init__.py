"""One module per audit rule; each registers itself with ``@audits.registry.rule``.  A rule's module
is named by its id (tests/audits/test_registry.py checks)."""
from __future__ import annotations

import pkgutil


def rule_ids() -> frozenset[str]:
    """Every rule's id, without importing a rule: a scan checks its profile's ``audit:`` section in
    the process that then waits an hour on the crawl, where the rules' libraries would be held."""
    return frozenset(info.name for info in pkgutil.iter_modules(__path__))
