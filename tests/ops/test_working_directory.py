"""The crawl does not depend on the working directory (issue 10, item 1).

The documented production layout has the output root at ``/srv/govaudit`` and cron / systemd
start in ``/srv``, so the working directory holds a ``govaudit/`` folder; a clone named
``govaudit`` does the same for ``govaudit demo`` run from its parent.  The crawl child must still
run the installed code, for an editable and for a regular install.  And when the crawl child does
fail, a scheduled run's log holds its error output and the message does not promise a --resume
that cannot help.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import AS_OF, SharedSim, assert_one_line_error, project_root, run_cli

DECOY = 'raise ImportError("decoy {name}/ of the working directory was imported")\n'


def _decoy_workdir(base: Path) -> Path:
    """A working directory like /srv: folders named like our packages, each broken."""
    workdir = base / "srv"
    for name in ("govaudit", "crawler", "audits"):
        (workdir / name).mkdir(parents=True)
        (workdir / name / "__init__.py").write_text(DECOY.format(name=name), encoding="utf-8")
    return workdir


def _source_copy(base: Path) -> Path:
    """The project as a user has it after a clone (pip builds write into the source tree)."""
    skip = shutil.ignore_patterns(".git", "output", "tests", "__pycache__", "build", "*.egg-info", "docs")
    return Path(shutil.copytree(project_root(), base / "src", ignore=skip))


def _venv_with(base: Path, *pip_args: str) -> Path:
    """A venv sharing this interpreter's dependencies with govaudit installed by pip; its bin/."""
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)],
                   check=True, timeout=120)
    python = venv / "bin" / "python"
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                           *pip_args],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return venv / "bin"


def _scan_from(workdir: Path, bin_dir: Path, sim: SharedSim, out: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    return subprocess.run([str(bin_dir / "govaudit"), "scan", "--profile", str(sim.profile()), "--unit", "区教体局",
                           "--db", str(out / "govaudit.db"), "--out", str(out / "report"), "--as-of", AS_OF],
                          cwd=workdir, env=env, capture_output=True, text=True, timeout=300)


def _assert_crawled(result, out: Path) -> None:
    assert "decoy" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 0, result.stderr[-3000:]
    assert (out / "report" / "report.html").exists()
    with sqlite3.connect(out / "govaudit.db") as conn:
        status, pages = conn.execute("select status, (select count(*) from page) from scan").fetchone()
    assert status == "complete" and pages > 5


@pytest.mark.parametrize("install", [pytest.param("editable", marks=pytest.mark.slow), "regular"])  # editable: ~30 s more
def test_scan_runs_from_a_directory_holding_govaudit_crawler_audits_folders(tmp_path, sim, install):
    src = _source_copy(tmp_path)
    bin_dir = _venv_with(tmp_path, *(["-e", str(src)] if install == "editable" else [str(src)]))
    if install == "regular":
        shutil.rmtree(src)      # nothing but the installed copy is left to run
    workdir = _decoy_workdir(tmp_path)
    out = tmp_path / "out"
    _assert_crawled(_scan_from(workdir, bin_dir, sim, out), out)


def test_a_crashed_crawl_child_leaves_its_error_in_the_schedule_log(tmp_path, sim):
    """A broken installation (here: a dependency only the crawl child imports) kills the child
    with a traceback: the scheduled run's log must hold it, and no --resume is suggested."""
    broken = tmp_path / "broken"
    (broken / "protego").mkdir(parents=True)
    (broken / "protego" / "__init__.py").write_text('raise RuntimeError("protego is broken here")\n')
    root = tmp_path / "root"
    result = run_cli("-q", "schedule", "run", "--profile", sim.profile(), "--output-root", root,
                     "--as-of", AS_OF, "--max-pages", "20", env={"PYTHONPATH": str(broken)}, timeout=180)
    line = assert_one_line_error(result, 70, "protego is broken here")
    assert "--resume" not in line
    log = (root / "schedule.log").read_text(encoding="utf-8")
    assert "Traceback" in log and 'raise RuntimeError("protego is broken here")' in log
    assert "failed (exit 70)" in log
