"""Guards a run needs before it starts: one run per site, a writable database, a writable output.

* ``site_lock`` — an ``fcntl`` lock file per site under the output root, so scheduled runs never
  overlap (cron firing while last month's run is still crawling, a daemon and a cron entry on one
  machine).  The kernel drops the lock when the holder dies, so a crash never leaves a stale lock.
* ``ensure_db_writable`` — fail in a second, with exit code 5, rather than after an hour's crawl
  when another process holds an exclusive SQLite lock or the file is read-only.
* ``ensure_dir_writable`` — the same for the report directory (exit code 6).
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from govaudit.core import clock
from govaudit.core.errors import EXIT_DB, EXIT_LOCKED, EXIT_OUTPUT, GovauditError

if TYPE_CHECKING:       # the lock itself needs no SQLAlchemy: a scheduled run holds it beside its crawl
    from sqlalchemy.engine import Engine

LOCK_NAME = ".govaudit.lock"


def _holder(path: Path) -> str:
    """Who holds the lock, as written by the holder (best effort: informational only)."""
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another process"
    since = clock.local(info["since"]) if info.get("since") else "?"
    return f"pid {info.get('pid', '?')} since {since}"


@contextlib.contextmanager
def site_lock(site_dir: Path):
    """Hold the run lock of one site (``<site_dir>/.govaudit.lock``) for the duration of the block.

    Raises GovauditError(EXIT_LOCKED) at once when another process holds it.
    """
    site_dir = Path(site_dir)
    ensure_dir_writable(site_dir)
    path = site_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            raise GovauditError(
                f"另一次检查正在运行 / another run holds the lock {path} ({_holder(path)})", EXIT_LOCKED
            ) from None
        # ``since`` is stored in UTC; ``since_local`` is for the person who opens the file.
        now = clock.utc_now()
        info = {"pid": os.getpid(), "since": now, "since_local": clock.local(now)}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def ensure_db_writable(engine: Engine) -> None:
    """Take and release a write lock on the database, or raise GovauditError(EXIT_DB).

    SQLite: ``BEGIN IMMEDIATE`` waits ``busy_timeout`` for a writer, so an exclusive lock held by
    another connection, or a read-only file, shows up here.  PostgreSQL: the row-exclusive table lock
    every writer takes, and the read-only flag.  Other servers: a connection.
    """
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                conn.exec_driver_sql("ROLLBACK")
            elif engine.dialect.name == "postgresql":
                # The lock a writer needs (fails without INSERT/UPDATE privilege, or at once when
                # another session holds the table exclusively); a replica or a read-only role is
                # visible as transaction_read_only.
                with conn.begin():
                    conn.exec_driver_sql("LOCK TABLE scan IN ROW EXCLUSIVE MODE NOWAIT")
                    if conn.exec_driver_sql("SHOW transaction_read_only").scalar() == "on":
                        raise GovauditError("数据库只读 / database is read-only (transaction_read_only is on)",
                                            EXIT_DB)
            else:
                conn.exec_driver_sql("SELECT 1")
    except GovauditError:
        raise
    except Exception as exc:  # driver errors carry multi-line messages
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise GovauditError(f"数据库被锁定或不可写 / database is locked or not writable: {first}", EXIT_DB) from exc


def ensure_dir_writable(path: Path) -> Path:
    """Create ``path`` if needed and prove a file can be written there, else GovauditError(EXIT_OUTPUT)."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".govaudit-probe-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        raise GovauditError(f"无法写入输出目录 / cannot write to {path}: {exc.strerror or exc}", EXIT_OUTPUT) from exc
    return path
