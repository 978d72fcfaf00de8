"""List items and documents read in parts (audits.parts) give on PostgreSQL what they give on SQLite:
the keyset pages (a row-value comparison after the items of no list page) and the findings."""
from __future__ import annotations

import pytest

from govaudit.core import storage
from tests.audits.conftest import SnapshotBuilder
from tests.audits.test_runner import small_site

pytestmark = pytest.mark.postgres


def _read(engine):
    site = small_site(SnapshotBuilder(engine), blank=2, stale_dates=("2023-01-05", "2023-10-01", "2023-02-01"))
    for i, page in enumerate(["l/2", None, "l/1", "l/2", None, "l/1"]):
        site._add(storage.list_item, column_url="http://site.test/c/gfxwj/", url=f"http://site.test/d/x{i}",
                  title=f"文件{i}", date=f"2023-0{i + 1}-02", page_url=page and "http://site.test/c/gfxwj/" + page,
                  position=i % 3)
        site.doc(f"http://site.test/d/x{i}", f"文件{i}", fields={"发布日期": f"2023-0{i + 1}-02"})
    snapshot = site.snapshot()
    items = [row for part in snapshot.list_item_parts(["column_url", "url", "title"])
             for row in part[["page_url", "column_url", "url", "title"]].itertuples(index=False, name=None)]
    docs = [url for part in snapshot.document_parts() for url in part["url"]]
    findings = [(f["check"], f["url"], f["field"], f["message"]) for f in site.audit("2023-11-30")["findings"]]
    return items, docs, findings


def test_parts_and_findings_on_postgresql_are_those_on_sqlite(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("GOVAUDIT_ROW_BATCH_SIZE", "2")
    on_pg, on_sqlite = _read(storage.connect(pg_url)), _read(storage.connect(str(tmp_path / "snap.db")))
    assert on_pg == on_sqlite
    items, docs, findings = on_pg
    assert [page for page, *_ in items] == [None] * 8 + [f"http://site.test/c/gfxwj/l/{n}" for n in "1122"]
    assert docs == sorted(docs) and len(docs) == 7
    assert {"empty_column", "stale_column", "missing_element", "broken_link"} <= {f[0] for f in findings}
