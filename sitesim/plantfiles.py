"""Planted attachment files: personal data in PDF/DOCX/XLSX attachments, with controls next to them,
and the files a reader cannot use (corrupt, encrypted, HTML served as a file, scan-only, over the
size cap), and a document whose whole content is its attachment.

Each planted file is a ``sitesim.files.FileSpec`` in ``Site.files``; what the audits must make of
it is its ``expect`` list, which the manifest records as it is (``derive``).  Controls are traps.
"""
from __future__ import annotations

import datetime as dt
import random

from sitesim import catalog as cat
from sitesim.defects import id_number
from sitesim.files import FileSpec

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def _bad_checksum(number: str) -> str:
    """An ID-shaped number whose check character is wrong (a control)."""
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def plant_files(planter) -> None:
    """Runs after every other plant, with a random stream of its own: the other plants pick the
    same documents with or without it."""
    p, s = planter, planter.s
    saved, p.rng = p.rng, random.Random(f"sitesim:{s.seed}:files")
    try:
        _plant(p, s, p.rng)
    finally:
        p.rng = saved


def _plant(p, s, rng) -> None:

    def person(n: int) -> tuple[str, str, str]:
        birth = dt.date(1950 + rng.randint(0, 50), rng.randint(1, 12), rng.randint(1, 28))
        name = rng.choice(SURNAMES) + rng.choice("某") + rng.choice("某甲乙")
        return name, id_number(cat.AREA_CODE, birth, 100 + n), f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"

    def attach(unit, key, spec: FileSpec, trap: str = "") -> str:
        doc = p.pick(unit, key)
        path = f"{doc.path[:-5]}_{rng.getrandbits(128):032x}.{spec.kind}"
        s.files[path] = spec
        doc.attachments.append((path, spec.name))
        if trap:
            p.trap(trap, path, spec.note)
        return path

    office = "联系方式：区民政局社会救助科，办公电话 0531-83211234，13506410001（值班手机）。"
    # 1. A 公示名单 spreadsheet with a column of full ID numbers and one of mobile numbers.
    people = [person(i) for i in range(14)]
    rows = [["序号", "姓名", "身份证号", "联系电话", "救助金额（元）"]]
    rows += [[i, n, id_, tel, 800] for i, (n, id_, tel) in enumerate(people, 1)]
    attach("区民政局", "shjz", FileSpec("附件：2023年城乡低保对象公示名单.xlsx", "xlsx", sheets=[("公示名单", rows)],
                                       expect=[("privacy_leak", "附件公示名单第3列14个身份证号、第4列14个手机号码")]))
    # 2. Its control: the same list masked, and a column of ID-shaped numbers failing the checksum.
    rows = [["序号", "姓名", "身份证号", "登记编号"]]
    rows += [[i, n, id_[:6] + "********" + id_[-4:], _bad_checksum(id_)] for i, (n, id_, _) in enumerate(people, 1)]
    attach("双山街道", "shjz", FileSpec("附件：临时救助对象公示.xlsx", "xlsx", sheets=[("名单", rows)],
                                      note="身份证号已脱敏；登记编号形似身份证号但校验位不符"), trap="masked_personal_data")
    # 3. A DOCX with an ID number and a mobile number in its text and a table of ID numbers.
    one = person(40)
    table = [["姓名", "身份证号码"]] + [[n, id_] for n, id_, _ in (person(41 + i) for i in range(3))]
    attach("区人社局", "tzgg", FileSpec(
        "附件：拟聘用人员名单.docx", "docx",
        pages=[["经研究，拟聘用以下人员：", f"{one[0]}，身份证号{one[1]}，联系电话{one[2]}。"]], tables=table,
        expect=[("privacy_leak", "附件正文及表格含4个身份证号、1个手机号码")]))
    # 4. Its control: the unit's own office line in a 联系方式 line; numbers failing the checksum.
    attach("区人社局", "tzgg", FileSpec(
        "附件：报名须知.docx", "docx",
        pages=[["报名材料：身份证复印件一份。", f"示例编号：{_bad_checksum(person(50)[1])}（非身份证号）。", office]],
        note="联系方式中的单位办公电话、值班手机；校验位不符的编号"), trap="contact_line")
    # 5. A PDF whose second page lists people with ID and mobile numbers.
    lines = [f"{n}  {id_}  {tel}" for n, id_, tel in (person(60 + i) for i in range(5))]
    attach("区卫健局", "tzgg", FileSpec(
        "附件：家庭医生签约服务对象名单.pdf", "pdf",
        pages=[["家庭医生签约服务对象名单", "（见下页）"], ["姓名  身份证号  联系电话", *lines]],
        expect=[("privacy_leak", "附件第2页5个身份证号、5个手机号码")]))
    # 6. Its control.
    attach("区卫健局", "tzgg", FileSpec(
        "附件：服务指南.pdf", "pdf",
        pages=[["服务指南", f"受理编号示例：{_bad_checksum(person(70)[1])}", office]],
        note="联系方式中的办公电话；校验位不符的编号"), trap="contact_line")
    # 7. Files that cannot be opened, a scan without text, a file over the size cap.
    attach("区住建局", "bmwj", FileSpec("附件：实施细则.docx", "docx", damage="corrupt",
                                    expect=[("attachment_unreadable", "文件已损坏")]))
    attach("区自然资源局", "tzgg", FileSpec("附件：征收范围图.pdf", "pdf", damage="encrypted",
                                        expect=[("attachment_unreadable", "文件加密，需要密码")]))
    attach("区文旅局", "tzgg", FileSpec("附件：活动方案.pdf", "pdf", damage="html",
                                     expect=[("attachment_unreadable", "链接返回网页而不是文件")]))
    attach("区应急局", "tzgg", FileSpec("附件：应急预案（扫描件）.pdf", "pdf", damage="scan",
                                     expect=[("scanned_pdf", "扫描件，无文字层")]))
    attach("区工信局", "tzgg", FileSpec("附件：项目汇编.pdf", "pdf", pages=[["项目汇编"]], damage="oversize",
                                     note="超过单个附件大小上限，不下载、不读取"), trap="oversize_attachment")
    # 8. A document whose whole content is its attachment.
    doc = p.pick("区市场监管局", "tzgg", pred=lambda d: not d.attachments and not d.extra_links and not d.images)
    path = f"{doc.path[:-5]}_{rng.getrandbits(128):032x}.pdf"
    s.files[path] = path.rsplit("/", 1)[1]
    doc.attachments.append((path, "附件：关于开展食品安全抽检工作的通知.pdf"))
    doc.body["attachment_only"] = True


def derive(oracle) -> None:
    """The manifest's lines for planted files (their ``expect``) and attachment-only documents."""
    for doc in oracle.site.docs:
        for path, _ in doc.attachments:
            spec = oracle.site.files.get(path)
            for check, note in getattr(spec, "expect", ()):
                oracle.add(check, path, note=f"{note}；链接页面 {oracle.url(doc.path)}")
        if doc.body.get("attachment_only"):
            oracle.add("attachment_only_document", doc.path, note="正文为空，内容只在附件中")
