"""Over real HTTP: a 公示 whose 名单 is zipped (名单.zip › 附件1.xlsx, member names in GBK as Windows
writes them) is read and its ID numbers found; a 年报 page that only says 详见附件 is judged on its
PDF, and another whose attachment is a scan is said not to have been checked."""
from __future__ import annotations

import pytest
from crawler_helpers import AS_OF, FAST, crawl_into
from fixture_site import Answer, FixtureSite
from hostile_files import gbk_named_zip, id_list_xlsx

from audits.runner import audit_scan
from govaudit.core import storage
from sitesim.files import pdf_bytes

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
IDS = [b + "10X98765432"[sum(int(c) * w for c, w in zip(b, WEIGHTS)) % 11]        # GB 11643 check characters
       for b in (f"37018119800101{n:03d}" for n in (100, 101, 102))]
HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
HOME = """<html><head><title>某区人民政府</title></head><body>
<div class="nav"><ul><li><a href="/col/tzgg/">通知公告</a></li><li><a href="/col/nb/">年度报告</a></li></ul></div>
</body></html>"""
LIST = """<html><head><title>{name}</title></head><body>
<div class="nav"><ul><li><a href="/col/tzgg/">通知公告</a></li><li><a href="/col/nb/">年度报告</a></li></ul></div>
<h2>{name}</h2><ul class="list">{items}</ul></body></html>"""
ITEM = '<li><a href="{url}" title="{title}">{title}</a><span>{date}</span></li>'
DOC = """<html><head><title>{title}</title></head><body><h1>{title}</h1>
<table class="xxgk"><tr><td>索 引 号：</td><td>11370181004205062T/2023-0000001</td><td>发布机构：</td><td>区民政局</td></tr>
<tr><td>发布日期：</td><td>{date}</td><td>主题分类：</td><td>民政</td></tr></table>
<div id="zoom"><p>{body}</p><p>附件：<a href="{file}">{name}</a></p></div></body></html>"""
NOTICE = "关于城乡低保对象的公示"
REPORTS = {2020: "区民政局2020年政府信息公开工作年度报告", 2021: "区民政局2021年政府信息公开工作年度报告",
           2022: "区民政局2022年政府信息公开工作年度报告"}
POINTER = "根据《中华人民共和国政府信息公开条例》规定，现公布本单位政府信息公开工作年度报告，详见附件。"
ZIP = "application/zip"


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    report = [[HEADINGS[0], "本年度主动公开信息1200条。", HEADINGS[1]],
              [HEADINGS[2], HEADINGS[4], HEADINGS[5]]]           # 四、行政复议、行政诉讼 left out
    pages = {
        "/": Answer(HOME),
        "/col/tzgg/": Answer(LIST.format(name="通知公告", items=ITEM.format(url="/col/tzgg/1.html", title=NOTICE,
                                                                         date="2023-10-09"))),
        "/col/tzgg/1.html": Answer(DOC.format(title=NOTICE, date="2023-10-09", body="现将低保对象名单予以公示，公示期为5个工作日。",
                                              file="/files/mingdan.zip", name="名单.zip")),
        "/files/mingdan.zip": Answer(gbk_named_zip([("附件1.xlsx", id_list_xlsx(IDS)), ("说明.txt", "公示说明".encode("gbk")),
                                                    ("备份.zip", gbk_named_zip([("a.txt", b"x")]))]), content_type=ZIP),
        "/col/nb/": Answer(LIST.format(name="年度报告", items="".join(
            ITEM.format(url=f"/col/nb/art_{y}.html", title=t, date=f"{y + 1}-01-20") for y, t in REPORTS.items()))),
        "/files/nb2020.ofd": Answer(gbk_named_zip([("OFD.xml", b"<ofd:OFD/>")]), content_type="application/ofd"),
        "/files/nb2022.pdf": Answer(pdf_bytes(report), content_type="application/pdf"),
        "/files/nb2021.pdf": Answer(pdf_bytes([[]], image=True), content_type="application/pdf"),       # a scan
    }
    for year, title in REPORTS.items():
        pages[f"/col/nb/art_{year}.html"] = Answer(DOC.format(title=title, date=f"{year + 1}-01-20", body=POINTER,
                                                              file=f"/files/nb{year}.pdf", name=f"{year}年年报.pdf"))
    # The 2020 report is in the page itself (and links a 附表 not fetched): judged on its body.
    full = "</p><p>".join(f"{h}。本年度该项工作情况良好，各项数据详见统计表。" for h in HEADINGS)
    pages["/col/nb/art_2020.html"] = Answer(DOC.format(title=REPORTS[2020], date="2021-01-20", body=full,
                                                       file="/files/nb2020.ofd", name="统计表.ofd"))
    site = FixtureSite(pages)
    try:
        snap = crawl_into(tmp_path_factory.mktemp("archives"), site.url, settings=FAST)
    finally:
        site.stop()
    return site.url, snap, audit_scan(snap.engine, snap.scan_id, AS_OF)


def _of(findings, check):
    return {f["url"].rsplit("/", 1)[-1]: f for f in findings["findings"] if f["check"] == check}


def test_the_zip_is_read_member_by_member(scan):
    _, snap, _ = scan
    [row] = [r for r in snap.rows(storage.attachment) if r["url"].endswith("mingdan.zip")]
    with snap.engine.connect() as conn:
        text = conn.execute(storage.attachment_text.select().where(storage.attachment_text.c.sha256 == row["sha256"])).first()
    assert (text.kind, text.status) == ("zip", "ok")
    assert [(m["name"], m["status"]) for m in text.members] == [("附件1.xlsx", "ok"), ("说明.txt", "ok"),
                                                                 ("备份.zip", "not_read")]     # depth 1
    assert ["名单", 2, 3, IDS[0], "附件1.xlsx"] in text.cells


def test_the_ids_in_the_zipped_list_are_a_privacy_finding_naming_the_member(scan):
    url, _, findings = scan
    leak = _of(findings, "privacy_leak")["mingdan.zip"]
    assert leak["severity"] == "deduct" and leak["evidence"]["document"] == url + "col/tzgg/1.html"
    assert leak["evidence"]["attachment"] == "名单.zip › 附件1.xlsx"
    assert leak["evidence"]["locations"] == ["附件1.xlsx：工作表“名单”第3列（C列）3个身份证号"]
    assert not any(n in str(leak) for n in IDS)
    inventory = findings["inventory"]
    assert inventory["attachments_not_read"] == 1                          # 统计表.ofd
    assert inventory["archive_members_not_read_list"] == [{"url": url + "files/mingdan.zip", "member": "备份.zip",
                                                           "reason": "not_read"}]


def test_a_report_published_as_a_pdf_is_judged_on_the_pdf(scan):
    _, _, findings = scan
    incomplete = _of(findings, "annual_report_incomplete")
    assert set(incomplete) == {"art_2022.html"}
    assert incomplete["art_2022.html"]["evidence"]["missing_headings"] == ["四、政府信息公开行政复议、行政诉讼情况"]
    assert incomplete["art_2022.html"]["evidence"]["attachments"] == ["2022年年报.pdf"]


def test_a_report_whose_pdf_is_a_scan_is_said_not_checked(scan):
    _, _, findings = scan
    unchecked = _of(findings, "attachment_not_checked")
    assert set(unchecked) == {"art_2021.html"} and unchecked["art_2021.html"]["severity"] == "notice"
    assert unchecked["art_2021.html"]["evidence"]["reasons"] == ["2021年年报.pdf：扫描件，无文字层"]
