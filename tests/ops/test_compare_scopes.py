"""Comparing scans of different scopes, with real scans of the simulated site: a unit audit
compared with a whole-site scan compares that unit only; scopes that do not nest are refused."""
from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from docx import Document

from govaudit import history
from govaudit.core import comparison, storage
from govaudit.core.scans import previous_scan_id
from govaudit.core.errors import EXIT_USAGE, GovauditError

from .helpers import AS_OF, assert_one_line_error, cli_scan, run_cli

UNIT, OTHER_UNIT = "区教体局", "区民政局"


@pytest.fixture(scope="module")
def scans(sim, tmp_path_factory):
    """One database holding, in this order: a unit audit of 区教体局, a whole-site scan, a unit
    audit of 区民政局.  Returns the database path and the scan ids."""
    work = tmp_path_factory.mktemp("scopes")
    db = work / "govaudit.db"
    ids = {}
    for name, extra in (("unit", ["--unit", UNIT]), ("site", []), ("other", ["--unit", OTHER_UNIT])):
        cli_scan(sim, db, work / name, *extra, as_of=AS_OF)
        engine = storage.connect(str(db), create=False)
        ids[name] = max(r["id"] for r in history.history_records(engine))
        engine.dispose()
    return {"db": db, "work": work, **ids}


def _doc(out):
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def _report(scans, out, scan: str, compare_to: str | None = None):
    """`govaudit report` of one of the scans; (the parsed report.html, its 与上次检查对比 section)."""
    extra = ["--compare-to", scans[compare_to]] if compare_to else []
    result = run_cli("report", "--db", scans["db"], "--scan", scans[scan], *extra, "--out", out, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    soup = BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "lxml")
    return soup, soup.find("section", id="compare")


def _fixed_units(section) -> list[str]:
    return [row.select("td")[1].get_text(strip=True) for row in section.select("details tbody tr")
            if len(row.select("td")) > 1]


def test_unit_audit_compared_with_a_whole_site_scan_fixes_nothing_outside_the_unit(scans, tmp_path):
    soup, section = _report(scans, tmp_path / "r", "other", "site")
    text = section.get_text("", strip=True)
    # the same content crawled twice: inside the unit nothing is fixed, outside nothing is counted
    assert "已整改0条" in text, text[:400]
    assert not [u for u in _fixed_units(section) if u != OTHER_UNIT]
    assert "对比范围" in text and OTHER_UNIT in text and "全站" in text
    notice = "\n".join(p.text for p in Document(str(tmp_path / "r" / "通报.docx")).paragraphs)
    assert "已整改0条" in notice and f"仅对比两次检查共同覆盖的{OTHER_UNIT}" in notice
    # every finding of the unit was also found by the whole-site scan; a finding about the audit's
    # scope as a whole (a ratio over the unit) is not compared with the site's
    rows = soup.select("#finding-table tbody tr")
    assert {r["data-status"] for r in rows if r["data-unit"] == OTHER_UNIT} == {"仍未整改"}
    assert {r["data-status"] for r in rows if r["data-unit"] != OTHER_UNIT} <= {"待整改"}


def test_default_comparison_of_a_unit_audit_uses_the_last_whole_site_scan_restricted(scans, tmp_path):
    engine = storage.connect(str(scans["db"]), create=False)
    try:
        assert previous_scan_id(engine, scans["other"]) == scans["site"]
        changes = comparison.compare(engine, scans["other"], scans["site"])
        assert changes["fixed"] == []
        assert {f["unit"] for f in changes["open"]} <= {OTHER_UNIT}
        # the whole-site scan, compared with the earlier unit audit, is compared within that unit
        changes = comparison.compare(engine, scans["site"], scans["unit"])
        assert {f["unit"] for f in changes["new"] + changes["open"] + changes["fixed"]} <= {UNIT}
        assert changes["fixed"] == [] and changes["open"]
    finally:
        engine.dispose()
    _, section = _report(scans, tmp_path / "r", "other")
    assert f"#{scans['site']}" in section.get_text() and "已整改0条" in section.get_text("", strip=True)


def test_whole_site_scan_compared_with_a_unit_audit_counts_only_that_unit(scans, tmp_path):
    soup, section = _report(scans, tmp_path / "r", "site", "unit")
    by_status: dict[str, set] = {}
    for row in soup.select("#finding-table tbody tr"):
        by_status.setdefault(row["data-status"], set()).add(row["data-unit"])
    # the same content crawled twice: nothing new in the unit; outside it nothing is compared
    assert set(by_status) == {"仍未整改", "待整改"}, by_status
    assert by_status["仍未整改"] == {UNIT} and UNIT not in by_status["待整改"]
    site_findings = _doc(scans["work"] / "site")["findings"]
    in_unit = [f for f in site_findings if f["unit"] == UNIT]
    assert f"仍未整改{len(in_unit)}条" in section.get_text("", strip=True)


def test_scopes_that_do_not_nest_are_refused(scans, tmp_path):
    result = run_cli("report", "--db", scans["db"], "--scan", scans["other"], "--compare-to", scans["unit"],
                     "--out", tmp_path / "r", timeout=300)
    assert_one_line_error(result, EXIT_USAGE, "检查范围不可比", f"单位:{UNIT}", f"单位:{OTHER_UNIT}")
    assert not (tmp_path / "r" / "report.html").exists()
    engine = storage.connect(str(scans["db"]), create=False)
    try:
        with pytest.raises(GovauditError) as err:
            comparison.compare(engine, scans["other"], scans["unit"])
        assert err.value.code == EXIT_USAGE
    finally:
        engine.dispose()
