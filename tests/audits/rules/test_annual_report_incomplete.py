"""年报内容不全 (annual_report_incomplete): its cases on hand-built snapshots."""
from tests.audits.rules.sites import HEADINGS, NB, annual_site

AS_OF = "2023-11-30"


def test_annual_report_missing_headings(site):
    annual_site(site)
    site.listed_doc(NB, "http://site.test/nb/2022", "区教体局2022年政府信息公开工作年度报告",
                    fields={"发布日期": "2023-01-20"}, body_text=HEADINGS.replace("五、存在的主要问题及改进情况", ""))
    [f] = site.findings("annual_report_incomplete", AS_OF)
    assert f.evidence["missing_headings"] == ["五、存在的主要问题及改进情况"]


def test_report_titled_with_the_year_after_is_judged(site):
    annual_site(site)
    site.listed_doc(NB, "http://site.test/nb/2020", "区教体局政府信息公开工作年度报告（2020年度）",
                    fields={"发布日期": "2021-01-20"}, body_text=HEADINGS.replace("六、其他需要报告的事项", ""))
    [f] = site.findings("annual_report_incomplete", AS_OF)
    assert f.evidence["year"] == 2020 and f.evidence["missing_headings"] == ["六、其他需要报告的事项"]
