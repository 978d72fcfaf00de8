"""A scan killed with SIGKILL resumes without loss or duplicates; an unchanged re-scan is cheap."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from crawler_helpers import FAST, Snapshot, scan_then_rescan_next_generation, start_sim
from sqlalchemy import func, select, update

from crawler.runner import crawl
from govaudit.core import storage

SCRIPT = """
import json, sys
from crawler.runner import crawl
crawl(db=sys.argv[1], start_urls=[sys.argv[2]], settings=json.loads(sys.argv[3]))
"""


def count(engine, table):
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


@pytest.mark.slow   # ~58 s; tests/ops/test_interrupted_scans.py keeps a kill -9 and resume in the default suite
def test_scan_killed_with_sigkill_resumes_to_a_complete_snapshot(tmp_path, small_scan):
    sim = start_sim("small")
    try:
        db = storage.db_url(str(tmp_path / "resume.db"))
        engine = storage.connect(db)
        slower = {**FAST, "CONCURRENT_REQUESTS": 4, "CONCURRENT_REQUESTS_PER_DOMAIN": 4}
        proc = subprocess.Popen([sys.executable, "-c", SCRIPT, db, sim.url, json.dumps(slower)],
                                start_new_session=True, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while count(engine, storage.document) < 150:
            assert proc.poll() is None, "the crawl ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGKILL)        # the runner and its Scrapy child, like kill -9
        proc.wait()
        with engine.connect() as conn:
            killed = conn.execute(select(storage.scan)).mappings().one()
        assert killed["status"] == "running"
        stored_before = count(engine, storage.document)
        assert stored_before < len(sim.manifest["documents"])

        scan_id = crawl(db=db, start_urls=[sim.url], resume=True, settings=FAST)
        assert scan_id == killed["id"]
        snap = Snapshot(db, scan_id)
        assert snap.scan["status"] == "complete" and snap.scan["stats"]["runs"] == 2
        assert snap.judged_documents() == {d["url"] for d in sim.manifest["documents"]}
        assert set(snap.by_url(storage.column)) - {sim.url} == {c["url"] for c in sim.manifest["columns"]}
        items = [i for i in snap.rows(storage.list_item) if i["column_url"] != sim.url]
        assert len(items) == sum(c["item_count"] for c in sim.manifest["columns"])
        # The same link targets as an uninterrupted crawl of the same site, each once.
        port = lambda u: u.split("/", 3)[-1]
        assert sorted(port(u) for u in snap.by_url(storage.link)) == \
            sorted(port(u) for u in small_scan.by_url(storage.link))
        assert not [r for r in snap.rows(storage.frontier) if not r["done"]]
        assert count(engine, storage.scan) == 1
    finally:
        sim.stop()


def test_unchanged_rescan_uses_conditional_requests_and_copies_facts(small_sim, small_scan_copy):
    first = small_scan_copy
    second = Snapshot(first.db, crawl(db=first.db, start_urls=[small_sim.url], settings=FAST))
    s1, s2 = first.scan["stats"], second.scan["stats"]
    assert second.scan["status"] == "complete"
    documents = len(small_sim.manifest["documents"])
    assert s2["not_modified"] >= documents
    assert s2["full_downloads"] <= s1["full_downloads"] / 4
    assert s2["bytes"] <= s1["bytes"] / 4
    assert s2["requests"] >= s1["requests"] * 0.9      # everything was asked again, conditionally
    # The new snapshot is complete: same documents with the same facts, same lists, same links.
    keep = ("title", "fields", "publish_date", "written_date", "unit", "attachments", "body_text")
    d1, d2 = first.by_url(storage.document), second.by_url(storage.document)
    assert set(d1) == set(d2)
    assert all({k: d1[u][k] for k in keep} == {k: d2[u][k] for k in keep} for u in d1)
    rel = lambda snap: {(r["src_url"], r["dst_url"], r["kind"]) for r in snap.rows(storage.relation)}
    assert rel(first) == rel(second)
    items = lambda snap: {(r["column_url"], r["url"]) for r in snap.rows(storage.list_item)}
    assert items(first) == items(second)
    links = lambda snap: {(r["url"], r["outcome"]) for r in snap.rows(storage.link)}
    assert links(first) == links(second)
    errors = lambda snap: {(r["url"], r["error"]) for r in snap.rows(storage.fetch_error)}  # noqa: E731
    assert errors(first) == errors(second)
    assert s2["documents"] == s1["documents"] == len(d1)


def test_rescan_of_a_changed_site_stores_the_new_facts(tmp_path):
    """Month over month: fixed defects, new defects and new documents all show in the re-scan,
    while unchanged documents are copied (the simulator's next generation, same address)."""
    _, snap, manifest = scan_then_rescan_next_generation(storage.db_url(str(tmp_path / "months.db")))
    stats = snap.scan["stats"]
    assert snap.scan["status"] == "complete"
    docs = snap.by_url(storage.document)
    assert {d["url"] for d in manifest["documents"]} == snap.judged_documents()
    assert not [d["url"] for d in manifest["documents"]
                if (docs[d["url"]]["fields"], docs[d["url"]]["title"]) != (d["fields"], d["title"])]
    columns = snap.by_url(storage.column)
    assert not [c["url"] for c in manifest["columns"] if columns[c["url"]]["item_count"] != c["item_count"]]
    assert 0 < stats["not_modified"] < len(docs)       # some copied, the changed ones fetched again


def test_rescan_trusting_unchanged_lists_skips_their_documents(small_sim, small_scan_copy):
    first = small_scan_copy
    settings = {**FAST, "GOVAUDIT_TRUST_UNCHANGED_LISTS": True}
    second = Snapshot(first.db, crawl(db=first.db, start_urls=[small_sim.url], settings=settings))
    s1, s2 = first.scan["stats"], second.scan["stats"]
    assert second.scan["status"] == "complete"
    assert s2["requests"] < s1["requests"] / 2
    d1, d2 = first.by_url(storage.document), second.by_url(storage.document)
    assert set(d1) == set(d2)
    assert all((d1[u]["fields"], d1[u]["title"]) == (d2[u]["fields"], d2[u]["title"]) for u in d1)
    links = lambda snap: {(r["url"], r["outcome"]) for r in snap.rows(storage.link)}  # noqa: E731
    assert links(first) == links(second)


def test_a_resume_keeps_the_spider_views_its_restored_pages_could_have_replaced(small_sim, small_scan_copy):
    """The interrupted run had taken its sample of views as Baiduspider (the homepage's, where the
    site hides its 暗链 from visitors).  The resumed run's first answers are documents that could
    take views of their own; storing those must not write over the views still to be restored."""
    snap = small_scan_copy
    taken = snap.scan["stats"]["spider_views"]
    assert small_sim.url in taken and len(taken) == 6
    fr = storage.frontier
    with snap.engine.begin() as conn:      # as if killed before 200 of its documents were read
        documents = (select(fr.c.id).where(fr.c.scan_id == snap.scan_id, fr.c.url.like("%.html"))
                     .order_by(fr.c.id).limit(200))
        conn.execute(update(fr).where(fr.c.id.in_(documents)).values(done=False))
        conn.execute(update(storage.scan).where(storage.scan.c.id == snap.scan_id).values(status="interrupted"))
    assert crawl(db=snap.db, start_urls=[small_sim.url], resume=True, settings=FAST) == snap.scan_id
    stats = snap.scan["stats"]
    assert snap.scan["status"] == "complete" and stats["runs"] == 2
    assert stats["spider_views"] == taken
