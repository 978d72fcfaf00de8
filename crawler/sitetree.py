"""The site's tree as the spider follows it: columns and units from a page's catalogue and the
site profile, and the column rows they become.

Pure functions; the spider (``crawler.spiders.gongkai``) decides what to fetch.
"""
from __future__ import annotations

import re

from crawler import items as it
from crawler.discovery import ColumnLink, column_links, organisation_name, tree_owner
from crawler.extract.html import as_page
from crawler.extract.navigation import find_column_links, mark_directory_units
from crawler.extract.position import breadcrumb_trail, highlighted_item
from crawler.extract.urls import same_host
from crawler.listing.iframe import nav_frame, shown_frames


def page_column_links(scope, url, page, column_name=None) -> list[ColumnLink]:
    """The column links of a page, in scope, with their tree paths (start pages left out).
    ``column_name``: the column the page is, when it may be a directory of units (部门信息公开).
    Links to other hosts are kept when the scope allows them (a profile's ``allowed_hosts``: units'
    sub-sites such as czj.example.gov.cn linked from the district's 部门信息公开)."""
    try:
        links = mark_directory_units(find_column_links(url, page, same_host=False), column_name)
    except Exception:  # noqa: BLE001
        return []
    for link in links:
        link.url = scope.canonical(link.url)
    return [c for c in column_links(links, scope.allows) if c.url not in scope.start_urls]


_OWN_PLATFORM = re.compile(r"^(?:政府信息公开|信息公开|政务公开)$")


def unit_platform_entry(url, links) -> str | None:
    """A unit home's link, on its own host, to its own 信息公开 page (a department site's 首页 /
    信息公开 navigation: / and /gkml/index.jsp show the unit's catalogue).  That page is the unit's
    home again, not a column named 信息公开 whose list is the home's 最新信息 box."""
    return next((link.url for link in links if not link.is_unit and _OWN_PLATFORM.match(link.name)
                 and same_host(link.url, url)), None)


def units_elsewhere(scope, url, page, column_name=None) -> dict[str, str]:
    """{home URL: name} of the units the page lists whose sites are outside the scan
    (czj.example.gov.cn with no ``allowed_hosts``).  A 部门信息公开 directory of them is a hub of
    units, not a blank column, and the report says they were not checked."""
    try:
        links = mark_directory_units(find_column_links(url, page, same_host=False), column_name)
    except Exception:  # noqa: BLE001
        return {}
    return {link.url: link.name for link in links
            if link.is_unit and not scope.allows(scope.canonical(link.url))}


def profile_unit(profile_units, scope, url, name=None) -> dict | None:
    """The profile's facts of the unit at ``url`` (or named ``name``)."""
    for unit in profile_units:
        prefix = unit.get("url_prefix")
        if (prefix and url.startswith(scope.canonical(prefix))) or unit["name"] == name:
            return {"name": unit["name"], "code": unit.get("code"), "kind": unit.get("kind")}
    return None


_TITLE_PARTS = re.compile(r"\s*[-－—_|｜·•]+\s*|\s{2,}")


# Words of a homepage's <title> that name the page, not the site (首页 - 某区人民政府).
_PAGE_WORDS = re.compile(r"^(?:网站)?首页$|^主页$|^欢迎(?:访问|光临|您)?.*$|^index$|^home$", re.I)
_WELCOME = re.compile(r"^欢迎(?:您)?(?:访问|光临|来到)?")
_TITLE_SEPARATORS = re.compile(r"\s*[-－—_|｜]+\s*")


def site_name_from_title(title: str | None) -> str | None:
    """The site's name from its homepage <title>: the part that names an organisation
    (首页 - 济南市章丘区人民政府, 济南市章丘区人民政府门户网站_首页), else the first part that is
    not the page's own word (首页, 欢迎访问), else None."""
    parts = [_WELCOME.sub("", p.strip()) for p in _TITLE_PARTS.split(title or "") if p and p.strip()]
    named = next((n for n in map(organisation_name, parts) if n), None)
    if named:
        return named
    pieces = [p.strip() for p in _TITLE_SEPARATORS.split(title or "") if p and p.strip()]
    return next((p for p in pieces if not _PAGE_WORDS.match(p)), None)


