"""The simulated site's column tree, as the crawl of the session's small site decided it, against
the manifest: every column's parent right.  The district's 政策解读 is featured on its 信息公开
home and lists the 政策文件 sub-columns in a sidebar, so the crawl may reach them (and its
siblings) there first; only each column's own page says where it sits."""
from audits.config import merged_config
from audits.snapshot import Snapshot
from audits.views import column_classes
from govaudit.core import storage


def decided_tree(small_audit):
    engine = storage.connect(small_audit.db)
    try:
        cols = column_classes(Snapshot.load(engine, small_audit.scan_id), merged_config({}))
    finally:
        engine.dispose()
    return cols


def test_every_column_has_the_manifests_parent(small_audit):
    cols = decided_tree(small_audit)
    urls = set(cols.index[cols["kind"] != "homepage"])      # a parent that is no column: top level
    expected = {c["url"]: c["parent_url"] for c in small_audit.manifest["columns"]}
    assert set(expected) <= urls, f"columns not crawled: {sorted(set(expected) - urls)[:5]}"
    wrong = {u: (cols.loc[u, "parent_url"] if cols.loc[u, "parent_url"] in urls else None, p)
             for u, p in expected.items()
             if (cols.loc[u, "parent_url"] if cols.loc[u, "parent_url"] in urls else None) != p}
    assert not wrong, f"{len(wrong)} of {len(expected)} columns under the wrong parent: {list(wrong.items())[:5]}"


def test_columns_the_sidebar_reached_first_are_placed_by_their_own_page(small_audit):
    """Which page reaches a column first depends on the crawl's concurrency, so the sidebar-first
    order is set on the stored snapshot: every 政策文件 sub-column as first linked from 政策解读."""
    by_name = {(c["unit"], c["name"]): c["url"] for c in small_audit.manifest["columns"]}
    district = small_audit.manifest["units"][0]["name"]
    interp = by_name[(district, "政策解读")]
    parent_of = {c["url"]: c["parent_url"] for c in small_audit.manifest["columns"]}
    policy = parent_of[by_name[(district, "区政府文件")]]
    subs = {u for u, p in parent_of.items() if p == policy}
    assert {by_name[(district, n)] for n in ("区政府文件", "区政府办公室文件", "行政规范性文件")} <= subs
    engine = storage.connect(small_audit.db)
    try:
        snapshot = Snapshot.load(engine, small_audit.scan_id)
        snapshot.columns = snapshot.columns.assign(parent_url=[
            interp if u in subs else p for u, p in zip(snapshot.columns["url"], snapshot.columns["parent_url"])])
        cols = column_classes(snapshot, merged_config({}))
    finally:
        engine.dispose()
    reached = cols.loc[sorted(subs)]
    assert set(reached["linked_parent_url"]) == {interp}
    assert set(reached["parent_url"]) == {policy}
    assert set(reached["parent_evidence"]) == {"breadcrumb"}
    # The sidebar made 政策解读 no parent of theirs: its children are the manifest's, if any.
    assert set(cols.index[cols["parent_url"] == interp]) == {u for u, p in parent_of.items() if p == interp}
    for name in ("区政府文件", "行政规范性文件"):
        row = cols.loc[by_name[(district, name)]]
        assert row["policy"] and not row["interp"]
