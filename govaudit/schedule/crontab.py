"""``govaudit schedule crontab``: the crontab entry for ``schedule run`` (printed, written to
``--dest``, or installed into the user's crontab through ``python-crontab``)."""
from __future__ import annotations

import shlex
import shutil
from pathlib import Path

from crontab import CronTab

from govaudit.core.errors import EXIT_OUTPUT, EXIT_USAGE, GovauditError
from govaudit.schedule.job import Job, govaudit_command


def crontab_marker(site: str) -> str:
    return f"govaudit:{site}"


def crontab_text(job: Job) -> str:
    """A crontab (user format) holding this job's entry, with a marker comment so --install can
    replace it on the next install instead of adding a second entry."""
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
