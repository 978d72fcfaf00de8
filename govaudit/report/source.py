"""What the report reads from the snapshot database besides the scans' read model.

Read-only.  Past scans, their findings and the previous scan come from ``govaudit.core.scans`` (the
same series rules as ``govaudit history`` and the scheduled runs: same site, same scope); this
module adds the link facts of the findings' URLs and the findings document.
"""
from __future__ import annotations

from sqlalchemy import select

from audits.runner import load_findings_document as load
from govaudit.core import storage
from govaudit.core.errors import EXIT_USAGE, GovauditError


# URLs looked up per query: under SQLite's default limit of bound parameters.
URL_BATCH = 500


def link_flags(engine, scan_id: int, urls) -> tuple[set[str], set[str]]:
    """(those of ``urls`` linked from the homepage, those that are attachments) in one scan.
    Looked up by URL through the (scan, URL) indexes: reading every link of the scan was
    10⁶ rows and 3 s at 10⁵ documents, for the few thousand URLs the findings name."""
    src, link = storage.link_source, storage.link
    wanted = sorted({u for u in urls if u})
    homepage, attachments = set(), set()
    with engine.connect() as conn:
        for i in range(0, len(wanted), URL_BATCH):
            batch = wanted[i:i + URL_BATCH]
            homepage.update(conn.execute(select(src.c.target_url).distinct().where(
                src.c.scan_id == scan_id, src.c.target_url.in_(batch), src.c.on_homepage.is_(True))).scalars())
            attachments.update(conn.execute(select(link.c.url).where(
                link.c.scan_id == scan_id, link.c.url.in_(batch), link.c.is_attachment.is_(True))).scalars())
    return homepage, attachments


def load_findings_document(engine, scan_id: int, lazy: bool = False) -> dict:
    """The findings.json document of a stored scan, as the audits package builds it (``lazy``: its
    findings read from the database a page at a time whenever iterated)."""
    doc = load(engine, scan_id, lazy=lazy)
    if doc is None:
        raise GovauditError(f"检查记录 {scan_id} 尚未进行检查 / scan {scan_id} has not been audited; "
                            f"run: govaudit audit --scan {scan_id}", EXIT_USAGE)
    return doc
