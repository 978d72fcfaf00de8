"""网站标识不全: the homepage footer lacks 网站标识码 / ICP / 公安备案号, or pages lack the 47号 metas.

Judged only on facts the crawler recorded: a fact that was not recorded at all is unknown, not
missing.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import false, or_

from audits.registry import rule
from audits.texts import document_values, page_values
from audits.docparts import document_batches

META_FIELD = "网页元数据"
FOOTER_PAGE_KINDS = ("homepage", "other")


def _lacking_any(names):
    """The documents whose head metas may lack one of ``names``, chosen by the database (decoding
    every page's metas was 1.5 s at 10⁵ documents).  A superset: the loop below still judges each
    page; the crawler writes each meta as a string."""
    def where(table):
        values = [table.c.metas[name].as_string() for name in names]
        return or_(*(v.is_(None) for v in values), *(v == "" for v in values)) if values else false()
    return where



def _article_metas(snapshot, config, column_urls: set, where):
    """(URL, head metas, unit) of the fetched documents whose metas may lack a tag (``where``)."""
    for docs in document_batches(snapshot, config, ("fetched_ok", "url", "unit")):
        # A column page showing its one page inline (指南, 机构职能) has the column template's metas.
        articles = docs.index[docs["fetched_ok"] & ~docs.index.isin(column_urls)]
        unit_of = dict(zip(docs["url"], docs["unit"]))
        for url, metas in document_values(snapshot, "metas", articles, where=where):
            yield url, metas, unit_of[url]

@rule("site_identity_missing", name="网站标识不全", order=200, severity="notice", tasks=[32],
      config=["identity"],
      basis="网站页脚应有政府网站标识码、ICP备案号、公安机关备案号，网页应有国办发〔2017〕47号规定的元数据"
            "（rules.md A4/A5，[P]）；要点任务32",
      views=["document_parts"])
def site_identity_missing(snapshot, config, as_of):
    """The homepage footer lacks 网站标识码 / ICP / 公安备案号, or pages lack the 47号 metas.

    url: the homepage / a stand-alone page; a unit's home (`field`: 网页元数据)
    refs: A4/A5

    含义：网站页脚缺少政府网站标识码、ICP备案号、公安机关备案号，或网页缺少规定的网页元数据（
    如SiteName、SiteDomain、SiteIDCode）。本项为提示。
    依据：《国务院办公厅关于印发政府网站发展指引的通知》（国办发〔2017〕47号）关于网站标识和网页元数据的规定。
    自查方法：查看网站首页底部的标识信息；在浏览器中查看网页源代码，查找 meta 元数据。
    整改方法：在网站页脚补全标识码和备案号；由网站技术支持单位在页面模板中补充元数据。
    """
    cfg = config["identity"]
    home = snapshot.homepage_url
    # Footers of the homepage and the other stand-alone pages (关怀版, 无障碍 …); lists and
    # documents share their section's template and are covered by its pages.
    found = (snapshot.pages_of([home] if home else [], ["kind"]), snapshot.pages_of_kind(FOOTER_PAGE_KINDS, ["kind"]))
    footer_pages = list(dict(pair for pages in found for pair in zip(pages["url"], pages["kind"])).items())
    facts_of = dict(page_values(snapshot, "facts", {url for url, _ in footer_pages}))
    for url, kind in sorted(footer_pages, key=lambda t: (t[0] != home, t[0])):
        facts = facts_of.get(url)
        if not isinstance(facts, dict):
            continue
        missing_footer = [label for key, label in cfg["footer_items"].items() if key in facts and not facts[key]]
        metas = facts.get("metas") if isinstance(facts.get("metas"), dict) else None
        missing_metas = [m for m in cfg["site_metas"] if metas is not None and not metas.get(m)] if url == home else []
        if not missing_footer and not missing_metas:
            continue
        parts = []
        if missing_footer:
            parts.append(f"页脚缺少{'、'.join(missing_footer)}")
        if missing_metas:
            parts.append(f"缺少{'、'.join(missing_metas)}元数据")
        where = "网站首页" if url == home else f"页面{url}"
        yield site_identity_missing.finding(
            url, f"{where}{'，'.join(parts)}", unit=snapshot.district_unit, column="首页" if url == home else None,
            evidence={"missing_footer": missing_footer, "missing_metas": missing_metas,
                      "seen": {k: facts.get(k) for k in cfg["footer_items"] if k in facts}})
    # Article pages: one finding per unit, listing how many pages lack which tags.
    gaps: dict = defaultdict(lambda: {"pages": 0, "tags": defaultdict(int), "examples": []})
    lacking = _lacking_any(cfg["article_metas"])
    column_urls = set(snapshot.columns["url"])
    for url, metas, unit in _article_metas(snapshot, config, column_urls, lacking):
        if not metas:
            continue  # no head metas recorded for this page: unknown
        missing = [m for m in cfg["article_metas"] if not metas.get(m)]
        if missing:
            g = gaps[unit]
            g["pages"] += 1
            for m in missing:
                g["tags"][m] += 1
            if len(g["examples"]) < cfg["max_examples"]:
                g["examples"].append(url)
    homes = dict(zip(snapshot.units["name"], snapshot.units["home_url"]))
    for unit, g in sorted(gaps.items(), key=lambda kv: str(kv[0])):
        where = homes.get(unit) or snapshot.scan["start_url"]
        tags = "、".join(sorted(g["tags"]))
        yield site_identity_missing.finding(
            where, f"{unit or '本站'}{g['pages']}个信息页面缺少{tags}元数据", field=META_FIELD, unit=unit,
            evidence={"pages": g["pages"], "missing_tags": dict(g["tags"]), "examples": g["examples"]})
