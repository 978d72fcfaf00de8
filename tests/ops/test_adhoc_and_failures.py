"""Ad-hoc audits of one unit or column, and every documented failure, end to end over HTTP."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from govaudit import history
from govaudit.core import comparison, scans, storage

from tests.crawler.fixture_site import Answer, FixtureSite

from .helpers import AS_OF, UNIT, assert_one_line_error, free_port, run_cli

def _unit_of(sim) -> dict[str, str]:
    """Column and document URL -> owning unit, as the simulator laid the site out."""
    units = {c["url"]: c["unit"] for c in sim.manifest["columns"]}
    units.update({d["url"]: d["unit"] for d in sim.manifest["documents"]})
    return units


def test_unit_scan_finishes_in_well_under_a_minute(unit_scan):
    assert unit_scan["elapsed"] < 60, unit_scan["elapsed"]
    assert unit_scan["stdout"].strip() == str(unit_scan["out"] / "report.html")


def test_unit_scan_records_and_reports_its_scope(unit_scan):
    engine = storage.connect(str(unit_scan["db"]), create=False)
    records = history.history_records(engine)
    engine.dispose()
    assert len(records) == 1 and records[0]["scope"] == f"单位:{UNIT}" and records[0]["scope_unit"] == UNIT
    html = (unit_scan["out"] / "report.html").read_text(encoding="utf-8")
    assert f"检查范围：仅{UNIT}" in html


def test_unit_scan_reports_only_that_unit(unit_scan, sim):
    doc, unit_of = unit_scan["doc"], _unit_of(sim)
    assert doc["scope"]["unit"] == UNIT
    findings = [f for f in doc["findings"] if f["check"] not in ("broken_link", "link_inconclusive")]
    assert findings, "the simulated 区教体局 has defects"
    assert {f["unit"] for f in findings} == {UNIT}
    outside = [f["url"] for f in findings if f["url"] in unit_of and unit_of[f["url"]] != UNIT]
    assert not outside, outside[:5]
    # every defect the simulator planted in this unit's columns and documents is found
    planted = {(d["check"], d["url"], d.get("field") or "") for d in sim.manifest["defects"]
               if unit_of.get(d["url"]) == UNIT and d["check"] in ("empty_column", "stale_column",
                                                                   "missing_element")}
    found = {(f["check"], f["url"], f.get("field") or "") for f in doc["findings"]}
    assert planted <= found, sorted(planted - found)[:10]


def test_rescanning_unchanged_content_keeps_every_finding_identity(unit_scan, sim, tmp_path):
    """Two crawls of the same content: nothing new, nothing fixed — keys are stable across scans."""
    db = tmp_path / "govaudit.db"
    shutil.copy(unit_scan["db"], db)
    result = run_cli("-q", "scan", "--profile", sim.profile(), "--unit", UNIT, "--db", db,
                     "--out", tmp_path / "r", "--as-of", AS_OF, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    engine = storage.connect(str(db), create=False)
    latest = history.history_records(engine)[0]["id"]
    previous = scans.previous_scan_id(engine, latest)
    counts = comparison.compare_counts(comparison.compare(engine, latest, previous))
    engine.dispose()
    assert counts == {"new": 0, "fixed": 0, "open": len(unit_scan["doc"]["findings"])}


def test_column_scan_reports_only_that_column(sim, tmp_path):
    stale = next(d for d in sim.manifest["defects"] if d["check"] == "stale_column")
    out = tmp_path / "report"
    result = run_cli("-q", "scan", "--profile", sim.profile(), "--column", stale["url"],
                     "--db", tmp_path / "g.db", "--out", out, "--as-of", AS_OF, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    keys = {(f["check"], f["url"]) for f in doc["findings"]}
    assert ("stale_column", stale["url"]) in keys
    column_findings = [f for f in doc["findings"] if f["check"] in ("empty_column", "stale_column")]
    assert {f["url"] for f in column_findings} == {stale["url"]}
    assert "检查范围" in (out / "report.html").read_text(encoding="utf-8")
    engine = storage.connect(str(tmp_path / "g.db"), create=False)
    assert history.history_records(engine)[0]["scope"] == f"栏目:{stale['url']}"
    engine.dispose()


# ---- failures: one line, documented exit code ----------------------------------------------------

def test_unknown_unit_is_usage_error(sim, tmp_path):
    result = run_cli("scan", "--profile", sim.profile(), "--unit", "不存在的局", "--db", tmp_path / "g.db",
                     "--out", tmp_path / "r", timeout=300)
    assert_one_line_error(result, 2, "不存在的局")


def test_unreachable_start_url_is_exit_4(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/"
    result = run_cli("scan", "--start-url", url, "--db", tmp_path / "g.db", "--out", tmp_path / "r",
                     timeout=300)
    assert_one_line_error(result, 4, url)


SCRIPT_RENDERED_HOMEPAGE = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>某区人民政府</title>"
                            "<script src='/static/js/app.js'></script></head><body><noscript>请开启JavaScript"
                            "</noscript><div id='app'></div></body></html>")
CHALLENGE_HOMEPAGE = ("<html><head><script>document.cookie='__jsl_clearance=1607;path=/';"
                      "location.reload();</script></head><body></body></html>")


def scan_one_page(tmp_path, body: str):
    site = FixtureSite({"/": Answer(body)})
    try:
        return site.url, run_cli("scan", "--start-url", site.url, "--db", tmp_path / "g.db",
                                 "--out", tmp_path / "r", timeout=300)
    finally:
        site.stop()


def test_a_script_rendered_homepage_is_unassessable_never_passed(tmp_path):
    """A Vue/React homepage (an empty mount element, <script src>) opens in a browser; govaudit runs
    no script, reads nothing there, and must say 无法评价, not 合格."""
    _, result = scan_one_page(tmp_path, SCRIPT_RENDERED_HOMEPAGE)
    assert result.returncode == 8, (result.returncode, result.stderr[-2000:])
    assert "无法评价" in result.stderr and "未读取到任何栏目" in result.stderr and "Traceback" not in result.stderr


def test_a_challenge_homepage_says_why_in_one_chinese_line(tmp_path):
    """A WAF's check page (an inline script sets a cookie and reloads) as the start page: exit 4, and
    the line says it is the site's protection to whitelist, not 'JS challenge page (anti-bot)'."""
    url, result = scan_one_page(tmp_path, CHALLENGE_HOMEPAGE)
    assert_one_line_error(result, 4, url, "网站防护的验证页面", "放行")
    assert "(anti-bot), not judged" not in result.stderr


