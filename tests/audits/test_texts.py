"""Body text and per-page JSON read in batches (audits.texts), and only the declared columns loaded:
the findings must not change with either.  Read-only on the session's small site."""
from __future__ import annotations

import pandas as pd
import pytest

from audits import filetext
from audits.config import merged_config
from audits.docparts import document_batches, document_view
from audits.registry import all_rules
from audits.runner import run_rules
from audits.snapshot import OPTIONAL, TABLES, Snapshot, check_reads, frame_columns
from audits.texts import document_texts, page_values
from govaudit.core import storage
from tests.conftest import AS_OF


@pytest.fixture(scope="module")
def engine(small_audit):
    engine = storage.connect(small_audit.db, create=False)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def full(small_audit, engine):
    """Every optional column loaded (what ``Snapshot.load`` gives a caller that names none)."""
    return Snapshot.load(engine, small_audit.scan_id)


def _findings(snapshot, batch: int, monkeypatch) -> list[dict]:
    monkeypatch.setenv("GOVAUDIT_TEXT_BATCH_SIZE", str(batch))
    monkeypatch.setattr(filetext, "FILE_BATCH", batch)     # attachment text, a batch of files at a time
    findings, errors = run_rules(snapshot, merged_config(), AS_OF)
    assert not errors
    return [f.to_json() for f in findings]


@pytest.fixture(scope="module")
def one_batch(full):
    """Every rule's findings with every text read in one batch."""
    with pytest.MonkeyPatch.context() as mp:
        return _findings(full, 10 ** 6, mp)


def test_findings_do_not_depend_on_the_text_batch_size(small_audit, full, one_batch, monkeypatch):
    tiny = _findings(full, 3, monkeypatch)              # hundreds of batches, every boundary
    assert tiny and tiny == one_batch
    # The session's audit ran with the default batch size (500) and the columns the rules declare.
    assert [f["key"] for f in small_audit.findings["findings"]] == [f["key"] for f in tiny]
    # Rules that read text or page facts found something, so the comparison means something.
    assert {"privacy_leak", "expired_still_valid", "accessibility"} <= {f["check"] for f in tiny}
    assert any(f["check"] == "privacy_leak" and f["evidence"].get("attachment") for f in tiny)


def test_each_rule_runs_on_the_columns_it_declares(engine, full, one_batch):
    """The always-loaded columns plus a rule's ``reads`` give it everything it reads."""
    config = merged_config()
    shared_views: dict = {}      # derived frames built once, from the always-loaded columns only
    for r in all_rules():
        check_reads(r.reads)
        frames = {name: getattr(full, name)[frame_columns(name, r.reads)]
                  for name in TABLES if name != "link_sources"}
        frames["attachment_texts"] = full.attachment_texts       # read whole, not a declared column
        lean = Snapshot(full.scan, frames, engine, r.reads)
        lean._memo = shared_views
        assert {f.key for f in r.check(lean, config, AS_OF)} == \
            {f["key"] for f in one_batch if f["check"] == r.id}, r.id


def test_text_is_not_in_the_frames_and_is_read_per_document(small_audit, engine):
    snapshot = Snapshot.load(engine, small_audit.scan_id, reads=[])
    assert "body_text" not in snapshot.documents and "facts" not in snapshot.pages
    assert not any(c in snapshot.links for c in OPTIONAL["links"])
    with pytest.raises(ValueError, match="audits.texts"):
        check_reads(["documents.body_text"])
    urls = list(snapshot.documents["url"][:3])
    texts = dict(document_texts(snapshot, urls + ["http://elsewhere.test/not-in-this-scan"]))
    assert sorted(texts) == sorted(urls) and all(isinstance(t, str) for t in texts.values())
    home = snapshot.homepage_url
    assert isinstance(dict(page_values(snapshot, "facts", [home]))[home], dict)


def test_file_text_is_not_in_the_frames_and_is_read_per_batch_of_files(small_audit, engine):
    snapshot = Snapshot.load(engine, small_audit.scan_id, reads=[])
    assert "attachments" not in snapshot.held_views()       # read by the first rule that asks
    held = snapshot.attachment_texts
    assert "attachments" in snapshot.held_views()
    assert len(held) and "parts" not in held and "cells" not in held
    assert not any(c in snapshot.attachments for c in OPTIONAL["attachments"])
    read = list(held["sha256"][held["status"] == "ok"])
    texts = {sha: parts for sha, parts, _ in filetext.file_texts(snapshot, read + [None, "0" * 64])}
    assert sorted(texts) == sorted(read)
    assert all(isinstance(p, dict) and "text" in p for parts in texts.values() for p in parts)
    assert any(p["text"].strip() for parts in texts.values() for p in parts)
    # Every attachment once, in the view's order, with the text read for it.
    rows = list(filetext.files_with_text(snapshot, merged_config()))
    view = filetext.attachment_view(snapshot, merged_config())
    assert [url for url, *_ in rows] == list(view.index)
    assert any(parts for _, a, parts, _ in rows if a["sha256"] in texts)
    snapshot.release({"attachments"})                       # let go after the last rule naming it
    assert "attachments" not in snapshot.held_views()
    assert snapshot.attachment_texts.equals(held)           # and read again when asked again


def test_the_view_read_by_columns_is_those_columns_of_the_whole_view(small_audit, engine, monkeypatch):
    monkeypatch.setenv("GOVAUDIT_TEXT_BATCH_SIZE", "7")      # several parts
    config, snapshot = merged_config(), Snapshot.load(engine, small_audit.scan_id)
    whole = document_view(snapshot, config)
    parts = list(document_batches(snapshot, config, ("title", "fetched_ok")))
    assert len(parts) > 1
    pd.testing.assert_frame_equal(pd.concat(parts), whole[["title", "fetched_ok"]])
    assert list(pd.concat(document_batches(snapshot, config, ())).index) == list(whole.index)
