"""Run every registered rule over a stored scan, store the findings, return findings.json (whose
findings are read back from the database, a page at a time, when iterated).

``audit_scan`` is pure over the snapshot and the as-of date: it never fetches.  Re-running it
(with other thresholds or another date) replaces the scan's earlier findings and summary.
"""
from __future__ import annotations

import datetime as dt
import gc
import logging
from collections import Counter

from sqlalchemy import delete, func, insert, inspect, select

from audits import caches, scoring, tasks
from audits.blocking import block_facts, withhold
from audits.config import check_rule_names, merged_config
from audits.coverage import coverage, inventory
from audits.model import Finding
from audits.registry import all_rules
from audits.snapshot import Snapshot
from audits.spool import FindingSpool, in_report_order
from govaudit.core import heap, scans, storage
from govaudit.core.errors import EXIT_USAGE, GovauditError

log = logging.getLogger(__name__)

CST = dt.timezone(dt.timedelta(hours=8))


def now_cst() -> str:
    return dt.datetime.now(CST).replace(microsecond=0).isoformat()


def enabled_reads(config: dict) -> list[str]:
    """The optional snapshot columns the enabled rules read (``@rule(reads=...)``)."""
    return sorted({c for r in all_rules() if r.id not in config["disabled"] for c in r.reads})


# The views inventory() and coverage() read once the rules are done: kept, not built again.
AFTER_RULES = ("document_parts", "link_verdicts")


def run_order(rules) -> list:
    """The order the rules run in: those with large tables of their own (``own_tables``) first,
    which let them go after; at 10⁵ documents the 严重表述错误 tables otherwise stacked on what
    the views before them left (docs/performance.md, "Thirteenth pass").  Findings keep ``rules``' order."""
    return sorted(rules, key=lambda r: not r.own_tables)


def run_rules(snapshot: Snapshot, config: dict, as_of: dt.date,
              spool: FindingSpool | None = None) -> tuple[list[Finding], dict]:
    """Every enabled rule's findings (one per key) and the errors of rules that failed, both in the
    registry's order, whatever order the rules ran in.  With ``spool`` each rule's findings go
    there instead (the list returned is then empty)."""
    rules = all_rules()
    check_rule_names(config, {r.id for r in rules})
    enabled = [r for r in rules if r.id not in config["disabled"]]
    rank = {r.id: i for i, r in enumerate(enabled)}
    run = run_order(enabled)
    found: dict[str, list[Finding]] = {}
    errors: dict[str, str] = {}
    gc.freeze()      # the snapshot (and all before it) is no garbage: the collections below skip it
    try:
        for i, r in enumerate(run):
            out = found.setdefault(r.id, []) if spool is None else spool
            _run_rule(r, snapshot, config, as_of, errors, out, rank[r.id])
            # Views no later rule names are let go: at 10⁵ documents the 解读 pairs or the column
            # views would otherwise stack under every later rule's peak.
            snapshot.release(snapshot.held_views() - {v for later in run[i + 1:] for v in later.views}
                             - set(AFTER_RULES))
            # pandas leaves a rule's filtered frames in reference cycles, and with 10⁶ long-lived
            # objects a full automatic collection rarely comes: garbage of one rule stacked on the next.
            if r.own_tables:
                caches.release()
                heap.give_back()        # the collection, and the tables' pages returned
            else:
                gc.collect()
    finally:
        gc.unfreeze()
    return [f for r in enabled for f in found.get(r.id, ())], {r.id: errors[r.id] for r in enabled if r.id in errors}


def _run_rule(r, snapshot: Snapshot, config: dict, as_of: dt.date, errors: dict, out, rank: int = 0) -> None:
    """One rule's findings, each key once, into ``out`` (a list, or a FindingSpool with the rule's
    ``rank``), 1,000 at a time."""
    override = config["severity"].get(r.id)
    try:
        # The rule runs to its end before the first part comes: a rule that fails adds nothing.
        for part in _batched(in_report_order(r.check(snapshot, config, as_of)), 1000):
            for f in part:
                f.severity = override or f.severity
            if isinstance(out, list):
                out += part
            else:
                out.add(part, rank)
    except Exception as exc:  # one broken rule must not cost the user the other findings
        log.exception("audit rule %s failed", r.id)
        errors[r.id] = f"{type(exc).__name__}: {exc}"


