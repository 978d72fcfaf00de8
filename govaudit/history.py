"""Scan history: the ``govaudit history`` verb and the retention policy.

Past scans are read through ``govaudit.core.scans`` (the read model) and compared through
``govaudit.core.comparison``; this module lists them and deletes the ones retention lets go.
Times are stored in UTC and shown in local time with the zone (``govaudit.core.clock``).
"""
from __future__ import annotations

import json
import logging

from rich.console import Console
from rich.table import Table
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine

from audits.registry import all_rules
from crawler.liveness import mark_stale_scans
from govaudit.core import clock, scans, storage
from govaudit.core.errors import EXIT_USAGE, GovauditError

log = logging.getLogger(__name__)

def delete_scans(engine: Engine, scan_ids: list[int]) -> None:
    """Delete scans and every row that belongs to them.

    The schema declares ``ON DELETE CASCADE``, but databases created before a column was added, or
    SQLite connections without ``foreign_keys=ON``, would not cascade: delete children explicitly.
    """
    if scan_ids:
        children = [t for t in reversed(storage.metadata.sorted_tables) if "scan_id" in t.c]
        with engine.begin() as conn:
            for table in children:
                conn.execute(delete(table).where(table.c.scan_id.in_(scan_ids)))
            conn.execute(delete(storage.scan).where(storage.scan.c.id.in_(scan_ids)))
    prune_file_texts(engine)     # also what an earlier deletion left while a scan was running


def prune_file_texts(engine: Engine) -> int:
    """Delete the stored text of files no remaining scan links to; the number deleted.

    ``attachment_text`` is shared by all scans (one row per content), so deleting scans leaves the
    text of their files behind, personal data included, unless it is pruned here.  While any scan
    is running nothing is pruned: its crawl may have stored a file's text, or counted on a stored
    one, before writing the attachment row that refers to it.  The next retention prunes it.
    """
    mark_stale_scans(engine)     # a `running` row whose process is gone must not block pruning
    text, att, scan = storage.attachment_text, storage.attachment, storage.scan
    with engine.begin() as conn:
        if conn.execute(select(func.count()).select_from(scan).where(scan.c.status == "running")).scalar():
            log.info("retention: a scan is running; the text of unlinked files is pruned next time")
            return 0
        linked = select(att.c.sha256).where(att.c.sha256.is_not(None)).distinct()
        deleted = conn.execute(delete(text).where(text.c.sha256.not_in(linked))).rowcount or 0
    if deleted:
        log.info("retention: deleted the stored text of %d files no kept scan links to", deleted)
    return deleted


def retention_victims(engine: Engine, start_url: str, keep: int) -> list[int]:
    """Scans the retention policy removes for this site: see ``apply_retention``."""
    if keep < 1:
        raise GovauditError("保留数量至少为 1 / --keep must be at least 1", EXIT_USAGE)
    frame = scans.scans_frame(engine)
    series = frame[(frame["site"] == scans.site_slug(start_url)) & (frame["scope"] == "全站")]
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
        log.info("retention: kept the newest %d scans of %s, deleted scans %s", keep, scans.site_slug(start_url),
                 victims)
    return victims


# ---- the `govaudit history` verb -------------------------------------------------------------

def history_records(engine: Engine, site: str | None = None) -> list[dict]:
    """``govaudit history --json``: one record per scan, times in local time with their offset,
    ``as_of`` the 统计截止日期 of the audit (the run date is ``started_at``)."""
    frame = scans.scans_frame(engine, site)
    frame = frame.astype(object).where(frame.notna(), None)
    records = frame.to_dict("records")
    for r in records:
        r["started_at"], r["finished_at"] = clock.local_iso(r["started_at"]), clock.local_iso(r["finished_at"])
    return records


def run_history(args) -> int:
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
    table = Table(title="检查记录 / scan history", show_lines=False)
    for header in ("ID", "检查时间", "统计截止日期", "站点", "范围", "页面", "问题", "各类问题", "结论", "估算得分",
                   "状态"):
        table.add_column(header)
    names = check_names()
    for r in records:
        counts = ", ".join(f"{names.get(k, k)} {v}" for k, v in in_report_order(r["counts"], names) if v) or "-"
        findings = _blank(r["findings"] if r["verdict"] else None)
        table.add_row(str(r["id"]), clock.local(r["started_at"], seconds=False), r["as_of"] or "-",
                      r["site_name"] or r["site"], r["scope"], _blank(r["pages"]), findings, counts,
                      r["verdict"] or "未检查", _blank(r["score"]), _status(r["status"]))
    Console(width=220, soft_wrap=True).print(table)


def in_report_order(counts: dict, names: dict) -> list[tuple]:
    """(check, n) pairs in the order the report lists the checks; unknown ids (old scans) last."""
    rank = {check: i for i, check in enumerate(names)}
    return sorted(counts.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))


def check_names() -> dict[str, str]:
    """Rule id -> the Chinese name the report gives it: each rule's own name, in report order."""
    return {r.id: r.name for r in all_rules()}


# scan.status -> what history shows
STATUS_LABELS = {"running": "进行中", "complete": "已完成", "incomplete": "未完成（达到抓取上限）", "failed": "失败",
                 "interrupted": "已中断", "blocked": "被网站拦截（未完成，可 --resume 继续）"}


def _status(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", status or "")


def _blank(value) -> str:
    return "-" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
