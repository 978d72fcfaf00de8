"""The memory benchmark: its measure of a command (its largest process, and all its processes
together) and its synthetic snapshots."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from sqlalchemy import func, select

from govaudit.benchdata import generate
from govaudit.benchmem import role
from govaudit.campaign.bench import PeakRss
from govaudit.core import procfs, storage

# A parent holding 40 MB that starts a child holding 80 MB, both alive for a second.
TREE = """
import subprocess, sys, time
held = bytearray(40 << 20)
child = subprocess.Popen([sys.executable, "-c", "import time; held = bytearray(80 << 20); time.sleep(1.5)"])
child.wait()
"""


def test_a_command_and_its_child_are_counted_together_and_apart():
    # Measured from a small interpreter, as `python -m govaudit.benchmem` is: Linux carries the
    # measuring process's resident set into its child's ru_maxrss, and pytest's is large.
    measure = ("import json, sys; from govaudit.benchmem import measure; "
               "print(json.dumps(measure([sys.executable, '-c', sys.argv[1]])))")
    figures = json.loads(subprocess.run([sys.executable, "-c", measure, TREE], capture_output=True, text=True,
                                        check=True, timeout=60).stdout)
    # The largest single process is the child (80 MB and an interpreter); together they are more.
    assert 80 <= figures["peak_rss_mb"] < 120
    assert figures["peak_tree_rss_mb"] >= figures["peak_rss_mb"] + 40
    assert figures["peak_tree_pss_mb"] >= 120
    assert figures["processes_at_peak"] == 2
    # Who held what: both are `python -c` (one kind), together at the peak; the child's own peak
    # (VmHWM) is the kernel's, whatever the samples caught.
    program = os.path.basename(sys.executable)
    assert set(figures["pss_at_peak_mb"]) == set(figures["own_peak_rss_mb"]) == {program}
    assert figures["pss_at_peak_mb"][program] >= 120
    assert 80 <= figures["own_peak_rss_mb"][program] < 120


AUDIT_AFTER_CRAWL = """
import subprocess, sys, time
held = bytearray(40 << 20)
crawl = "import time; held = bytearray(60 << 20); time.sleep(1.5)"
subprocess.run([sys.executable, "-c", crawl, "-m", "crawler.worker"])     # named as the crawl child is
held += bytearray(110 << 20)
time.sleep(1)
"""


def test_the_crawls_processes_together_are_measured_apart_from_the_audit_after():
    # A scan's summed peak may be its audit's, after the crawl: the crawl's own sum is reported too.
    measure = ("import json, sys; from govaudit.benchmem import measure; "
               "print(json.dumps(measure([sys.executable, '-c', sys.argv[1]])))")
    figures = json.loads(subprocess.run([sys.executable, "-c", measure, AUDIT_AFTER_CRAWL],
                                        capture_output=True, text=True, check=True, timeout=60).stdout)
    assert 100 <= figures["peak_crawl_pss_mb"] < 140         # 40 + 60 MB and two interpreters
    assert figures["peak_tree_pss_mb"] >= 150 > figures["peak_crawl_pss_mb"]


def _units(db: str) -> set[str]:
    """The units of a synthetic snapshot of 400 documents (every document's unit among them)."""
    engine = storage.connect(db, create=False)
    with engine.connect() as conn:
        names = set(conn.execute(select(storage.unit.c.name)).scalars())
        of_documents = set(conn.execute(select(storage.document.c.unit).distinct()).scalars())
        assert conn.execute(select(func.count()).select_from(storage.document)).scalar() == 400
    engine.dispose()
    assert of_documents <= names
    return names


def test_a_synthetic_snapshot_has_the_units_asked_for_or_one_per_800_documents(tmp_path):
    generate(str(tmp_path / "default.db"), 400)
    generate(str(tmp_path / "fixed.db"), 400, units=12)
    assert len(_units(str(tmp_path / "default.db"))) == 2
    fixed = _units(str(tmp_path / "fixed.db"))
    assert len(fixed) == 12 and "章丘区人民政府" in fixed


def test_the_campaign_benchmark_counts_a_sites_processes_together():
    # A "job" process holding 30 MB whose child is named like a crawl child and holds 60 MB.
    crawl = "import sys, time; held = bytearray(60 << 20); time.sleep(2)  # crawler.worker"
    job = ("import subprocess, sys; held = bytearray(30 << 20); "
           f"subprocess.run([sys.executable, '-c', {crawl!r}, 'crawler.worker'])")
    proc = subprocess.Popen([sys.executable, "-c", job])
    sampler = PeakRss([proc.pid])
    sampler.start()
    proc.wait(timeout=60)
    sampler.stop()
    assert 60 <= sampler.crawl_mb < 100
    assert sampler.site_mb >= 90 and sampler.all_mb >= sampler.site_mb


def test_no_units_is_refused_in_one_line_before_anything_is_written(tmp_path):
    for module in ("govaudit.benchdata", "govaudit.benchmem"):
        args = ["--docs", "50", "--db", str(tmp_path / "u.db")] if module.endswith("data") else ["--no-large"]
        result = subprocess.run([sys.executable, "-m", module, *args, "--units", "0"], capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 2 and "--units must be at least 1" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "u.db").exists()


def test_a_site_size_it_cannot_serve_is_refused_in_one_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "govaudit.benchmem", "--sites", "large,huge", "--sizes", "",
                             "--work", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--sites takes large, small or numbers of documents" in result.stderr
    assert "Traceback" not in result.stderr and not list(tmp_path.iterdir())


def test_a_process_is_named_by_the_module_it_runs():
    proc = subprocess.Popen([sys.executable, "-m", "timeit", "-n1", "-r1", "import time; time.sleep(5)"])
    try:
        deadline = time.monotonic() + 4
        while not procfs.cmdline(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)        # for a moment after exec, /proc shows no command line yet
        assert role(proc.pid) == "timeit"
    finally:
        proc.kill()
        proc.wait()
