"""What a scan's own process holds while its crawl runs (and a scheduler while it waits).

A scan is up to three processes at once: ``govaudit scan`` itself, waiting on the crawl child, and
the crawl's attachment reader.  A campaign worker or a small machine must hold all three, so the
waiting process keeps only what it needs to wait: the checks before the crawl run in a process of
their own (``govaudit.preflight``), and SQLAlchemy, the audits' libraries (pandas, numpy and the
rules) and the report's are imported after the crawl, when the other two are gone.
"""
from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from govaudit.core import procfs

from .campaign_helpers import Workers, redis_url, write_sites
from .helpers import AS_OF, UNIT


def _mapped_libraries(pid: int) -> set[str]:
    """The top-level package of every Python extension module the process has mapped."""
    found = set()
    for line in Path(f"/proc/{pid}/maps").read_text(errors="replace").splitlines():
        path = line.split(maxsplit=5)[-1] if len(line.split(maxsplit=5)) == 6 else ""
        if "site-packages/" in path:
            found.add(path.split("site-packages/", 1)[1].split("/", 1)[0])
    return found


def _libraries_while_crawling(proc: subprocess.Popen) -> set[str] | None:
    """What ``proc`` mapped (``_mapped_libraries``) while its crawl child ran; None if no crawl
    child was seen before ``proc`` ended."""
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        crawling = [c for c in procfs.children().get(proc.pid, ()) if "crawler.worker" in procfs.cmdline(c)]
        if crawling:
            with contextlib.suppress(OSError):      # the process went on meanwhile: look again
                mapped = _mapped_libraries(proc.pid)
                if crawling[0] in procfs.children().get(proc.pid, ()):
                    return mapped       # read while the crawl child was still there
        time.sleep(0.05)
    return None


