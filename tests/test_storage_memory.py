"""The memory a SQLite connection keeps: few prepared statements (govaudit.core.storage).

The rules and the report query by a part's URLs, one parameter per URL, and the parts' sizes
vary: each such statement is a few hundred kB prepared, and the sqlite3 module keeps 128 per
connection by default.  Measured in a fresh process over a real database file."""
from __future__ import annotations

import subprocess
import sys

CODE = """
import sys, tempfile
from sqlalchemy import bindparam, text
from govaudit.core import heap, procfs, storage
if sys.argv[1] == "sqlite3-default":
    storage.SQLITE_CACHED_STATEMENTS = 128
engine = storage.connect(f"sqlite:///{tempfile.mkdtemp()}/t.db", create=True)
with engine.begin() as conn:
    conn.execute(text("CREATE TABLE t (url TEXT)"))
    conn.execute(text("INSERT INTO t VALUES (:url)"), [{"url": f"http://a.test/{i}"} for i in range(3000)])
query = text("SELECT count(*) FROM t WHERE url IN :urls").bindparams(bindparam("urls", expanding=True))
heap.give_back()
before = procfs.rss_kib()
with engine.connect() as conn:
    found = [conn.execute(query, {"urls": [f"http://a.test/{i}" for i in range(n)]}).scalar()
             for n in range(1000, 1100)]        # 100 statements of 1,000 to 1,099 parameters
heap.give_back()
print(found == list(range(1000, 1100)), (procfs.rss_kib() - before) >> 10)
"""


def _grown_mb(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", CODE, mode], capture_output=True, text=True, check=True).stdout
    right, grown = out.split()
    assert right == "True"
    return int(grown)


def test_a_connection_keeps_few_of_the_large_statements():
    assert _grown_mb("govaudit") <= 8


def test_with_the_sqlite3_modules_default_it_kept_them_all():
    assert _grown_mb("sqlite3-default") >= 15
