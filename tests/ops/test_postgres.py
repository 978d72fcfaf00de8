"""The PostgreSQL path on a real server (scripts/pg-test-server.sh): scan -> audit -> report -> history
over HTTP from the simulator, and history/compare/retention on stored snapshots."""
from __future__ import annotations

import contextlib
import json

import pytest
from sqlalchemy import func, select

from govaudit import history
from govaudit.core import comparison, scans, storage
from govaudit.core.locking import ensure_db_writable

from .helpers import AS_OF, add_scan, assert_one_line_error, per_scan_tables, run_cli

pytestmark = pytest.mark.postgres

SITE = "http://127.0.0.1:8123/"
A = "missing_element|http://127.0.0.1:8123/a.html|发文字号"
B = "empty_column|http://127.0.0.1:8123/col/|"
C = "broken_link|http://127.0.0.1:8123/dead.pdf|"


def test_schema_history_compare_and_retention_on_postgres(pg_url):
    engine = storage.connect(pg_url)
    assert engine.dialect.name == "postgresql"
    ensure_db_writable(engine)
    ids = [add_scan(engine, SITE, [A, B], with_children=True),
           add_scan(engine, SITE, [B, C], with_children=True),
           add_scan(engine, SITE, [C], with_children=True)]
    assert scans.previous_scan_id(engine, ids[2]) == ids[1]
    result = comparison.compare(engine, ids[1], ids[0])
    assert ([f["key"] for f in result["new"]], [f["key"] for f in result["fixed"]],
            [f["key"] for f in result["open"]]) == ([C], [A], [B])
    assert result["fixed"][0]["field"] == "发文字号"  # non-ASCII survives the round trip

    assert history.apply_retention(engine, SITE, keep=2) == [ids[0]]
    with engine.connect() as conn:
        for table in per_scan_tables():
            rows = select(func.count()).select_from(table).where(table.c.scan_id == ids[0])
            left = conn.execute(rows).scalar()
            assert left == 0, table.name
    engine.dispose()

    listed = run_cli("history", "--db", pg_url, "--json", timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert [r["id"] for r in json.loads(listed.stdout)] == [ids[2], ids[1]]


def test_unreachable_postgres_is_db_error(pg_url):
    from sqlalchemy.engine import make_url

    url = make_url(pg_url).set(port=1).render_as_string(hide_password=False)
    result = run_cli("history", "--db", url, timeout=60)
    assert result.returncode == 5, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_scan_audit_report_history_on_postgres(pg_url, sim, tmp_path):
    scanned = run_cli("-q", "scan", "--profile", sim.profile(), "--unit", "区教体局", "--db", pg_url,
                      "--out", tmp_path / "scan", "--as-of", AS_OF, timeout=300)
    assert scanned.returncode == 0, scanned.stderr[-3000:]
    doc = json.loads((tmp_path / "scan" / "findings.json").read_text(encoding="utf-8"))
    assert doc["findings"] and doc["scope"]["unit"] == "区教体局"

    # offline re-audit and re-render from the server, no network
    audited = run_cli("audit", "--db", pg_url, "--as-of", AS_OF, "--out", tmp_path / "audit",
                      timeout=300)
    assert audited.returncode == 0, audited.stderr[-3000:]
    again = json.loads((tmp_path / "audit" / "findings.json").read_text(encoding="utf-8"))
    key = lambda f: (f["check"], f["url"], f.get("field") or "")  # noqa: E731
    assert sorted(map(key, again["findings"])) == sorted(map(key, doc["findings"]))
    reported = run_cli("report", "--db", pg_url, "--out", tmp_path / "report", timeout=300)
    assert reported.returncode == 0, reported.stderr[-3000:]
    assert "区教体局" in (tmp_path / "report" / "report.html").read_text(encoding="utf-8")

    listed = run_cli("history", "--db", pg_url, "--json", timeout=60)
    assert listed.returncode == 0, listed.stderr
    (record,) = json.loads(listed.stdout)
    assert record["scope"] == "单位:区教体局" and record["status"] == "complete"
    assert record["findings"] == len(doc["findings"]) and record["verdict"] == doc["verdict"]["result"]
    assert record["pages"] and record["pages"] > 10


@contextlib.contextmanager
def pg_role(pg_url: str, role: str, *grants: str):
    """A login role on the test database with only ``grants``; yields its URL, drops it after."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    engine = storage.connect(pg_url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        for grant in grants:
            conn.execute(text(grant.format(role=role)))
    try:
        yield make_url(pg_url).set(username=role).render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
        engine.dispose()


def _scan(db, tmp_path):
    return run_cli("scan", "--start-url", "http://127.0.0.1:9/", "--db", db, "--out", tmp_path / "r",
                   timeout=60)


def test_postgres_role_without_write_privilege_is_exit_5_before_crawling(pg_url, tmp_path):
    with pg_role(pg_url, "govaudit_reader", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}") as url:
        assert_one_line_error(_scan(url, tmp_path), 5, "permission denied")
        # reading is allowed: history works for the same role
        assert run_cli("history", "--db", url, "--json", timeout=60).returncode == 0


def test_postgres_read_only_role_is_exit_5(pg_url, tmp_path):
    with pg_role(pg_url, "govaudit_ro", "GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}",
                 "ALTER ROLE {role} SET default_transaction_read_only = on") as url:
        assert_one_line_error(_scan(url, tmp_path), 5, "read-only")


def test_postgres_table_locked_by_another_session_is_exit_5(pg_url, tmp_path):
    engine = storage.connect(pg_url)
    with engine.connect() as holder:
        holder.exec_driver_sql("BEGIN")
        holder.exec_driver_sql("LOCK TABLE scan IN EXCLUSIVE MODE")
        result = _scan(pg_url, tmp_path)
        holder.exec_driver_sql("ROLLBACK")
    engine.dispose()
    assert_one_line_error(result, 5, "locked or not writable")


def test_processes_opening_a_fresh_database_at_once_all_get_its_schema(pg_url):
    """A campaign and its workers start together, and each opens the database: PostgreSQL's
    ``CREATE TABLE`` is not safe to race (pg_type's unique index), so the schema is made under one lock."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(6) as pool:
        outcomes = pool.map(_open_schema, [pg_url] * 6)
    assert outcomes == ["ok"] * 6
    engine = storage.connect(pg_url, create=False)
    assert engine.dialect.name == "postgresql"
    engine.dispose()


def _open_schema(url):
    try:
        storage.connect(url).dispose()
    except Exception as exc:  # the outcome is compared, so the failing process's reason shows
        return str(exc).splitlines()[0]
    return "ok"
