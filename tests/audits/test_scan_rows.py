"""A condition tested on every row of a scan (a JSON key of the pages' facts, a LIKE over the link
sources) reads the scan's rows by the range of their ids (storage.rows_of_scan): the rows of
another scan inside that range are not its, and a scan without rows has none.  Texts asked for
by URL still come in the order they were stored."""
from __future__ import annotations

from audits.texts import document_texts, page_values
from govaudit.core import storage
from tests.audits.conftest import SnapshotBuilder

OTHER = "http://other.test/"


def interleaved_scans(engine) -> tuple[SnapshotBuilder, SnapshotBuilder, SnapshotBuilder]:
    """Two sites crawled into one database at once (their rows' ids interleave), and a third
    with no rows yet."""
    ours, theirs, empty = SnapshotBuilder(engine), SnapshotBuilder(engine, start_url=OTHER), \
        SnapshotBuilder(engine, start_url="http://empty.test/")
    for n in (3, 1, 2):
        for site, base in ((ours, "http://site.test/"), (theirs, OTHER)):
            site.page(f"{base}d/{n}", facts={"imgs_without_alt": n, "lang": "zh"})
            site._add(storage.link_source, target_url=f"http://bad.test/{base[7:-6]}{n}", source_url=f"{base}d/{n}",
                      anchor="链接", tag="a", facts={"hidden": ["display:none"]})
            site._add(storage.link_source, target_url=f"{base}d/{n}", source_url=base, anchor="文件", tag="a",
                      facts={})
    return ours, theirs, empty


def with_images_missing_alt(table):
    return table.c.facts["imgs_without_alt"].as_integer() > 0


def rows_each_scan_reads(engine) -> dict:
    ours, theirs, empty = interleaved_scans(engine)
    found = {}
    for name, site in (("ours", ours), ("theirs", theirs), ("empty", empty)):
        snapshot = site.snapshot()
        hidden = snapshot.hidden_link_sources()
        found[name] = (sorted(url for url, _ in page_values(snapshot, "facts", where=with_images_missing_alt)),
                       list(zip(hidden["target_url"], hidden["source_url"])))
    return found


def test_a_condition_on_every_row_reads_only_the_scans_own_rows(tmp_path):
    found = rows_each_scan_reads(storage.connect(str(tmp_path / "snap.db")))
    assert found["ours"] == (["http://site.test/d/1", "http://site.test/d/2", "http://site.test/d/3"],
                             [(f"http://bad.test/site{n}", f"http://site.test/d/{n}") for n in (1, 2, 3)])
    assert found["theirs"][0] == [f"{OTHER}d/{n}" for n in (1, 2, 3)]
    assert [source for _, source in found["theirs"][1]] == [f"{OTHER}d/{n}" for n in (1, 2, 3)]
    assert found["empty"] == ([], [])


def test_texts_asked_for_by_url_come_in_the_order_they_were_stored(tmp_path):
    site = SnapshotBuilder(storage.connect(str(tmp_path / "snap.db")))
    stored = [f"http://site.test/d/{n}" for n in (9, 3, 7, 1)]        # not the URLs' order
    for url in stored:
        site.doc(url, "文件", body_text=f"正文{url[-1]}")
    snapshot = site.snapshot()
    assert list(document_texts(snapshot, set(stored[1:]))) == [(u, f"正文{u[-1]}") for u in stored[1:]]
    assert [u for u, _ in document_texts(snapshot)] == stored
