"""Report settings and vocabulary, read from the YAML files beside this module."""
from __future__ import annotations

import functools
from importlib import resources

import yaml

from audits.registry import all_rules


@functools.cache
def _load(name: str) -> dict:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def settings(overrides: dict | None = None) -> dict:
    """defaults.yaml with a profile's ``report:`` section laid over it."""
    merged = dict(_load("defaults.yaml"))
    merged.update({k: v for k, v in (overrides or {}).items() if k in merged})
    return merged


def vocabulary() -> dict:
    return _load("vocabulary.yaml")


def check_names(rules: dict | None = None) -> dict[str, str]:
    """rule id -> Chinese name, in report order: each rule's own name (audits/rules/<id>.py); the
    audit document's ``rules`` (the names it was audited with) win."""
    names = {r.id: r.name for r in all_rules()}
    for rule_id, rule in (rules or {}).items():
        if isinstance(rule, dict) and rule.get("name"):
            names[rule_id] = rule["name"]
    return names
