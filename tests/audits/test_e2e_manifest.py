"""End to end: crawl the small simulated site over HTTP, audit it, score against its manifest.

Precision and recall must reach 0.98 for each of the eight core checks.  The per-check table
is printed (pytest -s shows it; it is also in the failure message).
"""
from __future__ import annotations

import pytest

from audits.evaluate import CORE_CHECKS, compare, mismatches, table_text

THRESHOLD = 0.98


@pytest.fixture
def audited(small_audit):
    """(findings document, manifest) of the session's crawl and audit of the small site."""
    return small_audit.findings, small_audit.manifest


def test_core_checks_match_the_manifest(audited):
    doc, manifest = audited
    table = compare(doc["findings"], manifest["defects"], CORE_CHECKS)
    report = table_text(table)
    print("\n" + report)
    failing = [c for c in CORE_CHECKS if table.loc[c, "precision"] < THRESHOLD or table.loc[c, "recall"] < THRESHOLD]
    details = "\n".join(f"  {kind} {key[1]} {key[2] or ''} — {text}" for c in failing
                        for kind, items in mismatches(doc["findings"], manifest["defects"], c).items()
                        for key, text in items[:8])
    assert not failing, f"below {THRESHOLD}: {failing}\n{report}\n{details}"
    assert all(table.loc[c, "TP"] > 0 for c in CORE_CHECKS), "the manifest plants every core check"


def test_document_is_well_formed_after_a_real_crawl(audited):
    doc, manifest = audited
    assert "rule_errors" not in doc
    assert doc["inventory"]["documents"] > 0 and doc["inventory"]["links_checked"] > 0
    assert doc["verdict"]["result"] in ("合格", "不合格")


VETO_CHECKS = ("serious_wording_error", "hidden_link", "hijacked_link")


def test_veto_content_checks_match_the_manifest(audited):
    """严重表述错误, 暗链 and lapsed external domains (issue 14), planted with controls by
    sitesim/veto.py and sitesim/external.py."""
    doc, manifest = audited
    table = compare(doc["findings"], manifest["defects"], VETO_CHECKS)
    print("\n" + table_text(table))
    details = {c: mismatches(doc["findings"], manifest["defects"], c) for c in VETO_CHECKS}
    for c in VETO_CHECKS:
        assert table.loc[c, "TP"] > 0, f"the manifest plants {c}"
        assert table.loc[c, "precision"] >= THRESHOLD and table.loc[c, "recall"] >= THRESHOLD, details[c]


ATTACHMENT_CHECKS = ("privacy_leak", "attachment_unreadable", "scanned_pdf", "attachment_only_document")
CONTROLS = ("masked_personal_data", "contact_line", "oversize_attachment")


def test_attachment_checks_match_the_manifest(audited):
    """Files the simulator serves (PDF, DOCX, XLSX) are fetched, read and judged: personal data in
    attachments at precision and recall >= 0.98, every control file unflagged."""
    doc, manifest = audited
    files = {u for d in manifest["documents"] for u in d.get("attachments") or ()}

    def in_files(records):
        return [r for r in records if r["url"] in files or r["check"] != "privacy_leak"]

    table = compare(in_files(doc["findings"]), in_files(manifest["defects"]), ATTACHMENT_CHECKS)
    print("\n" + table_text(table))
    assert table.loc["privacy_leak", "TP"] >= 3, "the manifest plants personal data in attachments"
    for check in ATTACHMENT_CHECKS:
        assert table.loc[check, "precision"] >= THRESHOLD and table.loc[check, "recall"] >= THRESHOLD, \
            (check, mismatches(doc["findings"], manifest["defects"], check))
    controls = {t["url"] for t in manifest["traps"] if t["kind"] in CONTROLS}
    assert len(controls) >= 4
    assert not [f for f in doc["findings"] if f["url"] in controls]
