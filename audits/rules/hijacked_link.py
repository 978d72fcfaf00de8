"""链接指向已关停或被劫持网站: an external link whose domain no longer resolves, redirects to another
registrable domain, or shows a parking / for-sale page."""
from __future__ import annotations

from audits.frames import records
from audits.links import host, offsite_verdict, page_owner, site_hosts
from audits.registry import rule
from audits.views import link_verdicts

_KIND = {"dns": "域名无法解析（网站已关停，域名可能被他人抢注）", "redirect": "跳转至其他网站（域名可能已被他人注册）",
         "parked": "显示域名出售或停放页面（网站已关停）"}


@rule("hijacked_link", name="链接指向已关停或被劫持网站", order=194, severity="deduct", tasks=[33],
      category="暗链和非法链接", config=["hijacked_links", "links.dns_needs_a_working_lookup"], reads=["link_sources.anchor"],
      sentence="{count}个外部链接指向已关停或被劫持的网站",
      labels={"kind": "判定情形", "final_url": "跳转后的地址"},
      basis="《政府网站与政务新媒体检查指标》：不得链接违法违规内容；友情链接、原单位网站域名失效后被抢注用于博彩等非法网站（检查通报）；要点任务33（内容管理维护）",
      views=["document_parts", "link_verdicts", "list_page_owners"])
def hijacked_link(snapshot, config, as_of):
    """An external target outside *.gov.cn whose domain no longer resolves (NXDOMAIN), that
    redirects to another registrable domain, or that shows a parking or for-sale page.

    url: the external target
    refs: V (链接至违法违规内容), D2
    severity: deduct

    含义：页面上链接的外部网站（友情链接、原单位网站等）已经关停：域名无法解析、跳转到其他网站，或显示“域名出售”
    等停放页面。这类域名常被他人抢注后用于博彩、色情等非法网站。
    依据：《政府网站与政务新媒体检查指标》关于不得链接违法违规内容的要求；检查通报中友情链接域名被抢注的问题。
    自查方法：点击报告列出的链接，确认打开的是否仍是原网站；核对跳转后的地址。
    整改方法：删除或更新失效的友情链接和外部链接；定期核查外部链接指向的网站是否仍由原单位运营。
    """
    own = site_hosts(snapshot)
    verdicts = link_verdicts(snapshot, config)      # a failed lookup with no working lookup is no proof
    found = [(link, verdict) for part in snapshot.link_parts() for _, link in records(part)
             if (verdict := offsite_verdict(link, own, config)) is not None
             and (verdict[0] != "dns" or verdicts.get(link["url"]) == "broken")]
    if not found:
        return
    sources = snapshot.link_sources_of(link["url"] for link, _ in found)     # not the 10⁶ rows of every link
    first: dict[str, tuple[str, str]] = {}
    home = snapshot.homepage_url
    for target, source, anchor, on_home in zip(sources["target_url"], sources["source_url"], sources["anchor"],
                                              sources["on_homepage"]):
        if target not in first or on_home or source == home:
            first[target] = (source, anchor or "")
    owner = page_owner(snapshot, config, {source for source, _ in first.values()})
    for link, (kind, detail) in found:
        source, anchor = first.get(link["url"], (None, ""))
        unit, column, column_url = owner.get(source, (snapshot.district_unit, None, None))
        named = f"“{anchor[:40]}”" if anchor else ""
        facts = (link["signals"] or {}).get("external") or {} if isinstance(link["signals"], dict) else {}
        yield hijacked_link.finding(
            link["url"], f"外部链接{named}{_KIND[kind]}：{host(link['url'])}（{detail}）",
            unit=unit, column=column, column_url=column_url,
            evidence={"kind": kind, "detail": detail, "source": source, "anchor": anchor or None,
                      "final_url": facts.get("final_url"), "outcome": link["outcome"]})
