"""Everything the report files show, gathered once: report.html, findings.xlsx and 通报.docx
are three layouts of this one ``Report``."""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

import pandas as pd

from audits.workdays import add_workdays

from govaudit.core import clock, scans
from govaudit.core.errors import EXIT_USAGE, GovauditError
from govaudit.report import stream
from govaudit.report import trend as trends
from govaudit.report.frame import unit_category_table, unit_check_table
from govaudit.report.problems import Paragraph, paragraphs
from govaudit.report.settings import check_names, settings, vocabulary
from govaudit.report.tasks import load_task_table, omitted_sentence, table_year, task_groups

INVENTORY = (("units", "单位", "个"), ("columns", "栏目", "个"), ("documents", "文件", "篇"),
             ("pages", "页面", "个"), ("links_checked", "检测链接", "条"), ("fetch_errors", "抓取失败", "次"))


@dataclass
class Report:
    doc: dict
    scan: dict
    settings: dict
    names: dict[str, str]
    site: str
    start_url: str
    as_of: dt.date
    scan_date: str
    generated_at: str
    scope: dict
    inventory: list[dict]
    verdict: dict
    findings: pd.DataFrame               # slim: the short columns, one row per finding (stream.slim_frame)
    unit_table: pd.DataFrame             # 单位 × 问题类别 (report.html, 通报.docx)
    unit_check_table: pd.DataFrame       # 单位 × 问题类型 (findings.xlsx 汇总)
    paragraphs: list[Paragraph]
    tasks: list[dict]
    deadline: dt.date
    task_year: int | None = None         # year of the 要点 task table shown; None: no table, section left out
    comparison: trends.Comparison | None = None
    trend: trends.Trend | None = None
    rule_errors: list[str] = field(default_factory=list)   # checks that could not run: results incomplete
    partial: str | None = None          # why every count is partial (the crawl did not complete), else None
    source: object = None               # where the rows are read from (stream.details): the findings

    @property
    def rectify(self) -> str:
        """The 整改要求 sentences for the problems found (vocabulary ``rectify``), then the general one."""
        wanted = vocabulary()["rectify"]
        found = set(self.findings["category"]) | set(self.findings["check"])
        said = [text for key, text in wanted.items() if key != "general" and key in found]
        return "；".join([*said, wanted["general"]]) + "。"

    @property
    def unverified_links(self) -> str | None:
        """The links whose name lookup failed where none worked (the scanner's network was in
        doubt, not the link): no findings, said once (inventory ``links_unverified``)."""
        count = (self.doc.get("inventory") or {}).get("links_unverified")
        if not count:
            return None
        return f"{count}条外部链接因检查所在网络无法解析域名，未能核实能否访问，未计入问题，需人工核查"

    @property
    def units_not_crawled(self) -> str | None:
        """The sentence owning up to the units whose 信息公开 sites are on other hosts (inventory
        ``units_not_crawled``): listed by the site, not checked, and how to include them."""
        units = (self.doc.get("inventory") or {}).get("units_not_crawled_list") or []
        if not units:
            return None
        names = "、".join(u["name"] for u in units[:5]) + ("等" if len(units) > 5 else "")
        return (f"另有{len(units)}个单位（{names}）的信息公开网站位于其他域名，本次未检查；如需检查，"
                "请在站点配置的 allowed_hosts 中加入其域名")

    @property
    def unread_attachments(self) -> str | None:
        """The sentence owning up to the attachments whose content was not read (a zip, a format with
        no reader, a file over the size cap): nothing in them was checked (privacy_leak …)."""
        inventory = self.doc.get("inventory") or {}
        count, members = inventory.get("attachments_not_read"), inventory.get("archive_members_not_read")
        if not count and not members:
            return None
        # A zip that was read can still hold files that were not (a nested archive, a scan, a format
        # with no reader): they were no more checked than a file never opened.
        what = "、".join(part for part in (f"{count}个附件" if count else "",
                                           f"压缩包内{members}个文件" if members else "") if part)
        return (f"另有{what}因格式暂不支持、文件过大或下载失败等原因未能读取内容，其中是否含有个人隐私等问题"
                "未作检查，需人工核查")

    @property
    def period(self) -> str:
        return f"{self.as_of.year}年{self.as_of.month}月"

    @property
    def scope_name(self) -> str:
        """What a restricted scan covered, by name: 区教体局, 区住建局“通知公告”栏目 ("" for the whole site)."""
        if self.scope.get("column"):
            name = self.scope.get("column_name")
            owner = self.scope.get("column_unit") or self.scope.get("unit") or ""
            return f"{owner}“{name}”栏目" if name else f"{owner}指定栏目"
        return self.scope.get("unit") or ""

    @property
    def scope_line(self) -> str:
        """检查范围 in words for the files that cannot link: the name, and a column's URL."""
        if not self.scope_name:
            return ""
        column = self.scope.get("column")
        return self.scope_name + (f"（{column}）" if column else "")

    @property
    def level(self) -> str:
        """区 / 县 / 市 / 旗: the level of government the site's name ends with (区 when it says none)."""
        m = re.search(r"([区县市旗])(?:人民政府)?(?:门户网站)?$", self.site)
        return m.group(1) if m else "区"

    @property
    def region(self) -> str:
        """全区 / 全县 / 全市, or the unit or column a restricted scan covered."""
        if self.scope_name:
            return self.scope_name
        return f"全{self.level}"

    @property
    def inspector(self) -> str:
        """Who inspects (the 通报's subject, where 整改情况 is reported): the profile's, else the
        政务公开办公室 of the site's level — a 县's office is no 区政务公开办公室."""
        return self.settings.get("inspector") or f"{self.level}政务公开办公室"

    @property
    def addressee(self) -> str:
        return self.settings.get("addressee") or f"各镇人民政府、街道办事处，{self.level}政府各部门（单位）："

    @property
    def title(self) -> str:
        subject = self.region if self.scope.get("column") else f"{self.region}政府网站"
        return f"关于{self.period}{subject}政务公开检查情况的通报"

    @property
    def issuer(self) -> str:
        if self.settings.get("issuer"):
            return self.settings["issuer"]
        return f"{self.site}办公室" if self.site.endswith("人民政府") else self.site

    @property
    def tasks_omitted(self) -> str:
        """The sentence standing in for the 任务分工对照 when there is no table for the year."""
        return omitted_sentence(self.as_of.year) if self.task_year is None else ""

    @property
    def category_columns(self) -> list[str]:
        return [c for c in self.unit_table.columns if c != "合计"]


