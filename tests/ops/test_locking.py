"""Runs never overlap, and a database or output that cannot be written fails before crawling."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from govaudit.core import storage
from govaudit.core.errors import EXIT_DB, EXIT_LOCKED, EXIT_OUTPUT, GovauditError
from govaudit.core.locking import ensure_db_writable, ensure_dir_writable, site_lock

from .helpers import assert_one_line_error, run_cli

SITE = "http://127.0.0.1:8123/"
SITE_DIR = "127.0.0.1_8123"

HOLD_LOCK = """
import sys, time
from govaudit.core.locking import site_lock
with site_lock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


@pytest.fixture
def lock_holder(tmp_path):
    """Another process holding the run lock of SITE under tmp_path/out."""
    site_dir = tmp_path / "out" / SITE_DIR
    proc = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(site_dir), "120"], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "locked"
    yield proc
    proc.kill()
    proc.wait()


def test_second_holder_is_refused_with_exit_7_naming_the_holder(tmp_path, lock_holder):
    with pytest.raises(GovauditError) as err:
        with site_lock(tmp_path / "out" / SITE_DIR):
            pass
    assert err.value.code == EXIT_LOCKED
    assert f"pid {lock_holder.pid}" in err.value.message


def test_lock_is_released_when_the_holder_dies(tmp_path, lock_holder):
    lock_holder.kill()
    lock_holder.wait()
    with site_lock(tmp_path / "out" / SITE_DIR):
        pass


def test_scheduled_run_while_another_runs_exits_7_and_logs_it(tmp_path, lock_holder):
    started = time.monotonic()
    result = run_cli("-q", "schedule", "run", "--start-url", SITE, "--output-root", tmp_path / "out",
                     timeout=60)
    assert_one_line_error(result, EXIT_LOCKED, "another run holds the lock")
    assert time.monotonic() - started < 30  # refused at once, no crawling
    log = (tmp_path / "out" / "schedule.log").read_text(encoding="utf-8")
    assert "failed (exit 7)" in log and f"pid {lock_holder.pid}" in log


@pytest.fixture
def exclusively_locked_db(tmp_path):
    """A snapshot database on which another connection holds BEGIN EXCLUSIVE (and keeps it)."""
    path = tmp_path / "govaudit.db"
    storage.connect(str(path)).dispose()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO scan (start_url, status) VALUES ('http://holder/', 'running')")
    yield path
    other.execute("ROLLBACK")
    other.close()


def test_exclusively_locked_sqlite_is_db_error(exclusively_locked_db):
    engine = storage.connect(str(exclusively_locked_db))
    with pytest.raises(GovauditError) as err:
        ensure_db_writable(engine)
    assert err.value.code == EXIT_DB and "locked" in err.value.message


def test_scan_on_locked_db_exits_5_before_crawling(tmp_path, exclusively_locked_db):
    result = run_cli("scan", "--start-url", "http://127.0.0.1:9/", "--db", exclusively_locked_db,
                     "--out", tmp_path / "r", timeout=60)
    assert_one_line_error(result, EXIT_DB, "locked")


def test_audit_on_locked_db_exits_5_not_internal_error(tmp_path):
    """`govaudit audit` rewrites a stored scan's findings: a database another process holds is
    exit 5 with one line, found before auditing (it was exit 70 with the SQL statement)."""
    path = tmp_path / "govaudit.db"
    storage.connect(str(path)).dispose()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("INSERT INTO scan (start_url, status) VALUES ('http://127.0.0.1:9/', 'complete')")
    other.execute("BEGIN EXCLUSIVE")
    try:
        result = run_cli("audit", "--db", path, "--scan", "1", "--out", tmp_path / "r", timeout=60)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert_one_line_error(result, EXIT_DB, "locked")


def test_scheduled_run_on_locked_db_exits_5_and_logs_it(tmp_path, exclusively_locked_db):
    result = run_cli("-q", "schedule", "run", "--start-url", "http://127.0.0.1:9/",
                     "--db", exclusively_locked_db,
                     "--output-root", tmp_path / "out", timeout=60)
    assert_one_line_error(result, EXIT_DB, "locked")
    assert "failed (exit 5)" in (tmp_path / "out" / "schedule.log").read_text(encoding="utf-8")


