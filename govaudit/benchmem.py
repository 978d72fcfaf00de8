"""Memory and time benchmark of a whole scan and of the audit + report: ``python -m govaudit.benchmem``.

Part of ``make bench`` (``scripts/bench.sh``).  Measures, each command in a child process, its wall
time and its memory from outside, two ways:

* ``peak_rss_mb``: the largest single process (``os.wait4``: the command or a child it waited for);
* ``peak_tree_pss_mb`` / ``peak_tree_rss_mb``: all its processes together, sampled every
  ``SAMPLE_S`` seconds.  A scan runs up to three at once (itself, the crawl child, the attachment
  reader), so this is what a machine running it must have.  PSS shares each page among the
  processes that map it (a library loaded by two is counted once); RSS counts it in each.
* ``peak_crawl_pss_mb``: the same sum while the crawl child runs (a scan only): its three
  processes together, which the audit after it may exceed;
* ``pss_at_peak_mb``: what each kind of process held at that peak; ``own_peak_rss_mb``: each
  kind's own peak, the kernel's ``VmHWM``, which also counts peaks between samples (not every
  one: the kernel records it lazily), to tell which one grew.

The commands:

* the large simulated site (``--sites``: also other sizes, e.g. ``large,100000``): ``govaudit scan``
  (crawl, audit, report; ``--scheduled``: ``govaudit schedule run``, the monthly run), then
  ``govaudit audit`` (audit + report) of the stored scan, ``--repeat`` times;
* synthetic snapshots of 1,000 / 10,000 / 100,000 documents written straight into SQLite
  (``govaudit.benchdata``): ``govaudit audit`` of each, ``--repeat`` times.

This process imports nothing but the standard library (and ``govaudit.core.procfs``, which is
only that) and starts every child itself: Linux carries a parent's resident set into a child's
``ru_maxrss`` across fork and exec, so a large parent would inflate the figures.  Figures go to
docs/performance.md ("Memory per worker").
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from govaudit.core import procfs

AS_OF = "2023-11-30"
LOOPBACK_POLITENESS = {"concurrency_per_host": 16, "concurrency": 16, "delay": 0, "autothrottle": False}
SAMPLE_S = 0.05
PEAKS = ("peak_rss_mb", "peak_tree_pss_mb", "peak_tree_rss_mb", "peak_crawl_pss_mb")
CRAWL_CHILD = "crawler.worker"


class TreeSampler(threading.Thread):
    """The largest summed PSS and RSS of a process tree, sampled until ``stop``; which process
    held what at that peak, and each kind of process's own peak (``VmHWM``)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.pss_kib, self.rss_kib, self.processes = pid, 0, 0, 0
        self.crawl_pss_kib = 0                  # the largest sum while the crawl child runs
        self.at_peak: dict[str, int] = {}       # role -> PSS KiB at the summed peak
        self.own_peaks: dict[str, int] = {}     # role -> largest VmHWM of a process in it, KiB
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_S):
            tree = procfs.descendants(self.pid)
            each = [(role(pid), procfs.pss_kib(pid)) for pid in tree]
            pss = sum(kib for _, kib in each)
            if any(name == CRAWL_CHILD for name, _ in each):
                self.crawl_pss_kib = max(self.crawl_pss_kib, pss)
            if pss > self.pss_kib:
                self.pss_kib, self.processes = pss, len(tree)
                self.at_peak = {}
                for name, kib in each:
                    self.at_peak[name] = self.at_peak.get(name, 0) + kib
            self.rss_kib = max(self.rss_kib, sum(map(procfs.rss_kib, tree)))
            for pid in tree:
                name, kib = role(pid), procfs.hwm_kib(pid)
                if kib and name != "?":     # not a process in the middle of exec, or already gone
                    self.own_peaks[name] = max(self.own_peaks.get(name, 0), kib)

    def stop(self) -> None:
        self.done.set()
        self.join()


def role(pid: int) -> str:
    """What a process of a scan is: the module it runs (``govaudit.cli``, ``crawler.worker``,
    ``crawler.files.worker``), else its program."""
    args = procfs.cmdline(pid).split()
    if "-m" in args[:-1]:
        return args[args.index("-m") + 1]
    return os.path.basename(args[0]) if args else "?"


def cli(*args) -> list[str]:
    return [sys.executable, "-m", "govaudit.cli", "-q", *args]


