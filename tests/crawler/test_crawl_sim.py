"""A zero-configuration crawl of the simulated district site, over real HTTP, against its manifest."""
import fcntl
from collections import Counter
from urllib.parse import urlsplit

import pytest
from crawler_helpers import crawl_into

from audits.config import merged_config
from audits.links import classify_outcome
from audits.snapshot import Snapshot as AuditSnapshot
from audits.docparts import document_view
from audits.views import column_classes
from govaudit.core import storage
from govaudit.core.errors import GovauditError
from govaudit.core.profile import validate_profile


@pytest.fixture(scope="module")
def judged(small_scan):
    """The audits' reading of the crawl's facts (section, placeholder, documents) by the defaults."""
    snapshot, config = AuditSnapshot.load(small_scan.engine, small_scan.scan_id), merged_config()
    return column_classes(snapshot, config), document_view(snapshot, config)


def test_every_column_is_discovered_with_its_place_in_the_tree(small_sim, small_scan, judged):
    columns = small_scan.by_url(storage.column)
    # Path, section and leaf as the audits decide them from the crawl's facts (the district's
    # 政策解读 sidebar leads the crawl to columns that sit elsewhere: audits/tree.py).
    section, path, leaf = (judged[0][k].to_dict() for k in ("section", "path", "leaf"))
    expected = small_sim.manifest["columns"]
    assert len(expected) == small_sim.manifest["inventory"]["columns"]
    missing = [c["url"] for c in expected if c["url"] not in columns]
    assert not missing
    wrong = []
    for c in expected:
        got = columns[c["url"]]
        seen = (got["name"], path[c["url"]], section[c["url"]], leaf[c["url"]], got["unit"], got["item_count"])
        want = (c["name"], c["path"], c["section"], c["leaf"], c["unit"], c["item_count"])
        if seen != want:
            wrong.append((c["url"], seen, want))
    assert not wrong
    # Nothing invented: the only extra column is the homepage pseudo-column.
    extra = set(columns) - {c["url"] for c in expected}
    assert [columns[u]["section"] for u in extra] == ["homepage"]


def test_list_styles_and_placeholders_are_recorded(small_sim, small_scan, judged):
    columns = small_scan.by_url(storage.column)
    placeholder = judged[0]["placeholder"].to_dict()
    dead = {d["url"] for d in small_sim.manifest["defects"] if d["check"] == "broken_link"}
    for c in small_sim.manifest["columns"]:
        got = columns[c["url"]]
        if c["url"] in dead:
            continue            # a soft-404 column page: no list to read
        if c["leaf"]:
            assert got["list_style"] == c["list_style"], c["url"]
        assert placeholder[c["url"]] == bool(c["placeholder"]) or c["item_count"] > 0, c["url"]


def test_every_document_is_fetched_once_with_exact_fields(small_sim, small_scan, judged):
    docs = small_scan.by_url(storage.document)
    expected = small_sim.manifest["documents"]
    assert len(expected) == small_sim.manifest["inventory"]["documents"]
    # Pages saying 页面不存在 are stored too; the audits judge them soft 404s, not documents.
    assert {d["url"] for d in expected} == set(judged[1]["url"])
    wrong = [(d["url"], docs[d["url"]]["fields"], d["fields"]) for d in expected if docs[d["url"]]["fields"] != d["fields"]]
    assert not wrong
    titles = [(d["url"], docs[d["url"]]["title"], d["title"]) for d in expected if docs[d["url"]]["title"] != d["title"]]
    assert not titles
    dates = [d["url"] for d in expected
             if (docs[d["url"]]["publish_date"], docs[d["url"]]["written_date"]) != (d["publish_date"], d["written_date"])]
    assert not dates
    units = [d["url"] for d in expected if docs[d["url"]]["unit"] != d["unit"]]
    assert not units
    # Fetched once each, however many columns list them.
    gets = Counter(path for method, path, _ in small_scan.requests_but_spider_views(small_scan.requests)
                   if method == "GET")
    assert all(gets[urlsplit(d["url"]).path] == 1 for d in expected)


