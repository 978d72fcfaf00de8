"""不可用链接: a link target that is dead (404/410/5xx, timeout, DNS/TLS failure, soft 404).

One finding per target however many pages link to it; the evidence lists up to N linking
pages and their count, homepage ones first (D2 scores homepage links apart).
"""
from __future__ import annotations

from audits.links import bad_links
from audits.registry import rule

_OUTCOME_WORDS = {"timeout": "访问超时", "dns": "域名无法解析", "tls": "证书/加密连接错误",
                  "soft404": "页面显示“页面不存在”（软404）", "error": "无法连接"}


def describe(link) -> str:
    if link["outcome"] in _OUTCOME_WORDS:
        return _OUTCOME_WORDS[link["outcome"]]
    return f"HTTP {int(link['status'])}" if link["status"] is not None else str(link["outcome"])


@rule("broken_link", name="不可用链接", order=8, severity="deduct", tasks=[33],
      basis="2015年全国政府网站普查：首页不可用链接每个扣1分、其他页面每个扣0.1分（rules.md D2）；要点任务33（内容管理维护）")
def broken_link(snapshot, config, as_of):
    for entry in bad_links(snapshot, config, "broken"):
        link, sources, first = entry["link"], entry["sources"], entry["first"]
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
