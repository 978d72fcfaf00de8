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


CACHE_CODE = """
import sys, tempfile
from sqlalchemy import text
from govaudit.core import heap, procfs, storage
path = f"{tempfile.mkdtemp()}/t.db"
with storage.connect(f"sqlite:///{path}", create=True).begin() as conn:
    conn.execute(text("CREATE TABLE t (body TEXT)"))
    conn.execute(text("INSERT INTO t VALUES (:body)"), [{"body": f"{i:08d}" * 125} for i in range(12000)])
storage.limit_sqlite_cache(int(sys.argv[1]))
engine = storage.connect(f"sqlite:///{path}", create=False)
with engine.connect() as conn:
    conn.execute(text("SELECT 1")).scalar()
    heap.give_back()
    before = procfs.rss_kib()
    rows = conn.execute(text("SELECT count(*), sum(length(body)) FROM t")).one()   # every page, 12 MB
    heap.give_back()
    print(tuple(rows) == (12000, 12000000), conn.execute(text("PRAGMA cache_size")).scalar(),
          procfs.rss_kib() - before)
"""


def _cache_grown_kib(kib: int) -> tuple[int, int]:
    out = subprocess.run([sys.executable, "-c", CACHE_CODE, str(kib)], capture_output=True, text=True,
                         check=True).stdout
    right, cache_size, grown = out.split()
    assert right == "True"
    return int(cache_size), int(grown)


def test_a_process_can_cap_the_pages_its_connections_cache():
    # The crawl child caps them (GOVAUDIT_SQLITE_CACHE_KIB): a full read of a 12 MB table
    # leaves at most the cap behind, where SQLite's default keeps 2 MB.
    cache_size, grown = _cache_grown_kib(256)
    assert cache_size == -256 and grown < 900, grown
    cache_size, grown = _cache_grown_kib(0)
    assert cache_size == -2000 and grown > 1500, grown