def test_a_document_in_two_columns_is_one_document_and_two_list_items(small_sim, small_scan):
    shared = [d for d in small_sim.manifest["documents"] if len(d["column_urls"]) > 1]
    assert shared, "the simulator lists some documents in several columns"
    items = small_scan.rows(storage.list_item)
    listed = {}
    for item in items:
        listed.setdefault(item["url"], set()).add(item["column_url"])
    for d in shared:
        assert set(d["column_urls"]) <= listed[d["url"]]
    assert len(items) == len({(i["column_url"], i["url"]) for i in items})


def test_relations_both_ways(small_sim, small_scan):
    relations = {(r["src_url"], r["dst_url"], r["kind"]) for r in small_scan.rows(storage.relation)}
    for d in small_sim.manifest["documents"]:
        for target in d["interpretations"]:
            assert (d["url"], target, "interpretation") in relations
        for target in d["originals"]:
            assert (d["url"], target, "original") in relations


def test_gbk_pages_labelled_gb2312_are_decoded(small_sim, small_scan):
    gbk_units = {u["name"] for u in small_sim.manifest["units"] if u["encoding"] == "gbk"}
    assert gbk_units
    docs = small_scan.by_url(storage.document)
    gbk_docs = [d for d in small_sim.manifest["documents"] if d["unit"] in gbk_units]
    assert gbk_docs
    for d in gbk_docs:
        got = docs[d["url"]]
        assert got["encoding"] in ("gb18030", "gbk")
        assert got["title"] == d["title"] and got["fields"] == d["fields"]
        assert "\ufffd" not in got["body_text"]


def test_robots_disallowed_paths_are_never_requested(small_sim, small_scan):
    disallowed = small_sim.manifest["robots_disallowed"]
    assert disallowed
    paths = [path for _, path, _ in small_scan.requests]
    assert "/robots.txt" in paths
    assert not [p for p in paths if any(p.startswith(d) for d in disallowed)]
    # ... and links to them are recorded as not checked, not as broken.
    links = small_scan.by_url(storage.link)
    blocked = [u for u in links if any(urlsplit(u).path.startswith(d) for d in disallowed)]
    assert blocked and all(links[u]["outcome"] == "unchecked" for u in blocked)


def test_broken_and_inconclusive_links_match_the_manifest(small_sim, small_scan):
    # The crawler records each answer's status and class; the audit configuration judges them.
    links = small_scan.by_url(storage.link)
    config = merged_config()
    verdict = {u: classify_outcome(r["status"], r["outcome"], config) for u, r in links.items()}
    defects = [d for d in small_sim.manifest["defects"] if d["check"] in ("broken_link", "link_inconclusive")]
    assert defects
    for d in defects:
        assert d["url"] in links, d
        expected = "broken" if d["check"] == "broken_link" else "inconclusive"
        assert verdict[d["url"]] == expected, (d, links[d["url"]]["outcome"], links[d["url"]]["status"])
    # another site's lapsed domain (dns) is hijacked_link's, not broken_link's (sitesim/veto.py)
    hijacked = {d["url"] for d in small_sim.manifest["defects"] if d["check"] == "hijacked_link"}
    assert {u for u, v in verdict.items() if v} - hijacked == {d["url"] for d in defects}


