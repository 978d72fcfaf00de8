"""``govaudit schedule systemd``: a ``.service`` + ``.timer`` pair; ``OnCalendar=`` is derived from
the cron expression."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

from croniter import croniter

from govaudit.core.errors import EXIT_OUTPUT, EXIT_USAGE, GovauditError
from govaudit.core.locking import ensure_dir_writable
from govaudit.schedule.job import Job, govaudit_command, validate_cron


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
