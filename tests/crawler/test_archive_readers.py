"""Archives and WPS files: a 名单 zipped (or rarred) is read member by member with the same readers
and bounds, a zip bomb stops at its bound having read what came before, and a WPS 表格 .et is read
by what its bytes are (BIFF or OOXML), not by its name."""
from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
import xlwt      # test-only dependency: nothing else writes BIFF .xls
from hostile_files import gbk_named_zip, id_list_xlsx, stored_rar, zip_bomb

from crawler.files import archives
from crawler.files.pool import ReaderPool
from crawler.files.readers import read_file
from sitesim.files import pdf_bytes

IDS = ["370181198001011007", "370181198001011015", "37018119800101102X"]
needs_bsdtar = pytest.mark.skipif(shutil.which("bsdtar") is None, reason="bsdtar (Debian libarchive-tools) not installed")


def _biff(sheet_name: str, rows: list) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(sheet_name)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    return out.getvalue()


def test_a_zipped_list_is_read_member_by_member_with_positions():
    data = gbk_named_zip([("附件1.xlsx", id_list_xlsx(IDS)), ("附件2.pdf", pdf_bytes([["封面"], ["李某 13812345678"]])),
                          ("说明.txt", "公示期5个工作日".encode("gbk"))])
    got = read_file(data, "名单.zip")
    assert (got["kind"], got["status"]) == ("zip", "ok")
    assert [(m["name"], m["kind"], m["status"]) for m in got["members"]] == [
        ("附件1.xlsx", "xlsx", "ok"), ("附件2.pdf", "pdf", "ok"), ("说明.txt", "txt", "ok")]
    assert ["名单", 2, 3, IDS[0], "附件1.xlsx"] in got["cells"]
    assert {"where": "第2页", "text": "李某 13812345678", "member": "附件2.pdf"} in got["parts"]
    assert {"where": "正文", "text": "公示期5个工作日", "member": "说明.txt"} in got["parts"]     # GBK text


def test_members_a_zip_cannot_give_are_listed_with_why():
    inner = _zip([("a.txt", b"x")])
    data = _zip([("嵌套.zip", inner), ("坏.xlsx", id_list_xlsx(IDS)[:300]), ("图.ofd", b"PK"), ("__MACOSX/._a", b"x"),
                 ("空目录/", b"")])
    got = read_file(data, "a.zip")
    statuses = {m["name"]: (m["status"], m["detail"]) for m in got["members"]}
    assert statuses["嵌套.zip"] == ("not_read", "an archive inside an archive is not opened")    # depth 1
    assert statuses["坏.xlsx"][0] == "corrupt" and statuses["图.ofd"][0] == "not_read"
    assert set(statuses) == {"嵌套.zip", "坏.xlsx", "图.ofd"} and got["status"] == "corrupt"
    assert read_file(b"PK\x03\x04" + b"\0" * 40, "b.zip")["status"] == "corrupt"


def test_a_password_protected_member_is_encrypted():
    data = bytearray(_zip([("名单.xlsx", b"x" * 50)]))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):                 # set the encryption flag in both headers
        at = data.index(header) + (6 if header == b"PK\x03\x04" else 8)
        data[at] |= 1
    got = read_file(bytes(data), "a.zip")
    assert got["status"] == "encrypted" and got["members"][0]["status"] == "encrypted"


def test_a_zip_bomb_stays_bounded_and_what_came_before_it_is_read(monkeypatch):
    data = zip_bomb(400, first=("名单.txt", f"张某 {IDS[0]}".encode()))
    assert len(data) < 1_000_000
    got = read_file(data, "bomb.zip")
    assert got["status"] == "ok" and got["parts"] == [{"where": "正文", "text": f"张某 {IDS[0]}", "member": "名单.txt"}]
    assert got["members"][1]["status"] == "too_large"
    # A member that says it is small and unpacks large is cut at the bound, never held whole.
    monkeypatch.setattr(archives, "MAX_MEMBER_BYTES", 1000)
    small = read_file(_zip([("a.txt", b"1" * 5000)]), "a.zip")
    assert small["members"][0]["status"] == "too_large"


def test_the_member_count_and_the_reading_time_are_bounded(monkeypatch):
    monkeypatch.setattr(archives, "MAX_MEMBERS", 2)
    got = read_file(_zip([(f"{n}.txt", b"x") for n in range(5)]), "many.zip")
    assert [m["status"] for m in got["members"]] == ["ok", "ok", "not_read"]      # the list is bounded too
    assert got["members"][2]["detail"] == "stopped: more than 2 members (2 more entries not read)"
    late = read_file(_zip([("a.txt", b"x")]), "a.zip", seconds=-1)
    assert late["members"][0]["detail"].startswith("stopped: time")


