"""The 要点 task tables (任务分工): which task demands what, of whom, by when — one per year.

A report uses the table of its own year (the year of the as-of date): an office's own table named
by the profile (``task_tables``), else a built-in one (``audits/data/yaodian_<year>.yaml``).  With
no table for that year, findings are tied to no task and the report leaves its 任务分工对照 out.

A table file (format in docs/report.md) is YAML: ``year``, ``source``, and ``tasks``, a list of
rows with ``no`` (序号), ``section``, ``task``, ``requirement``, ``units`` / ``units_text``,
``deadline`` and ``checks`` (the rule ids whose findings the task demands the fix of).  The built-in
2023 table says ``numbering: rules`` instead: its numbers are the ones the rules themselves cite
(``@rule(..., tasks=[...])``), because the rules were written against it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from govaudit.core.errors import EXIT_PROFILE, GovauditError

DATA_DIR = Path(__file__).parent / "data"
TABLE_PATH = DATA_DIR / "yaodian_2023.yaml"
ROW_KEYS = ("section", "task", "requirement", "units_text", "deadline")


@dataclass(frozen=True)
class TaskTable:
    year: int
    source: str
    path: str
    rows: dict = field(hash=False)                  # number -> row (as in the file, units_text filled)
    checks: dict | None = field(default=None, hash=False)   # rule id -> task numbers; None: the rules' own
    sites: tuple = ()                               # the sites (host names, site names) it is the table of; () any

    def belongs_to(self, site: dict | None) -> bool:
        """Is this the table of ``site`` ({start_url, site_name}; None: unknown, taken as yes)?  One
        district's 要点 names its own offices and tasks: another site's report must not cite them."""
        if not self.sites or site is None:
            return True
        host = (urlsplit(str(site.get("start_url") or "")).hostname or "").lower()
        return host in self.sites or (site.get("site_name") or "") in self.sites

    def numbers(self, check: str, rule_numbers) -> list[int]:
        """The tasks of this table a finding of ``check`` is tied to."""
        if self.checks is None:
            return [int(n) for n in rule_numbers if int(n) in self.rows]
        return list(self.checks.get(check, []))

    def describe(self, numbers) -> dict[str, dict]:
        """The rows of ``numbers`` keyed by their number as a string (JSON-friendly)."""
        return {str(n): {k: self.rows[n].get(k, "") for k in ROW_KEYS}
                for n in sorted(set(numbers)) if n in self.rows}

    @property
    def label(self) -> dict:
        """What findings.json says about the table it used."""
        return {"year": self.year, "source": self.source}


def _bad(path, message: str) -> GovauditError:
    return GovauditError(f"要点任务分工表错误 / bad task table {path}: {message}", EXIT_PROFILE)


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        return "、".join(map(str, value))
    return "" if value is None else str(value)


@lru_cache(maxsize=32)
def read_table(path: str) -> TaskTable:
    """Read and check one table file; every problem is one line naming the file (exit code 3)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _bad(path, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _bad(path, f"cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise _bad(path, f"YAML syntax error{where}") from None
    if not isinstance(data, dict):
        raise _bad(path, "top level must be a mapping with year and tasks")
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise _bad(path, f"year: expected a year such as 2026, got {year!r}")
    if not isinstance(data.get("tasks"), list) or not data["tasks"]:
        raise _bad(path, "tasks: expected a list of rows")
    by_rules = data.get("numbering") == "rules"
    rows, checks = {}, {}
    for i, row in enumerate(data["tasks"]):
        where = f"tasks[{i}]"
        if not isinstance(row, dict):
            raise _bad(path, f"{where}: expected a mapping")
        # YAML 1.1 reads a bare ``no:`` key as the boolean false: take it as the 序号 it means.
        number = next((row[k] for k in ("no", False, "序号") if k in row), None)
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise _bad(path, f"{where}.no: expected a task number, got {number!r}")
        if number in rows:
            raise _bad(path, f"{where}.no: task {number} appears twice")
        if not (row.get("task") or row.get("requirement")):
            raise _bad(path, f"{where}: needs task or requirement")
        tied = row.get("checks") or []
        if not isinstance(tied, list) or not all(isinstance(c, str) for c in tied):
            raise _bad(path, f"{where}.checks: expected a list of check ids")
        for check in tied:
            checks.setdefault(check, []).append(number)
        rows[number] = {**{k: v for k, v in row.items() if isinstance(k, str)}, "no": number,
                        "units_text": _text(row.get("units_text") or row.get("units")),
                        **{k: _text(row.get(k)) for k in ("section", "task", "requirement", "deadline")}}
    sites = data.get("sites") or []
    if not isinstance(sites, list) or not all(isinstance(x, str) for x in sites):
        raise _bad(path, "sites: expected a list of host names and site names")
    return TaskTable(year, _text(data.get("source")), str(path), rows, None if by_rules else checks,
                     tuple(x.lower() if x.isascii() else x for x in sites))


def check_rule_ids(table: TaskTable, known) -> None:
    """A ``checks`` entry naming no rule is a typo that would silently tie nothing."""
    unknown = sorted(set(table.checks or {}) - set(known))
    if unknown:
        raise _bad(table.path, f"checks: unknown check id {unknown[0]} (known: {', '.join(sorted(known))})")


def builtin_paths() -> dict[int, str]:
    """Year -> the built-in table file of that year."""
    found = {}
    for path in sorted(DATA_DIR.glob("yaodian_*.yaml")):
        stem = path.stem.split("_")[-1]
        if stem.isdigit():
            found[int(stem)] = str(path)
    return found


def choose(year: int, own_paths=(), site: dict | None = None) -> TaskTable | None:
    """The table of ``year``: the office's own (profile ``task_tables``) first, else a built-in one
    when it is the table of ``site`` (its ``sites``: a built-in table is one district's)."""
    for path in own_paths or ():
        table = read_table(str(path))
        if table.year == year:
            return table
    builtin = builtin_paths().get(year)
    table = read_table(builtin) if builtin else None
    return table if table is not None and table.belongs_to(site) else None


@lru_cache(maxsize=1)
def table() -> dict[int, dict]:
    """The built-in 2023 table: task number -> {no, section, task, requirement, units, units_text, deadline}."""
    return read_table(str(TABLE_PATH)).rows


def describe(numbers) -> dict[str, dict]:
    """Rows of the built-in 2023 table (see ``TaskTable.describe``)."""
    return read_table(str(TABLE_PATH)).describe(numbers)
