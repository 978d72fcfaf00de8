"""暗链: a hidden link to a host outside the site, *.gov.cn and the allow-list."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from audits.links import host, page_owner, site_hosts, under
from audits.registry import rule

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "hidden_links.yaml"
_HOW = {"display_none": "display:none", "visibility_hidden": "visibility:hidden", "opacity_0": "opacity:0",
        "font_size_0": "font-size:0", "text_indent": "text-indent负值", "offscreen": "定位到屏幕外",
        "zero_size": "零尺寸", "clip": "clip裁剪", "hidden_attr": "hidden属性", "marquee": "marquee滚动",
        "noscript": "noscript内", "document_write": "document.write写入", "cloaked": "仅向搜索引擎蜘蛛显示",
        "tab_panel": "未选中的选项卡"}


@lru_cache(maxsize=1)
def data() -> dict:
    with DATA_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def severe_words(config) -> list[str]:
    return [w for words in data()["severe_words"].values() for w in words] + list(config["hidden_links"]["severe_words"])


def government_menus(rows, offsite, cfg) -> set:
    """(source page, block) of the hidden blocks that are menus of government sites: enough links,
    most of them to the site, *.gov.cn or allow-listed hosts."""
    links: dict[tuple, set] = {}
    for target, source, _anchor, signals, block in rows:
        if signals and block and block != "document.write":
            links.setdefault((source, block), set()).add(target)
    return {key for key, targets in links.items()
            if len(targets) >= cfg["menu_min_links"]
            and sum(not offsite(t) for t in targets) >= cfg["menu_gov_share"] * len(targets)}


@rule("hidden_link", name="暗链", order=192, severity="veto", tasks=[32],
      category="暗链和非法链接", config=["hidden_links"], reads=["link_sources.anchor"],
      sentence="{count}个暗链（隐藏的站外链接）",
      labels={"how": "隐藏方式", "severe_words": "涉赌涉黄词语", "anchor": "链接文字"},
      basis="《政府网站与政务新媒体检查指标》单项否决“链接至反动、暴力、色情等违法违规内容”；暗链、非法链接（济南、临沂2025年检查通报）",
      views=["document_parts", "link_verdicts", "list_page_owners"])
def hidden_link(snapshot, config, as_of):
    """A link hidden on the page (display:none, off-screen, zero size, font-size:0, document.write …)
    to a host that is not the site's, not under *.gov.cn and not on the allow-list.

    url: the hidden link's target
    refs: V (链接至违法违规内容)
    severity: veto when its anchor, URL or the target page (title, first lines) has a 赌博/色情 word;
    otherwise deduct

    含义：页面中用隐藏样式（不显示、移出屏幕、零尺寸、字号为0等）或脚本写入的、读者看不到的站外链接，多为网站被入侵后植入的
    博彩、色情等非法链接。内容管理系统厂商的隐藏标识（如大汉版通的 www.hanweb.com 链接），以及主要由政府网站组成
    的隐藏菜单（如收起的“相关链接”下拉菜单）中的链接，不含涉赌涉黄词语的，不在此列。
    依据：《政府网站与政务新媒体检查指标》将链接至反动、暴力、色情等违法违规内容列为单项否决指标；各地检查通报点名的暗链、非法链接。
    自查方法：查看页面源代码，按报告列出的链接地址和隐藏方式查找；检查网页模板、公共页头页脚和服务器上的文件是否被篡改。
    整改方法：立即删除暗链，排查并修复被入侵的漏洞，修改后台口令；对网页模板和静态页面开展全面排查。
    """
    cfg = config["hidden_links"]
    sources = snapshot.hidden_link_sources()      # not the 10⁶ rows of every link
    d = data()
    allow = [v["host"] for v in [*d["cms_vendors"], *d["widget_hosts"]]] + list(d["official_hosts"]) + list(cfg["allow_hosts"])
    own, counted, words = site_hosts(snapshot), set(cfg["signals"]), severe_words(config)
    by_target: dict[str, list[dict]] = {}

    def offsite(target) -> bool:
        name = host(target)
        return bool(name) and name not in own and not under(name, cfg["gov_suffixes"]) and not under(name, allow) \
            and urlsplit(str(target)).scheme in ("http", "https")

    rows = [(target, source, anchor or "", [s for s in (facts.get("hidden") or []) if s in counted], facts.get("block"))
            for target, source, anchor, facts in zip(sources["target_url"], sources["source_url"], sources["anchor"],
                                                     sources["facts"]) if isinstance(facts, dict)]
    menus = government_menus(rows, offsite, cfg)
    for target, source, anchor, signals, block in rows:
        if signals and offsite(target):
            by_target.setdefault(target, []).append({"source": source, "anchor": anchor, "how": signals,
                                                     "in_menu": (source, block) in menus})
    # Cloaking: links the page showed only when fetched as a search engine's spider.
    views = (snapshot.scan.get("stats") or {}).get("spider_views") or {} if cfg["cloaking"] else {}
    shown: dict[str, set] = {}
    if views:
        on_pages = snapshot.link_sources_from(views)
        for target, source in zip(on_pages["target_url"], on_pages["source_url"]):
            shown.setdefault(source, set()).add(target)
    for page_url, view in views.items():
        if page_url not in shown:
            continue        # the ordinary fetch stored nothing to compare with
        for target, anchor in view.get("links") or []:
            if target not in shown[page_url] and offsite(target):
                by_target.setdefault(target, []).append({"source": page_url, "anchor": anchor or "", "how": ["cloaked"]})
    owner = page_owner(snapshot, config, {s["source"] for seen in by_target.values() for s in seen})
    # What the target page said when the link check fetched it (crawler/external.py).
    links = snapshot.links_of(by_target, ["signals"])
    said_by = {u: f"{(s or {}).get('external', {}).get('title') or ''} {(s or {}).get('external', {}).get('text') or ''}"
               for u, s in zip(links["url"], links["signals"]) if isinstance(s, dict) and s.get("external")}
    for target in sorted(by_target):
        seen = sorted(by_target[target], key=lambda s: s["source"])
        first = seen[0]
        hows = sorted({h for s in seen for h in s["how"]})
        said = " ".join([target, said_by.get(target, ""), *(s["anchor"] for s in seen)])
        severe = sorted({w for w in words if w.lower() in said.lower()})
        if not severe and all(s.get("in_menu") or set(s["how"]) <= {"tab_panel"} for s in seen):
            continue                  # a hidden menu of government sites lists it, or a closed tab shows it
        unit, column, column_url = owner.get(first["source"], (snapshot.district_unit, None, None))
        kind = "涉赌涉黄暗链" if severe else "暗链"
        yield hidden_link.finding(
            target, f"页面含{kind}（{'、'.join(_HOW.get(h, h) for h in hows)}）：{host(target)}",
            severity="veto" if severe else "deduct", unit=unit, column=column, column_url=column_url,
            evidence={"source": first["source"], "sources": [s["source"] for s in seen[:config["links"]["max_sources"]]],
                      "source_count": len(seen), "how": [_HOW.get(h, h) for h in hows], "anchor": first["anchor"],
                      "severe_words": severe})
