"""`govaudit schedule crontab | systemd`: the entries cron and systemd will run."""
from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import subprocess

import pytest
from croniter import croniter

from govaudit.schedule.systemd import on_calendar

from .helpers import assert_one_line_error, run_cli

SITE = "http://127.0.0.1:8123/"


def test_crontab_entry_runs_a_scheduled_run_with_absolute_paths(tmp_path):
    result = run_cli("schedule", "crontab", "--start-url", SITE, "--output-root", "out", "--keep", "6",
                     "--when", "30 3 1 * *", cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    line = lines[0]
    assert line.startswith("30 3 1 * * ")
    assert line.endswith("# govaudit:127.0.0.1_8123")
    command = shlex.split(line[len("30 3 1 * * "):].split(" # ")[0])
    root = str(tmp_path / "out")
    assert command[command.index("--output-root") + 1] == root
    assert "--db" not in command  # chosen at run time: $GOVAUDIT_DB, else <root>/govaudit.db
    assert command[command.index("--keep") + 1] == "6"
    assert ["-q", "schedule", "run"] == command[command.index("-q"):command.index("-q") + 3]
    assert os.path.isabs(command[command.index("-q") - 1])  # cron's PATH is not the user's


def test_crontab_dest_replaces_this_sites_entry_and_keeps_the_rest(tmp_path):
    tab = tmp_path / "crontab"
    tab.write_text("MAILTO=ops@example.org\n15 4 * * * /usr/local/bin/backup\n", encoding="utf-8")
    for when in ("0 2 1 * *", "0 3 15 * *"):
        result = run_cli("schedule", "crontab", "--start-url", SITE, "--output-root", tmp_path / "out",
                         "--when", when, "--dest", tab, timeout=60)
        assert result.returncode == 0, result.stderr
    text = tab.read_text(encoding="utf-8")
    assert "MAILTO=ops@example.org" in text and "/usr/local/bin/backup" in text
    ours = [line for line in text.splitlines() if "govaudit:127.0.0.1_8123" in line]
    assert len(ours) == 1 and ours[0].startswith("0 3 15 * * ")


def _fake_crontab(bin_dir, store):
    """A crontab program with the real one's interface (-l to list, FILE to install)."""
    script = bin_dir / "crontab"
    script.write_text(f"""#!/bin/sh
if [ "$1" = "-l" ]; then
  [ -f {store} ] && exec cat {store}
  echo "no crontab for $(id -un)" >&2; exit 1
fi
cp "$1" {store}
""", encoding="utf-8")
    script.chmod(0o755)


def test_crontab_install_goes_through_the_crontab_program(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    store = tmp_path / "installed"
    _fake_crontab(bin_dir, store)
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}"}
    for _ in range(2):  # installing twice leaves one entry
        result = run_cli("schedule", "crontab", "--install", "--start-url", SITE,
                         "--output-root", tmp_path / "o",
                         env=env, timeout=60)
        assert result.returncode == 0, result.stderr
    assert "user crontab" in result.stdout
    entries = [line for line in store.read_text().splitlines() if line.startswith("0 2 1 * * ")]
    assert len(entries) == 1 and "schedule run" in entries[0]


def test_crontab_install_without_cron_is_a_clear_error(tmp_path):
    python_dir = os.path.dirname(shutil.which("python3") or "/usr/bin/python3")
    env = {"PATH": f"{tmp_path}:{python_dir}"}  # no crontab program anywhere on PATH
    if shutil.which("crontab", path=env["PATH"]):
        pytest.skip("a crontab program shares the interpreter's directory")
    result = run_cli("schedule", "crontab", "--install", "--start-url", SITE, env=env, timeout=60)
    assert_one_line_error(result, 2, "crontab")


def test_bad_cron_expression_is_usage_error():
    result = run_cli("schedule", "crontab", "--start-url", SITE, "--when", "61 * * * *", timeout=60)
    assert_one_line_error(result, 2, "cron expression")


# ---- systemd -----------------------------------------------------------------------------------

EXPRESSIONS = [
    "0 2 1 * *",            # the default: 02:00 on the 1st
    "*/15 9-17 * * mon-fri",  # steps, ranges, named weekdays
    "0 0 1,15 * 0",          # day of month OR Sunday: two OnCalendar lines
    "5 4 * 1-3,10 *",        # month lists and ranges
    "0 6 * * 7",             # 7 is Sunday too
    "0 */6 10-20/5 * *",      # stepped range of days
]


def _croniter_times(expr: str, base: dt.datetime, n: int) -> list[dt.datetime]:
    it = croniter(expr, base)
    return [it.get_next(dt.datetime) for _ in range(n)]


def _systemd_times(calendars: list[str], base: dt.datetime, n: int) -> list[dt.datetime]:
    times = set()
    for calendar in calendars:
        out = subprocess.run(["systemd-analyze", "calendar", f"--iterations={n}",
                              f"--base-time={base:%Y-%m-%d %H:%M:%S} UTC", calendar + " UTC"],
                             capture_output=True, text=True, timeout=30, env={**os.environ, "TZ": "UTC"})
        assert out.returncode == 0, out.stderr
        for match in re.finditer(r"(?:Next elapse|Iter\. #\d+): \w{3} (\S+ \S+)", out.stdout):
            times.add(dt.datetime.fromisoformat(match.group(1)))
    return sorted(times)[:n]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_on_calendar_fires_exactly_when_cron_would(expr):
    base = dt.datetime(2023, 11, 30, 10, 7)
    calendars = on_calendar(expr)
    assert _systemd_times(calendars, base, 12) == _croniter_times(expr, base, 12), calendars


def test_on_calendar_shapes():
    assert on_calendar("0 2 1 * *") == ["*-*-01 02:00:00"]
    assert on_calendar("*/15 9-17 * * mon-fri") == ["Mon..Fri *-*-* 09..17:00,15,30,45:00"]
    assert on_calendar("0 0 1,15 * 0") == ["*-*-01,15 00:00:00", "Sun *-*-* 00:00:00"]


def test_cron_extensions_without_on_calendar_form_are_refused(tmp_path):
    result = run_cli("schedule", "systemd", "--start-url", SITE, "--when", "0 0 L * *", "--dest", tmp_path,
                     timeout=60)
    assert_one_line_error(result, 2, "OnCalendar")
    assert list(tmp_path.iterdir()) == []


def test_systemd_units_written_to_dest(tmp_path):
    result = run_cli("schedule", "systemd", "--start-url", SITE, "--output-root", tmp_path / "out",
                     "--when", "0 2 1 * *", "--dest", tmp_path / "units", timeout=60)
    assert result.returncode == 0, result.stderr
    service = (tmp_path / "units" / "govaudit-127.0.0.1_8123.service").read_text()
    timer = (tmp_path / "units" / "govaudit-127.0.0.1_8123.timer").read_text()
    assert "Type=oneshot" in service and "SuccessExitStatus=7" in service
    exec_start = next(line for line in service.splitlines() if line.startswith("ExecStart="))
    assert "schedule run" in exec_start and f"--output-root {tmp_path / 'out'}" in exec_start
    assert "OnCalendar=*-*-01 02:00:00" in timer and "Persistent=true" in timer
    assert "WantedBy=timers.target" in timer
    if shutil.which("systemd-analyze"):
        verify = subprocess.run(["systemd-analyze", "verify", *map(str, (tmp_path / "units").iterdir())],
                                capture_output=True, text=True, timeout=60)
        assert verify.returncode == 0, verify.stderr


def test_systemd_escapes_specifiers_in_exec_start(tmp_path):
    result = run_cli("schedule", "systemd", "--start-url", SITE, "--db", "postgresql://u:p%40ss@db/ga",
                     timeout=60)
    assert result.returncode == 0, result.stderr
    assert "postgresql://u:p%%40ss@db/ga" in result.stdout


@pytest.mark.skipif(os.path.isdir("/run/systemd/system"),
                    reason="a live systemd: --install would enable a real timer")
def test_systemd_install_without_a_running_systemd_is_a_clear_error(tmp_path):
    result = run_cli("schedule", "systemd", "--install", "--start-url", SITE, "--dest", tmp_path / "units",
                     timeout=60)
    assert_one_line_error(result, 2, "systemctl")
    # the unit files are written all the same, and the message says where
    assert sorted(p.name for p in (tmp_path / "units").iterdir()) == ["govaudit-127.0.0.1_8123.service",
                                                                      "govaudit-127.0.0.1_8123.timer"]
