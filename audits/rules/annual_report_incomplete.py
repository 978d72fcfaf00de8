"""年报内容不全: an annual report lacks one of the six headings of 国办公开办函〔2021〕30号."""
from __future__ import annotations

from audits.annual_reports import report_units
from audits.docparts import document_rows
from audits.filetext import judged_texts
from audits.registry import rule


@rule("annual_report_incomplete", name="年报内容不全", order=150, severity="deduct", tasks=[19],
      config=["annual_report.headings", "annual_report.headings_from_year", "annual_report.min_text_chars",
              "attachments.pointer_phrases", "attachments.pointer_max_chars"],
      labels={"attachments": "附件"},
      basis="国办公开办函〔2021〕30号年报格式：总体情况等六部分（rules.md T5）；要点任务19",
      views=["attachments", "column_classes", "document_parts", "link_verdicts"])
def annual_report_incomplete(snapshot, config, as_of):
    """An annual report lacks one of the six headings of 国办公开办函〔2021〕30号.  A report page
    that only points to its attachment (详见附件) is judged on the text of the attachments read;
    when none was read, no verdict (attachment_not_checked says so).

    url: the report
    refs: T5

    含义：年度报告缺少规定格式中的部分内容（总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政
    府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分）。
    依据：国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告格式的通知（国办公开办函〔2021〕30号
    ）。
    自查方法：打开年报（正文仅提示“详见附件”的，打开附件），对照“证据”中的“缺少部分”，检查六个部分的标题是否齐全。
    整改方法：按规定格式补全缺少的部分，修改后重新发布。
    """
    cfg = config["annual_report"]
    reports = reports_judged(snapshot, config)
    texts = judged_texts(snapshot, config, {report["url"] for _, _, report in reports}, cfg["min_text_chars"])
    for entry, year, report in reports:
        judged = texts.get(report["url"])
        if judged is None or not judged.judged:
            continue  # only an attachment, and it was not read: attachment_not_checked says so
        text = "".join(judged.text.split())
        missing = [h for h, alternatives in cfg["headings"].items()
                   if not any("".join(a.split()) in text for a in alternatives)]
        if not missing:
            continue
        read_in = f"（附件“{'”“'.join(judged.files)}”）" if judged.files else ""
        yield annual_report_incomplete.finding(
            report["url"], f"《{report['title']}》{read_in}缺少“{'”“'.join(missing)}”部分",
            unit=entry["unit"], column=entry["column"], column_url=entry["column_url"],
            evidence={"year": year, "missing_headings": missing,
                      **({"attachments": judged.files} if judged.files else {})})


def reports_judged(snapshot, config) -> list[tuple[dict, int, dict]]:
    """(unit entry, year, report) of the reports in the 2021 format whose page was read."""
    cfg = config["annual_report"]
    units = report_units(snapshot, config)
    docs = document_rows(snapshot, config, {r["url"] for entry in units for r in entry["reports"].values()},
                         ("fetched_ok",))
    out = []
    for entry in units:
        for year, report in sorted(entry["reports"].items()):
            url = report["url"]
            if year >= cfg["headings_from_year"] and url in docs.index and docs.loc[url, "fetched_ok"]:
                out.append((entry, year, report))
    return out
