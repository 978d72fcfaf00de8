"""The output layout of scheduled runs: ``<root>/schedule.log``, ``<root>/<site>/<YYYY-MM>/`` with
its ``run.json`` and ``changes.json``, the ``latest`` pointer, and what retention removes
(docs/operations.md)."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import logging.handlers
import os
import re
import shutil
from pathlib import Path

from govaudit.core import clock
from govaudit.core.locking import ensure_dir_writable

# Outcome lines go to the log file only: on stderr, main() already prints the one error line.
outcome_log = logging.getLogger("govaudit.schedule.outcome")
outcome_log.propagate = False

LOG_NAME = "schedule.log"
RUN_INFO = "run.json"
CHANGES = "changes.json"
LATEST = "latest"
MONTH_DIR = re.compile(r"^\d{4}-\d{2}$")


class _LogFileHandler(logging.handlers.RotatingFileHandler):
    """A log file that never turns a full disk into tracebacks on stderr: the run's own error line
    says what went wrong."""

    def handleError(self, record):  # noqa: N802 - logging API
        pass


@contextlib.contextmanager
def file_logging(root: Path, quiet: bool):
    """Log to ``<root>/schedule.log`` (rotated at 5 MB) for the duration of the block.

    With ``-q`` (how cron and systemd start us) stderr gets warnings only, so a successful run prints
    nothing but its report path and cron mails only failures.
    """
    ensure_dir_writable(root)
    handler = _LogFileHandler(root / LOG_NAME, maxBytes=5_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(clock.LocalFormatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    root_logger = logging.getLogger()
    stderr_levels = [(h, h.level) for h in root_logger.handlers]
    if quiet:
        for h, _ in stderr_levels:
            h.setLevel(max(h.level, logging.WARNING))
    old_level = root_logger.level
    root_logger.setLevel(min(old_level or logging.INFO, logging.INFO))
    root_logger.addHandler(handler)
    outcome_log.addHandler(handler)
    try:
        yield root / LOG_NAME
    finally:
        root_logger.removeHandler(handler)
        outcome_log.removeHandler(handler)
        for h, level in stderr_levels:
            h.setLevel(level)
        root_logger.setLevel(old_level)
        handler.close()


def month_of(as_of: dt.date) -> str:
    return as_of.strftime("%Y-%m")


def publish(staging: Path, final: Path) -> Path:
    """Move a finished report directory into place; an earlier run of the same month is replaced
    only once the new one is complete, so a failed re-run never leaves half a report behind."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    shutil.rmtree(old, ignore_errors=True)
    return final


def point_latest(site_dir: Path, month: str) -> Path:
    """Make ``<site>/latest`` show ``<site>/<month>``: a relative symlink swapped in atomically, or a
    copied directory where the file system has no symlinks."""
    latest = site_dir / LATEST
    tmp = site_dir / f".{LATEST}.tmp-{os.getpid()}"
    try:
        os.symlink(month, tmp, target_is_directory=True)
    except OSError:
        shutil.copytree(site_dir / month, tmp)
    if latest.is_dir() and not latest.is_symlink():
        old = site_dir / f".{LATEST}.old-{os.getpid()}"
        os.replace(latest, old)
        os.replace(tmp, latest)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, latest)
    return latest


def prune_month_dirs(site_dir: Path, deleted_scans: list[int]) -> list[Path]:
    """Remove the month directories whose report belongs to a scan the retention just deleted.
    Directories without our ``run.json`` are not ours and stay."""
    removed = []
    gone = set(deleted_scans)
    for child in sorted(site_dir.iterdir()):
        if not (child.is_dir() and not child.is_symlink() and MONTH_DIR.match(child.name)):
            continue
        try:
            info = json.loads((child / RUN_INFO).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if info.get("scan_id") in gone:
            shutil.rmtree(child)
            removed.append(child)
    return removed


def clean_staging(site_dir: Path) -> None:
    """Leftovers of a run that was killed (its lock is gone, so it is not running)."""
    for child in site_dir.glob(".*.partial-*"):
        shutil.rmtree(child, ignore_errors=True)
