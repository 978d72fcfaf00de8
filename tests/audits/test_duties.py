"""The other machine-checkable duties: publication lag, 年报, 指南, 征求意见, 有效性, privacy, identity, 无障碍."""
from tests.audits.conftest import POLICY_FIELDS, SITE

AS_OF = "2023-11-30"
NB = "http://site.test/c/nb/"
ZN = "http://site.test/c/zn/"
ZJ = "http://site.test/c/yjzj/"
FK = "http://site.test/c/yjfk/"
HEADINGS = ("一、总体情况 " + "正文" * 100 + " 二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况 "
            "四、政府信息公开行政复议、行政诉讼情况 五、存在的主要问题及改进情况 六、其他需要报告的事项")


def test_late_publication_counts_working_days(site):
    site.column("http://site.test/c/tz/", "通知公告")
    site.listed_doc("http://site.test/c/tz/", "http://site.test/d/1", "某通知",
                    fields={**POLICY_FIELDS, "成文日期": "2023-09-01", "发布日期": "2023-10-10"})
    # 20 working days after 2023-09-01: 19 in September (9-29 is a holiday), then the 10-07 make-up day
    [f] = site.findings("late_publication", AS_OF)
    assert f.evidence["last_day"] == "2023-10-07" and f.evidence["workdays"] == 23 and "超过20个工作日才公开" in f.message
    site.listed_doc("http://site.test/c/tz/", "http://site.test/d/2", "另一通知",
                    fields={**POLICY_FIELDS, "成文日期": "2023-09-01", "发布日期": "2023-10-07"})
    assert [f.url for f in site.findings("late_publication", AS_OF)] == ["http://site.test/d/1"]


def annual_site(site):
    site.unit("区教体局", kind="department").unit("济南市章丘区人民政府", kind="district")
    site.column(NB, "政府信息公开年报", unit="区教体局")
    return site


def test_missing_annual_report_of_a_department(site):
    annual_site(site)
    site.listed_doc(NB, "http://site.test/nb/2021", "区教体局2021年政府信息公开工作年度报告",
                    fields={"发布日期": "2022-01-20"}, body_text=HEADINGS)
    [f] = site.findings("missing_annual_report", AS_OF)
    assert f.url == NB and f.unit == "区教体局" and "未发布2022年政府信息公开工作年度报告" in f.message
    assert f.severity == "deduct"


def test_late_annual_report(site):
    annual_site(site)
    site.listed_doc(NB, "http://site.test/nb/2022", "区教体局2022年政府信息公开工作年度报告",
                    fields={"发布日期": "2023-02-10"}, body_text=HEADINGS)
    [f] = site.findings("missing_annual_report", AS_OF)
    assert "发布于2023-02-10，晚于1月31日" in f.message


def test_annual_report_on_time_and_before_deadline_nothing_due(site):
    annual_site(site)
    site.listed_doc(NB, "http://site.test/nb/2022", "区教体局2022年政府信息公开工作年度报告",
                    fields={"发布日期": "2023-01-31"}, body_text=HEADINGS)
    assert site.findings("missing_annual_report", AS_OF) == []
    # On 2024-01-15 the 2023 report is not due yet: 2022's (present) is the one judged
    assert site.findings("missing_annual_report", "2024-01-15") == []
    assert len(site.findings("missing_annual_report", "2024-02-01")) == 1


def test_district_report_deadline_is_march_and_a_notice(site):
    site.unit("济南市章丘区人民政府", kind="district")
    site.column(NB, "政府信息公开年报")
    assert site.findings("missing_annual_report", "2023-03-31")[0].evidence["year"] == 2021
    [f] = site.findings("missing_annual_report", "2023-04-01")
    assert f.evidence["year"] == 2022 and f.severity == "notice"


def test_annual_report_missing_headings(site):
    annual_site(site)
    site.listed_doc(NB, "http://site.test/nb/2022", "区教体局2022年政府信息公开工作年度报告",
                    fields={"发布日期": "2023-01-20"}, body_text=HEADINGS.replace("五、存在的主要问题及改进情况", ""))
    [f] = site.findings("annual_report_incomplete", AS_OF)
    assert f.evidence["missing_headings"] == ["五、存在的主要问题及改进情况"]