def _as_of(doc: dict, scan: dict) -> dt.date:
    value = doc.get("as_of") or clock.local_date(scan.get("started_at"))
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise GovauditError(f"日期格式错误 / malformed as-of date {value!r} in the findings document", EXIT_USAGE)


def _deductions(verdict: dict, names: dict[str, str]) -> list[dict]:
    """How the estimate was made, one row per indicator, in Chinese."""
    indicators = {**names, **vocabulary()["indicators"]}
    rows = []
    for d in verdict.get("deductions") or []:
        if isinstance(d, dict) and d.get("indicator"):
            rows.append({"name": indicators.get(d["indicator"], d["indicator"]), "count": d.get("count"),
                         "per": d.get("per"), "cap": d.get("cap"), "points": d.get("points")})
    return rows


def _verdict(doc: dict, summary: dict | None, conf: dict, names: dict[str, str]) -> dict:
    verdict = dict(doc.get("verdict") or {})
    if not verdict and summary:
        verdict = {"result": summary.get("verdict"), "vetoes": summary.get("vetoes") or [],
                   "score_estimate": summary.get("score_estimate")}
    vetoes = verdict.get("vetoes") or []
    result = verdict.get("result") or ("不合格" if vetoes else "合格")
    return {"result": result,
            "css": VERDICT_CSS.get(result, "unknown"),
            "unassessable": result == UNASSESSABLE,
            "reason": verdict.get("reason") or ("检查内容不足" if result == UNASSESSABLE else None),
            "note": verdict.get("note"),
            "vetoes": [v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in vetoes],
            "score": None if result == UNASSESSABLE else verdict.get("score_estimate"),
            "pass_line": verdict.get("pass_line", conf["pass_line"]),
            "deductions": _deductions(verdict, names)}


UNASSESSABLE = "无法评价"
VERDICT_CSS = {"合格": "pass", "不合格": "fail"}


def _partial(doc: dict, summary: dict | None) -> str | None:
    counts = doc.get("inventory") or (summary or {}).get("inventory") or {}
    return (counts.get("partial_reason") or "本次检查未完成") if counts.get("partial") else None


