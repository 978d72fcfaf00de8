"""年报未按时发布: no 政府信息公开工作年度报告 for the due year, or one published after the deadline."""
from __future__ import annotations

from audits.registry import rule
from audits.annual_reports import deadline_for, due_year, report_units


@rule("missing_annual_report", name="年报未按时发布", order=140, severity="deduct", tasks=[19],
      config=["annual_report.column_keywords", "annual_report.title_pattern",
              "annual_report.department_deadline", "annual_report.district_deadline"],
      labels={"column": "年报栏目"},
      basis="《政府信息公开条例》第四十九条：部门、镇街1月31日前，区政府3月31日前公布上一年度政府信息公开"
            "工作年度报告（rules.md T3/T4；区政府时限为[U]）；要点任务19",
      views=["column_classes", "document_parts", "link_verdicts"])
def missing_annual_report(snapshot, config, as_of):
    """No 政府信息公开工作年度报告 for the due year, or one published after the deadline.

    url: the 年报 column, or the late report
    refs: T3/T4
    severity: deduct (district: notice, T4 is [U])

    含义：政府信息公开工作年度报告栏目中没有上一年度的年报，或年报发布晚于规定时间（部门、镇街1月31日前，区政
    府3月31日前）。
    依据：《中华人民共和国政府信息公开条例》第四十九条关于政府信息公开工作年度报告公布时限的规定。
    自查方法：打开本单位的“政府信息公开年报”栏目，查看是否有上一年度年报及其发布日期。
    整改方法：尚未发布的，尽快按规定格式编制并发布；今后在规定时间前发布。
    """
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