def test_guide_incomplete_judges_newest_guide(site):
    site.column(ZN, "政府信息公开指南", unit="区教体局")
    site.listed_doc(ZN, "http://site.test/zn/old", "区教体局政府信息公开指南", fields={"发布日期": "2020-01-01"},
                    unit="区教体局", body_text="办公地址：某路1号。" * 10)
    site.listed_doc(ZN, "http://site.test/zn/new", "区教体局政府信息公开指南（2023年修订）",
                    fields={"发布日期": "2023-03-01"}, unit="区教体局",
                    body_text="办公地址：某路1号；办公时间：工作日；联系电话：0531-1234567；电子邮箱：a@b.cn。" * 3)
    [f] = site.findings("guide_incomplete", AS_OF)
    assert f.url == "http://site.test/zn/new" and f.evidence["missing"] == ["传真"]


def test_guide_shorter_than_the_configured_minimum_is_not_judged(site):
    """An attachment-only guide (little visible text) cannot be read; the minimum is config."""
    site.column(ZN, "政府信息公开指南", unit="区教体局")
    site.listed_doc(ZN, "http://site.test/zn/1", "区教体局政府信息公开指南", fields={"发布日期": "2023-03-01"},
                    unit="区教体局", body_text="办公地址：某路1号；办公时间：工作日。" * 3)
    [f] = site.findings("guide_incomplete", AS_OF)
    assert f.evidence["missing"] == ["联系电话", "传真", "互联网联系方式"]
    assert site.findings("guide_incomplete", AS_OF, guide={"min_text_chars": 500}) == []


def test_consultation_too_short(site):
    site.column(ZJ, "意见征集")
    site.listed_doc(ZJ, "http://site.test/zj/1", "关于某某办法（征求意见稿）公开征求意见的公告",
                    fields={"发布日期": "2023-05-01"}, body_text="征求意见时间为2023年5月1日至5月20日。")
    site.listed_doc(ZJ, "http://site.test/zj/2", "关于某某规划公开征求意见的公告",
                    fields={"发布日期": "2023-05-01"}, body_text="征求意见时间为2023年5月1日至5月31日。")
    # the first day does not count (民法典 art. 201): 5月1日至5月20日 is 19 days, 至5月31日 is 30
    [f] = site.findings("consultation_too_short", AS_OF)
    assert f.url == "http://site.test/zj/1" and f.evidence["days"] == 19


def test_consultation_feedback(site):
    site.column(ZJ, "意见征集").column(FK, "意见反馈")
    site.listed_doc(ZJ, "http://site.test/zj/1", "关于某某办法公开征求意见的公告", fields={"发布日期": "2023-05-01"},
                    body_text="征求意见时间为2023年5月1日至5月31日。")
    site.listed_doc(ZJ, "http://site.test/zj/2", "关于某某规划公开征求意见的公告", fields={"发布日期": "2023-05-01"},
                    body_text="征求意见时间为2023年5月1日至5月31日。")
    site.listed_doc(FK, "http://site.test/fk/1", "关于某某规划征求意见采纳情况的说明", fields={"发布日期": "2023-06-10"})
    found = site.findings("missing_consultation_feedback", AS_OF)
    assert [f.url for f in found] == ["http://site.test/zj/1"]
    # still within the feedback window: nothing yet
    assert site.findings("missing_consultation_feedback", "2023-06-05") == []


def test_consultation_feedback_naming_only_the_quoted_draft_counts(site):
    """关于公开征求《X（征求意见稿）》意见的公告: a feedback notice naming 《X》 answers it (the subject is X,
    not the 公开 before the bracket); a notice about another draft does not."""
    site.column(ZJ, "意见征集").column(FK, "意见反馈")
    site.listed_doc(ZJ, "http://site.test/zj/1", "关于公开征求《章丘区某某管理办法（征求意见稿）》意见的公告",
                    fields={"发布日期": "2023-05-01"}, body_text="征求意见时间为2023年5月1日至5月31日。")
    site.listed_doc(ZJ, "http://site.test/zj/2", "关于公开征求《章丘区另一实施方案（征求意见稿）》意见的公告",
                    fields={"发布日期": "2023-05-01"}, body_text="征求意见时间为2023年5月1日至5月31日。")
    site.listed_doc(FK, "http://site.test/fk/1", "《章丘区某某管理办法》征求意见采纳情况的说明",
                    fields={"发布日期": "2023-06-10"})
    found = site.findings("missing_consultation_feedback", AS_OF)
    assert [f.url for f in found] == ["http://site.test/zj/2"]


def test_expired_still_valid(site):
    site.column("http://site.test/c/gfx/", "规范性文件")
    site.listed_doc("http://site.test/c/gfx/", "http://site.test/d/1", "某办法", fields=POLICY_FIELDS,
                    body_text="本办法自2020年1月1日起施行，有效期3年。")
    site.listed_doc("http://site.test/c/gfx/", "http://site.test/d/2", "另一办法",
                    fields={**POLICY_FIELDS, "有效性": "失效"}, body_text="有效期至2022年12月31日。")
    [f] = site.findings("expired_still_valid", AS_OF)
    assert f.url == "http://site.test/d/1" and f.field == "有效性" and f.evidence["valid_until"] == "2022-12-31"


