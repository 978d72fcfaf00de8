"""Scan history: list past scans, compare two scans' findings, apply the retention policy.

A finding's identity across scans is its ``key`` (``check|url|field``, see docs/design.md), so
"new / fixed / still open" is plain set arithmetic on the keys of two audited scans.

A *site* is identified by the host of its start URL (``pipeline.site_slug``), the same name the
scheduled runs use for their output directory; a scan's *scope* is whole-site, one unit or one
column.  Two scans are compared only within the scope both covered (``shared_scope``): a unit
audit against a whole-site scan compares that unit's findings, never making the rest of the site
look "fixed"; scopes neither of which contains the other are refused.

Times are stored in UTC and shown in local time with the zone (``govaudit.clock``).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from audits.registry import all_rules
from govaudit import clock, storage
from govaudit.errors import EXIT_USAGE, GovauditError

log = logging.getLogger(__name__)

# One row of `govaudit history` (and of --json).
HISTORY_COLUMNS = ("id", "started_at", "finished_at", "status", "site", "site_name", "start_url",
                   "scope", "scope_unit", "scope_column", "pages", "documents", "findings", "counts",
                   "verdict", "score", "as_of")
# What a compared finding carries: enough for the report and the 整改清单, no further query.
FINDING_COLUMNS = ("key", "check", "url", "field", "unit", "column", "column_url", "severity", "message",
                   "evidence", "first_seen_scan")


def site_of(start_url: str) -> str:
    from govaudit.pipeline import site_slug

    return site_slug(start_url or "")


def scope_of(row) -> str:
    """Human-readable scope of a scan row: 全站 / 单位:NAME / 栏目:URL."""
    if row.get("scope_unit"):
        return f"单位:{row['scope_unit']}"
    if row.get("scope_column"):
        return f"栏目:{row['scope_column']}"
    return "全站"


def scans_frame(engine: Engine, site: str | None = None) -> pd.DataFrame:
    """Every scan (newest first) joined with its audit summary, one row per scan.

    ``site`` matches the site slug (host[:port]), the site name or the start URL.
    Columns: id, started_at, finished_at, status, site, site_name, start_url, scope, pages,
    documents, findings, counts (dict check -> n), verdict, score, as_of.
    """
    s, a = storage.scan, storage.audit_summary
    q = (select(s.c.id, s.c.site_name, s.c.start_url, s.c.started_at, s.c.finished_at, s.c.status,
                s.c.scope_unit, s.c.scope_column, s.c.stats,
                a.c.as_of, a.c.verdict, a.c.score_estimate, a.c.counts, a.c.inventory)
         .select_from(s.outerjoin(a, a.c.scan_id == s.c.id))
         .order_by(s.c.id.desc()))
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
    # Derived columns are computed on the plain rows: pandas would turn a missing scope into NaN.
    for row in rows:
        row["site"] = site_of(row["start_url"])
        row["scope"] = scope_of(row)
        row["pages"] = _pages(row)
        row["documents"] = _inventory(row, "documents")
        row["counts"] = dict(row["counts"] or {})
        row["findings"] = int(sum(row["counts"].values()))
    frame = pd.DataFrame(rows, columns=["id", "site_name", "start_url", "started_at", "finished_at", "status",
                                        "scope_unit", "scope_column", "stats", "as_of", "verdict",
                                        "score_estimate", "counts", "inventory", "site", "scope", "pages",
                                        "documents", "findings"])
    frame = frame.rename(columns={"score_estimate": "score"})
    if site:
        wanted = site.strip()
        match = ((frame["site"] == wanted) | (frame["site_name"] == wanted) | (frame["start_url"] == wanted)
                 | (frame["site"] == site_of(wanted)))
        frame = frame[match]
    return frame[list(HISTORY_COLUMNS)].reset_index(drop=True)


def _inventory(row, name):
    value = (row.get("inventory") or {}).get(name)
    return int(value) if value is not None else None


def _pages(row) -> int | None:
    """Pages fetched: the audit inventory's count, else the crawler's stats."""
    pages = _inventory(row, "pages")
    if pages is None:
        pages = (row.get("stats") or {}).get("pages")
    return int(pages) if pages is not None else None


def _scan_row(engine: Engine, scan_id: int) -> dict:
    s = storage.scan
    with engine.connect() as conn:
        row = conn.execute(select(s.c.id, s.c.start_url, s.c.scope_unit, s.c.scope_column)
                           .where(s.c.id == scan_id)).mappings().first()
    if row is None:
        raise GovauditError(f"检查记录不存在 / no scan with id {scan_id}", EXIT_USAGE)
    return dict(row)


def _column_unit(engine: Engine, scan_id: int, column_url: str) -> str | None:
    c = storage.column
    with engine.connect() as conn:
        return conn.execute(select(c.c.unit).where(c.c.scan_id == scan_id, c.c.url == column_url)).scalar()


def _column_tree(engine: Engine, scan_id: int, column_url: str) -> frozenset[str]:
    """A column and its sub-columns, as one scan recorded them."""
    c = storage.column
    with engine.connect() as conn:
        parents = [tuple(r) for r in conn.execute(select(c.c.url, c.c.parent_url).where(c.c.scan_id == scan_id))]
    wanted = {column_url}
    while True:
        more = {url for url, parent in parents if parent in wanted} - wanted
        if not more:
            return frozenset(wanted)
        wanted |= more


def _contains(engine: Engine, wide: dict, narrow: dict) -> bool:
    """Whether scan ``wide`` covered everything scan ``narrow`` covered (same site assumed)."""
    if wide["scope_column"] and wide["scope_column"] != narrow["scope_column"]:
        return False
    if not wide["scope_unit"] or wide["scope_unit"] == narrow["scope_unit"]:
        return True
    # A unit's scan covers a column scan of one of that unit's columns.
    return bool(narrow["scope_column"]) and not narrow["scope_unit"] and \
        _column_unit(engine, narrow["id"], narrow["scope_column"]) == wide["scope_unit"]


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
    """How scan ``scan_id`` compares with ``base_id``: the one place that decides it, for the
    report, ``history.compare`` and the scheduled runs.  Scans of different sites, or of scopes
    neither of which contains the other (two units, a unit and another unit's column), are refused
    with a one-line usage error."""
    cur, base = _scan_row(engine, scan_id), _scan_row(engine, base_id)
    if site_of(cur["start_url"]) != site_of(base["start_url"]):
        raise GovauditError(f"不能对比不同网站的检查 / scan {base_id} is of {site_of(base['start_url'])}, "
                            f"scan {scan_id} of {site_of(cur['start_url'])}", EXIT_USAGE)
    if (cur["scope_unit"], cur["scope_column"]) == (base["scope_unit"], base["scope_column"]):
        return SharedScope(cur, base)
    for wide, narrow, which in ((base, cur, "base"), (cur, base, "current")):
        if _contains(engine, wide, narrow):
            column = narrow["scope_column"]
            columns = _column_tree(engine, wide["id"], column) | _column_tree(engine, narrow["id"], column) \
                if column else None
            return SharedScope(cur, base, narrowed=which, unit=narrow["scope_unit"], columns=columns)
    raise GovauditError(f"检查范围不可比 / scan {scan_id} ({scope_of(cur)}) and scan {base_id} ({scope_of(base)}) "
                        f"cover different parts of the site; compare scans of the same scope, or a scan whose "
                        f"scope contains the other", EXIT_USAGE)


def previous_scan_id(engine: Engine, scan_id: int) -> int | None:
    """The scan a report compares with by default: the newest audited, complete scan of the same
    site and scope older than ``scan_id``; failing that, the newest one whose scope contains this
    scan's (an ad-hoc unit audit compares with the last whole-site scan, restricted to the unit).
    A scan judged 无法评价 read too little to compare with."""
    frame = scans_frame(engine)
    current = frame[frame["id"] == scan_id]
    if current.empty:
        raise GovauditError(f"检查记录不存在 / no scan with id {scan_id}", EXIT_USAGE)
    cur = current.iloc[0]
    earlier = frame[(frame["site"] == cur["site"]) & (frame["id"] < scan_id) & (frame["status"] == "complete")
                    & frame["verdict"].notna() & (frame["verdict"] != "无法评价")]
    same = earlier[earlier["scope"] == cur["scope"]]
    if not same.empty:
        return int(same["id"].max())
    narrow = _scan_row(engine, scan_id)
    for base_id in sorted(earlier["id"], reverse=True):
        if _contains(engine, _scan_row(engine, int(base_id)), narrow):
            return int(base_id)
    return None


def findings_frame(engine: Engine, scan_id: int) -> pd.DataFrame:
    f = storage.finding
    cols = [f.c[name] for name in FINDING_COLUMNS]
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(select(*cols).where(f.c.scan_id == scan_id)).mappings()]
    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


def split(now: pd.DataFrame, before: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(new, still open, fixed) by finding key: new and still open are rows of ``now``, fixed of
    ``before``.  Both frames must already be restricted to the shared scope."""
    now_keys, before_keys = set(now["key"]), set(before["key"])
    return (now[~now["key"].isin(before_keys)], now[now["key"].isin(before_keys)],
            before[~before["key"].isin(now_keys)])


def compare(engine: Engine, scan_id: int, previous_id: int) -> dict[str, list[dict]]:
    """New / fixed / still-open findings of ``scan_id`` relative to ``previous_id``, within the
    scope both scans covered (``shared_scope``; incomparable scopes are a usage error).

    ``new`` and ``open`` are findings of ``scan_id``; ``fixed`` are findings of ``previous_id`` whose
    key no longer occurs.  Each list holds finding dicts (``FINDING_COLUMNS``) sorted by key;
    ``open`` items also carry ``since_scan``: the first scan of the series the key was seen in.
    """
    scope = shared_scope(engine, scan_id, previous_id)
    now = scope.restrict(findings_frame(engine, scan_id))
    before = scope.restrict(findings_frame(engine, previous_id))
    new, still_open, fixed = split(now, before)

    def records(part: pd.DataFrame) -> list[dict]:
        part = part.sort_values("key")
        part = part.astype(object).where(part.notna(), None)
        return part.to_dict("records")

    opened = records(still_open)
    first_seen = dict(zip(before["key"], before["first_seen_scan"].fillna(previous_id), strict=True))
    for item in opened:
        item["since_scan"] = int(item.get("first_seen_scan") or first_seen.get(item["key"]) or previous_id)
    return {"new": records(new), "fixed": records(fixed), "open": opened}


def compare_counts(result: dict[str, list]) -> dict[str, int]:
    return {name: len(items) for name, items in result.items()}


def delete_scans(engine: Engine, scan_ids: list[int]) -> None:
    """Delete scans and every row that belongs to them.

    The schema declares ``ON DELETE CASCADE``, but databases created before a column was added, or
    SQLite connections without ``foreign_keys=ON``, would not cascade: delete children explicitly.
    """
    if not scan_ids:
        return
    children = [t for t in reversed(storage.metadata.sorted_tables) if "scan_id" in t.c]
    with engine.begin() as conn:
        for table in children:
            conn.execute(delete(table).where(table.c.scan_id.in_(scan_ids)))
        conn.execute(delete(storage.scan).where(storage.scan.c.id.in_(scan_ids)))


def retention_victims(engine: Engine, start_url: str, keep: int) -> list[int]:
    """Scans the retention policy removes for this site: see ``apply_retention``."""
    if keep < 1:
        raise GovauditError("保留数量至少为 1 / --keep must be at least 1", EXIT_USAGE)
    frame = scans_frame(engine)
    series = frame[(frame["site"] == site_of(start_url)) & (frame["scope"] == "全站")]
    # A crawl stopped by its --max-pages cap (incomplete) finished too, and has its month's report.
    complete = series[series["status"].isin(("complete", "incomplete"))].sort_values("id", ascending=False)
    if len(complete) <= keep:
        return []
    oldest_kept = int(complete["id"].iloc[keep - 1])
    return sorted(int(i) for i in series.loc[series["id"] < oldest_kept, "id"])


def apply_retention(engine: Engine, start_url: str, keep: int) -> list[int]:
    """Keep the newest ``keep`` complete whole-site scans of this site; delete every older scan of
    the series (complete, failed or interrupted) with all its rows.  Newer failed or interrupted scans
    stay (one may be resumed).  Scans of one unit or column (ad-hoc audits) are not touched.
    Returns the deleted scan ids.
    """
    victims = retention_victims(engine, start_url, keep)
    delete_scans(engine, victims)
    if victims:
        log.info("retention: kept the newest %d scans of %s, deleted scans %s", keep, site_of(start_url),
                 victims)
    return victims


# ---- the `govaudit history` verb -------------------------------------------------------------

def history_records(engine: Engine, site: str | None = None) -> list[dict]:
    """``govaudit history --json``: one record per scan, times in local time with their offset,
    ``as_of`` the 统计截止日期 of the audit (the run date is ``started_at``)."""
    frame = scans_frame(engine, site)
    frame = frame.astype(object).where(frame.notna(), None)
    records = frame.to_dict("records")
    for r in records:
        r["started_at"], r["finished_at"] = clock.local_iso(r["started_at"]), clock.local_iso(r["finished_at"])
    return records


def run_history(args) -> int:
    from crawler.runner import mark_stale_scans

    engine = storage.connect(args.db, create=False)
    mark_stale_scans(engine)     # a `running` scan whose process is gone was interrupted
    records = history_records(engine, args.site)
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2, default=str))
        return 0
    if not records:
        print("没有检查记录 / no scans" + (f" for {args.site}" if args.site else ""))
        return 0
    _print_table(records)
    return 0


