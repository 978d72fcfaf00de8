"""Where 空白栏目 and 栏目更新不及时 meet: a column is never both (each rule's own cases are in
tests/audits/rules/)."""
from tests.audits.conftest import keys

HUB = "http://site.test/gongkai/fdzdgknr/"
AS_OF = "2023-11-30"


def test_leaf_without_items_is_empty_and_never_also_stale(site):
    site.column(HUB, "法定主动公开内容", kind="hub", is_leaf=False)
    site.column("http://site.test/c/tzgg/", "通知公告", parent=HUB, unit="区教体局")
    found = site.findings("empty_column", AS_OF)
    assert keys(found) == [("empty_column", "http://site.test/c/tzgg/", None)]
    assert found[0].message == "「区教体局/通知公告」栏目为空白栏目"
    assert found[0].severity == "veto" and 33 in found[0].tasks
    assert site.findings("stale_column", AS_OF) == []


def test_column_holding_only_a_situation_note_is_not_empty(site):
    col = "http://site.test/c/xzqz/"
    site.column(col, "行政强制").item(col, "http://site.test/d/note", title="关于2023年度无行政强制事项的情况说明",
                                      date="2023-01-05")
    assert site.findings("empty_column", AS_OF) == []
    # …but a note older than its window leaves the column stale like any other item (通知公告-less
    # name: 行政强制 has no class, so no window either)
    assert site.findings("stale_column", AS_OF) == []


def test_situation_note_in_a_windowed_column_can_be_stale(site):
    col = "http://site.test/c/gsgg/"
    site.column(col, "公示公告").item(col, "http://site.test/d/note", title="情况说明", date="2023-01-05")
    assert site.findings("empty_column", AS_OF) == []
    assert keys(site.findings("stale_column", AS_OF)) == [("stale_column", col, None)]
