"""findings.xlsx, the 整改清单: a 汇总 sheet (单位 × 问题类型), then one sheet per unit."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from govaudit.report.context import Report
from govaudit.report.evidence import evidence_line
from govaudit.report.output import atomic_path
from govaudit.report.safety import http_url, xml_text

SUMMARY_SHEET = "汇总"
LIST_COLUMNS = ["序号", "单位", "栏目", "问题类型", "问题描述", "链接", "发现日期", "整改时限", "状态", "证据"]
WIDE_COLUMNS = {"问题描述": 60, "链接": 50, "栏目": 24, "单位": 22, "证据": 60}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOP_WRAP = Alignment(vertical="top", wrap_text=True)


def _named_styles() -> dict[str, NamedStyle]:
    """Body, date and link cell styles, registered once per workbook: assigning a named style
    is far cheaper than setting border and alignment cell by cell."""
    return {
        "ga_body": NamedStyle("ga_body", border=BORDER, alignment=TOP_WRAP),
        "ga_date": NamedStyle("ga_date", border=BORDER, alignment=TOP_WRAP, number_format="yyyy-mm-dd"),
        "ga_link": NamedStyle("ga_link", border=BORDER, alignment=TOP_WRAP, font=Font(color="0563C1", underline="single")),
    }


def sheet_name(name: str, taken: set[str]) -> str:
    """Excel-safe (no []:*?/\\, ≤31 characters, not blank) and unique within the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", "_", xml_text(str(name))).strip("' ") or "未命名单位"
    candidate, n = base[:31], 1
    while candidate.lower() in {t.lower() for t in taken}:
        n += 1
        suffix = f"({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


def _display_width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _date(iso: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(str(iso)[:10])
    except ValueError:
        return iso


def rectification_list(report: Report, unit: str | None = None) -> pd.DataFrame:
    """The 整改清单 rows (all units, or one)."""
    frame = report.findings if unit is None else report.findings[report.findings["unit"] == unit]
    problem_type = frame["check_name"] + frame["field"].map(lambda f: f"（{f}）" if f else "")
    table = pd.DataFrame({
        "序号": range(1, len(frame) + 1),
        "单位": frame["unit"].values,
        "栏目": frame["column"].values,
        "问题类型": problem_type.values,
        "问题描述": frame["message"].values,
        "链接": frame["url"].values,
        "发现日期": frame["found_on"].map(_date).values,
        "整改时限": frame["deadline"].map(_date).values,
        "状态": frame["status"].values,
        "证据": frame["evidence_items"].map(evidence_line).values,
    })
    return table[LIST_COLUMNS].map(xml_text)


def summary_table(report: Report) -> pd.DataFrame:
    table = report.unit_check_table.copy()
    table.loc["合计"] = table.sum()
    table = table.reset_index()
    table.columns = [xml_text(c) for c in table.columns]
    return table.map(xml_text)


def _setup(ws, frame: pd.DataFrame) -> None:
    """Widths, frozen header row, filters and print settings, set before any row is written (a
    write-only sheet writes its column widths first); page content stays text."""
    ws.freeze_panes = "A2"
    if len(frame):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    for i, name in enumerate(frame.columns, start=1):
        widest = max([_display_width(name)] + [_display_width(v) for v in frame[name].head(500)])
        ws.column_dimensions[get_column_letter(i)].width = min(max(widest + 2, 6), WIDE_COLUMNS.get(name, 16))
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _header(ws, names) -> list[WriteOnlyCell]:
    out = []
    for name in names:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        out.append(cell)
    return out


def _body(ws, value, link: bool = False) -> WriteOnlyCell:
    """One styled body cell: a date, a link (only http(s) URLs) or text and numbers."""
    cell = WriteOnlyCell(ws, value="" if value is None else value)
    if cell.data_type == "f":  # a page title starting with "=" is text, never a formula
        cell.data_type = "s"
    cell.style = "ga_date" if isinstance(value, (dt.date, dt.datetime)) else "ga_body"
    href = http_url(value) if link else None
    if href:
        cell.hyperlink = href
        cell.style = "ga_link"
    return cell


def _write_table(ws, frame: pd.DataFrame, link_column: str | None = None) -> None:
    """The frame as rows by hand (pandas' to_excel needs the whole sheet in memory)."""
    _setup(ws, frame)
    ws.append(_header(ws, frame.columns))
    link = frame.columns.get_loc(link_column) if link_column else -1
    for values in frame.itertuples(index=False, name=None):
        ws.append([_body(ws, v, i == link) for i, v in enumerate(values)])


def write_workbook(report: Report, path: Path) -> Path:
    """Written in openpyxl's write-only mode, a row at a time: the in-memory workbook held every
    cell of every unit's sheet (about a kilobyte each) and was 15 % of a 10⁵-document audit."""
    taken = {SUMMARY_SHEET}
    book = Workbook(write_only=True)
    for style in _named_styles().values():
        book.add_named_style(style)
    summary = summary_table(report)
    ws = book.create_sheet(SUMMARY_SHEET)
    _write_table(ws, summary)
    notes = [report.title, f"检查对象：{report.site}（{report.start_url}）",
             *([f"检查范围：仅{report.scope_line}"] if report.scope_line else []),
             f"统计截止日期：{report.as_of.isoformat()}；整改时限：{report.deadline.isoformat()}"
             f"（{report.settings['rectification_working_days']}个工作日）",
             f"检查结论：{report.verdict['result']}"
             + (f"（原因：{report.verdict['reason']}）" if report.verdict["unassessable"] else "")]
    if report.partial:
        notes.append(f"说明：{report.partial}，本表各项数量均为部分统计（未完成）")
    if report.tasks_omitted:
        notes.append(f"任务分工对照：{report.tasks_omitted}")
    ws.append([])
    for note in notes:
        ws.append([xml_text(note)])
    for unit in report.unit_check_table.index:
        rows = rectification_list(report, unit)
        _write_table(book.create_sheet(sheet_name(unit, taken)), rows, link_column="链接")
    with atomic_path(path) as tmp:
        book.save(tmp)
    return path
