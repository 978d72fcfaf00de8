"""What the report reads from the snapshot database besides the findings document.

Read-only.  Scan history and the previous scan come from ``govaudit.history`` (the same
series rules as ``govaudit history`` and the scheduled runs: same site, same scope).
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from govaudit import clock, history, storage
from govaudit.errors import EXIT_USAGE, GovauditError


def scan_info(engine, scan_id: int) -> dict:
    with engine.connect() as conn:
        row = conn.execute(select(storage.scan).where(storage.scan.c.id == scan_id)).mappings().first()
    if row is None:
        raise GovauditError(f"检查记录不存在 / no scan with id {scan_id}", EXIT_USAGE)
    return dict(row)


def scope_names(engine, scan_id: int, unit: str | None, column: str | None) -> dict:
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


def audit_summary(engine, scan_id: int) -> dict | None:
    table = storage.audit_summary
    with engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.scan_id == scan_id)).mappings().first()
    return dict(row) if row else None


def stored_findings(engine, scan_id: int) -> list[dict]:
    """The ``finding`` rows of one scan as plain records (None, never NaN)."""
    frame = history.findings_frame(engine, scan_id)
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def scan_dates(engine, scan_ids) -> dict[int, str]:
    """scan id -> the date (YYYY-MM-DD) the scan started."""
    ids = sorted({int(i) for i in scan_ids if i is not None and not pd.isna(i)})
    if not ids:
        return {}
    table = storage.scan
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.id, table.c.started_at).where(table.c.id.in_(ids))).all()
    return {r.id: clock.local_date(r.started_at) for r in rows}


def series(engine, scan: dict) -> pd.DataFrame:
    """Audited, complete scans of the same site and scope up to this one, oldest first.

    The scan being reported is always included, whatever its status.
    """
    frame = history.scans_frame(engine)
    mine = frame[frame["id"] == scan["id"]]
    if mine.empty:
        return mine
    me = mine.iloc[0]
    same = frame[(frame["site"] == me["site"]) & (frame["scope"] == me["scope"]) & (frame["id"] <= scan["id"])]
    judged = (same["status"] == "complete") & same["verdict"].notna() & (same["verdict"] != "无法评价")
    done = same[judged | (same["id"] == scan["id"])]
    return done.sort_values("id").reset_index(drop=True)


def previous_scan_id(engine, scan_id: int) -> int | None:
    return history.previous_scan_id(engine, scan_id)


def link_flags(engine, scan_id: int) -> tuple[set[str], set[str]]:
    """(targets linked from the homepage, targets that are attachments) of one scan."""
    src, link = storage.link_source, storage.link
    with engine.connect() as conn:
        homepage = {r[0] for r in conn.execute(
            select(src.c.target_url).where(src.c.scan_id == scan_id, src.c.on_homepage.is_(True)))}
        attachments = {r[0] for r in conn.execute(
            select(link.c.url).where(link.c.scan_id == scan_id, link.c.is_attachment.is_(True)))}
    return homepage, attachments


def load_findings_document(engine, scan_id: int) -> dict:
    """The findings.json document of a stored scan, as the audits package builds it."""
    from audits.runner import load_findings_document as load

    doc = load(engine, scan_id)
    if doc is None:
        raise GovauditError(f"检查记录 {scan_id} 尚未进行检查 / scan {scan_id} has not been audited; "
                            f"run: govaudit audit --scan {scan_id}", EXIT_USAGE)
    return doc
