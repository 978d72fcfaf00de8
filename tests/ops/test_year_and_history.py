"""The 要点 task table of the report's year, and what `govaudit history` shows (check names as
the report names them, local times with the zone, the as-of date) — on a real scan of the
simulated site."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from govaudit import history
from govaudit.core import storage

from .helpers import AS_OF, add_scan, assert_one_line_error, project_root, run_cli

SHANGHAI = {"TZ": "Asia/Shanghai"}


@pytest.fixture
def scanned(unit_scan):
    """The session's `govaudit scan --unit 区教体局` of the small site (tests/ops/conftest.py)."""
    return unit_scan


@pytest.fixture
def db_copy(scanned, tmp_path):
    """A copy of the scanned database, free to re-audit."""
    copy = tmp_path / "copy.db"
    shutil.copy(scanned["db"], copy)
    return copy


def _soup(out):
    return BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "lxml")


def _notice_text(out) -> str:
    return "\n".join(p.text for p in Document(str(out / "通报.docx")).paragraphs)


def _summary_text(out) -> str:
    sheet = load_workbook(out / "findings.xlsx")["汇总"]
    return "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


# ---- item 8: the 要点 task table of the report's year ----------------------------------------------

def test_a_2023_report_shows_the_2023_table(scanned):
    doc = scanned["doc"]
    assert doc["task_table"]["year"] == 2023
    section = _soup(scanned["out"]).find("section", id="tasks")
    assert "对照2023年政务公开工作要点" in section.get_text()
    numbers = [r.select("td")[0].get_text(strip=True) for r in section.select("table.tasks tbody tr")]
    assert sorted(int(n) for n in numbers if n.isdigit()) == sorted(int(n) for n in doc["tasks"])
    assert "2023年12月底前" in section.get_text()


