"""Fixtures of the operations tests: databases (SQLite file, a fresh PostgreSQL database), the
session's small simulated site with a profile to scan it, and one `govaudit scan --unit` of it."""
from __future__ import annotations

import json
import os
import time
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from govaudit.core import storage

from .helpers import AS_OF, UNIT, SharedSim, run_cli


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = storage.connect(str(tmp_path / "govaudit.db"))
    yield engine
    engine.dispose()


PG_URL = os.environ.get("GOVAUDIT_TEST_PG_URL")


@pytest.fixture
def pg_url():
    """A fresh, empty database on the throw-away server of scripts/pg-test-server.sh, dropped after."""
    if not PG_URL:
        pytest.skip("GOVAUDIT_TEST_PG_URL is not set (scripts/pg-test-server.sh start)")
    name = "govaudit_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sim(small_sim, tmp_path_factory):
    """The session's small simulated site (tests/conftest.py).  Tests that stop the site or serve
    another generation at the same address start a ``SimSite`` of their own."""
    return SharedSim(small_sim, tmp_path_factory.mktemp("sim"))


@pytest.fixture(scope="session")
def unit_scan(sim, tmp_path_factory):
    """`govaudit -q scan --unit UNIT` of the small site as of AS_OF, shared by the tests that only read
    it (or copy it): the database, the report folder, the wall time, stdout, findings.json."""
    work = tmp_path_factory.mktemp("unit")
    db, out = work / "govaudit.db", work / "report"
    started = time.monotonic()
    result = run_cli("-q", "scan", "--profile", sim.profile(), "--unit", UNIT, "--db", db, "--out", out,
                     "--as-of", AS_OF, timeout=300)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-3000:]
    return {"db": db, "out": out, "elapsed": elapsed, "stdout": result.stdout,
            "doc": json.loads((out / "findings.json").read_text(encoding="utf-8"))}
