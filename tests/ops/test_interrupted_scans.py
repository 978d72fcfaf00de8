"""Interrupted scans (issue 10, item 6): Ctrl-C, SIGTERM and kill -9 leave a scan recorded as
interrupted (at once, or recognised later by its pid and host); the same command again says so and
how to continue; ``--resume`` continues only a scan of the same site and scope."""
from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from crawler.liveness import is_stale, mark_stale_scans, runner_fields
from crawler.runner import resumable_scan
from govaudit.core import storage

from .helpers import AS_OF, UNIT, SimSite, add_scan, assert_one_line_error, free_port, run_cli


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    """A site of 40 documents of its own, served by a child process: the tests stop it."""
    with SimSite(tmp_path_factory.mktemp("sim"), free_port(), AS_OF, size="40") as site:
        yield site


def _slow_profile(sim: SimSite, tmp_path) -> str:
    """One request at a time with a short delay: the unit's crawl takes long enough to interrupt."""
    path = tmp_path / "slow.yaml"
    path.write_text(f"site_name: 济南市章丘区人民政府\nstart_urls: [{sim.url}]\n"
                    "politeness:\n  concurrency_per_host: 1\n  delay: 0.1\n  autothrottle: false\n",
                    encoding="utf-8")
    return str(path)


def _scan_args(profile: str, tmp_path, *extra) -> list[str]:
    return ["scan", "--profile", profile, "--unit", UNIT, "--db", str(tmp_path / "govaudit.db"),
            "--out", str(tmp_path / "report"), "--as-of", AS_OF, *extra]


