"""Body text and per-page JSON read in batches (audits.texts), and only the declared columns loaded:
the findings must not change with either."""
from __future__ import annotations

import shutil

import pytest

from audits.config import merged_config
from audits.registry import all_rules
from audits.runner import audit_scan
from audits.snapshot import OPTIONAL, Snapshot, check_reads
from audits.texts import document_texts, page_values
from govaudit.core import storage
from tests.conftest import AS_OF

VOLATILE = ("generated_at",)


@pytest.fixture(scope="module")
def small_copy(small_audit, tmp_path_factory):
    """A copy of the session's small-site database (auditing writes findings into it)."""
    work = tmp_path_factory.mktemp("texts")
    shutil.copy(small_audit.db_path, work / "scan.db")
    engine = storage.connect(str(work / "scan.db"))
    yield engine
    engine.dispose()


def _audit(engine, scan_id, batch, monkeypatch) -> dict:
    monkeypatch.setenv("GOVAUDIT_TEXT_BATCH_SIZE", str(batch))
    doc = audit_scan(engine, scan_id, AS_OF)
    return {k: v for k, v in doc.items() if k not in VOLATILE}


def test_findings_do_not_depend_on_the_text_batch_size(small_audit, small_copy, monkeypatch):
    one = _audit(small_copy, small_audit.scan_id, 1, monkeypatch)
    huge = _audit(small_copy, small_audit.scan_id, 10 ** 6, monkeypatch)
    assert one["findings"] and one["findings"] == huge["findings"]
    assert one == huge
    # The session's audit ran with the default batch size.
    assert [f["key"] for f in small_audit.findings["findings"]] == [f["key"] for f in one["findings"]]
    # Rules that read text found something on the small site, so the comparison means something.
    assert {"privacy_leak", "expired_still_valid", "accessibility"} <= set(one["counts"])


def test_each_rule_runs_on_the_columns_it_declares(small_audit, small_copy):
    """Loading only the always-loaded columns plus a rule's ``reads`` gives it everything it reads."""
    config = merged_config()
    full = Snapshot.load(small_copy, small_audit.scan_id)
    by_reads: dict = {}
    for r in all_rules():
        check_reads(r.reads)
        by_reads.setdefault(r.reads, []).append(r)
    for reads, rules in by_reads.items():
        lean = Snapshot.load(small_copy, small_audit.scan_id, reads=reads)
        for r in rules:
            assert sorted(f.key for f in r.check(lean, config, AS_OF)) == \
                sorted(f.key for f in r.check(full, config, AS_OF)), r.id


def test_text_is_not_in_the_frames_and_is_read_per_document(small_audit, small_copy):
    snapshot = Snapshot.load(small_copy, small_audit.scan_id, reads=[])
    assert "body_text" not in snapshot.documents and "facts" not in snapshot.pages
    assert not any(c in snapshot.links for c in OPTIONAL["links"])
    with pytest.raises(ValueError, match="audits.texts"):
        check_reads(["documents.body_text"])
    urls = list(snapshot.documents["url"][:3])
    texts = dict(document_texts(snapshot, urls + ["http://elsewhere.test/not-in-this-scan"]))
    assert sorted(texts) == sorted(urls) and all(isinstance(t, str) for t in texts.values())
    home = snapshot.homepage_url
    assert isinstance(dict(page_values(snapshot, "facts", [home]))[home], dict)
