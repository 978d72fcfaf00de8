"""The rule registry: one small unit per check, registered by a decorator, found by discovery.

A rule module in ``audits/rules/`` looks like::

    @rule("empty_column", name="空白栏目", basis="…", tasks=[33], severity="veto", order=1)
    def empty_column(snapshot, config, as_of):
        yield empty_column.finding(url, "「…」栏目为空白栏目", evidence={…})

``rule.finding(...)`` fills in the check id, the default severity and the 要点 tasks.  Adding a
rule is adding one module; nothing else needs to change.
"""
from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Callable, Iterable

from audits.model import SEVERITIES, Finding

_REGISTRY: dict[str, "Rule"] = {}


@dataclass(frozen=True)
class Rule:
    id: str
    name: str                       # Chinese, as in real 检查通报
    basis: str                      # indicator / note of rules.md, and the 要点 task
    severity: str                   # default: veto | deduct | notice
    tasks: tuple[int, ...] = ()
    order: int = 100                # position in reports (core checks first)
    func: Callable = field(default=None, compare=False, repr=False)

    def check(self, snapshot, config: dict, as_of: dt.date) -> Iterable[Finding]:
        return self.func(snapshot, config, as_of)

    __call__ = check

    def finding(self, url: str, message: str, **kwargs) -> Finding:
        kwargs.setdefault("severity", self.severity)
        kwargs.setdefault("tasks", list(self.tasks))
        return Finding(check=self.id, url=url, message=message, **kwargs)

    def describe(self) -> dict:
        return {"name": self.name, "basis": self.basis, "severity": self.severity, "tasks": list(self.tasks)}


def rule(rule_id: str, *, name: str, basis: str, severity: str, tasks: Iterable[int] = (), order: int = 100):
    """Register ``func`` as the check ``rule_id``."""
    if severity not in SEVERITIES:
        raise ValueError(f"{rule_id}: severity must be one of {SEVERITIES}")

    def register(func: Callable) -> Rule:
        if rule_id in _REGISTRY and _REGISTRY[rule_id].func.__module__ != func.__module__:
            raise ValueError(f"rule id {rule_id} registered twice")
        registered = Rule(rule_id, name, basis, severity, tuple(tasks), order, func)
        _REGISTRY[rule_id] = registered
        return registered

    return register


def discover() -> None:
    """Import every module of ``audits.rules`` so their decorators run."""
    import audits.rules as package

    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")


def all_rules() -> list[Rule]:
    discover()
    return sorted(_REGISTRY.values(), key=lambda r: (r.order, r.id))


def get(rule_id: str) -> Rule:
    discover()
    return _REGISTRY[rule_id]
