"""What the campaign tests share: a sites.yaml over simulated sites, Celery workers as processes
(``govaudit worker``), and the Redis URL of scripts/redis-test-server.sh."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

REDIS_URL = os.environ.get("GOVAUDIT_TEST_REDIS_URL")
ROOT = Path(__file__).resolve().parents[2]


def redis_url() -> str:
    """The test Redis, flushed; the test skips without one.  Each xdist worker has a database of
    its own, so one worker's flush or queue never reaches another's campaign."""
    if not REDIS_URL:
        pytest.skip("GOVAUDIT_TEST_REDIS_URL is not set (scripts/redis-test-server.sh start)")
    import redis

    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    url = f"{REDIS_URL.rpartition('/')[0]}/{int(worker.removeprefix('gw') or 0) % 16}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()
    return url


def write_sites(folder: Path, sites: list[tuple], concurrency: int = 8, name: str = "测试市区县网站检查") -> Path:
    """sites.yaml with one entry per (name, start_url, level) and one loopback profile: no delay,
    ``concurrency`` requests per host (the simulator is ours)."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "loopback.yaml"
    profile.write_text(yaml.safe_dump({
        "start_urls": [sites[0][1]],
        "politeness": {"concurrency": concurrency, "concurrency_per_host": concurrency, "delay": 0,
                       "autothrottle": False},
        "link_check": {"external": False}}, allow_unicode=True), encoding="utf-8")
    path = folder / "sites.yaml"
    path.write_text(yaml.safe_dump({"name": name, "sites": [
        {"name": n, "start_url": url, "profile": profile.name, "level": level, "group": "测试市"}
        for n, url, level in sites]}, allow_unicode=True), encoding="utf-8")
    return path


class Workers:
    """``govaudit worker`` processes (each: a Celery main process and one pool process)."""

    def __init__(self, broker: str, db: str, cwd: Path, count: int = 2, extra: tuple = ()):
        self.procs, self.logs = [], []
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        for i in range(count):
            log = open(cwd / f"worker{i}.log", "wb")
            self.logs.append(log)
            self.procs.append(subprocess.Popen(
                [sys.executable, "-m", "govaudit.cli", "worker", "--broker", broker, "--db", db, *extra],
                stdout=log, stderr=subprocess.STDOUT, cwd=cwd, env=env, start_new_session=True))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for proc in self.procs:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for log in self.logs:
            log.close()
