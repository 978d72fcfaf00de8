"""Crawler benchmark: ``python -m govaudit.bench`` (``make bench`` / ``scripts/bench.sh``).

Serves the simulated site (``govaudit sim``, as a separate process: the crawler never imports
the simulator), then measures on this machine:

* a full scan of the small and the large site (pages/s, requests, time, peak RSS of the crawl);
* an unchanged re-scan of the large site with the default revisit policy (``crawler.revisit``:
  unflagged documents of unchanged lists verified within the window are copied unasked), and
  one that asks for every document again (``GOVAUDIT_RECHECK_DOCUMENTS_AFTER_DAYS=0``: what a
  re-scan costs once the window has passed);
* the cost of attachments: a full scan of the first size with attachment fetching off, and per
  attachment the bytes downloaded and the CPU time of the reader process (plus its start-up);
* ``scrapy bench`` for scale (Scrapy's own upper bound on this machine).

Loopback crawls use the same settings as real sites except concurrency and delays, raised
through the ``settings`` argument of ``crawl`` (never by recognising an address).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from audits.runner import audit_scan
from crawler.files.pool import ReaderPool
from crawler.runner import crawl
from crawler.settings import loopback_overrides
from govaudit.core import storage

LOOPBACK_SETTINGS = loopback_overrides(32)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SimProcess:
    """``govaudit sim`` in a child process, until stopped."""

    def __init__(self, size: str, seed: int, as_of: str, workdir: Path, extra: tuple = ()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.manifest_path = workdir / f"manifest-{size}.json"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "govaudit.cli", "-q", "sim", "--port", str(self.port), "--size", size,
             "--seed", str(seed), "--as-of", as_of, "--manifest", str(self.manifest_path), *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"simulator exited: {self.proc.stderr.read().decode(errors='replace')[-500:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    if self.manifest_path.exists():
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("simulator did not start")

    @property
    def manifest(self) -> dict:
        return json.loads(self.manifest_path.read_text(encoding="utf-8"))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def measure(db: str, url: str, label: str, as_of: dt.date, **extra) -> dict:
    """Crawl once and audit the scan, as ``govaudit scan`` does (the next re-scan's revisit policy
    reads its findings); the audit is not part of the crawl time."""
    started = time.monotonic()
    scan_id = crawl(db=db, start_urls=[url], quiet=True, settings={**LOOPBACK_SETTINGS, **extra})
    wall = time.monotonic() - started
    engine = storage.connect(db)
    with engine.connect() as conn:
        row = conn.execute(select(storage.scan.c.stats, storage.scan.c.status).where(storage.scan.c.id == scan_id)).first()
    audit_scan(engine, scan_id, as_of)
    engine.dispose()
    stats = dict(row.stats or {})
    return {"label": label, "scan_id": scan_id, "status": row.status, "wall_s": round(wall, 1), **stats}


def scrapy_bench(seconds: int = 15) -> float | None:
    """pages/s of ``scrapy bench`` (Scrapy's built-in local server and link-following spider)."""
    r = subprocess.run([sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}",
                        "-s", "LOG_LEVEL=INFO"], capture_output=True, text=True, timeout=seconds + 120,
                       cwd=tempfile.gettempdir())
    pages = re.search(r"'response_received_count': (\d+)", r.stderr)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", r.stderr)
    if not (pages and elapsed):
        return None
    return round(int(pages.group(1)) / float(elapsed.group(1)), 1)