@pytest.mark.parametrize("argv", [
    ("scan", "--start-url", "http://127.0.0.1:9/", "--as-of", "2023-02-30"),
    ("scan", "--start-url", "http://127.0.0.1:9/", "--as-of", "30/11/2023"),
    ("-q", "schedule", "run", "--start-url", "http://127.0.0.1:9/", "--as-of", "2023-11"),
])
def test_bad_date_is_usage_error(argv, tmp_path):
    result = run_cli(*argv, "--db", tmp_path / "g.db", timeout=60)
    assert_one_line_error(result, 2, "YYYY-MM-DD")


MALFORMED_PROFILES = {
    "unknown_key.yaml": "start_urls: [http://127.0.0.1:9/]\npoliteness:\n  concurency: 2\n",
    "not_yaml.yaml": "start_urls: [http://127.0.0.1:9/\n  : : :\n",
    "no_start.yaml": "site_name: 某区人民政府\n",
}


@pytest.mark.parametrize("name", sorted(MALFORMED_PROFILES))
def test_malformed_profile_is_exit_3(name, tmp_path):
    profile = tmp_path / name
    profile.write_text(MALFORMED_PROFILES[name], encoding="utf-8")
    result = run_cli("scan", "--profile", profile, "--db", tmp_path / "g.db", timeout=60)
    assert_one_line_error(result, 3, name)
    scheduled = run_cli("-q", "schedule", "run", "--profile", profile, "--output-root", tmp_path / "out",
                        timeout=60)
    assert_one_line_error(scheduled, 3, name)
    assert "failed (exit 3)" in (tmp_path / "out" / "schedule.log").read_text(encoding="utf-8")
    # the scheduler and the generated entries check the profile now, not at the first fire time
    for action in ("daemon", "crontab", "systemd"):
        refused = run_cli("schedule", action, "--profile", profile, "--output-root", tmp_path / "out",
                          timeout=60)
        assert_one_line_error(refused, 3, name)


def test_missing_profile_file_is_exit_3(tmp_path):
    result = run_cli("scan", "--profile", tmp_path / "absent.yaml", "--db", tmp_path / "g.db", timeout=60)
    assert_one_line_error(result, 3, "absent.yaml")


# ---- root only: a read-only database, a full disk -------------------------------------------------

