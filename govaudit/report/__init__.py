"""The assessment report and its exports: report.html, findings.json, findings.xlsx, 通报.docx.

``write_reports`` is the one entry point (called by govaudit/workflow.py).  The findings
document is written exactly as the audits produced it; the other three files are layouts of
one ``Report`` (govaudit/report/context.py) built from that document and the snapshot DB.
Findings read from the database are never all held at once (govaudit/report/stream.py).
"""
from __future__ import annotations

import logging
from pathlib import Path

from govaudit.core import heap
from govaudit.report.context import Report, build_report
from govaudit.report.html import write_html
from govaudit.report.notice import write_notice
from govaudit.report.output import ensure_dir, write_json
from govaudit.report.source import load_findings_document
from govaudit.report.workbook import write_workbook

__all__ = ["Report", "build_report", "write_reports"]

log = logging.getLogger(__name__)


def write_reports(engine, scan_id: int, out_dir: Path, findings_doc: dict | None = None,
                  compare_to: int | None = None) -> dict[str, Path]:
    """Write the four report files of a scan into ``out_dir`` and return their paths.

    ``findings_doc``: findings.json as ``audit_scan`` returns it (its findings read from the
    database when written) or with a list of findings; by default it is read from the database.
    ``compare_to`` names the earlier scan for new/fixed/still-open; by default the previous
    complete, audited scan of the same start URL and scope is used, if there is one.
    """
    out_dir = ensure_dir(Path(out_dir))
    doc = findings_doc if findings_doc is not None else load_findings_document(engine, scan_id, lazy=True)
    report = build_report(engine, scan_id, doc, compare_to=compare_to)
    # The workbook keeps every sheet's links until it is closed (16 MB at 27,000 findings): it is
    # written last, once the pages the notice's XML tree freed are handed back (heap.give_back).
    writers = {"findings.json": lambda path: write_json(path, doc),
               "report.html": lambda path: write_html(report, path),
               "通报.docx": lambda path: write_notice(report, path),
               "findings.xlsx": lambda path: write_workbook(report, path)}
    written = {}
    for name, write in writers.items():
        heap.give_back()
        written[name] = write(out_dir / name)
    paths = {name: written[name] for name in ("findings.json", "report.html", "findings.xlsx", "通报.docx")}
    log.info("report files written to %s (%d findings)", out_dir, len(report.findings))
    return paths
