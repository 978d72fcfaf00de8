"""Link targets with their outcome and where they were linked from (rules.md D2), and what
marks another site as dead or taken over (hijacked_link)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import tldextract
import yaml

from audits.docparts import document_rows
from audits.views import classify_outcome, column_classes, link_verdicts

__all__ = ["BAD_LINK_READS", "bad_links", "classify_outcome", "page_owner", "host", "under", "site_hosts", "offsite_verdict"]

EXTERNAL_DATA = Path(__file__).with_name("data") / "external_sites.yaml"
# The public suffix list bundled with tldextract: never fetched (no network in an audit).
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def host(url) -> str:
    try:
        return (urlsplit(str(url)).hostname or "").lower()
    except ValueError:
        return ""


def under(name: str, suffixes) -> bool:
    """``name`` is one of ``suffixes`` or a subdomain of one."""
    return any(name == s or name.endswith("." + s) for s in suffixes)


def site_hosts(snapshot) -> set[str]:
    """The site's own hosts: its start URLs' and the profile's allowed_hosts."""
    profile = snapshot.scan.get("profile") if isinstance(snapshot.scan.get("profile"), dict) else {}
    urls = [snapshot.scan.get("start_url"), *(profile.get("start_urls") or [])]
    return {host(u) for u in urls if u} | {h.lower() for h in profile.get("allowed_hosts") or []}


def registrable(name: str) -> str:
    """The registrable domain of a host (jnzq.gov.cn of www.jnzq.gov.cn); an IP or an unknown
    suffix is its own."""
    return _EXTRACT(name).top_domain_under_public_suffix or name


@lru_cache(maxsize=1)
def _parking_phrases() -> tuple[str, ...]:
    with EXTERNAL_DATA.open(encoding="utf-8") as fh:
        return tuple(yaml.safe_load(fh)["parking_phrases"])


def offsite_verdict(link, own: set[str], config) -> tuple[str, str] | None:
    """(kind, detail) when an external target outside the gov suffixes is dead or taken over:
    ``dns`` (its domain no longer resolves), ``redirect`` (it now sends readers to another
    registrable domain), ``parked`` (a parking or for-sale page).  None otherwise."""
    cfg = config["hijacked_links"]
    name = host(link["url"])
    if not name or name in own or under(name, cfg["gov_suffixes"]):
        return None
    if link["outcome"] == "dns":
        return "dns", "域名无法解析"
    facts = (link["signals"] or {}).get("external") if isinstance(link["signals"], dict) else None
    if not facts:
        return None
    said = f"{facts.get('title') or ''} {facts.get('text') or ''}".lower()
    phrase = next((p for p in [*_parking_phrases(), *cfg["parking_phrases"]] if p.lower() in said), None)
    if phrase:
        return "parked", f"页面显示“{phrase}”"
    final = host(facts.get("final_url"))
    if final and final not in own and not under(final, cfg["gov_suffixes"]) and registrable(final) != registrable(name):
        return "redirect", f"跳转至{final}"
    return None


# The optional snapshot columns ``bad_links`` reads (@rule(reads=BAD_LINK_READS)).
BAD_LINK_READS = ("links.detail", "links.method", "links.checked_at", "link_sources.anchor", "link_sources.tag")


def page_owner(snapshot, config, pages) -> dict:
    """{page URL: (unit, column name, column URL)} of the pages ``pages``, for attributing what is
    on them: a document by its view row, else a column or one of its list pages, else a unit's
    信息公开 home (no column, but the unit's page).  Only the pages asked for: not a row per document."""
    pages = {p for p in pages if isinstance(p, str)}
    listed = _list_page_owners(snapshot, config)
    owner = {url: listed[url] for url in pages if url in listed}
    docs = document_rows(snapshot, config, pages, ("unit", "column", "column_url"))
    owner.update(zip(docs.index, zip(docs["unit"], docs["column"], docs["column_url"])))
    for home, name in zip(snapshot.units["home_url"], snapshot.units["name"]):
        if home in pages and home not in owner:
            owner[home] = (name, None, None)
    return owner


def _list_page_owners(snapshot, config) -> dict:
    """{URL: owner} of every column and of the list pages its entries were read from."""
    def build():
        cols = column_classes(snapshot, config)
        owner = {url: (c["unit"] or snapshot.district_unit, c["name"], url) for url, c in cols.iterrows()}
        for part in snapshot.list_item_parts(["column_url"]):      # a list page is its column's
            for page, col in zip(part["page_url"], part["column_url"]):
                if page and col in owner and page not in owner:
                    owner[page] = owner[col]
        return owner
    return snapshot.memo(("list_page_owners", id(config)), build)


def bad_links(snapshot, config, kind: str) -> list[dict]:
    """Every target whose outcome is ``kind``: its sources (homepage ones first), the unit and
    column of the first linking page, and the evidence every link finding carries."""
    verdicts = link_verdicts(snapshot, config)
    bad = snapshot.links_of(u for u, v in verdicts.items() if v == kind)
    if not len(bad):
        return []
    srcs = snapshot.link_sources_of(bad["url"])
    home = snapshot.homepage_url
    by_target: dict[str, list[dict]] = {}
    for t, s, a, tag, on_home in zip(srcs["target_url"], srcs["source_url"], srcs["anchor"], srcs["tag"],
                                     srcs["on_homepage"]):
        by_target.setdefault(t, []).append({"source": s, "anchor": a or "", "tag": tag or "a",
                                            "on_homepage": bool(on_home) or (home is not None and s == home)})
    owner = page_owner(snapshot, config, srcs["source_url"])
    limit = config["links"]["max_sources"]
    out = []
    for _, link in bad.sort_values("url").iterrows():
        sources = sorted(by_target.get(link["url"], []), key=lambda x: (not x["on_homepage"], x["source"]))
        first = sources[0]["source"] if sources else None
        # Named after the first linking page that sits in a column (a unit's home only says whose).
        placed = [owner[s["source"]] for s in sources if s["source"] in owner]
        unit, column, column_url = next((o for o in placed if o[1]), placed[0] if placed
                                        else (snapshot.district_unit, None, None))
        out.append({
            "link": link, "sources": sources, "first": first,
            "where": {"unit": unit, "column": column, "column_url": column_url},
            "evidence": {"status": link["status"], "outcome": link["outcome"], "detail": link["detail"],
                         "source": first, "sources": [s["source"] for s in sources[:limit]],
                         "source_count": len(sources), "on_homepage": any(s["on_homepage"] for s in sources)},
        })
    return out
