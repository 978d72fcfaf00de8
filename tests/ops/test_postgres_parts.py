"""List items, documents, pages and links read in parts (audits.parts) give on PostgreSQL what they
give on SQLite: the keyset pages (a row-value comparison after the items of no list page), the
pages no link check covered, and the findings."""
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
        site._add(storage.page, url=f"http://site.test/d/x{i}", kind="document", status=200)
    site.link("http://site.test/d/x2", status=200, outcome="ok", sources=["http://site.test/c/gfxwj/"])
    snapshot = site.snapshot()
    pages = ([part["url"].tolist() for part in snapshot.page_parts(["kind"])], snapshot.pages_without_link(),
             snapshot.pages_of_kind(["document"])["url"].tolist(),
             snapshot.links_of(["http://site.test/gone", "http://site.test/d/x2"])["outcome"].tolist())
    items = [row for part in snapshot.list_item_parts(["column_url", "url", "title"])
             for row in part[["page_url", "column_url", "url", "title"]].itertuples(index=False, name=None)]
    docs = [url for part in snapshot.document_parts() for url in part["url"]]
    findings = [(f["check"], f["url"], f["field"], f["message"]) for f in site.audit("2023-11-30")["findings"]]
    return items, docs, findings, pages


def test_parts_and_findings_on_postgresql_are_those_on_sqlite(pg_url, tmp_path, monkeypatch):
    monkeypatch.setenv("GOVAUDIT_ROW_BATCH_SIZE", "2")
    on_pg, on_sqlite = _read(storage.connect(pg_url)), _read(storage.connect(str(tmp_path / "snap.db")))
    assert on_pg == on_sqlite
    items, docs, findings, pages = on_pg
    urls = [f"http://site.test/d/x{i}" for i in range(6)]
    parts, unchecked, documents, outcomes = pages
    assert parts == [urls[:2], urls[2:4], urls[4:]]          # parts of 2, by URL
    assert unchecked == [u for u in urls if u != "http://site.test/d/x2"] and documents == urls
    assert outcomes == ["ok", "http_4xx"]                    # by URL: …/d/x2 before …/gone
    assert [page for page, *_ in items] == [None] * 8 + [f"http://site.test/c/gfxwj/l/{n}" for n in "1122"]
    assert docs == sorted(docs) and len(docs) == 7
    assert {"empty_column", "stale_column", "missing_element", "broken_link"} <= {f[0] for f in findings}
