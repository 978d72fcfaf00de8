"""年报未按时发布: no 政府信息公开工作年度报告 for the due year, or one published after the deadline."""
from __future__ import annotations

from audits.registry import rule
from audits.annual_reports import deadline_for, due_year, report_units


@rule("missing_annual_report", name="年报未按时发布", order=21, severity="deduct", tasks=[19],
      basis="《政府信息公开条例》第四十九条：部门、镇街1月31日前，区政府3月31日前公布上一年度政府信息公开"
            "工作年度报告（rules.md T3/T4；区政府时限为[U]）；要点任务19")
def missing_annual_report(snapshot, config, as_of):
    for entry in report_units(snapshot, config):
        year = due_year(entry["kind"], as_of, config)
        deadline = deadline_for(entry["kind"], year, config)
        # The district's 3月31日 is recalled, not read in a source: a notice only.
        severity = "notice" if entry["kind"] == "district" else missing_annual_report.severity
        who = entry["unit"] or "本级"
        report = entry["reports"].get(year)
        evidence = {"year": year, "deadline": deadline.isoformat(), "column": entry["column"],
                    "reports_seen": sorted(entry["reports"])}
        if report is None:
            message = f"{who}未发布{year}年政府信息公开工作年度报告（应于{deadline.month}月{deadline.day}日前发布）"
            yield missing_annual_report.finding(entry["column_url"], message, severity=severity, unit=entry["unit"],
                                                column=entry["column"], column_url=entry["column_url"],
                                                evidence=evidence)
        elif report["published"] and report["published"] > deadline:
            message = (f"{who}{year}年政府信息公开工作年度报告发布于{report['published'].isoformat()}，"
                       f"晚于{deadline.month}月{deadline.day}日")
            yield missing_annual_report.finding(
                report["url"], message, severity=severity, unit=entry["unit"], column=entry["column"],
                column_url=entry["column_url"],
                evidence={**evidence, "report": report["url"], "published": report["published"].isoformat()})
