"""``govaudit schedule daemon``: a long-running scheduler (cron expression via ``croniter``) that
starts ``schedule run`` in a child process at each fire time; SIGTERM ends it cleanly."""
from __future__ import annotations

import datetime as dt
import logging
import os
import shlex
import signal
import subprocess
import threading
from typing import Callable

from croniter import croniter

from govaudit.core.errors import EXIT_OK
from govaudit.schedule.job import Job, govaudit_command, validate_cron
from govaudit.schedule.layout import file_logging

log = logging.getLogger(__name__)


class Daemon:
    """Sleep until the next fire time of a cron expression (or a fixed interval), run, repeat.

    ``clock`` and ``sleep`` are injectable so the schedule can be tested with a fake clock;
    ``sleep(seconds)`` returns True when the daemon was asked to stop while sleeping.
    """

    def __init__(self, when: str, run: Callable[[], int], *, interval: float | None = None,
                 max_runs: int | None = None, clock: Callable[[], dt.datetime] | None = None,
                 sleep: Callable[[float], bool] | None = None):
        self.when = validate_cron(when) if interval is None else when
        self.run = run
        self.interval = interval
        self.max_runs = max_runs
        self.stop_event = threading.Event()
        self.clock = clock or (lambda: dt.datetime.now().astimezone())
        self.sleep = sleep or self.stop_event.wait
        self.runs = 0
        self.last_code = EXIT_OK

    def next_fire(self, after: dt.datetime) -> dt.datetime:
        if self.interval is not None:
            return after + dt.timedelta(seconds=self.interval)
        return croniter(self.when, after).get_next(dt.datetime)

    def stop(self, *_args) -> None:
        self.stop_event.set()

    def wait_until(self, fire: dt.datetime) -> bool:
        """Sleep until ``fire``; True if stopped first.  Sleeps in chunks and re-reads the clock, so a
        suspended machine or a clock change does not make it miss or double a run."""
        while True:
            remaining = (fire - self.clock()).total_seconds()
            if remaining <= 0:
                return self.stop_event.is_set()
            if self.sleep(min(remaining, 300.0)) or self.stop_event.is_set():
                return True

    def serve(self) -> int:
        fire = self.next_fire(self.clock())
        while not self.stop_event.is_set():
            log.info("daemon: next run at %s", fire.isoformat(timespec="seconds"))
            if self.wait_until(fire):
                break
            self.last_code = self.run()
            self.runs += 1
            log.info("daemon: run %d finished with exit code %d", self.runs, self.last_code)
            if self.max_runs is not None and self.runs >= self.max_runs:
                break
            # The next fire time after *now*: a run that overran a fire time skips it, never doubles.
            fire = self.next_fire(max(self.clock(), fire))
        log.info("daemon: stopping after %d runs", self.runs)
        return self.last_code


class ChildRunner:
    """Start each scheduled run as a child process: Scrapy's reactor cannot be restarted within one
    process, and a crash or leak of one run must not take the scheduler down."""

    def __init__(self, job: Job, stop_event: threading.Event):
        self.argv = govaudit_command() + job.argv()
        if job.as_of:
            self.argv += ["--as-of", job.as_of.isoformat()]
        self.stop_event = stop_event
        self.child: subprocess.Popen | None = None

    def __call__(self) -> int:
        log.info("daemon: starting %s", shlex.join(self.argv))
        self.child = subprocess.Popen(self.argv, stdout=subprocess.DEVNULL)
        try:
            return self.child.wait()
        finally:
            self.child = None

    def terminate(self, grace: float = 60.0) -> None:
        """Pass SIGTERM on to a running child (the crawler stops cleanly) and give it time to finish."""
        child = self.child
        if child is None or child.poll() is not None:
            return
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            child.kill()


def run_daemon(job: Job, interval: float | None, max_runs: int | None, quiet: bool) -> int:
    with file_logging(job.output_root, quiet):
        job.site()  # a bad profile fails now, not at the first fire time a month from now
        daemon = Daemon(job.when, run=lambda: 0, interval=interval, max_runs=max_runs)
        runner = ChildRunner(job, daemon.stop_event)
        daemon.run = runner

        def on_signal(signum, _frame):
            log.info("daemon: %s received, stopping", signal.Signals(signum).name)
            daemon.stop()
            threading.Thread(target=runner.terminate, daemon=True).start()

        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, on_signal)
        log.info("daemon started (pid %d), schedule %s", os.getpid(),
                 f"every {interval:g} s" if interval else job.when)
        code = daemon.serve()
        if daemon.stop_event.is_set():
            return EXIT_OK
        return code
