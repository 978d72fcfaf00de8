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

import os
import re
from pathlib import Path

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from govaudit.core.errors import GovauditError, EXIT_DB

DEFAULT_DB = "output/govaudit.db"

metadata = MetaData()

# One crawl of one site (or of one unit/column of it, for ad-hoc audits).
scan = Table(
    "scan",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("site_name", String(200)),          # e.g. 济南市章丘区人民政府
    Column("start_url", Text, nullable=False),
    Column("started_at", String(40)),          # ISO datetime, local time with offset
    Column("finished_at", String(40)),
    Column("status", String(20), default="running"),  # running | complete | incomplete (--max-pages cap) | failed | interrupted | blocked (site refused us)
    Column("scope_unit", String(200)),         # --unit, if the crawl was restricted
    Column("scope_column", Text),              # --column, if restricted
    Column("profile", JSON),                   # the validated profile dict used for the crawl
    Column("stats", JSON),                     # requests, pages, bytes, elapsed, rate ...
    # Who runs (or last ran) the crawl: a `running` row whose process is gone was interrupted
    # (kill -9, power cut).  Added later: older databases get them on first open (add_missing_columns).
    Column("pid", Integer),
    Column("hostname", String(255)),
    Column("pid_started", Float),              # when that process started (epoch s): a reused pid differs
)

# A unit (部门 / 镇街) and its own 信息公开 sub-site; the district itself is a unit too.
unit = Table(
    "unit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scan.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),   # 区教体局
    Column("code", String(200)),                   # site code, e.g. zhangqiuqujtj
    Column("home_url", Text),
    Column("kind", String(20)),                    # district | department | town
    UniqueConstraint("scan_id", "name", name="uq_unit"),
)

# A column (栏目).  ``url`` is the list page as linked from its parent (canonicalised).
# The homepage is stored as a column with kind='homepage' so its dated items can be audited
# with the same machinery (stale_homepage).
column = Table(
    "column",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scan.id", ondelete="CASCADE"), nullable=False),
    Column("url", Text, nullable=False),
    Column("name", String(200), nullable=False),   # 区政府文件
    Column("path", Text),                          # 法定主动公开内容/政策文件/区政府文件
    Column("parent_url", Text),
    Column("unit", String(200)),                   # owning unit name (None = district/portal)
    Column("section", String(20)),                 # gongkai | portal | homepage (see ``nav``)
    # How the crawler reached the column: {"via": "platform", "hub": <信息公开 home>} (section
    # gongkai), {"via": "homepage", "top": <name of the homepage navigation link above it>}
    # (section portal: the audits make it gongkai when that name says 信息公开, 政策文件 …),
    # {"via": "scope"} (--column); "profile_section" when the profile's columns[] set the section
    # of it or a column above it.  NULL in older scans, whose section is already judged.
    Column("nav", JSON),
    Column("kind", String(20), default="list"),    # list | hub (has only sub-columns) | homepage | single (one page, e.g. 指南 shown inline)
    Column("is_leaf", Boolean, default=True),
    Column("list_style", String(40)),              # hanweb_datastore | trs_createpage | js_shell | plain_next | single | unknown
    Column("http_status", Integer),
    Column("item_count", Integer, default=0),
    # The short lines the column page shows when it lists nothing (its 暂无信息 / 正在建设中, if
    # any): the audits judge from them whether it shows only a placeholder.  Older scans hold
    # that verdict in ``placeholder`` / ``placeholder_text`` instead (shown_lines NULL).
    Column("shown_lines", JSON),
    Column("placeholder", Boolean, default=False),
    Column("placeholder_text", Text),
    Column("overrides", JSON),                     # from the profile: class, required_fields, no_window
    Column("fetched_at", String(40)),
    UniqueConstraint("scan_id", "url", name="uq_column"),
)

