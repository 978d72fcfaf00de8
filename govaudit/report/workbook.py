"""findings.xlsx, the 整改清单: a 汇总 sheet (单位 × 问题类型), then one sheet per unit.

Written with XlsxWriter in constant-memory mode, a row at a time straight to XML: at 10⁵
documents (27,000 findings, 270,000 styled cells) openpyxl's write-only mode took 15–17 s of CPU
for the workbook, XlsxWriter 6–7.5 s (docs/performance.md).
"""
from __future__ import annotations

import datetime as dt
import itertools
import math
import numbers
import re
import tempfile
import unicodedata
import warnings
from pathlib import Path
from typing import Iterator

import pandas as pd
import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from govaudit.report.context import Report
from govaudit.report.evidence import evidence_line
from govaudit.report.output import atomic_path
from govaudit.report.safety import http_url, xml_text
from govaudit.report.stream import details
from govaudit.report.xlsxlinks import compact_links

SUMMARY_SHEET = "汇总"
LIST_COLUMNS = ["序号", "单位", "栏目", "问题类型", "问题描述", "链接", "发现日期", "整改时限", "状态", "证据"]
WIDE_COLUMNS = {"问题描述": 60, "链接": 50, "栏目": 24, "单位": 22, "证据": 60}
WIDTH_SAMPLE = 500      # rows read for a column's width
_CELL = {"border": 1, "border_color": "#BFBFBF", "valign": "top", "text_wrap": True}
FORMATS = {
    "header": {"bold": True, "pattern": 1, "bg_color": "#DDEBF7", "align": "center", "valign": "vcenter",
               "text_wrap": True},
    "body": _CELL,
    "date": {**_CELL, "num_format": "yyyy-mm-dd"},
    "link": {**_CELL, "font_color": "#0563C1", "underline": 1},
}
PAPER_A4 = 9


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
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_width(name: str, values) -> int:
    """Characters of the widest of the header and the first WIDTH_SAMPLE values (CJK counted
    twice), plus 2, between 6 and the column's cap.  A value at least ``len`` and at most
    ``2 × len`` wide is only measured when it could change the answer."""
    cap = WIDE_COLUMNS.get(name, 16)
    widest = _display_width(name)
    for value in values:
        text = "" if value is None else str(value)
        if len(text) + 2 >= cap:
            return cap
        if 2 * len(text) > widest:
            widest = max(widest, _display_width(text))
    return min(max(widest + 2, 6), cap)