def test_privacy_leak_masks_and_checks_checksum(site):
    site.column("http://site.test/c/gs/", "公示公告")
    site.listed_doc("http://site.test/c/gs/", "http://site.test/d/1", "低保公示", fields={},
                    body_text="张三 身份证号11010519491231002X 李四 110105194912310021")
    site.listed_doc("http://site.test/c/gs/", "http://site.test/d/2", "联系方式", fields={},
                    body_text="联系人手机13812345678")
    found = {f.url: f for f in site.findings("privacy_leak", AS_OF)}
    assert found["http://site.test/d/1"].evidence["id_numbers"] == ["110105********002X"]
    assert found["http://site.test/d/1"].severity == "deduct"
    assert found["http://site.test/d/2"].severity == "notice"
    assert "13812345678" not in str(found["http://site.test/d/2"].evidence)


def test_site_identity_only_on_recorded_facts(site):
    site.column(SITE, "首页", section="homepage", kind="homepage")
    site.page(SITE, kind="homepage", facts={"site_id_code": None, "icp": "鲁ICP备123号", "police_record": None,
                                            "metas": {"SiteName": "章丘区"}})
    [f] = site.findings("site_identity_missing", AS_OF)
    assert f.evidence["missing_footer"] == ["政府网站标识码", "公安机关备案号"]
    assert f.evidence["missing_metas"] == ["SiteDomain", "SiteIDCode"]


def test_site_identity_unknown_facts_are_not_findings(site):
    site.column(SITE, "首页", section="homepage", kind="homepage")
    site.page(SITE, kind="homepage", facts={})
    assert site.findings("site_identity_missing", AS_OF) == []


def test_accessibility(site):
    site.column(SITE, "首页", section="homepage", kind="homepage")
    site.page(SITE, kind="homepage", facts={"lang": None, "imgs_without_alt": 2, "accessibility_entry": False,
                                            "care_entry": True, "controls_without_label": 0})
    site.page("http://site.test/d/1", facts={"lang": "zh-CN", "imgs_without_alt": 1})
    site.page("http://site.test/d/2", facts={"lang": None, "imgs_without_alt": 0})
    site.page("http://site.test/d/3", facts={"lang": None, "imgs_without_alt": 0})
    found = {(f.url, f.field): f for f in site.findings("accessibility", AS_OF)}
    assert set(found) == {(SITE, None), ("http://site.test/d/1", None), (SITE, "其他页面")}
    home = found[(SITE, None)]
    assert "lang" in home.message and "无障碍" in home.message and "关怀版" not in home.message
    assert found[(SITE, "其他页面")].evidence["pages_without_lang"] == 2


def test_footer_of_other_standalone_pages(site):
    site.column(SITE, "首页", section="homepage", kind="homepage")
    site.page(SITE, kind="homepage", facts={"site_id_code": "3701810001", "icp": "鲁ICP备1号", "police_record": "x"})
    site.page("http://site.test/ghb/", kind="other", facts={"site_id_code": "3701810001", "icp": None,
                                                            "police_record": None})
    site.page("http://site.test/d/1", kind="document", facts={"icp": None})
    [f] = site.findings("site_identity_missing", AS_OF)
    assert f.url == "http://site.test/ghb/" and f.evidence["missing_footer"] == ["ICP备案号", "公安机关备案号"]


def test_article_pages_missing_47_metas_are_one_finding_per_unit(site):
    site.unit("区教体局", home_url="http://site.test/jtj/")
    site.column(NB, "通知公告", unit="区教体局")
    full = {"ArticleTitle": "某", "PubDate": "2023-01-01", "ContentSource": "区教体局"}
    site.listed_doc(NB, "http://site.test/d/1", "甲", fields={}, unit="区教体局", metas=full)
    site.listed_doc(NB, "http://site.test/d/2", "乙", fields={}, unit="区教体局", metas={"ArticleTitle": "乙"})
    site.listed_doc(NB, "http://site.test/d/3", "丙", fields={}, unit="区教体局", metas={})   # not recorded: unknown
    [f] = site.findings("site_identity_missing", AS_OF)
    assert (f.url, f.field, f.unit) == ("http://site.test/jtj/", "网页元数据", "区教体局")
    assert f.evidence["pages"] == 1 and f.evidence["missing_tags"] == {"PubDate": 1, "ContentSource": 1}
