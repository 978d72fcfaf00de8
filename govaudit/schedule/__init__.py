"""Unattended scheduled scans: ``govaudit schedule run | daemon | crontab | systemd``.

* ``run``      one scheduled run (``run.py``): lock, crawl, audit, report into
               ``<root>/<site>/<YYYY-MM>/`` (``layout.py``), compare with the previous scan, apply retention.
* ``daemon``   a long-running scheduler (``daemon.py``) that starts ``run`` in a child process at
               each fire time; SIGTERM ends it cleanly.
* ``crontab``  the crontab entry for ``run`` (``crontab.py``).
* ``systemd``  a ``.service`` + ``.timer`` pair (``systemd.py``).

``job.py`` holds what every run of one site needs.  The output layout, retention policy and exit
codes are documented in docs/operations.md.  Each action imports only its own module: a ``run``
waits on its crawl for up to hours and holds nothing the other actions need (``run.py``).
"""
from __future__ import annotations

import sys

from govaudit.core.errors import EXIT_OK, EXIT_UNASSESSABLE, EXIT_USAGE, GovauditError
from govaudit.schedule.job import Job


def run_schedule(args) -> int:
    action = getattr(args, "action", None)
    if not action:
        raise GovauditError("参数错误 / bad arguments: schedule needs one of run, daemon, crontab, systemd",
                            EXIT_USAGE)
    job = Job.from_args(args)
    quiet = bool(getattr(args, "quiet", False))
    if action == "run" and job.sites:
        # lazy, as every action's module below (module docstring)
        from govaudit.schedule.campaign import scheduled_campaign
        print(scheduled_campaign(job, quiet=quiet)["report"])
        return EXIT_OK
    if action == "run":
        # lazy (module docstring)
        from govaudit.schedule.run import scheduled_run
        info = scheduled_run(job, quiet=quiet)
        print(info["report"])
        if info.get("unassessable"):     # the report is written and published; the verdict is not 合格
            print(f"无法评价 / the scan cannot be judged: {info['unassessable']}", file=sys.stderr)
            return EXIT_UNASSESSABLE
        return EXIT_OK
    if action == "daemon":
        # lazy (module docstring)
        from govaudit.schedule.daemon import run_daemon
        return run_daemon(job, getattr(args, "interval", None), args.max_runs, quiet)
    if action == "crontab":
        # lazy (module docstring)
        from govaudit.schedule.crontab import crontab_text, install_crontab
        if args.install or args.dest:
            where = install_crontab(job, args.dest)
            print(f"installed into {where}: {job.when} govaudit schedule run ({job.site()})")
        else:
            print(crontab_text(job), end="")
        return EXIT_OK
    if action == "systemd":
        # lazy (module docstring)
        from govaudit.schedule.systemd import systemd_units, write_systemd
        if args.install or args.dest:
            for path in write_systemd(job, args.dest, args.install):
                print(path)
        else:
            for filename, text in systemd_units(job).items():
                print(f"# ---- {filename}\n{text}")
        return EXIT_OK
    raise GovauditError(f"参数错误 / bad arguments: unknown schedule action {action}", EXIT_USAGE)
