"""Scan history: list past scans, compare two scans' findings, apply the retention policy.

A finding's identity across scans is its ``key`` (``check|url|field``, see docs/design.md), so
"new / fixed / still open" is plain set arithmetic on the keys of two audited scans.

A *site* is identified by the host of its start URL (``pipeline.site_slug``), the same name the
scheduled runs use for their output directory; a scan's *scope* is whole-site, one unit or one
column.  Only scans of the same site and scope are compared, so an ad-hoc unit audit never makes the
rest of the site look "fixed".
"""
from __future__ import annotations

import json
import logging

import pandas as pd
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from govaudit import storage
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


def previous_scan_id(engine: Engine, scan_id: int) -> int | None:
    """The newest audited, complete scan of the same site and scope older than ``scan_id``."""
    frame = scans_frame(engine)
    current = frame[frame["id"] == scan_id]
    if current.empty:
        raise GovauditError(f"检查记录不存在 / no scan with id {scan_id}", EXIT_USAGE)
    cur = current.iloc[0]
    same_series = (frame["site"] == cur["site"]) & (frame["scope"] == cur["scope"])
    earlier = frame[same_series & (frame["id"] < scan_id) & (frame["status"] == "complete")
                    & frame["verdict"].notna()]
    return int(earlier["id"].max()) if not earlier.empty else None


def findings_frame(engine: Engine, scan_id: int) -> pd.DataFrame:
    f = storage.finding
    cols = [f.c[name] for name in FINDING_COLUMNS]
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(select(*cols).where(f.c.scan_id == scan_id)).mappings()]
    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


def compare(engine: Engine, scan_id: int, previous_id: int) -> dict[str, list[dict]]:
    """New / fixed / still-open findings of ``scan_id`` relative to ``previous_id``.

    ``new`` and ``open`` are findings of ``scan_id``; ``fixed`` are findings of ``previous_id`` whose
    key no longer occurs.  Each list holds finding dicts (``FINDING_COLUMNS``) sorted by key;
    ``open`` items also carry ``since_scan``: the first scan of the series the key was seen in.
    """
    for sid in (scan_id, previous_id):
        with engine.connect() as conn:
            if conn.execute(select(storage.scan.c.id).where(storage.scan.c.id == sid)).first() is None:
                raise GovauditError(f"检查记录不存在 / no scan with id {sid}", EXIT_USAGE)
    now = findings_frame(engine, scan_id)
    before = findings_frame(engine, previous_id)
    now_keys, before_keys = set(now["key"]), set(before["key"])

    def records(frame: pd.DataFrame, keys: set) -> list[dict]:
        part = frame[frame["key"].isin(keys)].sort_values("key")
        part = part.astype(object).where(part.notna(), None)
        return part.to_dict("records")

    still_open = records(now, now_keys & before_keys)
    first_seen = dict(zip(before["key"], before["first_seen_scan"].fillna(previous_id), strict=True))
    for item in still_open:
        item["since_scan"] = int(item.get("first_seen_scan") or first_seen.get(item["key"]) or previous_id)
    return {
        "new": records(now, now_keys - before_keys),
        "fixed": records(before, before_keys - now_keys),
        "open": still_open,
    }


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
    complete = series[series["status"] == "complete"].sort_values("id", ascending=False)
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
    frame = scans_frame(engine, site)
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.to_dict("records")


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
    for header in ("ID", "日期", "站点", "范围", "页面", "问题", "各类问题", "结论", "估算得分", "状态"):
        table.add_column(header)
    names = _check_names()
    for r in records:
        counts = ", ".join(f"{names.get(k, k)} {v}" for k, v in sorted(r["counts"].items()) if v) or "-"
        started = (r["started_at"] or "")[:16].replace("T", " ")
        findings = _blank(r["findings"] if r["verdict"] else None)
        table.add_row(str(r["id"]), started, r["site_name"] or r["site"], r["scope"], _blank(r["pages"]),
                      findings, counts, r["verdict"] or "未检查", _blank(r["score"]), _status(r["status"]))
    Console(width=200, soft_wrap=True).print(table)


def _check_names() -> dict[str, str]:
    """Rule id -> the report's Chinese name (空白栏目, 要素不全 …), when the report package is there."""
    try:
        from govaudit.report.settings import check_names
    except ImportError:
        return {}
    return check_names()


# scan.status -> what history shows
STATUS_LABELS = {"running": "进行中", "complete": "已完成", "failed": "失败", "interrupted": "已中断"}


def _status(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", status or "")


def _blank(value) -> str:
    return "-" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
