"""audit_scan / load_findings_document: the findings.json contract, storage, re-audit, scope, config."""
import datetime as dt
import json
import re
import subprocess
import sys

import pytest
from sqlalchemy import select

from audits.config import load_overrides, merged_config
from audits.registry import all_rules
from audits.runner import StoredFindings, audit_scan, load_findings_document
from govaudit.core import storage
from govaudit.core.errors import EXIT_PROFILE, GovauditError
from tests.audits.conftest import POLICY_FIELDS, SITE, SnapshotBuilder

AS_OF = "2023-11-30"
CORE = ["empty_column", "stale_column", "missing_element", "invalid_element", "missing_interpretation",
        "interpretation_one_way", "late_interpretation", "broken_link"]


def small_site(site, blank=1, stale_dates=("2023-10-01",)):
    site.unit("区教体局", kind="department", home_url="http://site.test/jtj/")
    site.unit("济南市章丘区人民政府", kind="district")
    site.column(SITE, "首页", section="homepage", kind="homepage").item(SITE, "http://site.test/n/1", date="2023-11-29")
    for i in range(blank):
        site.column(f"http://site.test/c/blank{i}/", f"行政处罚{i}", unit="区教体局")
    for i, day in enumerate(stale_dates):
        col = f"http://site.test/c/dt{i}/"
        site.column(col, "工作动态", unit="区教体局").item(col, f"http://site.test/d/dt{i}", date=day)
    col = "http://site.test/c/gfxwj/"
    site.column(col, "规范性文件", unit="区教体局")
    site.listed_doc(col, "http://site.test/d/p1", "某某办法", fields={**POLICY_FIELDS, "发布日期": "2023-11-20",
                                                                       "成文日期": "2023-11-20"})
    site.column("http://site.test/c/tzgg/", "通知公告", unit="区教体局")
    site.item("http://site.test/c/tzgg/", "http://site.test/d/p1", title="某某办法", date="2023-11-20")  # listed twice
    site.link("http://site.test/gone", status=404, outcome="http_4xx", sources=["http://site.test/d/p1"])
    return site


def test_findings_keep_the_registrys_order_though_the_wording_rule_runs_first(site):
    small_site(site)
    site.column("http://site.test/c/dt/", "工作动态")
    site.listed_doc("http://site.test/c/dt/", "http://site.test/d/w1", "工作动态", fields={"发布日期": "2023-11-20"},
                    body_text="庆祝中华人民共合国成立74周年。")
    checks = [f["check"] for f in site.audit(AS_OF)["findings"]]
    rank = {r.id: i for i, r in enumerate(all_rules())}
    assert "serious_wording_error" in checks and checks[0] == "empty_column"     # run first, not listed first
    assert [rank[c] for c in checks] == sorted(rank[c] for c in checks)


def test_findings_document_follows_the_contract(site):
    doc = small_site(site).audit(AS_OF)
    assert list(doc)[:8] == ["site", "start_url", "scan_id", "as_of", "generated_at", "inventory", "verdict", "findings"]
    assert doc["site"] == "济南市章丘区人民政府" and doc["scan_id"] == str(site.scan_id) and doc["as_of"] == AS_OF
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$", doc["generated_at"])
    assert set(doc["inventory"]) == {"units", "columns", "documents", "pages", "links_checked", "fetch_errors"}
    assert doc["inventory"]["documents"] == 1 and doc["inventory"]["columns"] == 4  # the homepage is no column
    assert doc["verdict"]["result"] in ("合格", "不合格") and isinstance(doc["verdict"]["vetoes"], list)
    assert "估算" in doc["verdict"]["score_label"]
    for f in doc["findings"]:
        assert {"check", "url", "field", "unit", "column", "severity", "message", "evidence"} <= set(f)
        assert f["severity"] in ("veto", "deduct", "notice")
    checks = {f["check"] for f in doc["findings"]}
    assert {"empty_column", "stale_column", "missing_interpretation", "broken_link"} <= checks
    assert set(CORE) <= set(doc["rules"])
    assert doc["rules"]["empty_column"]["name"] == "空白栏目" and doc["rules"]["empty_column"]["tasks"] == [33, 19]
    assert doc["tasks"]["33"]["units_text"] == "各部门（单位）、各镇街"
    json.dumps(doc, ensure_ascii=False)   # plain JSON all the way down


