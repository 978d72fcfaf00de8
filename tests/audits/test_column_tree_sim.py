"""The simulated site's column tree, as the crawl of the session's small site decided it, against
the manifest: every column's parent right.  The district's 政策解读 is featured on its 信息公开
home and lists the 政策文件 sub-columns in a sidebar, so the crawl reaches them (and its
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


def test_the_sidebar_reached_the_policy_columns_first_and_their_roles_hold(small_audit):
    cols = decided_tree(small_audit)
    by_name = {(c["unit"], c["name"]): c["url"] for c in small_audit.manifest["columns"]}
    district = small_audit.manifest["units"][0]["name"]
    interp = by_name[(district, "政策解读")]
    reached = cols[cols["linked_parent_url"] == interp]
    assert {"区政府文件", "区政府办公室文件", "行政规范性文件"} <= set(reached["name"])
    for url in reached["url"]:
        assert cols.loc[url, "parent_evidence"] == "breadcrumb"
    for name in ("区政府文件", "行政规范性文件"):
        row = cols.loc[by_name[(district, name)]]
        assert row["policy"] and not row["interp"]
