"""The child process that reads attachment files, under hard limits.

Started by ``crawler.files.pool`` as ``python -m crawler.files.worker <memory MB>``.  It sets its
address-space limit (RLIMIT_AS) once, then serves one request per line on stdin
(``{"path", "name", "content_type", "cpu"}``): before each file it moves its CPU limit
(RLIMIT_CPU) to ``cpu`` seconds beyond what it has used so far, so a file that spins is killed by
SIGXCPU; the parent adds a wall-clock timeout on top.  Each answer is one JSON line on stdout.
A file that exhausts the memory limit answers ``memory`` and the worker exits (the parent starts
a fresh one); a crash or kill is seen by the parent as the pipe closing.
"""
from __future__ import annotations

import gc
import json
import resource
import sys
import time

from govaudit.core import heap, procfs


def limit_memory(megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def limit_cpu(seconds: float) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    soft = int(used + seconds) + 1
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard if hard != resource.RLIM_INFINITY else resource.RLIM_INFINITY))


def cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def serve(stdin, stdout) -> None:
    # openpyxl imports numpy when it can, for cell values a reader never writes: 14 MB of a
    # reader's 67 MB RSS, measured 2026-12-06.  Nothing this process reads needs numpy.
    sys.modules.setdefault("numpy", None)
    # Imported after RLIMIT_AS is set, so the reader libraries count against it (pypdf, openpyxl,
    # python-docx, xlrd: 0.9 s and ~40 MB measured at worker start).
    from crawler.files.readers import read_file
    # The libraries' own objects never become garbage: frozen, they are not traversed by the
    # collection after each file, which then costs 0.5 ms instead of 20.
    gc.collect()
    gc.freeze()
    for line in stdin:
        request = json.loads(line)
        limit_cpu(float(request.get("cpu") or 30))
        started, wall = cpu_used(), time.monotonic()
        try:
            with open(request["path"], "rb") as fh:
                data = fh.read()
            # An archive begins no member after half the CPU allowance: the members read before
            # it are kept, rather than the whole archive being killed at the limit.
            answer = read_file(data, request.get("name") or "", request.get("content_type") or "",
                               seconds=float(request.get("cpu") or 30) / 2)
            del data
        except MemoryError:
            answer = {"status": "memory", "detail": "memory limit reached while reading"}
        answer["cpu_seconds"] = round(cpu_used() - started, 3)
        answer["wall_seconds"] = round(time.monotonic() - wall, 3)
        # A docx or xlsx leaves its parse trees in reference cycles, which the collection would
        # free only some files later: at once, with the freed pages handed back, a reader stays
        # near 62 MB where it grew past 150 (docs/performance.md, "Sixteenth pass").
        heap.give_back()
        answer["rss_mb"] = round(procfs.rss_kib() / 1024, 1)     # the pool replaces a reader grown too large
        stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        stdout.flush()
        if answer.get("status") == "memory":
            return


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    limit_memory(int(argv[0]) if argv else 512)
    sys.setrecursionlimit(3000)
    serve(sys.stdin, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
