"""Site profiles: what a site needs that the heuristics cannot guess.

A profile is a YAML file (see ``profiles/README.md`` for the documented schema and
``profiles/jnzq.yaml`` for a real one).  ``load_profile`` validates it against
``PROFILE_SCHEMA`` (JSON Schema, checked by the ``jsonschema`` library) plus the checks a
schema cannot express (URLs, regular expressions), and turns every problem into one line:

    bad profile /srv/profiles/jnzq.yaml: politeness.concurency: unknown key (expected one of: autothrottle, ...)

and several problems into that one line (``2 errors: politeness.delay: …; start_urls[0]: …``).

Everything is optional except ``start_urls``; the crawler fills in defaults from
``crawler/settings.py`` and the audits from ``audits/defaults.yaml``.
"""
from __future__ import annotations

import re
from fnmatch import fnmatchcase
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from govaudit.core.errors import EXIT_PROFILE, GovauditError

CANONICAL_FIELDS = ("索引号", "主题分类", "发文机关", "发文字号", "成文日期", "发布日期", "有效性")
COLUMN_CLASSES = ("dynamic", "notice_policy", "personnel_plan", "none")
SECTIONS = ("gongkai", "portal", "homepage")
UNIT_KINDS = ("district", "department", "town")

_str = {"type": "string", "minLength": 1}
_url = {"type": "string", "minLength": 1, "x-url": True}
_regex = {"type": "string", "minLength": 1, "x-regex": True}
_pos_int = {"type": "integer", "minimum": 1}
_pos_num = {"type": "number", "exclusiveMinimum": 0}


def _obj(properties: dict, required: tuple = ()) -> dict:
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False}


# Each override or selector applies to the pages whose URL (or column name) matches.
_match = {
    "url_pattern": {**_regex, "description": "regex searched in the column/list URL"},
    "name_pattern": {**_regex, "description": "regex searched in the column name"},
}

# One column override, in a profile's ``columns`` and in the audit configuration's
# ``columns.overrides`` alike (``audits/config.py`` validates with this schema too).
COLUMN_OVERRIDE_SCHEMA = {**_obj({
    **_match,
    "match": {"type": ["string", "number"], "description": "a column URL or name, or a glob of its path"},
    "class": {"enum": [*COLUMN_CLASSES, None], "description": "update-window class"},
    "no_window": {"type": "boolean", "description": "never judged 更新不及时"},
    "no_update_window": {"type": "boolean", "description": "the older name of no_window"},
    "policy": {"type": "boolean", "description": "holds policy documents (all seven fields required)"},
    "required_fields": {"type": "array", "items": {"enum": list(CANONICAL_FIELDS)}},
    "section": {"enum": list(SECTIONS)},
    "skip": {"type": "boolean", "description": "do not crawl this column"},
}), "anyOf": [{"required": ["url_pattern"]}, {"required": ["name_pattern"]}, {"required": ["match"]}]}
OVERRIDE_SELECTORS = ("match", "url_pattern", "name_pattern")
OVERRIDE_ALIASES = {"no_update_window": "no_window"}


def column_override(entry: dict) -> dict:
    """What an override sets, under the current key names (older names still accepted)."""
    return {OVERRIDE_ALIASES.get(k, k): v for k, v in (entry or {}).items() if k not in OVERRIDE_SELECTORS}


def override_matches(entry: dict, url: str, name: str | None, path: str | None = None) -> bool:
    """Does a column override apply to this column?  Every selector it names must match:
    ``match`` (the URL or name itself, or a glob of the path), ``url_pattern`` / ``name_pattern``
    (regular expressions searched in the URL / name)."""
    if not any(k in entry for k in OVERRIDE_SELECTORS):
        return False
    if "match" in entry:
        pattern = str(entry["match"])
        if pattern not in (url, name) and not (path and fnmatchcase(path, pattern)):
            return False
    if entry.get("url_pattern") and not re.search(entry["url_pattern"], url or ""):
        return False
    return not (entry.get("name_pattern") and not re.search(entry["name_pattern"], name or ""))


def first_override(entries, url: str, name: str | None, path: str | None = None) -> dict | None:
    """The settings of the first override that applies (first match wins), or None."""
    for entry in entries or ():
        if override_matches(entry, url, name, path):
            return column_override(entry)
    return None


