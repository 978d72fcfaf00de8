"""The large simulated site (~20,000 documents): complete, exact, and in bounded memory.

Slow (several minutes on two cores): ``pytest -m slow tests/crawler``.
"""
import pytest
from crawler_helpers import crawl_into, start_sim

from audits.config import merged_config
from audits.snapshot import Snapshot as AuditSnapshot
from audits.views import column_classes
from govaudit.core import storage


@pytest.mark.slow
def test_large_site_is_crawled_completely_in_bounded_memory(tmp_path, small_scan):
    sim = start_sim("large")
    try:
        snap = crawl_into(tmp_path, sim.url)
        manifest = sim.manifest
    finally:
        sim.stop()
    assert snap.scan["status"] == "complete"
    columns = snap.by_url(storage.column)
    assert {c["url"] for c in manifest["columns"]} <= set(columns)
    # Where a column sits is the audits' call (breadcrumb, URL, highlighted item), as in test_crawl_sim.
    decided = column_classes(AuditSnapshot.load(snap.engine, snap.scan_id), merged_config())["path"]
    assert not [c["url"] for c in manifest["columns"]
                if (decided[c["url"]], columns[c["url"]]["item_count"]) != (c["path"], c["item_count"])]
    docs = snap.by_url(storage.document)
    assert len(manifest["documents"]) > 10_000
    assert {d["url"] for d in manifest["documents"]} == snap.judged_documents()
    assert not [d["url"] for d in manifest["documents"]
                if (docs[d["url"]]["fields"], docs[d["url"]]["title"]) != (d["fields"], d["title"])]
    # Memory does not grow with the site: 20x the documents, about the same peak RSS.
    small_rss, large_rss = small_scan.scan["stats"]["peak_rss_mb"], snap.scan["stats"]["peak_rss_mb"]
    assert large_rss < 300
    assert large_rss < small_rss * 1.5, (small_rss, large_rss)
