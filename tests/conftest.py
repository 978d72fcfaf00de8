"""Fixtures every test package shares: the tests' fixed "today" and the small simulated site,
served once and crawled, audited and reported once per test session.

``small_sim`` serves the simulator (seed 2023, size small, as of ``AS_OF``) over real HTTP on a
free loopback port.  ``small_audit`` is one crawl of it (loopback settings), audited and written
out as ``govaudit demo`` does: tests that only read the snapshot, the findings document, the
report files or the manifest share it.  A test that changes the database works on a copy
(``small_audit.dir`` holds ``scan.db`` and its ``httpcache/``); a test that needs a crawl of its
own (another scope, a killed crawl, a later generation of the site) makes one, against
``small_sim`` when it can.

pytest-xdist: every worker is a session of its own, so every worker serves and crawls its own
small site (free port, its own temporary directory).  Nothing is shared between processes, so
there is nothing to lock; with ``-n 2`` the crawl runs twice, in parallel.

Package-specific fixtures live in tests/<package>/conftest.py.  Modules import the constants with
``from tests.conftest import AS_OF``.
"""
from __future__ import annotations

import datetime as dt
import json
import signal
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.runner import crawl
from crawler.settings import loopback_overrides
from govaudit.core import storage
from govaudit.workflow import audit_and_report
from sitesim.server import SimHandle, start_background

AS_OF = dt.date(2023, 11, 30)     # the tests' fixed "today": the simulator's and the audits'
SEED = 2023                       # the simulated district every test knows


@dataclass(frozen=True)
class SmallAudit:
    """One stored, audited and reported scan of ``small_sim``.  Read it; never write to it."""

    sim: SimHandle
    dir: Path            # scan.db, httpcache/ (the crawler's list-page cache) and report/
    db: str              # SQLAlchemy URL of dir / "scan.db"
    scan_id: int
    requests: tuple      # (method, path, status) the simulator answered during the crawl
    report: dict         # report file name -> path (report.html, findings.json, findings.xlsx, 通报.docx)

    @property
    def db_path(self) -> Path:
        return self.dir / "scan.db"

    @property
    def manifest(self) -> dict:
        return self.sim.manifest

    @property
    def findings(self) -> dict:
        """The findings.json document (a fresh copy on each access: callers may change it)."""
        return json.loads(self.report["findings.json"].read_text(encoding="utf-8"))


_PROCESS_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@pytest.fixture(autouse=True)
def _signal_dispositions_restored(request):
    """Code run in-process (``govaudit.cli.main``, the sim, a daemon) installs process-wide signal
    handlers.  Left behind, they leak into later tests of the same xdist worker: a SIGINT left
    ignored is inherited by every subprocess the worker starts, so a later test's ``govaudit sim``
    or crawl would not stop on Ctrl-C.  Each test gets back the dispositions it started with, and
    the one that changed them is named in a warning."""
    before = {sig: signal.getsignal(sig) for sig in _PROCESS_SIGNALS}
    yield
    for sig, handler in before.items():
        if signal.getsignal(sig) is not handler:
            warnings.warn(f"{request.node.nodeid} left {signal.Signals(sig).name} handled by "
                          f"{signal.getsignal(sig)!r}: restored", stacklevel=1)
            signal.signal(sig, handler)


@pytest.fixture(scope="session")
def small_sim() -> SimHandle:
    """The small simulated site over real HTTP, for the whole session (one per xdist worker)."""
    handle = start_background(seed=SEED, size="small", as_of=AS_OF)
    yield handle
    handle.stop()


@pytest.fixture(scope="session")
def small_audit(small_sim, tmp_path_factory) -> SmallAudit:
    """The demo's pipeline once: crawl ``small_sim``, audit as of ``AS_OF``, write the four files."""
    work = tmp_path_factory.mktemp("small-audit")
    db = storage.db_url(str(work / "scan.db"))
    before = len(small_sim.requests)
    scan_id = crawl(db=db, start_urls=[small_sim.url], settings=loopback_overrides())
    requests = tuple(small_sim.requests)[before:]
    engine = storage.connect(db)
    try:
        report = audit_and_report(engine, scan_id, AS_OF, work / "report")
    finally:
        engine.dispose()
    return SmallAudit(sim=small_sim, dir=work, db=db, scan_id=scan_id, requests=requests, report=report)
