"""附件无法打开: an attachment that answers but cannot be opened (corrupt, encrypted, a web page)."""
from __future__ import annotations

from audits.filetext import attachment_view, member_name
from audits.registry import rule

MEMBER_STATUSES = ("corrupt", "encrypted")


@rule("attachment_unreadable", name="附件无法打开", order=105, severity="deduct", tasks=[32],
      category="不可用链接", config=["attachments.unreadable"],
      sentence="{count}个附件无法正常打开",
      labels={"document": "链接页面", "attachment": "附件", "reason": "原因", "file_kind": {"hidden": True}},
      basis="公开的附件应能正常打开阅读（检查指标“可用性”）；要点任务32（内容准确）",
      views=["attachments"])
def attachment_unreadable(snapshot, config, as_of):
    """An attachment whose link answers, but whose file cannot be opened: damaged, protected by a
    password, or a web page (a login page, an error page) served under a file's name; for a zip,
    rar or 7z, also a damaged or password-protected file inside it (named 名单.zip › 附件2.xlsx).

    url: the attachment (`evidence.document`: the page linking it)
    refs: 检查指标（可用性）

    含义：附件链接能访问，但下载到的文件无法打开：文件已损坏、设置了打开密码，或链接返回的是网页而不是文件。
    附件链接本身打不开（404等）的，列为“不可用链接”，不在本项。
    依据：《政府网站与政务新媒体检查指标》关于网站可用性的要求；政务公开工作要点关于内容准确的要求。
    自查方法：在链接页面点击附件，下载后用相应软件打开。
    整改方法：重新上传完好的、未加密的原文件，并核对附件链接指向的是文件本身。
    """
    reasons = config["attachments"]["unreadable"]
    files = attachment_view(snapshot, config)
    # A soft 404 served as the file is a broken link; only the few files with a reason are walked.
    with_reason = files["read_status"].isin(list(reasons)) | files["members"].map(
        lambda members: any(m.get("status") in MEMBER_STATUSES for m in members))
    for url, a in files[with_reason & ~files["link_broken"].astype(bool)].iterrows():
        # The members of an archive that cannot be opened (damaged, password protected), if any.
        bad = [m for m in a["members"] if m.get("status") in MEMBER_STATUSES]
        status = bad[0]["status"] if bad else a["read_status"]
        reason = reasons.get(status)
        if not reason:
            continue
        name = member_name(a, [m["name"] for m in bad if m["status"] == status])
        yield attachment_unreadable.finding(
            url, f"《{a['title']}》的附件“{name}”无法打开：{reason}", unit=a["unit"], column=a["column"],
            column_url=a["column_url"],
            evidence={"document": a["document_url"], "attachment": name if bad else a["name"], "reason": reason,
                      "file_kind": a["kind"]})
