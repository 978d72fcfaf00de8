"""The simulated site as plain data: units, columns, list entries, documents.

Everything is addressed by a root-relative path, so the rendered pages do not depend on the
host or port they are served on; the manifest prefixes the base URL.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(eq=False)
class Unit:
    name: str
    full_name: str
    code: str | None            # site code (``zhangqiuquqczjh``); None for the district itself
    kind: str                   # district | department | town
    uscc: str
    prefix: str                 # 机关代字 of its 文号
    style: str                  # js_json | js_html | trs | plain | maxpage | datastore
    layout: str                 # metadata block layout
    labels: dict
    date_fmt: str               # how its lists print dates
    encoding: str = "utf-8"
    columns: list = field(default_factory=list)

    @property
    def home(self) -> str:
        return f"/gongkai/site_{self.code}/" if self.code else "/gongkai/"


@dataclass(eq=False)
class Entry:
    path: str
    title: str
    date: dt.date | None        # None = the list shows no date
    doc: "Doc | None" = None    # None = the list links to a page that does not exist


@dataclass(eq=False)
class Column:
    key: str
    name: str
    unit: Unit | None           # None = portal
    section: str                # gongkai | portal
    kind: str | None            # document kind, None for a hub
    path: str
    style: str                  # js_json | js_html | trs | plain | maxpage | datastore | hub
    parent: "Column | None" = None
    children: list = field(default_factory=list)
    entries: list = field(default_factory=list)
    placeholder: str | None = None
    colid: int = 0              # Hanweb column id / unit id (datastore lists)
    undated: bool = False       # the list prints no dates

    @property
    def leaf(self) -> bool:
        return not self.children

    @property
    def list_style(self) -> str:
        return {"js_json": "js_shell", "js_html": "js_shell", "trs": "trs_createpage", "plain": "plain_next",
                "maxpage": "maxpage_script", "datastore": "hanweb_datastore", "hub": "hub"}[self.style]

    @property
    def trail(self) -> list:
        node, out = self, []
        while node is not None:
            out.append(node)
            node = node.parent
        return out[::-1]

    @property
    def tree_path(self) -> str:
        return "/".join(c.name for c in self.trail)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(eq=False)
class Doc:
    oid: str
    unit: Unit | None
    path: str
    title: str
    kind: str
    publish: dt.date            # the real 发布日期 (what the lists show)
    home: Column
    written: dt.date | None = None
    number: str | None = None   # 发文字号 as issued
    issuer: str = ""            # 发文机关 (full name)
    subject: str = ""
    template: str = "A"         # A (metadata block) | B (no block) | portal
    fields: dict = field(default_factory=dict)   # canonical -> value as displayed (shown labels only)
    columns: list = field(default_factory=list)
    interp_links: list = field(default_factory=list)     # this policy page links to these 解读
    original_links: list = field(default_factory=list)   # this 解读 page links back to these
    attachments: list = field(default_factory=list)      # [(path, name)]
    extra_links: list = field(default_factory=list)      # [(path, anchor)] in the body
    images: list = field(default_factory=list)           # [(path, alt or None)]
    body: dict = field(default_factory=dict)             # body facts: valid_until, consult dates, leak ...
    entry_time: dt.datetime | None = None

    @property
    def is_interp(self) -> bool:
        return self.kind == "interp"


# Entries per list page, by list kind (the generator pages lists, the server serves them).
PAGE_SIZE = {"js_json": 15, "js_html": 15, "trs": 8, "plain": 8, "maxpage": 8, "datastore": 15}


@dataclass
class Site:
    seed: int
    size: object
    as_of: dt.date
    mutation: int
    units: list = field(default_factory=list)
    district: Unit | None = None
    columns: list = field(default_factory=list)          # every column, tree order
    portal: list = field(default_factory=list)           # portal top-level columns
    library: Column | None = None
    docs: list = field(default_factory=list)
    # path -> (status, note) for link targets that do not answer 200 with a page
    special: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)            # attachment path -> file name
    homepage_links: list = field(default_factory=list)   # extra (path, anchor) on the homepage
    traps: list = field(default_factory=list)
    robots_disallowed: list = field(default_factory=lambda: ["/hudong/"])
    counters: dict = field(default_factory=dict)

    def column(self, unit_name: str | None, key: str) -> Column:
        for c in self.columns:
            owner = c.unit.name if c.unit else None
            if owner == unit_name and c.key == key:
                return c
        raise KeyError((unit_name, key))

    def unit(self, name: str) -> Unit:
        return next(u for u in [self.district, *self.units] if u.name == name)
