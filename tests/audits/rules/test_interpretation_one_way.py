"""解读未双向关联 (interpretation_one_way): its cases on hand-built snapshots."""
from tests.audits.rules.sites import DOC, JDDOC, TITLE, base, interpretation, policy

AS_OF = "2023-11-30"


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
