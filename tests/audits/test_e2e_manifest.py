"""End to end: crawl the small simulated site over HTTP, audit it, score against its manifest.

Precision and recall must reach 0.98 for each of the eight core checks.  The per-check table
is printed (pytest -s shows it; it is also in the failure message).
"""
from __future__ import annotations

import datetime as dt

import pytest

from audits.evaluate import CORE_CHECKS, compare, mismatches, table_text
from audits.runner import audit_scan
from crawler.settings import loopback_overrides
from govaudit.core import storage

AS_OF = dt.date(2023, 11, 30)
THRESHOLD = 0.98
FAST = loopback_overrides()     # our own simulator on loopback


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    from crawler.runner import crawl
    from sitesim.server import start_background

    sim = start_background(seed=2023, size="small", as_of=AS_OF)
    try:
        manifest = sim.manifest
        db = storage.db_url(str(tmp_path_factory.mktemp("e2e") / "e2e.db"))
        scan_id = crawl(db=db, start_urls=[sim.url], settings=FAST)
        doc = audit_scan(storage.connect(db), scan_id, AS_OF, {})
    finally:
        sim.stop()
    return doc, manifest


def test_core_checks_match_the_manifest(audited):
    doc, manifest = audited
    table = compare(doc["findings"], manifest["defects"], CORE_CHECKS)
    report = table_text(table)
    print("\n" + report)
    failing = [c for c in CORE_CHECKS if table.loc[c, "precision"] < THRESHOLD or table.loc[c, "recall"] < THRESHOLD]
    details = "\n".join(f"  {kind} {key[1]} {key[2] or ''} — {text}" for c in failing
                        for kind, items in mismatches(doc["findings"], manifest["defects"], c).items()
                        for key, text in items[:8])
    assert not failing, f"below {THRESHOLD}: {failing}\n{report}\n{details}"
    assert all(table.loc[c, "TP"] > 0 for c in CORE_CHECKS), "the manifest plants every core check"


def test_document_is_well_formed_after_a_real_crawl(audited):
    doc, manifest = audited
    assert "rule_errors" not in doc
    assert doc["inventory"]["documents"] > 0 and doc["inventory"]["links_checked"] > 0
    assert doc["verdict"]["result"] in ("合格", "不合格")