def test_each_link_target_is_checked_once_and_fetched_pages_are_not_fetched_again(small_scan):
    rows = small_scan.rows(storage.link)
    assert len(rows) == len({r["url"] for r in rows})
    links = {r["url"]: r for r in rows}
    sources = {r["target_url"] for r in small_scan.rows(storage.link_source)}
    assert sources == set(links)
    pages = {urlsplit(u).path for u in small_scan.by_url(storage.page)}
    heads = [p for m, p, _ in small_scan.requests if m == "HEAD"]
    assert not set(heads) & pages
    # POSTs share a URL (Hanweb dataproxy pages differ by body); everything else is asked once,
    # or three times: a 5xx that Scrapy retries, or a page refused with 403/412/418/429, which
    # crawler.blocking asks again later in case it was the start of a block.
    per_target = Counter((m, p) for m, p, _ in small_scan.requests_but_spider_views(small_scan.requests) if m != "POST")
    retried = {p for (m, p), n in per_target.items() if n > 1}
    assert all(per_target[("GET", p)] + per_target[("HEAD", p)] <= 3 for p in retried)
    assert all(links[u]["outcome"] == "http_5xx" or links[u]["status"] in (403, 412, 418, 429)
               for u in links if urlsplit(u).path in retried)


def test_homepage_links_are_marked_and_homepage_items_stored(small_sim, small_scan):
    home = small_sim.url
    on_home = [r for r in small_scan.rows(storage.link_source) if r["source_url"] == home]
    assert on_home and all(r["on_homepage"] for r in on_home)
    assert not [r for r in small_scan.rows(storage.link_source) if r["on_homepage"] and r["source_url"] != home]
    items = small_scan.rows(storage.list_item, column_url=home)
    assert items and all(i["date"] for i in items)


def test_scan_row_records_outcome_and_statistics(small_scan):
    scan = small_scan.scan
    assert scan["status"] == "complete"
    for key in ("requests", "pages", "bytes", "elapsed", "pages_per_s", "peak_rss_mb"):
        assert scan["stats"][key] > 0, key
    assert scan["site_name"]
    assert small_scan.rows(storage.unit)
    pending = [r for r in small_scan.rows(storage.frontier) if not r["done"]]
    assert not pending


def test_peak_rss_is_the_crawl_process_own_not_its_parents():
    """ru_maxrss survives execve on Linux; the figure must not be the parent's peak."""
    import subprocess
    import sys
    parent = (
        "import subprocess, sys\n"
        "ballast = bytearray(250 * 1024 * 1024)\n"
        "for i in range(0, len(ballast), 4096): ballast[i] = 1\n"
        "print(subprocess.run([sys.executable, '-c', 'from crawler.progress import peak_rss_mb; "
        "print(peak_rss_mb())'], capture_output=True, text=True, check=True).stdout)\n")
    out = subprocess.run([sys.executable, "-c", parent], capture_output=True, text=True, check=True)
    assert 5 < float(out.stdout.strip()) < 150


def test_waiting_requests_are_kept_on_disk_and_the_queue_goes_with_the_crawl(small_sim, tmp_path, monkeypatch):
    """The scheduler's queue is pickled to a directory of the crawl child's own (its memory no
    longer grows with a site's breadth); the directory is gone when the crawl ends, and so are
    those of crawls killed outright."""
    temp = tmp_path / "tmp"
    for name in ("govaudit-queue-1-killed", "govaudit-queue-2-running"):
        (temp / name).mkdir(parents=True)
        (temp / name / ".lock").touch()
    # A crawl still running holds its directory's lock; one killed with -9 holds nothing.
    with open(temp / "govaudit-queue-2-running" / ".lock") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        monkeypatch.setenv("TMPDIR", str(temp))
        scan = crawl_into(tmp_path, small_sim.url, max_pages=200)
    stats = scan.scan["stats"]
    assert stats["pages"] >= 200 and stats["queued_on_disk"] >= 200
    assert [p.name for p in temp.iterdir()] == ["govaudit-queue-2-running"]
    # Turned off in the site's profile, the same crawl keeps its queue in memory.
    profile = {"start_urls": [small_sim.url], "crawl": {"disk_queue": False}}
    off = crawl_into(tmp_path, small_sim.url, name="memory.db", max_pages=200, profile=profile)
    assert off.scan["stats"]["queued_on_disk"] == 0 and off.scan["stats"]["pages"] >= 200
    with pytest.raises(GovauditError, match="disk_queue"):
        validate_profile({**profile, "crawl": {"disk_queue": "no"}})