def politeness(seed: int, as_of: str, workdir: Path, latency_ms: int = 20) -> dict:
    """A full scan of the small site at the shipped politeness defaults, the simulator answering
    every request ``latency_ms`` late: what the server saw (its traffic.json) and the scan time."""
    traffic = workdir / "traffic.json"
    sim = SimProcess("small", seed, as_of, workdir, ("--latency-ms", str(latency_ms), "--traffic", str(traffic)))
    try:
        t0 = time.perf_counter()
        crawl(db=storage.db_url(str(workdir / "polite.db")), start_urls=[sim.url])
        wall = time.perf_counter() - t0
    finally:
        sim.stop()                    # the simulator writes its final figures as it stops
    seen = json.loads(traffic.read_text(encoding="utf-8"))
    host = next(iter(seen["hosts"].values()), {})
    return {"label": f"small: full scan at the defaults, {latency_ms} ms latency", "wall_s": round(wall, 1),
            "requests": seen["requests"], "max_in_flight": seen["max_in_flight"],
            "max_in_flight_per_host": host.get("max_in_flight"), "requests_per_s": seen["requests_per_s"],
            "peak_requests_per_s": seen["peak_requests_per_s"], "min_gap_ms": host.get("min_gap_ms")}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m govaudit.bench", description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--as-of", default="2023-11-30")
    ap.add_argument("--sizes", default="small,large")
    ap.add_argument("--no-scrapy-bench", action="store_true")
    ap.add_argument("--no-politeness", action="store_true",
                    help="skip the politeness figure (a full small scan at the defaults: minutes)")
    ap.add_argument("--json", default=None, help="also write the figures to this JSON file")
    args = ap.parse_args(argv)

    results = []
    as_of = dt.date.fromisoformat(args.as_of)
    with tempfile.TemporaryDirectory(prefix="govaudit-bench-") as tmp:
        work = Path(tmp)
        for size in args.sizes.split(","):
            sim = SimProcess(size, args.seed, args.as_of, work)
            try:
                inv = sim.manifest.get("inventory", {})
                db = storage.db_url(str(work / f"bench-{size}.db"))
                full = measure(db, sim.url, f"{size}: full scan", as_of)
                full["inventory"] = inv
                results.append(full)
                print(_line(full), flush=True)
                if size == args.sizes.split(",")[0]:
                    bare = measure(storage.db_url(str(work / f"bench-{size}-bare.db")), sim.url,
                                   f"{size}: no attachments", as_of, GOVAUDIT_ATTACHMENTS=False)
                    results.append(bare)
                    print(_line(bare), flush=True)
                    print(_attachment_line(full, bare), flush=True)
                if size == args.sizes.split(",")[-1]:
                    again = measure(db, sim.url, f"{size}: unchanged re-scan", as_of)
                    results.append(again)
                    print(_line(again), flush=True)
                    ask_all = measure(db, sim.url, f"{size}: re-scan, ask all", as_of,
                                      GOVAUDIT_RECHECK_DOCUMENTS_AFTER_DAYS=0)
                    results.append(ask_all)
                    print(_line(ask_all), flush=True)
            finally:
                sim.stop()
        if not args.no_politeness:
            polite = politeness(args.seed, args.as_of, work)
            results.append(polite)
            print(f"{polite['label']}: {polite['wall_s']} s, {polite['requests']} requests; server saw at most "
                  f"{polite['max_in_flight']} in flight ({polite['max_in_flight_per_host']} per host), "
                  f"{polite['requests_per_s']} requests/s (peak {polite['peak_requests_per_s']} in one second), "
                  f"least gap {polite['min_gap_ms']} ms", flush=True)
    bench = None if args.no_scrapy_bench else scrapy_bench()
    print(f"scrapy bench (same machine): {bench} pages/s" if bench else "scrapy bench: not measured")
    full_large = next((r for r in results if r["label"].endswith("full scan") and r is not results[0]), results[0])
    rescans = [r for r in results if "re-scan" in r["label"]]
    if bench:
        print(f"full scan rate / scrapy bench = {full_large.get('pages_per_s', 0) / bench:.0%}")
    for rescan in rescans:
        ratio = rescan["wall_s"] / max(full_large["wall_s"], 0.001)
        print(f"{rescan['label']} time / full scan time = {ratio:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"date": dt.date.today().isoformat(), "results": results,
                                               "scrapy_bench_pages_per_s": bench}, ensure_ascii=False, indent=2))
    return 0


def reader_startup() -> float:
    """Seconds from starting a reader process to its first answer (what a reused pool saves)."""
    pool = ReaderPool(size=1)
    try:
        started = time.monotonic()
        pool.read(b"%PDF-1.4\n%%EOF\n", "x.pdf")
        return round(time.monotonic() - started, 2)
    finally:
        pool.close()


def _attachment_line(full: dict, bare: dict) -> str:
    n = max(full.get("attachments", 0), 1)
    read = max(full.get("attachments_read", 0), 1)
    return (f"attachments: {full.get('attachments', 0)} fetched, {full.get('attachments_read', 0)} read, "
            f"{full.get('attachment_bytes', 0) / n / 1024:.1f} KiB and "
            f"{full.get('attachment_cpu_s', 0) / read * 1000:.0f} ms reader CPU per file; reader start-up "
            f"{reader_startup()} s; scan {full['wall_s']} s with, {bare['wall_s']} s without")


def _line(r: dict) -> str:
    return (f"{r['label']:<26} {r.get('status')}: {r.get('pages', 0)} pages, {r.get('requests', 0)} requests, "
            f"{r.get('documents', 0)} documents ({r.get('not_modified', 0)} answered 304, "
            f"{r.get('trusted_unchanged', 0)} copied unasked), "
            f"{r.get('elapsed', 0)} s crawl / {r['wall_s']} s wall, {r.get('pages_per_s', 0)} pages/s, "
            f"peak RSS {r.get('peak_rss_mb', 0)} MB, {r.get('bytes', 0) // 1024} KiB")


if __name__ == "__main__":
    sys.exit(main())