def _print_table(records: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="检查记录 / scan history", show_lines=False)
    for header in ("ID", "检查时间", "统计截止日期", "站点", "范围", "页面", "问题", "各类问题", "结论", "估算得分",
                   "状态"):
        table.add_column(header)
    names = check_names()
    for r in records:
        counts = ", ".join(f"{names.get(k, k)} {v}" for k, v in sorted(r["counts"].items()) if v) or "-"
        findings = _blank(r["findings"] if r["verdict"] else None)
        table.add_row(str(r["id"]), clock.local(r["started_at"], seconds=False), r["as_of"] or "-",
                      r["site_name"] or r["site"], r["scope"], _blank(r["pages"]), findings, counts,
                      r["verdict"] or "未检查", _blank(r["score"]), _status(r["status"]))
    Console(width=220, soft_wrap=True).print(table)


def check_names() -> dict[str, str]:
    """Rule id -> the Chinese name the report gives it: each rule's own name, in report order."""
    return {r.id: r.name for r in all_rules()}


# scan.status -> what history shows
STATUS_LABELS = {"running": "进行中", "complete": "已完成", "incomplete": "未完成（达到抓取上限）", "failed": "失败",
                 "interrupted": "已中断"}


def _status(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", status or "")


def _blank(value) -> str:
    return "-" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
