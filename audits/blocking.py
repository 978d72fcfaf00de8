"""A scan the site blocked part-way: what could not be judged, and the findings withheld.

The crawler records the facts (``scan.stats["blocked"]``: the hosts that refused it, what they
answered and when, the units and columns whose pages it did not read because of that).  Here,
a pure function of those facts and the findings decides: a finding of a check that a page not
read could cause (``blocked.withheld_checks`` / ``withheld_prefixes`` in defaults.yaml) about
such a unit or column is withheld, and the scan is 无法评价 (``partial_reason``).
"""
from __future__ import annotations

from audits.model import Finding

DISTRICT = "区本级"      # pages of no unit's own sub-site (the portal, the platform's district pages)


def block_facts(scan: dict) -> dict | None:
    facts = (scan.get("stats") or {}).get("blocked")
    return facts if facts and facts.get("hosts") else None


def block_reason(facts: dict) -> str:
    """One line: which host blocked the scan, with what, and when (UTC)."""
    parts = [f"{host}（返回{h.get('status')}，{str(h.get('at') or '')[:16].replace('T', ' ')} UTC）"
             for host, h in sorted(facts["hosts"].items())]
    return "检查过程中被网站拦截：" + "、".join(parts)


def _sensitive(check: str, config: dict) -> bool:
    cfg = config["blocked"]
    return check in cfg["withheld_checks"] or any(check.startswith(p) for p in cfg["withheld_prefixes"])


def withhold(findings: list[Finding], scan: dict, config: dict, district: str | None = None):
    """(findings kept, the ``blocked`` section of findings.json or None if the scan was not blocked).

    ``district``: the name of the district unit (pages of no unit belong to it)."""
    facts = block_facts(scan)
    if facts is None:
        return findings, None
    units = {u or district or DISTRICT for u in facts.get("units") or []}
    columns = set(facts.get("columns") or [])
    kept, withheld = [], 0
    for f in findings:
        unit = f.unit or district or DISTRICT
        touched = unit in units or f.url in columns or (f.column_url or "") in columns
        if touched and _sensitive(f.check, config):
            withheld += 1
        else:
            kept.append(f)
    section = {"message": block_reason(facts) + "，未读取的页面未作判定", "hosts": facts["hosts"],
               "at": min(str(h.get("at") or "") for h in facts["hosts"].values()),
               "not_judged": {"units": sorted(units), "columns": sorted(columns)},
               "not_fetched": facts.get("not_fetched", 0), "withheld_findings": withheld}
    return kept, section
