"""A --as-of after today warns in one line and carries on (issue 10, item 10)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from govaudit.core import storage
from govaudit.core.errors import EXIT_UNASSESSABLE

from .helpers import add_scan, free_port, run_cli

FUTURE = (dt.date.today() + dt.timedelta(days=400)).isoformat()
WARNING = f"--as-of {FUTURE} is after today"


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "is after today" in line]


def test_audit_with_a_future_as_of_warns_once_and_still_writes_the_report(tmp_path):
    db = tmp_path / "govaudit.db"
    engine = storage.connect(str(db))
    scan_id = add_scan(engine, "http://www.jnzq.gov.cn/", [], audited=False)
    engine.dispose()
    result = run_cli("-q", "audit", "--db", db, "--scan", scan_id, "--as-of", FUTURE, "--out", tmp_path / "r",
                     timeout=120)
    # the stored scan holds nothing, so its verdict is 无法评价 (exit 8); the report is written all the same
    assert result.returncode == EXIT_UNASSESSABLE, result.stderr
    assert _warnings(result.stderr) == [f"govaudit: 注意：统计截止日期 {FUTURE} 晚于今天 {dt.date.today()}，日期类检查按该日判定 "
                                        f"/ warning: {WARNING} ({dt.date.today()}); the date rules judge as of that "
                                        f"future day"]
    assert json.loads((tmp_path / "r" / "findings.json").read_text(encoding="utf-8"))["as_of"] == FUTURE


@pytest.mark.parametrize("verb", [
    ("scan", "--start-url", "http://127.0.0.1:{port}/"),
    ("schedule", "run", "--start-url", "http://127.0.0.1:{port}/"),
    ("demo", "--size", "nonsense"),
])
def test_every_verb_with_as_of_warns_before_it_works(verb, tmp_path):
    args = [a.format(port=free_port()) for a in verb]
    extra = ["--output-root", tmp_path / "root"] if verb[0] == "schedule" else ["--out", tmp_path / "r"]
    db = [] if verb[0] == "demo" else ["--db", tmp_path / "g.db"]
    result = run_cli("-q", *args, *db, *extra, "--as-of", FUTURE, timeout=120)
    assert len(_warnings(result.stderr)) == 1, result.stderr
    assert result.returncode != 0      # and then it went on to the work, which fails here for its own reason
    assert result.stderr.strip().splitlines()[-1] not in _warnings(result.stderr)


def test_no_warning_for_today_or_a_past_date(tmp_path):
    for as_of in (dt.date.today().isoformat(), "2023-11-30"):
        result = run_cli("-q", "scan", "--start-url", f"http://127.0.0.1:{free_port()}/", "--db", tmp_path / "g.db",
                         "--out", tmp_path / "r", "--as-of", as_of, timeout=120)
        assert result.returncode == 4 and not _warnings(result.stderr), result.stderr
