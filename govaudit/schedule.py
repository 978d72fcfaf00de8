"""Unattended scheduled scans: ``govaudit schedule run | daemon | crontab | systemd``.

* ``run``      one scheduled run: lock, crawl, audit, report into ``<root>/<site>/<YYYY-MM>/``, point
               ``<root>/<site>/latest`` at it, compare with the previous scan, apply retention.
* ``daemon``   a long-running scheduler (cron expression via ``croniter``) that starts ``run`` in a
               child process at each fire time; SIGTERM ends it cleanly.
* ``crontab``  the crontab entry for ``run`` (printed, written to ``--dest``, or ``--install``ed
               into the user's crontab through ``python-crontab``).
* ``systemd``  a ``.service`` + ``.timer`` pair; ``OnCalendar=`` is derived from the cron expression.

The output layout, retention policy and exit codes are documented in docs/operations.md.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import logging.handlers
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from croniter import croniter

from govaudit import clock, history, storage
from govaudit.errors import EXIT_INTERNAL, EXIT_OK, EXIT_OUTPUT, EXIT_UNASSESSABLE, EXIT_USAGE, GovauditError
from govaudit.locking import ensure_db_writable, ensure_dir_writable, site_lock

log = logging.getLogger(__name__)
# Outcome lines go to the log file only: on stderr, main() already prints the one error line.
outcome_log = logging.getLogger("govaudit.schedule.outcome")
outcome_log.propagate = False

LOG_NAME = "schedule.log"
RUN_INFO = "run.json"
CHANGES = "changes.json"
LATEST = "latest"
MONTH_DIR = re.compile(r"^\d{4}-\d{2}$")


# ---- the job: what every scheduled run of one site needs ---------------------------------------

@dataclass
class Job:
    output_root: Path
    profile: str | None = None
    start_url: str | None = None
    db: str | None = None
    keep: int = 12
    when: str = "0 2 1 * *"
    as_of: dt.date | None = None
    max_pages: int | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_args(cls, args) -> "Job":
        if bool(args.profile) == bool(args.start_url):
            raise GovauditError("参数错误 / bad arguments: give exactly one of --profile or --start-url",
                                EXIT_USAGE)
        if args.keep < 1:
            raise GovauditError("参数错误 / bad arguments: --keep must be at least 1", EXIT_USAGE)
        validate_cron(args.when)
        if args.start_url:      # a crontab line that fails every month is worse than an error now
            from crawler.runner import check_http_url

            check_http_url(args.start_url)
        root = Path(args.output_root).expanduser().absolute()
        profile = str(Path(args.profile).expanduser().absolute()) if args.profile else None
        return cls(output_root=root, profile=profile, start_url=args.start_url, db=absolute_db(args.db, root),
                   keep=args.keep, when=args.when, as_of=getattr(args, "as_of", None),
                   max_pages=getattr(args, "max_pages", None))

    def argv(self) -> list[str]:
        """Arguments of ``govaudit schedule run`` for this job (absolute paths: cron starts in $HOME)."""
        argv = ["-q", "schedule", "run", "--output-root", str(self.output_root), "--keep", str(self.keep)]
        argv += ["--profile", self.profile] if self.profile else ["--start-url", self.start_url]
        if self.db:
            argv += ["--db", self.db]
        if self.max_pages:
            argv += ["--max-pages", str(self.max_pages)]
        return argv

    def db_url(self) -> str:
        """--db, else $GOVAUDIT_DB (keeps a server password out of crontabs and unit files), else
        ``<output root>/govaudit.db``."""
        default = "sqlite:///" + str(self.output_root / "govaudit.db")
        return self.db or os.environ.get("GOVAUDIT_DB") or default

    def start_urls(self, profile) -> list[str]:
        return [self.start_url] if self.start_url else list(profile["start_urls"])

    def site(self) -> str:
        """The site's directory name, known without crawling (profile read if needed)."""
        from govaudit.pipeline import load_profile, site_slug

        return site_slug(self.start_urls(load_profile(self.profile))[0])


