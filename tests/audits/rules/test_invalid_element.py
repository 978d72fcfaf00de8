"""要素不规范 (invalid_element): its cases on hand-built snapshots."""
import pytest

from tests.audits.conftest import POLICY_FIELDS, keys
from tests.audits.rules.sites import NOTICE, POLICY, policy_site

AS_OF = "2023-11-30"


def invalid(site, **changes):
    policy_site(site)
    site.listed_doc(POLICY, "http://site.test/d/1", "某文件", fields={**POLICY_FIELDS, **changes})
    return site.findings("invalid_element", AS_OF)


def test_valid_policy_document_has_no_invalid_element(site):
    assert invalid(site) == []


def test_doc_number_brackets(site):
    [f] = invalid(site, 发文字号="章政办发[2023]1号")
    assert f.field == "发文字号" and "六角括号" in f.message and f.severity == "deduct"
    assert f.message.startswith("《某文件》发文字号“章政办发[2023]1号”不规范")


def test_doc_number_leading_zero_and_di(site):
    [f] = invalid(site, 发文字号="章政办发〔2023〕第01号")
    assert "前导0" in f.message and "第" in f.message


@pytest.mark.parametrize("number", ["国令第706号", "济南市章丘区人民政府令第3号", "国家税务总局公告2023年第1号", "公告第12号"])
def test_orders_and_announcements_keep_their_own_numbering(site, number):
    assert invalid(site, 发文字号=number) == []


def test_a_document_number_takes_no_di(site):
    [f] = invalid(site, 发文字号="章政办发〔2023〕第1号")      # a 公文's number, not an order's
    assert "第" in f.message


def test_a_unix_time_the_page_shows_as_a_date_is_no_bad_date(site):
    assert invalid(site, 成文日期="1382860800000", 发布日期="2013-11-05") == []


def test_doc_number_two_digit_year(site):
    [f] = invalid(site, 发文字号="章政办发〔23〕1号")
    assert "四位" in f.message


def test_doc_number_year_differs_from_written_date_is_a_notice(site):
    [f] = invalid(site, 发文字号="章政办发〔2022〕1号")
    assert f.severity == "notice" and "年份" in f.message


def test_written_after_published(site):
    [f] = invalid(site, 成文日期="2023-05-08")
    assert (f.field, f.evidence["problems"]) == ("成文日期", ["成文日期晚于发布日期"])


def test_unparseable_date(site):
    [f] = invalid(site, 发布日期="2023-13-45")
    assert f.field == "发布日期" and "无法识别" in f.message


def test_chinese_date_is_valid_whatever_the_crawler_normalised(site):
    policy_site(site)
    site.listed_doc(POLICY, "http://site.test/d/1", "某文件",
                    fields={**POLICY_FIELDS, "发布日期": "2023年5月6日"}, publish_date=None)
    assert site.findings("invalid_element", AS_OF) == []


def test_date_in_another_notation_is_not_standard(site):
    [f] = invalid(site, 发布日期="2023/05/06")
    assert f.field == "发布日期" and f.evidence["problems"] == ["日期格式不规范"]


def test_wrong_uscc_check_character(site):
    [f] = invalid(site, 索引号="11370181004205062A/2023-0000001")
    assert f.field == "索引号" and "校验位错误（应为T）" in f.message


def test_index_style_differs_from_site(site):
    policy_site(site)
    for i in range(4):
        site.listed_doc(POLICY, f"http://site.test/d/{i}", f"文件{i}",
                        fields={**POLICY_FIELDS, "索引号": f"11370181004205062T/2023-000000{i}"})
    site.listed_doc(POLICY, "http://site.test/d/odd", "怪文件", fields={**POLICY_FIELDS, "索引号": "ZQ-2023-0005"})
    [f] = site.findings("invalid_element", AS_OF)
    assert (f.url, f.field) == ("http://site.test/d/odd", "索引号")
    assert f.evidence["dominant_style"] == "shandong"


def test_duplicated_index_reported_on_the_later_document(site):
    policy_site(site)
    same = "11370181004205062T/2023-0000009"
    site.listed_doc(POLICY, "http://site.test/d/b", "先发", fields={**POLICY_FIELDS, "索引号": same})
    site.listed_doc(POLICY, "http://site.test/d/a", "后发",
                    fields={**POLICY_FIELDS, "索引号": same, "成文日期": "2023-06-01", "发布日期": "2023-06-02"})
    [f] = site.findings("invalid_element", AS_OF)
    assert f.url == "http://site.test/d/a" and f.evidence["duplicate_of"] == "http://site.test/d/b"


def test_duplicate_index_in_two_columns_is_not_a_duplicate(site):
    policy_site(site)
    site.listed_doc(POLICY, "http://site.test/d/1", "某文件", fields=POLICY_FIELDS)
    site.item(NOTICE, "http://site.test/d/1", title="某文件", date="2023-05-06")
    assert site.findings("invalid_element", AS_OF) == []


def test_several_problems_of_one_field_are_one_finding(site):
    policy_site(site)
    same = "11370181004205062A/2023-0000009"
    site.listed_doc(POLICY, "http://site.test/d/1", "甲", fields={**POLICY_FIELDS, "索引号": same})
    site.listed_doc(POLICY, "http://site.test/d/2", "乙",
                    fields={**POLICY_FIELDS, "索引号": same, "发布日期": "2023-06-02"})
    found = site.findings("invalid_element", AS_OF)
    assert keys(found) == [("invalid_element", "http://site.test/d/1", "索引号"),
                           ("invalid_element", "http://site.test/d/2", "索引号")]
    later = [f for f in found if f.url.endswith("/2")][0]
    assert len(later.evidence["problems"]) == 2


def test_the_year_compared_with_the_written_date_is_the_pattern_group_named_year(site):
    policy_site(site)
    site.listed_doc(POLICY, "http://site.test/d/1", "某文件",
                    fields={**POLICY_FIELDS, "发文字号": "章政办发[2022]1号", "成文日期": "2023-05-04"})
    pattern = r"^[一-龥]+\[(?P<year>\d{4})\][1-9]\d*号$"
    [f] = site.findings("invalid_element", AS_OF, **{"elements.doc_number_pattern": pattern})
    assert f.severity == "notice" and "文号年份2022与成文日期年份2023不一致" in f.message