PROFILE_SCHEMA = _obj(
    {
        "site_name": {**_str, "description": "网站名称, e.g. 济南市章丘区人民政府"},
        "start_urls": {"type": "array", "items": _url, "minItems": 1, "description": "homepage(s) to start from"},
        "allowed_hosts": {"type": "array", "items": _str,
                          "description": "hosts besides the start hosts that may be crawled (not just checked)"},
        "units": {
            "type": "array",
            "description": "units (部门/镇街) whose sub-sites the heuristics may miss or misname",
            "items": _obj({
                "name": _str,
                "code": _str,
                "url_prefix": _url,
                "kind": {"enum": list(UNIT_KINDS)},
            }, required=("name",)),
        },
        "columns": {
            "type": "array",
            "description": "per-column overrides, first match wins",
            "items": COLUMN_OVERRIDE_SCHEMA,
        },
        "lists": {
            "type": "array",
            "description": "list pages the built-in readers cannot read: CSS or XPath selectors",
            "items": {**_obj({
                "url_pattern": _regex,
                "endpoint": {**_str, "description": "data URL template; {url} {page} {page0} {start} {end} {size}"},
                "method": {"enum": ["GET", "POST"]},
                "body": {"type": "string", "description": "POST body template, same placeholders"},
                "page_size": _pos_int,
                "item": {**_str, "description": "selector of one entry (CSS, or XPath when it starts with / or ( )"},
                "link": _str,
                "title": _str,
                "date": _str,
                "next": {**_str, "description": "selector of the next-page link"},
                "max_pages": _pos_int,
            }, required=("url_pattern", "item")), "additionalProperties": False},
        },
        "crawl": _obj({
            "ignore_params": {"type": "array", "items": _str,
                              "description": "query parameters that change nothing (e.g. topSearch)"},
            "max_depth": _pos_int,
            "max_list_pages": {**_pos_int, "description": "per column: cap against endless pagination"},
            "max_pages": _pos_int,
            "exclude_patterns": {"type": "array", "items": _regex, "description": "URLs never crawled"},
            "trust_unchanged_lists": {"type": "boolean",
                                      "description": "re-scans copy the documents of unchanged list pages unasked, "
                                                     "whatever their age"},
            "disk_queue": {"type": "boolean",
                           "description": "requests waiting their turn are kept on disk (default on)"},
            "recheck_documents_after_days": {
                "type": "number", "minimum": 0,
                "description": "re-scans ask again for a document on an unchanged list page once its last "
                               "verification is this old (default 7; 0: every scan asks for every document)"},
        }),
        "politeness": _obj({
            "concurrency_per_host": _pos_int,
            "concurrency": _pos_int,
            "delay": {"type": "number", "minimum": 0},
            "autothrottle": {"type": "boolean"},
            "autothrottle_target_concurrency": _pos_num,
            "timeout": _pos_num,
            "retries": {"type": "integer", "minimum": 0},
            "max_size_mb": _pos_num,
            "warn_size_mb": _pos_num,
            "user_agent_contact": {**_str, "description": "contact (URL or e-mail) shown in the User-Agent"},
            "obey_robots": {"type": "boolean"},
            "block_after": {"type": "integer", "minimum": 2,
                            "description": "refusals (403/412/418/429, WAF challenges) of different URLs in a row that "
                                           "count as a block"},
            "block_pause": {"type": "number", "minimum": 0, "description": "seconds between retries once blocked"},
            "block_retries": {"type": "integer", "minimum": 0,
                              "description": "slow retries still refused before the host is given up"},
        }),
        "attachments": _obj({
            "enabled": {"type": "boolean", "description": "fetch and read the files documents link to"},
            "max_file_mb": {**_pos_num, "description": "per file; larger files are listed, not read (default 20)"},
            "max_total_mb": {**_pos_num, "description": "per scan; then files are listed, not fetched (default 2048)"},
            "reader_processes": _pos_int,
            "reader_memory_mb": {**_pos_int, "description": "address-space limit of a reader process (default 512)"},
            "reader_recycle_mb": {**_pos_num, "description": "a reader left larger than this (MB) by a file "
                                                             "is replaced (default 100)"},
            "reader_cpu_seconds": {**_pos_num, "description": "CPU time per file (default 30)"},
            "reader_timeout": {**_pos_num, "description": "wall-clock seconds per file (default 60)"},
        }),
        "link_check": _obj({
            "enabled": {"type": "boolean"},
            "external": {"type": "boolean", "description": "check external targets at all"},
            "external_cap": {"type": "integer", "minimum": 0, "description": "external targets checked per scan"},
            "timeout": _pos_num,
            "soft404_probe": {"type": "boolean"},
        }),
        "audit": {"type": "object", "description": "threshold overrides passed to the audits as they are"},
        "task_tables": {"type": "array", "items": _str,
                        "description": "the office's own 要点 task-table files (YAML, one per year; "
                                       "relative to the profile), see docs/report.md"},
        "report": _obj({
            "rectification_working_days": {"type": "integer", "minimum": 1},
            "examples_per_check": {"type": "integer", "minimum": 0},
            "notice_examples_per_category": {"type": "integer", "minimum": 0},
            "pass_line": _pos_num,
            "chart_max_units": {"type": "integer", "minimum": 1},
            "unit_when_missing": _str,
            "issuer": {"type": ["string", "null"]},
            "addressee": {"type": ["string", "null"]},
            "inspector": {"type": ["string", "null"]},
        }),
    },
    required=("start_urls",),
)