def test_the_pool_reads_a_zip_bomb_within_its_limits():
    pool = ReaderPool(size=1, memory_mb=512, wall_seconds=60, cpu_seconds=30)
    try:
        got = pool.read(zip_bomb(1000, first=("名单.xlsx", id_list_xlsx(IDS))), "名单.zip")
    finally:
        pool.close()
    assert got["status"] == "ok" and ["名单", 2, 3, IDS[0], "名单.xlsx"] in got["cells"]
    assert got["members"][1]["status"] == "too_large"


@needs_bsdtar
def test_a_rar_and_a_7z_are_read_through_libarchive(tmp_path):
    got = read_file(stored_rar([("公示名单.xlsx", id_list_xlsx(IDS)), ("readme.txt", b"contact 13812345678")]), "名单.rar")
    assert (got["kind"], got["status"]) == ("rar", "ok")
    assert ["名单", 2, 3, IDS[0], "公示名单.xlsx"] in got["cells"]
    assert {"where": "正文", "text": "contact 13812345678", "member": "readme.txt"} in got["parts"]
    assert read_file(b"Rar!\x1a\x07\x00" + b"\0" * 60, "bad.rar")["status"] == "corrupt"
    (tmp_path / "名单.xlsx").write_bytes(id_list_xlsx(IDS))
    subprocess.run(["bsdtar", "--format", "7zip", "-cf", str(tmp_path / "a.7z"), "-C", str(tmp_path), "名单.xlsx"], check=True)
    seven = read_file((tmp_path / "a.7z").read_bytes(), "a.7z")
    assert seven["kind"] == "7z" and ["名单", 2, 3, IDS[0], "名单.xlsx"] in seven["cells"]


@needs_bsdtar
def test_bsdtar_runs_inside_the_reader_process_limits():
    """The reader process's memory limit is inherited by bsdtar: a rar is still read there."""
    pool = ReaderPool(size=1, memory_mb=512, wall_seconds=60, cpu_seconds=30)
    try:
        got = pool.read(stored_rar([("名单.xlsx", id_list_xlsx(IDS))]), "名单.rar")
    finally:
        pool.close()
    assert got["status"] == "ok" and ["名单", 2, 3, IDS[0], "名单.xlsx"] in got["cells"]


def test_without_bsdtar_a_rar_is_not_read_and_says_why(monkeypatch):
    monkeypatch.setattr(archives.shutil, "which", lambda name: None)
    got = read_file(stored_rar([("a.txt", b"x")]), "a.rar")
    assert (got["status"], got["detail"]) == ("not_read", "bsdtar (Debian libarchive-tools) not installed")


def test_a_wps_spreadsheet_is_read_by_its_bytes():
    rows = [["姓名", "身份证号"], ["王某", IDS[0]]]
    biff = read_file(_biff("公示名单", rows), "名单.et")             # WPS 表格 saving BIFF8
    assert (biff["kind"], biff["status"]) == ("xls", "ok") and ["公示名单", 2, 2, IDS[0]] in biff["cells"]
    book = openpyxl.Workbook()
    book.active.title = "公示名单"
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    ooxml = read_file(out.getvalue(), "名单.et")                      # WPS 表格 saving OOXML
    assert (ooxml["kind"], ooxml["status"]) == ("xlsx", "ok") and ["公示名单", 2, 2, IDS[0]] in ooxml["cells"]
    # A BIFF workbook named .doc or .wps is a workbook all the same.
    assert read_file(_biff("表", rows), "误名.wps")["kind"] == "xls"


def test_an_ofd_is_no_archive_to_open():
    """版式文档 OFD is a zip of XML parts: there is no reader for it, and its parts are not members."""
    got = read_file(_zip([("OFD.xml", b"<ofd:OFD/>"), ("Doc_0/Document.xml", b"<x/>")]), "年报.ofd")
    assert (got["kind"], got["status"]) == ("ofd", "not_read") and "members" not in got


def test_a_csv_is_read_as_a_sheet_named_after_it():
    got = read_file("姓名,身份证号\n王某,370181198001011007\n".encode("gbk"), "公示名单.csv")
    assert got["status"] == "ok" and ["公示名单", 2, 2, IDS[0]] in got["cells"]
