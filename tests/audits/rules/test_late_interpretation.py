"""解读发布不及时 (late_interpretation): its cases on hand-built snapshots."""
from tests.audits.rules.sites import DOC, JD, JDDOC, TITLE, base, interpretation, policy

AS_OF = "2023-11-30"


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
