"""扫描件无法检索: a PDF attachment whose pages are images without a text layer."""
from __future__ import annotations

from audits.filetext import attachment_view, file_name, member_name
from audits.registry import rule


@rule("scanned_pdf", name="扫描件无法检索", order=106, severity="notice", tasks=[32],
      config=["attachments.scanned_statuses"],
      sentence="{count}个PDF附件为扫描件，无法检索",
      labels={"document": "链接页面", "attachment": "附件", "pages": {"label": "页数", "unit": "页"}},
      basis="政府信息应以可检索、可复制的文本形式公开（检查指标“信息可检索”）",
      views=["attachments"])
def scanned_pdf(snapshot, config, as_of):
    """A PDF attachment (or a PDF inside a zip, rar or 7z attachment) whose pages carry no text at
    all: a scan, which cannot be searched, copied or read aloud.  No OCR is tried.

    url: the attachment (`evidence.document`: the page linking it)
    refs: 检查指标（信息可检索）

    含义：附件是扫描图片生成的PDF，没有文字层，内容无法检索、复制，读屏软件也无法朗读。本项为提示。
    依据：《政府网站与政务新媒体检查指标》关于信息可检索、便于获取的要求；无障碍与适老化改造的要求。
    自查方法：打开PDF附件，尝试选中或搜索其中的文字；选不中、搜不到即为扫描件。
    整改方法：上传原始电子文档转换的PDF（或同时公开正文文本），扫描件仅作补充。
    """
    statuses = set(config["attachments"]["scanned_statuses"])
    files = attachment_view(snapshot, config)
    scanned = ((files["kind"] == "pdf") & files["read_status"].isin(list(statuses))) | files["members"].map(
        lambda members: any(m.get("kind") == "pdf" and m.get("status") in statuses for m in members))
    for url, a in files[scanned & ~files["link_broken"].astype(bool)].iterrows():
        if a["kind"] == "pdf" and a["read_status"] in statuses:
            name, attachment, pages = file_name(a), a["name"], a["pages"]
        else:           # the scanned PDFs inside a zip, rar or 7z
            scans = [m for m in a["members"] if m.get("kind") == "pdf" and m.get("status") in statuses]
            if not scans:
                continue
            name = attachment = member_name(a, [m["name"] for m in scans])
            pages = sum(int(m.get("pages") or 0) for m in scans)
        yield scanned_pdf.finding(
            url, f"《{a['title']}》的附件“{name}”为扫描件，无文字层，无法检索", unit=a["unit"], column=a["column"],
            column_url=a["column_url"],
            evidence={"document": a["document_url"], "attachment": attachment, "pages": pages})
