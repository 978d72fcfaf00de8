"""Link targets with their outcome and where they were linked from (rules.md D2)."""
from __future__ import annotations


from audits.views import classify_outcome, column_classes, document_view, link_verdicts, rows

__all__ = ["BAD_LINK_READS", "bad_links", "classify_outcome", "page_owner"]

# The optional snapshot columns ``bad_links`` reads (@rule(reads=BAD_LINK_READS)).
BAD_LINK_READS = ("links.detail", "links.method", "links.checked_at", "link_sources.anchor", "link_sources.tag")


def page_owner(snapshot, config):
    """source page URL -> (unit, column name, column URL), for attributing a link."""
    def build():
        cols = column_classes(snapshot, config)
        owner = {}
        for url, c in cols.iterrows():
            owner[url] = (c["unit"] or snapshot.district_unit, c["name"], url)
        items = snapshot.list_items
        for page, col in zip(items["page_url"], items["column_url"]):
            if page and col in owner and page not in owner:
                owner[page] = owner[col]
        docs = document_view(snapshot, config)
        for url, d in docs.iterrows():
            owner[url] = (d["unit"], d["column"], d["column_url"])
        return owner
    return snapshot.memo(("page_owner", id(config)), build)


def bad_links(snapshot, config, kind: str) -> list[dict]:
    """Every target whose outcome is ``kind``: its sources (homepage ones first), the unit and
    column of the first linking page, and the evidence every link finding carries."""
    links = snapshot.links
    if not len(links):
        return []
    verdicts = link_verdicts(snapshot, config)
    bad = rows(links, (verdicts.get(u) == kind for u in links["url"]))
    if not len(bad):
        return []
    srcs = snapshot.link_sources_of(bad["url"])
    home = snapshot.homepage_url
    by_target: dict[str, list[dict]] = {}
    for t, s, a, tag, on_home in zip(srcs["target_url"], srcs["source_url"], srcs["anchor"], srcs["tag"],
                                     srcs["on_homepage"]):
        by_target.setdefault(t, []).append({"source": s, "anchor": a or "", "tag": tag or "a",
                                            "on_homepage": bool(on_home) or (home is not None and s == home)})
    owner = page_owner(snapshot, config)
    limit = config["links"]["max_sources"]
    out = []
    for _, link in bad.sort_values("url").iterrows():
        sources = sorted(by_target.get(link["url"], []), key=lambda x: (not x["on_homepage"], x["source"]))
        first = sources[0]["source"] if sources else None
        unit, column, column_url = owner.get(first, (snapshot.district_unit, None, None))
        out.append({
            "link": link, "sources": sources, "first": first,
            "where": {"unit": unit, "column": column, "column_url": column_url},
            "evidence": {"status": link["status"], "outcome": link["outcome"], "detail": link["detail"],
                         "source": first, "sources": [s["source"] for s in sources[:limit]],
                         "source_count": len(sources), "on_homepage": any(s["on_homepage"] for s in sources)},
        })
    return out
