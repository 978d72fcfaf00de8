"""write_reports against stored snapshots: the four files, their agreement with findings.json,
month-over-month comparison, and one-line output errors."""
from __future__ import annotations

import datetime as dt
import errno
import json
import os
from collections import Counter

import pytest
from bs4 import BeautifulSoup
from docx import Document

from govaudit.core.errors import EXIT_OUTPUT, EXIT_USAGE, GovauditError
from govaudit.report import build_report, write_reports
from govaudit.report.frame import category_of

from .report_builders import (SCAN_DATES, START_URL, add_scan, build_history, findings_document, findings_in,
                              store_audit, unit_of)

SECTIONS = {"overview": "总体情况", "problems": "主要问题", "units": "各单位情况", "list": "问题清单",
            "tasks": "任务分工对照", "compare": "与上次检查对比"}


def _soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def test_writes_the_four_files_and_findings_json_exactly_as_given(written):
    paths, docs, _ = written
    doc = docs[-1]
    assert set(paths) == {"report.html", "findings.json", "findings.xlsx", "通报.docx"}
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths.values())
    text = paths["findings.json"].read_text(encoding="utf-8")
    assert json.loads(text) == doc
    assert "区教体局" in text and "\\u" not in text  # UTF-8, not ASCII escapes
    assert not [p for p in paths["report.html"].parent.iterdir() if p.name.endswith(".tmp")]
    umask = os.umask(0)
    os.umask(umask)
    assert all(p.stat().st_mode & 0o777 == 0o666 & ~umask for p in paths.values())  # as any new file


def test_report_has_every_section_and_one_row_per_finding(written):
    paths, docs, _ = written
    doc = docs[-1]
    soup = _soup(paths["report.html"])
    for section_id, heading in SECTIONS.items():
        section = soup.find("section", id=section_id)
        assert section is not None and heading in section.h2.get_text()
    rows = soup.select("#finding-table tbody tr")
    assert len(rows) == len(doc["findings"])
    listed = Counter((r["data-unit"], r.select("td")[4].get_text(" ", strip=True).split(" http")[0]) for r in rows)
    for f in doc["findings"]:
        assert any(unit == unit_of(f) and f["message"] in msg for (unit, msg) in listed)
    assert soup.title.get_text() == "关于2023年11月全区政府网站政务公开检查情况的通报"


def test_report_is_self_contained(written):
    paths, _, _ = written
    soup = _soup(paths["report.html"])
    assert not soup.find_all("link")
    assert all(not s.get("src") for s in soup.find_all("script"))
    assert not soup.find_all(["img", "iframe", "object", "embed"])
    assert "@page" in soup.style.get_text() and "A4" in soup.style.get_text()
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp


def test_main_problems_read_like_a_notice(written):
    paths, docs, _ = written
    doc = docs[-1]
    text = _soup(paths["report.html"]).find("section", id="problems").get_text("", strip=True)
    by_check = Counter(f["check"] for f in doc["findings"])
    assert f"经检测，共发现空白栏目{by_check['empty_column']}个" in text
    assert f"共发现更新不及时栏目{by_check['stale_column']}个" in text
    assert "最近更新于2023-04-12，超过半年未更新" in text
    assert "最近更新于2023-10-20，超过两周未更新" in text
    missing_docs = len({f["url"] for f in doc["findings"] if f["check"] == "missing_element"})
    assert f"{missing_docs}篇文件要素不全（缺少" in text
    broken = [f for f in doc["findings"] if f["check"] == "broken_link"]
    home = sum(bool(f["evidence"].get("on_homepage")) for f in broken)
    assert f"首页不可用链接{home}条、其他页面不可用链接{len(broken) - home}条" in text
    assert f"{by_check['missing_interpretation']}篇政策文件未关联政策解读" in text
    assert "1篇解读未关联政策原文" in text
    assert "解读发布不及时（超过3个工作日）1篇" in text


