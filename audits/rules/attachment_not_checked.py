"""附件内容未能核查: a 年报 or 指南 whose page only points to its attachment, none of which was read."""
from __future__ import annotations

from audits.filetext import judged_texts
from audits.registry import rule
from audits.rules.annual_report_incomplete import reports_judged
from audits.rules.guide_incomplete import current_guides


@rule("attachment_not_checked", name="附件内容未能核查", order=165, severity="notice", tasks=[19],
      config=["attachments.pointer_phrases", "attachments.pointer_max_chars", "attachments.unread_reasons",
              "annual_report.min_text_chars", "guide.min_text_chars"],
      sentence="{count}篇年报、指南正文仅提示见附件，附件内容未能读取，未作要素检查，需人工核查",
      labels={"attachments": "附件", "reasons": "未能读取的原因", "not_checked": "未作的检查"},
      basis="年报、指南正文仅提示见附件而附件未能读取时，无法核对其内容，不作“内容不全”认定，列出供人工核查",
      views=["attachments", "column_classes", "document_parts", "link_verdicts"])
def attachment_not_checked(snapshot, config, as_of):
    """A 年报 or 指南 whose page says only 详见附件 (a short body) and none of whose attachments was
    read to text (a scan, a format with no reader, a file not fetched …): its content could not be
    checked, so annual_report_incomplete and guide_incomplete give no verdict on it.  Said here,
    so that no 要素缺失 is read as checked and found complete.

    url: the 年报 or 指南 page
    refs: T5, T6

    含义：年度报告或政府信息公开指南的页面正文仅提示“详见附件”，而附件未能读取（如扫描件、格式暂不支持、文件过大、
    下载失败），无法核对其内容是否完整。本项为提示，不计入“年报内容不全”“信息公开指南要素不全”，需人工核查。
    依据：国办公开办函〔2021〕30号年报格式要求；《中华人民共和国政府信息公开条例》第十二条关于指南内容的规定。
    自查方法：打开页面和附件，对照年报六部分或指南规定事项逐项核对；附件为扫描件的，核对其是否可以检索。
    整改方法：在正文中发布年报、指南全文，或上传可读取文字的附件（非扫描件）。
    """
    checks = [("年报内容不全", "年报", config["annual_report"]["min_text_chars"],
               [(e["unit"], e["column"], e["column_url"], r["url"], r["title"])
                for e, _, r in reports_judged(snapshot, config)]),
              ("信息公开指南要素不全", "指南", config["guide"]["min_text_chars"],
               [(unit, d["column"], d["column_url"], d["url"], d["title"])
                for unit, d in current_guides(snapshot, config).items()])]
    seen = set()
    for check_name, what, min_chars, documents in checks:
        texts = judged_texts(snapshot, config, {d[3] for d in documents}, min_chars)
        for unit, column, column_url, url, title in documents:
            judged = texts.get(url)
            if judged is None or judged.judged or not judged.unread or url in seen:
                continue
            seen.add(url)
            names = [name for name, _ in judged.unread]
            reasons = [f"{name}：{reason}" for name, reason in judged.unread]
            yield attachment_not_checked.finding(
                url, f"《{title}》正文仅提示见附件，附件未能读取（{'；'.join(reasons[:3])}），未核对{what}内容是否完整，需人工核查",
                unit=unit, column=column, column_url=column_url,
                evidence={"attachments": names, "reasons": reasons, "not_checked": check_name})
