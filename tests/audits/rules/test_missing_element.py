"""要素缺失 (missing_element): its cases on hand-built snapshots."""
from tests.audits.conftest import POLICY_FIELDS, keys
from tests.audits.rules.sites import NOTICE, POLICY, policy_site

AS_OF = "2023-11-30"


def test_policy_document_needs_all_seven_fields(site):
    policy_site(site)
    fields = dict(POLICY_FIELDS)
    del fields["发文字号"]
    fields["有效性"] = ""
    site.listed_doc(POLICY, "http://site.test/d/1", "关于印发某办法的通知", fields=fields)
    found = site.findings("missing_element", AS_OF)
    assert keys(found) == [("missing_element", "http://site.test/d/1", "发文字号"),
                           ("missing_element", "http://site.test/d/1", "有效性")]
    by_field = {f.field: f for f in found}
    assert by_field["发文字号"].message == "《关于印发某办法的通知》缺少发文字号"
    assert by_field["有效性"].message == "《关于印发某办法的通知》有效性为空"
    assert by_field["有效性"].evidence["label_shown"] is True
    # 已有要素 lists the fields shown with a value: not the 有效性 this finding says is empty
    assert "有效性" not in by_field["有效性"].evidence["fields_seen"]
    assert "索引号" in by_field["有效性"].evidence["fields_seen"]


def test_non_policy_document_without_doc_number_is_fine(site):
    policy_site(site)
    site.listed_doc(NOTICE, "http://site.test/d/2", "关于开展某活动的通知",
                    fields={"索引号": "11370181004205062T/2023-0000002", "发文机关": "区教体局", "发布日期": "2023-11-01"})
    assert site.findings("missing_element", AS_OF) == []


def test_other_gongkai_document_needs_three_fields_and_portal_none(site):
    policy_site(site)
    site.column("http://site.test/news/", "区县动态", section="portal")
    site.listed_doc(NOTICE, "http://site.test/d/3", "某通知", fields={"发布日期": "2023-11-01"})
    site.listed_doc("http://site.test/news/", "http://site.test/n/1", "某新闻", fields={})
    assert keys(site.findings("missing_element", AS_OF)) == [
        ("missing_element", "http://site.test/d/3", "发文机关"), ("missing_element", "http://site.test/d/3", "索引号")]


def test_document_in_two_columns_is_judged_once_by_the_strictest(site):
    policy_site(site)
    fields = {"索引号": "11370181004205062T/2023-0000003", "发文机关": "区教体局", "发布日期": "2023-11-01"}
    site.listed_doc(NOTICE, "http://site.test/d/4", "某文件", fields=fields)
    site.item(POLICY, "http://site.test/d/4", title="某文件", date="2023-11-01")
    found = site.findings("missing_element", AS_OF)
    assert sorted(f.field for f in found) == ["主题分类", "发文字号", "成文日期", "有效性"]
    assert {f.column for f in found} == {"区政府文件"}


def test_document_in_the_district_library_and_a_unit_column_belongs_to_the_unit(site):
    policy_site(site)
    site.column("http://site.test/jtj/bmwj/", "部门文件", unit="区教体局")
    site.listed_doc(POLICY, "http://site.test/d/8", "区教体局某文件", fields={"发布日期": "2023-11-01"})
    site.item("http://site.test/jtj/bmwj/", "http://site.test/d/8", title="区教体局某文件", date="2023-11-01")
    found = site.findings("missing_element", AS_OF)
    assert {(f.unit, f.column) for f in found} == {("区教体局", "部门文件")}


def test_dead_document_is_not_judged_for_elements(site):
    policy_site(site)
    site.listed_doc(POLICY, "http://site.test/d/5", "某文件", fields={}, http_status=404)
    assert site.findings("missing_element", AS_OF) == []


def test_required_fields_follow_configuration(site):
    policy_site(site)
    site.listed_doc(NOTICE, "http://site.test/d/7", "某通知", fields={"索引号": "x", "发文机关": "y", "发布日期": "2023-01-01"})
    found = site.findings("missing_element", AS_OF, **{"elements.basic_required": ["索引号", "主题分类"]})
    assert [f.field for f in found] == ["主题分类"]


def test_a_cell_of_dashes_is_empty_however_many(site):
    """A 有效性 printed as the 破折号 —— (or －, ／, - -) is a blank cell, as 无 and — already are."""
    policy_site(site)
    for n, blank in enumerate(["——", "－", "／", "- -", "———"]):
        fields = dict(POLICY_FIELDS)
        fields["有效性"] = blank
        site.listed_doc(POLICY, f"http://site.test/d/{20 + n}", f"关于印发某办法{n}的通知", fields=fields)
    found = site.findings("missing_element", AS_OF)
    assert sorted(f.url for f in found) == [f"http://site.test/d/{20 + n}" for n in range(5)]
    assert {f.field for f in found} == {"有效性"}
    assert all(f.message.endswith("有效性为空") for f in found)


def test_a_value_with_a_dash_in_it_is_not_empty(site):
    policy_site(site)
    fields = dict(POLICY_FIELDS)
    fields["有效性"] = "有效期至2025-12-31"
    site.listed_doc(POLICY, "http://site.test/d/30", "关于印发某规定的通知", fields=fields)
    assert site.findings("missing_element", AS_OF) == []
