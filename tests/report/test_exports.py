"""findings.xlsx (整改清单) and 通报.docx checked against findings.json."""
from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter

import chinese_calendar
import openpyxl
from docx import Document

from govaudit.core.errors import GovauditError
from govaudit.report import workbook, write_reports
from govaudit.report.workbook import LIST_COLUMNS, SUMMARY_SHEET, sheet_name

from .report_builders import (START_URL, add_scan, findings_document, finding_record, hostile_planted, store_audit,
                              unit_of)


def test_summary_sheet_counts_per_unit_and_check(written):
    paths, docs, _ = written
    doc = docs[-1]
    wb = openpyxl.load_workbook(paths["findings.xlsx"])
    ws = wb[SUMMARY_SHEET]
    assert wb.sheetnames[0] == SUMMARY_SHEET
    header = [c.value for c in ws[1]]
    assert header[0] == "单位" and header[-1] == "合计"
    rows = {r[0]: dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True) if r[0] and r[1] is not None}
    expected = Counter(unit_of(f) for f in doc["findings"])
    assert {u: rows[u]["合计"] for u in expected} == dict(expected)
    assert rows["合计"]["合计"] == len(doc["findings"])
    assert rows["区教体局"]["空白栏目"] == sum(f["check"] == "empty_column" and f["unit"] == "区教体局"
                                          for f in doc["findings"])


def test_one_sheet_per_unit_with_every_finding(written):
    paths, docs, _ = written
    doc = docs[-1]
    wb = openpyxl.load_workbook(paths["findings.xlsx"])
    units = Counter(unit_of(f) for f in doc["findings"])
    assert sorted(wb.sheetnames[1:]) == sorted(units)
    seen = []
    for name in wb.sheetnames[1:]:
        ws = wb[name]
        assert [c.value for c in ws[1]] == LIST_COLUMNS
        assert ws.freeze_panes == "A2"
        body = list(ws.iter_rows(min_row=2, values_only=True))
        assert [r[0] for r in body] == list(range(1, len(body) + 1))
        assert all(r[1] == name for r in body)
        seen += [(r[1], r[4], r[5]) for r in body]
    assert sorted(seen) == sorted((unit_of(f), f["message"], f["url"]) for f in doc["findings"])
    assert wb[SUMMARY_SHEET].freeze_panes == "A2"


def test_links_dates_deadline_and_status(written):
    paths, docs, _ = written
    before = {f["key"] for f in docs[-2]["findings"]}
    keys = {(f["message"], f["url"]): f["key"] for f in docs[-1]["findings"]}
    wb = openpyxl.load_workbook(paths["findings.xlsx"])
    as_of = dt.date.fromisoformat(docs[-1]["as_of"])
    for ws in wb.worksheets[1:]:
        assert ws.column_dimensions["E"].width >= 30  # 问题描述 readable
        for row in ws.iter_rows(min_row=2):
            link = row[5]
            assert link.hyperlink is not None and link.hyperlink.target == link.value
            deadline = row[7].value.date()
            assert chinese_calendar.is_workday(deadline)
            assert len(chinese_calendar.get_workdays(as_of + dt.timedelta(days=1), deadline)) == 15
            assert row[6].value.date() <= as_of
            key = keys[(row[4].value, row[5].value)]
            assert row[8].value == ("仍未整改" if key in before else "新发现")


def test_sheet_names_are_safe_short_and_unique():
    taken = {SUMMARY_SHEET}
    names = [sheet_name(n, taken) for n in ("区教体局", "a/b:c*d?e[f]g\\h", "x" * 40, "x" * 40, "汇总", "'", "区教体局")]
    assert len(set(names)) == len(names)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") and n for n in names)
    assert names[0] == "区教体局" and names[-1] != "区教体局"


def test_hostile_content_stays_text_in_xlsx_and_docx(engine, tmp_path):
    scan_id = add_scan(engine, "2023-11-30")
    doc = findings_document(scan_id, "2023-11-30", [finding_record(p) for p in hostile_planted()])
    store_audit(engine, scan_id, doc)
    paths = write_reports(engine, scan_id, tmp_path / "out", findings_doc=doc)
    wb = openpyxl.load_workbook(paths["findings.xlsx"])
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]  # "=HYPERLINK(...)" and "=1+1" are not formulas
    assert any(c.value == "=1+1 栏目最近更新于2023-01-01，超过半年未更新" for c in cells)
    targets = [c.hyperlink.target for c in cells if c.hyperlink is not None]
    assert targets and all(t.startswith(("http://", "https://")) for t in targets)
    assert any(c.value == "《含控制字符的文件》缺少成文日期" for c in cells)  # XML-illegal characters dropped
    text = "\n".join(p.text for p in Document(paths["通报.docx"]).paragraphs)
    assert "<script>window.__pwned=1</script>" in text  # shown literally, as the page had it


