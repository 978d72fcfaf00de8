"""Progress of a crawl: counted in the child (a Scrapy extension), shown in the parent
(``crawler.display``, which imports no Scrapy).

The child writes one JSON event per line to the file descriptor the runner gave it:
``progress`` every half second, ``fatal`` when the crawl cannot go on, ``done`` at the end.
"""
from __future__ import annotations

import json
import os
import resource
import sys
import time

from scrapy import signals
from twisted.internet import task

PROGRESS_INTERVAL = 0.5


def peak_rss_mb() -> float:
    """Peak resident set size of this process image, in MB.

    Not ``getrusage().ru_maxrss``: Linux keeps that across ``execve``, so a crawl child started
    from a big parent (a test process holding the large simulated site) would report the
    parent's peak.  ``VmHWM`` belongs to the current address space only.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)  # kB
    except OSError:
        pass
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)  # macOS: bytes


def crawl_counts(stats, elapsed: float) -> dict:
    pages = stats.get_value("response_received_count", 0)
    return {
        "requests": stats.get_value("govaudit/requests", 0),
        "pages": pages,
        "documents": stats.get_value("govaudit/documents", 0),
        "not_modified": stats.get_value("govaudit/not_modified", 0),
        "trusted_unchanged": stats.get_value("govaudit/trusted_unchanged", 0),
        "recheck_window_days": stats.get_value("govaudit/recheck_window_days"),
        "links_checked": stats.get_value("govaudit/links_checked", 0),
        "errors": stats.get_value("govaudit/fetch_errors", 0),
        "full_downloads": stats.get_value("govaudit/full_downloads", 0),
        "bytes": stats.get_value("govaudit/downloaded_bytes", 0),
        # Attachments (crawler/attachments.py): files fetched, their bytes (also in "bytes"),
        # files read (new contents only), CPU seconds the readers spent, files listed not fetched.
        "attachments": stats.get_value("govaudit/attachments", 0),
        "attachment_bytes": stats.get_value("govaudit/attachment_bytes", 0),
        "attachments_read": stats.get_value("govaudit/attachments_read", 0),
        "attachment_cpu_s": round(stats.get_value("govaudit/attachment_cpu_seconds", 0.0), 2),
        "attachments_not_fetched": stats.get_value("govaudit/attachments_not_fetched", 0),
        "readers_started": stats.get_value("govaudit/readers_started", 0),      # reader processes, and
        "readers_recycled": stats.get_value("govaudit/readers_recycled", 0),    # those replaced for size
        "queued_on_disk": stats.get_value("scheduler/enqueued/disk", 0),        # requests that waited on disk
        "parse_backlog_peak": stats.get_value("govaudit/parse_backlog_peak", 0),  # answers parsed at once
        "elapsed": round(elapsed, 2),
        "pages_per_s": round(pages / elapsed, 1) if elapsed > 0 else 0.0,
        "peak_rss_mb": peak_rss_mb(),
    }


class ProgressReporter:
    """Scrapy extension: streams progress and the outcome to the runner."""

    def __init__(self, crawler):
        self.crawler = crawler
        fd = crawler.settings.get("GOVAUDIT_PROGRESS_FD")
        self.stream = os.fdopen(int(fd), "w", encoding="utf-8", buffering=1) if fd is not None else None
        self.started = time.monotonic()
        self.loop = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def send(self, event: dict) -> None:
        if self.stream is None:
            return
        try:
            self.stream.write(json.dumps(event, ensure_ascii=False) + "\n")
        except OSError:     # the runner went away; keep crawling, the DB is the record
            self.stream = None

    def counts(self) -> dict:
        return crawl_counts(self.crawler.stats, time.monotonic() - self.started)

    def tick(self):
        self.send({"type": "progress", **self.counts()})

    def spider_opened(self, spider):
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(PROGRESS_INTERVAL, now=False)

    def spider_closed(self, spider, reason):
        if self.loop and self.loop.running:
            self.loop.stop()
        fatal = getattr(spider, "fatal", None)
        if fatal:
            self.send({"type": "fatal", "message": fatal[0], "code": fatal[1]})
        self.send({"type": "done", "reason": reason, **self.counts()})
