"""The campaign report: ``report.html`` and ``campaign.xlsx`` in the campaign's folder, in the
通报 style of the site report: a ranking of the sites (verdict, 单项否决 items, estimated score,
problems by category, change since the last campaign), a chart of problems per site, the problems
common to many sites, and a link to each site's own report."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import quote, unquote

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select

from audits.registry import all_rules
from audits.runner import now_cst
from govaudit.campaign import store
from govaudit.campaign.settings import settings
from govaudit.core import storage
from govaudit.core.errors import EXIT_OUTPUT, GovauditError
from govaudit.report import charts
from govaudit.report.frame import category_of, category_titles
from govaudit.report.html import _static, environment

STATUS_CN = {"pending": "未检查", "running": "未完成", "complete": "已完成", "failed": "检查失败", "blocked": "访问被拦截"}
VERDICT_ORDER = {"合格": 0, "不合格": 1, "无法评价": 2}


def _summaries(engine, scan_ids: list[int]) -> dict[int, dict]:
    a = storage.audit_summary
    if not scan_ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(select(a.c.scan_id, a.c.verdict, a.c.vetoes, a.c.score_estimate, a.c.counts)
                            .where(a.c.scan_id.in_(scan_ids))).mappings().all()
    return {int(r["scan_id"]): dict(r) for r in rows}


def site_table(engine, campaign_id: int) -> list[dict]:
    """One dict per site, ranked: judged sites by verdict, score and problems; then the others."""
    campaign = store.campaign_row(engine, campaign_id)
    rows = store.site_rows(engine, campaign_id)
    before = store.previous_campaign(engine, campaign)
    earlier = {r["name"]: r for r in store.site_rows(engine, before["id"])} if before else {}
    summaries = _summaries(engine, [r["scan_id"] for r in [*rows, *earlier.values()] if r["scan_id"]])
    out = Path(campaign["out_dir"])
    table = []
    for r in rows:
        s = summaries.get(r["scan_id"]) if r["status"] == "complete" else None
        counts = {k: int(v) for k, v in ((s or {}).get("counts") or {}).items() if v}
        by_category = {}
        for check, n in counts.items():
            by_category[category_of(check)] = by_category.get(category_of(check), 0) + n
        prev = earlier.get(r["name"])
        prev_s = summaries.get(prev["scan_id"]) if prev and prev["status"] == "complete" else None
        total = sum(counts.values())
        report = Path(r["report_dir"]) / "report.html" if r["report_dir"] else None
        table.append({
            "name": r["name"], "level": r["level"] or "", "group": r["grp"] or "", "start_url": r["start_url"],
            "status": r["status"], "status_cn": STATUS_CN.get(r["status"], r["status"]), "reason": r["reason"] or "",
            "verdict": (s or {}).get("verdict") or "", "vetoes": list((s or {}).get("vetoes") or []),
            "score": (s or {}).get("score_estimate"), "counts": counts, "categories": by_category, "total": total,
            "change": None if prev_s is None else total - sum(int(v) for v in (prev_s.get("counts") or {}).values()),
            "score_change": None if prev_s is None or s is None or s.get("score_estimate") is None
            or prev_s.get("score_estimate") is None else s["score_estimate"] - prev_s["score_estimate"],
            "report": quote(str(report.relative_to(out))) if report and report.is_relative_to(out) else None,
            "scan_id": r["scan_id"],
        })
    judged = sorted((t for t in table if t["verdict"]),
                    key=lambda t: (VERDICT_ORDER.get(t["verdict"], 3), -(t["score"] or 0), t["total"]))
    for rank, t in enumerate(judged, 1):
        t["rank"] = rank
    rest = [t for t in table if not t["verdict"]]
    for t in rest:
        t["rank"] = None
    return judged + rest


def common_problems(table: list[dict]) -> list[dict]:
    """Each problem type found: on how many judged sites, how often; ``common`` at the configured share."""
    judged = [t for t in table if t["verdict"]]
    names = {r.id: r.name for r in all_rules()}
    found: dict[str, dict] = {}
    for t in judged:
        for check, n in t["counts"].items():
            item = found.setdefault(check, {"check": check, "name": names.get(check, check),
                                            "category": category_of(check), "sites": [], "findings": 0})
            item["sites"].append(t["name"])
            item["findings"] += n
    share = settings()["common_problem_share"]
    items = sorted(found.values(), key=lambda i: (-len(i["sites"]), -i["findings"], i["name"]))
    for i in items:
        i["common"] = bool(judged) and len(i["sites"]) >= max(2, share * len(judged))
    return items


def problems_chart(table: list[dict]) -> dict | None:
    titles = [c for c in category_titles() if any(t["categories"].get(c) for t in table)]
    rows = {t["name"]: {c: t["categories"].get(c, 0) for c in titles} for t in table if t["verdict"]}
    if not rows or not titles:
        return None
    frame = pd.DataFrame.from_dict(rows, orient="index")[titles]
    frame["合计"] = frame.sum(axis=1)
    frame = frame.sort_values("合计", ascending=False)
    return charts.unit_bars(frame, charts.colours(category_titles()), max_units=60)


# Who the campaign's 通报 asks to rectify, by the levels of its sites (a city's office writes to its
# 县（区） and 市直部门, not to a district's 单位).
ADDRESSEES = {"区县": "各县（区）", "部门": "各有关部门", "镇街": "各镇（街道）", "市级": "各市"}


def addressees(table: list[dict]) -> str:
    levels = [lv for lv in ADDRESSEES if any(t["level"] == lv for t in table)]
    return "、".join(ADDRESSEES[lv] for lv in levels) if levels else "各有关单位"


def campaign_title(name: str, as_of: dt.date) -> str:
    """The 通报's title: a name that gives its own period (…年…) keeps it, and one that already says
    检查 is not followed by 政务公开检查 again."""
    name = name.strip()
    period = "" if re.search(r"\d{4}年", name) else f"{as_of.year}年{as_of.month}月"
    subject = name if name.endswith("检查") else f"{name}政务公开检查"
    return f"关于{period}{subject}情况的通报"


def write_campaign_report(engine, campaign_id: int) -> dict:
    campaign = dict(store.campaign_row(engine, campaign_id))
    table = site_table(engine, campaign_id)
    problems = common_problems(table)
    out = Path(campaign["out_dir"])
    counts = {s: sum(t["status"] == s for t in table) for s in STATUS_CN}
    verdicts = {v: sum(t["verdict"] == v for t in table) for v in VERDICT_ORDER}
    categories = [c for c in category_titles() if any(t["categories"].get(c) for t in table)]
    as_of = dt.date.fromisoformat(campaign["as_of"])
    context = {
        "c": campaign, "table": table, "problems": problems, "categories": categories, "counts": counts,
        "verdicts": verdicts, "chart": problems_chart(table), "as_of": as_of, "addressees": addressees(table),
        "title": campaign_title(campaign["name"], as_of),
        # The time its sites' reports are stamped with (Beijing time), as they show it.
        "generated_at": now_cst()[:16].replace("T", " "),
        "css": _static("report.css"),
        "csp": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
    }
    html = environment().get_template("campaign.html.j2").render(**context)
    paths = {"report.html": out / "report.html", "campaign.xlsx": out / "campaign.xlsx"}
    try:
        out.mkdir(parents=True, exist_ok=True)
        paths["report.html"].write_text(html, encoding="utf-8")
        _workbook(table, problems, categories).save(paths["campaign.xlsx"])
    except OSError as exc:
        raise GovauditError(f"无法写入报告 / cannot write the campaign report to {out}: {exc.strerror or exc}",
                            EXIT_OUTPUT) from exc
    return {k: str(v) for k, v in paths.items()}


def _workbook(table: list[dict], problems: list[dict], categories: list[str]) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "排名"
    head = ["排名", "站点", "层级", "分组", "检查状态", "结论", "单项否决", "估算得分", *categories, "问题合计",
            "较上次变化", "原因", "报告"]
    sheet.append(head)
    for t in table:
        sheet.append([t["rank"], t["name"], t["level"], t["group"], t["status_cn"], t["verdict"], "；".join(t["vetoes"]),
                      t["score"], *[t["categories"].get(c, 0) for c in categories], t["total"], t["change"],
                      t["reason"], unquote(t["report"]) if t["report"] else None])
        if t["report"]:        # a link that opens the site's report, shown as the readable path
            link = sheet.cell(row=sheet.max_row, column=len(head))
            link.hyperlink, link.style = t["report"], "Hyperlink"
    common = book.create_sheet("共性问题")
    common.append(["问题类型", "问题类别", "涉及站点数", "问题数", "是否共性问题", "涉及站点"])
    for p in problems:
        common.append([p["name"], p["category"], len(p["sites"]), p["findings"], "是" if p["common"] else "",
                       "、".join(p["sites"])])
    for ws in (sheet, common):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    return book
