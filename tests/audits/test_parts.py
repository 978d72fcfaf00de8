"""List items, documents, pages and links read in parts (audits.parts), never held whole by an unscoped snapshot:
the findings must not change with the part size, and every way of reading the rows gives the
rows of the whole table, in its order.  Read-only on the session's small site."""
from __future__ import annotations

import pandas as pd
import pytest

from audits.config import merged_config
from audits.runner import run_rules
from audits.snapshot import Snapshot
from govaudit.core import storage
from tests.audits.conftest import SITE, SnapshotBuilder
from tests.conftest import AS_OF


@pytest.fixture(scope="module")
def engine(small_audit):
    engine = storage.connect(small_audit.db, create=False)
    yield engine
    engine.dispose()


def _audit(engine, scan_id: int, part: int, monkeypatch) -> tuple[list[dict], Snapshot]:
    monkeypatch.setenv("GOVAUDIT_ROW_BATCH_SIZE", str(part))
    snapshot = Snapshot.load(engine, scan_id)
    findings, errors = run_rules(snapshot, merged_config(), AS_OF)
    assert not errors
    return [f.to_json() for f in findings], snapshot


def test_findings_do_not_depend_on_the_part_size_and_no_table_is_held_whole(small_audit, engine, monkeypatch):
    one_part, _ = _audit(engine, small_audit.scan_id, 10 ** 6, monkeypatch)
    tiny, snapshot = _audit(engine, small_audit.scan_id, 1, monkeypatch)       # a query per row
    assert tiny and tiny == one_part
    assert [f["key"] for f in small_audit.findings["findings"]] == [f["key"] for f in tiny]
    # Rules that read list items and documents found something, so the comparison means something.
    assert {"stale_column", "missing_element", "missing_interpretation", "broken_link"} <= {f["check"] for f in tiny}
    # Every rule ran, and no table that grows with the site was read whole.
    assert {name: snapshot._held[name] for name in ("list_items", "documents", "pages", "links", "link_sources")} \
        == {"list_items": None, "documents": None, "pages": None, "links": None, "link_sources": None}


def _rows(frame: pd.DataFrame, columns) -> list[tuple]:
    return list(frame[list(columns)].itertuples(index=False, name=None))


def test_parts_and_asked_rows_are_the_whole_tables_rows_in_its_order(small_audit, engine, monkeypatch):
    monkeypatch.setenv("GOVAUDIT_ROW_BATCH_SIZE", "7")
    snapshot = Snapshot.load(engine, small_audit.scan_id)
    assert snapshot._held["list_items"] is None
    items, docs = snapshot.list_items, snapshot.documents        # read whole on first use (tools, tests)
    columns = list(items.columns)
    parts = list(snapshot.list_item_parts())
    assert len(parts) > 100 and _rows(pd.concat(parts), columns) == _rows(items, columns)
    assert snapshot.count("list_items") == len(items) and snapshot.count("documents") == len(docs)
    # Asked for by column or by entry URL: the same rows as the whole table's, in its order.
    snapshot._held.update(list_items=None, documents=None)
    some_columns = set(items["column_url"].unique()[::3])
    assert _rows(snapshot.list_items_in(some_columns), columns) == \
        _rows(items[items["column_url"].isin(some_columns)], columns)
    shared = items["url"][items["url"].duplicated()]          # entries listed in several columns
    wanted = set(shared) | set(items["url"][::5])
    assert len(shared) and _rows(snapshot.list_items_of(wanted), columns) == _rows(items[items["url"].isin(wanted)], columns)
    doc_columns = list(docs.columns)
    assert _rows(pd.concat(snapshot.document_parts()), doc_columns) == _rows(docs, doc_columns)
    assert list(docs["url"]) == sorted(docs["url"])
    picked = set(docs["url"][::4])
    assert _rows(snapshot.documents_of(picked), doc_columns) == _rows(docs[docs["url"].isin(picked)], doc_columns)
    # Pages and links: parts by URL, rows asked for by URL or (pages) by kind, the counts.
    for name, read_parts, read_of in (("pages", snapshot.page_parts, snapshot.pages_of),
                                      ("links", snapshot.link_parts, snapshot.links_of)):
        whole = getattr(snapshot, name)
        names = list(whole.columns)
        assert list(whole["url"]) == sorted(whole["url"]) and snapshot.count(name) == len(whole)
        assert _rows(pd.concat(read_parts()), names) == _rows(whole, names)
        snapshot._held[name] = None
        picked = set(whole["url"][::3]) | {"http://elsewhere.example/none"}
        assert _rows(read_of(picked), names) == _rows(whole[whole["url"].isin(picked)], names)
    pages, links = snapshot.pages, snapshot.links
    lists = {"column", "list"}
    assert _rows(snapshot.pages_of_kind(lists), list(pages.columns)) == _rows(pages[pages["kind"].isin(lists)], list(pages.columns))
    unchecked = snapshot.pages_without_link()
    assert unchecked == sorted(set(pages["url"]) - set(links["url"]))
    snapshot._held["pages"] = snapshot._held["links"] = None
    assert snapshot.pages_without_link() == unchecked
    # A column no enabled rule declared is not read, from a part or from a frame.
    lean = Snapshot.load(engine, small_audit.scan_id, reads=[])
    with pytest.raises(KeyError, match="date_raw"):
        lean.list_items_in(some_columns, ["date_raw"])


