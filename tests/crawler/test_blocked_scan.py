"""A scan the site blocks part-way (the simulator acts as a WAF: 403 to a client after N
requests): it ends blocked, judged 无法评价, with no finding from what it did not read; once the
block is lifted, ``--resume`` completes it with the findings of an unblocked scan."""
from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from crawler.runner import crawl
from crawler.settings import loopback_overrides
from govaudit.core import storage
from govaudit.workflow import audit_and_report
from sitesim.traffic import BlockRule
from tests.conftest import AS_OF

PROFILE_POLITENESS = {"block_pause": 0.1, "block_retries": 1}


@contextmanager
def blocking(handle, rule: BlockRule):
    traffic = handle.traffic
    traffic.block = rule
    traffic.reset()
    try:
        yield traffic
    finally:
        traffic.block = None
        traffic.reset()


def scan(sim, db: str, resume: bool = False) -> int:
    profile = {"start_urls": [sim.url], "politeness": PROFILE_POLITENESS}
    return crawl(db=db, start_urls=[sim.url], profile=profile, resume=resume, settings=loopback_overrides(4))


def audited(db: str, scan_id: int, out) -> tuple[str, dict, str]:
    engine = storage.connect(db)
    try:
        status = engine.connect().execute(select(storage.scan.c.status)
                                           .where(storage.scan.c.id == scan_id)).scalar()
        paths = audit_and_report(engine, scan_id, AS_OF, out)
    finally:
        engine.dispose()
    return status, json.loads(paths["findings.json"].read_text(encoding="utf-8")), \
        paths["report.html"].read_text(encoding="utf-8")


def keys(doc: dict) -> set[str]:
    return {f"{f['check']}|{f['url']}|{f['field'] or ''}" for f in doc["findings"]}


def blocked_scan(small_sim, tmp_path, mode: str):
    db = storage.db_url(str(tmp_path / "scan.db"))
    with blocking(small_sim, BlockRule(after=120, mode=mode)) as traffic:
        scan_id = scan(small_sim, db)
        seen = traffic.snapshot()
        status, doc, html = audited(db, scan_id, tmp_path / "blocked")
    return db, scan_id, seen, status, doc, html


@pytest.mark.parametrize("mode", ["403", "challenge"])
def test_blocked_scan_ends_incomplete_without_false_findings(small_sim, small_audit, tmp_path, mode):
    db, scan_id, seen, status, doc, html = blocked_scan(small_sim, tmp_path, mode)
    assert seen["blocked"], seen                     # the simulator did refuse the crawler
    assert status == "blocked"
    blocked = doc["blocked"]
    host = small_sim.url.split("//")[1].split(":")[0]
    assert host in blocked["message"] and ("403" in blocked["message"] or "JS" in blocked["message"])
    assert blocked["not_judged"]["units"] and blocked["not_fetched"] > 0
    # Not 合格: 无法评价, or 不合格 when what it did read already holds a 单项否决 item (that stands).
    vetoes = doc["verdict"].get("vetoes") or []
    assert doc["verdict"]["result"] == ("不合格" if vetoes else "无法评价"), doc["verdict"]
    # Everything it reports, an unblocked scan of the same site reports too.
    assert keys(doc) <= keys(small_audit.findings), sorted(keys(doc) - keys(small_audit.findings))[:5]
    assert "被网站拦截" in html and "govaudit scan --resume" in html


@pytest.mark.slow
@pytest.mark.timeout(1800)    # two crawls of the small site; its one run hit the 600 s default at load 11
def test_resume_after_the_block_lifts_completes_with_the_same_findings(small_sim, small_audit, tmp_path):
    db, scan_id, _, status, _, _ = blocked_scan(small_sim, tmp_path, "403")
    assert status == "blocked"
    resumed = scan(small_sim, db, resume=True)         # the block is lifted (no rule any more)
    assert resumed == scan_id
    status, doc, _ = audited(db, scan_id, tmp_path / "resumed")
    assert status == "complete" and "blocked" not in doc
    assert keys(doc) == keys(small_audit.findings)
