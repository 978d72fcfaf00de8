"""年报内容不全: an annual report lacks one of the six headings of 国办公开办函〔2021〕30号."""
from __future__ import annotations

from audits.registry import rule
from audits.annual_reports import report_units
from audits.views import document_view


@rule("annual_report_incomplete", name="年报内容不全", order=22, severity="deduct", tasks=[19],
      basis="国办公开办函〔2021〕30号年报格式：总体情况等六部分（rules.md T5）；要点任务19")
def annual_report_incomplete(snapshot, config, as_of):
    cfg = config["annual_report"]
    docs = document_view(snapshot, config)
    for entry in report_units(snapshot, config):
        for year, report in sorted(entry["reports"].items()):
            if year < cfg["headings_from_year"] or report["url"] not in docs.index:
                continue
            doc = docs.loc[report["url"]]
            text = "".join((doc["body_text"] or "").split())
            if not doc["fetched_ok"] or len(text) < cfg["min_text_chars"]:
                continue  # a report published only as an attachment cannot be read here
            missing = [h for h, alternatives in cfg["headings"].items()
                       if not any("".join(a.split()) in text for a in alternatives)]
            if not missing:
                continue
            yield annual_report_incomplete.finding(
                report["url"], f"《{report['title']}》缺少“{'”“'.join(missing)}”部分",
                unit=entry["unit"], column=entry["column"], column_url=entry["column_url"],
                evidence={"year": year, "missing_headings": missing})