@pytest.mark.parametrize("part", [1, 2, 10 ** 6])
def test_list_items_of_no_list_page_come_first_then_by_page_then_as_stored(site, part, monkeypatch):
    """The order SQLite's whole-table read had (its (scan_id, page_url) index), on every path."""
    monkeypatch.setenv("GOVAUDIT_ROW_BATCH_SIZE", str(part))
    stored = [("p/b", "A", "x"), (None, "B", "y"), ("p/a", "C", "x"), (None, "A", "z"), ("p/a", "A", "y")]
    for page, column, url in stored:
        site._add(storage.list_item, page_url=page and SITE + page, column_url=SITE + column, url=SITE + url,
                  title=column + url)
    snapshot = site.snapshot()
    order = ["By", "Az", "Cx", "Ay", "Ax"]
    assert [t for p in snapshot.list_item_parts(["title"]) for t in p["title"]] == order
    assert list(snapshot.list_items_of({SITE + "x", SITE + "y"})["title"]) == ["By", "Cx", "Ay", "Ax"]
    assert list(snapshot.list_items_in({SITE + "A"})["title"]) == ["Az", "Ay", "Ax"]
    assert list(snapshot.list_items["title"]) == order


def test_a_scoped_scan_holds_its_few_rows_and_reads_them_the_same_way(tmp_path):
    """A scoped scan's snapshot is restricted on the whole tables; its parts come from them."""
    scoped = SnapshotBuilder(storage.connect(str(tmp_path / "snap.db")), scope_column=SITE + "c/")
    scoped.column(SITE + "c/", "政策文件").column(SITE + "other/", "通知公告")
    for i in range(3):
        scoped.listed_doc(SITE + "c/", f"{SITE}c/{i}.html", f"文件{i}", date="2023-11-0%d" % (i + 1))
    scoped.listed_doc(SITE + "other/", SITE + "other/1.html", "通知", date="2023-11-01")
    for url in (SITE + "c/1.html", SITE + "other/1.html"):
        scoped._add(storage.page, url=url, kind="document", status=200)
        scoped._add(storage.link, url=url, status=200, outcome="ok")
        scoped._add(storage.link_source, target_url=url, source_url=url.rsplit("/", 1)[0] + "/", on_homepage=False)
    snapshot = scoped.snapshot()
    assert snapshot._held["documents"] is not None and snapshot._held["list_items"] is not None
    assert list(pd.concat(snapshot.document_parts())["url"]) == [f"{SITE}c/{i}.html" for i in range(3)]
    assert set(snapshot.list_items_of({SITE + "other/1.html", SITE + "c/1.html"})["url"]) == {SITE + "c/1.html"}
    assert snapshot.count("documents") == 3
    assert snapshot._held["pages"] is not None and snapshot._held["links"] is not None
    assert list(pd.concat(snapshot.page_parts())["url"]) == [SITE + "c/1.html"]
    assert list(snapshot.pages_of({SITE + "c/1.html", SITE + "other/1.html"})["url"]) == [SITE + "c/1.html"]
    assert snapshot.pages_without_link() == [] and snapshot.count("pages") == 1
