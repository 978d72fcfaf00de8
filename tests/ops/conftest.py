"""Fixtures of the operations tests: databases (SQLite file, a fresh PostgreSQL database)."""
from __future__ import annotations

import os
import uuid

import pytest

from govaudit.core import storage


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
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = "govaudit_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