def measure(cmd: list[str]) -> dict:
    """Run ``cmd``; its wall time and peak RSS (MB, from wait4), failing on a non-zero exit but 8
    (无法评价 is a verdict, not a failure)."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    stderr = proc.stderr.read()
    sampler.stop()      # before the wait: a reaped pid has no /proc entry to read
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 8):
        raise SystemExit(f"{' '.join(cmd[2:5])}… failed ({proc.returncode}): "
                         f"{stderr.decode(errors='replace').strip()[-500:]}")
    return {"wall_s": round(time.monotonic() - started, 1), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "peak_tree_pss_mb": round(sampler.pss_kib / 1024, 1),
            "peak_tree_rss_mb": round(sampler.rss_kib / 1024, 1),
            "peak_crawl_pss_mb": round(sampler.crawl_pss_kib / 1024, 1),
            "processes_at_peak": sampler.processes,
            "pss_at_peak_mb": {name: round(kib / 1024, 1) for name, kib in sampler.at_peak.items()},
            "own_peak_rss_mb": {name: round(kib / 1024, 1) for name, kib in sampler.own_peaks.items()},
            "load": round(os.getloadavg()[0], 1)}


def best(cmd: list[str], repeat: int) -> dict:
    """The run with the least wall time of ``repeat`` (the machine is shared), the least CPU time,
    and the largest peak."""
    runs = [measure(cmd) for _ in range(repeat)]
    return {"wall_s": min(r["wall_s"] for r in runs), "cpu_s": min(r["cpu_s"] for r in runs),
            **{key: max(r[key] for r in runs) for key in PEAKS},
            "runs": runs}


def simulated_site(work: Path, size: str, repeat: int, scheduled: bool = False) -> list[dict]:
    manifest = work / f"manifest-{size}.json"
    sim = subprocess.Popen(cli("sim", "--port", "0", "--size", size, "--as-of", AS_OF, "--manifest", str(manifest)),
                           stdout=subprocess.PIPE, text=True)
    try:
        url = sim.stdout.readline().strip()
        if not url.startswith("http"):
            raise SystemExit("govaudit sim did not start")
        profile = work / f"profile-{size}.json"
        profile.write_text(json.dumps({"start_urls": [url], "politeness": LOOPBACK_POLITENESS}), encoding="utf-8")
        db = work / f"{size}.db"
        for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            stale.unlink(missing_ok=True)       # a scan of its own, not a re-scan of the last run's
        if scheduled:       # the monthly run: lock, crawl, audit, report, comparison, retention
            shutil.rmtree(work / f"{size}-scheduled", ignore_errors=True)
            scan = measure(cli("schedule", "run", "--profile", str(profile), "--db", str(db), "--as-of", AS_OF,
                               "--output-root", str(work / f"{size}-scheduled")))
        else:
            scan = measure(cli("scan", "--profile", str(profile), "--db", str(db), "--as-of", AS_OF,
                               "--out", str(work / f"{size}-scan")))
    finally:
        sim.terminate()
        sim.wait(timeout=60)
    audit = best(cli("audit", "--db", str(db), "--as-of", AS_OF, "--out", str(work / f"{size}-audit")), repeat)
    name = f"{size} site" if size in ("small", "large") else f"simulated site of {int(size):,} documents"
    verb = "scheduled run" if scheduled else "scan"
    return [{"label": f"{name}: {verb} (crawl + audit + report)", "site": size, **scan},
            {"label": f"{name}: audit + report", "site": size, **audit}]


def synthetic(work: Path, docs: int, repeat: int, units: int | None = None) -> dict:
    name = f"synthetic-{docs}" + (f"-u{units}" if units else "")
    db = work / f"{name}.db"
    if not db.exists():
        subprocess.run([sys.executable, "-m", "govaudit.benchdata", "--docs", str(docs), "--db", str(db),
                        *(["--units", str(units)] if units else [])], check=True, stdout=subprocess.DEVNULL)
    audit = best(cli("audit", "--db", str(db), "--as-of", AS_OF, "--out", str(work / name)), repeat)
    label = f"synthetic {docs:,} documents" + (f", {units} units" if units else "") + ": audit + report"
    return {"label": label, "documents": docs, "units": units, **audit}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m govaudit.benchmem", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="synthetic snapshot sizes (documents)")
    ap.add_argument("--units", type=int, default=None,
                    help="units of every synthetic snapshot (default: one per 800 documents, at least 2)")
    ap.add_argument("--sites", default="large",
                    help="simulated sites to scan: large, small or a number of documents, comma-separated")
    ap.add_argument("--no-large", action="store_true", help="scan no simulated site (as --sites '')")
    ap.add_argument("--scheduled", action="store_true",
                    help="scan the simulated sites with `govaudit schedule run` instead of `govaudit scan`")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each audit (the least wall time counts)")
    ap.add_argument("--work", default=None, help="keep the databases here (reused when present)")
    ap.add_argument("--json", default=None, help="also write the figures to this JSON file")
    args = ap.parse_args(argv)
    if args.units is not None and args.units < 1:
        ap.error("--units must be at least 1")
    if any(s not in ("small", "large") and not s.isdigit() for s in args.sites.split(",") if s):
        ap.error("--sites takes large, small or numbers of documents")
    with tempfile.TemporaryDirectory(prefix="govaudit-benchmem-") as tmp:
        work = Path(args.work or tmp)
        work.mkdir(parents=True, exist_ok=True)
        results = []
        for size in [] if args.no_large else [s for s in args.sites.split(",") if s]:
            for r in simulated_site(work, size, args.repeat, args.scheduled):
                results.append(r)
                print(_line(r), flush=True)
        for size in (int(s) for s in args.sizes.split(",") if s):
            results.append(synthetic(work, size, args.repeat, args.units))
            print(_line(results[-1]), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"date": time.strftime("%Y-%m-%d %H:%M"), "load": os.getloadavg(),
                                               "results": results}, ensure_ascii=False, indent=2))
    return 0


def _line(r: dict) -> str:
    apart = ""
    if r.get("pss_at_peak_mb"):
        apart = ("\n    at the peak (PSS): " + ", ".join(f"{k} {v:.1f}" for k, v in r["pss_at_peak_mb"].items())
                 + "; own peaks (VmHWM): " + ", ".join(f"{k} {v:.1f}" for k, v in r["own_peak_rss_mb"].items()))
    crawl = f", while crawling PSS {r['peak_crawl_pss_mb']:.1f} MB" if r.get("peak_crawl_pss_mb") else ""
    return (f"{r['label']:<48} {r['wall_s']:>7.1f} s wall {r['cpu_s']:>7.1f} s CPU  peak RSS {r['peak_rss_mb']:>6.1f} MB"
            f"  all processes: PSS {r['peak_tree_pss_mb']:>6.1f} MB, RSS {r['peak_tree_rss_mb']:>6.1f} MB"
            f"{crawl}"
            f"  (load {r.get('load', r['runs'][-1]['load'] if 'runs' in r else '?')})" + apart)


if __name__ == "__main__":
    sys.exit(main())