def profile_error(source: str, message: str) -> GovauditError:
    return GovauditError(f"站点配置错误 / bad profile {source}: {message}", EXIT_PROFILE)


def _where(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _schema_error_line(error) -> str:
    where = _where(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(map(str, set(error.instance) - set(allowed))) or ["?"]
        keys = ", ".join(f"{where}.{key}" if error.absolute_path else key for key in extra)
        return f"{keys}: unknown key{'s' if len(extra) > 1 else ''} (expected one of: {', '.join(allowed)})"
    if error.validator == "required":
        return f"{where}: {error.message}"
    if error.validator == "anyOf":
        return f"{where}: needs url_pattern, name_pattern or match"
    if error.validator == "type":
        return f"{where}: expected {error.validator_value}, got {type(error.instance).__name__} {error.instance!r}"
    return f"{where}: {error.message}"


def _walk_marked(schema: dict, data, path=()):
    """Yield (path, kind, value) for values whose schema carries x-url / x-regex."""
    if not isinstance(schema, dict):
        return
    for mark in ("x-url", "x-regex"):
        if schema.get(mark) and isinstance(data, str):
            yield path, mark, data
    if isinstance(data, dict):
        for key, sub in schema.get("properties", {}).items():
            if key in data:
                yield from _walk_marked(sub, data[key], path + (key,))
    elif isinstance(data, list) and "items" in schema:
        for i, item in enumerate(data):
            yield from _walk_marked(schema["items"], item, path + (i,))


def _check_value(kind: str, value: str) -> str | None:
    if kind == "x-url":
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return f"not an http(s) URL: {value!r}"
    elif kind == "x-regex":
        try:
            re.compile(value)
        except re.error as exc:
            return f"bad regular expression {value!r}: {exc}"
    return None


def validate_profile(data, source: str = "<profile>") -> dict:
    """Validate a parsed profile; returns it (a plain dict) or raises a one-line GovauditError."""
    if not isinstance(data, dict):
        raise profile_error(source, f"top level must be a mapping, got {type(data).__name__}")
    # lazy: jsonschema is 3.4 MB of a process's heap (measured 2026-12-06); the crawl child only
    # matches a validated profile's overrides (first_override) and never validates
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(PROFILE_SCHEMA)
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    problems = [_schema_error_line(error) for error in errors]
    for path, kind, value in _walk_marked(PROFILE_SCHEMA, data):
        problem = _check_value(kind, value)
        if problem:
            problems.append(f"{_where(path)}: {problem}")
    if len(problems) == 1:
        raise profile_error(source, problems[0])
    if problems:        # every problem at once, still one line: fix them all in one go
        raise profile_error(source, f"{len(problems)} errors: " + "; ".join(problems))
    return data


def load_profile(path) -> dict:
    """Read and validate a YAML site profile.  Every problem is a GovauditError(EXIT_PROFILE)."""
    p = Path(path).expanduser().absolute()
    source = str(p)     # the whole path: a name alone does not say which of several copies is wrong
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise profile_error(source, "file not found") from None
    except IsADirectoryError:
        raise profile_error(source, "is a directory") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise profile_error(source, f"cannot read: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        where = f"line {mark.line + 1} column {mark.column + 1}: " if mark else ""
        raise profile_error(source, f"YAML syntax error at {where}{problem}") from None
    if data is None:
        raise profile_error(source, "empty file")
    return _task_tables(validate_profile(data, source), p)


def _task_tables(profile: dict, path: Path) -> dict:
    """``task_tables`` as absolute paths (relative ones are relative to the profile file).  Their
    contents are checked against the rule registry by ``govaudit.workflow.load_profile``."""
    if not profile.get("task_tables"):
        return profile
    return {**profile, "task_tables": [str((path.parent / name).resolve()) for name in profile["task_tables"]]}
