"""Comparing two scans: the one place that decides what is new, fixed and still open.

A finding's identity across scans is its ``key`` (``check|url|field``, see docs/design.md), so
"new / fixed / still open" is set arithmetic on the keys of two audited scans, within the scope
both scans covered (``shared_scope``): a unit audit against a whole-site scan compares that
unit's findings, never making the rest of the site look "fixed"; scopes neither of which
contains the other are refused.  The report (``govaudit.report.trend``), ``govaudit history``
users and the scheduled runs' ``changes.json`` all compare through ``changes``.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine

from govaudit.core import scans
from govaudit.core.errors import EXIT_USAGE, GovauditError


def _scope_phrase(row: dict) -> str:
    """全站 / 区教体局 / 栏目 URL, as the report words a scope."""
    parts = [row["scope_unit"] or "", f"栏目{row['scope_column']}" if row["scope_column"] else ""]
    return "".join(p for p in parts if p) or "全站"


@dataclass(frozen=True)
class SharedScope:
    """What two scans of one site both covered, and which of them must be narrowed to it.

    Two scans are comparable when their scopes are the same or one contains the other (the whole
    site contains every unit and column, a unit its own columns).  Both scans' findings are then
    restricted to the narrower scan's unit or column, so nothing outside what both scans looked at
    counts as new or fixed — not even a finding about the scope as a whole (a ratio such as
    解读形式单一, reported on the start URL), which means something else for a unit than for the site.
    """
    current: dict
    base: dict
    narrowed: str | None = None             # the wider scan: "current" | "base" | None (same scope)
    unit: str | None = None                 # keep the findings of this unit ...
    columns: frozenset | None = None        # ... or of these columns (a column and its sub-columns)

    def restrict(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The findings of ``frame`` (of either scan) within the shared scope."""
        if self.narrowed is None or frame.empty:
            return frame
        keep = pd.Series(True, index=frame.index)
        if self.unit:
            keep &= frame["unit"] == self.unit
        if self.columns is not None:
            keep &= frame["column_url"].isin(self.columns) | frame["url"].isin(self.columns)
        return frame[keep]

    @property
    def text(self) -> str:
        """The 对比范围 sentence of the report."""
        now, before = _scope_phrase(self.current), _scope_phrase(self.base)
        if self.narrowed is None:
            return f"对比范围：两次检查范围相同（{now}）。"
        shared = before if self.narrowed == "current" else now
        return (f"对比范围：本次检查范围为{now}，上次检查范围为{before}，仅对比两次检查共同覆盖的{shared}；"
                f"{shared}以外的问题不计入新发现、已整改和仍未整改。")


def shared_scope(engine: Engine, scan_id: int, base_id: int) -> SharedScope:
    """How scan ``scan_id`` compares with ``base_id``.  Scans of different sites, or of scopes
    neither of which contains the other (two units, a unit and another unit's column), are refused
    with a one-line usage error."""
    cur, base = scans.scan_row(engine, scan_id), scans.scan_row(engine, base_id)
    cur_site, base_site = scans.site_slug(cur["start_url"]), scans.site_slug(base["start_url"])
    if cur_site != base_site:
        raise GovauditError(f"不能对比不同网站的检查 / scan {base_id} is of {base_site}, scan {scan_id} of {cur_site}",
                            EXIT_USAGE)
    if (cur["scope_unit"], cur["scope_column"]) == (base["scope_unit"], base["scope_column"]):
        return SharedScope(cur, base)
    for wide, narrow, which in ((base, cur, "base"), (cur, base, "current")):
        if scans.contains(engine, wide, narrow):
            column = narrow["scope_column"]
            columns = scans.column_tree(engine, wide["id"], column) | scans.column_tree(engine, narrow["id"], column) \
                if column else None
            return SharedScope(cur, base, narrowed=which, unit=narrow["scope_unit"], columns=columns)
    raise GovauditError(f"检查范围不可比 / scan {scan_id} ({scans.scope_of(cur)}) and scan {base_id} "
                        f"({scans.scope_of(base)}) cover different parts of the site; compare scans of the same "
                        f"scope, or a scan whose scope contains the other", EXIT_USAGE)


def split(now: pd.DataFrame, before: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(new, still open, fixed) by finding key: new and still open are rows of ``now``, fixed of
    ``before``.  Both frames must already be restricted to the shared scope."""
    now_keys, before_keys = set(now["key"]), set(before["key"])
    return (now[~now["key"].isin(before_keys)], now[now["key"].isin(before_keys)],
            before[~before["key"].isin(now_keys)])


@dataclass
class Changes:
    """Scan ``scan_id`` against ``base_id``, both restricted to ``scope``."""
    scope: SharedScope
    now: pd.DataFrame               # findings of the scan, within the shared scope
    before: pd.DataFrame            # findings of the base scan, within the shared scope
    new: pd.DataFrame
    still_open: pd.DataFrame
    fixed: pd.DataFrame


def changes(engine: Engine, scan_id: int, base_id: int, now: pd.DataFrame | None = None,
            before: pd.DataFrame | None = None) -> Changes:
    """New / still open / fixed findings of ``scan_id`` relative to ``base_id``.  ``now`` and
    ``before`` default to the stored findings of the two scans; the report passes its own frames
    (the findings it is about to write, with the names it shows).  A base scan that has not been
    audited is a usage error."""
    scope = shared_scope(engine, scan_id, base_id)
    if before is None:
        before = scans.stored_findings_frame(engine, base_id)
    if before.empty and scans.audit_summary(engine, base_id) is None:
        raise GovauditError(f"对比的检查记录 {base_id} 尚无检查结果 / scan {base_id} has not been audited", EXIT_USAGE)
    if now is None:
        now = scans.stored_findings_frame(engine, scan_id)
    now, before = scope.restrict(now), scope.restrict(before)
    return Changes(scope, now, before, *split(now, before))


def compare(engine: Engine, scan_id: int, previous_id: int) -> dict[str, list[dict]]:
    """New / fixed / still-open findings of ``scan_id`` relative to ``previous_id`` as plain
    records (``scans.FINDING_COLUMNS``), sorted by key; ``open`` items also carry ``since_scan``:
    the first scan of the series the key was seen in."""
    result = changes(engine, scan_id, previous_id)

    def records(part: pd.DataFrame) -> list[dict]:
        part = part.sort_values("key")
        part = part.astype(object).where(part.notna(), None)
        return part.to_dict("records")

    opened = records(result.still_open)
    before = result.before
    first_seen = dict(zip(before["key"], before["first_seen_scan"].fillna(previous_id), strict=True))
    for item in opened:
        item["since_scan"] = int(item.get("first_seen_scan") or first_seen.get(item["key"]) or previous_id)
    return {"new": records(result.new), "fixed": records(result.fixed), "open": opened}


def compare_counts(result: dict[str, list]) -> dict[str, int]:
    return {name: len(items) for name, items in result.items()}

