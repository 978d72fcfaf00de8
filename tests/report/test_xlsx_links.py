"""findings.xlsx's links kept compactly until the workbook is closed (govaudit.report.xlsxlinks)."""
import tracemalloc
import zipfile

import openpyxl
import pytest
import xlsxwriter

from govaudit.report.xlsxlinks import CompactLinks, compact_links

LINKS = [(1, 2, "https://www.example.gov.cn/zwgk/a.html", None),
         (2, 2, "https://www.example.gov.cn/zwgk/b.html?id=1&x=[2]", "文件b"),     # escaped in the rels
         (2, 4, "http://www.example.gov.cn/c%20d.pdf", None),                       # already escaped
         (5, 2, "https://www.example.gov.cn/e.html#part", "锚点")]


def _book(path, compact: bool):
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": None})
    sheet = book.add_worksheet("单位")
    if compact:
        compact_links(sheet)
        assert isinstance(sheet.hyperlinks, CompactLinks)
    for row, col, url, text in LINKS:
        assert sheet.write_url(row, col, url, string=text) == 0
    sheet.write_string(6, 0, "其后一行")
    book.close()


def test_the_compact_store_writes_xlsxwriters_own_sheet_and_relationships(tmp_path):
    _book(tmp_path / "own.xlsx", compact=False)
    _book(tmp_path / "compact.xlsx", compact=True)
    with zipfile.ZipFile(tmp_path / "own.xlsx") as own, zipfile.ZipFile(tmp_path / "compact.xlsx") as compact:
        names = [n for n in own.namelist() if n != "docProps/core.xml"]
        assert "xl/worksheets/_rels/sheet1.xml.rels" in names
        for name in names:
            assert compact.read(name) == own.read(name), name
    cells = openpyxl.load_workbook(tmp_path / "compact.xlsx")["单位"]
    for row, col, url, text in LINKS:
        cell = cells.cell(row + 1, col + 1)
        assert cell.value == (text or url)
        assert cell.hyperlink.target.split("#")[0] in (url.split("#")[0], url.replace("[", "%5b").replace("]", "%5d"))


def test_links_are_added_in_row_and_column_order():
    book = xlsxwriter.Workbook("unused.xlsx", {"in_memory": True})
    sheet = compact_links(book.add_worksheet())
    sheet.write_url(3, 1, "https://www.example.gov.cn/a.html")
    with pytest.raises(ValueError, match="row and column order"):
        sheet.write_url(2, 1, "https://www.example.gov.cn/b.html")


def _held_per_link(path, compact: bool, n: int = 20_000) -> float:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "tmpdir": str(path.parent)})
    sheet = book.add_worksheet()
    if compact:
        compact_links(sheet)
    urls = [f"https://www.example.gov.cn/zwgk/{i:06d}/t2023_{i}.html" for i in range(1, n + 1)]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i, url in enumerate(urls, start=1):
            sheet.write_url(i, 3, url, string=url)
        return (tracemalloc.get_traced_memory()[0] - before) / n
    finally:
        tracemalloc.stop()
        book.close()


def test_a_link_held_until_close_costs_a_fraction_of_xlsxwriters_own(tmp_path):
    # The addresses are held by the caller here: what is measured is the store's own cost.
    own = _held_per_link(tmp_path / "own.xlsx", compact=False)
    compact = _held_per_link(tmp_path / "compact.xlsx", compact=True)
    assert own > 350 and compact < 60, (own, compact)
