"""Scheduled runs end to end over HTTP: two months of the simulated site, the second a later
generation (mutation=1) with some defects fixed and some new, under a retention that keeps one scan.

One module-scoped series of `govaudit schedule run` calls (real crawls, real audits, real reports);
the tests below check its outcome from different sides.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from govaudit.core import storage

from .helpers import SimSite, findings_keys, free_port, run_cli

MONTH1, MONTH2 = "2023-11-30", "2023-12-31"
# The checks whose manifest entries the audits reproduce key for key (docs/design.md).
CORE = {"empty_column", "stale_column", "missing_element", "invalid_element", "missing_interpretation",
        "interpretation_one_way", "late_interpretation", "broken_link"}


def _schedule_run(root: Path, profile: Path, as_of: str, keep: int):
    return run_cli("-q", "schedule", "run", "--profile", profile, "--output-root", root, "--as-of", as_of,
                   "--keep", keep, timeout=600)


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    work = tmp_path_factory.mktemp("scheduled")
    root = work / "out"
    port = free_port()
    out = {"root": root, "site_dir": root / f"127.0.0.1_{port}", "runs": [], "manifests": []}
    for mutation, as_of in ((0, MONTH1), (1, MONTH2)):
        with SimSite(work, port, as_of, mutation=mutation) as sim:
            result = _schedule_run(root, sim.profile(), as_of, keep=1)
            assert result.returncode == 0, result.stderr[-3000:]
            month_dir = out["site_dir"] / as_of[:7]
            out["runs"].append({
                "stdout": result.stdout, "stderr": result.stderr,
                "run": json.loads((month_dir / "run.json").read_text(encoding="utf-8")),
                "changes": (json.loads((month_dir / "changes.json").read_text(encoding="utf-8"))
                            if (month_dir / "changes.json").exists() else None),
                "findings": findings_keys(month_dir / "findings.json"),
                "months": sorted(p.name for p in out["site_dir"].iterdir()
                                 if p.is_dir() and not p.is_symlink()),
                "history": json.loads(run_cli("history", "--db", root / "govaudit.db", "--json",
                                              timeout=60).stdout),
            })
            out["manifests"].append(sim.defect_keys(CORE))
    return out


def test_each_run_writes_its_month_and_moves_latest(series):
    site_dir = series["site_dir"]
    first, second = (r["run"] for r in series["runs"])
    assert first["month"] == "2023-11" and second["month"] == "2023-12"
    assert series["runs"][0]["months"] == ["2023-11"]
    for name in ("report.html", "findings.json", "findings.xlsx", "run.json", "changes.json"):
        assert (site_dir / "2023-12" / name).is_file(), name
    latest = site_dir / "latest"
    assert latest.is_symlink() and os.readlink(latest) == "2023-12"
    assert json.loads((latest / "run.json").read_text())["scan_id"] == second["scan_id"]
    # stdout is the report path and nothing else; with -q stderr stays empty (cron mails both)
    for run in series["runs"]:
        assert run["stdout"].strip() == str(site_dir / run["run"]["month"] / "report.html")
        assert run["stderr"].strip() == ""
    assert not [p for p in site_dir.iterdir() if ".partial-" in p.name or ".old-" in p.name]


def test_second_run_compares_with_the_first_automatically(series):
    first, second = series["runs"][0]["run"], series["runs"][1]["run"]
    assert first["previous_scan_id"] is None and first["compare"] == {}
    # The first month has its changes.json too (the layout lists it): nothing to compare with.
    assert series["runs"][0]["changes"] == {"scan_id": first["scan_id"], "previous_scan_id": None,
                                           "compared": False, "new": [], "fixed": [], "open": []}
    assert series["runs"][1]["changes"]["compared"] is True
    assert second["previous_scan_id"] == first["scan_id"]
    changes = series["runs"][1]["changes"]
    assert second["compare"] == {name: len(changes[name]) for name in ("new", "fixed", "open")}
    html = (series["site_dir"] / "2023-12" / "report.html").read_text(encoding="utf-8")
    assert "已整改" in html and "新发现" in html


def test_new_fixed_open_are_exact_set_differences_of_the_findings(series):
    before, after = series["runs"][0]["findings"], series["runs"][1]["findings"]
    changes = series["runs"][1]["changes"]
    assert set(changes["new"]) == after - before
    assert set(changes["fixed"]) == before - after
    assert set(changes["open"]) == before & after
    assert changes["new"] and changes["fixed"] and changes["open"]


def test_new_fixed_open_match_the_two_manifests(series):
    """What the simulator changed between the generations is what the comparison reports."""
    m0, m1 = series["manifests"]
    changes = series["runs"][1]["changes"]
    result = {name: {key for key in changes[name] if key.split("|")[0] in CORE}
              for name in ("new", "fixed", "open")}
    planted_new, planted_fixed, planted_open = m1 - m0, m0 - m1, m0 & m1
    assert planted_new and planted_fixed, "mutation=1 should both fix and add defects"
    assert planted_new <= result["new"], sorted(planted_new - result["new"])[:10]
    assert planted_fixed <= result["fixed"], sorted(planted_fixed - result["fixed"])[:10]
    assert planted_open <= result["open"], sorted(planted_open - result["open"])[:10]
    # a defect present in both generations is never reported as new or fixed
    assert not planted_open & (result["new"] | result["fixed"])


def test_retention_deletes_old_scans_and_their_month_directories(series):
    root = series["root"]
    first, second = (r["run"]["scan_id"] for r in series["runs"])
    assert [r["id"] for r in series["runs"][0]["history"]] == [first]
    # --keep 1: the second run deleted the first scan and its month directory
    assert [r["id"] for r in series["runs"][1]["history"]] == [second]
    assert series["runs"][1]["months"] == ["2023-12"]
    engine = storage.connect(str(root / "govaudit.db"), create=False)
    with engine.connect() as conn:
        for table in storage.metadata.sorted_tables:
            if "scan_id" in table.c:
                left = conn.execute(select(table.c.scan_id).where(table.c.scan_id == first)).first()
                assert left is None, table.name
        assert conn.execute(select(storage.finding.c.id).where(storage.finding.c.scan_id == second)).first()
    engine.dispose()


def test_log_file_records_every_run(series):
    log = (series["root"] / "schedule.log").read_text(encoding="utf-8")
    assert log.count("govaudit.schedule.outcome: scheduled run of") == 2
    assert "retention: kept the newest 1 scans" in log and "removed report directories ['2023-11']" in log
    assert "failed" not in log
