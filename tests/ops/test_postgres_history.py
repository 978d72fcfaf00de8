"""History, compare and retention on a real PostgreSQL server (scripts/pg-test-server.sh)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from govaudit import history, storage
from govaudit.locking import ensure_db_writable

from .helpers import add_scan, per_scan_tables, run_cli

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
    assert history.previous_scan_id(engine, ids[2]) == ids[1]
    result = history.compare(engine, ids[1], ids[0])
    assert ([f["key"] for f in result["new"]], [f["key"] for f in result["fixed"]],
            [f["key"] for f in result["open"]]) == ([C], [A], [B])
    assert result["fixed"][0]["field"] == "发文字号"  # non-ASCII survives the round trip

    assert history.apply_retention(engine, SITE, keep=2) == [ids[0]]
    with engine.connect() as conn:
        for table in per_scan_tables():
            left = conn.execute(select(func.count()).select_from(table).where(table.c.scan_id == ids[0])).scalar()
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
