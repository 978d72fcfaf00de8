"""Attachments over real HTTP: a document links ordinary and hostile files (a 1 GB Content-Length,
a zip bomb, a deeply nested PDF, an endless page tree, a missing file).  Each file ends as a
recorded fact within its limits, the scan goes on, the GET of a file is also its link check, and a
re-scan asks conditionally and reads nothing twice."""
from __future__ import annotations

import time

import pytest
from crawler_helpers import FAST, crawl_into
from fixture_site import Answer, FixtureSite
from hostile_files import deep_pdf, id_list_xlsx, looping_pdf, zip_bomb_docx
from sqlalchemy import func, select

from crawler.settings import settings_from_profile
from govaudit.core import storage
from govaudit.core.errors import GovauditError
from govaudit.core.profile import validate_profile

IDS = ["370181198001011007", "370181198001011015", "37018119800101102X"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PATHS = ["/files/list.xlsx", "/files/bomb.docx", "/files/deep.pdf", "/files/loop.pdf", "/files/huge.pdf",
         "/files/missing.pdf"]


def files() -> dict:
    return {
        "/files/list.xlsx": Answer(id_list_xlsx(IDS), content_type=XLSX),
        "/files/bomb.docx": Answer(zip_bomb_docx(), content_type=DOCX),
        "/files/deep.pdf": Answer(deep_pdf(), content_type="application/pdf"),
        "/files/loop.pdf": Answer(looping_pdf(), content_type="application/pdf"),
        # Announces 1 GB, sends 9 bytes: the crawler must give up on the header alone.
        "/files/huge.pdf": Answer(b"%PDF-1.4\n", content_type="application/pdf", length=1024 ** 3),
    }
HOME = """<html><head><title>某区人民政府</title></head><body>
<div class="nav"><ul><li><a href="/col/tzgg/">通知公告</a></li></ul></div></body></html>"""
LIST = """<html><head><title>通知公告</title></head><body>
<div class="nav"><ul><li><a href="/col/tzgg/">通知公告</a></li></ul></div><h2>通知公告</h2>
<ul class="list"><li><a href="/col/tzgg/doc1.html" title="关于公示名单的通知">关于公示名单的通知</a><span>2023-10-09</span></li>
</ul></body></html>"""
DOC = """<html><head><title>关于公示名单的通知</title></head><body><h1>关于公示名单的通知</h1>
<table class="xxgk"><tr><td>索 引 号：</td><td>11370181004205062T/2023-0000001</td><td>发布机构：</td><td>区民政局</td></tr>
<tr><td>发布日期：</td><td>2023-10-09</td><td>主题分类：</td><td>民政</td></tr></table>
<div id="zoom"><p>现将有关名单予以公示，公示期为5个工作日。如有异议，请在公示期内向区民政局反映。</p>
<p>附件：{links}</p></div></body></html>"""


@pytest.fixture(scope="module")
def site():
    links = " ".join(f'<a href="{path}">{path.rsplit("/", 1)[1]}</a>' for path in PATHS)
    s = FixtureSite({"/": Answer(HOME), "/col/tzgg/": Answer(LIST), "/col/tzgg/doc1.html": Answer(DOC.format(links=links)),
                     **files()})
    yield s
    s.stop()


@pytest.fixture(scope="module")
def scans(site, tmp_path_factory):
    """(first scan, seconds it took, re-scan): the same database, so the second is a re-scan."""
    original = dict(site.pages)
    work = tmp_path_factory.mktemp("attachments")
    started = time.monotonic()
    first = crawl_into(work, site.url, settings={**FAST, "GOVAUDIT_READER_TIMEOUT": 20, "GOVAUDIT_READER_CPU_SECONDS": 10})
    took = time.monotonic() - started
    site.requests.clear()
    # The document is edited (its files are not): asked again, it links the same files.
    doc = site.pages["/col/tzgg/doc1.html"]
    site.pages["/col/tzgg/doc1.html"] = Answer(doc.payload().replace("公示期为5个工作日".encode(), "公示期为7个工作日".encode()))
    second = crawl_into(work, site.url, settings={**FAST, "GOVAUDIT_RECHECK_DOCUMENTS_AFTER_DAYS": 0})
    site.pages = original
    return first, took, second


def _files(scan) -> dict:
    rows = {r["url"].rsplit("/", 1)[1]: dict(r) for r in scan.rows(storage.attachment)}
    with scan.engine.connect() as conn:
        texts = {r.sha256: r for r in conn.execute(select(storage.attachment_text))}
    for r in rows.values():
        r["text"] = texts.get(r["sha256"])
    return rows


def test_every_hostile_file_ends_as_a_recorded_fact_and_the_scan_goes_on(scans):
    first, took, _ = scans
    assert first.scan["status"] == "complete"
    assert took < 120, "each file is bounded by its limits (20 s wall, 10 s CPU, 512 MB)"
    files = _files(first)
    assert files["huge.pdf"]["outcome"] == "too_large" and files["huge.pdf"]["sha256"] is None
    assert files["bomb.docx"]["text"].status == "too_large"
    assert files["deep.pdf"]["text"].status == "corrupt"
    assert files["loop.pdf"]["text"].status == "corrupt"
    assert files["missing.pdf"]["status"] == 404
    listed = files["list.xlsx"]["text"]
    assert listed.status == "ok" and ["名单", 2, 3, IDS[0]] in listed.cells
    assert files["list.xlsx"]["document_url"].endswith("/col/tzgg/doc1.html")


def test_the_get_of_a_file_is_its_link_check(site, scans):
    first, _, _ = scans
    links = first.by_url(storage.link)
    xlsx = links[site.url + "files/list.xlsx"]
    assert (xlsx["status"], xlsx["method"], xlsx["is_attachment"]) == (200, "GET", True)
    assert links[site.url + "files/missing.pdf"]["outcome"] == "http_4xx"
    # A file over the cap answered its headers and was not downloaded; nobody asks for it again.
    assert links[site.url + "files/huge.pdf"]["outcome"] == "ok"
    assert [m for m, p, _ in site.requests if p == "/files/huge.pdf"] == ["GET"]


def test_a_rescan_asks_conditionally_and_reads_nothing_twice(site, scans):
    first, _, second = scans
    asked = [(m, p, h) for m, p, h in site.requests if p == "/files/list.xlsx"]
    assert [m for m, _, _ in asked] == ["GET"] and asked[0][2].get("If-None-Match")     # answered 304
    again = _files(second)
    assert second.by_url(storage.link)[site.url + "files/list.xlsx"]["status"] == 304
    assert again["list.xlsx"]["sha256"] == _files(first)["list.xlsx"]["sha256"]
    with second.engine.connect() as conn:
        texts = conn.execute(select(func.count()).select_from(storage.attachment_text)).scalar()
    assert texts == len({r["sha256"] for r in _files(first).values() if r["sha256"]})


def test_the_scan_budget_lists_the_files_it_cannot_afford(tmp_path):
    pdf = b"%PDF-1.4\n" + b"0" * 4000
    links = '<a href="/files/a.pdf">a.pdf</a> <a href="/files/b.pdf">b.pdf</a>'
    site = FixtureSite({"/": Answer(HOME), "/col/tzgg/": Answer(LIST), "/col/tzgg/doc1.html": Answer(DOC.format(links=links)),
                        "/files/a.pdf": Answer(pdf, content_type="application/pdf"),
                        "/files/b.pdf": Answer(pdf, content_type="application/pdf")})
    try:
        scan = crawl_into(tmp_path, site.url, settings={**FAST, "CONCURRENT_REQUESTS": 1, "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
                                                        "GOVAUDIT_ATTACHMENT_TOTAL_BYTES": 5000})
    finally:
        site.stop()
    outcomes = sorted(r["outcome"] for r in scan.rows(storage.attachment))
    assert outcomes == ["fetched", "over_total"]
    assert scan.scan["stats"]["attachments_not_fetched"] == 1


def test_the_limits_are_profile_keys():
    profile = validate_profile({"start_urls": ["http://www.example.gov.cn/"],
                                "attachments": {"max_file_mb": 5, "max_total_mb": 100, "reader_memory_mb": 256,
                                                "reader_timeout": 20, "reader_recycle_mb": 80, "enabled": True}})
    settings = settings_from_profile(profile)
    assert settings["GOVAUDIT_ATTACHMENT_MAX_BYTES"] == 5 * 1024 * 1024
    assert settings["GOVAUDIT_ATTACHMENT_TOTAL_BYTES"] == 100 * 1024 * 1024
    assert (settings["GOVAUDIT_READER_MEMORY_MB"], settings["GOVAUDIT_READER_TIMEOUT"]) == (256, 20)
    assert settings["GOVAUDIT_READER_RECYCLE_MB"] == 80
    for bad in ({"max_file_mb": 0}, {"reader_recycle_mb": 0}, {"reader_recycle_mb": "big"}):
        with pytest.raises(GovauditError):
            validate_profile({"start_urls": ["http://www.example.gov.cn/"], "attachments": bad})


def test_a_file_shown_through_a_viewer_or_embed_is_fetched_and_read(tmp_path):
    """A document that shows its list in pdf.js (viewer.html?file=…) or in <embed>, with no link to
    the file: the file is still the document's attachment, fetched and read."""
    body = ('<iframe src="/pdfjs/web/viewer.html?file=/files/shown.xlsx" width="100%"></iframe>'
            '<embed src="/files/embedded.xlsx" type="application/vnd.ms-excel">')
    site = FixtureSite({"/": Answer(HOME), "/col/tzgg/": Answer(LIST),
                        "/col/tzgg/doc1.html": Answer(DOC.replace("<p>附件：{links}</p>", body)),
                        "/pdfjs/web/viewer.html": Answer("<html><body><div id=viewer></div></body></html>"),
                        "/files/shown.xlsx": Answer(id_list_xlsx(IDS), content_type=XLSX),
                        "/files/embedded.xlsx": Answer(id_list_xlsx(IDS[:1]), content_type=XLSX)})
    try:
        # Every reader is larger than 1 MB: each file is read by a reader of its own.
        scan = crawl_into(tmp_path, site.url, settings={**FAST, "GOVAUDIT_READER_RECYCLE_MB": 1})
    finally:
        site.stop()
    files = _files(scan)
    assert files["shown.xlsx"]["document_url"].endswith("/col/tzgg/doc1.html")
    assert ["名单", 2, 3, IDS[0]] in files["shown.xlsx"]["text"].cells
    assert files["embedded.xlsx"]["text"].status == "ok"
    stats = scan.scan["stats"]
    assert stats["attachments_read"] == stats["readers_started"] == stats["readers_recycled"] == 2


def test_the_same_file_at_two_addresses_is_read_once(tmp_path):
    """Units often attach one file to several documents, or link it twice: its contents are read
    once (the crawl keeps the digests it has read) and both attachments point to that text."""
    body = '<a href="/files/a.xlsx">名单</a> <a href="/upload/copy-of-a.xlsx">名单（副本）</a>'
    # One workbook's bytes at both addresses: two saves a second apart differ in their timestamps.
    same = id_list_xlsx(IDS)
    site = FixtureSite({"/": Answer(HOME), "/col/tzgg/": Answer(LIST),
                        "/col/tzgg/doc1.html": Answer(DOC.format(links=body)),
                        "/files/a.xlsx": Answer(same, content_type=XLSX),
                        "/upload/copy-of-a.xlsx": Answer(same, content_type=XLSX)})
    try:
        scan = crawl_into(tmp_path, site.url, settings=FAST)
    finally:
        site.stop()
    files = _files(scan)
    assert files["a.xlsx"]["sha256"] == files["copy-of-a.xlsx"]["sha256"]
    assert ["名单", 2, 3, IDS[0]] in files["copy-of-a.xlsx"]["text"].cells
    assert scan.scan["stats"]["attachments"] == 2 and scan.scan["stats"]["attachments_read"] == 1


def _xls_with(ids: list[str]) -> bytes:
    """A legacy Excel (OLE2/BIFF8) list, as 公示 pages attach it."""
    import io

    import xlwt
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    for c, head in enumerate(["序号", "姓名", "身份证号"]):
        sheet.write(0, c, head)
    for r, number in enumerate(ids, 1):
        for c, value in enumerate([r, "张某", number]):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("disposition", [
    'attachment; filename="{}"'.format("公示名单.xls".encode("gbk").decode("latin-1")),         # raw GBK bytes
    "attachment; filename*=UTF-8''%E5%85%AC%E7%A4%BA%E5%90%8D%E5%8D%95.xls",                    # RFC 6266
    "attachment;filename=%E5%85%AC%E7%A4%BA%E5%90%8D%E5%8D%95.xls",                              # Java URLEncoder
])
def test_a_download_handler_file_is_read_by_the_name_its_answer_gives(tmp_path, disposition):
    """download.jsp?fileId=123 names no file; the answer's Content-Disposition does.  A legacy .xls
    is OLE2 like .doc and .wps, so without that name it could not be read."""
    links = '<a href="/download.jsp?fileId=123">公示名单</a>'
    site = FixtureSite({"/": Answer(HOME), "/col/tzgg/": Answer(LIST), "/col/tzgg/doc1.html": Answer(DOC.format(links=links)),
                        "/download.jsp?fileId=123": Answer(_xls_with(IDS), content_type="application/octet-stream",
                                                           headers={"Content-Disposition": disposition})})
    try:
        scan = crawl_into(tmp_path, site.url, settings=FAST)
    finally:
        site.stop()
    text = _files(scan)["download.jsp?fileId=123"]["text"]
    assert (text.kind, text.status) == ("xls", "ok")
    assert ["名单", 2, 3, IDS[0]] in text.cells
