"""History, finding identity across scans and retention, on stored snapshots."""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from sqlalchemy import func, insert, select, update

from govaudit import history
from govaudit.core import comparison, scans, storage
from govaudit.core.errors import EXIT_USAGE, GovauditError

from .helpers import add_scan, per_scan_tables, run_cli

SITE = "http://127.0.0.1:8123/"
A = "missing_element|http://127.0.0.1:8123/a.html|发文字号"
B = "empty_column|http://127.0.0.1:8123/col/|"
C = "broken_link|http://127.0.0.1:8123/dead.pdf|"
D = "stale_column|http://127.0.0.1:8123/news/|"


def test_compare_splits_keys_into_new_fixed_open(sqlite_engine):
    first = add_scan(sqlite_engine, SITE, [A, B, C])
    second = add_scan(sqlite_engine, SITE, [B, C, D])
    result = comparison.compare(sqlite_engine, second, first)
    assert [f["key"] for f in result["new"]] == [D]
    assert [f["key"] for f in result["fixed"]] == [A]
    assert [f["key"] for f in result["open"]] == sorted([B, C])
    # new/open describe the current scan's findings, fixed the previous one's
    fixed = result["fixed"][0]
    assert (fixed["check"], fixed["url"], fixed["field"]) == tuple(A.split("|"))
    assert all(f["since_scan"] == first for f in result["open"])
    assert comparison.compare_counts(result) == {"new": 1, "fixed": 1, "open": 2}


def test_compare_with_itself_is_all_open_and_unknown_scan_is_usage_error(sqlite_engine):
    only = add_scan(sqlite_engine, SITE, [A, B])
    counts = comparison.compare_counts(comparison.compare(sqlite_engine, only, only))
    assert counts == {"new": 0, "fixed": 0, "open": 2}
    with pytest.raises(GovauditError) as err:
        comparison.compare(sqlite_engine, only, 999)
    assert err.value.code == EXIT_USAGE


def test_previous_scan_is_same_site_and_scope_complete_and_audited(sqlite_engine):
    first = add_scan(sqlite_engine, SITE, [A])
    add_scan(sqlite_engine, "http://other.example/", [A])                 # another site
    add_scan(sqlite_engine, SITE, [A], scope_unit="区教体局")              # an ad-hoc unit audit
    add_scan(sqlite_engine, SITE, [A], status="interrupted")              # never finished
    add_scan(sqlite_engine, SITE, [], audited=False)                      # crawled, not audited
    current = add_scan(sqlite_engine, SITE, [B])
    assert scans.previous_scan_id(sqlite_engine, current) == first
    assert scans.previous_scan_id(sqlite_engine, first) is None
    unit_scan = add_scan(sqlite_engine, SITE, [B], scope_unit="区教体局")
    assert scans.previous_scan_id(sqlite_engine, unit_scan) == 3


def test_retention_keeps_newest_complete_scans_and_deletes_every_row_of_older_ones(sqlite_engine):
    ids = [add_scan(sqlite_engine, SITE, [A, B], with_children=True) for _ in range(3)]
    failed_old = add_scan(sqlite_engine, SITE, [], status="failed", audited=False, with_children=True)
    ids += [add_scan(sqlite_engine, SITE, [B], with_children=True) for _ in range(2)]
    interrupted_new = add_scan(sqlite_engine, SITE, [], status="interrupted", audited=False)
    adhoc = add_scan(sqlite_engine, SITE, [A], scope_unit="区教体局", with_children=True)
    other_site = add_scan(sqlite_engine, "http://other.example/", [A], with_children=True)

    deleted = history.apply_retention(sqlite_engine, SITE, keep=2)

    # kept: the two newest complete whole-site scans, the newer interrupted one, the ad-hoc scan
    # and the other site; deleted: everything of this series older than the oldest kept scan.
    assert deleted == sorted(ids[:3] + [failed_old])
    with sqlite_engine.connect() as conn:
        remaining = {r[0] for r in conn.execute(select(storage.scan.c.id))}
        assert remaining == {ids[3], ids[4], interrupted_new, adhoc, other_site}
        for table in per_scan_tables():
            orphans = conn.execute(select(func.count()).select_from(table)
                                   .where(table.c.scan_id.in_(deleted))).scalar()
            assert orphans == 0, table.name
        # the kept scans still have their rows
        assert conn.execute(select(func.count()).select_from(storage.page)
                            .where(storage.page.c.scan_id == ids[4])).scalar() == 1
    assert history.apply_retention(sqlite_engine, SITE, keep=2) == []


def _link_file(engine, scan_id: int, sha: str) -> None:
    with engine.begin() as conn:
        conn.execute(insert(storage.attachment).values(scan_id=scan_id, url=f"{SITE}{sha}.pdf",
                                                       document_url=f"{SITE}doc.html", sha256=sha))


def _file_texts(engine) -> set[str]:
    with engine.connect() as conn:
        return {sha for (sha,) in conn.execute(select(storage.attachment_text.c.sha256))}


