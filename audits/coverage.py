"""What a scan covered: the inventory findings.json reports (units, columns, documents, links …)
and the coverage facts the verdict reads to tell a scan that read too little from a clean site
(``scoring.verdict``)."""
from __future__ import annotations

from audits.blocking import block_facts, block_reason
from audits.docparts import document_count
from audits.filetext import attachment_inventory
from audits.snapshot import Snapshot
from audits.views import column_classes, link_verdicts


def _units_covered(snapshot: Snapshot, columns, finding_units) -> int:
    """Units the scan covered: those the crawl recorded (for a column scan, the column's owner), and
    every unit a finding is attributed to -- a finding of no unit belongs to the district itself,
    which counts as a unit even on a site with no unit sub-sites.  So 涉及N个单位 never exceeds it."""
    if snapshot.scope.get("scope_column"):
        names = {u or snapshot.district_unit or "" for u in columns["unit"]}
    else:
        names = set(snapshot.units["name"].dropna())
    return len(names | set(finding_units))


def inventory(snapshot: Snapshot, finding_units=(), config: dict | None = None) -> dict:
    """What the scan covered, counted after deduplication (a document in two columns is one).
    ``finding_units``: the units findings are attributed to ("" for a finding of no unit)."""
    cols = snapshot.columns
    cols = cols[(cols["kind"] != "homepage") & (cols["section"] != "homepage")]
    return {
        "units": _units_covered(snapshot, cols, finding_units),
        "columns": int(cols["url"].nunique()),
        # Pages judged soft 404s are stored as documents but are not documents (links.soft404).
        "documents": document_count(snapshot, config) if config is not None else snapshot.count("documents"),
        "pages": snapshot.count("pages"),            # one row per URL
        "links_checked": sum(sum(o not in (None, "", "unchecked") for o in part["outcome"])
                             for part in snapshot.link_parts(["outcome"])),
        "fetch_errors": int(snapshot.fetch_errors["url"].nunique()),
        **_unverified_links(snapshot, config),
        **attachment_inventory(snapshot),
        **_units_not_crawled(snapshot),
    }


def _units_not_crawled(snapshot: Snapshot) -> dict:
    """``units_not_crawled``: units a 部门/镇街信息公开 directory lists whose sites are on hosts the
    scan did not cover (no ``allowed_hosts``): nothing of theirs was checked, and the report says so."""
    units = [u for u in ((snapshot.scan.get("stats") or {}).get("units_elsewhere") or [])
             if u.get("name") not in set(snapshot.units["name"].dropna())]
    return {"units_not_crawled": len(units), "units_not_crawled_list": units} if units else {}


def _unverified_links(snapshot: Snapshot, config: dict | None) -> dict:
    """``links_unverified``: links whose name lookup failed in a scan where none worked (the
    scanner's network, not the link, is in doubt: views.link_verdicts); absent when there are none."""
    if config is None:
        return {}
    count = sum(v == "unverified" for v in link_verdicts(snapshot, config).values())
    return {"links_unverified": count} if count else {}


# Pages that read a column or a list (their failure leaves a column unread).
LIST_PAGE_KINDS = ("column", "list", "hub", "unit_home")
PARTIAL_REASONS = {
    "incomplete": "抓取达到页面数上限{cap}后停止，本次检查未完成",
    "interrupted": "检查被中断，本次检查未完成",
    "failed": "检查过程中出错，本次检查未完成",
    "running": "检查尚未结束（或异常终止），本次检查未完成",
}


def partial_reason(scan: dict) -> str | None:
    """Why the scan's counts are partial (it did not complete), in Chinese; None if complete."""
    status = scan.get("status") or "complete"
    if status == "complete":
        return None
    stats = scan.get("stats") or {}
    if status == "blocked" and block_facts(scan):
        return block_reason(block_facts(scan)) + "，本次检查未完成"
    cap = f"（{stats['page_cap']}个页面）" if stats.get("page_cap") else ""
    return PARTIAL_REASONS.get(status, "本次检查未完成").format(cap=cap)


def coverage(snapshot: Snapshot, inv: dict, config: dict | None = None) -> dict:
    """The facts of the snapshot that say how much the scan read (judged by scoring.verdict)."""
    cols = column_classes(snapshot, config) if config is not None else snapshot.columns   # sections judged
    cols = cols[(cols["kind"] != "homepage") & (cols["section"] != "homepage")]
    listing = snapshot.pages_of_kind(LIST_PAGE_KINDS, ["kind", "status"])
    failed = [s is None or int(s) >= 400 for s in listing["status"]]
    return {
        "status": snapshot.scan.get("status"), "stats": snapshot.scan.get("stats") or {},
        "scoped": bool(snapshot.scope), "partial_reason": partial_reason(snapshot.scan),
        "columns": inv["columns"], "documents": inv["documents"], "pages": inv["pages"],
        "gongkai_columns": int(cols.loc[cols["section"] == "gongkai", "url"].nunique()),
        "list_pages": int(listing["url"].nunique()),
        "failed_list_pages": int(listing.loc[failed, "url"].nunique()) if len(listing) else 0,
        **_unread_lists(cols, config),
    }


def _unread_lists(cols, config: dict | None) -> dict:
    """The 政务公开 list columns, and those whose list could not be read (a script the crawler
    does not run, an answer that was no list): columns.unreadable_list_styles."""
    if config is None or "leaf" not in cols:
        return {"list_columns": 0, "unread_list_columns": 0}
    lists = cols[(cols["section"] == "gongkai") & cols["leaf"].astype(bool) & (cols["kind"] == "list")]
    unread = lists["list_style"].isin(config["columns"]["unreadable_list_styles"])
    return {"list_columns": int(lists["url"].nunique()), "unread_list_columns": int(lists.loc[unread, "url"].nunique())}
