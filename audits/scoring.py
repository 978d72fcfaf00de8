"""The 单项否决 verdict and the deduction estimate (rules.md Part A "Scoring", R1.3/R1.4, D1/D2).

Any veto makes the site 不合格.  The score is 100 minus per-indicator deductions, each capped;
a column already counted as blank or stale is not counted again under another indicator.  The
weights are partly unconfirmed, so the output says plainly that the score is an estimate (估算).
"""
from __future__ import annotations

from collections import defaultdict

from audits.model import Finding

_MAJOR = ("dynamic", "notice_policy")   # V4(a): 动态要闻 + 通知公告/政策文件


def vetoes(findings: list[Finding], config: dict) -> list[str]:
    cfg = config["scoring"]["vetoes"]
    blank = [f for f in findings if f.check == "empty_column"]
    stale = [f for f in findings if f.check == "stale_column"]
    major = [f for f in stale if f.evidence.get("class") in _MAJOR
             and (f.evidence.get("class") == "dynamic" or not cfg["major_top_level_only"] or f.evidence.get("top_level"))]
    out = []
    if len(blank) >= cfg["blank_columns"]:
        out.append(f"空白栏目{len(blank)}个（达到{cfg['blank_columns']}个即单项否决）")
    if len(major) >= cfg["stale_major_columns"]:
        out.append(f"动态要闻、通知公告、政策文件类栏目不更新{len(major)}个（达到{cfg['stale_major_columns']}个即单项否决）")
    if len(stale) >= cfg["stale_columns"]:
        out.append(f"应更新栏目未更新{len(stale)}个（达到{cfg['stale_columns']}个即单项否决）")
    if cfg["stale_homepage"]:
        for f in findings:
            if f.check == "stale_homepage":
                out.append(f"首页长期不更新（{f.evidence.get('newest_date')}后无更新）")
    return out


def _indicator(f: Finding) -> str | None:
    if f.check == "broken_link":
        return "broken_link_homepage" if f.evidence.get("on_homepage") else "broken_link_other"
    if f.check == "stale_column" and f.evidence.get("class") == "notice_policy":
        return "stale_policy_column"
    return f.check


def deductions(findings: list[Finding], config: dict) -> list[dict]:
    weights = config["scoring"]["deductions"]
    penalised_columns = {f.url for f in findings if f.check in ("empty_column", "stale_column")}
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        if f.severity == "notice":
            continue
        if f.check not in ("empty_column", "stale_column") and f.url in penalised_columns:
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


def verdict(findings: list[Finding], config: dict) -> dict:
    """The findings.json verdict: result, vetoes, score_estimate (+ how the estimate was made)."""
    found = vetoes(findings, config)
    parts = deductions(findings, config)
    score = round(max(0.0, 100.0 - sum(p["points"] for p in parts)), 1)
    pass_line = config["scoring"]["pass_line"]
    return {
        "result": "不合格" if found else "合格",
        "vetoes": found,
        "score_estimate": score,
        "score_label": "扣分估算（非正式评分）",
        "score_note": "按检查指标扣分项估算，部分分值为本地做法或推定，仅供参考",
        "pass_line": pass_line,
        "score_result": ("不合格" if score < pass_line else "合格") + "（估算）",
        "deductions": parts,
    }
