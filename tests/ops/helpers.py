"""Helpers of the operations tests: the CLI as a subprocess, stored snapshots, the simulated site."""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import insert

from govaudit.core import storage
from tests.conftest import AS_OF as AS_OF_DATE

AS_OF = AS_OF_DATE.isoformat()     # the tests' fixed "today" as the CLI takes it (--as-of)
UNIT = "区教体局"                   # the simulated unit the ad-hoc scans audit


def run_cli(*args, env: dict | None = None, timeout: float = 300, cwd: str | os.PathLike | None = None):
    """``govaudit ARGS`` in a fresh interpreter, as cron or a user would run it."""
    full_env = {**os.environ, **(env or {})}
    argv = [sys.executable, "-m", "govaudit.cli", *map(str, args)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=full_env, cwd=cwd)


def cli_scan(sim, db, out, *extra, as_of: str, timeout: float = 600) -> None:
    """``govaudit scan`` of the simulated site (with ``extra`` options such as ``--unit``) into
    ``db``, report files in ``out``; fails the test unless it succeeds."""
    result = run_cli("-q", "scan", "--profile", sim.profile(), *extra, "--db", db, "--out", out,
                     "--as-of", as_of, timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]


LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (?:\d+ )?(?:DEBUG|INFO) ")


def ask_oneshot(module: str, request: dict) -> dict:
    """The one-line answer of a short-lived process of ours (``govaudit.oneshot``) to ``request``,
    which must have ended normally and without a traceback."""
    result = subprocess.run([sys.executable, "-m", module], input=json.dumps(request),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def assert_one_line_error(result, code: int, *needles: str):
    """The CLI contract for failures: the documented exit code and one error line on stderr, no
    traceback and nothing else but the progress log records of the stages that did run."""
    assert result.returncode == code, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.strip().splitlines()
             if line.strip() and not LOG_RECORD.match(line)]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("govaudit: "), lines[0]
    assert result.stderr.strip().splitlines()[-1] == lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def add_scan(engine, start_url: str, keys: list[str], *, status: str = "complete",
             scope_unit: str | None = None, audited: bool = True,
             started_at: str = "2023-11-01T02:00:00+08:00", with_children: bool = False) -> int:
    """Store a scan as the crawler and the audits would leave it: a scan row, finding rows keyed
    ``check|url|field`` and an audit_summary row; optionally a row in every other per-scan table."""
    with engine.begin() as conn:
        scan_id = conn.execute(insert(storage.scan).values(
            site_name="济南市章丘区人民政府", start_url=start_url, started_at=started_at, finished_at=started_at,
            status=status, scope_unit=scope_unit, stats={"pages": 10 + len(keys)})).inserted_primary_key[0]
        counts: dict[str, int] = {}
        for key in keys:
            check, url, field = key.split("|")
            counts[check] = counts.get(check, 0) + 1
            conn.execute(insert(storage.finding).values(
                scan_id=scan_id, key=key, check=check, url=url, field=field or None, unit="区教体局",
                column="政策文件", severity="deduct", message=f"{check} {url}", evidence={"seen": url}))
        if audited:
            conn.execute(insert(storage.audit_summary).values(
                scan_id=scan_id, as_of=started_at[:10], audited_at=started_at,
                verdict="不合格" if keys else "合格", vetoes=[], score_estimate=float(len(keys)), counts=counts,
                inventory={"pages": 10 + len(keys), "documents": len(keys)}))
        if with_children:
            _fill_children(conn, scan_id, start_url)
    return int(scan_id)