def test_a_2026_report_without_a_2026_table_leaves_the_section_out(db_copy, tmp_path):
    out = tmp_path / "r2026"
    result = run_cli("audit", "--db", db_copy, "--scan", "1", "--as-of", "2026-11-30", "--out", out, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    sentence = "未配置2026年政务公开工作要点任务分工表，本节从略。"
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert doc["task_table"] is None and doc["tasks"] == {}
    assert doc["findings"] and all(f["tasks"] == [] for f in doc["findings"])
    html = (out / "report.html").read_text(encoding="utf-8")
    section = _soup(out).find("section", id="tasks")
    assert section.get_text(" ", strip=True).endswith(sentence)
    assert not section.select("table")
    assert "2023年12月底前" not in html and "已过完成时限" not in html
    assert sentence in _summary_text(out)
    assert "2023年12月底前" not in _notice_text(out)
    # rendered again from the database, the report says the same
    again = tmp_path / "again"
    result = run_cli("report", "--db", db_copy, "--scan", "1", "--out", again, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert sentence in _soup(again).find("section", id="tasks").get_text()


def _table_2026(path):
    path.write_text(
        "source: 济南市章丘区人民政府办公室《关于印发2026年政务公开工作要点的通知》附件\n"
        "year: 2026\n"
        "tasks:\n"
        "- no: 1\n"
        "  section: 一、提升政府网站建设管理水平\n"
        "  task: （一）加强栏目内容保障\n"
        "  requirement: 及时更新栏目内容，杜绝空白栏目和长期不更新栏目。\n"
        "  units: [各部门（单位）, 各镇街]\n"
        "  deadline: 2026年12月底前\n"
        "  checks: [empty_column, stale_column]\n"
        "- no: 2\n"
        "  task: （二）规范政策文件发布\n"
        "  requirement: 规范标注文件要素。\n"
        "  units_text: 各部门（单位）\n"
        "  deadline: 2026年6月底前\n"
        "  checks: [missing_element, invalid_element]\n"
        "- no: 3\n"
        "  task: （三）做好政府信息公开年度报告\n"
        "  deadline: 2026年1月31日前\n"
        "  requirement: 按时发布年度报告。\n",
        encoding="utf-8")
    return path


def test_a_profile_supplied_2026_table_is_used(sim, db_copy, tmp_path):
    tables = tmp_path / "tables"
    tables.mkdir()
    _table_2026(tables / "yaodian_2026.yaml")
    profile = tmp_path / "site.yaml"
    profile.write_text(sim.profile().read_text(encoding="utf-8") + "task_tables: [tables/yaodian_2026.yaml]\n",
                       encoding="utf-8")
    out = tmp_path / "r2026"
    result = run_cli("audit", "--db", db_copy, "--scan", "1", "--as-of", "2026-11-30", "--profile", profile,
                     "--out", out, timeout=300, cwd=project_root())
    assert result.returncode == 0, result.stderr[-2000:]
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert doc["task_table"]["year"] == 2026 and "2026年" in doc["task_table"]["source"]
    expected = {1: {"empty_column", "stale_column"}, 2: {"missing_element", "invalid_element"}}
    for f in doc["findings"]:
        assert f["tasks"] == [n for n, checks in expected.items() if f["check"] in checks], f
    section = _soup(out).find("section", id="tasks")
    assert "对照2026年政务公开工作要点" in section.get_text()
    rows = {r.select("td")[0].get_text(strip=True): [c.get_text(" ", strip=True) for c in r.select("td")]
            for r in section.select("table.tasks tbody tr")}
    for number, checks in expected.items():
        tied = [f for f in doc["findings"] if f["check"] in checks]
        if tied:
            assert int(rows[str(number)][4]) == len(tied)
    assert rows["1"][2] == "各部门（单位）、各镇街" and rows["1"][3].startswith("2026年12月底前")
    assert "已过完成时限" not in rows["1"][3]            # 2026-12-31 is after the as-of date
    assert "已过完成时限" in rows["2"][3]                  # 2026-06-30 is before it
    assert "2023年12月底前" not in (out / "report.html").read_text(encoding="utf-8")


def test_a_bad_task_table_is_a_profile_error(sim, tmp_path):
    table = _table_2026(tmp_path / "t.yaml")
    table.write_text(table.read_text(encoding="utf-8").replace("missing_element", "missing_elemnt"),
                     encoding="utf-8")
    profile = tmp_path / "site.yaml"
    profile.write_text(sim.profile().read_text(encoding="utf-8") + "task_tables: [t.yaml]\n", encoding="utf-8")
    result = run_cli("scan", "--profile", profile, "--db", tmp_path / "g.db", timeout=120)
    assert_one_line_error(result, 3, "task_tables[0]", "missing_elemnt")


# ---- item 9: history names checks as the report does, shows local times and the as-of date ----------

def test_history_names_every_check_as_the_report_does(scanned, tmp_path):
    from audits.registry import all_rules
    from audits.runner import load_findings_document
    from govaudit.report import build_report

    engine = storage.connect(str(scanned["db"]), create=False)
    try:
        report = build_report(engine, 1, load_findings_document(engine, 1))
    finally:
        engine.dispose()
    names = history.check_names()
    for rule in all_rules():
        assert names[rule.id] == report.names[rule.id], rule.id
    result = run_cli("history", "--db", scanned["db"], timeout=60)
    assert result.returncode == 0, result.stderr
    table = re.sub(r"\s+", "", result.stdout.replace("│", ""))
    shown = dict(zip(report.findings["check"], report.findings["check_name"]))
    for check, count in scanned["doc"]["counts"].items():
        assert f"{shown[check]}{count}" in table, (check, shown[check])


def test_history_shows_local_time_with_zone_and_the_as_of_date(scanned):
    engine = storage.connect(str(scanned["db"]), create=False)
    try:
        with engine.connect() as conn:
            stored = conn.execute(select(storage.scan.c.started_at, storage.scan.c.finished_at)).first()
        add_scan(engine, "http://old.example/", [], started_at="2023-11-01T02:00:00+08:00")  # stored before UTC
    finally:
        engine.dispose()
    assert stored.started_at.endswith("+00:00") and stored.finished_at.endswith("+00:00")   # stored in UTC
    started_utc = dt.datetime.fromisoformat(stored.started_at)

    result = run_cli("history", "--db", scanned["db"], "--json", env=SHANGHAI, timeout=60)
    assert result.returncode == 0, result.stderr
    records = {r["id"]: r for r in json.loads(result.stdout)}
    scan = records[1]
    assert scan["as_of"] == AS_OF
    assert scan["started_at"].endswith("+08:00")
    assert dt.datetime.fromisoformat(scan["started_at"]) == started_utc
    assert records[2]["started_at"] == "2023-11-01T02:00:00+08:00"     # an old row reads as before

    table = run_cli("history", "--db", scanned["db"], env=SHANGHAI, timeout=60)
    assert table.returncode == 0, table.stderr
    local = started_utc.astimezone(dt.timezone(dt.timedelta(hours=8)))
    text = re.sub(r"\s+", " ", table.stdout.replace("│", " "))
    assert f"{local:%Y-%m-%d %H:%M}+08:00" in text
    assert "2023-11-01 02:00+08:00" in text
    assert "统计截止日期" in table.stdout and AS_OF in text
    utc = run_cli("history", "--db", scanned["db"], env={"TZ": "UTC"}, timeout=60)
    assert "2023-10-31 18:00+00:00" in re.sub(r"\s+", " ", utc.stdout.replace("│", " "))


LOG_AND_LOCK = """
import json, logging, sys
from pathlib import Path
from govaudit.core.errors import GovauditError
from govaudit.core.locking import site_lock
from govaudit.schedule.layout import file_logging

root = Path(sys.argv[1])
with file_logging(root, quiet=True):
    logging.getLogger("govaudit.test").info("hello from the log")
with site_lock(root / "site") as path:
    print(path.read_text())
    try:
        with site_lock(root / "site"):
            pass
    except GovauditError as exc:
        print(exc.message)
"""


def test_schedule_log_and_lock_show_local_time_with_zone(tmp_path):
    result = subprocess.run([sys.executable, "-c", LOG_AND_LOCK, str(tmp_path)], capture_output=True, text=True,
                            timeout=60, env={**__import__("os").environ, **SHANGHAI}, cwd=project_root())
    assert result.returncode == 0, result.stderr
    line = next(line for line in (tmp_path / "schedule.log").read_text(encoding="utf-8").splitlines()
                if "hello from the log" in line)
    assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\+08:00 \d+ INFO ", line), line
    content, message = result.stdout.strip().splitlines()
    lock = json.loads(content)
    assert lock["since"].endswith("+00:00") and lock["since_local"].endswith("+08:00")
    assert re.search(r"since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+08:00", message), message
