"""The snapshot's tables: the one contract between crawling and auditing (``storage`` connects
and migrates; its docstring says how dates, JSON and URLs are stored).

The crawler writes these tables (through ``crawler.pipelines``); audits only read them and write
``finding`` rows.  Every table except ``scan`` (and the campaign tables) is keyed by ``scan_id``.
"""
from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text, UniqueConstraint

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
    Column("campaign_id", Integer),            # govaudit campaign: its id and the site's campaign_site row
    Column("campaign_site_id", Integer),
)

# An inspection campaign: one inspection of many sites (``govaudit campaign run``).
campaign = Table(
    "campaign",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200)),               # from sites.yaml (default: the file's name)
    Column("sites_file", Text),                # absolute path of sites.yaml
    Column("out_dir", Text),                   # where the site reports and the campaign report go
    Column("as_of", String(10)),
    Column("mode", String(20)),                # embedded | celery
    Column("started_at", String(40)),
    Column("finished_at", String(40)),
    Column("status", String(20), default="running"),   # running | complete
    Column("settings", JSON),                  # max_pages, scan settings passed to every site
)

# One site of a campaign and how its job went.
campaign_site = Table(
    "campaign_site",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("campaign_id", Integer, ForeignKey("campaign.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer),               # order in sites.yaml
    Column("name", String(200), nullable=False),
    Column("start_url", Text),
    Column("profile_path", Text),
    Column("level", String(20)),               # 区县 | 部门
    Column("grp", String(200)),                # the site's group in sites.yaml
    Column("status", String(20), default="pending"),   # pending | running | complete | failed | blocked
    Column("reason", Text),                    # why failed / blocked
    Column("scan_id", Integer),
    Column("report_dir", Text),
    Column("attempts", Integer, default=0),
    Column("worker", String(300)),             # host:pid of the job's process
    Column("heartbeat_at", Float),             # epoch s, refreshed while the job runs
    Column("started_at", String(40)),
    Column("finished_at", String(40)),
    UniqueConstraint("campaign_id", "name", name="uq_campaign_site"),
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
    # How the link is hidden on that page: {"hidden": ["display_none", "offscreen", ...]}
    # (crawler/extract/hidden.py); NULL when shown, and in older scans.  The audits judge 暗链.
    Column("facts", JSON),
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

# An attachment a document links to (政府信息公开 and policy documents), as fetched in this scan:
# one row per (file, linking document).  outcome: fetched | not_modified | too_large (over the
# per-file cap) | over_total (the scan's byte budget was spent) | failed (no answer).
attachment = Table(
    "attachment", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scan.id", ondelete="CASCADE"), nullable=False),
    Column("url", Text, nullable=False),
    Column("document_url", Text, nullable=False),
    Column("name", Text),                          # the link text (附件1：……名单.xlsx)
    Column("status", Integer), Column("content_type", String(200)), Column("size", Integer),
    Column("sha256", String(64)),                  # -> attachment_text
    Column("etag", String(200)), Column("last_modified", String(100)),
    Column("outcome", String(20)), Column("detail", Text), Column("fetched_at", String(40)),
    UniqueConstraint("scan_id", "url", "document_url", name="uq_attachment"),
)

# The text of a file, read once per distinct content (sha256) whatever scan or URL served it
# (crawler/files/readers.py: status, parts [{where, text}], cells [[sheet, row, col, value]]; an
# archive's parts and cells also name their member: crawler/files/archives.py).
attachment_text = Table(
    "attachment_text", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("kind", String(20)), Column("status", String(20)), Column("detail", Text),
    Column("pages", Integer), Column("parts", JSON), Column("cells", JSON),
    Column("cpu_seconds", Float), Column("reader", String(20)), Column("read_at", String(40)),
    Column("members", JSON),                       # an archive's members: [{name, kind, status, detail, pages}]
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
Index("ix_attachment_doc", attachment.c.scan_id, attachment.c.document_url)
