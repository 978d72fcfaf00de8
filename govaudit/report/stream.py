"""The findings of a report, never all held at once: a slim frame of the short columns the counts
and the order need, and the findings themselves read back a batch at a time for the rows.

At 10⁵ documents (27,000 findings) the findings as records and as one frame with their evidence
were 120 MB of the report's peak.  The slim frame is about 100 bytes a finding (its strings are
shared between the rows); a finding's message, URLs and evidence are fetched (``details``) when
its row of report.html, of a findings.xlsx sheet or of a 主要问题 paragraph is written, and let go
after.  The findings come from the database (``audits.runner.StoredFindings``) or, for a findings
document given in memory, from its list (``ListFindings``): both give pages and fetch by reference.
"""
from __future__ import annotations

import pandas as pd

from govaudit.core import scans
from govaudit.report import source
from govaudit.report.evidence import evidence_items
from govaudit.report.frame import category_of, finding_key, finding_rows, report_order, sharing, task_numbers
from govaudit.report.safety import http_url
from govaudit.report.settings import vocabulary

# Findings fetched per query for the rows (a batch's records and frame are a few MB at most).
BATCH = 500


class ListFindings:
    """The findings of a document held in memory, with the interface of ``StoredFindings``
    (references are positions in the list)."""

    stored = False        # records may lack first_seen_scan: the stored rows say it then

    def __init__(self, records):
        self.records = list(records or [])

    def pages(self, slim: bool = False):
        yield list(enumerate(self.records))

    def fetch(self, refs):
        return (self.records[i] for i in refs)

    def __iter__(self):
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)


def findings_source(doc: dict):
    """What the report reads the findings of ``doc`` from: its ``StoredFindings``, or its list."""
    findings = doc.get("findings")
    return findings if hasattr(findings, "fetch") else ListFindings(findings)


class _FoundOn:
    """发现日期 of a record: the date of the scan that first found the problem (the report's scan
    if unknown).  A record without ``first_seen_scan`` gets the one stored for its key, if any."""

    def __init__(self, engine, scan: dict, default: str, stored: bool):
        self.engine, self.scan_id, self.default = engine, scan["id"], default
        self.first_seen = {} if stored else None      # loaded only when a record lacks its own
        self.dates = scans.scan_dates(engine, [scan["id"]])

    def __call__(self, record: dict) -> str:
        first = record.get("first_seen_scan")
        if not first:
            if self.first_seen is None:
                self.first_seen = scans.stored_first_seen(self.engine, self.scan_id)
            first = self.first_seen.get(finding_key(record))
        if first is not None and first not in self.dates:
            self.dates.update(scans.scan_dates(self.engine, [first]) or {first: None})
        return self.dates.get(first) or self.dates.get(self.scan_id) or self.default


SLIM_COLUMNS = ["ref", "check", "check_name", "severity", "severity_name", "unit", "column", "field", "tasks",
                "category", "found_on", "url"]
WIDE_COLUMNS = ["key", "column_url"]      # kept too when the report compares (trend.compare reads them)


def slim_frame(engine, scan: dict, findings, names: dict[str, str], unit_when_missing: str,
               default_date: str, wide: bool = False) -> pd.DataFrame:
    """One row per finding of ``findings`` in report order (``frame.report_order``): its reference
    (``ref``, for ``details``) and the short columns the counts use; equal values share one
    string.  ``url`` (for the order) is left out afterwards unless ``wide``."""
    severities = vocabulary()["severities"]
    found_on = _FoundOn(engine, scan, default_date, getattr(findings, "stored", True))
    share = sharing()
    columns = SLIM_COLUMNS + (WIDE_COLUMNS if wide else [])
    rows = {name: [] for name in columns}
    pieces = []
    for page in findings.pages(slim=not wide):
        rows = {name: [] for name in columns}
        for ref, r in page:
            check, severity = r.get("check") or "", r.get("severity") or "deduct"
            values = (ref, share(check), names.get(check, check), share(severity),
                      severities.get(severity, r.get("severity") or ""),
                      share((r.get("unit") or "").strip() or unit_when_missing), share((r.get("column") or "").strip()),
                      share(r.get("field") or ""), share(tuple(task_numbers(r.get("tasks")))), category_of(check),
                      share(found_on(r)), r.get("url") or "")
            if wide:
                values += (finding_key(r), r.get("column_url") or "")
            for name, value in zip(columns, values):
                rows[name].append(value)
        # A frame a page: the lists of Python values (each reference an int object) go with their
        # page instead of all being held until the end (2 MB less at 27,000 findings).
        pieces.append(pd.DataFrame(rows, columns=columns))
    frame = pd.concat(pieces, ignore_index=True) if pieces else pd.DataFrame(rows, columns=columns)
    del pieces
    frame = report_order(frame, names)
    return frame.drop(columns=["check_rank"] + ([] if wide else ["url"]))


def details(report, positions, batch: int | None = None, items: bool = True):
    """The whole rows (every column of ``frame.findings_frame``, and 发现日期, 状态, 整改时限, the
    evidence items and the column's link) of the findings at ``positions`` of ``report.findings``,
    in that order, one frame of at most ``batch`` (default ``BATCH``) findings at a time."""
    batch = batch or BATCH      # read when called: the tests make the batches small
    slim = report.findings
    positions = list(positions)
    for start in range(0, len(positions), batch):
        part = slim.iloc[positions[start:start + batch]]
        frame = finding_rows(report.source.fetch(part["ref"].tolist()), report.names,
                             report.settings["unit_when_missing"])
        for name in ("check_rank", "found_on", "status", "deadline"):
            if name in part:
                frame[name] = part[name].to_numpy()
        if items:
            frame["evidence_items"] = [evidence_items(c, e) for c, e in zip(frame["check"], frame["evidence"])]
        frame["column_href"] = frame["column_url"].map(lambda u: http_url(u) or "")
        yield frame


# Values of a finding's whole row made anew for each row that no 主要问题 sentence reads
# (problems.Say names what they read); the other columns' values are shared between rows.
UNSAID = ["key", "tasks", "column_href"]


def check_part(report, engine, scan_id: int):
    """``part_of`` for ``problems.paragraphs``: the whole rows of one check's findings in report
    order, with the link facts of their URLs (on_homepage, is_attachment)."""
    checks = report.findings["check"]

    def part_of(check: str) -> pd.DataFrame:
        positions = (checks == check).to_numpy().nonzero()[0]      # paragraphs asks only for checks found
        # A check's whole rows are held while its sentence is said (8,000 rows at 10⁵ documents).
        frame = pd.concat((rows.drop(columns=UNSAID) for rows in details(report, positions, items=False)),
                          ignore_index=True)
        homepage, attachments = source.link_flags(engine, scan_id, frame["url"].unique())
        ev = frame["evidence"]
        frame["on_homepage"] = ev.map(lambda e: bool(e.get("on_homepage"))) | frame["url"].isin(homepage)
        frame["is_attachment"] = ev.map(lambda e: bool(e.get("is_attachment"))) | frame["url"].isin(attachments)
        return frame
    return part_of
