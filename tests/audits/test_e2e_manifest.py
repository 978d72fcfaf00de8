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
