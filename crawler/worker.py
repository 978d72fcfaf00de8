"""The child process of ``crawler.runner.crawl``: one Scrapy crawl, then exit.

Usage (internal): ``python -m crawler.worker CONFIG.json EVENT_FD``.  The exit code is 0, or
the GovauditError code of a fatal problem (which is also sent as a ``fatal`` event).
"""
from __future__ import annotations

import contextlib
import cProfile
import ctypes
import fcntl
import gc
import glob
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
import time

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.settings import settings_from_profile
from crawler.spiders.gongkai import GongkaiSpider
from govaudit.core import heap, storage

QUEUE_PREFIX = "govaudit-queue-"
QUEUE_LOCK = ".lock"


def build_settings(config: dict) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict(settings_from_profile(config.get("profile")), priority="spider")
    settings.setdict({
        "GOVAUDIT_DB": config["db"],
        "GOVAUDIT_SCAN_ID": config["scan_id"],
        "GOVAUDIT_PREVIOUS_SCAN_ID": config.get("previous_scan_id"),
        "GOVAUDIT_RESUME": bool(config.get("resume")),
        "GOVAUDIT_PROFILE": config.get("profile"),
        "GOVAUDIT_SCOPE_UNIT": config.get("unit"),
        "GOVAUDIT_SCOPE_COLUMN": config.get("column"),
        "GOVAUDIT_PROGRESS_FD": config.get("event_fd"),
        "LOG_LEVEL": os.environ.get("GOVAUDIT_CRAWL_LOG_LEVEL", "CRITICAL"),
    }, priority="cmdline")
    if config.get("max_pages"):
        settings.set("GOVAUDIT_MAX_PAGES", int(config["max_pages"]), priority="cmdline")
    settings.setdict(config.get("settings") or {}, priority="cmdline")
    return settings


class WorkerProcess(CrawlerProcess):
    """Scrapy's process, stopping cleanly at SIGINT/SIGTERM (the scan is then recorded as
    interrupted) and at once only when asked again *later*: Ctrl-C signals the whole process
    group, and the runner passes the interruption on, so one Ctrl-C arrives here twice."""

    shutdown_at: float | None = None

    def _signal_shutdown(self, signum, frame):
        self.shutdown_at = time.monotonic()
        super()._signal_shutdown(signum, frame)

    def _signal_kill(self, signum, frame):
        repeat = self.settings.getfloat("GOVAUDIT_SIGNAL_REPEAT_SECONDS")
        if self.shutdown_at is not None and time.monotonic() - self.shutdown_at < repeat:
            return
        super()._signal_kill(signum, frame)


def die_with_parent() -> None:
    """Linux: this crawl dies with the process that started it (no orphaned crawlers after a
    kill -9 of the runner).  Checked after arming, in case the parent died in between."""
    parent = os.environ.get("GOVAUDIT_PARENT_PID")
    if not parent:
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return       # not Linux: the runner still reaps us on normal exits
    if os.getppid() != int(parent):
        os._exit(1)


def disk_queue_dir() -> str:
    """A new directory for the requests waiting in the scheduler: Scrapy's disk queues (JOBDIR)
    pickle them there, so their memory does not grow with a site's breadth.  It is this crawl's
    own (a resumed scan goes on from the frontier, not from a queue) and is removed when the
    crawl ends.  This process holds a lock on it until it ends, however it ends, so the
    directories of crawls killed outright are told from those of running ones, and removed."""
    base = tempfile.gettempdir()
    for other in glob.glob(os.path.join(base, QUEUE_PREFIX + "*")):
        if _abandoned(other):
            shutil.rmtree(other, ignore_errors=True)
    path = tempfile.mkdtemp(prefix=f"{QUEUE_PREFIX}{os.getpid()}-", dir=base)
    lock = os.open(os.path.join(path, QUEUE_LOCK), os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX)       # never closed: released by the kernel when we end
    return path


def _abandoned(path: str) -> bool:
    try:
        fd = os.open(os.path.join(path, QUEUE_LOCK), os.O_RDWR)
    except OSError:
        return False            # no lock yet: a crawl starting this moment
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False            # held: a crawl that is running
    finally:
        os.close(fd)


def main(argv: list[str]) -> int:
    die_with_parent()
    with open(argv[0], encoding="utf-8") as fh:
        config = json.load(fh)
    if config.get("config_is_temporary"):
        # It holds the database URL, password included: gone even if both processes are killed.
        with contextlib.suppress(OSError):
            os.unlink(argv[0])
    config["event_fd"] = int(argv[1]) if len(argv) > 1 else None
    settings = build_settings(config)
    heap.map_large_blocks(settings.getint("GOVAUDIT_MMAP_THRESHOLD"))
    storage.limit_sqlite_cache(settings.getint("GOVAUDIT_SQLITE_CACHE_KIB"))
    queue = None
    if settings.getbool("GOVAUDIT_DISK_QUEUE") and not settings.get("JOBDIR"):
        queue = disk_queue_dir()
        settings.set("JOBDIR", queue, priority="cmdline")
    try:
        process = WorkerProcess(settings)
        logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL"))
        crawler = process.create_crawler(GongkaiSpider)
        process.crawl(crawler, start_urls=config["start_urls"])
        # What the imports and the set-up made lives as long as the crawl: frozen, the collector
        # skips it, so full collections are cheap and come often enough to keep garbage low.
        gc.collect()
        gc.freeze()
        process.start()
    finally:
        if queue:
            shutil.rmtree(queue, ignore_errors=True)
    fatal = getattr(crawler.spider, "fatal", None) if crawler.spider else None
    return int(fatal[1]) if fatal else 0


def profiled_main(argv: list[str], out: str) -> int:
    """Developers: ``GOVAUDIT_CRAWL_CPROFILE=FILE`` writes a cProfile of the crawl (docs/performance.md)."""
    profiler = cProfile.Profile()
    try:
        return profiler.runcall(main, argv)
    finally:
        profiler.dump_stats(out)


if __name__ == "__main__":
    cprofile_out = os.environ.get("GOVAUDIT_CRAWL_CPROFILE")
    sys.exit(profiled_main(sys.argv[1:], cprofile_out) if cprofile_out else main(sys.argv[1:]))
