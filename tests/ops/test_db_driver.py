"""A PostgreSQL URL on an installation without the postgres extra says what to install (issue 10,
item 10).  The missing driver is simulated: every interpreter of the scan (the CLI and the process
that checks the database before the crawl) starts with a ``sitecustomize`` that makes importing
psycopg or psycopg2 fail, as it does when neither is installed."""
from __future__ import annotations

import os
import subprocess
import sys

from .helpers import assert_one_line_error, project_root

NO_DRIVER = """
import sys
class _NoPostgresDriver:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("psycopg", "psycopg2", "psycopg_binary", "psycopg_c", "asyncpg", "pg8000"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, _NoPostgresDriver())
"""


def _cli_without_driver(tmp_path, *args):
    hook = tmp_path / "no-driver"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(NO_DRIVER, encoding="utf-8")
    path = os.pathsep.join(p for p in (str(hook), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.run([sys.executable, "-m", "govaudit.cli", *args], capture_output=True, text=True,
                          timeout=120, cwd=project_root(), env=dict(os.environ, PYTHONPATH=path))


def test_postgresql_url_without_the_driver_says_to_install_the_extra(tmp_path):
    url = "postgresql://govaudit:s3cret@127.0.0.1:5432/govaudit"
    for args in (("history", "--db", url), ("scan", "--start-url", "http://127.0.0.1:9/", "--db", url,
                                             "--out", str(tmp_path / "r"))):
        result = _cli_without_driver(tmp_path, *args)
        line = assert_one_line_error(result, 5, "PostgreSQL", "pip install '.[postgres]'")
        assert "s3cret" not in line


def test_the_password_of_a_database_url_never_reaches_the_error_line():
    from govaudit.core import storage

    assert storage.redacted_url("postgresql://u:s3cret@db/x") == "postgresql://u:***@db/x"
