"""findings.xlsx, the 整改清单: a 汇总 sheet (单位 × 问题类型), then one sheet per unit."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pandas as pd
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

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


def _format(ws, frame: pd.DataFrame) -> None:
    """Header style, frozen header row, filters, widths; page content stays text."""
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":  # a page title starting with "=" is text, never a formula
                cell.data_type = "s"
            cell.style = "ga_date" if isinstance(cell.value, (dt.date, dt.datetime)) else "ga_body"
    for i, name in enumerate(frame.columns, start=1):
        widest = max([_display_width(name)] + [_display_width(v) for v in frame[name].head(500)])
        ws.column_dimensions[get_column_letter(i)].width = min(max(widest + 2, 6), WIDE_COLUMNS.get(name, 16))
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _hyperlinks(ws, frame: pd.DataFrame) -> None:
    col = frame.columns.get_loc("链接") + 1
    for row in range(2, ws.max_row + 1):
        cell = ws.cell(row=row, column=col)
        href = http_url(cell.value)
        if href:
            cell.hyperlink = href
            cell.style = "ga_link"


def write_workbook(report: Report, path: Path) -> Path:
    taken = {SUMMARY_SHEET}
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for style in _named_styles().values():
                writer.book.add_named_style(style)
            summary = summary_table(report)
            summary.to_excel(writer, sheet_name=SUMMARY_SHEET, index=False)
            _format(writer.sheets[SUMMARY_SHEET], summary)
            ws = writer.sheets[SUMMARY_SHEET]
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
            first = ws.max_row + 2
            for i, note in enumerate(notes):
                ws.cell(row=first + i, column=1, value=xml_text(note))
            for unit in report.unit_check_table.index:
                rows = rectification_list(report, unit)
                name = sheet_name(unit, taken)
                rows.to_excel(writer, sheet_name=name, index=False)
                _format(writer.sheets[name], rows)
                _hyperlinks(writer.sheets[name], rows)
    return path