def test_document_listed_twice_yields_one_finding_per_key(site):
    doc = small_site(site).audit(AS_OF)
    keys = [f["key"] for f in doc["findings"]]
    assert len(keys) == len(set(keys))
    assert sum(f["url"] == "http://site.test/d/p1" and f["check"] == "missing_interpretation" for f in doc["findings"]) == 1


def test_stored_rows_and_rebuilt_document_agree(site, engine):
    doc = small_site(site).audit(AS_OF)
    again = load_findings_document(engine, site.scan_id)
    strip = lambda d: {k: v for k, v in d.items()}
    assert strip(again)["findings"] == doc["findings"]
    assert again["verdict"] == doc["verdict"] and again["inventory"] == doc["inventory"]
    with engine.connect() as conn:
        summary = conn.execute(select(storage.audit_summary)).mappings().all()
    assert len(summary) == 1 and summary[0]["counts"] == doc["counts"]


def test_reaudit_with_other_threshold_replaces_findings_without_crawling(site, engine):
    small_site(site)
    first = site.audit(AS_OF)
    assert any(f["check"] == "stale_column" for f in first["findings"])
    second = site.audit(AS_OF, {"columns": {"classes": {"dynamic": {"window": "90d"}}}})
    assert not any(f["check"] == "stale_column" for f in second["findings"])
    with engine.connect() as conn:
        stored = conn.execute(select(storage.finding.c.check).where(storage.finding.c.scan_id == site.scan_id)).scalars().all()
        summaries = conn.execute(select(storage.audit_summary)).all()
    assert "stale_column" not in stored and len(summaries) == 1


def test_first_seen_scan_carries_over(engine):
    one = small_site(SnapshotBuilder(engine))
    one.audit(AS_OF)
    two = small_site(SnapshotBuilder(engine), blank=2)
    doc = two.audit("2023-12-31")
    by_url = {f["url"]: f for f in doc["findings"] if f["check"] == "empty_column"}
    assert by_url["http://site.test/c/blank0/"]["first_seen_scan"] == one.scan_id
    assert by_url["http://site.test/c/blank1/"]["first_seen_scan"] == two.scan_id
    rebuilt = load_findings_document(engine, two.scan_id)
    assert {f["key"]: f["first_seen_scan"] for f in rebuilt["findings"]} == \
        {f["key"]: f["first_seen_scan"] for f in doc["findings"]}


def test_vetoes(site):
    small_site(site, blank=5, stale_dates=["2023-10-01"] * 5)
    doc = site.audit(AS_OF)
    assert doc["verdict"]["result"] == "不合格"
    vetoes = " ".join(doc["verdict"]["vetoes"])
    assert "空白栏目5个" in vetoes and "动态要闻、通知公告、政策文件类栏目不更新5个" in vetoes
    # thresholds come from configuration
    relaxed = site.audit(AS_OF, {"scoring.vetoes.blank_columns": 6, "scoring.vetoes.stale_major_columns": 6})
    assert relaxed["verdict"]["result"] == "合格"


def test_score_estimate_counts_each_column_once(site):
    small_site(site)
    site.link("http://site.test/c/blank0/", status=404, outcome="http_4xx", sources=[SITE], on_homepage=True)
    doc = site.audit(AS_OF)
    indicators = {d["indicator"]: d for d in doc["verdict"]["deductions"]}
    # A column whose page is a dead link is a broken link only (issue 12), never also 空白栏目.
    checks_of_blank0 = {f["check"] for f in doc["findings"] if f["url"] == "http://site.test/c/blank0/"}
    assert checks_of_blank0 == {"broken_link"}
    assert indicators["broken_link_homepage"]["count"] == 1
    assert indicators["broken_link_other"]["points"] == 0.1
    assert doc["verdict"]["score_estimate"] == round(100 - sum(d["points"] for d in doc["verdict"]["deductions"]), 1)


