"""Serving-rate benchmark: ``python -m sitesim.bench [--size large] [--clients 4]``.

Starts the simulated site in this process, then fetches every HTML page of the inventory
(homepage, unit homes, hubs, list pages, documents) from several client *processes* over
keep-alive connections, twice: a cold pass (each page rendered on first request) and a warm
pass (served from the render cache).  Prints pages/s for each.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import multiprocessing as mp
import time

from sitesim.server import start_background


def page_paths(handle) -> list[str]:
    site, pages = handle.site, handle._server.pages
    paths = ["/", "/wza/", "/ghb/", "/gongkai/"] + [u.home for u in site.units]
    for col in site.columns:
        paths.append(col.path)
        n = pages.pages_of(col) if col.style in ("trs", "plain", "maxpage") else 1
        paths += [pages.page_path(col, i) for i in range(1, n)]
    paths += [d.path for d in site.docs]
    return paths


def fetch_all(args) -> int:
    port, paths = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    bad = 0
    for p in paths:
        conn.request("GET", p, headers={"User-Agent": "sitesim-bench"})
        r = conn.getresponse()
        r.read()
        bad += r.status != 200
    conn.close()
    return bad


def run(size, clients: int, as_of: dt.date) -> dict:
    t0 = time.perf_counter()
    handle = start_background(seed=2023, size=size, as_of=as_of)
    built = time.perf_counter() - t0
    try:
        paths = page_paths(handle)
        chunks = [(handle.port, paths[i::clients]) for i in range(clients)]
        out = {"size": size, "pages": len(paths), "build_s": round(built, 2), "clients": clients}
        with mp.get_context("spawn").Pool(clients) as pool:
            for label in ("cold", "warm"):
                t = time.perf_counter()
                bad = sum(pool.map(fetch_all, chunks))
                secs = time.perf_counter() - t
                out[label] = {"seconds": round(secs, 2), "pages_per_s": round(len(paths) / secs), "non_200": bad}
        return out
    finally:
        handle.stop()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sitesim.bench", description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="large")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--as-of", default="2026-11-27")
    a = ap.parse_args(argv)
    size = a.size if a.size in ("small", "large") else int(a.size)
    res = run(size, a.clients, dt.date.fromisoformat(a.as_of))
    print(f"size={res['size']} pages={res['pages']} build={res['build_s']}s clients={res['clients']}")
    for label in ("cold", "warm"):
        r = res[label]
        print(f"{label}: {r['pages_per_s']} pages/s ({r['seconds']} s, non-200: {r['non_200']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
