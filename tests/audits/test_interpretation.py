"""政策文件未关联解读 / 解读未双向关联 / 解读发布不及时 / 解读形式单一."""
from tests.audits.conftest import POLICY_FIELDS, keys

AS_OF = "2023-11-30"
GFX = "http://site.test/c/gfxwj/"
QZF = "http://site.test/c/qzfwj/"
JD = "http://site.test/c/zcjd/"
DOC = "http://site.test/d/1"
JDDOC = "http://site.test/jd/1"
TITLE = "关于印发章丘区某某管理办法的通知"


def base(site):
    site.column(GFX, "行政规范性文件")
    site.column(QZF, "区政府文件")
    site.column(JD, "政策解读")
    return site


def policy(site, url=DOC, title=TITLE, column=GFX, **fields):
    return site.listed_doc(column, url, title, fields={**POLICY_FIELDS, **fields})


def interpretation(site, url=JDDOC, title=f"《{TITLE}》政策解读", date="2023-05-08"):
    return site.listed_doc(JD, url, title, fields={"索引号": "x", "发文机关": "区司法局", "发布日期": date},
                           is_interpretation=True)


def test_normative_document_without_interpretation(site):
    base(site)
    policy(site)
    [f] = site.findings("missing_interpretation", AS_OF)
    assert (f.url, f.message) == (DOC, f"《{TITLE}》未关联政策解读")
    assert f.evidence["why_required"] == "行政规范性文件" and f.tasks == [22, 23]


def test_district_government_doc_number_requires_interpretation(site):
    base(site)
    policy(site, column=QZF, 发文字号="章政发〔2023〕3号")
    policy(site, url="http://site.test/d/2", title="某局工作方案", column=QZF, 发文字号="章教体发〔2023〕3号")
    assert [f.url for f in site.findings("missing_interpretation", AS_OF)] == [DOC]


def test_appointments_and_forwarded_documents_are_excluded(site):
    base(site)
    policy(site, title="关于某某同志任免职务的通知")
    policy(site, url="http://site.test/d/2", title="关于转发省某某办法的通知")
    assert site.findings("missing_interpretation", AS_OF) == []


def test_linked_either_way_or_by_title_is_not_missing(site):
    base(site)
    policy(site)
    interpretation(site, title="关于《某某办法》的解读")   # title does not match
    assert len(site.findings("missing_interpretation", AS_OF)) == 1
    site.relation(JDDOC, DOC, kind="original")               # the 解读 links back only
    assert site.findings("missing_interpretation", AS_OF) == []


def test_interpretation_found_by_title_in_guillemets(site):
    base(site)
    policy(site)
    interpretation(site, title=f"图解：《{TITLE}》")
    assert site.findings("missing_interpretation", AS_OF) == []
    assert site.findings("interpretation_one_way", AS_OF) == []


def test_interpretation_quoting_the_issued_document_by_its_own_name(site):
    base(site)
    policy(site)                                               # 关于印发章丘区某某管理办法的通知
    interpretation(site, title="《章丘区某某管理办法》政策解读")
    assert site.findings("missing_interpretation", AS_OF) == []
    interpretation(site, url="http://site.test/jd/2", title="《某某办法》政策解读")   # too short to tell
    policy(site, url="http://site.test/d/2", title="关于印发某某办法的通知")
    assert [f.url for f in site.findings("missing_interpretation", AS_OF)] == ["http://site.test/d/2"]


def test_a_name_issued_by_several_documents_identifies_none_of_them(site):
    base(site)
    policy(site, title="区政府关于印发章丘区低保三年行动计划的通知")
    policy(site, url="http://site.test/d/2", title="区政府办公室关于印发章丘区低保三年行动计划的通知")
    interpretation(site, title="《章丘区低保三年行动计划》政策解读")
    assert len(site.findings("missing_interpretation", AS_OF)) == 2


def test_one_way_forward_only(site):
    base(site)
    policy(site)
    interpretation(site)
    site.relation(DOC, JDDOC, kind="interpretation")
    [f] = site.findings("interpretation_one_way", AS_OF)
    assert f.url == DOC and f.evidence["interpretation"] == JDDOC and f.evidence["missing"] == "解读未关联原文"
    assert site.findings("missing_interpretation", AS_OF) == []


def test_one_way_backward_only(site):
    base(site)
    policy(site)
    interpretation(site)
    site.relation(JDDOC, DOC, kind="original")
    [f] = site.findings("interpretation_one_way", AS_OF)
    assert f.url == DOC and f.evidence["missing"] == "原文未关联解读"