def test_scope_restricts_the_audit(engine):
    site = small_site(SnapshotBuilder(engine, scope_unit="区教体局"))
    site.column("http://site.test/c/other/", "通知公告", unit="区民政局")
    doc = site.audit(AS_OF)
    assert doc["scope"] == {"unit": "区教体局", "column": None}
    assert "http://site.test/c/other/" not in {f["url"] for f in doc["findings"]}
    assert any(f["url"] == "http://site.test/c/blank0/" for f in doc["findings"])


def test_severity_override_and_disabled_rules(site):
    small_site(site)
    doc = site.audit(AS_OF, {"severity": {"broken_link": "notice"}, "disabled": ["stale_column"]})
    assert {f["severity"] for f in doc["findings"] if f["check"] == "broken_link"} == {"notice"}
    assert not any(f["check"] == "stale_column" for f in doc["findings"])


@pytest.mark.parametrize("overrides, words", [
    ({"columns": {"no_such": 1}}, "unknown setting columns.no_such"),
    ({"interpretation.late_workdays": "three"}, "should be int"),
    ({"severity": {"broken_link": "fatal"}}, "severity.broken_link"),
    ({"columns.classes.dynamic.window": "2 weeks"}, "14d or 6m"),
])
def test_bad_overrides_are_one_line_profile_errors(overrides, words):
    with pytest.raises(GovauditError) as err:
        merged_config(overrides)
    assert err.value.code == EXIT_PROFILE and words in err.value.message and "\n" not in err.value.message


def test_unknown_rule_in_severity_is_an_error(site):
    small_site(site)
    with pytest.raises(GovauditError, match="unknown rule"):
        site.audit(AS_OF, {"severity": {"no_such_rule": "notice"}})


def test_load_overrides_file(tmp_path):
    path = tmp_path / "audit.yaml"
    path.write_text("interpretation:\n  late_workdays: 5\n", encoding="utf-8")
    assert merged_config(load_overrides(path))["interpretation"]["late_workdays"] == 5
    path.write_text("interpretation: [\n", encoding="utf-8")
    with pytest.raises(GovauditError) as err:
        load_overrides(path)
    assert err.value.code == EXIT_PROFILE
    with pytest.raises(GovauditError):
        load_overrides(tmp_path / "absent.yaml")


def test_every_rule_is_described_and_runs_on_an_empty_scan(site):
    rules = all_rules()
    assert len(rules) >= 21
    for r in rules:
        assert r.name and r.basis and r.severity in ("veto", "deduct", "notice")
    doc = site.audit(AS_OF)
    assert doc["findings"] == [] and "rule_errors" not in doc
    # A scan that read nothing is not 合格: there was nothing to judge.
    assert doc["verdict"]["result"] == "无法评价" and "未读取到任何栏目" in doc["verdict"]["reason"]
    assert doc["verdict"]["score_estimate"] is None


def test_task_table_is_complete():
    from audits.tasks import table
    rows = table()
    assert len(rows) == 52 and 36 not in rows and 51 not in rows and max(rows) == 54
    assert rows[21]["units_text"] == "各部门（单位）、各镇街"          # merged cell inherited
    assert rows[5]["units"] == ["区发改局", "区工信局"]
    assert rows[14]["deadline"] == "2023年6月底前" and rows[46]["deadline"] == "2023年12月底前"
    assert rows[33]["task"] == "（二）推进政府网站和政务新媒体规范有序发展"
    for r in all_rules():
        assert all(t in rows for t in r.tasks), r.id


