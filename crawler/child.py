"""Start the crawl child process and relay what it says, with the standard library only.

Twisted's reactor cannot be restarted, and the scheduler and the tests crawl many times in
one process, so every crawl runs Scrapy in a fresh ``python -P -m crawler.worker`` child (the
same code as this process, whatever the working directory holds: ``child_command``).  The
child streams JSON events (progress, fatal errors) over a pipe; this side shows progress
(interactive runs) and passes an interruption (Ctrl-C, SIGTERM, SIGHUP) on to it.

What the scan row then says is ``crawler.runner``'s job.  This module imports nothing that
SQLAlchemy or a site's libraries bring: ``govaudit scan`` waits on its crawl with this module alone,
so that the process that waits holds little beside the crawl's own processes.
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass

import crawler


def child_command(module: str) -> tuple[list[str], dict]:
    """``python -m module`` that runs this process's own code whatever the working directory
    holds (a ``govaudit/`` output root, a clone named ``govaudit``): the interpreter is told not
    to put the working directory on ``sys.path`` (``-P``), and the directory this process's
    packages were imported from (a checkout, an editable install) comes first on PYTHONPATH.  A
    regular install lives in site-packages, which is on the path anyway.  Returns (argv, env
    additions)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(crawler.__file__)))
    env = {}
    if os.path.basename(root) not in ("site-packages", "dist-packages"):
        # An empty entry would mean the working directory again.
        rest = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != root]
        env["PYTHONPATH"] = os.pathsep.join([root, *rest])
    if sys.version_info >= (3, 11):
        return [sys.executable, "-P", "-m", module], env
    bootstrap = f"import runpy, sys; del sys.path[0]; runpy.run_module({module!r}, run_name='__main__', alter_sys=True)"
    return [sys.executable, "-c", bootstrap], env


@contextlib.contextmanager
def _termination_interrupts():
    """SIGTERM (``kill``, ``systemctl stop``) and SIGHUP (the terminal closed) stop a crawl the way
    Ctrl-C does: cleanly, with the scan recorded as interrupted."""
    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    previous = {}
    try:
        for sig in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(sig) != signal.SIG_IGN:     # nohup: the terminal may go away
                previous[sig] = signal.signal(sig, interrupt)
    except ValueError:      # not the main thread: leave signals alone
        pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)


def _pass_interrupt(child: subprocess.Popen, times: int) -> None:
    """Ctrl-C reaches the child too (same process group); it stops cleanly at the first signal and
    takes a repeat within a moment for the same one.  Asked a third time, stop it at once."""
    if child.poll() is not None:
        return
    if times >= 3:
        child.kill()
    else:
        child.send_signal(signal.SIGINT)


@dataclass
class ChildOutcome:
    """How the crawl child ended: its exit code, the events it sent (progress aside), whether the
    user interrupted it, and the file holding its error output (None when shown on the terminal)."""
    returncode: int
    events: list[dict]
    interrupted: bool
    log_path: str | None


def run_child(config: dict, quiet: bool, on_event=None) -> ChildOutcome:
    """Start the crawl child on ``config`` and relay its events until it exits.  A Ctrl-C or
    SIGTERM is passed on to the child and recorded in the outcome, not raised here."""
    fd, config_path = tempfile.mkstemp(prefix="govaudit-crawl-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(dict(config, config_is_temporary=True), fh, ensure_ascii=False)   # the child removes it
    argv, child_env = child_command("crawler.worker")
    env = dict(os.environ, PYTHONUNBUFFERED="1", GOVAUDIT_PARENT_PID=str(os.getpid()), **child_env)
    # The child's stderr (a traceback, Scrapy's errors) goes to a file that a failure names and
    # a scheduled run copies into its log; GOVAUDIT_CRAWL_LOG_LEVEL shows it on the terminal.
    log_path = None
    if not os.environ.get("GOVAUDIT_CRAWL_LOG_LEVEL"):
        log_fd, log_path = tempfile.mkstemp(prefix=f"govaudit-crawl-{config['scan_id']}-", suffix=".log")
        env["GOVAUDIT_CRAWL_LOG_LEVEL"] = "ERROR"
    events: list[dict] = []
    display = None if quiet else _progress_display()
    interrupts = 0
    try:
        read_fd, write_fd = os.pipe()
        with _termination_interrupts():
            try:
                child = subprocess.Popen([*argv, config_path, str(write_fd)], pass_fds=(write_fd,),
                                         stdin=subprocess.DEVNULL, stderr=log_fd if log_path else None, env=env)
            finally:
                os.close(write_fd)
                if log_path:
                    os.close(log_fd)
            with os.fdopen(read_fd, "r", encoding="utf-8") as stream:
                if display:
                    display.start()
                while True:
                    try:
                        for line in stream:
                            _handle_event(line, events, on_event, display)
                        returncode = child.wait()
                        break
                    except KeyboardInterrupt:
                        interrupts += 1
                        _pass_interrupt(child, interrupts)
    finally:
        if display:
            display.stop()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(config_path)      # when the child could not
    return ChildOutcome(returncode, events, interrupts > 0, log_path)


def _handle_event(line: str, events: list, on_event, display) -> None:
    try:
        event = json.loads(line)
    except ValueError:
        return
    if event.get("type") != "progress":
        events.append(event)
    if on_event:
        on_event(event)
    if display:
        display.update(event)


def _progress_display():
    # lazy: rich is only for a terminal; a quiet or scheduled scan never imports it
    from crawler.display import ProgressDisplay

    return ProgressDisplay()
