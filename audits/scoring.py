"""The 单项否决 verdict and the deduction estimate (rules.md Part A "Scoring", R1.3/R1.4, D1/D2).

Any veto makes the site 不合格.  The score is 100 minus per-indicator deductions, each capped;
a column already counted as blank or stale is not counted again under another indicator.  The
weights are partly unconfirmed, so the output says plainly that the score is an estimate (估算).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from types import MappingProxyType

from audits.model import Finding

_MAJOR = ("dynamic", "notice_policy")   # V4(a): 动态要闻 + 通知公告/政策文件


# What the verdict reads of a finding's evidence (_reached, _indicator).
SCORED_EVIDENCE = ("class", "top_level", "policy", "on_homepage", "newest_date")
_NO_EVIDENCE = MappingProxyType({})


@dataclass(slots=True)
class Scored:
    """What the verdict reads of one finding: a large site's 10⁴–10⁵ findings are judged without
    holding their messages and evidence (``audits.runner.audit_scan``)."""
    check: str
    url: str                # "" where the verdict does not read it (``scored``)
    field: str | None
    severity: str
    message: str            # only a veto's: it may name a veto reason
    evidence: dict
    key = Finding.key


# Checks whose URL is a column penalised once (R1.4): no other finding on it deducts again.
_PENALISED = ("empty_column", "stale_column")


def penalised_columns(findings) -> set[str]:
    return {f.url for f in findings if f.check in _PENALISED}


def scored(f: Finding, penalised: set[str] | None = None) -> Scored:
    """What the verdict reads of ``f``.  Given the ``penalised_columns`` of all the findings, its
    URL only where the verdict reads it: a penalised column's, or one such column's (10⁴ URLs of
    other findings held for nothing were 3 MiB at 10⁵ documents)."""
    evidence = {k: f.evidence[k] for k in SCORED_EVIDENCE if k in f.evidence}
    url = f.url if penalised is None or f.check in _PENALISED or f.url in penalised else ""
    return Scored(f.check, url, f.field, f.severity, f.message if f.severity == "veto" else "",
                  evidence or _NO_EVIDENCE)


# Checks whose findings count toward a numbered veto (V3/V4) rather than vetoing one by one.
_COUNTED = ("empty_column", "stale_column", "stale_homepage")


def _reached(findings: list[Finding], config: dict) -> list[tuple[str, list[Finding]]]:
    """Every veto reached: (reason, the findings it counts).  Only findings of severity ``veto``
    count, so a rule a site demotes (``severity: {stale_column: deduct}``) never vetoes."""
    cfg = config["scoring"]["vetoes"]
    candidates = [f for f in findings if f.severity == "veto"]
    blank = [f for f in candidates if f.check == "empty_column"]
    stale = [f for f in candidates if f.check == "stale_column"]
    major = [f for f in stale if f.evidence.get("class") in _MAJOR
             and (f.evidence.get("class") == "dynamic" or not cfg["major_top_level_only"] or f.evidence.get("top_level"))]
    out = []
    if blank and len(blank) >= cfg["blank_columns"]:
        out.append((f"空白栏目{len(blank)}个（达到{cfg['blank_columns']}个即单项否决）", blank))
    if major and len(major) >= cfg["stale_major_columns"]:
        out.append((f"动态要闻、通知公告、政策文件类栏目不更新{len(major)}个（达到{cfg['stale_major_columns']}个即单项否决）",
                    major))
    if stale and len(stale) >= cfg["stale_columns"]:
        out.append((f"应更新栏目未更新{len(stale)}个（达到{cfg['stale_columns']}个即单项否决）", stale))
    alone: dict[str, list[Finding]] = {}
    for f in candidates:
        if f.check == "stale_homepage" and cfg["stale_homepage"]:
            out.append((f"首页长期不更新（{f.evidence.get('newest_date')}后无更新）", [f]))
        elif f.check not in _COUNTED:      # a rule a site raised to veto (``severity:``) vetoes by itself
            alone.setdefault(f.message, []).append(f)
    # Findings that say the same (two 暗链 to one host: the message names the host) are one reason,
    # counted, not the same sentence twice in the 通报.
    for message, fs in alone.items():
        out.append((message if len(fs) == 1 else f"{message}（{len(fs)}处）", fs))
    return out


def vetoes(findings: list[Finding], config: dict) -> list[str]:
    return [reason for reason, _ in _reached(findings, config)]


def settle_vetoes(findings: list[Finding], config: dict) -> list[str]:
    """The one place that decides what is 单项否决: return the vetoes reached, and tag ``veto``
    only the findings they count.  A blank or stale column below its threshold, or a 人事/规划
    column when only the 动态要闻/通知公告 count is reached, is a deduction (``deduct``)."""
    reached = _reached(findings, config)
    counted = {id(f) for _, fs in reached for f in fs}
    for f in findings:
        if f.severity == "veto" and id(f) not in counted:
            f.severity = "deduct"
    return [reason for reason, _ in reached]


def assessable_reasons(facts: dict, config: dict) -> tuple[list[str], list[str]]:
    """Why a scan cannot be judged 合格, from the snapshot facts ``audits.coverage.coverage`` gathers:
    (reasons that stand even beside a veto, reasons a veto found overrides).

    The first kind says the site is not what govaudit audits (a whole-site scan with no 政府信息公开
    column); the second that too little was read (nothing, a capped or interrupted crawl, most
    column and list pages failed), where a veto found is still found.
    """
    cfg = config["scoring"]["assessable"]
    stats = facts.get("stats") or {}
    absolute, coverage = [], []
    if stats.get("start_page_redirect_loop"):
        coverage.append("起始网址循环重定向，未能读取首页")
    elif stats.get("start_page_unread"):
        coverage.append(f"起始网址未能读取（{stats['start_page_unread']}）")
    if facts.get("partial_reason"):
        coverage.append(facts["partial_reason"])
    if facts["columns"] < cfg["min_columns"]:
        coverage.append(f"未读取到任何栏目（读取栏目{facts['columns']}个）" if facts["columns"] == 0
                        else f"读取栏目仅{facts['columns']}个，少于{cfg['min_columns']}个")
    elif not facts.get("scoped") and facts["gongkai_columns"] < cfg["min_gongkai_columns"]:
        absolute.append("未发现政府信息公开平台或政策文件库栏目，被检查页面不是政务公开网站"
                        "（如确为政务公开网站，可在站点配置的 columns 中将其栏目标为 section: gongkai）")
    if facts["documents"] < cfg["min_documents"]:
        coverage.append(f"未读取到任何文件（读取文件{facts['documents']}篇）" if facts["documents"] == 0
                        else f"读取文件仅{facts['documents']}篇，少于{cfg['min_documents']}篇")
    failed, total = facts["failed_list_pages"], facts["list_pages"]
    if total >= cfg["min_list_pages"] and failed / total > cfg["max_failed_list_share"]:
        coverage.append(f"栏目及列表页面{total}个中{failed}个无法访问（{failed / total:.0%}），"
                        f"超过{cfg['max_failed_list_share']:.0%}，检查覆盖不足")
    unread, lists = facts.get("unread_list_columns", 0), facts.get("list_columns", 0)
    if lists >= cfg["min_list_columns"] and unread / lists > cfg["max_unread_list_share"]:
        coverage.append(f"政务公开栏目{lists}个中{unread}个的列表由脚本加载或无法识别、未能读取（{unread / lists:.0%}），"
                        f"超过{cfg['max_unread_list_share']:.0%}，检查覆盖不足")
    return absolute, coverage


def _indicator(f: Finding) -> str | None:
    if f.check == "broken_link":
        return "broken_link_homepage" if f.evidence.get("on_homepage") else "broken_link_other"
    # D1 deducts for 政策文件类 columns; a stale 通知公告 (the same update window) is a stale column.
    if f.check == "stale_column" and f.evidence.get("class") == "notice_policy" and f.evidence.get("policy"):
        return "stale_policy_column"
    return f.check


def deductions(findings: list[Finding], config: dict) -> list[dict]:
    weights = config["scoring"]["deductions"]
    penalised = penalised_columns(findings)
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        if f.severity == "notice":
            continue
        if f.check not in _PENALISED and f.url in penalised:
            continue  # R1.4: a blank or stale column is not penalised again
        indicator = _indicator(f)
        if indicator in weights:
            counts[indicator] += 1
    out = []
    for indicator, n in counts.items():
        w = weights[indicator]
        points = min(n * float(w["per"]), float(w["cap"]))
        out.append({"indicator": indicator, "count": n, "per": w["per"], "cap": w["cap"], "points": round(points, 2)})
    return sorted(out, key=lambda d: (-d["points"], d["indicator"]))


def verdict(findings: list[Finding], config: dict, facts: dict | None = None) -> dict:
    """The findings.json verdict: result, vetoes, score_estimate (+ how the estimate was made).

    ``facts`` (``audits.coverage.coverage``) says how much the scan read.  A scan that read too
    little is 无法评价 with a ``reason``, and no score is estimated for it: what was not read
    cannot be called 合格.  A veto found is still 不合格, except on a site that is not a 政务公开
    site at all.  ``findings`` of severity ``veto`` not counted by a veto reached become ``deduct``.
    """
    found = settle_vetoes(findings, config)
    parts = deductions(findings, config)
    score = round(max(0.0, 100.0 - sum(p["points"] for p in parts)), 1)
    pass_line = config["scoring"]["pass_line"]
    absolute, coverage = assessable_reasons(facts, config) if facts is not None else ([], [])
    unassessable = absolute + ([] if found else coverage)
    out = {
        "result": "无法评价" if unassessable else ("不合格" if found else "合格"),
        "vetoes": found,
        "score_estimate": None if unassessable else score,
        "score_label": "扣分估算（非正式评分）",
        "score_note": "按检查指标扣分项估算，部分分值为本地做法或推定，仅供参考",
        "pass_line": pass_line,
        "score_result": "不予估算" if unassessable else ("不合格" if score < pass_line else "合格") + "（估算）",
        "deductions": parts,
    }
    if unassessable:
        out["reason"] = "；".join(unassessable)
    elif coverage:     # a veto found on a scan that read too little: still 不合格, and said so
        out["note"] = "本次检查覆盖不完整（" + "；".join(coverage) + "），已发现的单项否决问题仍据实认定"
    return out
