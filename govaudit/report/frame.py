"""Findings as a pandas DataFrame, the one table every output is built from."""
from __future__ import annotations

import functools

import pandas as pd

from audits.registry import all_rules

from govaudit.report.settings import vocabulary

COLUMNS = ["key", "check", "check_name", "severity", "severity_name", "unit", "column", "column_url",
           "url", "field", "message", "evidence", "tasks", "category"]


def finding_key(record: dict) -> str:
    return record.get("key") or f"{record.get('check')}|{record.get('url')}|{record.get('field') or ''}"


def check_order(names: dict[str, str], checks) -> list[str]:
    """Known checks in vocabulary order, then any others alphabetically."""
    known = [c for c in names if c in set(checks)]
    return known + sorted(set(checks) - set(known))


OTHER_CATEGORY = "其他问题"


@functools.cache
def category_checks() -> dict[str, list[str]]:
    """主要问题 category title -> its checks in report order (each rule names its category)."""
    titles = vocabulary()["categories"]
    table: dict[str, list[str]] = {t: [] for t in titles}
    for r in all_rules():
        if r.category in table:
            table[r.category].append(r.id)
    return table


def category_of(check: str) -> str:
    return next((title for title, checks in category_checks().items() if check in checks), OTHER_CATEGORY)


def category_titles() -> list[str]:
    return list(vocabulary()["categories"]) + [OTHER_CATEGORY]


def finding_rows(records, names: dict[str, str], unit_when_missing: str) -> pd.DataFrame:
    """One row per finding, with the Chinese names the outputs show, in the records' order.
    Built column by column (a dict per row made it 3 times slower), equal short values sharing
    one string: each value read from the database is a string of its own."""
    severities = vocabulary()["severities"]
    columns = {name: [] for name in COLUMNS}
    share = sharing()
    for r in records:
        check, severity = share(r.get("check") or ""), share(r.get("severity") or "deduct")
        evidence = r.get("evidence")
        values = (finding_key(r), check, names.get(check, check), severity,
                  severities.get(severity, r.get("severity") or ""),
                  share((r.get("unit") or "").strip() or unit_when_missing), share((r.get("column") or "").strip()),
                  share(r.get("column_url") or ""), r.get("url") or "", share(r.get("field") or ""),
                  r.get("message") or "", evidence if isinstance(evidence, dict) else {}, task_numbers(r.get("tasks")),
                  category_of(check))
        for column, value in zip(columns.values(), values):
            column.append(value)
    if not columns["key"]:
        return pd.DataFrame([], columns=COLUMNS)      # object columns, as pandas makes of no rows
    return pd.DataFrame(columns, columns=COLUMNS)


def sharing():
    """A function giving each value as the first equal value it was given (one string for all
    the rows with the same unit, say, instead of one each)."""
    shared: dict = {}
    return lambda value: shared.setdefault(value, value)


def task_numbers(tasks) -> list[int]:
    return [int(t) for t in (tasks or []) if str(t).isdigit()]


def report_order(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The findings in the order every output lists them: by problem type (``check_order``), unit,
    column, URL and field, the document's order within that; with each row's ``check_rank``."""
    order = {c: i for i, c in enumerate(check_order(names, frame["check"].unique()))}
    frame["check_rank"] = frame["check"].map(order).fillna(len(order)).astype(int)
    return frame.sort_values(["check_rank", "unit", "column", "url", "field"], kind="stable").reset_index(drop=True)


def findings_frame(records: list[dict], names: dict[str, str], unit_when_missing: str) -> pd.DataFrame:
    """One row per finding, with the Chinese names the outputs show, in report order."""
    return report_order(finding_rows(records, names, unit_when_missing), names)


def _per_unit(frame: pd.DataFrame, by: str, columns: list[str]) -> pd.DataFrame:
    """Problems per responsible unit × ``by``, with a 合计 column, most problems first."""
    table = pd.crosstab(frame["unit"], frame[by]).reindex(columns=columns, fill_value=0)
    table["合计"] = table.sum(axis=1)
    table = table.sort_values(["合计"], ascending=False, kind="stable")
    table.index.name = "单位"
    return table


def unit_check_table(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Per unit × problem type (the 整改清单's 汇总 sheet)."""
    return _per_unit(frame, "check", check_order(names, frame["check"].unique())).rename(columns=names)


def unit_category_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Per unit × problem category, the categories of 主要问题 (the report and the 通报)."""
    present = set(frame["category"])
    return _per_unit(frame, "category", [c for c in category_titles() if c in present])