def absolute_db(value: str | None, output_root: Path) -> str | None:
    """A relative SQLite path made absolute, because cron and systemd start in another directory.
    None stays None: the database is then chosen at run time (``Job.db_url``)."""
    if not value:
        return None
    if "://" not in value:
        return "sqlite:///" + str(Path(value).expanduser().absolute())
    if value.startswith("sqlite:///") and not value.startswith("sqlite:////") and ":memory:" not in value:
        return "sqlite:///" + str(Path(value[len("sqlite:///"):]).absolute())
    return value


def govaudit_command() -> list[str]:
    """How cron/systemd/the daemon start govaudit: this interpreter's console script if present."""
    script = Path(sys.executable).parent / "govaudit"
    if script.exists():
        return [str(script)]
    # -P: cron's `cd <output root's parent>` must not make `<root>/govaudit` the package.
    return [sys.executable, *(["-P"] if sys.version_info >= (3, 11) else []), "-m", "govaudit.cli"]


def validate_cron(expr: str) -> str:
    if len(expr.split()) != 5 or not croniter.is_valid(expr):
        raise GovauditError(f"参数错误 / bad arguments: --when {expr!r} is not a 5-field cron expression",
                            EXIT_USAGE)
    return expr


# ---- logging to <root>/schedule.log ---------------------------------------------------------------

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


# ---- output layout --------------------------------------------------------------------------------

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


# ---- one scheduled run ----------------------------------------------------------------------------

def scheduled_run(job: Job, quiet: bool = True) -> dict:
    """Crawl, audit and report one site under the lock; return what was done (also in run.json)."""
    root = job.output_root
    with file_logging(root, quiet) as log_path:
        started = time.monotonic()
        what = job.start_url or job.profile
        try:
            with _sigterm_interrupts():
                info = _run_locked(job, quiet)
        except KeyboardInterrupt:
            outcome_log.warning("scheduled run of %s interrupted (exit 130)", what)
            raise
        except GovauditError as exc:
            outcome_log.error("scheduled run of %s failed (exit %d): %s", what, exc.code, exc.message)
            if getattr(exc, "detail", None):     # the crawl child's traceback or errors
                outcome_log.error("error output of the crawl of %s:\n%s", what, exc.detail)
            raise
        except Exception as exc:
            outcome_log.exception("scheduled run of %s failed with an internal error", what)
            raise GovauditError(f"内部错误 / internal error: {type(exc).__name__}: {exc} "
                                f"(traceback in {log_path})", EXIT_INTERNAL) from exc
        changed = (info["compare"].get(k, "-") for k in ("new", "fixed", "open"))
        outcome_log.info("scheduled run of %s done in %.0f s: scan %s, report %s, new %s fixed %s open %s, "
                         "deleted scans %s", info["site"], time.monotonic() - started, info["scan_id"],
                         info["report"], *changed, info["deleted_scans"])
        if info.get("unassessable"):
            outcome_log.warning("scheduled run of %s: verdict 无法评价 (exit %d): %s", info["site"], EXIT_UNASSESSABLE,
                                info["unassessable"])
    return info