def test_two_way_is_fine_and_redirected_urls_match(site):
    base(site)
    policy(site)
    site.doc(JDDOC, f"《{TITLE}》政策解读", fields={"发布日期": "2023-05-08"}, final_url="http://site.test/jd/1?x=1",
             is_interpretation=True)
    site.relation(DOC, JDDOC, kind="interpretation")
    site.relation("http://site.test/jd/1?x=1", DOC, kind="original")
    assert site.findings("interpretation_one_way", AS_OF) == []


def test_link_to_a_dead_interpretation_is_broken_link_not_one_way(site):
    base(site)
    policy(site)
    site.relation(DOC, "http://site.test/jd/gone", kind="interpretation")
    assert site.findings("interpretation_one_way", AS_OF) == []
    assert site.findings("missing_interpretation", AS_OF) == []


def test_interpretation_on_third_working_day_across_a_holiday_is_on_time(site):
    # 2023-09-28 (Thu); 9-29..10-6 National Day holiday; 10-7 (Sat) and 10-8 (Sun) are make-up workdays.
    base(site)
    policy(site, 成文日期="2023-09-27", 发布日期="2023-09-28")
    interpretation(site, date="2023-10-09")   # working days after 9-28: 10-7, 10-8, 10-9 -> the 3rd
    site.relation(DOC, JDDOC).relation(JDDOC, DOC, kind="original")
    assert site.findings("late_interpretation", AS_OF) == []


def test_interpretation_on_fourth_working_day_is_late(site):
    base(site)
    policy(site, 成文日期="2023-09-27", 发布日期="2023-09-28")
    interpretation(site, date="2023-10-10")
    site.relation(DOC, JDDOC).relation(JDDOC, DOC, kind="original")
    [f] = site.findings("late_interpretation", AS_OF)
    assert f.url == DOC and f.evidence["deadline"] == "2023-10-09" and f.evidence["workdays_late"] == 4
    assert f.message == f"《{TITLE}》发布于2023-09-28，解读发布于2023-10-10，超过3个工作日"


def test_calendar_days_would_be_wrong_across_a_weekend(site):
    base(site)
    policy(site, 成文日期="2023-11-01", 发布日期="2023-11-03")   # Friday
    interpretation(site, date="2023-11-08")                       # Wednesday: the 3rd working day
    site.relation(DOC, JDDOC).relation(JDDOC, DOC, kind="original")
    assert site.findings("late_interpretation", AS_OF) == []
    assert len(site.findings("late_interpretation", AS_OF, **{"interpretation.late_workdays": 2})) == 1


def test_interpretation_without_a_shown_date_is_dated_by_its_list_entry(site):
    base(site)
    policy(site, 成文日期="2023-11-01", 发布日期="2023-11-03")
    site.item(JD, JDDOC, title=f"《{TITLE}》政策解读", date="2023-11-20")
    site.doc(JDDOC, f"《{TITLE}》政策解读", fields={"发文机关": "区司法局"}, is_interpretation=True)
    site.relation(DOC, JDDOC).relation(JDDOC, DOC, kind="original")
    [f] = site.findings("late_interpretation", AS_OF)
    assert f.evidence["interpretation_date"] == "2023-11-20"


def test_earliest_interpretation_decides(site):
    base(site)
    policy(site, 成文日期="2023-11-01", 发布日期="2023-11-03")
    interpretation(site, date="2023-11-06")
    interpretation(site, url="http://site.test/jd/2", title=f"一图读懂《{TITLE}》", date="2023-11-20")
    site.relation(DOC, JDDOC).relation(JDDOC, DOC, kind="original")
    site.relation(DOC, "http://site.test/jd/2").relation("http://site.test/jd/2", DOC, kind="original")
    assert site.findings("late_interpretation", AS_OF) == []


def test_single_form(site):
    base(site)
    for i in range(5):
        interpretation(site, url=f"http://site.test/jd/{i}", title=f"《文件{i}》政策解读")
    [f] = site.findings("interpretation_single_form", AS_OF)
    assert f.severity == "notice" and f.evidence["text_only"] == 5
    interpretation(site, url="http://site.test/jd/v", title="视频解读：《文件0》")
    interpretation(site, url="http://site.test/jd/t", title="一图读懂《文件1》")
    assert site.findings("interpretation_single_form", AS_OF) == []   # 5 of 7 = 71 % ≤ 80 %


def test_keys_match_manifest_shape(site):
    base(site)
    policy(site)
    assert keys(site.findings("missing_interpretation", AS_OF)) == [("missing_interpretation", DOC, None)]
