"""年报未按时发布 (missing_annual_report): its cases on hand-built snapshots."""
import pytest

from tests.audits.rules.sites import HEADINGS, NB, annual_site

AS_OF = "2023-11-30"


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


@pytest.mark.parametrize("title, published, due", [
    ("区教体局2022年度政府信息公开工作报告", "2023-01-20", None),         # no 年度 before 报告
    ("区教体局2022年政务公开工作年度报告", "2023-01-20", None),
    ("区教体局政府信息公开工作年度报告（2022年度）", "2023-02-10", 2022),   # the year after the name, late
    ("区教体局2023年政务公开工作要点", "2023-01-20", 2022),               # a work plan is no report
])
def test_the_titles_real_sites_give_their_reports(site, title, published, due):
    """Real titles vary; each on-time report is found, a late one is reported late, and a 要点
    that names a year is no report at all."""
    annual_site(site)
    site.listed_doc(NB, "http://site.test/nb/x", title, fields={"发布日期": published}, body_text=HEADINGS)
    found = site.findings("missing_annual_report", AS_OF)
    assert [f.evidence["year"] for f in found] == ([due] if due else [])
    if "要点" in title:
        assert "未发布2022年" in found[0].message
    elif due:
        assert f"发布于{published}" in found[0].message