@contextlib.contextmanager
def _sigterm_interrupts():
    """systemd and the daemon stop a run with SIGTERM: treat it like Ctrl-C, so the crawl is stopped
    cleanly and recorded as interrupted, and the half-written report is removed."""
    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run_locked(job: Job, quiet: bool) -> dict:
    from govaudit.pipeline import load_profile, site_slug, today

    profile = load_profile(job.profile)
    start_urls = job.start_urls(profile)
    site = site_slug(start_urls[0])
    site_dir = job.output_root / site
    with site_lock(site_dir):
        log.info("scheduled run of %s started (pid %d)", site, os.getpid())
        clean_staging(site_dir)
        db = storage.db_url(job.db_url())
        engine = storage.connect(db)
        ensure_db_writable(engine)
        as_of = job.as_of or today()
        month = month_of(as_of)
        staging = ensure_dir_writable(site_dir / f".{month}.partial-{os.getpid()}")
        try:
            info = _crawl_and_report(job, db, engine, profile, start_urls, as_of, staging)
            info.update(site=site, month=month)
            _write_json(staging / RUN_INFO, info)
            final = publish(staging, site_dir / month)
        except BaseException:
            # A half-written report never stays (and on a full disk this gives the room back).
            shutil.rmtree(staging, ignore_errors=True)
            raise
        point_latest(site_dir, month)
        deleted = history.apply_retention(engine, start_urls[0], job.keep)
        pruned = prune_month_dirs(site_dir, deleted)
        if pruned:
            log.info("retention: removed report directories %s", [p.name for p in pruned])
        engine.dispose()
    return {**info, "report": str(final / "report.html"), "deleted_scans": deleted}


def _crawl_and_report(job: Job, db: str, engine, profile, start_urls: list[str], as_of: dt.date,
                      staging: Path) -> dict:
    from crawler.runner import crawl
    from govaudit.pipeline import audit_and_report, unassessable_reason

    scan_id = crawl(db=db, start_urls=start_urls, profile=profile, unit=None, column=None, resume=False,
                    quiet=True, max_pages=job.max_pages)
    previous = history.previous_scan_id(engine, scan_id)
    log.info("scan %s crawled; comparing with %s", scan_id, previous or "nothing (first scan)")
    paths = audit_and_report(engine, scan_id, as_of, staging, profile=profile, compare_to=previous)
    unassessable = unassessable_reason(engine, scan_id)
    changes = history.compare(engine, scan_id, previous) if previous and not unassessable else None
    # The keys of what changed, for scripts that track 整改 month over month.  The first scan of a
    # site writes the file too, and so does a scan that cannot be judged: nothing compared, so
    # empty lists and "compared": false.
    keys = {name: [f["key"] for f in items] for name, items in (changes or {}).items()}
    _write_json(staging / CHANGES, {"scan_id": scan_id, "previous_scan_id": previous,
                                    "compared": bool(changes),
                                    **{name: keys.get(name, []) for name in ("new", "fixed", "open")}})
    info = {"scan_id": scan_id, "previous_scan_id": previous, "as_of": as_of.isoformat(), "db": _redacted(db),
            "unassessable": unassessable,
            "compare": history.compare_counts(changes) if changes else {},
            "files": sorted(Path(p).name for p in paths.values()),
            "finished_at": clock.utc_now()}
    return info


def _write_json(path: Path, data: dict) -> None:
    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as exc:
        raise GovauditError(f"无法写入 / cannot write {path}: {exc.strerror or exc}", EXIT_OUTPUT) from exc


def _redacted(url: str) -> str:
    """A database URL without its password, for files a colleague may read."""
    return storage.redacted_url(url or "")


# ---- the daemon -----------------------------------------------------------------------------------

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


# ---- crontab -------------------------------------------------------------------------------------

def crontab_marker(site: str) -> str:
    return f"govaudit:{site}"


def crontab_text(job: Job) -> str:
    """A crontab (user format) holding this job's entry, with a marker comment so --install can
    replace it on the next install instead of adding a second entry."""
    from crontab import CronTab

    tab = CronTab(tab="")
    _add_cron_job(tab, job)
    return tab.render().lstrip("\n")


def _add_cron_job(tab, job: Job):
    workdir = shlex.quote(str(job.output_root.parent))
    command = f"cd {workdir} && {shlex.join(govaudit_command() + job.argv())} >/dev/null"
    entry = tab.new(command=command, comment=crontab_marker(job.site()))
    entry.setall(job.when)
    return entry


