"""Where 未关联解读 and 解读未双向关联 meet: a case judged by both (each rule's own cases are in
tests/audits/rules/)."""
from tests.audits.rules.sites import DOC, JDDOC, TITLE, base, interpretation, policy

AS_OF = "2023-11-30"


def test_interpretation_found_by_title_in_guillemets(site):
    base(site)
    policy(site)
    interpretation(site, title=f"图解：《{TITLE}》")
    assert site.findings("missing_interpretation", AS_OF) == []
    assert site.findings("interpretation_one_way", AS_OF) == []


def test_one_way_forward_only(site):
    base(site)
    policy(site)
    interpretation(site)
    site.relation(DOC, JDDOC, kind="interpretation")
    [f] = site.findings("interpretation_one_way", AS_OF)
    assert f.url == DOC and f.evidence["interpretation"] == JDDOC and f.evidence["missing"] == "解读未关联原文"
    assert site.findings("missing_interpretation", AS_OF) == []


def test_link_to_a_dead_interpretation_is_broken_link_not_one_way(site):
    base(site)
    policy(site)
    site.relation(DOC, "http://site.test/jd/gone", kind="interpretation")
    assert site.findings("interpretation_one_way", AS_OF) == []
    assert site.findings("missing_interpretation", AS_OF) == []


def test_links_between_two_interpretations_pair_no_document(site):
    """A 解读 page's 相关阅读 (or 上一篇/下一篇) naming another 解读 is no 解读 of that 解读."""
    base(site)
    policy(site)
    interpretation(site)
    other = "http://site.test/jd/2"
    interpretation(site, url=other, title="一图读懂《章丘区另一管理办法》", date="2023-09-08")
    site.relation(DOC, JDDOC, kind="interpretation")
    site.relation(JDDOC, DOC, kind="original")
    site.relation(JDDOC, other, kind="interpretation")
    site.relation(other, JDDOC, kind="interpretation")
    assert site.findings("interpretation_one_way", AS_OF) == []
    assert site.findings("late_interpretation", AS_OF) == []
