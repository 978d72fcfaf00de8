"""政策文件未关联解读 (missing_interpretation): its cases on hand-built snapshots."""
from tests.audits.conftest import keys
from tests.audits.rules.sites import DOC, JDDOC, QZF, TITLE, base, interpretation, policy

AS_OF = "2023-11-30"


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


def test_documents_from_before_the_duty_to_interpret_are_not_missing_one(site):
    """解读 with the document (三同步) since 国办发〔2016〕80号 of 2016-11-10: a 2012 规范性文件 in a
    library is no 未关联解读; judged by 成文日期, else 发布日期."""
    base(site)
    policy(site, 成文日期="2012-03-01", 发布日期="2012-03-05")
    policy(site, url="http://site.test/d/2", title="某某管理办法", 成文日期="", 发布日期="2015-06-01")
    policy(site, url="http://site.test/d/3", title="某某实施细则", 成文日期="2016-11-10", 发布日期="2016-11-20")
    assert [f.url for f in site.findings("missing_interpretation", AS_OF)] == ["http://site.test/d/3"]
    assert len(site.findings("missing_interpretation", AS_OF, **{"interpretation.judged_from": "2000-01-01"})) == 3


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


def test_keys_match_manifest_shape(site):
    base(site)
    policy(site)
    assert keys(site.findings("missing_interpretation", AS_OF)) == [("missing_interpretation", DOC, None)]


def test_the_shortest_issued_name_a_quote_may_use_is_a_setting(site):
    base(site)
    policy(site, url="http://site.test/d/2", title="关于印发某某办法的通知")
    interpretation(site, title="《某某办法》政策解读")
    assert [f.url for f in site.findings("missing_interpretation", AS_OF)] == ["http://site.test/d/2"]
    assert site.findings("missing_interpretation", AS_OF, **{"interpretation.issued_name_min_chars": 4}) == []
