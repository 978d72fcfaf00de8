"""The assessment report and its exports: report.html, findings.json, findings.xlsx, 通报.docx.

``write_reports`` is the one entry point (called by govaudit/workflow.py).  The findings
document is written exactly as the audits produced it; the other three files are layouts of
one ``Report`` (govaudit/report/context.py) built from that document and the snapshot DB.
"""
from __future__ import annotations

import logging
from pathlib import Path

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

    ``compare_to`` names the earlier scan for new/fixed/still-open; by default the previous
    complete, audited scan of the same start URL and scope is used, if there is one.
    """
    out_dir = ensure_dir(Path(out_dir))
    doc = findings_doc if findings_doc is not None else load_findings_document(engine, scan_id)
    report = build_report(engine, scan_id, doc, compare_to=compare_to)
    paths = {
        "findings.json": write_json(out_dir / "findings.json", doc),
        "report.html": write_html(report, out_dir / "report.html"),
        "findings.xlsx": write_workbook(report, out_dir / "findings.xlsx"),
        "通报.docx": write_notice(report, out_dir / "通报.docx"),
    }
    log.info("report files written to %s (%d findings)", out_dir, len(report.findings))
    return paths
