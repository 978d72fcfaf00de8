"""The 要点 task table (任务分工) and findings grouped by the task that demands the fix."""
from __future__ import annotations

import calendar
import datetime as dt
import logging
import re

import pandas as pd

from audits.tasks import choose

log = logging.getLogger(__name__)

# The table's keys as the audits data spells them, and the printed table's own column names.
_SYNONYMS = {
    "section": ("section",),
    "task": ("task", "工作任务"),
    "requirement": ("requirement", "具体要求"),
    "units": ("units_text", "units", "责任单位"),
    "deadline": ("deadline", "完成时限"),
}


def _pick(entry: dict, name: str) -> str:
    value = next((entry[k] for k in _SYNONYMS[name] if entry.get(k) not in (None, "")), "")
    return "、".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def parse_task_table(data) -> dict[int, dict]:
    """{number: row} from a mapping keyed by task number or a list of rows with ``no``."""
    if isinstance(data, dict) and isinstance(data.get("tasks"), (list, dict)):
        data = data["tasks"]
    pairs = data.items() if isinstance(data, dict) else ((e.get("no"), e) for e in data or () if isinstance(e, dict))
    table = {}
    for number, entry in pairs:
        if str(number).isdigit() and isinstance(entry, dict):
            table[int(number)] = {"no": int(number), **{name: _pick(entry, name) for name in _SYNONYMS}}
    return table


def load_task_table(doc: dict | None = None, year: int | None = None) -> dict[int, dict] | None:
    """The 要点 task table of the report's year, or None when there is none for that year.

    A findings document says which table its audit used (``task_table``, None for none) and
    carries the rows its findings cite (``tasks``).  A document without ``task_table`` (audited
    before tables were chosen by year) gets the built-in table of ``year`` (default: the year of its
    as-of date) with its own ``tasks`` rows laid over it."""
    doc = doc or {}
    if "task_table" in doc:
        return None if doc["task_table"] is None else parse_task_table(doc.get("tasks") or {})
    year = year or int(str(doc.get("as_of") or "2023")[:4])
    try:
        table = choose(year)
    except (ImportError, OSError) as exc:
        log.info("no 要点 task table (%s); tasks are shown by number only", exc)
        table = None
    if table is None:
        return None
    base = parse_task_table(table.rows)
    base.update(parse_task_table(doc.get("tasks") or {}))
    return base


def table_year(doc: dict | None, year: int) -> int:
    """The year of the task table a report shows (its own, or the report's year)."""
    label = (doc or {}).get("task_table")
    return int(label["year"]) if isinstance(label, dict) and str(label.get("year", "")).isdigit() else year


def omitted_sentence(year: int) -> str:
    """Why the 任务分工对照 is left out: no task table for the report's year."""
    return f"未配置{year}年政务公开工作要点任务分工表，本节从略。"


def deadline_date(text: str) -> dt.date | None:
    """'2023年12月底前' -> 2023-12-31; '2023年6月30日前' -> 2023-06-30; anything else -> None."""
    m = re.search(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?", text or "")
    if not m:
        return None
    year, month = int(m[1]), int(m[2])
    if not 1 <= month <= 12:
        return None
    day = int(m[3]) if m[3] else calendar.monthrange(year, month)[1]
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _counts(series: pd.Series) -> list[tuple[str, int]]:
    return list(series.value_counts().items())


def task_groups(frame: pd.DataFrame, table: dict[int, dict], as_of: dt.date | None) -> list[dict]:
    """One group per 要点 task that has findings (by task number), then the findings tied to none."""
    exploded = frame.explode("tasks")
    groups = []
    tied = exploded.dropna(subset=["tasks"])
    for number, part in tied.groupby(tied["tasks"].astype(int), sort=True):
        info = table.get(int(number), {})
        due = deadline_date(info.get("deadline", ""))
        groups.append({
            "no": int(number),
            "section": info.get("section", ""),
            "task": info.get("task", ""),
            "requirement": info.get("requirement", ""),
            "units": info.get("units", ""),
            "deadline": info.get("deadline", ""),
            "overdue": bool(due and as_of and due < as_of),
            "count": len(part),
            "by_unit": _counts(part["unit"]),
            "by_check": _counts(part["check_name"]),
        })
    untied = frame[frame["tasks"].map(len) == 0]
    if len(untied):
        groups.append({"no": None, "section": "", "task": "未对应要点任务", "requirement": "", "units": "", "deadline": "",
                       "overdue": False, "count": len(untied), "by_unit": _counts(untied["unit"]),
                       "by_check": _counts(untied["check_name"])})
    return groups
