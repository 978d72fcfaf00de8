"""信息公开不及时 (late_publication): its cases on hand-built snapshots."""
from tests.audits.conftest import POLICY_FIELDS

AS_OF = "2023-11-30"


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


def test_documents_written_before_the_regulation_took_effect_are_not_late(site):
    """gov.cn's library (tests/realpages) put 1996–2006 documents online in 2018: the 20-working-day
    duty began with the 条例 on 2008-05-01."""
    site.column("http://site.test/c/wj/", "政策文件")
    for n, written in enumerate(("1996-06-29", "2008-04-30", "2008-05-01")):
        site.listed_doc("http://site.test/c/wj/", f"http://site.test/d/{n}", f"文件{n}",
                        fields={**POLICY_FIELDS, "成文日期": written, "发布日期": "2018-12-24"})
    assert [f.url for f in site.findings("late_publication", AS_OF)] == ["http://site.test/d/2"]
    judged_all = site.findings("late_publication", AS_OF, **{"publication.judged_from": "1949-10-01"})
    assert len(judged_all) == 3
