"""The read model of past scans: every question the app asks about scans already stored.

History, the report, the scheduled runs, the audits and the crawler (the base of a re-scan)
ask here which scans there are and what their stored findings are.  (A re-scan's replay of the
previous scan's pages and documents, ``crawler/revisit.py``, reads those tables itself.)


* the series of scans (``scans_frame``, ``series``) and one scan's row (``scan_row``);
* which scan a report compares with (``previous_scan_id``), which one a re-scan builds on
  (``previous_complete_scan``), and what a scope contains (``contains``, ``column_tree``);
* the stored findings of a scan (``stored_findings_frame``, ``stored_findings``), when a finding
  was first seen (``first_seen``), and the audit summary (``audit_summary``).

A *site* is identified by the host of its start URL (``site_slug``), the same name the scheduled
runs use for their output directory; a scan's *scope* is whole-site, one unit or one column.
Read-only: nothing here writes.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from govaudit.core import clock, storage
from govaudit.core.errors import EXIT_USAGE, GovauditError
from govaudit.core.urls import site_slug

if TYPE_CHECKING:
    import pandas as pd

# One row of `govaudit history` (and of --json).
HISTORY_COLUMNS = ("id", "started_at", "finished_at", "status", "site", "site_name", "start_url",
                   "scope", "scope_unit", "scope_column", "pages", "documents", "findings", "counts",
                   "verdict", "score", "as_of")
# What a stored finding carries: enough for the report and the 整改清单, no further query.
FINDING_COLUMNS = ("key", "check", "url", "field", "unit", "column", "column_url", "severity", "message",
                   "evidence", "first_seen_scan")
# A scan that was neither finished nor stopped by its page cap is no base for anything.
FINISHED = ("complete", "incomplete")     # incomplete: stopped by --max-pages


def scope_of(row) -> str:
    """Human-readable scope of a scan row: 全站 / 单位:NAME / 栏目:URL."""
    if row.get("scope_unit"):
        return f"单位:{row['scope_unit']}"
    if row.get("scope_column"):
        return f"栏目:{row['scope_column']}"
    return "全站"


def scan_row(engine: Engine, scan_id: int) -> dict:
    """The ``scan`` row of one scan; a usage error when there is none."""
    with engine.connect() as conn:
        row = conn.execute(select(storage.scan).where(storage.scan.c.id == scan_id)).mappings().first()
    if row is None:
        raise GovauditError(f"检查记录不存在 / no scan with id {scan_id}", EXIT_USAGE)
    return dict(row)


def latest_scan_id(engine: Engine, complete_only: bool = True) -> int:
    q = select(storage.scan.c.id).order_by(storage.scan.c.id.desc()).limit(1)
    if complete_only:
        q = q.where(storage.scan.c.status.in_(FINISHED))
    with engine.connect() as conn:
        row = conn.execute(q).first()
    if row is None:
        raise GovauditError("数据库中没有已完成的检查 / no complete scan in the database", EXIT_USAGE)
    return row[0]


def scans_frame(engine: Engine, site: str | None = None) -> pd.DataFrame:
    """Every scan (newest first) joined with its audit summary, one row per scan.

    ``site`` matches the site slug (host[:port]), the site name or the start URL.
    Columns: ``HISTORY_COLUMNS`` (counts is a dict check -> n).
    """
    # lazy: the crawl's parent process imports this module and waits on the crawl, where pandas
    # would be 45 MB of RSS held beside the crawl's own processes
    import pandas as pd

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
        row["site"] = site_slug(row["start_url"])
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
                 | (frame["site"] == site_slug(wanted)))
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


def _judged(frame: pd.DataFrame) -> pd.Series:
    """Complete scans with a verdict that judged them (无法评价 read too little to compare with)."""
    return (frame["status"] == "complete") & frame["verdict"].notna() & (frame["verdict"] != "无法评价")


def series(engine: Engine, scan: dict) -> pd.DataFrame:
    """Audited, complete scans of the same site and scope up to this one, oldest first.

    The scan being reported is always included, whatever its status.
    """
    frame = scans_frame(engine)
    mine = frame[frame["id"] == scan["id"]]
    if mine.empty:
        return mine
    me = mine.iloc[0]
    same = frame[(frame["site"] == me["site"]) & (frame["scope"] == me["scope"]) & (frame["id"] <= scan["id"])]
    done = same[_judged(same) | (same["id"] == scan["id"])]
    return done.sort_values("id").reset_index(drop=True)


# ---- scopes -------------------------------------------------------------------------------------

def column_unit(engine: Engine, scan_id: int, column_url: str) -> str | None:
    c = storage.column
    with engine.connect() as conn:
        return conn.execute(select(c.c.unit).where(c.c.scan_id == scan_id, c.c.url == column_url)).scalar()


def column_tree(engine: Engine, scan_id: int, column_url: str) -> frozenset[str]:
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


def contains(engine: Engine, wide: dict, narrow: dict) -> bool:
    """Whether scan ``wide`` covered everything scan ``narrow`` covered (same site assumed)."""
    if wide["scope_column"] and wide["scope_column"] != narrow["scope_column"]:
        return False
    if not wide["scope_unit"] or wide["scope_unit"] == narrow["scope_unit"]:
        return True
    # A unit's scan covers a column scan of one of that unit's columns.
    return bool(narrow["scope_column"]) and not narrow["scope_unit"] and \
        column_unit(engine, narrow["id"], narrow["scope_column"]) == wide["scope_unit"]


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
    earlier = frame[(frame["site"] == cur["site"]) & (frame["id"] < scan_id) & _judged(frame)]
    same = earlier[earlier["scope"] == cur["scope"]]
    if not same.empty:
        return int(same["id"].max())
    narrow = scan_row(engine, scan_id)
    for base_id in sorted(earlier["id"], reverse=True):
        if contains(engine, scan_row(engine, int(base_id)), narrow):
            return int(base_id)
    return None


def previous_complete_scan(engine: Engine, start_url: str, before: int) -> int | None:
    """The latest complete scan of the same start URL before ``before``, whatever its scope or
    verdict: the re-scan's base (its pages make conditional requests possible)."""
    s = storage.scan
    with engine.connect() as conn:
        return conn.execute(select(s.c.id).where(s.c.start_url == start_url, s.c.status == "complete", s.c.id < before)
                            .order_by(s.c.id.desc()).limit(1)).scalar()