def test_database_under_a_file_is_db_error(tmp_path):
    (tmp_path / "file").write_text("x")
    result = run_cli("scan", "--start-url", "http://127.0.0.1:9/", "--db", tmp_path / "file" / "g.db",
                     timeout=60)
    assert_one_line_error(result, EXIT_DB, "database")


def test_output_that_cannot_be_created_is_output_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(GovauditError) as err:
        ensure_dir_writable(tmp_path / "file" / "out")
    assert err.value.code == EXIT_OUTPUT
    result = run_cli("-q", "schedule", "run", "--start-url", SITE, "--output-root", tmp_path / "file" / "out",
                     timeout=60)
    assert_one_line_error(result, EXIT_OUTPUT, "cannot write")


def test_audit_into_an_output_folder_that_cannot_be_written_leaves_the_stored_audit_alone(small_audit, tmp_path):
    """The folder is checked before the audit replaces the scan's findings (it failed only after)."""
    db = tmp_path / "scan.db"
    shutil.copy(small_audit.db_path, db)
    engine = storage.connect(str(db))

    def stored():
        with engine.connect() as conn:
            return conn.execute(select(storage.audit_summary.c.audited_at, func.count(storage.finding.c.id))
                                .select_from(storage.audit_summary.join(
                                    storage.finding, storage.finding.c.scan_id == storage.audit_summary.c.scan_id))
                                .where(storage.audit_summary.c.scan_id == small_audit.scan_id)
                                .group_by(storage.audit_summary.c.audited_at)).one()

    before = stored()
    (tmp_path / "file").write_text("x")
    result = run_cli("audit", "--db", db, "--scan", str(small_audit.scan_id), "--as-of", "2026-01-01",
                     "--out", tmp_path / "file" / "out", timeout=120)
    assert_one_line_error(result, EXIT_OUTPUT, "cannot write")
    assert stored() == before


def test_processes_opening_a_new_sqlite_file_at_once_all_get_its_schema(tmp_path):
    """``govaudit worker`` and ``campaign run`` opening one new SQLite file together: the one that
    looked for the tables before the other made them failed with "table scan already exists"."""
    import multiprocessing

    url = f"sqlite:///{tmp_path / 'c.db'}"
    at = time.time() + 3            # after every process has started and imported
    with multiprocessing.get_context("spawn").Pool(6) as pool:
        outcomes = pool.map(_open_schema, [(url, at)] * 6)
    assert outcomes == ["ok"] * 6


def _open_schema(url_at):
    url, at = url_at
    time.sleep(max(0.0, at - time.time()))
    try:
        storage.connect(url).dispose()
    except Exception as exc:  # the outcome is compared, so the failing process's reason shows
        return str(exc).splitlines()[0]
    return "ok"


@pytest.mark.parametrize("error, waited, tries", [("database is locked", 0, 2), ("disk I/O error", 0, 1),
                                                  ("database is locked", 0.3, 1)])
def test_a_new_sqlite_file_locked_for_a_moment_is_opened_on_a_second_try(tmp_path, monkeypatch, error, waited,
                                                                         tries):
    # The rare answer of the race above that no busy timeout waits for: "database is locked" at
    # once.  The real schema is made on the second try; any other error is not retried, nor a
    # lock already waited for (here refused after 0.3 s, past the 0.2 s taken as "at once").
    from sqlalchemy.exc import OperationalError

    real, calls = storage._make_schema, []

    def locked_once(engine):
        calls.append(1)
        if len(calls) == 1:
            time.sleep(waited)
            raise OperationalError("PRAGMA journal_mode=WAL", {}, sqlite3.OperationalError(error))
        real(engine)

    monkeypatch.setattr(storage, "_make_schema", locked_once)
    monkeypatch.setattr(storage, "SQLITE_OPEN_RETRY_SECONDS", 0.01)
    monkeypatch.setattr(storage, "SQLITE_OPEN_AT_ONCE_SECONDS", 0.2)
    url = f"sqlite:///{tmp_path / 'c.db'}"
    if tries == 1:
        with pytest.raises(GovauditError, match=error):
            storage.connect(url)
    else:
        storage.connect(url).dispose()
        with sqlite3.connect(tmp_path / "c.db") as db:
            assert ("scan",) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert len(calls) == tries
