"""`govaudit schedule daemon`: fire times on a fake clock, SIGTERM, child runs."""
from __future__ import annotations

import datetime as dt
import json
import signal
import sqlite3
import subprocess
import sys
import time

from govaudit.schedule.daemon import Daemon

from .helpers import AS_OF, run_cli

TZ = dt.timezone(dt.timedelta(hours=8))


class FakeClock:
    """A clock that moves only when the daemon sleeps or a run takes time."""

    def __init__(self, start: dt.datetime):
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> dt.datetime:
        return self.now

    def sleep(self, seconds: float) -> bool:
        self.sleeps.append(seconds)
        self.now += dt.timedelta(seconds=seconds)
        return False


def _daemon(when, run_seconds, max_runs, start=dt.datetime(2023, 11, 30, 10, 7, 30, tzinfo=TZ)):
    clock = FakeClock(start)
    fired: list[dt.datetime] = []

    def run():
        fired.append(clock())
        clock.now += dt.timedelta(seconds=run_seconds)
        return 0

    daemon = Daemon(when, run, max_runs=max_runs, clock=clock, sleep=clock.sleep)
    return daemon, clock, fired


def test_daemon_fires_at_each_cron_time():
    daemon, clock, fired = _daemon("*/10 * * * *", run_seconds=30, max_runs=3)
    assert daemon.serve() == 0
    assert [t.strftime("%H:%M:%S") for t in fired] == ["10:10:00", "10:20:00", "10:30:00"]
    assert max(clock.sleeps) <= 300  # sleeps in chunks, re-reading the clock


def test_monthly_default_fires_on_the_first_at_two():
    daemon, _clock, fired = _daemon("0 2 1 * *", run_seconds=3600, max_runs=3)
    daemon.serve()
    assert [t.isoformat() for t in fired] == ["2023-12-01T02:00:00+08:00", "2024-01-01T02:00:00+08:00",
                                              "2024-02-01T02:00:00+08:00"]


def test_a_run_that_overruns_fire_times_skips_them_instead_of_piling_up():
    daemon, _clock, fired = _daemon("*/10 * * * *", run_seconds=25 * 60, max_runs=2)
    daemon.serve()
    assert [t.strftime("%H:%M") for t in fired] == ["10:10", "10:40"]


def test_stop_while_sleeping_ends_without_running():
    clock = FakeClock(dt.datetime(2023, 11, 30, 10, 7, tzinfo=TZ))
    runs = []
    daemon = Daemon("0 2 1 * *", lambda: runs.append(1) or 0, clock=clock, sleep=lambda s: True)
    assert daemon.serve() == 0
    assert runs == []


def test_interval_mode_and_last_exit_code():
    clock = FakeClock(dt.datetime(2023, 11, 30, 10, 0, tzinfo=TZ))
    codes = iter([4, 0, 7])
    daemon = Daemon("ignored", lambda: next(codes), interval=1.0, max_runs=3, clock=clock, sleep=clock.sleep)
    assert daemon.serve() == 7
    assert daemon.runs == 3


def _daemon_process(tmp_path, *extra):
    return subprocess.Popen([sys.executable, "-m", "govaudit.cli", "schedule", "daemon", "--output-root",
                             str(tmp_path / "out"), *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _wait_for(path, needle, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and needle in path.read_text(encoding="utf-8"):
            return True
        time.sleep(0.1)
    return False


def _sigterm_when(proc, ready, log) -> str:
    """Send SIGTERM once ``ready()``; return the daemon's stderr (the process is gone after)."""
    try:
        assert ready(), log.read_text() if log.exists() else "no log"
        proc.send_signal(signal.SIGTERM)
        return proc.communicate(timeout=60)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_sigterm_ends_the_daemon_cleanly(tmp_path):
    proc = _daemon_process(tmp_path, "--start-url", "http://127.0.0.1:9/", "--when", "0 2 1 * *")
    log = tmp_path / "out" / "schedule.log"
    err = _sigterm_when(proc, lambda: _wait_for(log, "daemon: next run at"), log)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    text = log.read_text(encoding="utf-8")
    assert "SIGTERM received" in text and "stopping after 0 runs" in text


HOLD_LOCK = """
import sys, time
from govaudit.core.locking import site_lock
with site_lock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(120)
"""


def test_daemon_survives_failing_runs_and_stops_after_max_runs(tmp_path):
    """Each run is a child `schedule run`; while another process holds the site's lock each child
    fails at once (exit 7) — the daemon logs it and goes on to the next run."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(tmp_path / "out" / "127.0.0.1_9")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        proc = _daemon_process(tmp_path, "--start-url", "http://127.0.0.1:9/", "--interval", "1",
                               "--max-runs", "2")
        out, err = proc.communicate(timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 7, err
    text = (tmp_path / "out" / "schedule.log").read_text(encoding="utf-8")
    assert text.count("finished with exit code 7") == 2, text
    assert text.count("failed (exit 7)") == 2  # each child logged its own failure line


def _pages_stored(db, at_least: int, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                if conn.execute("SELECT count(*) FROM page").fetchone()[0] >= at_least:
                    return True
        except sqlite3.Error:
            pass
        time.sleep(0.2)
    return False


def test_sigterm_during_a_run_interrupts_the_crawl_cleanly(sim, tmp_path):
    """systemd stop / kill: the daemon passes SIGTERM to the running child, whose crawl stops and is
    recorded as interrupted; no half-written month directory stays; the daemon exits 0."""
    proc = _daemon_process(tmp_path, "--profile", sim.profile(), "--interval", "0.5", "--as-of", AS_OF)
    log = tmp_path / "out" / "schedule.log"

    def well_into_the_crawl():
        return (_wait_for(log, "scheduled run of 127.0.0.1_")
                and _pages_stored(tmp_path / "out" / "govaudit.db", at_least=20))

    err = _sigterm_when(proc, well_into_the_crawl, log)
    assert proc.returncode == 0, err
    text = log.read_text(encoding="utf-8")
    assert "interrupted (exit 130)" in text and "run 1 finished with exit code 130" in text
    site_dir = tmp_path / "out" / f"127.0.0.1_{sim.port}"
    assert [p.name for p in site_dir.iterdir()] == [".govaudit.lock"]
    records = json.loads(run_cli("history", "--db", tmp_path / "out" / "govaudit.db", "--json",
                                 timeout=60).stdout)
    assert [r["status"] for r in records] == ["interrupted"]