def test_overview_states_scope_of_the_check_verdict_and_estimate(written):
    paths, docs, _ = written
    doc = docs[-1]
    text = _soup(paths["report.html"]).find("section", id="overview").get_text("", strip=True)
    inv = doc["inventory"]
    assert f"共检查单位{inv['units']}个、栏目{inv['columns']}个、文件{inv['documents']}篇" in text
    assert f"检测链接{inv['links_checked']}条" in text
    assert f"共发现问题{len(doc['findings'])}条" in text
    assert doc["verdict"]["result"] in text and doc["verdict"]["vetoes"][0] in text
    assert "估算" in text and "合格线60分" in text and f"{doc['verdict']['score_estimate']:.1f}" in text
    assert "2023年11月30日" in text


def test_per_unit_table_matches_findings(written):
    paths, docs, _ = written
    doc = docs[-1]
    soup = _soup(paths["report.html"])
    expected = Counter(unit_of(f) for f in doc["findings"])
    rows = soup.select("#units table.units tbody tr")
    got = {r.select("td")[1].get_text(strip=True): int(r.select("td")[-1].get_text(strip=True)) for r in rows}
    assert got == dict(expected)
    totals = [int(r.select("td")[-1].get_text()) for r in rows]
    assert totals == sorted(totals, reverse=True)
    bars = soup.select("#units svg.chart-units g.unit-bar")
    assert [b["data-filter-unit"] for b in bars] == list(got)
    # Columns are the 主要问题 categories, and their totals agree with the overview's sentence.
    heads = [th.get_text() for th in soup.select("#units table.units thead th")][2:-1]
    totals = [int(td.get_text()) for td in soup.select("#units table.units tfoot td")[2:-1]]
    by_category = Counter(category_of(f["check"]) for f in doc["findings"])
    assert dict(zip(heads, totals)) == dict(by_category)
    overview = soup.find("section", id="overview").get_text("", strip=True)
    assert all(f"{title}{n}条" in overview for title, n in by_category.items())


def test_comparison_with_previous_scan_by_key(history, tmp_path):
    engine, ids, docs = history
    report = build_report(engine, ids[-1], docs[-1])
    before = {f["key"] for f in docs[-2]["findings"]}
    now = {f["key"] for f in docs[-1]["findings"]}
    c = report.comparison
    assert c.base_id == ids[-2]
    assert set(c.new["key"]) == now - before
    assert set(c.fixed["key"]) == before - now
    assert set(c.still_open["key"]) == now & before
    statuses = dict(zip(report.findings["key"], report.findings["status"]))
    assert {k for k, s in statuses.items() if s == "新发现"} == now - before
    assert {k for k, s in statuses.items() if s == "仍未整改"} == now & before
    assert report.trend.scan_ids == ids
    assert report.trend.series["问题总数"] == [len(d["findings"]) for d in docs]


def test_compare_to_an_explicit_scan(history, tmp_path):
    engine, ids, docs = history
    paths = write_reports(engine, ids[-1], tmp_path / "out", findings_doc=docs[-1], compare_to=ids[0])
    first = {f["key"] for f in docs[0]["findings"]}
    now = {f["key"] for f in docs[-1]["findings"]}
    text = _soup(paths["report.html"]).find("section", id="compare").get_text("", strip=True)
    assert f"本次新发现问题{len(now - first)}条，已整改{len(first - now)}条，仍未整改{len(now & first)}条" in text
    assert f"#{ids[0]}" in text
    fixed_rows = _soup(paths["report.html"]).select("#compare details tbody tr")
    assert len(fixed_rows) == len(first - now)


def test_first_scan_has_no_comparison(engine, tmp_path):
    ids, docs = build_history(engine, months=(0,))
    paths = write_reports(engine, ids[0], tmp_path / "out", findings_doc=docs[0])
    soup = _soup(paths["report.html"])
    assert "暂无可对比的历史数据" in soup.find("section", id="compare").get_text()
    assert not soup.select("svg.chart-trend")
    assert {r["data-status"] for r in soup.select("#finding-table tbody tr")} == {"待整改"}


