"""Crawler test fixtures: the shared crawl of the small simulated site (tests/conftest.py), as a
Snapshot for assertions, and a private copy of it for the tests that re-scan."""
import shutil

import pytest
from crawler_helpers import Snapshot
from sqlalchemy import delete

from govaudit.core import storage


@pytest.fixture(scope="session")
def small_scan(small_audit):
    """The session's crawl of the small simulated site, shared by the read-only tests, with the
    requests the simulator answered during that crawl."""
    snap = Snapshot(small_audit.db, small_audit.scan_id)
    snap.requests = list(small_audit.requests)
    return snap


@pytest.fixture
def small_scan_copy(small_audit, tmp_path):
    """A copy of the shared crawl (database and list-page cache) as the crawler left it, before the
    audit: a test re-scans into it without touching the shared one."""
    shutil.copy(small_audit.db_path, tmp_path / "scan.db")
    shutil.copytree(small_audit.dir / "httpcache", tmp_path / "httpcache")
    snap = Snapshot(storage.db_url(str(tmp_path / "scan.db")), small_audit.scan_id)
    with snap.engine.begin() as conn:
        for table in (storage.finding, storage.audit_summary):
            conn.execute(delete(table).where(table.c.scan_id == snap.scan_id))
    snap.requests = list(small_audit.requests)
    return snap