def test_retention_deletes_the_text_of_files_only_deleted_scans_linked(sqlite_engine):
    """File texts are shared by all scans (one row per content) and may hold personal data: the
    text of a file no kept scan links to goes with the scans, but never while a crawl runs, since
    it may have stored a text before the attachment row that refers to it."""
    with sqlite_engine.begin() as conn:
        conn.execute(insert(storage.attachment_text), [
            {"sha256": sha, "kind": "pdf", "status": "ok", "parts": [{"where": "p1", "text": "身份证号"}]}
            for sha in ("old", "both", "new")])
    old, middle, newest = (add_scan(sqlite_engine, SITE, [A]) for _ in range(3))
    _link_file(sqlite_engine, old, "old")
    _link_file(sqlite_engine, old, "both")
    _link_file(sqlite_engine, newest, "both")
    now = dt.datetime.now().astimezone().replace(microsecond=0).isoformat()
    running = add_scan(sqlite_engine, "http://other.example/", [], status="running", audited=False, started_at=now)
    _link_file(sqlite_engine, middle, "new")     # "new" stays linked by a kept scan

    assert history.apply_retention(sqlite_engine, SITE, keep=2) == [old]
    assert _file_texts(sqlite_engine) == {"old", "both", "new"}      # another site's crawl is running

    with sqlite_engine.begin() as conn:
        conn.execute(update(storage.scan).where(storage.scan.c.id == running).values(status="complete"))
    assert history.apply_retention(sqlite_engine, SITE, keep=2) == []
    assert _file_texts(sqlite_engine) == {"both", "new"}


def test_retention_rejects_keep_below_one(sqlite_engine):
    with pytest.raises(GovauditError) as err:
        history.apply_retention(sqlite_engine, SITE, keep=0)
    assert err.value.code == EXIT_USAGE


def test_history_lists_scans_with_counts_verdict_and_score(sqlite_engine):
    first = add_scan(sqlite_engine, SITE, [A, B, C], started_at="2023-10-01T02:00:00+08:00")
    second = add_scan(sqlite_engine, SITE, [], started_at="2023-11-01T02:00:00+08:00")
    add_scan(sqlite_engine, "http://other.example/", [A])
    records = history.history_records(sqlite_engine, site="127.0.0.1:8123")
    assert [r["id"] for r in records] == [second, first]
    newest, oldest = records
    assert oldest["counts"] == {"missing_element": 1, "empty_column": 1, "broken_link": 1}
    assert oldest["findings"] == 3 and oldest["verdict"] == "不合格" and oldest["score"] == 3.0
    assert newest["findings"] == 0 and newest["verdict"] == "合格"
    assert oldest["pages"] == 13 and oldest["scope"] == "全站" and oldest["site"] == "127.0.0.1_8123"
    # a start URL or the site name select the same scans
    assert [r["id"] for r in history.history_records(sqlite_engine, site=SITE)] == [second, first]
    assert len(history.history_records(sqlite_engine, site="济南市章丘区人民政府")) == 3


def test_history_cli_json_and_table(tmp_path, sqlite_engine):
    db = tmp_path / "govaudit.db"
    add_scan(sqlite_engine, SITE, [A, B, C])
    add_scan(sqlite_engine, SITE, [B], scope_unit="区教体局")
    result = run_cli("history", "--db", db, "--json", timeout=60)
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert [r["scope"] for r in records] == ["单位:区教体局", "全站"]
    assert records[1]["counts"] == {"missing_element": 1, "empty_column": 1, "broken_link": 1}
    table = run_cli("history", "--db", db, "--site", "127.0.0.1:8123", timeout=60)
    assert table.returncode == 0, table.stderr
    assert "单位:区教体局" in table.stdout and "不合格" in table.stdout and "空白栏目 1" in table.stdout
    # the categories in the report's order (空白栏目 first), not by rule id (broken_link first)
    names = history.check_names()
    shown = [table.stdout.find(names[check]) for check in ("empty_column", "missing_element", "broken_link")]
    assert -1 not in shown and shown == sorted(shown), table.stdout
    none = run_cli("history", "--db", db, "--site", "nowhere.example", timeout=60)
    assert none.returncode == 0 and "no scans" in none.stdout


def test_history_on_missing_database_is_db_error(tmp_path):
    result = run_cli("history", "--db", tmp_path / "absent.db", timeout=60)
    assert result.returncode == 5
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_scan_dates_skip_missing_ids_as_a_frame_gives_them(sqlite_engine):
    first = add_scan(sqlite_engine, "http://www.jnzq.gov.cn/", [], started_at="2023-10-01T02:00:00+08:00")
    ids = pd.Series([first, None], dtype="Int64").tolist() + [float("nan"), None, float(first)]
    assert scans.scan_dates(sqlite_engine, ids) == {first: "2023-10-01"}
    assert scans.scan_dates(sqlite_engine, [None, float("nan")]) == {}
