"""链接待人工核实: 403/412/418/429 and JS-challenge answers — a WAF, not a dead link.

Failed name lookups in a scan where no lookup worked are no finding at all: the scanner's network,
not the link, is in doubt, so the report says it once (inventory ``links_unverified``)."""
from __future__ import annotations

from audits.links import BAD_LINK_READS, bad_links
from audits.registry import rule


@rule("link_inconclusive", name="链接待人工核实", order=110, severity="notice", tasks=[33],
      config=["links.inconclusive_statuses", "links.inconclusive_outcomes", "links.max_sources"],
      reads=BAD_LINK_READS,
      sentence="无法确认能否访问的链接{count}条（返回403、429等状态，疑为网站防护拦截；未计入不可用链接，需人工核查）",
      basis="403/412/418/429及JS验证页多为网站防护拦截检查程序，不计为不可用链接，列出供人工核实（rules.md Part A）",
      views=["document_parts", "link_verdicts", "list_page_owners"])
def link_inconclusive(snapshot, config, as_of):
    """403/412/418/429 and JS-challenge answers — a WAF, not a dead link.

    url: the target
    refs: Part A

    含义：链接返回403、429等状态或需要验证，多为对方网站的防护措施拦截了检查程序，无法判断是否可用。本项不计入
    不可用链接，需人工核查。
    依据：检查工作中对访问受限链接人工复核的做法。
    自查方法：用浏览器点击该链接，看能否正常打开。
    整改方法：能正常打开的无需整改，复核时说明即可；打不开的按不可用链接修复或删除。
    """
    for entry in bad_links(snapshot, config, "inconclusive"):
        link = entry["link"]
        answer = f"HTTP {int(link['status'])}" if link["status"] is not None else "验证页面"
        message = f"链接{link['url']}返回{answer}，疑似被网站防护拦截，需人工核实"
        yield link_inconclusive.finding(link["url"], message, **entry["where"], evidence=entry["evidence"])