def test_previous_scan_is_same_site_same_scope_complete_and_audited(engine):
    ids, docs = build_history(engine, months=(0, 1))
    # Scans that must not be taken as "the previous one": another scope, failed, unaudited, other site.
    unit_scan = add_scan(engine, "2023-11-10", scope_unit="区教体局")
    store_audit(engine, unit_scan, findings_document(unit_scan, "2023-11-10", []))
    failed = add_scan(engine, "2023-11-15", status="failed")
    store_audit(engine, failed, findings_document(failed, "2023-11-15", []))
    add_scan(engine, "2023-11-20")
    other = add_scan(engine, "2023-11-21", start_url="http://www.jinan.gov.cn/")
    store_audit(engine, other, findings_document(other, "2023-11-21", [], start_url="http://www.jinan.gov.cn/"))
    current = add_scan(engine, SCAN_DATES[2])
    doc = findings_document(current, SCAN_DATES[2], findings_in(2))
    report = build_report(engine, current, doc)
    assert report.comparison.base_id == ids[1]
    assert report.trend.scan_ids == [ids[0], ids[1], current]


def test_compare_to_errors_are_one_line(history, tmp_path):
    engine, ids, docs = history
    for bad in (999, ids[-1]):
        with pytest.raises(GovauditError) as err:
            write_reports(engine, ids[-1], tmp_path / "o", findings_doc=docs[-1], compare_to=bad)
        assert err.value.code == EXIT_USAGE and "\n" not in err.value.message
    unaudited = add_scan(engine, "2023-08-31")
    with pytest.raises(GovauditError) as err:
        write_reports(engine, ids[-1], tmp_path / "o", findings_doc=docs[-1], compare_to=unaudited)
    assert err.value.code == EXIT_USAGE


def test_compare_to_a_later_scan_is_refused(history, tmp_path):
    engine, ids, docs = history
    with pytest.raises(GovauditError) as err:
        write_reports(engine, ids[0], tmp_path / "o", findings_doc=docs[0], compare_to=ids[-1])
    assert err.value.code == EXIT_USAGE and "earlier than" in err.value.message


def test_unwritable_output_is_exit_6(history, tmp_path):
    engine, ids, docs = history
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(GovauditError) as err:
        write_reports(engine, ids[-1], blocker / "out", findings_doc=docs[-1])
    assert err.value.code == EXIT_OUTPUT and "\n" not in err.value.message


