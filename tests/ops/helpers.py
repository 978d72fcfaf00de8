"""Helpers of the operations tests: the CLI as a subprocess, stored snapshots."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import insert

from govaudit import storage


def run_cli(*args, env: dict | None = None, timeout: float = 300, cwd: str | os.PathLike | None = None):
    """``govaudit ARGS`` in a fresh interpreter, as cron or a user would run it."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "govaudit.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=full_env, cwd=cwd)


def assert_one_line_error(result, code: int, *needles: str):
    """The CLI contract for failures: the documented exit code, one line on stderr, no traceback."""
    assert result.returncode == code, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("govaudit: "), lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def add_scan(engine, start_url: str, keys: list[str], *, status: str = "complete", scope_unit: str | None = None,
             audited: bool = True, started_at: str = "2023-11-01T02:00:00+08:00", with_children: bool = False) -> int:
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
    conn.execute(insert(storage.relation).values(scan_id=scan_id, src_url=url, dst_url=url + "#j", kind="original"))
    conn.execute(insert(storage.link).values(scan_id=scan_id, url=url, status=200, outcome="ok"))
    conn.execute(insert(storage.link_source).values(scan_id=scan_id, target_url=url, source_url=start_url))
    conn.execute(insert(storage.page).values(scan_id=scan_id, url=url, status=200))
    conn.execute(insert(storage.fetch_error).values(scan_id=scan_id, url=url + "x", error="timeout"))


def per_scan_tables():
    return [t for t in storage.metadata.sorted_tables if "scan_id" in t.c]


def project_root() -> Path:
    return Path(__file__).resolve().parents[2]