def install_crontab(job: Job, dest: str | None) -> str:
    """Add (or replace) this site's entry in the user's crontab, or in the crontab file ``dest``."""
    from crontab import CronTab

    if not dest and shutil.which("crontab") is None:
        raise GovauditError("无法安装 crontab / cannot install: no crontab program on this machine "
                            "(use --dest FILE, `schedule systemd` or `schedule daemon`)", EXIT_USAGE)
    try:
        if dest:
            path = Path(dest)
            tab = CronTab(tabfile=str(path)) if path.exists() else CronTab(tab="")
        else:
            tab = CronTab(user=True)
        tab.remove_all(comment=crontab_marker(job.site()))
        _add_cron_job(tab, job)
        if dest:
            tab.write(str(dest))
        else:
            tab.write_to_user(user=True)
    except GovauditError:
        raise
    except (OSError, ValueError) as exc:
        why = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise GovauditError(f"无法安装 crontab / cannot install the crontab: {why}", EXIT_OUTPUT) from exc
    return str(dest) if dest else "user crontab"


# ---- systemd -------------------------------------------------------------------------------------

_DOW = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")


def _runs(values: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for v in sorted(set(values)):
        if runs and v == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], v)
        else:
            runs.append((v, v))
    return runs


def _field(values, fmt=lambda v: f"{v:02d}", span=".."):
    """One OnCalendar component from croniter's expanded values: ``*``, or a list of values and
    ``a..b`` ranges."""
    if values == ["*"]:
        return "*"
    parts = []
    for lo, hi in _runs([int(v) for v in values]):
        if lo == hi:
            parts.append(fmt(lo))
        elif hi == lo + 1:
            parts += [fmt(lo), fmt(hi)]
        else:
            parts.append(f"{fmt(lo)}{span}{fmt(hi)}")
    return ",".join(parts)


def on_calendar(expr: str) -> list[str]:
    """``OnCalendar=`` values equivalent to a 5-field cron expression.

    minute, hour, day of month and month map one to one (``*/15`` becomes ``00,15,30,45``, ``1-5``
    becomes ``01..05``); day of week becomes ``Mon..Fri``.  Cron fires when *either* a restricted day
    of month *or* a restricted day of week matches; systemd requires both, so that case becomes two
    OnCalendar lines.  croniter's extensions (``L``, ``#``, ``W``) have no OnCalendar form: use the
    crontab or the daemon for those.
    """
    validate_cron(expr)
    try:
        (minute, hour, dom, month, dow), _ = croniter.expand(expr)
    except Exception as exc:
        raise GovauditError(f"参数错误 / bad arguments: --when {expr!r}: {exc}", EXIT_USAGE) from exc
    for values in (minute, hour, dom, month, dow):
        if any(not (isinstance(v, int) or v == "*") for v in values):
            raise GovauditError(f"无法转换为 systemd OnCalendar / --when {expr!r} uses a cron extension systemd "
                                "cannot express; use `schedule crontab` or `schedule daemon`", EXIT_USAGE)
    dows = ["*"] if dow == ["*"] else sorted({int(v) % 7 for v in dow})
    if dows != ["*"] and len(dows) == 7:
        dows = ["*"]
    time_part = f"{_field(hour)}:{_field(minute)}:00"
    dow_part = "" if dows == ["*"] else _field(dows, fmt=lambda v: _DOW[v]) + " "
    date = lambda d: f"*-{_field(month)}-{_field(d)}"  # noqa: E731 - local helper
    if dom != ["*"] and dows != ["*"]:
        return [f"*-{_field(month)}-{_field(dom)} {time_part}", f"{dow_part}{date(['*'])} {time_part}"]
    return [f"{dow_part}{date(dom)} {time_part}"]


def unit_name(site: str) -> str:
    return "govaudit-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", site)