def _has_detail_column(engine) -> bool:
    # Databases created before the column existed still audit; they just keep no breakdown.
    return "detail" in {c["name"] for c in inspect(engine).get_columns("audit_summary")}


def _store(engine, scan: dict, as_of: dt.date, audited_at: str, keys, findings, summary: dict) -> None:
    """The findings (an iterable, written a part at a time; ``keys`` an iterable of theirs, read
    only if earlier scans stored findings) and then the summary (which the findings may complete
    as they are written: their tasks)."""
    with engine.begin() as conn:
        first = scans.first_seen(conn, scan, keys)
        conn.execute(delete(storage.finding).where(storage.finding.c.scan_id == scan["id"]))
        conn.execute(delete(storage.audit_summary).where(storage.audit_summary.c.scan_id == scan["id"]))
        for part in _batched(findings, 1000):       # 10⁴–10⁵ findings on large sites
            conn.execute(insert(storage.finding), [{
                "scan_id": scan["id"], "audit_run": audited_at, "as_of": as_of.isoformat(), "key": f.key,
                "check": f.check, "url": f.url, "field": f.field, "unit": f.unit, "column": f.column,
                "column_url": f.column_url, "severity": f.severity, "message": f.message,
                "evidence": f.evidence, "tasks": list(f.tasks), "first_seen_scan": first.get(f.key, scan["id"]),
            } for f in part])
        if not _has_detail_column(engine):
            summary = {k: v for k, v in summary.items() if k != "detail"}
        conn.execute(insert(storage.audit_summary), [{"scan_id": scan["id"], **summary}])


def _batched(items, size: int):
    part: list = []
    for item in items:
        part.append(item)
        if len(part) == size:
            yield part
            part = []
    if part:
        yield part


_PLAIN = (str, int, float, bool, type(None))


def _jsonable(value):
    """Dates and numpy scalars in evidence become plain JSON values."""
    if type(value) in _PLAIN:       # most values: the hasattr below is slow on them (2 s at 10⁵ documents)
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def _rules_doc(rules) -> dict:
    return {r.id: r.describe() for r in rules}


def _task_section(detail: dict, as_of: str, findings: list[dict]) -> tuple[dict | None, dict]:
    """(the table used, the rows the findings cite).  Audits stored before tables were chosen by
    year carry neither: the built-in table of the as-of year stands in for them."""
    if "task_table" in detail:
        return detail["task_table"], detail.get("task_rows") or {}
    table = tasks.choose(int(str(as_of)[:4]))
    used = {t for f in findings for t in (f.get("tasks") or [])}
    return (table.label, table.describe(used)) if table else (None, {})


def _document(scan: dict, as_of: str, generated_at: str, inv: dict, verdict: dict, findings: list[dict],
              counts: dict, detail: dict) -> dict:
    rules = all_rules()
    task_table, task_rows = _task_section(detail, as_of, findings)
    doc = {
        "site": scan.get("site_name") or scan["start_url"],
        "start_url": scan["start_url"],
        "scan_id": str(scan["id"]),
        "as_of": as_of,
        "generated_at": generated_at,
        "inventory": inv,
        "verdict": verdict,
        "findings": findings,
        "counts": counts,
        "rules": _rules_doc(rules),
        "tasks": task_rows,
        "task_table": task_table,
    }
    if detail.get("scope"):
        doc["scope"] = detail["scope"]
    if detail.get("rule_errors"):
        doc["rule_errors"] = detail["rule_errors"]
    if detail.get("blocked"):       # the site refused the crawler part-way: what was not judged
        doc["blocked"] = detail["blocked"]
    return doc