def _date(iso: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(str(iso)[:10])
    except ValueError:
        return iso


def rectification_list(frame: pd.DataFrame, start: int = 1) -> pd.DataFrame:
    """The 整改清单 rows of the findings of ``frame`` (whole rows: stream.details), numbered from
    ``start``."""
    problem_type = frame["check_name"] + frame["field"].map(lambda f: f"（{f}）" if f else "")
    table = pd.DataFrame({
        "序号": range(start, start + len(frame)),
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


def unit_list(report: Report, positions) -> tuple[pd.DataFrame, Iterator[pd.DataFrame]]:
    """One unit's 整改清单 (its findings at ``positions`` of ``report.findings``): its first
    WIDTH_SAMPLE rows, the ones the column widths are measured on, then the rest a batch at a time."""
    batches = details(report, positions, batch=WIDTH_SAMPLE)
    first = next(batches)       # a unit of the 汇总 has findings

    def rest():
        start = len(first) + 1
        for frame in batches:
            yield rectification_list(frame, start)
            start += len(frame)
    return rectification_list(first), rest()


def summary_table(report: Report) -> pd.DataFrame:
    table = report.unit_check_table.copy()
    table.loc["合计"] = table.sum()
    table = table.reset_index()
    table.columns = [xml_text(c) for c in table.columns]
    return table.map(xml_text)


def _setup(ws, frame: pd.DataFrame, rows: int) -> None:
    """Widths (from ``frame``, the first rows), frozen header row, filters over all ``rows`` and
    print settings; page content stays text."""
    ws.freeze_panes(1, 0)
    if rows:
        ws.autofilter(0, 0, rows, len(frame.columns) - 1)
    for i, name in enumerate(frame.columns):
        ws.set_column(i, i, column_width(name, frame[name].head(WIDTH_SAMPLE)))
    ws.repeat_rows(0)
    ws.set_landscape()
    ws.set_paper(PAPER_A4)
    ws.fit_to_pages(1, 0)


def _write_value(ws, row: int, col: int, value, formats: dict) -> None:
    """One body cell: a date, a number, or text (a page title starting with "=" stays text);
    nothing but its borders when empty."""
    if value is None or value == "":
        ws.write_blank(row, col, None, formats["body"])
    elif isinstance(value, str):
        ws.write_string(row, col, value, formats["body"])
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, formats["body"])
    elif isinstance(value, (dt.date, dt.datetime)):
        ws.write_datetime(row, col, value, formats["date"])
    elif isinstance(value, numbers.Real) and math.isfinite(value):
        ws.write_number(row, col, value, formats["body"])
    else:
        ws.write_string(row, col, str(value), formats["body"])


def _write_table(ws, frame: pd.DataFrame, formats: dict, link_column: str | None = None, more=(),
                 rows: int | None = None) -> None:
    """The frame, then the frames of ``more`` (``rows`` in all), as rows: a header, then styled
    body cells; only http(s) URLs become links.  Excel keeps at most 65,530 links on a sheet and
    none over 2,079 characters: beyond that the address stays as text."""
    _setup(ws, frame, len(frame) if rows is None else rows)
    for col, name in enumerate(frame.columns):
        ws.write_string(0, col, name, formats["header"])
    link = frame.columns.get_loc(link_column) if link_column else -1
    row = 1
    for part in itertools.chain([frame], more):
        for values in part.itertuples(index=False, name=None):
            for col, value in enumerate(values):
                href = http_url(value) if col == link else None
                if href and ws.write_url(row, col, href, formats["link"], string=value) == 0:
                    continue
                _write_value(ws, row, col, value, formats)
            row += 1


def _notes(report: Report) -> list[str]:
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
    return [xml_text(note) for note in notes]


def write_workbook(report: Report, path: Path) -> Path:
    """Streamed a row at a time (XlsxWriter's constant_memory mode keeps one row in memory)."""
    taken = {SUMMARY_SHEET}
    # XlsxWriter keeps each sheet's rows in a temporary file until close(): in a directory of
    # our own, removed even when the report fails half-way.
    with atomic_path(path) as tmp, tempfile.TemporaryDirectory(prefix="govaudit-xlsx-") as scratch, \
            warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Ignoring URL", UserWarning)   # kept as text: _write_table
        book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "tmpdir": scratch})
        formats = {name: book.add_format(spec) for name, spec in FORMATS.items()}
        summary = summary_table(report)
        ws = book.add_worksheet(SUMMARY_SHEET)
        _write_table(ws, summary, formats)
        for i, note in enumerate(_notes(report), start=len(summary) + 2):   # after one empty row
            ws.write_string(i, 0, note)
        # Each unit's rows found in one pass: one comparison of every finding per unit was a
        # second of the report at 10⁵ documents (126 units, 27,000 findings).
        positions = report.findings.groupby("unit", sort=False, dropna=False).indices
        for unit in report.unit_check_table.index:
            mine = positions.get(unit, [])
            first, rest = unit_list(report, mine)
            # Each sheet's links are held until close(): compactly (xlsxlinks).
            _write_table(compact_links(book.add_worksheet(sheet_name(unit, taken))), first, formats,
                         link_column="链接", more=rest, rows=len(mine))
        try:
            book.close()
        except FileCreateError as exc:      # XlsxWriter wraps the OSError of a full disk
            raise (exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))) from None
    return path