def test_disk_full_is_exit_6_and_leaves_no_partial_file(history, tmp_path, monkeypatch):
    engine, ids, docs = history
    out = tmp_path / "out"
    real_replace = os.replace

    def full_disk(src, dst):
        if str(dst).endswith("findings.xlsx"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(GovauditError) as err:
        write_reports(engine, ids[-1], out, findings_doc=docs[-1])
    assert err.value.code == EXIT_OUTPUT
    assert "磁盘空间不足" in err.value.message and "findings.xlsx" in err.value.message
    assert not (out / "findings.xlsx").exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_malformed_as_of_in_document_is_one_line(history, tmp_path):
    engine, ids, docs = history
    doc = dict(docs[-1], as_of="2023-13-45")
    with pytest.raises(GovauditError) as err:
        write_reports(engine, ids[-1], tmp_path / "o", findings_doc=doc)
    assert err.value.code == EXIT_USAGE and "2023-13-45" in err.value.message


def test_scope_restricted_scan_says_so(engine, tmp_path):
    scan_id = add_scan(engine, "2023-11-30", scope_unit="区教体局")
    findings = [f for f in findings_in(2) if f["unit"] == "区教体局"]
    doc = findings_document(scan_id, "2023-11-30", findings, scope={"unit": "区教体局"})
    store_audit(engine, scan_id, doc)
    paths = write_reports(engine, scan_id, tmp_path / "out", findings_doc=doc)
    soup = _soup(paths["report.html"])
    assert "区教体局政府网站政务公开检查情况的通报" in soup.title.get_text()
    assert "检查范围：仅区教体局" in soup.header.get_text()


def test_empty_findings_still_make_a_report(engine, tmp_path):
    scan_id = add_scan(engine, "2023-11-30")
    doc = findings_document(scan_id, "2023-11-30", [])
    paths = write_reports(engine, scan_id, tmp_path / "out", findings_doc=doc)
    soup = _soup(paths["report.html"])
    assert "本次未发现问题" in soup.find("section", id="problems").get_text()
    assert "合格" in soup.find("section", id="overview").get_text()
    assert not soup.select("#finding-table tbody tr")


def test_deduction_estimate_is_itemised(written):
    paths, docs, _ = written
    parts = docs[-1]["verdict"]["deductions"]
    rows = _soup(paths["report.html"]).select("#overview table.deductions tbody tr")
    got = {r.select("td")[0].get_text(): float(r.select("td")[-1].get_text()) for r in rows}
    assert got["首页不可用链接"] == next(p["points"] for p in parts if p["indicator"] == "broken_link_homepage")
    assert len(got) == len(parts)
    assert "合计（估算）" in _soup(paths["report.html"]).select_one("#overview table.deductions tfoot").get_text()


def test_task_table_names_responsible_units_and_deadlines(written):
    from audits.tasks import table

    paths, docs, _ = written
    rows = _soup(paths["report.html"]).select("#tasks table.tasks tbody tr")
    by_no = {r.select("td")[0].get_text(strip=True): r for r in rows}
    cited = sorted({t for f in docs[-1]["findings"] for t in f["tasks"]})
    assert [int(n) for n in by_no if n.isdigit()] == cited
    official = table()
    for number in cited:
        cells = [c.get_text(" ", strip=True) for c in by_no[str(number)].select("td")]
        assert official[number]["requirement"][:20] in cells[1]
        assert cells[2] == official[number]["units_text"]
        assert cells[3].startswith(official[number]["deadline"])
        tied = [f for f in docs[-1]["findings"] if number in f["tasks"]]
        assert int(cells[4]) == len(tied)
    assert "未对应要点任务" in by_no["—"].get_text()


def test_task_rows_of_the_document_win_and_overdue_tasks_are_flagged(history, tmp_path):
    engine, ids, docs = history
    doc = dict(docs[-1], tasks={"33": {"section": "四、提升工作标准", "task": "（二）推进政府网站规范有序发展",
                                       "requirement": "按要求及时更新，避免出现栏目空白等问题。",
                                       "units_text": "各部门（单位）、各镇街", "deadline": "2023年10月底前"}})
    report = build_report(engine, ids[-1], doc)
    task = next(t for t in report.tasks if t["no"] == 33)
    assert task["deadline"] == "2023年10月底前" and task["overdue"]
    assert not next(t for t in report.tasks if t["no"] == 20)["overdue"]  # 2023年12月底前 vs 2023-11-30


def test_report_verb_renders_a_stored_scan(history, tmp_path):
    """`govaudit report` reads the findings back from the database (no findings_doc given)."""
    import subprocess
    import sys

    from audits.runner import load_findings_document

    engine, ids, docs = history
    db = engine.url.database
    out = tmp_path / "cli"
    r = subprocess.run([sys.executable, "-m", "govaudit.cli", "report", "--db", db, "--scan", str(ids[-1]),
                        "--compare-to", str(ids[0]), "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(out / "report.html")
    assert json.loads((out / "findings.json").read_text(encoding="utf-8")) == load_findings_document(engine, ids[-1])
    soup = _soup(out / "report.html")
    assert len(soup.select("#finding-table tbody tr")) == len(docs[-1]["findings"])
    assert f"#{ids[0]}" in soup.find("section", id="compare").get_text()

    assert " INFO " in r.stderr                         # progress is logged …
    nested = subprocess.run([sys.executable, "-m", "govaudit.cli", "-q", "report", "--db", db, "--scan", str(ids[-1]),
                             "--out", str(tmp_path / "f" / "x")], capture_output=True, text=True, timeout=120)
    assert nested.returncode == 0 and (tmp_path / "f" / "x" / "通报.docx").is_file()
    assert nested.stderr == ""                          # … but not with -q (cron mails stderr)
    (tmp_path / "blocker").write_text("")
    fail = subprocess.run([sys.executable, "-m", "govaudit.cli", "report", "--db", db, "--out",
                           str(tmp_path / "blocker" / "out")], capture_output=True, text=True, timeout=120)
    assert fail.returncode == EXIT_OUTPUT and "Traceback" not in fail.stderr
    assert len(fail.stderr.strip().splitlines()) == 1


def test_settings_from_the_scans_profile(engine):
    profile = {"start_urls": [START_URL], "report": {"rectification_working_days": 5, "issuer": "章丘区政务公开办公室",
                                                  "unknown_key": 1}}
    scan_id = add_scan(engine, "2023-11-30", profile=profile)
    report = build_report(engine, scan_id, findings_document(scan_id, "2023-11-30", findings_in(2)))
    assert report.deadline == dt.date(2023, 12, 7)   # 5 working days after Thursday 2023-11-30
    assert report.issuer == "章丘区政务公开办公室"
    assert "unknown_key" not in report.settings


def test_rules_that_failed_are_named(history, tmp_path):
    engine, ids, docs = history
    doc = dict(docs[-1], rule_errors={"stale_column": "KeyError: 'x'", "privacy_leak": "ValueError: y"})
    paths = write_reports(engine, ids[-1], tmp_path / "out", findings_doc=doc)
    warning = _soup(paths["report.html"]).select_one("#overview p.warn").get_text()
    assert "栏目更新不及时" in warning and "泄露个人隐私" in warning and "不完整" in warning
    notice = "\n".join(p.text for p in Document(paths["通报.docx"]).paragraphs)
    assert "栏目更新不及时、泄露个人隐私等检查项本次未能完成" in notice


def test_documents_copied_without_asking_are_disclosed(engine, tmp_path):
    """A re-scan that copied unflagged documents of unchanged lists says so in the overview."""
    from sqlalchemy import update

    from govaudit.core import storage

    scan_id = add_scan(engine, "2023-11-30")
    with engine.begin() as conn:
        conn.execute(update(storage.scan).where(storage.scan.c.id == scan_id).values(
            stats={"pages": 900, "trusted_unchanged": 734, "recheck_window_days": 7}))
    doc = findings_document(scan_id, "2023-11-30", findings_in(2))
    overview = _soup(write_reports(engine, scan_id, tmp_path / "out", findings_doc=doc)["report.html"]) \
        .find("section", id="overview").get_text()
    assert "本次有734篇文件所在列表页自上次检查以来未变化" in overview
    assert "7日内已核验" in overview
    plain = add_scan(engine, "2023-12-31")
    doc = findings_document(plain, "2023-12-31", findings_in(2))
    overview = _soup(write_reports(engine, plain, tmp_path / "out2", findings_doc=doc)["report.html"]) \
        .find("section", id="overview").get_text()
    assert "沿用上次核验结果" not in overview


def test_overview_says_once_which_links_the_scanner_could_not_verify(history, tmp_path):
    """Links whose name lookup failed where no lookup worked are no findings: the overview
    counts them in one sentence, so a scan on a network without DNS is not silent about them."""
    engine, ids, docs = history
    doc = dict(docs[-1], inventory=dict(docs[-1]["inventory"], links_unverified=7))
    paths = write_reports(engine, ids[-1], tmp_path / "out", findings_doc=doc)
    text = _soup(paths["report.html"]).find("section", id="overview").get_text("", strip=True)
    assert "其中7条外部链接因检查所在网络无法解析域名，未能核实能否访问，未计入问题" in text
    notice = "\n".join(p.text for p in Document(paths["通报.docx"]).paragraphs)
    assert "检测的链接中有7条外部链接因检查所在网络无法解析域名" in notice
    plain = _soup(write_reports(engine, ids[-1], tmp_path / "plain", findings_doc=docs[-1])["report.html"])
    assert "无法解析域名" not in plain.find("section", id="overview").get_text("", strip=True)


def test_overview_owns_up_to_the_attachments_it_could_not_read(history, tmp_path):
    """A 名单 in a zip, a .et, a file over the size cap: its content was never checked for 身份证号.
    A 合格 must not be read as covering them, so the overview and the 通报 say how many there were."""
    engine, ids, docs = history
    doc = dict(docs[-1], inventory=dict(docs[-1]["inventory"], attachments=17, attachments_not_read=5))
    paths = write_reports(engine, ids[-1], tmp_path / "out", findings_doc=doc)
    said = "另有5个附件因格式暂不支持、文件过大或下载失败等原因未能读取内容，其中是否含有个人隐私等问题未作检查"
    assert said in _soup(paths["report.html"]).find("section", id="overview").get_text("", strip=True)
    assert said in "\n".join(p.text for p in Document(paths["通报.docx"]).paragraphs)
    plain = write_reports(engine, ids[-1], tmp_path / "plain", findings_doc=docs[-1])
    assert "未能读取内容" not in _soup(plain["report.html"]).get_text()
    # Files inside a zip that was read count too: a nested archive or a scan in it was not checked.
    doc = dict(docs[-1], inventory=dict(docs[-1]["inventory"], attachments_not_read=5, archive_members_not_read=3))
    paths = write_reports(engine, ids[-1], tmp_path / "members", findings_doc=doc)
    assert "另有5个附件、压缩包内3个文件因格式暂不支持" in _soup(paths["report.html"]).get_text("", strip=True)


def test_a_county_sites_report_names_the_county_office(engine, tmp_path):
    # A 县 site scanned without a profile: its 通报 is the county's, not a 区's (全县, 县政务公开办公室).
    scan_id = add_scan(engine, "2023-11-30")
    doc = dict(findings_document(scan_id, "2023-11-30", findings_in(2)), site="云溪县人民政府")
    store_audit(engine, scan_id, doc)
    report = build_report(engine, scan_id, doc)
    assert (report.region, report.inspector) == ("全县", "县政务公开办公室")
    assert report.addressee == "各镇人民政府、街道办事处，县政府各部门（单位）："
    paths = write_reports(engine, scan_id, tmp_path / "out", findings_doc=doc)
    text = _soup(paths["report.html"]).get_text()
    assert "县政务公开办公室于" in text and "区政务公开办公室" not in text
    notice = "\n".join(p.text for p in Document(paths["通报.docx"]).paragraphs)
    assert "县政府各部门" in notice and "县政务公开办公室于" in notice and "区政务公开办公室" not in notice
    # a profile's own words still win
    assert build_report(engine, add_scan(engine, "2023-11-30", profile={
        "start_urls": [START_URL], "report": {"inspector": "章丘区政务公开办公室"}}), doc).inspector == "章丘区政务公开办公室"


def test_rectification_asks_for_what_was_found_and_names_personal_data(history, tmp_path):
    """整改要求 names the problems this report found (a 身份证号 leak: take it down), not a fixed
    list of problems the site may not have."""
    engine, ids, docs = history
    leak = {**docs[-1]["findings"][0], "check": "privacy_leak", "key": "privacy_leak|http://x/1|",
            "message": "页面含有身份证号", "field": None, "evidence": {}}
    for name, findings in (("leak", [leak]), ("none", [])):
        doc = dict(docs[-1], findings=findings, counts=dict(Counter(f["check"] for f in findings)))
        paths = write_reports(engine, ids[-1], tmp_path / name, findings_doc=doc)
        html = _soup(paths["report.html"]).find("section", id="rectify").get_text("", strip=True)
        notice = "\n".join(p.text for p in Document(paths["通报.docx"]).paragraphs)
        for text in (html, notice):
            assert ("个人信息的页面和附件应立即撤下" in text) is (name == "leak")
            assert "空白栏目应及时补充内容" not in text, "no blank column was found"
            assert "三审三校" in text
    full = _soup(write_reports(engine, ids[-1], tmp_path / "full", findings_doc=docs[-1])["report.html"])
    assert "空白栏目应及时补充内容" in full.find("section", id="rectify").get_text("", strip=True)


def test_the_deadline_follows_the_scan_when_the_audit_is_as_of_an_earlier_day(engine):
    """A scan of 2026-12-04 audited as of 2023-11-30: its problems were found on the day of the
    scan, so 整改时限 counts from then, never before the day they were found."""
    scan_id = add_scan(engine, "2026-12-04")
    doc = findings_document(scan_id, "2023-11-30", findings_in(2))
    store_audit(engine, scan_id, doc)
    report = build_report(engine, scan_id, doc)
    assert report.as_of == dt.date(2023, 11, 30) and report.deadline > dt.date(2026, 12, 4)
    assert set(report.findings["deadline"]) == {report.deadline.isoformat()}