def district_name(url, page, profile, site_name) -> str:
    """The district's own unit on its platform home: the organisation its catalogue tree hangs
    under when the heading names one, else the site's (the profile's word, the scan's site name,
    an organisation in the page's <title>).  A platform heading (政府信息公开平台, 信息公开目录)
    names no organisation: a unit so named would put the platform's label on every finding."""
    owner = tree_owner(find_column_links(url, page))
    if owner:
        return owner
    if profile.get("site_name"):
        return profile["site_name"]
    try:
        title = as_page(url, page).title_tag
    except Exception:  # noqa: BLE001 - hostile markup must not stop the crawl
        title = ""
    for candidate in [site_name, *_TITLE_PARTS.split(title)]:
        name = organisation_name(candidate)
        if name:
            return name
    return site_name or "本级"


def home_unit(unit: dict | None, url, page, profile, scope, site_name) -> dict:
    """The unit whose 信息公开 home ``url`` is (``unit`` as its link named it; None: the district,
    named by ``district_name``), with what the profile says of it."""
    unit = dict(unit or {})
    if not unit:
        unit = {"name": district_name(url, page, profile, site_name), "kind": "district", "code": None}
    unit["home_url"] = url
    found = profile_unit(profile.get("units") or [], scope, url, unit["name"]) or {}
    unit.update({k: v for k, v in found.items() if v})
    return unit


def column_item(ga, status, page=None, **kw):
    """The column row of a column request's page.  ``parent_url`` is the page the crawl reached
    it from; ``nav`` adds what the column's own page says of its place (breadcrumb trail,
    highlighted navigation item), the evidence the audits decide its parent from."""
    return it.ColumnItem(url=ga.url, name=ga.name, path=ga.path, parent_url=ga.parent,
                         unit=ga.unit, section=ga.section or "gongkai", http_status=status,
                         overrides=ga.overrides, nav=position_facts(ga, page), **kw)


def position_facts(ga, page) -> dict | None:
    """``ga.nav`` (how the column was reached) plus its page's breadcrumb and highlighted item."""
    nav = dict(ga.nav or {})
    if page is not None:
        try:
            trail, current = breadcrumb_trail(page), highlighted_item(page, ga.name)
        except Exception:  # noqa: BLE001 - hostile markup must not stop the crawl
            trail, current = [], None
        if trail:
            nav["breadcrumb"] = trail
        if current:
            nav["highlight"] = current
    return nav or None


def homepage_column(scope, url, status, dated_items):
    """The homepage as a pseudo-column holding its dated items (首页更新 is judged on them)."""
    yield it.ColumnItem(url=url, name="首页", path="首页", section="homepage", kind="homepage", is_leaf=True,
                        list_style="homepage", http_status=status)
    for pos, item in enumerate(dated_items):
        yield it.ListItemItem(column_url=url, url=scope.canonical(item["url"]), title=item.get("title", ""),
                              date_raw=item.get("date_raw") or item.get("date") or "", date=item.get("date"),
                              page_url=url, position=pos)


def wanted_unit(scope_unit, name, code) -> bool:
    """Is this unit in a ``--unit`` scope (by name or site code)?"""
    return not scope_unit or scope_unit in (name, code)


def entry_page_urls(scope, home_facts) -> list[str]:
    """The homepage's 无障碍 / 关怀版 entries lead to stand-alone pages with their own footer and
    markup (rules.md A1–A5 apply to them)."""
    urls = []
    for entry in [*home_facts.get("accessibility_entries", ()), *home_facts.get("care_entries", ())]:
        url = scope.canonical(entry["url"]) if entry.get("url") else None
        if url and scope.allows(url):
            urls.append(url)
    return urls


def tree_frames(scope, page, has_links: bool) -> list[str]:
    """The frames of a 信息公开 home built as a frameset or a shell of iframes that carry its column
    tree (tree.htm in the left frame, the list in the right one): its banner and tree frames, or,
    when the home shows no column link of its own and no frame is named so, every frame."""
    frames = list(shown_frames(page))
    urls = [src for frame, src in frames if nav_frame(frame, src)] or ([] if has_links else [src for _f, src in frames])
    return [u for u in dict.fromkeys(scope.canonical(u) for u in urls) if scope.allows(u)]