def test_while_the_crawl_runs_the_scan_process_holds_no_audit_libraries(sim, tmp_path):
    profile = tmp_path / "profile.yaml"
    # An audit section and a rule named in it: the profile is checked against the rules before
    # the crawl, and that check must not import them.
    profile.write_text(f"site_name: 济南市章丘区人民政府\nstart_urls: [{sim.url}]\n"
                       "politeness:\n  concurrency_per_host: 8\n  delay: 0\n  autothrottle: false\n"
                       "audit:\n  disabled: [accessibility]\n", encoding="utf-8")
    scan = subprocess.Popen([sys.executable, "-m", "govaudit.cli", "-q", "scan", "--profile", str(profile),
                             "--unit", UNIT, "--db", str(tmp_path / "g.db"), "--out", str(tmp_path / "out"),
                             "--as-of", AS_OF], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen_during_crawl = _libraries_while_crawling(scan)
    stderr = scan.communicate(timeout=300)[1].decode(errors="replace")
    assert scan.returncode in (0, 8), stderr[-3000:]
    assert seen_during_crawl is not None, "the crawl child was never seen"
    # Not one compiled library from site-packages: no SQLAlchemy, PyYAML or jsonschema's, no
    # pandas, numpy or lxml.  Before the checks moved out, SQLAlchemy's and PyYAML's were here.
    assert seen_during_crawl == set(), seen_during_crawl
    assert (tmp_path / "out" / "findings.json").is_file()       # and it audited after the crawl
    # The scan's runner is the process that waited on the crawl, not the short-lived checks: a
    # kill -9 of `govaudit scan` is what leaves a stale row (tests/ops/test_interrupted_scans.py).
    with contextlib.closing(sqlite3.connect(tmp_path / "g.db")) as db:
        assert db.execute("SELECT pid FROM scan").fetchall() == [(scan.pid,)]


def test_while_its_crawl_runs_a_scheduled_run_holds_no_compiled_library(sim, tmp_path):
    # A monthly scheduled run (cron, systemd, the daemon) waits on its crawl as `govaudit scan`
    # does: its site's name and scan row come from govaudit.schedule.prepare.  Before, it held
    # SQLAlchemy, pandas and the audits beside its crawl (106 MB RSS, 19 now; measured 2026-12-06).
    profile = tmp_path / "profile.yaml"
    profile.write_text(f"site_name: 济南市章丘区人民政府\nstart_urls: [{sim.url}]\n"
                       "politeness:\n  concurrency_per_host: 8\n  delay: 0\n  autothrottle: false\n"
                       "audit:\n  disabled: [accessibility]\n", encoding="utf-8")
    root = tmp_path / "reports"
    run = subprocess.Popen([sys.executable, "-m", "govaudit.cli", "-q", "schedule", "run", "--profile",
                            str(profile), "--output-root", str(root), "--max-pages", "150", "--as-of", AS_OF],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen_during_crawl = _libraries_while_crawling(run)
    out, err = run.communicate(timeout=300)
    assert run.returncode in (0, 8), err.decode(errors="replace")[-3000:]
    assert seen_during_crawl is not None, "the crawl child was never seen"
    assert seen_during_crawl == set(), seen_during_crawl
    report = Path(out.decode().strip())
    assert report.is_file() and (report.parent / "findings.json").is_file()    # audited after the crawl
    lock = json.loads(next(root.glob("*/.govaudit.lock")).read_text(encoding="utf-8"))
    with contextlib.closing(sqlite3.connect(root / "govaudit.db")) as db:
        runners = db.execute("SELECT pid FROM scan").fetchall()
    # The run held its site's lock and is its scan's runner, not one of the short-lived checks.
    assert lock["pid"] == run.pid and runners == [(run.pid,)]


def test_an_idle_scheduler_daemon_holds_no_compiled_library(tmp_path):
    # The daemon reads its profile once (the site's name, through govaudit.schedule.prepare) and
    # then sleeps until the next fire time, often a month.  Before, it held SQLAlchemy, pandas and
    # the audits all that time (107 MB RSS, 19 now; measured 2026-12-06).
    profile = tmp_path / "profile.yaml"
    profile.write_text("start_urls: [http://127.0.0.1:9/]\naudit:\n  disabled: [accessibility]\n",
                       encoding="utf-8")
    log = tmp_path / "out" / "schedule.log"
    daemon = subprocess.Popen([sys.executable, "-m", "govaudit.cli", "-q", "schedule", "daemon", "--profile",
                               str(profile), "--output-root", str(tmp_path / "out"), "--when", "0 2 1 * *"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and daemon.poll() is None:
            if log.exists() and "daemon: next run at" in log.read_text(encoding="utf-8"):
                break
            time.sleep(0.1)
        assert daemon.poll() is None, daemon.communicate()[1].decode(errors="replace")[-3000:]
        assert _mapped_libraries(daemon.pid) == set()
    finally:
        daemon.terminate()
        daemon.communicate(timeout=60)


def test_while_their_crawls_run_campaign_jobs_hold_no_compiled_library(sim, tmp_path):
    # Workers run side by side: a campaign job waits on its crawl as `govaudit scan` does, its
    # claim and scan row made by a process of their own (govaudit.campaign.prepare) and its site's
    # heartbeat kept by the crawl child.  Before, each job held SQLAlchemy, PyYAML and jsonschema
    # (47 MB RSS beside its crawl, 18 MB now; measured 2026-12-06).
    sites = write_sites(tmp_path / "conf", [("甲区", sim.url, "区县"), ("乙区", sim.url, "区县")])
    run = subprocess.Popen([sys.executable, "-m", "govaudit.cli", "-q", "campaign", "run", "--sites",
                            str(sites), "--db", str(tmp_path / "c.db"), "--out", str(tmp_path / "out"),
                            "--workers", "2", "--max-pages", "150", "--as-of", AS_OF],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = {}       # job process -> what it mapped while its crawl child ran
    deadline = time.monotonic() + 300
    while run.poll() is None and time.monotonic() < deadline and len(seen) < 2:
        tree = procfs.children()
        for job in tree.get(run.pid, ()):
            crawling = [c for c in tree.get(job, ()) if "crawler.worker" in procfs.cmdline(c)]
            if crawling and job not in seen:
                with contextlib.suppress(OSError):
                    mapped = _mapped_libraries(job)
                    if crawling[0] in procfs.children().get(job, ()):
                        seen[job] = mapped        # read while the crawl child was still there
        time.sleep(0.05)
    stderr = run.communicate(timeout=300)[1].decode(errors="replace")
    assert run.returncode == 0, stderr[-3000:]
    assert len(seen) == 2, seen
    assert all(mapped == set() for mapped in seen.values()), seen
    with contextlib.closing(sqlite3.connect(tmp_path / "c.db")) as db:
        rows = db.execute("SELECT status, worker FROM campaign_site").fetchall()
        runners = {pid for (pid,) in db.execute("SELECT pid FROM scan")}
    # The sites were claimed for the jobs themselves, which are also their scans' runners: a
    # kill -9 of a job is what makes its site stale and its scan interrupted.
    assert sorted(status for status, _ in rows) == ["complete", "complete"]
    assert {int(worker.rpartition(":")[2]) for _, worker in rows} == set(seen) == runners


def test_while_its_crawl_runs_a_celery_job_holds_only_what_its_worker_holds(sim, tmp_path):
    # A Celery worker's job processes are forks of its main process, so the main process imports
    # no SQLAlchemy either: it opens its database through govaudit.campaign.prepare.
    broker = redis_url()
    sites = write_sites(tmp_path / "conf", [("甲区", sim.url, "区县")])
    db = f"sqlite:///{tmp_path / 'c.db'}"
    seen = None
    with Workers(broker, db, tmp_path, count=1) as workers:
        run = subprocess.Popen([sys.executable, "-m", "govaudit.cli", "-q", "campaign", "run", "--sites",
                                str(sites), "--broker", broker, "--db", db, "--out", str(tmp_path / "out"),
                                "--max-pages", "150", "--as-of", AS_OF],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        main = workers.procs[0].pid
        deadline = time.monotonic() + 300
        while run.poll() is None and time.monotonic() < deadline and seen is None:
            tree = procfs.children()
            for job in tree.get(main, ()):
                crawling = [c for c in tree.get(job, ()) if "crawler.worker" in procfs.cmdline(c)]
                if crawling:
                    with contextlib.suppress(OSError):
                        mapped = (_mapped_libraries(main), _mapped_libraries(job))
                        if crawling[0] in procfs.children().get(job, ()):
                            seen = mapped
            time.sleep(0.05)
        stderr = run.communicate(timeout=300)[1].decode(errors="replace")
    assert run.returncode == 0, stderr[-3000:]
    assert seen is not None, "the job's crawl child was never seen"
    worker_libraries, job_libraries = seen
    # Beyond its worker's: only what Celery's pool loads in a new process (cffi, for the signal
    # its parent's death sends).  Before, SQLAlchemy's, jsonschema's and PyYAML's were in both.
    added = {lib for lib in job_libraries - worker_libraries if not lib.startswith("_cffi_backend")}
    assert added == set(), added
    assert not {"sqlalchemy", "jsonschema", "rpds", "pandas", "numpy"} & job_libraries, job_libraries


def test_a_campaign_job_starts_its_crawl_without_the_audits_libraries():
    # A campaign's job process (embedded pool or Celery worker child) crawls like `govaudit scan`:
    # what it imports before the crawl is what it holds beside the crawl's processes.  So does the
    # `campaign run` process, which waits on all of them (it writes the campaign report after).
    probe = ("import sys, govaudit.campaign.job, govaudit.campaign.embedded, govaudit.campaign.cluster, "
             "govaudit.campaign.run; "
             "print(sorted(m for m in ('pandas', 'numpy', 'audits.registry', 'jieba', 'xlsxwriter') "
             "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


def test_the_crawl_child_imports_neither_profile_validation_nor_an_unused_database_dialect():
    # The crawl child gets a profile validated before the crawl and only matches its overrides:
    # jsonschema (3.4 MB of its heap) is the checks' library, not the crawl's.  The database
    # dialect is the one its engine loads when it connects (PostgreSQL's is 2.2 MB).
    probe = ("import sys, crawler.worker; print(sorted(m for m in ('jsonschema', 'pandas', 'numpy', 'audits', "
             "'sqlalchemy.dialects.postgresql') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"
