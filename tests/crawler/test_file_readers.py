"""The attachment readers and their child process: each format read with positions, damaged
files named for what they are, and the limits (wall clock, CPU, memory) ending a bad file as a
recorded failure while the pool goes on with a fresh worker."""
from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
import xlwt      # test-only dependency: nothing else writes BIFF .xls
from hostile_files import busy_pdf, zip_bomb_docx

from crawler.files.pool import ReaderPool
from crawler.files.readers import read_file
from sitesim.files import docx_bytes, encrypted, pdf_bytes, xlsx_bytes


@pytest.fixture(scope="module")
def pool():
    p = ReaderPool(size=1, wall_seconds=30, cpu_seconds=20)
    yield p
    p.close()


def test_pdf_pages_docx_tables_and_sheet_cells_keep_their_positions(pool):
    pdf = pool.read(pdf_bytes([["封面"], ["张某 370181198001011007"]]), "a.pdf")
    assert pdf["status"] == "ok" and pdf["pages"] == 2
    assert pdf["parts"][1] == {"where": "第2页", "text": "张某 370181198001011007"}
    doc = pool.read(docx_bytes(["正文一段"], [["姓名", "电话"], ["李某", "13812345678"]]), "b.docx")
    assert [p["where"] for p in doc["parts"]] == ["正文", "表格1"] and "13812345678" in doc["parts"][1]["text"]
    sheet = pool.read(xlsx_bytes([("名单", [["姓名", "身份证号", "电话"], ["王某", "370181198001011007", 13812345678]])]),
                      "c.xlsx")
    assert ["名单", 2, 2, "370181198001011007"] in sheet["cells"]
    assert ["名单", 2, 3, "13812345678"] in sheet["cells"]      # a number cell shows without ".0"
    assert sheet["cpu_seconds"] >= 0


def test_a_reader_reads_spreadsheets_without_numpy_in_its_memory():
    """openpyxl imports numpy where it finds it (14 MB of a reader's memory); a reader has no use
    for it, and reads a sheet's numbers all the same."""
    p = ReaderPool(size=1, wall_seconds=30, cpu_seconds=20)
    try:
        sheet = p.read(xlsx_bytes([("名单", [["姓名", "电话"], ["王某", 13812345678], ["李某", 2.5]])]), "c.xlsx")
        assert ["名单", 2, 2, "13812345678"] in sheet["cells"] and ["名单", 3, 2, "2.5"] in sheet["cells"]
        (worker,) = p.idle
        mapped = Path(f"/proc/{worker.proc.pid}/maps").read_text()
        assert "/numpy" not in mapped and "_multiarray_umath" not in mapped
    finally:
        p.close()


def test_damaged_files_are_named_for_what_they_are(pool):
    good = pdf_bytes([["内容"]])
    assert pool.read(encrypted(good), "e.pdf")["status"] == "encrypted"
    assert pool.read(pdf_bytes([[]], image=True), "s.pdf")["status"] == "no_text"
    assert pool.read("<!DOCTYPE html><html><body>请登录</body></html>".encode(), "h.pdf", "text/html")["status"] == "html"
    assert pool.read(docx_bytes(["x"], [])[:200], "c.docx")["status"] == "corrupt"
    assert pool.read(zip_bomb_docx(), "bomb.docx")["status"] == "too_large"


def test_legacy_xls_sheet_cells_keep_their_positions():
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("公示名单")
    for r, row in enumerate([["姓名", "身份证号", "电话"], ["王某", "370181198001011007", 13812345678.0]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    got = read_file(out.getvalue(), "名单.xls")
    assert got["status"] == "ok" and got["kind"] == "xls"
    assert ["公示名单", 2, 2, "370181198001011007"] in got["cells"]
    assert ["公示名单", 2, 3, "13812345678"] in got["cells"]       # a number cell shows without ".0"
    assert read_file(out.getvalue()[:300], "坏.xls")["status"] == "corrupt"


def test_odt_is_read_and_legacy_word_without_antiword_is_not_read():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                   'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
                   '<text:p>第一段</text:p><text:p>第二段</text:p></office:text></office:body></office:document-content>')
    assert read_file(out.getvalue(), "a.odt")["parts"] == [{"where": "正文", "text": "第一段\n第二段"}]
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    if shutil.which("antiword") is None:
        assert read_file(ole, "a.doc")["status"] == "not_read"
        assert read_file(ole, "a.wps")["status"] == "not_read"


def test_a_reader_left_larger_than_the_recycle_size_is_replaced_and_a_small_one_kept():
    files = [(pdf_bytes([["正文"]]), "a.pdf"), (docx_bytes(["正文一段"], [["甲", "乙"]]), "b.docx")]
    kept = ReaderPool(size=1, wall_seconds=30, cpu_seconds=20, recycle_mb=10_000)
    small = ReaderPool(size=1, wall_seconds=30, cpu_seconds=20, recycle_mb=1)     # any reader is larger
    try:
        for data, name in files * 2:
            answer = kept.read(data, name)
            assert answer["status"] == "ok" and answer["rss_mb"] > 10      # an interpreter and its readers
            assert small.read(data, name)["status"] == "ok"                # read, then the reader goes
        assert (kept.started, kept.recycled) == (1, 0)
        assert (small.started, small.recycled) == (4, 4)
        assert not small.idle
    finally:
        kept.close()
        small.close()


def test_a_reader_stays_its_size_over_many_files():
    """python-docx and openpyxl leave each file's parse trees in reference cycles.  Collected and
    handed back after every file, they leave a reader as large as it was after its first files;
    left to the collector's own pace, the reader had grown by 6 MB after 120 of these."""
    doc = docx_bytes([f"第{i}段 正文内容" * 20 for i in range(300)], [[f"甲{i}", f"乙{i}", "丙"] for i in range(100)])
    sheet = xlsx_bytes([("名单", [[f"姓名{i}", "370181198001011007", i] for i in range(2000)])])
    p = ReaderPool(size=1, wall_seconds=60, cpu_seconds=30, recycle_mb=10_000)
    try:
        sizes = [p.read(data, name)["rss_mb"] for data, name in [(doc, "a.docx"), (sheet, "b.xlsx")] * 60]
        assert p.started == 1 and p.recycled == 0
        assert max(sizes[6:]) - sizes[5] < 3, sizes
    finally:
        p.close()


def test_the_wall_clock_limit_kills_the_worker_and_the_pool_goes_on():
    p = ReaderPool(size=1, wall_seconds=0.2, cpu_seconds=20)
    try:
        # Seconds of parsing, whatever the machine: a deeply nested PDF may fail as corrupt sooner.
        assert p.read(busy_pdf(), "busy.pdf")["status"] == "timeout"
        p.wall_seconds = 30
        assert p.read(pdf_bytes([["正常"]]), "ok.pdf")["status"] == "ok"
        assert p.started == 2
    finally:
        p.close()


@pytest.mark.slow
def test_memory_and_cpu_limits_end_a_file_as_a_recorded_failure():
    """A zip bomb under the declared-size check (250 MB of XML) against a 300 MB address space, and
    a PDF of two million text operators against 1 s of CPU; then the pool reads on."""
    p = ReaderPool(size=1, memory_mb=300, wall_seconds=120, cpu_seconds=1)
    try:
        assert p.read(zip_bomb_docx(250), "bomb.docx")["status"] == "memory"
        assert p.read(busy_pdf(), "busy.pdf")["status"] == "cpu_limit"
        p.cpu_seconds = 20
        assert p.read(pdf_bytes([["正常"]]), "ok.pdf")["status"] == "ok"
        assert p.started == 3
    finally:
        p.close()
