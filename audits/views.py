"""Derived frames shared by the rules: columns with their class and freshness, documents with
the columns they are listed in and what those columns require of them.

Everything here is keyword classification over stored names and dates (rules.md R1.7, M1, J1);
the thresholds and keywords come from the audit configuration.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from audits.config import parse_window
from audits.frames import records
from audits.lookups import lookups_worked, never_resolves
from audits.tree import decide_parents, decided_paths, profile_section, units_from_trails, within_platform
from audits.texts import page_values
from govaudit.core.profile import column_override, first_override


def contains_any(text, keywords) -> bool:
    return isinstance(text, str) and any(k in text for k in keywords)


def with_nones(frame: pd.DataFrame, flags=()) -> pd.DataFrame:
    """Missing values as None (pandas would use NaN, which is truthy); ``flags`` stay bool dtype
    so ``frame[frame[flag]]`` filters rows even when the frame is empty."""
    out = frame.astype(object).where(frame.notna(), None)
    for name in flags:
        out[name] = out[name].astype(bool)
    return out


def rows(frame: pd.DataFrame, mask) -> pd.DataFrame:
    """The rows where ``mask`` (any iterable of truth values) holds; safe on empty frames."""
    return frame.loc[np.asarray([bool(m) for m in mask], dtype=bool)]


def window_start(as_of: dt.date, window: str) -> dt.date:
    """The oldest date still inside ``window`` on ``as_of`` ('14d' or '6m').

    Calendar months keep the day of month, clipped to the month's end (2023-08-31 − 6m =
    2023-02-28).  A column is stale when its newest item is older than this date.
    """
    n, unit = parse_window(window)
    if unit == "d":
        return as_of - dt.timedelta(days=n)
    return (pd.Timestamp(as_of) - pd.DateOffset(months=n)).date()


def window_phrase(window: str) -> str:
    """'14d' -> 两周, '6m' -> 半年, '12m' -> 一年 (the notices' own words)."""
    n, unit = parse_window(window)
    words = {(14, "d"): "两周", (7, "d"): "一周", (6, "m"): "半年", (12, "m"): "一年", (3, "m"): "三个月",
             (1, "m"): "一个月", (2, "m"): "两个月"}
    return words.get((n, unit), f"{n}天" if unit == "d" else f"{n}个月")


def to_date(value) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def is_blank(value, config: dict) -> bool:
    """A field value that means nothing was filled in (configurable: 无, /, —, …)."""
    if value is None:
        return True
    text, cfg = str(value).strip(), config["elements"]
    return text in cfg["empty_values"] or bool(re.match(cfg["empty_value_pattern"], text))


def is_placeholder_line(text, config: dict) -> bool:
    """A line that only says 暂无信息 / 正在建设中 (columns.placeholder_*)."""
    cfg = config["columns"]
    text = str(text or "").strip()
    if not text or len(text) > cfg["placeholder_max_chars"]:
        return False
    return contains_any(text, cfg["placeholder_keywords"]) or bool(re.search(cfg["placeholder_pattern"], text))


_SENTENCE_MARK = re.compile(r"[，。；！？]")


def shows_text(lines, config: dict) -> str | None:
    """The first line of running text among a column page's shown lines (not a placeholder, not a
    menu label), or None (columns.inline_text_min_chars)."""
    if not isinstance(lines, list):
        return None
    least = config["columns"]["inline_text_min_chars"]
    return next((line for line in lines if isinstance(line, str) and len(line.strip()) >= least
                 and _SENTENCE_MARK.search(line) and not is_placeholder_line(line, config)), None)


def is_placeholder_entry(title, config: dict) -> bool:
    """A list entry whose title only says 暂无信息: the list's empty state, not content."""
    cfg = config["columns"]
    t = str(title or "").strip().strip("[]【】()（）。.…！! \u3000")
    return (len(t) <= cfg["placeholder_entry_max_chars"] and is_placeholder_line(t, config)
            and not contains_any(t, cfg["placeholder_entry_exclude_keywords"]))


def soft404_holds(signals, config: dict) -> bool:
    """Does a page recorded as soft404 count as one (links.soft404)?  Older scans: yes."""
    if not isinstance(signals, dict):
        return True
    cfg = config["links"]["soft404"]
    if cfg["same_as_missing_path"] and signals.get("same_as_missing_path"):
        return True
    return bool(cfg["page_says_missing"] and signals.get("page_says_missing")
                and not (cfg["unless_document_fields"] and signals.get("document_fields")))


def classify_outcome(status, outcome, config, signals=None) -> str | None:
    """'broken', 'inconclusive' or None (fine / not checked) for a link's recorded answer."""
    cfg = config["links"]
    status = None if status is None or pd.isna(status) else int(status)
    if outcome in cfg["inconclusive_outcomes"] or status in cfg["inconclusive_statuses"]:
        return "inconclusive"
    if outcome == "soft404" and not soft404_holds(signals, config):
        return None
    if outcome in cfg["broken_outcomes"]:
        return "broken"
    return None


def link_verdicts(snapshot, config: dict) -> dict:
    """link URL -> 'broken' / 'inconclusive' / 'unverified' (absent: None).  A failed name lookup is a dead
    domain only when lookups worked in this scan (``links.dns_needs_a_working_lookup``): a scanner
    with no name service (an offline or filtered network) would otherwise call every other site
    dead.  Its links are 'unverified': a fact of the scan (the report says so once), no finding."""
    def build():
        # Only the targets with a verdict are kept (a few of 10⁵ links); the rest are None.
        verdicts, dns, worked = {}, [], False
        for part in snapshot.link_parts(["status", "outcome", "signals"]):
            for u, s, o, sig in zip(part["url"], part["status"], part["outcome"], part["signals"]):
                if (verdict := classify_outcome(s, o, config, sig)) is not None:
                    verdicts[u] = verdict
                    if o == "dns" and verdict == "broken":
                        dns.append(u)
            worked = worked or lookups_worked(part)
        if config["links"]["dns_needs_a_working_lookup"] and not worked:
            for u in dns:
                if not never_resolves(u):
                    verdicts[u] = "unverified"
        return verdicts
    return snapshot.memo(("link_verdicts", id(config)), build)


def dead_pages(snapshot, config: dict) -> set:
    """URLs of crawled pages that are broken links: judged broken when checked as a link, or a
    200 page whose own text says 页面不存在 (``links.soft404.page_says_missing``) when no link
    check of it was recorded."""
    verdicts = link_verdicts(snapshot, config)
    dead = {u for u, v in verdicts.items() if v == "broken"}
    if config["links"]["soft404"]["page_says_missing"]:
        unchecked = snapshot.pages_without_link()
        dead |= {u for u, facts in page_values(snapshot, "facts", unchecked)       # in batches
                 if isinstance(facts, dict) and facts.get("soft404_test")}
    return dead


def status_ok(status) -> bool:
    return status is None or pd.isna(status) or int(status) < 400


COLUMN_FLAGS = ("leaf", "top_level", "no_window", "policy", "interp", "must_interpret", "fetched_ok")
DOCUMENT_FLAGS = ("fetched_ok", "gongkai", "is_interpretation", "must_interpret")


# ---- columns --------------------------------------------------------------------------------

def classify_column(name: str, parent_name: str | None, config: dict) -> tuple[str | None, bool]:
    """(class id or None, has-no-window) by name keywords: own name first, then the parent's."""
    cfg = config["columns"]
    no_window = contains_any(name, cfg["no_window_keywords"]) or contains_any(parent_name, cfg["no_window_keywords"])
    for candidate in (name, parent_name):
        for class_id, cls in cfg["classes"].items():
            if contains_any(candidate, cls["keywords"]):
                return class_id, no_window
    return None, no_window


def column_role(name: str, parent_name: str | None, config: dict) -> tuple[bool, bool]:
    """(解读 column, 政策文件 column) from the column's own name first, then its parent's: a
    政策文件 column under a 解读 heading stays a 政策文件 column, and the other way round."""
    interp_words = config["interpretation"]["column_keywords"]
    policy_words = config["elements"]["policy_column_keywords"]
    for candidate in (name, parent_name):
        interp, policy = contains_any(candidate, interp_words), contains_any(candidate, policy_words)
        if interp or policy:
            return interp, policy and not interp
    return False, False


def _sections_along_the_tree(cols: pd.DataFrame) -> list:
    """A column whose parent its own page names (not merely the page linking it) is in its
    parent's section: a policy column first reached from a portal sidebar is still gongkai."""
    section = dict(zip(cols["url"], cols["section"]))
    parent = dict(zip(cols["url"], cols["parent_url"]))
    evidence = dict(zip(cols["url"], cols["parent_evidence"]))

    def resolve(url, depth=0):
        p = parent.get(url)
        if (evidence.get(url) == "linked" or p not in section or depth > 30
                or section[url] == "homepage" or section.get(p) == "homepage"):
            return section[url]
        return resolve(p, depth + 1)

    return [resolve(u) for u in cols["url"]]


def column_overrides(row, config: dict) -> list[dict]:
    """The corrections that apply to a column, in the order they apply: the profile's
    ``columns`` entry the crawler matched and stored, then the audit configuration's
    ``columns.overrides`` (one schema for both: ``govaudit.core.profile.COLUMN_OVERRIDE_SCHEMA``)."""
    stored = column_override(row["overrides"]) if isinstance(row["overrides"], dict) else None
    configured = first_override(config["columns"]["overrides"], row["url"], row["name"], row["path"])
    return [ov for ov in (stored, configured) if ov]


def column_label(unit: str | None, name: str, path: str | None) -> str:
    """区教体局/政策文件 for a unit's column; the last two path parts for the district's."""
    if unit:
        return f"{unit}/{name}"
    parts = [p for p in (path or "").split("/") if p]
    return "/".join(parts[-2:]) if len(parts) >= 2 else name


_ITEM_STATS = ["n_content", "n_explanation", "n_undated", "n_future", "n_items", "n_placeholder",
               "newest_date", "newest_title", "newest_url", "newest_from_page"]


def _item_stats(snapshot, config: dict, as_of: dt.date) -> pd.DataFrame:
    """Per column with list entries: its entries counted (an entry that only says 暂无信息 is
    recorded but is no item, nor part of the stated count) and its newest dated entry.  One pass
    over the list items in parts, keeping a few numbers per column, not a row per item."""
    cfg = config["columns"]
    # column URL -> [placeholders, items, explanations, undated, future, newest]; newest is
    # (day, position, title, URL, dated by its page) of the latest entry dated on or before as_of.
    per: dict[str, list] = {}
    for part in snapshot.list_item_parts(["column_url", "url", "title", "full_title", "date", "position"]):
        shown = [to_date(d) for d in part["date"]]
        on_page = _dates_on_pages(snapshot, part["url"], shown) if cfg["undated_items_use_page_date"] else {}
        for col, url, full, title, listed, position in zip(part["column_url"], part["url"], part["full_title"],
                                                            part["title"], shown, part["position"]):
            s = per.get(col)
            if s is None:
                s = per[col] = [0, 0, 0, 0, 0, None]
            text = full or title or ""
            if is_placeholder_entry(text, config):
                s[0] += 1
                continue
            day = listed or on_page.get(url)
            s[1] += 1
            s[2] += contains_any(text, cfg["explanation_keywords"])
            if day is None:
                s[3] += 1
            elif day > as_of:
                s[4] += 1
            elif s[5] is None or day > s[5][0] or (day == s[5][0] and _earlier(position, s[5][1])):
                s[5] = (day, position, text, url, listed is None and url in on_page)
    newest = [s[5] or (None,) * 5 for s in per.values()]
    return pd.DataFrame({
        "n_content": [s[1] for s in per.values()], "n_explanation": [s[2] for s in per.values()],
        "n_undated": [s[3] for s in per.values()], "n_future": [s[4] for s in per.values()],
        "n_items": [s[1] for s in per.values()], "n_placeholder": [s[0] for s in per.values()],
        "newest_date": [n[0] for n in newest], "newest_title": [n[2] for n in newest],
        "newest_url": [n[3] for n in newest], "newest_from_page": [n[4] for n in newest],
    }, index=pd.Index(list(per), dtype=object), columns=_ITEM_STATS)


def _earlier(position, than) -> bool:
    """Is a list position before another (a missing position after every other)?"""
    return position is not None and (than is None or position < than)


def _dates_on_pages(snapshot, urls, shown: list) -> dict:
    """{item URL: the 发布日期 its document page shows} for the items the list shows undated."""
    undated = {u for d, u in zip(shown, urls) if d is None}
    if not undated:
        return {}
    docs = snapshot.documents_of(undated, ["publish_date"])
    return {u: day for u, p in zip(docs["url"], docs["publish_date"]) if (day := to_date(p)) is not None}


def column_view(snapshot, config: dict, as_of: dt.date) -> pd.DataFrame:
    """One row per column, indexed by URL: class, window and flags, plus freshness on ``as_of``."""
    def build():
        cols = column_classes(snapshot, config)
        # A list whose own page or data endpoint failed cannot be judged empty.
        failed_from = set(snapshot.fetch_errors["referer"].dropna())
        cols = cols.join(_item_stats(snapshot, config, as_of), how="left")
        for c in ("n_items", "n_placeholder", "n_content", "n_explanation", "n_undated", "n_future"):
            cols[c] = cols[c].fillna(0).astype(int)
        cols["item_count"] = [max(0, int(n or 0) - p)
                              for n, p in zip(cols["item_count"], cols["n_placeholder"])]
        # Nor can a column whose page is a dead link (a soft 404: 200 with 页面不存在): that is a
        # broken_link only, never also an empty or stale column.
        dead = dead_pages(snapshot, config)
        cols["judgeable"] = [ok and u not in dead and not (n == 0 and u in failed_from)
                             for ok, n, u in zip(cols["fetched_ok"], cols["n_items"], cols["url"])]
        return with_nones(cols, COLUMN_FLAGS + ("judgeable",))

    return snapshot.memo(("column_view", id(config), as_of), build)


def _entry_pairs(snapshot, urls) -> set:
    """(column URL, entry URL) of the list entries the crawl read whose entry is one of ``urls``."""
    items = snapshot.list_items_of(urls, ["column_url", "url"])
    return set(zip(items["column_url"], items["url"]))


def column_classes(snapshot, config: dict) -> pd.DataFrame:
    """One row per column, indexed by URL: class, window, policy/解读 flags, fetch status."""
    return snapshot.memo(("column_classes", id(config)), lambda: _column_classes(snapshot, config))


def _column_classes(snapshot, config: dict) -> pd.DataFrame:
    cols = snapshot.columns.copy()
    if not len(cols):
        return cols.assign(label=[], leaf=[], klass=[], window=[], no_window=[], policy=[], interp=[],
                           must_interpret=[], fetched_ok=[], top_level=[], parent_name=[],
                           required_fields=[]).set_index("url", drop=False)
    # The tree from each column's own page (audits/tree.py); the crawl's linking page stays
    # beside it as linked_parent_url.
    records = cols[["url", "name", "unit", "parent_url", "nav", "path", "kind"]].to_dict("records")
    decided = decide_parents(records)
    cols["linked_parent_url"] = cols["parent_url"]
    cols["parent_url"] = [decided[u][0] for u in cols["url"]]
    cols["parent_evidence"] = [decided[u][1] for u in cols["url"]]
    paths = decided_paths(records, decided)
    cols["path"] = [paths[u] for u in cols["url"]]
    names = dict(zip(cols["url"], cols["name"]))
    cols["parent_name"] = [names.get(p) for p in cols["parent_url"]]
    # A "column" that is one of its parent's own list entries (a homepage slide's picture-news
    # article, reached as a link before the list was read) is that list's entry, not its child:
    # it does not make the list a parent, whose own freshness would then go unjudged.
    entries = _entry_pairs(snapshot, cols["url"])
    parents = {p for p, u in zip(cols["parent_url"], cols["url"]) if p is not None and p == p
               and (p, u) not in entries}
    is_home = (cols["kind"] == "homepage") | (cols["section"] == "homepage")
    # A list the crawl recorded as having sub-columns only because its sidebar led to columns
    # that sit elsewhere (every one re-homed by its own page) is a leaf.
    rehomed = set(cols["linked_parent_url"].dropna()) - parents
    cols["leaf"] = [bool(leaf is not False or url in rehomed) and kind != "hub" and url not in parents
                    for leaf, kind, url in zip(cols["is_leaf"], cols["kind"], cols["url"])]
    # A unit's column the crawl reached from the district's pages (a homepage box, a sidebar that
    # lists every column) before the unit's own home: its breadcrumb passes through that home.
    owners = units_from_trails(cols, snapshot.units)
    cols["unit"] = [owners.get(u, unit) for u, unit in zip(cols["url"], cols["unit"])]
    cols["top_level"] = [p not in names for p in cols["parent_url"]]
    cols["label"] = [column_label(u, n, p) for u, n, p in zip(cols["unit"], cols["name"], cols["path"])]
    _judge_placeholder(cols, config)
    cols["section"] = [judge_section(s, nav, u, config)
                       for s, nav, u in zip(cols["section"], cols["nav"], cols["url"])]
    cols["section"] = _sections_along_the_tree(cols)
    # Nor is a column portal whose own breadcrumb passes through a 信息公开 home (the district's
    # platform or a unit's), however the crawl first reached it (a homepage menu link).
    inside = owners.keys() | within_platform(cols, snapshot.units)
    cols["section"] = ["gongkai" if u in inside and sec == "portal" and not profile_section(nav) else sec
                       for u, sec, nav in zip(cols["url"], cols["section"], cols["nav"])]

    ecfg, icfg = config["elements"], config["interpretation"]
    klass, no_window, policy, interp, must, required = [], [], [], [], [], []
    sections = {}
    for _, row in cols.iterrows():
        c, nw = classify_column(row["name"], row["parent_name"], config)
        pol = column_role(row["name"], row["parent_name"], config)[1]
        req = None
        for ov in column_overrides(row, config):
            if "class" in ov:
                c = None if ov["class"] in (None, "none") else ov["class"]
            if "no_window" in ov:
                nw = bool(ov["no_window"])
            if "policy" in ov:
                pol = bool(ov["policy"])
            if ov.get("section") and row["section"] != "homepage":
                sections[row["url"]] = ov["section"]
            if ov.get("required_fields") is not None:
                req = list(ov["required_fields"])
        klass.append(c)
        no_window.append(nw)
        policy.append(pol)
        required.append(req)
        is_interp, is_policy = column_role(row["name"], row["parent_name"], config)
        interp.append(is_interp)
        must.append(contains_any(row["name"], icfg["must_column_keywords"]) or
                    (not is_interp and contains_any(row["parent_name"], icfg["must_column_keywords"])))
    cols["klass"], cols["no_window"], cols["policy"] = klass, no_window, policy
    cols["interp"], cols["must_interpret"], cols["required_fields"] = interp, must, required
    cols["section"] = [sections.get(u, s) for u, s in zip(cols["url"], cols["section"])]
    classes = config["columns"]["classes"]
    cols["window"] = [None if (nw or c is None or c not in classes) else classes[c]["window"]
                      for c, nw in zip(cols["klass"], cols["no_window"])]
    cols.loc[is_home, ["klass", "window"]] = None

    failed = set(snapshot.fetch_errors["url"])
    refetched = snapshot.pages_of(failed & set(cols["url"]), ["status"])       # a retry that worked
    ok_pages = set(rows(refetched, (status_ok(s) for s in refetched["status"]))["url"])
    cols["fetched_ok"] = [status_ok(s) and (u not in failed or u in ok_pages)
                          for s, u in zip(cols["http_status"], cols["url"])]
    return with_nones(cols.set_index("url", drop=False), COLUMN_FLAGS)


def judge_section(section, nav, url, config: dict):
    """gongkai or portal from the navigation the crawler recorded (column.nav): a column reached
    from the homepage navigation is gongkai when the link above it or its URL says so."""
    cfg = config["columns"]
    if section != "portal" or not isinstance(nav, dict) or nav.get("via") != "homepage" \
            or nav.get("profile_section"):
        return section        # homepage, the platform, set by the profile, or an older scan's verdict
    if contains_any(nav.get("top"), cfg["gongkai_nav_keywords"]) or \
            any(re.search(p, url or "") for p in cfg["gongkai_url_patterns"]):
        return "gongkai"
    return "portal"


def _judge_placeholder(cols: pd.DataFrame, config: dict) -> None:
    """placeholder / placeholder_text from the lines the page showed (scans before shown_lines
    was recorded keep the crawler's own verdict)."""
    flags, texts = [], []
    for lines, flag, text in zip(cols["shown_lines"], cols["placeholder"], cols["placeholder_text"]):
        if isinstance(lines, list):
            text = next((line for line in lines if is_placeholder_line(line, config)), None)
            flag = text is not None
        flags.append(bool(flag))
        texts.append(text)
    cols["placeholder"], cols["placeholder_text"] = flags, texts
