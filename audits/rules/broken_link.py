"""不可用链接: a link target that is dead (404/410/5xx, timeout, DNS/TLS failure, soft 404).

One finding per target however many pages link to it; the evidence lists up to N linking
pages and their count, homepage ones first (D2 scores homepage links apart).
"""
from __future__ import annotations

from audits.links import BAD_LINK_READS, bad_links, offsite_verdict, site_hosts
from audits.registry import rule

_OUTCOME_WORDS = {"timeout": "访问超时", "dns": "域名无法解析", "tls": "证书/加密连接错误",
                  "soft404": "页面显示“页面不存在”（软404）", "error": "无法连接"}


def describe(link) -> str:
    if link["outcome"] in _OUTCOME_WORDS:
        return _OUTCOME_WORDS[link["outcome"]]
    return f"HTTP {int(link['status'])}" if link["status"] is not None else str(link["outcome"])


def sentence(part, say):
    """主要问题: dead links on the homepage and elsewhere (D2 scores them apart), dead attachments."""
    home = part["on_homepage"].sum() if "on_homepage" in part else 0
    attachments = part["is_attachment"].sum() if "is_attachment" in part else 0
    said = f"首页不可用链接{home}条、其他页面不可用链接{len(part) - home}条"
    if attachments:
        said += f"，其中附件失效{attachments}个"

    def text(r):
        ev = r.evidence
        what = f"“{ev['anchor']}”" if ev.get("anchor") else ("附件" if r.is_attachment else "链接")
        outcome = str(ev.get("outcome") or "")
        why = (say.evidence("broken_link", "status", ev) if ev.get("status") and (outcome.startswith("http_") or not outcome)
               else say.evidence("broken_link", "outcome", ev) or "无法访问")
        where = "首页" if r.on_homepage else f"{say.where(r)}页面中的" if r.column else ""
        return f"{where}{what}（{r.url}）{why}"
    return said, say.examples(part, text)


@rule("broken_link", name="不可用链接", order=100, severity="deduct", tasks=[33],
      category="不可用链接", config=["links.broken_outcomes", "links.max_sources", "hijacked_links",
                                       "links.dns_needs_a_working_lookup"],
      reads=BAD_LINK_READS,
      sentence=sentence,
      basis="2015年全国政府网站普查：首页不可用链接每个扣1分、其他页面每个扣0.1分（rules.md D2）；要点任务33（内容管理维护）",
      views=["document_parts", "link_verdicts", "list_page_owners"])
def broken_link(snapshot, config, as_of):
    """A link target that is dead (404/410/5xx, timeout, DNS/TLS failure, soft 404).

    url: the dead target
    refs: D2

    含义：页面上的链接（包括附件、图片和外部链接）无法访问：页面不存在（如HTTP 404）、服务器错误、访问超时、域
    名无法解析、证书错误，或页面显示“页面不存在”等内容。首页上的不可用链接单独统计。
    依据：政府网站检查中链接可用性的扣分规则（首页不可用链接每条扣1分、其他页面每条扣0.1分）；政务公开工作要点
    关于网站内容管理维护的要求。
    自查方法：在“来源页面”中找到该链接并点击，确认能否打开；附件应能正常下载。
    整改方法：修复链接地址或重新上传附件；内容已撤销的，删除链接或改为说明文字；链接外部网站的，定期检查其可用
    性。
    """
    own = site_hosts(snapshot)
    for entry in bad_links(snapshot, config, "broken"):
        link, sources, first = entry["link"], entry["sources"], entry["first"]
        if offsite_verdict(link, own, config):
            continue        # another site's lapsed domain: hijacked_link reports it

        on_home = entry["evidence"]["on_homepage"]
        what = "附件" if link["is_attachment"] or any(s["tag"] == "attachment" for s in sources) else "链接"
        anchor = (sources[0]["anchor"] or "").strip() if sources else ""
        named = f"“{anchor[:40]}”" if anchor else ""
        message = f"{'首页' if on_home else '页面'}{what}{named}不可用：{link['url']}（{describe(link)}）"
        if first and not on_home:
            message += f"，所在页面：{first}"
        if len(sources) > 1:
            message += f"等{len(sources)}个页面"
        yield broken_link.finding(
            link["url"], message, **entry["where"],
            evidence={**entry["evidence"], "method": link["method"], "is_external": bool(link["is_external"]),
                      "is_attachment": what == "附件", "anchor": anchor or None,
                      "homepage_source_count": sum(s["on_homepage"] for s in sources),
                      "checked_at": link["checked_at"]})
