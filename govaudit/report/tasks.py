"""The 要点 task table (任务分工) and findings grouped by the task that demands the fix."""
from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from importlib import resources

import pandas as pd
import yaml

log = logging.getLogger(__name__)

TASK_TABLE = ("audits", "data/yaodian_2023.yaml")

# The table's own column names and the English keys the audits data may use instead.
_SYNONYMS = {
    "no": ("no", "number", "id", "序号", "task_no"),
    "task": ("task", "title", "工作任务", "section"),
    "requirement": ("requirement", "requirements", "具体要求", "text", "detail"),
    "units": ("units", "unit", "responsible", "责任单位"),
    "deadline": ("deadline", "due", "完成时限"),
}


def _pick(entry: dict, name: str):
    for key in _SYNONYMS[name]:
        if entry.get(key) not in (None, ""):
            return entry[key]
    return None


def _normalise(entry: dict, no=None) -> dict | None:
    number = no if no is not None else _pick(entry, "no")
    try:
        number = int(number)
    except (TypeError, ValueError):
        return None
    units = _pick(entry, "units")
    if isinstance(units, (list, tuple)):
        units = "、".join(str(u) for u in units)
    task = _pick(entry, "task")
    if isinstance(task, (list, tuple)):
        task = " ".join(str(t) for t in task if t)
    return {"no": number, "task": str(task or ""), "requirement": str(_pick(entry, "requirement") or ""),
            "units": re.sub(r"\s{2,}", "、", str(units or "")).strip(), "deadline": str(_pick(entry, "deadline") or "")}


def parse_task_table(data) -> dict[int, dict]:
    """Accepts a list of task records, a {number: record} mapping, or either under a ``tasks`` key."""
    if isinstance(data, dict) and "tasks" in data:
        data = data["tasks"]
    if isinstance(data, dict):
        entries = (_normalise(v if isinstance(v, dict) else {"requirement": v}, k) for k, v in data.items())
    elif isinstance(data, list):
        entries = (_normalise(v) for v in data if isinstance(v, dict))
    else:
        entries = ()
    return {e["no"]: e for e in entries if e}


def load_task_table(path=None) -> dict[int, dict]:
    """The district's 54-task table (the audits package's data file unless ``path`` is given);
    an empty table when there is none, so tasks are then shown by number only."""
    package, name = TASK_TABLE
    try:
        source = path if path is not None else resources.files(package).joinpath(name)
        text = source.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        log.info("no 要点 task table at %s; tasks are shown by number only", path or f"{package}/{name}")
        return {}
    return parse_task_table(yaml.safe_load(text))


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
        groups.append({"no": None, "task": "未对应要点任务", "requirement": "", "units": "", "deadline": "",
                       "overdue": False, "count": len(untied), "by_unit": _counts(untied["unit"]),
                       "by_check": _counts(untied["check_name"])})
    return groups
