"""The snapshot schema: the one contract between crawling and auditing.

The crawler writes these tables (through ``crawler.pipelines``); audits only read them
and write ``finding`` rows.  Every table except ``scan`` is keyed by ``scan_id`` so one
database holds a whole history of scans.

Dates are stored as ISO strings (``YYYY-MM-DD``) in the ``*_date`` columns; the raw text
seen on the page is kept next to them so that evidence can quote it.  JSON columns hold
small dicts/lists only.

Any SQLAlchemy URL works (``sqlite:///output/govaudit.db``, ``postgresql://…``); a bare
file path means SQLite.
"""
from __future__ import annotations

import importlib
import json
import time
from pathlib import Path

import orjson

from sqlalchemy import (
    and_,
    create_engine,
    event,
    false,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from govaudit.core.dburl import DEFAULT_DB, db_url, redacted_url  # noqa: F401  (storage's public names too)
from govaudit.core.errors import GovauditError, EXIT_DB

from govaudit.core.schema import (  # noqa: F401  (the tables are storage's public names)
    metadata,
    scan,
    campaign,
    campaign_site,
    unit,
    column,
    list_item,
    document,
    relation,
    link,
    link_source,
    page,
    fetch_error,
    attachment,
    attachment_text,
    frontier,
    finding,
    audit_summary,
)

# Prepared statements each SQLite connection keeps (the sqlite3 module's default is 128).  A
# query by a part's URLs is prepared with one parameter per URL, and the parts' sizes vary: 128
# of those kept 9 MB at 10⁵ documents (docs/performance.md, "Thirteenth pass").  The statements
# run over and over (the crawl's inserts) are few and stay.
SQLITE_CACHED_STATEMENTS = 16
# This process's SQLite page cache per connection, in KiB (None: SQLite's 2,000); set once by a
# process that must stay small however large its database grows (``limit_sqlite_cache``).
_sqlite_cache_kib: int | None = None


def limit_sqlite_cache(kib: int | None) -> None:
    """Every SQLite connection this process opens from now on caches at most ``kib`` KiB of pages.

    The crawl child opens one engine per component; each connection fills SQLite's default 2 MB
    only on a database larger than that, so their caches grew with the site (docs/performance.md,
    "Nineteenth pass").  A page not cached is read again from the system's file cache."""
    global _sqlite_cache_kib
    _sqlite_cache_kib = int(kib) if kib and int(kib) > 0 else None     # 0 or less: SQLite's own


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    # WAL lets the report read while a scan writes; busy_timeout rides out short locks.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    if _sqlite_cache_kib:
        cur.execute(f"PRAGMA cache_size=-{_sqlite_cache_kib}")
    cur.close()


def _json_loads(text):
    """JSON columns as Python values: orjson (several times faster on the 10⁵–10⁶ JSON values an
    audit reads), the standard library for what orjson refuses (NaN, integers over 64 bits)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def connect(value: str | None = None, create: bool = True) -> Engine:
    """Open (and by default create) a snapshot database.

    Raises GovauditError with a one-line message when the database cannot be opened,
    e.g. an unwritable directory or an unreachable server.
    """
    url = db_url(value)
    try:
        if url.startswith("sqlite:///"):
            path = Path(url[len("sqlite:///"):])
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            elif not path.exists():
                raise GovauditError(f"数据库不存在 / database not found: {path}", EXIT_DB)
            engine = create_engine(url, future=True, json_deserializer=_json_loads,
                                   connect_args={"cached_statements": SQLITE_CACHED_STATEMENTS})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, future=True, pool_pre_ping=True, json_deserializer=_json_loads)
        if create:
            _create_schema(engine)
        else:
            with engine.connect() as conn:
                if not inspect(conn).has_table("scan"):
                    raise GovauditError(f"不是 govaudit 数据库 / not a govaudit database (no scan table): {url}",
                                        EXIT_DB)
            add_missing_columns(engine, best_effort=True)
    except GovauditError:
        raise
    except ImportError as exc:  # the URL names a database whose driver is not installed
        raise GovauditError(_missing_driver(url, exc), EXIT_DB) from exc
    except Exception as exc:  # sqlalchemy / driver errors carry long tracebacks
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GovauditError(f"无法打开数据库 / cannot open database {redacted_url(url)}: {first}", EXIT_DB) from exc
    return engine


# Any fixed 64-bit number: the key of the lock under which one process at a time makes the schema.
_SCHEMA_LOCK_KEY = 0x676F7661756469  # "govaudi"


# Opening a new SQLite file that other processes are opening too: how often, and how long apart.
SQLITE_OPEN_TRIES = 5
SQLITE_OPEN_RETRY_SECONDS = 0.2
SQLITE_OPEN_AT_ONCE_SECONDS = 1.0


def _create_schema(engine: Engine) -> None:
    """Add the missing tables and columns.  A campaign and its workers open the same fresh database
    at once: PostgreSQL's ``CREATE TABLE IF NOT EXISTS`` is not safe to race (two processes insert
    the same row type), so there it runs under a transaction-scoped advisory lock; SQLite's
    tables are made under its writer lock.  SQLite may also answer "database is locked" at once,
    without waiting its busy timeout, to a process that read the new file while another made it
    WAL or wrote its tables (a lock it cannot wait for without a deadlock): seen in 1 of 45 runs
    of 8 processes opening one new file at once.  That process tries again a moment later."""
    for attempt in range(1, SQLITE_OPEN_TRIES + 1):
        started = time.monotonic()
        try:
            return _make_schema(engine)
        except OperationalError as exc:
            # Refused at once; a lock another process holds has been waited for already (busy
            # timeout), and is reported without more waiting.
            at_once = time.monotonic() - started < SQLITE_OPEN_AT_ONCE_SECONDS
            locked = engine.dialect.name == "sqlite" and "locked" in str(exc.orig) and at_once
            if not locked or attempt == SQLITE_OPEN_TRIES:
                raise
            time.sleep(SQLITE_OPEN_RETRY_SECONDS * attempt)


def _make_schema(engine: Engine) -> None:
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite" and not set(metadata.tables) <= set(inspect(conn).get_table_names()):
            # The sqlite3 module begins a transaction only before a write, so "is there a table
            # scan?" and "CREATE TABLE scan" were two steps another process could come between (a
            # worker and ``campaign run`` opening one new file: "table scan already exists").  Only
            # when a table is missing: a database in use is opened without waiting for its writer.
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        _lock_schema(conn)
        metadata.create_all(conn)
        _add_missing_columns(conn)


def _lock_schema(conn) -> None:
    """Hold the schema lock until this transaction ends (PostgreSQL; SQLite's is its writer lock)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})


def rows_of_scan(conn, table, scan_id: int):
    """The condition for every row of scan ``scan_id`` in ``table``, for a query that tests
    another condition on each (a JSON key, a LIKE) and so reads them all: by the range of the
    scan's row ids, the table's own order.  Through the scan_id index SQLite reads the rows in the
    index's order, a random page each (2.2 s against 0.2 s for 10⁶ link sources)."""
    low, high = conn.execute(select(func.min(table.c.id), func.max(table.c.id))
                             .where(table.c.scan_id == scan_id)).one()
    if low is None:
        return false()
    # "+ 0": the scan is tested on each row of the range, not looked up through its index.
    return and_(table.c.id.between(low, high), table.c.scan_id + 0 == scan_id)


def dialect_insert(conn):
    """The connection's own INSERT construct, which has ON CONFLICT, for SQLite and PostgreSQL;
    None for other databases."""
    name = conn.dialect.name
    if name not in ("sqlite", "postgresql"):
        return None
    # By name: the engine loaded its dialect's package to connect, and a SQLite crawl does not
    # load PostgreSQL's (2.2 MB of the crawl child's heap, measured 2026-12-06).
    return importlib.import_module(f"sqlalchemy.dialects.{name}").insert


def _missing_driver(url: str, exc: ImportError) -> str:
    module = exc.name or str(exc)
    if url.split(":", 1)[0].split("+", 1)[0] in ("postgresql", "postgres"):
        return (f"未安装 PostgreSQL 驱动 / the PostgreSQL driver is not installed (no module {module}) for "
                f"{redacted_url(url)}: pip install '.[postgres]' in the govaudit source directory "
                f"(or pip install 'govaudit[postgres]')")
    return f"无法打开数据库 / cannot open database {redacted_url(url)}: its driver is not installed (no module {module})"


def add_missing_columns(engine: Engine, best_effort: bool = False) -> list[str]:
    """Bring a database made by an older version up to this schema: add the columns it lacks
    (all nullable, so existing rows stay valid).  ``create_all`` adds missing tables only.

    ``best_effort``: a read-only database (``history``, ``report``) is left as it is.
    Returns the ``table.column`` names added.
    """
    try:
        with engine.begin() as conn:
            return _add_missing_columns(conn)
    except SQLAlchemyError:
        if not best_effort:
            raise
        return []


def _add_missing_columns(conn) -> list[str]:
    added = []
    _lock_schema(conn)  # advisory locks stack, so taking it again in _create_schema's transaction is harmless
    inspector = inspect(conn)
    existing_tables = set(inspector.get_table_names())
    for table in metadata.sorted_tables:
        if table.name not in existing_tables:
            continue
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for col in table.columns:
            if col.name in have:
                continue
            kind = col.type.compile(dialect=conn.dialect)
            prep = conn.dialect.identifier_preparer
            conn.execute(text(f"ALTER TABLE {prep.format_table(table)} "
                              f"ADD COLUMN {prep.format_column(col)} {kind}"))
            added.append(f"{table.name}.{col.name}")
    return added
