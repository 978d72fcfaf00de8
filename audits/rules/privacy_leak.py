"""泄露个人隐私: a 身份证号 passing the GB 11643 checksum, or a mobile number, in page or attachment text."""
from __future__ import annotations

from audits.filetext import files_with_text, member_name
from audits.personal import in_cells, in_text, masked
from audits.registry import rule
from audits.texts import document_texts
from audits.docparts import document_batches

SHEET_PART = "工作表"


@rule("privacy_leak", name="泄露个人隐私", order=190, severity="deduct", tasks=[32],
      config=["privacy"],
      labels={"document": "链接页面", "attachment": "附件", "locations": "位置", "id_count": "身份证号个数",
              "mobile_count": "手机号码个数"},
      basis="公开信息不得泄露个人隐私（身份证号经GB 11643校验、手机号码；rules.md A7）；要点任务32（三审三校、内容准确）",
      views=["attachments", "document_parts"])
def privacy_leak(snapshot, config, as_of):
    """A 身份证号 passing the GB 11643 checksum, or a mobile number, in page text or in the text
    of an attachment (PDF, DOCX, XLSX, XLS, ODT/ODS, CSV/TXT, and these inside a zip, rar or 7z;
    docs/audits.md says what is read).

    url: the page; for an attachment, the file (`evidence.document`: the page linking it)
    refs: A7
    severity: deduct (mobile numbers only: notice)

    含义：公开的信息或其附件中含有未处理的个人隐私，如完整的身份证号码、手机号码。附件中的表格按整列判断，
    如“工作表“公示名单”第3列（C列）14个身份证号”。压缩包（zip、rar、7z）中的文件逐个检查，并写明所在文件，
    如“名单.zip › 附件1.xlsx”。联系方式中公布的单位办公电话不计。
    依据：《中华人民共和国个人信息保护法》和《中华人民共和国政府信息公开条例》关于不得公开涉及个人隐私信息的规
    定；政务公开工作要点关于“三审三校”、内容准确的要求。
    自查方法：打开页面和附件，按“位置”查找身份证号码、手机号码等个人信息（报告中只显示打码后的号码）。
    整改方法：立即删除或对个人信息作隐藏处理（如只保留前几位和后几位），附件一并处理后重新上传；落实发布前审核制度。
    """
    cfg = config["privacy"]
    read = ("fetched_ok", "title", "unit", "column", "column_url")
    for docs in document_batches(snapshot, config, read):       # texts of one part at a time
        for url, text in document_texts(snapshot, docs.index[docs["fetched_ok"]]):
            ids, phones = in_text(text, cfg)
            if ids or phones:
                d = docs.loc[url]
                yield privacy_leak.finding(
                    url, f"《{d['title']}》正文含{_counted(ids, phones)}，疑似泄露个人隐私",
                    severity=privacy_leak.severity if ids else "notice", unit=d["unit"], column=d["column"],
                    column_url=d["column_url"], evidence=masked(ids, phones, cfg["evidence_max_numbers"]))
    for url, a, parts, cells in files_with_text(snapshot, config):      # the text of a few files at a time
        locations, ids, phones, members = in_cells(cells, cfg) if cells else ([], [], [], [])
        for part in parts:
            where, member = part.get("where") or "", part.get("member") or ""
            if cells and where.startswith(SHEET_PART):
                continue        # judged cell by cell above
            more_ids, more_phones = in_text(part.get("text") or "", cfg)
            if more_ids or more_phones:
                locations.append(f"{member}：{where}{_counted(more_ids, more_phones)}" if member
                                 else f"{where}{_counted(more_ids, more_phones)}")
                ids, phones = ids + more_ids, phones + more_phones
                members.append(member)
        ids, phones = list(dict.fromkeys(ids)), list(dict.fromkeys(phones))
        if not ids and not phones:
            continue
        shown = member_name(a, members)       # 名单.zip › 附件1.xlsx: the member of an archive
        yield privacy_leak.finding(
            url, f"《{a['title']}》的附件“{shown}”含{_counted(ids, phones)}，"
                 f"疑似泄露个人隐私（{'；'.join(locations[:3])}）",
            severity=privacy_leak.severity if ids else "notice", unit=a["unit"], column=a["column"],
            column_url=a["column_url"],
            evidence={"document": a["document_url"], "attachment": shown, "locations": locations,
                      **masked(ids, phones, cfg["evidence_max_numbers"])})


def _counted(ids, phones) -> str:
    parts = []
    if ids:
        parts.append(f"身份证号{len(ids)}个")
    if phones:
        parts.append(f"手机号码{len(phones)}个")
    return "、".join(parts)
