"""A report of one unit or one column says so in its title and scope line, in all three files
(issue 10, item 10): never 全区, and a column is named by its name and its URL."""
from __future__ import annotations

import re

import openpyxl
from docx import Document
from sqlalchemy import insert, update

from govaudit.core import storage
from govaudit.report import write_reports
from govaudit.report.workbook import SUMMARY_SHEET

from .report_builders import BASE, add_scan, findings_document, findings_in, store_audit

COLUMN_URL = f"{BASE}/gongkai/site_wjj/channel_tzgg/"   # 区卫健局 通知公告, a planted stale column


def _scoped_scan(engine, *, unit: str | None = None, column: str | None = None) -> tuple[int, dict]:
    """A stored scan restricted to ``unit`` (given by its site code, as --unit allows) or ``column``,
    with the unit and column rows the crawler records."""
    scan_id = add_scan(engine, "2023-11-30")
    with engine.begin() as conn:
        conn.execute(update(storage.scan).where(storage.scan.c.id == scan_id)
                     .values(scope_unit=unit, scope_column=column))
        conn.execute(insert(storage.unit), [
            {"scan_id": scan_id, "name": "区卫健局", "code": "zhangqiuquwjj", "kind": "department"},
            {"scan_id": scan_id, "name": "区教体局", "code": "zhangqiuqujtj", "kind": "department"}])
        conn.execute(insert(storage.column).values(scan_id=scan_id, url=COLUMN_URL, name="通知公告", unit="区卫健局",
                                                   section="gongkai"))
    findings = [f for f in findings_in(2) if f["unit"] == "区卫健局"]
    doc = findings_document(scan_id, "2023-11-30", findings, scope={"unit": unit, "column": column})
    store_audit(engine, scan_id, doc)
    return scan_id, doc


def _texts(paths) -> dict[str, str]:
    html = paths["report.html"].read_text(encoding="utf-8")
    docx = "\n".join(p.text for p in Document(paths["通报.docx"]).paragraphs)
    ws = openpyxl.load_workbook(paths["findings.xlsx"])[SUMMARY_SHEET]
    xlsx = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    return {"html": html, "h1": re.search(r"<h1>(.*?)</h1>", html).group(1), "docx": docx, "xlsx": xlsx}


def test_column_scope_names_the_column_and_its_unit_in_every_file(engine, tmp_path):
    scan_id, doc = _scoped_scan(engine, column=COLUMN_URL)
    t = _texts(write_reports(engine, scan_id, tmp_path / "out", findings_doc=doc))
    title = "关于2023年11月区卫健局“通知公告”栏目政务公开检查情况的通报"
    assert t["h1"] == title
    assert "全区" not in t["h1"]
    assert f"检查范围：仅区卫健局“通知公告”栏目（<a href=\"{COLUMN_URL}\"" in t["html"]
    assert "本次限于区卫健局“通知公告”栏目" in t["html"]
    assert title in t["docx"] and f"本次限于区卫健局“通知公告”栏目（{COLUMN_URL}）" in t["docx"]
    assert title in t["xlsx"] and f"检查范围：仅区卫健局“通知公告”栏目（{COLUMN_URL}）" in t["xlsx"]


def test_unit_scope_given_by_site_code_is_named_by_the_unit_in_every_file(engine, tmp_path):
    scan_id, doc = _scoped_scan(engine, unit="zhangqiuquwjj")
    t = _texts(write_reports(engine, scan_id, tmp_path / "out", findings_doc=doc))
    title = "关于2023年11月区卫健局政府网站政务公开检查情况的通报"
    assert t["h1"] == title
    assert "检查范围：仅区卫健局" in t["html"]
    assert title in t["docx"] and "本次限于区卫健局" in t["docx"]
    assert title in t["xlsx"] and "检查范围：仅区卫健局" in t["xlsx"]


def test_whole_site_report_keeps_the_district_title_and_no_scope_line(written):
    paths, _docs, _ids = written
    t = _texts(paths)
    assert t["h1"] == "关于2023年11月全区政府网站政务公开检查情况的通报"
    assert "检查范围：" not in t["html"] and "检查范围：" not in t["xlsx"]   # no scope line (对比范围 may name 检查范围)