def test_cli_audit_reruns_offline_with_config(tmp_path):
    db = tmp_path / "cli.db"
    engine = storage.connect(str(db))
    site = small_site(SnapshotBuilder(engine))
    cfg = tmp_path / "audit.yaml"
    cfg.write_text("columns:\n  classes:\n    dynamic:\n      window: 90d\n", encoding="utf-8")
    run = lambda *a: subprocess.run([sys.executable, "-m", "govaudit.cli", "-q", "audit", "--db", str(db),
                                     "--scan", str(site.scan_id), "--as-of", AS_OF, "--out", str(tmp_path / "out"), *a],
                                    capture_output=True, text=True, timeout=300)
    r = run()
    assert r.returncode == 0, r.stderr
    with_default = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    r = run("--config", str(cfg))
    assert r.returncode == 0, r.stderr
    relaxed = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert any(f["check"] == "stale_column" for f in with_default["findings"])
    assert not any(f["check"] == "stale_column" for f in relaxed["findings"])
    cfg.write_text("columns:\n  nonsense: 1\n", encoding="utf-8")
    r = run("--config", str(cfg))
    assert r.returncode == EXIT_PROFILE and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_rebuilding_an_unaudited_scan_is_a_clear_error(site, engine):
    with pytest.raises(GovauditError, match="has not been audited"):
        load_findings_document(engine, site.scan_id)
    with pytest.raises(GovauditError, match="no scan with id 999"):
        load_findings_document(engine, 999)


def test_evidence_is_made_plain_json_once_whatever_its_types():
    import datetime as dt

    import numpy as np

    from audits.model import Finding
    from audits.runner import _jsonable

    evidence = {"day": dt.date(2023, 5, 6), "n": np.int64(3), "share": np.float64(0.5), "flag": True,
                "pair": (1, "a"), "nested": {4: [dt.datetime(2023, 5, 6, 7, 8)]}, "none": None, "text": "文"}
    plain = _jsonable(evidence)
    assert plain == {"day": "2023-05-06", "n": 3, "share": 0.5, "flag": True, "pair": [1, "a"],
                     "nested": {"4": ["2023-05-06T07:08:00"]}, "none": None, "text": "文"}
    assert type(plain["n"]) is int and type(plain["share"]) is float
    record = Finding("c", "u", "m", evidence=plain).to_json()
    assert record["evidence"] == plain and record["evidence"] is not plain
    assert record["evidence"]["nested"]["4"] is not plain["nested"]["4"], "containers are copies"


@pytest.mark.parametrize("start_url, site_name, own", [
    ("http://127.0.0.1:8080/", "济南市章丘区人民政府", True),      # the simulated district, by its name
    ("http://www.jnzq.gov.cn/", "章丘区政府门户网站", True),         # the district's host
    ("http://www.yunxi.gov.cn/", "云溪县人民政府", False),            # another county
])
def test_the_built_in_task_table_is_only_the_districts_own(engine, start_url, site_name, own):
    """The built-in 要点 table is 章丘区's: another site's report must not tie its findings to
    章丘's tasks and offices (it gets no 任务分工对照 unless its profile names its own table)."""
    site = small_site(SnapshotBuilder(engine, start_url=start_url, site_name=site_name))
    doc = site.audit(AS_OF)
    assert (doc["task_table"] is not None) is own
    assert any(f["tasks"] for f in doc["findings"]) is own
    assert ("33" in doc["tasks"]) is own


def test_the_audit_leaves_its_findings_in_the_database_and_they_are_read_in_pages(engine):
    one = small_site(SnapshotBuilder(engine))
    doc = audit_scan(engine, one.scan_id, dt.date.fromisoformat(AS_OF))
    two = small_site(SnapshotBuilder(engine), blank=3)
    two.audit(AS_OF)
    assert isinstance(doc["findings"], StoredFindings)
    stored = load_findings_document(engine, one.scan_id)["findings"]
    assert len(doc["findings"]) == len(stored) >= 4 and list(doc["findings"]) == stored
    paged = StoredFindings(engine, one.scan_id, page=2)
    pages = list(paged.pages())
    assert [len(p) for p in pages] == [2] * (len(stored) // 2) + [1] * (len(stored) % 2)
    assert [record for page in pages for _, record in page] == stored      # the other scan's stay out
    refs = [ref for page in pages for ref, _ in page]
    assert list(paged.fetch(refs[::-1])) == stored[::-1]
    assert list(StoredFindings(engine, two.scan_id, page=2)) == load_findings_document(engine, two.scan_id)["findings"]