def task_table(as_of: dt.date, own_paths=None, scan: dict | None = None):
    """The 要点 task table of the as-of year: the profile's own tables (``task_tables``; by default
    those of the profile the scan was crawled with), else the built-in one of that year when it is
    this site's (``sites`` in the table file)."""
    if own_paths is None:
        profile = (scan or {}).get("profile")
        own_paths = (profile.get("task_tables") if isinstance(profile, dict) else None) or []
    table = tasks.choose(as_of.year, [own_paths] if isinstance(own_paths, str) else own_paths, site=scan)
    if table is not None:
        tasks.check_rule_ids(table, {r.id for r in all_rules()})
    return table


def audit_scan(engine, scan_id: int, as_of: dt.date, overrides: dict | None = None,
               task_tables: list[str] | None = None) -> dict:
    """Run every rule on scan ``scan_id`` as of ``as_of``; store the findings and return findings.json
    with its ``findings`` as a ``StoredFindings``: read back from the database when iterated.

    Findings are tied to the tasks of the as-of year's 要点 table (``task_table``), or to none."""
    config = merged_config(overrides or {})
    snapshot = Snapshot.load(engine, scan_id, reads=enabled_reads(config))
    table = task_table(as_of, task_tables, snapshot.scan)
    spool = FindingSpool()
    _, errors = run_rules(snapshot, config, as_of, spool=spool)
    caches.release()                         # the rules are done: the report needs none of it
    if block_facts(snapshot.scan) is None:
        kept, blocked, units = None, None, spool.units        # nothing withheld: read back later
    else:
        kept, blocked = withhold(spool.read(), snapshot.scan, config, snapshot.district_unit)
        units = {f.unit or "" for f in kept}
    inv = inventory(snapshot, units, config)
    facts = coverage(snapshot, inv, config)
    scan, snapshot = snapshot.scan, None     # the frames are freed: the findings reuse their memory
    # Judged on what the verdict reads of each finding, then written a part at a time: the
    # findings of a large site are never all held at once.
    def findings():
        return spool.findings() if kept is None else kept
    penalised = scoring.penalised_columns(findings())
    judged = [scoring.scored(f, penalised) for f in findings()]
    verdict = scoring.verdict(judged, config, facts)
    if facts["partial_reason"]:      # every count is what was read before the crawl stopped
        inv.update(partial=True, partial_reason=facts["partial_reason"])
    counts = dict(Counter(f.check for f in judged))
    audited_at = now_cst()
    scope = {"unit": scan.get("scope_unit") or None, "column": scan.get("scope_column") or None} \
        if scan.get("scope_unit") or scan.get("scope_column") else None
    detail = {"verdict": verdict, "scope": scope, "rule_errors": errors, "overrides": _jsonable(overrides or {}),
              "task_table": table.label if table else None, "task_rows": {}}
    if blocked:
        detail["blocked"] = blocked
    summary = {"as_of": as_of.isoformat(), "audited_at": audited_at, "verdict": verdict["result"],
               "vetoes": verdict["vetoes"], "score_estimate": verdict["score_estimate"], "counts": counts,
               "inventory": inv, "detail": detail}
    cited: set[int] = set()

    def stored():
        for f, judged_f in zip(findings(), judged):
            f.severity = judged_f.severity            # settled by the verdict
            f.evidence = _jsonable(f.evidence)
            f.tasks = table.numbers(f.check, f.tasks) if table else []
            cited.update(f.tasks)
            yield f
        detail["task_rows"] = table.describe(cited) if table else {}

    _store(engine, scan, as_of, audited_at, (f.key for f in findings()), stored(), summary)
    spool.close()
    count, judged, kept = len(judged), None, None
    heap.give_back()        # the report that follows starts on the pages the audit freed
    log.info("audited scan %s as of %s: %d findings, %s%s", scan_id, as_of, count, verdict["result"],
             f" ({verdict['reason']})" if verdict.get("reason") else "")
    # The findings are read back from the table when written out, a page at a time: as records
    # beside the Finding objects they were 100 MB at 10⁵ documents, held until the report was done.
    return _document(scan, as_of.isoformat(), audited_at, inv, verdict, StoredFindings(engine, scan_id), counts, detail)


# Findings read from the table per query: a page of records is a few MB at most.
PAGE = 1000
_SLIM = ("key", "check", "url", "field", "unit", "column", "severity", "tasks", "first_seen_scan")