def _mount_tmpfs(path: Path, size: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")


@pytest.fixture
def tmpfs(tmp_path):
    mounts = []

    def make(name: str, size: str) -> Path:
        path = tmp_path / name
        _mount_tmpfs(path, size)
        mounts.append(path)
        return path

    yield make
    for path in mounts:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def test_read_only_database_is_exit_5(tmpfs, tmp_path):
    mount = tmpfs("ro", "4m")
    storage.connect(str(mount / "govaudit.db")).dispose()
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
    result = run_cli("scan", "--start-url", "http://127.0.0.1:9/", "--db", mount / "govaudit.db",
                     "--out", tmp_path / "r", timeout=60)
    assert_one_line_error(result, 5, "database")


def _fill(mount: Path, leave: int) -> None:
    """Fill a tmpfs until only ``leave`` bytes are free."""
    st = os.statvfs(mount)
    free = st.f_bavail * st.f_frsize
    (mount / "filler").write_bytes(b"\0" * max(0, free - leave))


def test_full_disk_on_output_is_exit_6(sim, tmpfs, tmp_path):
    mount = tmpfs("full", "64k")
    _fill(mount, leave=8192)
    result = run_cli("-q", "scan", "--profile", sim.profile(), "--unit", UNIT, "--db", tmp_path / "g.db",
                     "--out", mount / "report", "--as-of", AS_OF, timeout=300)
    assert_one_line_error(result, 6, "cannot write")


def test_full_disk_under_a_scheduled_run_keeps_last_months_report(sim, tmpfs, tmp_path):
    """Exit 6; `latest` still shows the previous month, no half-written month stays, the log says why."""
    root = tmpfs("root", "128k")
    site_dir = root / f"127.0.0.1_{sim.port}"
    (site_dir / "2023-10").mkdir(parents=True)
    (site_dir / "2023-10" / "report.html").write_text("last month", encoding="utf-8")
    (site_dir / "latest").symlink_to("2023-10")
    _fill(root, leave=16384)
    result = run_cli("-q", "schedule", "run", "--profile", sim.profile(), "--output-root", root,
                     "--db", tmp_path / "g.db", "--as-of", AS_OF, "--max-pages", "60", timeout=300)
    assert_one_line_error(result, 6, "cannot write report")
    assert (site_dir / "latest" / "report.html").read_text(encoding="utf-8") == "last month"
    # the crawl is kept: `govaudit report --scan ID` can write the report once there is room
    # (stopped by its --max-pages cap, it is stored as incomplete)
    engine = storage.connect(str(tmp_path / "g.db"), create=False)
    assert [r["status"] for r in history.history_records(engine)] == ["incomplete"]
    engine.dispose()
    assert sorted(p.name for p in site_dir.iterdir()) == [".govaudit.lock", "2023-10", "latest"]
    (root / "filler").unlink()
    assert "failed (exit 6)" in (root / "schedule.log").read_text(encoding="utf-8")


def test_two_scheduled_runs_of_one_site_never_overlap(sim, tmp_path):
    """A second run started while the first is crawling exits 7 at once; the first completes."""
    root = tmp_path / "out"
    argv = [sys.executable, "-m", "govaudit.cli", "-q", "schedule", "run", "--profile", str(sim.profile()),
            "--output-root", str(root), "--as-of", AS_OF, "--max-pages", "80"]
    first = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        log = root / "schedule.log"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (log.exists() and "started (pid" in log.read_text()):
            time.sleep(0.1)
        second = run_cli(*argv[3:], timeout=120)
        out, err = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
    assert_one_line_error(second, 7, "another run holds the lock", f"pid {first.pid}")
    assert first.returncode == 0, err[-3000:]
    text = log.read_text(encoding="utf-8")
    assert "failed (exit 7)" in text and text.count("done in") == 1


def test_rescan_copies_unflagged_documents_and_recheck_all_asks_again(sim, unit_scan, tmp_path):
    """A second (unit) scan within the week copies the unchanged, unflagged documents and says so
    in the report; ``--recheck-all`` asks for every one of them again."""
    db = tmp_path / "govaudit.db"
    shutil.copy(unit_scan["db"], db)
    shutil.copytree(unit_scan["db"].parent / "httpcache", tmp_path / "httpcache")

    def rescan(*extra) -> dict:
        out = tmp_path / f"out{len(list(tmp_path.glob('out*')))}"
        result = run_cli("-q", "scan", "--profile", sim.profile(), "--unit", UNIT, "--db", db, "--out", out,
                         "--as-of", AS_OF, *extra, timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        engine = storage.connect(str(db), create=False)
        with engine.connect() as conn:
            stats = conn.execute(storage.scan.select().order_by(storage.scan.c.id.desc())).mappings().first()["stats"]
        engine.dispose()
        return {"stats": stats, "html": (out / "report.html").read_text(encoding="utf-8"),
                "doc": json.loads((out / "findings.json").read_text(encoding="utf-8"))}

    quick = rescan()
    assert quick["stats"]["trusted_unchanged"] > 0
    assert f"本次有{quick['stats']['trusted_unchanged']}篇文件所在列表页" in quick["html"]
    full = rescan("--recheck-all")
    assert full["stats"]["trusted_unchanged"] == 0 and full["stats"]["not_modified"] > 0
    assert "沿用上次核验结果" not in full["html"]
    keys = lambda doc: {f["key"] for f in doc["findings"]}  # noqa: E731
    assert keys(quick["doc"]) == keys(full["doc"]) == keys(unit_scan["doc"])
