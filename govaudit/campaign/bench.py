"""Campaign benchmark: ``python -m govaudit.campaign.bench`` (run by ``make bench``).

Serves N small simulated sites (``govaudit sim --latency-ms``, separate processes) and runs the
same campaign three ways with default politeness: sequentially (``--workers 1``), embedded
(``--workers 3``) and on 3 Celery workers (a ``redis-server`` of its own on loopback, SQLite or
``--db``).  Prints the wall time of each, the peak RSS of the job processes (audit and report)
and of the crawl children, and the peak PSS of one site's processes together and of the whole
campaign on this machine, sampled from /proc.  Not a test; figures go to docs/performance.md.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

from govaudit.bench import free_port
from govaudit.core import procfs


class Sim:
    """``govaudit sim --latency-ms`` in a child process, until stopped."""

    def __init__(self, seed: int, latency_ms: int):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.proc = subprocess.Popen(_cli("sim", "--port", self.port, "--seed", seed, "--as-of", "2023-11-30",
                                          "--latency-ms", latency_ms), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("simulator did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


class PeakRss(threading.Thread):
    """Sampled twice a second below ``roots``: the peak RSS of a crawl child and of the other
    processes, the peak PSS of one site (its job process with its crawl child and attachment
    reader, together) and of everything the campaign runs on this machine."""

    def __init__(self, roots: list[int]):
        super().__init__(daemon=True)
        self.roots, self.stop_event = roots, threading.Event()
        self.crawl_mb = self.job_mb = self.site_mb = self.all_mb = 0.0

    def run(self):
        while not self.stop_event.wait(0.5):
            tree = procfs.children()
            below = {p for root in self.roots for p in procfs.descendants(root, tree)}
            pss = {pid: procfs.pss_kib(pid) / 1024 for pid in below}
            self.all_mb = max(self.all_mb, sum(pss.values()))
            for pid in below:
                mb, command = procfs.rss_kib(pid) / 1024, procfs.cmdline(pid)
                if "crawler.worker" in command:
                    self.crawl_mb = max(self.crawl_mb, mb)
                elif pid not in self.roots or "worker" in command:
                    self.job_mb = max(self.job_mb, mb)
                if any("crawler.worker" in procfs.cmdline(child) for child in tree.get(pid, ())):
                    site = sum(pss.get(p, 0.0) for p in procfs.descendants(pid, tree))     # a site's job
                    self.site_mb = max(self.site_mb, site)

    def stop(self):
        self.stop_event.set()
        self.join()


# The campaign and its workers run in their own folders: this checkout's code, not the cwd's.
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    p for p in (str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH")) if p)}


def _cli(*args) -> list[str]:
    return [sys.executable, "-m", "govaudit.cli", "-q", *map(str, args)]


def run_mode(mode: str, sites: Path, work: Path, redis_url: str | None, db: str | None, max_pages: int) -> dict:
    folder = work / mode
    folder.mkdir()
    db = db or str(folder / "campaign.db")
    common = ["campaign", "run", "--sites", sites, "--db", db, "--out", folder / "out", "--as-of", "2023-11-30",
              "--max-pages", max_pages]
    workers = []
    if mode == "celery":
        workers = [subprocess.Popen(_cli("worker", "--broker", redis_url, "--db", db), cwd=folder, env=ENV,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
                   for _ in range(3)]
        time.sleep(5)
        argv = _cli(*common, "--broker", redis_url)
    else:
        argv = _cli(*common, "--workers", 1 if mode == "sequential" else 3)
    started = time.monotonic()
    proc = subprocess.Popen(argv, cwd=folder, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = PeakRss([proc.pid, *(w.pid for w in workers)])
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.monotonic() - started
    sampler.stop()
    for w in workers:
        os.killpg(w.pid, signal.SIGTERM)
        w.wait()
    if proc.returncode:
        raise SystemExit(f"{mode}: campaign failed: {err[-2000:]}")
    return {"mode": mode, "seconds": round(elapsed, 1), "job_peak_mb": round(sampler.job_mb),
            "crawl_peak_mb": round(sampler.crawl_mb), "site_peak_pss_mb": round(sampler.site_mb),
            "all_peak_pss_mb": round(sampler.all_mb)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m govaudit.campaign.bench", description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=6)
    ap.add_argument("--latency-ms", type=int, default=20)
    ap.add_argument("--max-pages", type=int, default=300, help="pages per site (the small site has about 1,350)")
    ap.add_argument("--modes", default="sequential,embedded,celery")
    ap.add_argument("--db", default=None, help="database for the Celery run (default: SQLite)")
    a = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="govaudit-campaign-bench-"))
    sims = [Sim(2023 + i, a.latency_ms) for i in range(a.sites)]
    redis_proc = None
    try:
        sites = work / "sites.yaml"
        sites.write_text(yaml.safe_dump({"name": "基准测试", "sites": [
            {"name": f"站点{i + 1}", "start_url": s.url, "level": "区县"} for i, s in enumerate(sims)]},
            allow_unicode=True), encoding="utf-8")
        redis_url = None
        if "celery" in a.modes:
            port = free_port()
            redis_proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                           "--appendonly", "no"], stdout=subprocess.DEVNULL)
            redis_url = f"redis://127.0.0.1:{port}/0"
            time.sleep(1)
        print(f"campaign of {a.sites} small simulated sites, {a.latency_ms} ms latency, default politeness, "
              f"{a.max_pages} pages per site")
        for mode in a.modes.split(","):
            r = run_mode(mode, sites, work, redis_url, a.db, a.max_pages)
            print(f"  {r['mode']:<11} {r['seconds']:>7.1f} s   peak RSS: job process {r['job_peak_mb']} MB, "
                  f"crawl child {r['crawl_peak_mb']} MB; peak PSS: one site's processes "
                  f"{r['site_peak_pss_mb']} MB, the whole campaign {r['all_peak_pss_mb']} MB", flush=True)
    finally:
        for s in sims:
            s.stop()
        if redis_proc:
            redis_proc.terminate()
            redis_proc.wait()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
