"""Audit configuration: ``defaults.yaml`` overridden by a profile's ``audit:`` section or a file.

Overrides use the same nested keys as the defaults (dotted keys such as
``interpretation.late_workdays`` are accepted too).  Dicts merge key by key, everything else
replaces.  An unknown key or a value of the wrong type is a one-line ``GovauditError``.
"""
from __future__ import annotations

import copy
import re
from functools import lru_cache
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

from audits.rules import rule_ids
from govaudit.core.errors import EXIT_PROFILE, GovauditError
from govaudit.core.profile import COLUMN_OVERRIDE_SCHEMA

DEFAULTS_PATH = Path(__file__).with_name("defaults.yaml")

# Mappings whose keys are data (rule ids, heading names), not settings: any key is allowed.
OPEN_MAPPINGS = {
    "severity",
    "annual_report.headings",
    "guide.required",
    "elements.index_styles",
    "columns.classes",
    "identity.footer_items",
    "scoring.deductions",
}

_OVERRIDE_VALIDATOR = Draft202012Validator(COLUMN_OVERRIDE_SCHEMA)
_WINDOW_RE = re.compile(r"^\s*(\d+)\s*([dm])\s*$")


@lru_cache(maxsize=1)
def _defaults() -> dict:
    with DEFAULTS_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def defaults() -> dict:
    """A fresh copy of the built-in defaults."""
    return copy.deepcopy(_defaults())


def _fail(message: str):
    raise GovauditError(f"检查配置错误 / bad audit setting: {message}", EXIT_PROFILE)


def _expand_dotted(overrides: dict) -> dict:
    out: dict = {}
    for key, value in overrides.items():
        if not isinstance(key, str):
            _fail(f"key {key!r} is not a string")
        target = out
        parts = key.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                _fail(f"{key} conflicts with another setting")
        if isinstance(value, dict) and isinstance(target.get(parts[-1]), dict):
            target[parts[-1]].update(value)
        else:
            target[parts[-1]] = value
    return out


def _compatible(default, value) -> bool:
    if default is None or value is None:
        return True
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, str):
        return isinstance(value, str)
    if isinstance(default, list):
        return isinstance(value, list)
    if isinstance(default, dict):
        return isinstance(value, dict)
    return True


def _merge(base: dict, override: dict, path: str) -> dict:
    for key, value in override.items():
        dotted = f"{path}.{key}" if path else str(key)
        open_mapping = path in OPEN_MAPPINGS
        if key not in base and not open_mapping:
            _fail(f"unknown setting {dotted}")
        current = base.get(key)
        if key in base and not _compatible(current, value):
            _fail(f"{dotted} should be {type(current).__name__}, got {type(value).__name__}")
        if isinstance(current, dict) and isinstance(value, dict):
            _merge(current, value, dotted)
        else:
            base[key] = copy.deepcopy(value)
    return base


def merged_config(overrides: dict | None = None) -> dict:
    """Defaults with ``overrides`` applied and validated."""
    config = defaults()
    if overrides:
        if not isinstance(overrides, dict):
            _fail("the audit section must be a mapping")
        _merge(config, _expand_dotted(overrides), "")
    _validate(config)
    return config


def check_rule_names(config: dict, known) -> None:
    """The rules ``severity`` and ``disabled`` name must exist (``known``: their ids)."""
    for where in ("severity", "disabled"):
        for rule_id in config[where]:
            if rule_id not in known:
                raise GovauditError(f"检查配置错误 / bad audit setting: {where}: unknown rule {rule_id}",
                                    EXIT_PROFILE)


def check_settings(overrides: dict | None) -> None:
    """Raise the one-line error a bad ``audit:`` section would raise after the crawl, now."""
    check_rule_names(merged_config(overrides or {}), rule_ids())


def load_overrides(path: str | Path) -> dict:
    """Read a YAML file of threshold overrides (validated against the defaults)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GovauditError(f"无法读取检查配置 / cannot read audit config {path}: {exc.strerror}", EXIT_PROFILE)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise GovauditError(f"检查配置不是有效的YAML / invalid YAML in {path}{where}", EXIT_PROFILE)
    if data is None:
        return {}
    if not isinstance(data, dict):
        _fail(f"{path} must hold a mapping of settings")
    # A whole profile may be passed: take its audit: section.
    if "audit" in data and isinstance(data["audit"], dict) and "start_urls" in data:
        data = data["audit"]
    merged_config(data)  # validate now, so the error names the file's setting
    return data


def parse_window(text: str, where: str = "window") -> tuple[int, str]:
    """'14d' -> (14, 'd'); '6m' -> (6, 'm')."""
    m = _WINDOW_RE.match(str(text))
    if not m:
        _fail(f"{where} must look like 14d or 6m, got {text!r}")
    return int(m.group(1)), m.group(2)


def _validate(config: dict) -> None:
    for name, cls in config["columns"]["classes"].items():
        if not isinstance(cls, dict) or "keywords" not in cls or "window" not in cls:
            _fail(f"columns.classes.{name} needs keywords and window")
        parse_window(cls["window"], f"columns.classes.{name}.window")
    parse_window(config["homepage"]["window"], "homepage.window")
    _compile(config["elements"]["doc_number_pattern"], "elements.doc_number_pattern")
    for i, pattern in enumerate(config["elements"]["date_patterns"]):
        if _compile(pattern, f"elements.date_patterns[{i}]").groups < 3:
            _fail(f"elements.date_patterns[{i}] needs year, month and day groups")
    for name, pattern in config["elements"]["index_styles"].items():
        _compile(pattern, f"elements.index_styles.{name}")
    if _compile(config["annual_report"]["title_pattern"], "annual_report.title_pattern").groups < 1:
        _fail("annual_report.title_pattern needs a year group")
    for rule_id, sev in config["severity"].items():
        if sev not in ("veto", "deduct", "notice"):
            _fail(f"severity.{rule_id} must be veto, deduct or notice")
    for dl in ("department_deadline", "district_deadline"):
        if not re.match(r"^\d{2}-\d{2}$", str(config["annual_report"][dl])):
            _fail(f"annual_report.{dl} must look like 01-31")
    for i, entry in enumerate(config["columns"]["overrides"]):
        # The same schema as a profile's ``columns`` entries (govaudit/profile.py).
        error = next(_OVERRIDE_VALIDATOR.iter_errors(entry), None)
        if error is not None:
            where = "".join(f".{p}" if isinstance(p, str) else f"[{p}]" for p in error.absolute_path)
            if error.validator == "anyOf":
                _fail(f"columns.overrides[{i}] needs a match key (or url_pattern / name_pattern)")
            if error.validator == "additionalProperties":
                unknown = sorted(set(entry) - set(COLUMN_OVERRIDE_SCHEMA["properties"]))
                _fail(f"columns.overrides[{i}]: unknown key {unknown[0]}")
            _fail(f"columns.overrides[{i}]{where}: {error.message}")
        for key in ("url_pattern", "name_pattern"):
            if key in entry:
                _compile(entry[key], f"columns.overrides[{i}].{key}")
    _compile(config["columns"]["placeholder_pattern"], "columns.placeholder_pattern")
    for i, pattern in enumerate(config["columns"]["gongkai_url_patterns"]):
        _compile(pattern, f"columns.gongkai_url_patterns[{i}]")


def _compile(pattern: str, where: str):
    try:
        return re.compile(pattern)
    except re.error as exc:
        _fail(f"{where} is not a valid regular expression ({exc})")