def systemd_units(job: Job, user: str | None = None) -> dict[str, str]:
    """``{"<name>.service": text, "<name>.timer": text}`` for this job."""
    site = job.site()
    name = unit_name(site)
    # systemd expands % specifiers and $VARIABLES in ExecStart; a password or path may hold either.
    exec_start = shlex.join(govaudit_command() + job.argv()).replace("%", "%%").replace("$", "$$")
    service = "\n".join(line for line in [
        "[Unit]",
        f"Description=govaudit scheduled scan of {site}",
        "Wants=network-online.target",
        "After=network-online.target",
        "",
        "[Service]",
        "Type=oneshot",
        f"User={user}" if user else None,
        f"WorkingDirectory={job.output_root.parent}",
        f"ExecStart={exec_start}",
        "# 7 = another run still holds the lock: not a failure of this one",
        "SuccessExitStatus=7",
        "Nice=10",
    ] if line is not None) + "\n"
    calendars = "\n".join(f"OnCalendar={c}" for c in on_calendar(job.when))
    timer = (f"[Unit]\nDescription=govaudit scheduled scan of {site} ({job.when})\n\n"
             f"[Timer]\n{calendars}\n# a run missed while the machine was off happens at the next boot\n"
             f"Persistent=true\nRandomizedDelaySec=60\n\n[Install]\nWantedBy=timers.target\n")
    return {f"{name}.service": service, f"{name}.timer": timer}


def write_systemd(job: Job, dest: str | None, install: bool) -> list[Path]:
    user_mode = os.geteuid() != 0
    if dest:
        target = Path(dest)
    else:
        target = Path.home() / ".config/systemd/user" if user_mode else Path("/etc/systemd/system")
    units = systemd_units(job)
    ensure_dir_writable(target)
    written = []
    for filename, text in units.items():
        path = target / filename
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise GovauditError(f"无法写入 / cannot write {path}: {exc.strerror or exc}", EXIT_OUTPUT) from exc
        written.append(path)
    if install:
        timer = next(n for n in units if n.endswith(".timer"))
        base = ["systemctl"] + (["--user"] if user_mode else [])
        for cmd in (base + ["daemon-reload"], base + ["enable", "--now", timer]):
            try:
                done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise GovauditError(f"systemctl 不可用 / cannot run {' '.join(cmd)}: {exc}", EXIT_USAGE) from exc
            if done.returncode != 0:
                why = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[0]
                raise GovauditError(f"systemctl 失败 / {' '.join(cmd)} failed: {why} "
                                    f"(unit files are in {target})", EXIT_USAGE)
    return written


# ---- the verb ------------------------------------------------------------------------------------

def run_schedule(args) -> int:
    action = getattr(args, "action", None)
    if not action:
        raise GovauditError("参数错误 / bad arguments: schedule needs one of run, daemon, crontab, systemd",
                            EXIT_USAGE)
    job = Job.from_args(args)
    quiet = bool(getattr(args, "quiet", False))
    if action == "run":
        info = scheduled_run(job, quiet=quiet)
        print(info["report"])
        if info.get("unassessable"):     # the report is written and published; the verdict is not 合格
            print(f"无法评价 / the scan cannot be judged: {info['unassessable']}", file=sys.stderr)
            return EXIT_UNASSESSABLE
        return EXIT_OK
    if action == "daemon":
        return run_daemon(job, getattr(args, "interval", None), args.max_runs, quiet)
    if action == "crontab":
        if args.install or args.dest:
            where = install_crontab(job, args.dest)
            print(f"installed into {where}: {job.when} govaudit schedule run ({job.site()})")
        else:
            print(crontab_text(job), end="")
        return EXIT_OK
    if action == "systemd":
        if args.install or args.dest:
            for path in write_systemd(job, args.dest, args.install):
                print(path)
        else:
            for filename, text in systemd_units(job).items():
                print(f"# ---- {filename}\n{text}")
        return EXIT_OK
    raise GovauditError(f"参数错误 / bad arguments: unknown schedule action {action}", EXIT_USAGE)