def _start_scan(args: list[str], env: dict | None = None) -> subprocess.Popen:
    """`govaudit scan` as in a terminal: its own process group, which the crawl child joins."""
    return subprocess.Popen([sys.executable, "-m", "govaudit.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env=dict(os.environ, **(env or {})))


def _scans(db) -> list[dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("select * from scan order by id")]


def _wait_for_pages(proc: subprocess.Popen, db, pages: int) -> None:
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, "the scan ended before it could be interrupted: " + proc.stderr.read()
        assert time.monotonic() < deadline, "the crawl stored no pages"
        try:
            with sqlite3.connect(db) as conn:
                if conn.execute("select count(*) from page").fetchone()[0] >= pages:
                    return
        except sqlite3.OperationalError:
            pass        # not created yet
        time.sleep(0.1)


def _resume_hint_then_resume(sim: SimSite, tmp_path, scan_id: int) -> None:
    """The same command again: one line naming the scan and --resume, nothing crawled; then
    --resume finishes that very scan (without the slowing-down: same site and scope)."""
    profile = str(sim.profile())
    again = run_cli(*_scan_args(profile, tmp_path), timeout=120)
    line = assert_one_line_error(again, 2, f"检查 {scan_id}", "--resume", "--fresh")
    assert "已中断" in line
    assert [s["id"] for s in _scans(tmp_path / "govaudit.db")] == [scan_id]

    resumed = run_cli(*_scan_args(profile, tmp_path, "--resume"), timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    (scan,) = _scans(tmp_path / "govaudit.db")
    assert scan["id"] == scan_id and scan["status"] == "complete"
    assert json.loads(scan["stats"])["runs"] == 2
    assert (tmp_path / "report" / "report.html").exists()


@pytest.mark.parametrize("how", ["ctrl-c to the process group", "sigterm to govaudit"])
def test_an_interrupted_scan_is_recorded_as_interrupted_and_can_be_resumed(tmp_path, sim, how):
    profile = _slow_profile(sim, tmp_path)
    db = tmp_path / "govaudit.db"
    proc = _start_scan(_scan_args(profile, tmp_path))
    _wait_for_pages(proc, db, 15)
    if how.startswith("ctrl-c"):
        # A slow server (stopped for the moment) holds requests in flight, so the clean stop takes a
        # while; the user presses Ctrl-C again.  The terminal signals govaudit and its crawl child.
        sim.proc.send_signal(signal.SIGSTOP)
        try:
            time.sleep(0.5)
            os.killpg(proc.pid, signal.SIGINT)
            time.sleep(2.5)
            os.killpg(proc.pid, signal.SIGINT)
            time.sleep(0.5)
        finally:
            sim.proc.send_signal(signal.SIGCONT)
    else:
        proc.send_signal(signal.SIGTERM)        # `kill PID`, systemctl stop
    _, stderr = proc.communicate(timeout=90)
    assert proc.returncode == 130, stderr
    assert "已中断" in stderr and "Traceback" not in stderr
    (scan,) = _scans(db)
    assert scan["status"] == "interrupted"
    assert scan["pid"] == proc.pid and scan["hostname"] == socket.gethostname()

    history = run_cli("history", "--db", db, timeout=60)
    assert "已中断" in history.stdout
    _resume_hint_then_resume(sim, tmp_path, scan["id"])


def test_a_scan_killed_with_sigkill_is_recognised_as_interrupted(tmp_path, sim):
    profile = _slow_profile(sim, tmp_path)
    db = tmp_path / "govaudit.db"
    temp = tmp_path / "tmp"
    temp.mkdir()
    proc = _start_scan(_scan_args(profile, tmp_path), env={"TMPDIR": str(temp)})
    _wait_for_pages(proc, db, 15)
    os.killpg(proc.pid, signal.SIGKILL)         # kill -9 of govaudit and its crawl child
    proc.communicate(timeout=60)
    (scan,) = _scans(db)
    assert scan["status"] == "running"          # nobody was left to say otherwise
    # The crawl's settings (the database URL with its password) are not left behind in a file.
    assert not list(temp.glob("govaudit-crawl-*.json"))

    listed = json.loads(run_cli("history", "--db", db, "--json", timeout=60).stdout)
    assert [r["status"] for r in listed] == ["interrupted"]
    assert "已中断" in run_cli("history", "--db", db, timeout=60).stdout
    _resume_hint_then_resume(sim, tmp_path, scan["id"])


def test_resume_refuses_a_scan_that_is_still_running(tmp_path, sim):
    """A `running` row whose process is alive (here: this test) is not taken over by --resume."""
    engine = storage.connect(str(tmp_path / "govaudit.db"))
    scan_id = add_scan(engine, sim.url, [], status="running", scope_unit=UNIT, audited=False,
                       started_at=dt.datetime.now().astimezone().isoformat(timespec="seconds"))
    with engine.begin() as conn:
        conn.execute(storage.scan.update().values(**runner_fields()))
    result = run_cli(*_scan_args(_slow_profile(sim, tmp_path), tmp_path, "--resume"), timeout=120)
    assert_one_line_error(result, 7, f"scan {scan_id}", "still running")
    assert [s["status"] for s in _scans(tmp_path / "govaudit.db")] == ["running"]


def _row(engine, scan_id):
    with engine.connect() as conn:
        return conn.execute(select(storage.scan).where(storage.scan.c.id == scan_id)).mappings().one()


def test_resume_takes_only_an_interrupted_scan_of_the_same_site_and_scope(sqlite_engine):
    site, other = "http://127.0.0.1:8123/", "http://127.0.0.1:8124/"
    unit_scan = add_scan(sqlite_engine, site, [], status="interrupted", scope_unit=UNIT, audited=False)
    add_scan(sqlite_engine, other, [], status="interrupted", audited=False)
    assert resumable_scan(sqlite_engine, site) is None                      # whole site: nothing
    assert resumable_scan(sqlite_engine, site, unit="区财政局") is None
    assert resumable_scan(sqlite_engine, site, unit=UNIT)["id"] == unit_scan
    whole = add_scan(sqlite_engine, site, [], status="interrupted", audited=False)
    add_scan(sqlite_engine, site, [], status="failed", audited=False)       # a later failure does not hide it
    assert resumable_scan(sqlite_engine, site)["id"] == whole
    add_scan(sqlite_engine, site, [], status="complete")
    assert resumable_scan(sqlite_engine, site) is None                      # superseded by a complete scan
    assert resumable_scan(sqlite_engine, site, unit=UNIT)["id"] == unit_scan


def test_stale_running_rows_by_pid_and_host(sqlite_engine):
    now = dt.datetime.now().astimezone()
    iso = lambda t: t.isoformat(timespec="seconds")  # noqa: E731
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    here = socket.gethostname()
    me = runner_fields()["pid_started"]
    assert me is not None
    cases = [   # pid, host, the pid's start time, when the scan started -> stale?
        (os.getpid(), here, me, now - dt.timedelta(days=30), False),     # alive: still running (resumed)
        (dead.pid, here, me, now - dt.timedelta(minutes=5), True),      # its process is gone
        (os.getpid(), here, me - 600, now - dt.timedelta(minutes=5), True),  # the pid now is another process
        (12345, "another-host", 1.0, now - dt.timedelta(hours=1), False),    # cannot tell yet
        (12345, "another-host", 1.0, now - dt.timedelta(hours=48), True),    # too old to be running
        (None, None, None, now - dt.timedelta(hours=48), True),              # row of an older version
    ]
    ids = {}
    for pid, host, pid_started, started, stale in cases:
        scan_id = add_scan(sqlite_engine, "http://127.0.0.1:8123/", [], status="running", audited=False,
                           started_at=iso(started))
        with sqlite_engine.begin() as conn:
            conn.execute(storage.scan.update().where(storage.scan.c.id == scan_id)
                         .values(pid=pid, hostname=host, pid_started=pid_started))
        ids[scan_id] = stale
    assert {i: is_stale(_row(sqlite_engine, i)) for i in ids} == ids
    marked = mark_stale_scans(sqlite_engine)
    assert sorted(marked) == sorted(i for i, stale in ids.items() if stale)
    assert {i: _row(sqlite_engine, i)["status"] for i in ids} == \
        {i: "interrupted" if stale else "running" for i, stale in ids.items()}


def test_a_database_of_an_older_version_gets_the_new_columns(tmp_path):
    """Databases written before scans recorded their pid and host still open, list and resume."""
    db = tmp_path / "old.db"
    storage.connect(str(db)).dispose()
    with sqlite3.connect(db) as conn:       # the scan table as it was before
        conn.execute("alter table scan drop column pid")
        conn.execute("alter table scan drop column hostname")
        conn.execute("alter table scan drop column pid_started")
        conn.execute("insert into scan (start_url, started_at, status, stats) values "
                     "('http://127.0.0.1:8123/', '2023-11-01T02:00:00+08:00', 'running', '{}')")
    listed = run_cli("history", "--db", db, "--json", timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert [r["status"] for r in json.loads(listed.stdout)] == ["interrupted"]   # years old, no pid
    with sqlite3.connect(db) as conn:
        columns = {row[1] for row in conn.execute("pragma table_info(scan)")}
    assert {"pid", "hostname", "pid_started"} <= columns