def _inventory(doc: dict, summary: dict | None) -> list[dict]:
    counts = doc.get("inventory") or (summary or {}).get("inventory") or {}
    return [{"key": key, "label": label, "value": counts[key], "unit": unit}
            for key, label, unit in INVENTORY if counts.get(key) is not None]


def _scope(engine, doc: dict, scan: dict) -> dict:
    scope = dict(doc.get("scope") or {})
    scope.setdefault("unit", scan.get("scope_unit"))
    scope.setdefault("column", scan.get("scope_column"))
    scope = {k: v for k, v in scope.items() if v}
    if scope.get("unit") or scope.get("column"):
        scope.update(scans.scope_names(engine, scan["id"], scope.get("unit"), scope.get("column")))
    return scope


def build_report(engine, scan_id: int, doc: dict, compare_to: int | None = None) -> Report:
    """The report of ``doc``, whose findings are a list or a ``StoredFindings``: only a slim frame of
    them is held (``Report.findings``, govaudit/report/stream.py); the rows are read when written."""
    scan = scans.scan_row(engine, scan_id)
    summary = scans.audit_summary(engine, scan_id)
    profile = scan.get("profile") if isinstance(scan.get("profile"), dict) else {}
    conf = settings(profile.get("report") if isinstance(profile.get("report"), dict) else None)
    names = check_names(doc.get("rules"))
    as_of = _as_of(doc, scan)

    if compare_to is not None and compare_to == scan_id:
        raise GovauditError(f"不能与本次检查自身对比 / --compare-to must name an earlier scan, not {scan_id}", EXIT_USAGE)
    if compare_to is not None and compare_to > scan_id:
        raise GovauditError(f"对比的检查记录 {compare_to} 晚于本次检查 / --compare-to must name a scan earlier than "
                            f"{scan_id}", EXIT_USAGE)
    verdict = _verdict(doc, summary, conf, names)
    base_id = compare_to if compare_to is not None else scans.previous_scan_id(engine, scan_id)
    if verdict["unassessable"]:
        base_id = None      # what was not read is not 已整改
    if compare_to is not None:
        scans.scan_row(engine, compare_to)
    findings = stream.findings_source(doc)
    frame = stream.slim_frame(engine, scan, findings, names, conf["unit_when_missing"], as_of.isoformat(),
                              wide=bool(base_id))
    comparison = trends.compare(engine, scan_id, frame, base_id, names, conf["unit_when_missing"]) \
        if base_id else None
    frame["status"] = trends.statuses(frame, comparison)
    if base_id:
        frame = frame.drop(columns=["url", "column_url"])     # read for the comparison only
    trend = trends.trend(engine, scan, frame)

    task_table = load_task_table(doc, as_of.year)
    scan_date = clock.local_date(scan.get("started_at")) or as_of.isoformat()
    # Counted from the scan, or from a later as-of: an audit replayed as of an earlier day is still
    # reported now, and a deadline before the day the problems were found would be no deadline.
    deadline = add_workdays(max(as_of, dt.date.fromisoformat(scan_date)), int(conf["rectification_working_days"]))
    frame["deadline"] = deadline.isoformat()
    report = Report(
        doc=doc, scan=scan, settings=conf, names=names,
        site=doc.get("site") or scan.get("site_name") or scan["start_url"],
        start_url=doc.get("start_url") or scan["start_url"],
        as_of=as_of, scan_date=scan_date,
        generated_at=doc.get("generated_at") or dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        scope=_scope(engine, doc, scan), inventory=_inventory(doc, summary), verdict=verdict,
        findings=frame, unit_table=unit_category_table(frame), unit_check_table=unit_check_table(frame, names),
        paragraphs=[], source=findings,
        tasks=task_groups(frame, task_table, as_of) if task_table is not None else [], deadline=deadline,
        task_year=table_year(doc, as_of.year) if task_table is not None else None,
        comparison=comparison, trend=trend if len(trend.scan_ids) > 1 else None,
        rule_errors=[names.get(rule_id, rule_id) for rule_id in (doc.get("rule_errors") or {})],
        partial=_partial(doc, summary),
    )
    report.paragraphs = paragraphs(frame, names, int(conf["examples_per_check"]),
                                   part_of=stream.check_part(report, engine, scan_id))
    return report