# One entry in a column's list.  The same document may appear in several columns.
list_item = Table(
    "list_item",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scan.id", ondelete="CASCADE"), nullable=False),
    Column("column_url", Text, nullable=False),
    Column("url", Text, nullable=False),           # absolute document URL
    Column("title", Text),                         # as shown (may be truncated with …)
    Column("full_title", Text),                    # title="" attribute if present
    Column("date_raw", String(60)),
    Column("date", String(10)),                    # ISO, or None if it would not parse
    Column("page_url", Text),                      # list page (or data endpoint) it came from
    Column("position", Integer),
    UniqueConstraint("scan_id", "column_url", "url", name="uq_list_item"),
)

# A fetched document (detail page).  ``fields`` holds the visible label/value metadata,
# normalised to the canonical names 索引号 主题分类 发文机关 发文字号 成文日期 发布日期 有效性
# (synonyms such as 发布机构/文号/发文日期 are folded in); ``fields_raw`` keeps labels as seen.
document = Table(
    "document",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scan.id", ondelete="CASCADE"), nullable=False),
    Column("url", Text, nullable=False),
    Column("final_url", Text),
    Column("http_status", Integer),
    Column("title", Text),                         # full title
    Column("unit", String(200)),
    Column("column_url", Text),                    # first column it was found in
    Column("fields", JSON),                        # {canonical label: value as seen (stripped)}
    Column("fields_raw", JSON),                    # [[label as seen, value], ...]
    Column("metas", JSON),                         # <meta name=...> of the head
    Column("publish_date", String(10)),            # normalised 发布日期 (visible), ISO
    Column("written_date", String(10)),            # normalised 成文日期, ISO
    Column("body_text", Text),
    Column("attachments", JSON),                   # [{"url":..., "name":...}]
    Column("is_interpretation", Boolean, default=False),
    Column("encoding", String(20)),
    Column("content_hash", String(64)),
    Column("etag", String(200)),
    Column("last_modified", String(100)),
    Column("fetched_at", String(40)),
    UniqueConstraint("scan_id", "url", name="uq_document"),
)