def finding_record(row) -> dict:
    """The findings.json record of a stored ``finding`` row, as ``Finding.to_json`` writes it and
    its ``first_seen_scan`` (a row of only the ``_SLIM`` columns gives a record of those keys)."""
    if "evidence" not in row:
        return {name: row[name] for name in _SLIM}
    check, url, field = row["check"], row["url"], row["field"]
    return {"check": check, "url": url, "field": field, "unit": row["unit"], "column": row["column"],
            "severity": row["severity"], "message": row["message"], "evidence": row["evidence"] or {},
            "column_url": row["column_url"], "tasks": list(row["tasks"] or []), "key": f"{check}|{url}|{field or ''}",
            "first_seen_scan": row["first_seen_scan"]}


class StoredFindings:
    """The findings.json records of an audited scan, in the document's order (by row id), read
    from the ``finding`` table a page at a time whenever they are iterated, never held at once.

    ``pages()`` gives (row id, record) pairs; ``fetch(ids)`` the records of some rows in the order
    asked.  ``slim=True`` leaves out the long columns (message, evidence, column_url)."""

    def __init__(self, engine, scan_id: int, page: int = PAGE):
        self.engine, self.scan_id, self.page = engine, scan_id, page

    def _select(self, slim: bool):
        f = storage.finding
        return select(f.c.id, *(f.c[name] for name in _SLIM)) if slim else select(f)

    def pages(self, slim: bool = False):
        # By id within the scan's range of ids, the scan tested on each row ("+ 0": not through its
        # index): SQLite otherwise read every row of the scan by that index and sorted them, per page.
        f = storage.finding
        with self.engine.connect() as conn:
            last, top = conn.execute(select(func.min(f.c.id) - 1, func.max(f.c.id))
                                     .where(f.c.scan_id == self.scan_id)).one()
        while top is not None and last < top:
            query = self._select(slim).where(f.c.id > last, f.c.id <= top, f.c.scan_id + 0 == self.scan_id)
            with self.engine.connect() as conn:
                rows = conn.execute(query.order_by(f.c.id).limit(self.page)).mappings().all()
            if not rows:
                return
            last = rows[-1]["id"]
            yield [(r["id"], finding_record(r)) for r in rows]

    def fetch(self, ids):
        """The records of rows ``ids`` (of this scan), in that order, fetched a page at a time."""
        f, ids = storage.finding, list(ids)
        for start in range(0, len(ids), self.page):
            wanted = ids[start:start + self.page]
            with self.engine.connect() as conn:
                rows = conn.execute(self._select(False).where(f.c.id.in_(wanted), f.c.scan_id + 0 == self.scan_id))
                found = {r["id"]: finding_record(r) for r in rows.mappings()}
            yield from (found[i] for i in wanted)

    def __iter__(self):
        for page in self.pages():
            yield from (record for _, record in page)

    def __len__(self) -> int:
        f = storage.finding
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(f).where(f.c.scan_id == self.scan_id)).scalar_one()


def load_findings_document(engine, scan_id: int, lazy: bool = False) -> dict:
    """findings.json rebuilt from the stored finding and audit_summary rows (no re-audit).  Its
    ``findings`` are a list, or with ``lazy`` a ``StoredFindings`` read whenever iterated."""
    scan = scans.scan_row(engine, scan_id)
    summary = scans.audit_summary(engine, scan_id)
    if summary is None:
        raise GovauditError(f"第{scan_id}次检查尚未审计，请先运行 govaudit audit / scan {scan_id} has not been audited",
                            EXIT_USAGE)
    detail = summary.get("detail") or {}
    verdict = dict(detail.get("verdict") or {})
    verdict.update({"result": summary["verdict"], "vetoes": summary["vetoes"] or [],
                    "score_estimate": summary["score_estimate"]})
    findings = StoredFindings(engine, scan_id)
    return _document(dict(scan), summary["as_of"], summary["audited_at"], summary["inventory"] or {}, verdict,
                     findings if lazy else list(findings), summary["counts"] or {}, detail)
