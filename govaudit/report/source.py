"""What the report reads from the snapshot database besides the scans' read model.

Read-only.  Past scans, their findings and the previous scan come from ``govaudit.core.scans`` (the
same series rules as ``govaudit history`` and the scheduled runs: same site, same scope); this
module adds the link facts of the scan being reported and its findings document.
"""
from __future__ import annotations

from sqlalchemy import select

from audits.runner import load_findings_document as load
from govaudit.core import storage
from govaudit.core.errors import EXIT_USAGE, GovauditError


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
    doc = load(engine, scan_id)
    if doc is None:
        raise GovauditError(f"检查记录 {scan_id} 尚未进行检查 / scan {scan_id} has not been audited; "
                            f"run: govaudit audit --scan {scan_id}", EXIT_USAGE)
    return doc
