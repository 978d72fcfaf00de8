"""The report reads its findings a batch at a time: the same files as from one list, never all held."""
from __future__ import annotations

import json
import weakref
from dataclasses import asdict

import openpyxl
import pandas as pd

from audits.registry import get
from audits.runner import StoredFindings, load_findings_document
from govaudit.report import build_report, stream, workbook, write_reports
from govaudit.report.output import write_json


def test_findings_json_written_a_page_at_a_time_is_the_one_shot_document(history, tmp_path):
    engine, ids, _ = history
    doc = load_findings_document(engine, ids[-1])
    assert len(doc["findings"]) > 10
    paged = {**doc, "findings": StoredFindings(engine, ids[-1], page=2)}
    write_json(tmp_path / "paged.json", paged)
    assert (tmp_path / "paged.json").read_text("utf-8") == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    write_json(tmp_path / "none.json", {**doc, "findings": iter(())})
    assert (tmp_path / "none.json").read_text("utf-8") == \
        json.dumps({**doc, "findings": []}, ensure_ascii=False, indent=2) + "\n"
    write_json(tmp_path / "null.json", {**doc, "findings": None})
    assert json.loads((tmp_path / "null.json").read_text("utf-8"))["findings"] is None


class Record(dict):
    """A finding as the report is given it (a dict that can be counted while alive)."""


class FreshFindings:
    """Findings made afresh each time they are read, kept only as text here: how many of them are
    alive at once is how many the report holds."""

    stored = False

    def __init__(self, records, page: int):
        self.texts = [json.dumps(r, ensure_ascii=False) for r in records]
        self.page = page
        self.alive = self.most = 0

    def _gone(self) -> None:
        self.alive -= 1

    def _record(self, i: int) -> Record:
        record = Record(json.loads(self.texts[i]))
        weakref.finalize(record, self._gone)
        self.alive += 1
        self.most = max(self.most, self.alive)
        return record

    def pages(self, slim: bool = False):
        for start in range(0, len(self.texts), self.page):
            yield [(i, self._record(i)) for i in range(start, min(start + self.page, len(self.texts)))]

    def fetch(self, refs):
        return (self._record(i) for i in refs)

    def __iter__(self):
        return (self._record(i) for i in range(len(self.texts)))


def _cells(path):
    book = openpyxl.load_workbook(path, read_only=True)
    return [(ws.title, list(ws.iter_rows(values_only=True))) for ws in book.worksheets]


def test_the_report_holds_a_batch_of_findings_and_writes_what_one_list_gives(history, tmp_path, monkeypatch):
    engine, ids, _ = history
    doc = load_findings_document(engine, ids[-1])
    whole = write_reports(engine, ids[-1], tmp_path / "whole", findings_doc=doc)

    monkeypatch.setattr(stream, "BATCH", 2)
    monkeypatch.setattr(workbook, "WIDTH_SAMPLE", 2)       # a unit's sheet written in parts too
    fresh = FreshFindings(doc["findings"], page=2)
    parts = write_reports(engine, ids[-1], tmp_path / "parts", findings_doc={**doc, "findings": fresh})

    assert fresh.most <= 4 < len(doc["findings"])
    assert parts["findings.json"].read_bytes() == whole["findings.json"].read_bytes()
    assert parts["report.html"].read_bytes() == whole["report.html"].read_bytes()
    assert _cells(parts["findings.xlsx"]) == _cells(whole["findings.xlsx"])
    sheet = dict(_cells(parts["findings.xlsx"]))["区教体局"]
    assert [row[0] for row in sheet[1:]] == list(range(1, 6))      # numbered on across the parts


def test_a_unit_sheet_filter_covers_every_row_when_written_in_parts(history, tmp_path, monkeypatch):
    engine, ids, docs = history
    monkeypatch.setattr(workbook, "WIDTH_SAMPLE", 2)
    path = write_reports(engine, ids[-1], tmp_path / "out", findings_doc=docs[-1])["findings.xlsx"]
    ws = openpyxl.load_workbook(path)["区教体局"]
    assert ws.auto_filter.ref == "A1:J6" and ws.max_row == 6


def _paragraphs_and_parts(engine, scan_id: int) -> tuple[list, dict]:
    doc = load_findings_document(engine, scan_id, lazy=True)
    report = build_report(engine, scan_id, doc)
    part_of = stream.check_part(report, engine, scan_id)
    parts = {check: part_of(check) for check in report.findings["check"].unique()}
    return [asdict(p) for p in report.paragraphs], parts


def test_a_checks_sentence_read_a_finding_at_a_time_says_what_it_says_of_all_at_once(history, monkeypatch):
    engine, ids, _ = history
    whole, whole_parts = _paragraphs_and_parts(engine, ids[-1])
    monkeypatch.setattr(stream, "BATCH", 1)
    batched, batched_parts = _paragraphs_and_parts(engine, ids[-1])

    spoken = {c for c in whole_parts if callable(getattr(get(c), "sentence", None))}
    assert len(spoken) >= 5 and any(len(whole_parts[c]) > 1 for c in spoken)    # rules' own sentences, over many rows
    assert batched == whole
    for check, part in whole_parts.items():
        pd.testing.assert_frame_equal(batched_parts[check], part)
        assert {"unit", "column", "url", "field", "message", "evidence", "severity", "on_homepage",
                "is_attachment"} <= set(part.columns)
        assert not set(stream.UNSAID) & set(part.columns)
