"""The report's view of a comparison: new, fixed and still-open findings per problem type, each
finding's 状态, and the trend across the series.  Deciding what is new or fixed is
``govaudit.core.comparison``'s; this module only counts and words it."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from govaudit.core import comparison, scans
from govaudit.report.frame import category_of, category_titles, check_order, findings_frame

NEW, STILL_OPEN, PENDING = "新发现", "仍未整改", "待整改"


@dataclass
class Comparison:
    base_id: int
    base_date: str
    new: pd.DataFrame
    still_open: pd.DataFrame
    fixed: pd.DataFrame
    by_check: pd.DataFrame          # 问题类型 × (上次, 本次, 新发现, 已整改, 仍未整改)
    scope_text: str = ""            # 对比范围：… (what both scans covered)
    narrowed: bool = False          # one scan was restricted to the other's scope


@dataclass
class Trend:
    labels: list[str] = field(default_factory=list)     # one per scan, oldest first
    scan_ids: list[int] = field(default_factory=list)
    series: dict[str, list[int]] = field(default_factory=dict)   # 合计 and one per check name


def compare(engine, scan_id: int, current: pd.DataFrame, base_id: int, names: dict[str, str],
            unit_when_missing: str) -> Comparison:
    """``current`` (the findings of scan ``scan_id``) against the stored findings of ``base_id``
    (``comparison.changes``, which refuses incomparable scopes and unaudited base scans)."""
    base = findings_frame(scans.stored_findings(engine, base_id), names, unit_when_missing)
    result = comparison.changes(engine, scan_id, base_id, now=current, before=base)
    now, before = result.now, result.before
    checks = check_order(names, set(before["check"]) | set(now["check"]))
    counts = {
        "上次": before["check"].value_counts(),
        "本次": now["check"].value_counts(),
        "新发现": result.new["check"].value_counts(),
        "已整改": result.fixed["check"].value_counts(),
        "仍未整改": result.still_open["check"].value_counts(),
    }
    by_check = pd.DataFrame(counts).reindex(checks).fillna(0).astype(int)
    by_check.index = [names.get(c, c) for c in by_check.index]
    by_check.loc["合计"] = by_check.sum()
    return Comparison(base_id, scans.scan_dates(engine, [base_id]).get(base_id, ""), result.new,
                      result.still_open, result.fixed, by_check, result.scope.text,
                      result.scope.narrowed is not None)


def statuses(current: pd.DataFrame, comparison: Comparison | None) -> pd.Series:
    """状态 of each current finding: 新发现 / 仍未整改 against the base scan; 待整改 without a
    comparison or outside the scope both scans covered."""
    if comparison is None:
        return pd.Series(PENDING, index=current.index)
    open_keys, new_keys = set(comparison.still_open["key"]), set(comparison.new["key"])
    return current["key"].map(lambda k: STILL_OPEN if k in open_keys else NEW if k in new_keys else PENDING)


def trend(engine, scan: dict, current: pd.DataFrame) -> Trend:
    """Finding counts, in total and per problem category, across the audited scans of the same
    site and scope, oldest first."""
    done = scans.series(engine, scan)
    ids = [int(i) for i in done["id"]]
    counts = dict(zip(ids, done["counts"]))
    if scan["id"] not in counts:
        ids.append(scan["id"])
    # The scan being reported counts what is being reported, even if not (yet) stored.
    counts[scan["id"]] = current["check"].value_counts().to_dict()
    dates = scans.scan_dates(engine, ids)
    table = pd.DataFrame([counts[i] for i in ids], index=ids).fillna(0).astype(int)
    by_category = table.T.groupby(table.columns.map(category_of)).sum().T if len(table.columns) else table
    result = Trend(labels=[f"{dates.get(i, '')}（#{i}）" for i in ids], scan_ids=ids)
    result.series["问题总数"] = table.sum(axis=1).tolist() if len(table.columns) else [0] * len(ids)
    for category in category_titles():
        if category in by_category.columns:
            result.series[category] = by_category[category].tolist()
    return result
