"""Campaign faults, in the default suite as issue 15 asks (about a minute each on two cores): the
embedded default with --workers 2 and SQLite, killed and finished with --resume; one site at a time
(--workers 1) stopped by Ctrl-C and finished with --resume; a Celery worker
process killed with -9 mid-site; and sites sharing one server that keep one limit across workers
(counted by the server)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from govaudit.campaign import store
from govaudit.core import procfs, storage
from govaudit.core.errors import GovauditError
from sitesim.server import start_background
from tests.conftest import AS_OF

from .campaign_helpers import ROOT, Workers, redis_url, write_sites
from .helpers import run_cli

pytestmark = pytest.mark.timeout(1200)     # whole-site crawls, several at once


def _start_campaign(*args, cwd) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "govaudit.cli", "campaign", "run", *map(str, args)], cwd=cwd,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, text=True)


def _wait_for(condition, timeout: float = 900, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out")


def _running_site_with_pages(db: str, pages: int):
    """(site row, scan id) of a running site whose scan has stored at least ``pages`` pages."""
    try:
        engine = storage.connect(db, create=False)
    except GovauditError:        # not created yet
        return None
    try:
        campaign = store.campaign_row(engine)
        for row in store.site_rows(engine, campaign["id"]) if campaign else ():
            found = store.campaign_scan(engine, row["id"]) if row["status"] == "running" else None
            if found and store.pages_crawled(engine, [found["id"]]).get(found["id"], 0) >= pages:
                return row, found["id"]
    finally:
        engine.dispose()
    return None


def _scans_per_site(db: str) -> dict[int, list[tuple]]:
    engine = storage.connect(db, create=False)
    s, f = storage.scan, storage.frontier
    with engine.connect() as conn:
        rows = conn.execute(select(s.c.campaign_site_id, s.c.id, s.c.status)).all()
        pending = dict(conn.execute(select(f.c.scan_id, func.count()).where(f.c.done.is_(False))
                                    .group_by(f.c.scan_id)).all())
    engine.dispose()
    out: dict[int, list[tuple]] = {}
    for site_id, scan_id, status in rows:
        out.setdefault(site_id, []).append((scan_id, status, pending.get(scan_id, 0)))
    return out


def _statuses(db: str) -> dict[str, dict]:
    return {s["name"]: s for s in json.loads(run_cli("campaign", "status", "--db", db, "--json").stdout)["sites"]}


def test_embedded_workers_2_sqlite_killed_then_resumed(small_sim, tmp_path):
    others = [start_background(seed=s, size="small", as_of=AS_OF) for s in (7, 11)]
    try:
        sites = write_sites(tmp_path / "conf", [("甲区", small_sim.url, "区县"), ("乙区", others[0].url, "区县"),
                                                ("丙局", others[1].url, "部门")], concurrency=4)
        db, out = storage.db_url(str(tmp_path / "campaign.db")), tmp_path / "out"
        proc = _start_campaign("--sites", sites, "--workers", 2, "--db", db, "--out", out, "--as-of", AS_OF,
                               cwd=tmp_path)
        _wait_for(lambda: proc.poll() is not None or _running_site_with_pages(db, 30))
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        os.killpg(proc.pid, signal.SIGKILL)           # the whole campaign: runner, pool, crawls
        proc.wait()
        interrupted = {site: scans[0][0] for site, scans in _scans_per_site(db).items()}
        result = run_cli("campaign", "run", "--resume", 1, "--db", db, "--workers", 2, timeout=900)
        assert result.returncode == 0, result.stderr[-3000:]
    finally:
        for sim in others:
            sim.stop()
    statuses = _statuses(db)
    assert {s["status"] for s in statuses.values()} == {"complete"}
    per_site = _scans_per_site(db)
    assert len(per_site) == 3 and all(len(scans) == 1 for scans in per_site.values())    # nothing crawled twice
    for site_id, scan_id in interrupted.items():
        assert per_site[site_id][0][0] == scan_id                                       # resumed, not restarted
    assert all(scans[0][1:] == ("complete", 0) for scans in per_site.values())          # nothing left pending
    assert (out / "report.html").exists() and (out / "campaign.xlsx").exists()


def test_ctrl_c_of_a_campaign_run_one_site_at_a_time_is_finished_by_resume(small_sim, tmp_path):
    """Ctrl-C at the terminal (SIGINT to the whole process group) while the first of two sites is
    crawled by ``--workers 1``: one line and exit 130, the second site never started, and
    ``--resume`` finishes the first site's own scan and then the second."""
    other = start_background(seed=7, size="small", as_of=AS_OF)
    try:
        sites = write_sites(tmp_path / "conf", [("甲区", small_sim.url, "区县"), ("乙区", other.url, "区县")],
                            concurrency=4)
        db, out = storage.db_url(str(tmp_path / "campaign.db")), tmp_path / "out"
        proc = _start_campaign("--sites", sites, "--workers", 1, "--db", db, "--out", out, "--as-of", AS_OF,
                               cwd=tmp_path)
        running = _wait_for(lambda: proc.poll() is not None or _running_site_with_pages(db, 30))
        assert proc.poll() is None, proc.communicate()[1][-3000:]       # ended before it could be stopped
        row, scan_id = running
        os.killpg(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 130, stderr[-3000:]
        assert "--resume 1" in stderr and "Traceback" not in stderr
        interrupted = _statuses(db)
        assert interrupted[row["name"]]["status"] != "complete"
        before = _scans_per_site(db)          # the second site never started
        assert list(before) == [row["id"]] and [scan[:2] for scan in before[row["id"]]] == [(scan_id, "interrupted")]
        result = run_cli("campaign", "run", "--resume", 1, "--db", db, "--workers", 1, timeout=900)
        assert result.returncode == 0, result.stderr[-3000:]
    finally:
        other.stop()
    assert {s["status"] for s in _statuses(db).values()} == {"complete"}
    per_site = _scans_per_site(db)
    assert len(per_site) == 2 and all(len(scans) == 1 for scans in per_site.values())
    assert per_site[row["id"]][0][0] == scan_id                                         # resumed, not restarted
    assert all(scans[0][1:] == ("complete", 0) for scans in per_site.values())
    assert (out / "report.html").exists()


def _cluster_campaign_stopped_mid_site(small_sim, pg_url: str, tmp_path, stop) -> tuple[dict, int]:
    """A campaign of two sites on 2 Celery workers, whose running site's job is stopped by
    ``stop(site row)`` once 40 of its pages are stored; it must still finish.  The row and its scan."""
    broker = redis_url()
    slow = start_background(seed=7, size="small", as_of=AS_OF, latency_ms=20)
    try:
        sites = write_sites(tmp_path / "conf", [("甲区", slow.url, "区县"), ("乙区", small_sim.url, "区县")],
                            concurrency=4)
        out = tmp_path / "out"
        with Workers(broker, pg_url, tmp_path, count=2):
            proc = _start_campaign("--sites", sites, "--broker", broker, "--db", pg_url, "--out", out,
                                   "--as-of", AS_OF, cwd=tmp_path)
            row, scan_id = _wait_for(lambda: _running_site_with_pages(pg_url, 40))
            stop(row)
            stdout, stderr = proc.communicate(timeout=900)
        assert proc.returncode == 0, stderr[-3000:]
    finally:
        slow.stop()
    return row, scan_id


def _assert_every_site_complete_and_the_stopped_one_resumed(pg_url: str, row: dict, scan_id: int) -> None:
    statuses = _statuses(pg_url)
    assert {s["status"] for s in statuses.values()} == {"complete"}
    stopped = next(s for s in statuses.values() if s["name"] == row["name"])
    assert stopped["attempts"] == 2 and stopped["scan_id"] == scan_id        # redelivered, the same scan resumed
    per_site = _scans_per_site(pg_url)
    assert all(len(scans) == 1 and scans[0][1] == "complete" and scans[0][2] == 0 for scans in per_site.values())


def _job_pid(row: dict) -> int:
    return int(row["worker"].rpartition(":")[2])


@pytest.mark.postgres
@pytest.mark.redis
def test_worker_killed_with_sigkill_mid_site_is_redelivered_and_resumes(small_sim, pg_url, tmp_path):
    row, scan_id = _cluster_campaign_stopped_mid_site(
        small_sim, pg_url, tmp_path, lambda row: os.kill(_job_pid(row), signal.SIGKILL))  # the job's process
    _assert_every_site_complete_and_the_stopped_one_resumed(pg_url, row, scan_id)


@pytest.mark.postgres
@pytest.mark.redis
def test_a_celery_jobs_crawl_stopped_by_ctrl_c_is_resumed_not_reported(small_sim, pg_url, tmp_path):
    """Ctrl-C that reaches a job's crawl child only (a terminal's, or systemd stopping the unit) stops
    the crawl with the site half read.  That half is no result: the site goes back to the queue and a
    worker resumes the same scan, and the campaign ends with every site complete and crawled once."""
    def ctrl_c_to_the_crawl(row):
        os.kill(_wait_for(lambda: procfs.children().get(_job_pid(row)))[0], signal.SIGINT)
    row, scan_id = _cluster_campaign_stopped_mid_site(small_sim, pg_url, tmp_path, ctrl_c_to_the_crawl)
    _assert_every_site_complete_and_the_stopped_one_resumed(pg_url, row, scan_id)


@pytest.mark.postgres
@pytest.mark.redis
def test_sites_sharing_a_server_keep_one_limit_across_workers(pg_url, tmp_path):
    """Three sites of one 集约化 server, each allowed 2 requests in flight: crawled by 3 processes at
    once, the server sees more than 2 without the shared limit and never more than 2 with it."""
    broker = redis_url()
    shared = start_background(seed=9, size="small", as_of=AS_OF, latency_ms=30)
    try:
        sites = write_sites(tmp_path / "conf", [(name, shared.url, "部门") for name in ("甲局", "乙局", "丙局")],
                            concurrency=2)
        result = run_cli("campaign", "run", "--sites", sites, "--workers", 3, "--db", tmp_path / "alone.db",
                         "--out", tmp_path / "alone", "--as-of", AS_OF, "--max-pages", 60, timeout=900)
        assert result.returncode == 0, result.stderr[-3000:]
        alone = shared.traffic.snapshot()
        shared.traffic.reset()
        with Workers(broker, pg_url, tmp_path, count=3):
            result = run_cli("campaign", "run", "--sites", sites, "--broker", broker, "--db", pg_url,
                             "--out", tmp_path / "out", "--as-of", AS_OF, "--max-pages", 60,
                             timeout=900)
        assert result.returncode == 0, result.stderr[-3000:]
        together = shared.traffic.snapshot()
    finally:
        shared.stop()
    assert alone["max_in_flight"] > 2                       # per-crawl politeness only: 3 x 2
    assert together["requests"] >= 3 * 60 and together["max_in_flight"] <= 2
    assert {s["status"] for s in _statuses(pg_url).values()} == {"complete"}
