"""A small pool of reused reader processes (``crawler.files.worker``), used from threads.

``ReaderPool.read(data, name, content_type)`` hands one file to an idle worker and returns its
answer (``crawler.files.readers`` describes it), or a failure it could not give itself:
``timeout`` (the wall-clock limit passed: the worker is killed), ``cpu_limit`` (killed by
SIGXCPU), ``memory`` (the address-space limit), ``crashed`` (any other death).  Workers are
started on demand and restarted after a failure; start-up costs about 0.3 s (imports of pypdf,
openpyxl, python-docx), so they are kept (docs/performance.md) until a file leaves one's resident set
above ``recycle_mb``: the readers' libraries leave the heap fragmented (python-docx over lxml grew a
reader from 61 to 136 MB over 3,000 small .docx files of the large simulated site), and the reader
is one of the three processes of a scan.

It is thread-safe: the crawl calls ``read`` from Twisted's thread pool (``deferToThread``), so the
reactor never waits for a file.
"""
from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Worker:
    def __init__(self, memory_mb: int):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        self.proc = subprocess.Popen([sys.executable, "-m", "crawler.files.worker", str(memory_mb)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env=env, cwd=str(ROOT), text=True, bufsize=1)

    def ask(self, request: dict, wall_seconds: float) -> dict:
        """One file; on any failure the worker is dead afterwards (``alive`` says so)."""
        try:
            self.proc.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            return self.died()
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        ready = sel.select(timeout=wall_seconds)
        sel.close()
        if not ready:
            self.kill()
            return {"status": "timeout", "detail": f"reading took longer than {wall_seconds:g} s"}
        line = self.proc.stdout.readline()
        if not line:
            return self.died()
        answer = json.loads(line)
        if answer.get("status") == "memory":     # the worker ends itself after a MemoryError
            self.close()
        return answer

    def died(self) -> dict:
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.returncode
        if code == -signal.SIGXCPU:
            return {"status": "cpu_limit", "detail": "CPU time limit reached"}
        if code == -signal.SIGKILL:
            return {"status": "memory", "detail": "killed (memory limit)"}
        return {"status": "crashed", "detail": f"reader process ended with code {code}"}

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()


class ReaderPool:
    def __init__(self, size: int = 1, memory_mb: int = 512, cpu_seconds: float = 30, wall_seconds: float = 60,
                 recycle_mb: float = 100):
        self.size = size
        self.memory_mb = memory_mb
        self.recycle_mb = recycle_mb
        self.cpu_seconds = cpu_seconds
        self.wall_seconds = wall_seconds
        self.slots = threading.BoundedSemaphore(size)     # at most ``size`` files at a time
        self.lock = threading.Lock()
        self.idle: list[Worker] = []
        self.closed = False
        self.started = 0                                   # workers started (restarts included)
        self.recycled = 0                                  # workers replaced for their size

    def _take(self) -> Worker:
        self.slots.acquire()
        with self.lock:
            if self.idle:
                return self.idle.pop()
            self.started += 1
        return Worker(self.memory_mb)

    def _give_back(self, worker: Worker) -> None:
        with self.lock:
            keep = worker.alive and not self.closed
            if keep:
                self.idle.append(worker)
        if not keep:
            worker.close()
        self.slots.release()

    def read(self, data: bytes, name: str, content_type: str = "") -> dict:
        with tempfile.NamedTemporaryFile(prefix="govaudit-file-", delete=False) as fh:
            fh.write(data)
            path = fh.name
        worker = None
        try:
            worker = self._take()
            started = time.monotonic()
            answer = worker.ask({"path": path, "name": name, "content_type": content_type, "cpu": self.cpu_seconds},
                                self.wall_seconds)
            answer.setdefault("wall_seconds", round(time.monotonic() - started, 3))
            if worker.alive and (answer.get("rss_mb") or 0) > self.recycle_mb:
                worker.close()          # a fresh one starts for the next file
                with self.lock:
                    self.recycled += 1
            return answer
        finally:
            if worker is not None:
                self._give_back(worker)
            os.unlink(path)

    def close(self) -> None:
        self.closed = True
        with self.lock:
            workers, self.idle = list(self.idle), []
        for worker in workers:
            worker.close()