def _fill_children(conn, scan_id: int, start_url: str) -> None:
    url = start_url + "doc.html"
    conn.execute(insert(storage.unit).values(scan_id=scan_id, name="区教体局"))
    conn.execute(insert(storage.column).values(scan_id=scan_id, url=start_url + "col/", name="政策文件"))
    conn.execute(insert(storage.list_item).values(scan_id=scan_id, column_url=start_url + "col/", url=url))
    conn.execute(insert(storage.document).values(scan_id=scan_id, url=url, fields={"索引号": "x"}))
    conn.execute(insert(storage.relation).values(scan_id=scan_id, src_url=url, dst_url=url + "#j",
                                                 kind="original"))
    conn.execute(insert(storage.link).values(scan_id=scan_id, url=url, status=200, outcome="ok"))
    conn.execute(insert(storage.link_source).values(scan_id=scan_id, target_url=url, source_url=start_url))
    conn.execute(insert(storage.page).values(scan_id=scan_id, url=url, status=200))
    conn.execute(insert(storage.fetch_error).values(scan_id=scan_id, url=url + "x", error="timeout"))


def per_scan_tables():
    return [t for t in storage.metadata.sorted_tables if "scan_id" in t.c]


def project_root() -> Path:
    return Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _ServedSite:
    """What the operations tests use of a served simulated site: its URL and port, its manifest,
    a profile to scan it with."""

    port: int
    url: str
    manifest: dict
    profile_dir: Path

    def profile(self) -> Path:
        """A profile for this loopback site without the politeness meant for real servers (delay,
        autothrottle), so the crawl takes seconds, not minutes."""
        path = self.profile_dir / f"profile-{self.port}.yaml"
        path.write_text(f"site_name: 济南市章丘区人民政府\nstart_urls: [{self.url}]\n"
                        "politeness:\n  concurrency_per_host: 8\n  delay: 0\n  autothrottle: false\n",
                        encoding="utf-8")
        return path

    def defect_keys(self, checks=None) -> set[str]:
        return {finding_key(d) for d in self.manifest["defects"] if checks is None or d["check"] in checks}


class SharedSim(_ServedSite):
    """The session's small simulated site (``small_sim`` of tests/conftest.py, served in the test
    process), for tests that only scan it."""

    def __init__(self, handle, profile_dir: Path):
        self.port, self.url, self.manifest = handle.port, handle.url, handle.manifest
        self.profile_dir = Path(profile_dir)


class SimSite(_ServedSite):
    """The simulated district site served by `govaudit sim` in a child process on a fixed port, so
    a later generation (``mutation``) can be served at the same URLs — as a real site is."""

    def __init__(self, workdir: Path, port: int, as_of: str, mutation: int = 0, seed: int = 2023,
                 size: str = "small"):
        self.port, self.as_of, self.mutation = port, as_of, mutation
        self.url = f"http://127.0.0.1:{port}/"
        self.manifest_path = Path(workdir) / f"manifest-{port}-{mutation}-{as_of}.json"
        self.argv = [sys.executable, "-m", "govaudit.cli", "sim", "--port", str(port), "--seed", str(seed),
                     "--size", size, "--as-of", as_of, "--mutation", str(mutation),
                     "--manifest", str(self.manifest_path)]
        self.proc: subprocess.Popen | None = None
        self.manifest: dict = {}
        self.profile_dir = Path(workdir)

    def __enter__(self) -> "SimSite":
        self.log_path = self.manifest_path.with_suffix(".log")
        with open(self.log_path, "w") as log:  # a file, not a pipe: a chatty server must never block
            self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = self.log_path.read_text()[-2000:]
                raise RuntimeError(f"govaudit sim exited {self.proc.returncode}: {tail}")
            if self.manifest_path.exists() and _answers(self.url):
                self.manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
                return self
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("govaudit sim did not come up within 120 s")

    def __exit__(self, *_exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


def finding_key(item: dict) -> str:
    """The identity of a finding or a manifest defect: check|url|field."""
    return f"{item['check']}|{item['url']}|{item.get('field') or ''}"


def findings_keys(path: Path, checks=None) -> set[str]:
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    return {finding_key(f) for f in doc["findings"] if checks is None or f["check"] in checks}
