"""链接待人工核实: 403/412/418/429 and JS-challenge answers — a WAF, not a dead link."""
from __future__ import annotations

from audits.links import bad_links, page_owner
from audits.registry import rule


@rule("link_inconclusive", name="链接待人工核实", order=9, severity="notice", tasks=[33],
      basis="403/412/418/429及JS验证页多为网站防护拦截检查程序，不计为不可用链接，列出供人工核实（rules.md Part A）")
def link_inconclusive(snapshot, config, as_of):
    owner = page_owner(snapshot, config)
    limit = config["links"]["max_sources"]
    for entry in bad_links(snapshot, config, "inconclusive"):
        link, sources = entry["link"], entry["sources"]
        first = sources[0]["source"] if sources else None
        unit, column, column_url = owner.get(first, (snapshot.district_unit, None, None))
        answer = f"HTTP {int(link['status'])}" if link["status"] is not None else "验证页面"
        yield link_inconclusive.finding(
            link["url"], f"链接{link['url']}返回{answer}，疑似被网站防护拦截，需人工核实",
            unit=unit, column=column, column_url=column_url,
            evidence={"status": link["status"], "outcome": link["outcome"], "detail": link["detail"],
                      "source": first, "sources": [s["source"] for s in sources[:limit]],
                      "source_count": len(sources), "on_homepage": any(s["on_homepage"] for s in sources)})