# 解读 relations as seen on pages.  kind='interpretation': src (a policy document) links to
# dst as its 解读; kind='original': src (a 解读) links back to dst as its 原文/相关文件.
relation = Table(
    "relation",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scan.id", ondelete="CASCADE"), nullable=False),
    Column("src_url", Text, nullable=False),
    Column("dst_url", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("anchor", Text),
    UniqueConstraint("scan_id", "src_url", "dst_url", "kind", name="uq_relation"),
)

# Every distinct link target and its checked status.
link = Table(
    "link",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scan.id", ondelete="CASCADE"), nullable=False),
    Column("url", Text, nullable=False),
    Column("status", Integer),                     # HTTP status, None if no response
    Column("outcome", String(20)),                 # ok | http_4xx | http_5xx | timeout | dns | tls | soft404 | inconclusive | error | unchecked
    Column("detail", Text),
    Column("is_external", Boolean, default=False),
    Column("is_attachment", Boolean, default=False),
    Column("method", String(8)),                   # HEAD | GET
    Column("checked_at", String(40)),
    # A 200 HTML page's soft-404 signals: {page_says_missing, same_as_missing_path,
    # document_fields}.  outcome is soft404 when either of the first two fired; the audits
    # judge by links.soft404 whether it counts (NULL: older scans, outcome as judged then).
    Column("signals", JSON),
    UniqueConstraint("scan_id", "url", name="uq_link"),
)

# Where each link target was seen (many sources per target).
link_source = Table(
    "link_source",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scan.id", ondelete="CASCADE"), nullable=False),
    Column("target_url", Text, nullable=False),
    Column("source_url", Text, nullable=False),
    Column("anchor", Text),
    Column("tag", String(20)),                     # a | img | attachment | iframe
    Column("on_homepage", Boolean, default=False),
    UniqueConstraint("scan_id", "target_url", "source_url", name="uq_link_source"),
)

# Every page fetched (columns, list pages, documents, home, hubs).  Used for the inventory,
# resume and conditional re-scans, and for page-level facts (accessibility, site identity).
page = Table(
    "page",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scan.id", ondelete="CASCADE"), nullable=False),
    Column("url", Text, nullable=False),
    Column("kind", String(20)),                    # homepage | hub | column | list | document | other
    Column("status", Integer),
    Column("size", Integer),
    Column("content_hash", String(64)),
    Column("etag", String(200)),
    Column("last_modified", String(100)),
    Column("encoding", String(20)),
    Column("facts", JSON),                         # lang, imgs_without_alt, footer ids, metas ...
    Column("fetched_at", String(40)),
    UniqueConstraint("scan_id", "url", name="uq_page"),
)

fetch_error = Table(
    "fetch_error",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scan.id", ondelete="CASCADE"), nullable=False),
    Column("url", Text, nullable=False),
    Column("status", Integer),
    Column("error", Text),
    Column("referer", Text),
    Column("at", String(40)),
)

# The crawl frontier: every request the crawler decided to make, written before the page
# that found it is marked done, so a scan killed at any point resumes without losing any.
frontier = Table(
    "frontier",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scan.id", ondelete="CASCADE"), nullable=False),
    Column("fingerprint", String(64), nullable=False),  # Scrapy request fingerprint (hex)
    Column("url", Text, nullable=False),
    Column("request", JSON),                       # method, body, headers, callback, priority, meta
    Column("done", Boolean, default=False),
    UniqueConstraint("scan_id", "fingerprint", name="uq_frontier"),
)

# Audit results.  ``key`` is the stable identity (check|url|field) used to compare scans.
finding = Table(
    "finding",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scan.id", ondelete="CASCADE"), nullable=False),
    Column("audit_run", String(40)),               # ISO datetime of the audit that produced it
    Column("as_of", String(10)),
    Column("key", Text, nullable=False),
    Column("check", String(60), nullable=False),
    Column("url", Text),
    Column("field", String(40)),
    Column("unit", String(200)),
    Column("column", String(200)),
    Column("column_url", Text),
    Column("severity", String(10)),
    Column("message", Text),
    Column("evidence", JSON),
    Column("tasks", JSON),                         # 要点 task numbers
    Column("first_seen_scan", Integer),
    UniqueConstraint("scan_id", "key", name="uq_finding"),
)

# Per-scan audit summary (verdict and score) so history is cheap to list.
audit_summary = Table(
    "audit_summary",
    metadata,
    Column("scan_id", Integer, ForeignKey("scan.id", ondelete="CASCADE"), primary_key=True),
    Column("as_of", String(10)),
    Column("audited_at", String(40)),
    Column("verdict", String(10)),
    Column("vetoes", JSON),
    Column("score_estimate", Float),
    Column("counts", JSON),                        # {check: n}
    Column("inventory", JSON),
    Column("detail", JSON),                        # verdict's deduction breakdown, scope, settings used
)

Index("ix_list_item_url", list_item.c.scan_id, list_item.c.url)
Index("ix_link_source_target", link_source.c.scan_id, link_source.c.target_url)
Index("ix_finding_check", finding.c.scan_id, finding.c.check)
# Resume reads the pending frontier; incremental re-scans copy a page's links by source.
Index("ix_frontier_pending", frontier.c.scan_id, frontier.c.done)
Index("ix_link_source_source", link_source.c.scan_id, link_source.c.source_url)
Index("ix_relation_src", relation.c.scan_id, relation.c.src_url)
Index("ix_list_item_page", list_item.c.scan_id, list_item.c.page_url)


def db_url(value: str | None) -> str:
    """Turn a --db argument (a SQLAlchemy URL or a plain file path) into a URL."""
    value = value or os.environ.get("GOVAUDIT_DB") or DEFAULT_DB
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser())


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    # WAL lets the report read while a scan writes; busy_timeout rides out short locks.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


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
            engine = create_engine(url, future=True)
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, future=True, pool_pre_ping=True)
        if create:
            metadata.create_all(engine)
            add_missing_columns(engine)
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


def redacted_url(url: str) -> str:
    """A database URL as an error line or a file a colleague reads may show it: without its password."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


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
    added = []
    try:
        with engine.begin() as conn:
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
    except SQLAlchemyError:
        if not best_effort:
            raise
        return []
    return added
