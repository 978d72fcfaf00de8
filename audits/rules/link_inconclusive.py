"""链接待人工核实: 403/412/418/429 and JS-challenge answers — a WAF, not a dead link."""
from __future__ import annotations

from audits.links import bad_links
from audits.registry import rule


@rule("link_inconclusive", name="链接待人工核实", order=9, severity="notice", tasks=[33],
      basis="403/412/418/429及JS验证页多为网站防护拦截检查程序，不计为不可用链接，列出供人工核实（rules.md Part A）")
def link_inconclusive(snapshot, config, as_of):
    for entry in bad_links(snapshot, config, "inconclusive"):
        link = entry["link"]
        answer = f"HTTP {int(link['status'])}" if link["status"] is not None else "验证页面"
        yield link_inconclusive.finding(
            link["url"], f"链接{link['url']}返回{answer}，疑似被网站防护拦截，需人工核实",
            **entry["where"], evidence=entry["evidence"])