def scope_names(engine: Engine, scan_id: int, unit: str | None, column: str | None) -> dict:
    """The names a restricted scan's scope is known by: the unit's name (``--unit`` may have given
    its site code) and the column's name and owning unit, from the scan's own rows."""
    names: dict = {}
    with engine.connect() as conn:
        if unit:
            u = storage.unit
            row = conn.execute(select(u.c.name).where(u.c.scan_id == scan_id, (u.c.name == unit) | (u.c.code == unit))
                               .limit(1)).first()
            names["unit"] = row[0] if row else unit
        if column:
            c = storage.column
            row = conn.execute(select(c.c.name, c.c.unit).where(c.c.scan_id == scan_id, c.c.url == column)
                               .limit(1)).first()
            if row is not None:
                names.update(column_name=row.name, column_unit=row.unit)
    return {k: v for k, v in names.items() if v}


def _scan_id(value) -> int | None:
    """``value`` as a scan id; None for a missing one (None, NaN or pandas' NA of a frame's cell)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def scan_dates(engine: Engine, scan_ids) -> dict[int, str]:
    """scan id -> the date (YYYY-MM-DD) the scan started."""
    ids = sorted({i for i in map(_scan_id, scan_ids) if i is not None})
    if not ids:
        return {}
    table = storage.scan
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.id, table.c.started_at).where(table.c.id.in_(ids))).all()
    return {r.id: clock.local_date(r.started_at) for r in rows}


# ---- stored audit results -------------------------------------------------------------------------

def audit_summary(engine: Engine, scan_id: int) -> dict | None:
    table = storage.audit_summary
    with engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.scan_id == scan_id)).mappings().first()
    return dict(row) if row else None


def stored_findings_frame(engine: Engine, scan_id: int) -> pd.DataFrame:
    """The ``finding`` rows of one scan as stored (``FINDING_COLUMNS``), one row per finding."""
    f = storage.finding
    cols = [f.c[name] for name in FINDING_COLUMNS]
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(select(*cols).where(f.c.scan_id == scan_id)).mappings()]
    # lazy: see scans_frame
    import pandas as pd

    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


def stored_findings(engine: Engine, scan_id: int) -> list[dict]:
    """The ``finding`` rows of one scan as plain records (None, never NaN)."""
    frame = stored_findings_frame(engine, scan_id)
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def first_seen(conn: Connection, scan: dict, keys: Iterable[str]) -> dict[str, int]:
    """key -> the earliest earlier scan of the same start URL that already had it, for the keys
    of ``keys`` (and perhaps a few others); on the connection of the transaction that stores the
    new findings.  ``keys`` is read only when an earlier scan stored findings."""
    f, s = storage.finding, storage.scan
    q = (select(f.c.key, func.min(func.coalesce(f.c.first_seen_scan, f.c.scan_id)))
         .join(s, s.c.id == f.c.scan_id)
         .where(s.c.start_url == scan["start_url"], f.c.scan_id < scan["id"])
         .group_by(f.c.key))
    # The keys' hashes, not the keys: 10⁴ key strings held for a filter were 4 MiB.  A key that
    # only shares a hash is kept too, and harmless: callers look keys up exactly.
    wanted: set[int] | None = None
    found = {}
    for k, v in conn.execute(q):
        if wanted is None:
            wanted = {hash(key) for key in keys}
        if hash(k) in wanted:
            found[k] = v
    return found


def stored_first_seen(engine: Engine, scan_id: int) -> dict[str, int]:
    """key -> first_seen_scan of the findings stored for one scan."""
    f = storage.finding
    with engine.connect() as conn:
        return dict(conn.execute(select(f.c.key, f.c.first_seen_scan).where(f.c.scan_id == scan_id)).all())