def test_overlong_link_stays_text_in_xlsx(engine, tmp_path):
    """Excel opens no link over 2,079 characters: such an address is written as text, not
    dropped, and the other links of the sheet stay links."""
    long_url = "http://www.example.gov.cn/search?q=" + "a" * 2100
    planted = [("broken_link", long_url, None, "区教体局", "工作动态", "deduct", "链接无法访问", {"status": 404}, [33], ()),
               ("broken_link", "http://www.example.gov.cn/a.html", None, "区教体局", "工作动态", "deduct",
                "链接无法访问", {"status": 404}, [33], ())]
    scan_id = add_scan(engine, "2023-11-30")
    doc = findings_document(scan_id, "2023-11-30", [finding_record(p) for p in planted])
    store_audit(engine, scan_id, doc)
    paths = write_reports(engine, scan_id, tmp_path / "out", findings_doc=doc)
    ws = openpyxl.load_workbook(paths["findings.xlsx"])["区教体局"]
    links = {row[5].value: row[5].hyperlink for row in ws.iter_rows(min_row=2)}
    assert set(links) == {long_url, "http://www.example.gov.cn/a.html"}
    assert links[long_url] is None
    assert links["http://www.example.gov.cn/a.html"].target == "http://www.example.gov.cn/a.html"


def test_failed_workbook_leaves_no_temporary_files(engine, tmp_path, monkeypatch):
    """A report that fails half-way through findings.xlsx leaves neither the workbook nor the
    sheets' temporary row files behind."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    scan_id = add_scan(engine, "2023-11-30")
    doc = findings_document(scan_id, "2023-11-30", [finding_record(p) for p in hostile_planted()])
    store_audit(engine, scan_id, doc)
    names = []

    def failing_sheet_name(name, taken):
        names.append(name)
        if len(names) == 2:
            raise OSError(28, "No space left on device")
        return sheet_name(name, taken)

    monkeypatch.setattr(workbook, "sheet_name", failing_sheet_name)
    out = tmp_path / "out"
    try:
        write_reports(engine, scan_id, out, findings_doc=doc)
    except GovauditError as exc:
        assert "findings.xlsx" in str(exc)
    else:
        raise AssertionError("the failed workbook was not reported")
    assert not list(scratch.iterdir())
    assert not (out / "findings.xlsx").exists() and not list(out.glob(".findings.xlsx*"))


def test_notice_docx_matches_findings(written):
    paths, docs, _ = written
    doc = docs[-1]
    d = Document(paths["通报.docx"])
    text = [p.text for p in d.paragraphs]
    assert text[0] == "济南市章丘区人民政府办公室"
    assert "关于2023年11月全区政府网站政务公开检查情况的通报" in text
    joined = "\n".join(text)
    for heading in ("一、总体情况", "二、存在的主要问题", "三、各单位问题情况", "整改要求"):
        assert heading in joined
    assert f"共发现问题{len(doc['findings'])}条" in joined
    assert "于2023年12月21日前完成整改" in joined
    assert "（一）空白栏目。经检测，共发现空白栏目" in joined
    before = {f["key"] for f in docs[-2]["findings"]}
    now = {f["key"] for f in doc["findings"]}
    assert f"本次新发现问题{len(now - before)}条，已整改{len(before - now)}条，仍未整改{len(now & before)}条" in joined
    table = d.tables[0]
    header = [c.text for c in table.rows[0].cells]
    body = {r.cells[1].text: int(r.cells[-1].text) for r in table.rows[1:-1]}
    assert header[:2] == ["序号", "单位"] and header[-1] == "合计"
    assert body == dict(Counter(unit_of(f) for f in doc["findings"]))
    assert table.rows[-1].cells[1].text == "合计" and int(table.rows[-1].cells[-1].text) == len(doc["findings"])
    assert START_URL in joined
