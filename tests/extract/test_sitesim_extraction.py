"""The extractors against the simulated site over real HTTP: exactly the manifest's ground truth.

Every document of the small site: fields (canonical names, values as shown), full title, dates,
attachments, 解读 links both ways, interpretation flag.  Every leaf column walked to its end
through read_list / read_response like the spider does: item count, newest date, list style,
placeholder.  The 信息公开 hub: every unit sub-site with its kind.
"""
from __future__ import annotations

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from crawler.extract.document import extract_document
from crawler.extract.encoding import decode_html
from crawler.extract.html import Page
from crawler.extract.navigation import find_column_links
from crawler.listing import read_list, read_response
from list_walk import ListWalk


def fetch(url, method="GET", body=None, headers=None):
    req = urllib.request.Request(url, data=body.encode("utf-8") if body else None, method=method,
                                 headers={"User-Agent": "govaudit-tests", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, r.read(), r.headers.get("Content-Type")
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers.get("Content-Type")


def fetch_text(url, method="GET", body=None, headers=None):
    status, raw, ctype = fetch(url, method, body, headers)
    text, _enc = decode_html(raw, ctype)
    return status, text, ctype


@pytest.fixture
def sim(small_sim):
    """The session's small simulated site (tests/conftest.py)."""
    return small_sim


def parallel(fn, items):
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(fn, items))


def test_every_document_matches_the_manifest(sim):
    docs = sim.manifest["documents"]
    assert docs

    def check(d):
        status, text, _ = fetch_text(d["url"])
        assert status == 200, d["url"]
        f = extract_document(d["url"], Page(d["url"], text))
        problems = []
        for name, got, want in [
            ("fields", f.fields, d["fields"]),
            ("title", f.title, d["title"]),
            ("publish_date", f.publish_date, d["publish_date"]),
            ("written_date", f.written_date, d["written_date"]),
            ("attachments", sorted(a["url"] for a in f.attachments), sorted(d["attachments"])),
            ("interpretations", sorted(r.url for r in f.interpretation_links), sorted(d["interpretations"])),
            ("originals", sorted(r.url for r in f.original_links), sorted(d["originals"])),
            ("is_interpretation", f.looks_like_interpretation, d["is_interpretation"]),
        ]:
            if got != want:
                problems.append(f"{d['url']} {name}: got {got!r}, manifest {want!r}")
        return problems

    problems = [p for ps in parallel(check, docs) for p in ps]
    assert not problems, "\n".join(problems[:20]) + f"\n({len(problems)} differences)"


def walk_column(url):
    _status, text, ctype = fetch_text(url)
    first = read_list(url, Page(url, text), {"Content-Type": ctype or ""})
    if first is None:
        return None
    walk = ListWalk(url)
    queue = walk.add(first, url)
    while queue:
        req = queue.pop(0)
        _status, text, ctype = fetch_text(req["url"], req["method"], req.get("body"), req.get("headers"))
        queue.extend(walk.add(read_response(req, req["url"], text, ctype), req["url"]))
    return walk


def test_every_leaf_column_lists_exactly_its_items(sim):
    dead = {d["url"] for d in sim.manifest["defects"] if d["check"] == "broken_link"}    # soft-404 column
    leaves = [c for c in sim.manifest["columns"] if c["leaf"] and c["url"] not in dead]
    assert {c["list_style"] for c in leaves} >= {"js_shell", "trs_createpage", "plain_next", "hanweb_datastore",
                                                      "maxpage_script"}

    def check(c):
        walk = walk_column(c["url"])
        if walk is None:
            return [f"{c['url']} {c['name']}: not read as a list"]
        problems = []
        newest = max((e.date for e in walk.entries if e.date), default=None)
        truncated = [e.full_title for e in walk.entries if e.full_title.endswith(("…", "..."))]
        if len(walk.entries) != c["item_count"]:
            problems.append(f"{c['url']} {c['name']}: {len(walk.entries)} items, manifest {c['item_count']}")
        if newest != c["newest_date"]:
            problems.append(f"{c['url']} {c['name']}: newest {newest}, manifest {c['newest_date']}")
        if truncated:
            problems.append(f"{c['url']} truncated full titles {truncated[:2]}")
        if c["placeholder"] and not walk.placeholder:
            problems.append(f"{c['url']} placeholder {c['placeholder']!r} not seen")
        if walk.placeholder and c["item_count"]:
            problems.append(f"{c['url']} placeholder {walk.placeholder!r} on a column with items")
        if walk.style not in (c["list_style"], "placeholder"):
            problems.append(f"{c['url']} style {walk.style}, manifest {c['list_style']}")
        return problems

    problems = [p for ps in parallel(check, leaves) for p in ps]
    assert not problems, "\n".join(problems[:20]) + f"\n({len(problems)} differences)"


def test_hub_lists_every_unit_sub_site(sim):
    hub = sim.manifest["units"][0]["home_url"]
    _status, text, _ = fetch_text(hub)
    found = {l.url: l for l in find_column_links(hub, text) if l.is_unit}
    want = {u["home_url"]: u for u in sim.manifest["units"] if u["kind"] != "district"}
    assert set(found) == set(want)
    for url, unit in want.items():
        assert found[url].name == unit["name"] and found[url].unit_kind == unit["kind"], url


def test_unit_home_columns_and_their_paths(sim):
    """Every column is linked, with its tree path, from its unit's home (units) or from its parent's
    page (the district's accordion tree opens only the current branch)."""
    links_of: dict = {}
    for unit in sim.manifest["units"]:
        for col in (c for c in sim.manifest["columns"] if c["unit"] == unit["name"] and c["section"] == "gongkai"):
            where = unit["home_url"] if unit["code"] or not col["parent_url"] else col["parent_url"]
            if where not in links_of:
                links_of[where] = {l.url: l for l in find_column_links(where, fetch_text(where)[1])}
            link = links_of[where].get(col["url"])
            assert link is not None, (unit["name"], col["path"], col["url"])
            assert "/".join([*link.path, link.name]).endswith(col["path"]), (link, col["path"])
