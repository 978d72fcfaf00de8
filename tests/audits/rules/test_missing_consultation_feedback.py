"""意见征集未公开反馈 (missing_consultation_feedback): its cases on hand-built snapshots."""

AS_OF = "2023-11-30"
ZJ = "http://site.test/c/yjzj/"
FK = "http://site.test/c/yjfk/"


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


def _consultation_and_feedback(site, feedback_title, feedback_text=""):
    site.column(ZJ, "意见征集").column(FK, "意见反馈")
    site.listed_doc(ZJ, "http://site.test/zj/1", "关于某某办法公开征求意见的公告", fields={"发布日期": "2023-05-01"},
                    body_text="征求意见时间为2023年5月1日至5月31日。")
    site.listed_doc(FK, "http://site.test/fk/1", feedback_title, fields={"发布日期": "2023-06-10"},
                    body_text=feedback_text)


def test_how_far_into_the_feedback_text_to_look_is_a_setting(site):
    _consultation_and_feedback(site, "意见采纳情况的说明", "正文" * 1500 + "关于某某办法公开征求意见的公告")
    assert len(site.findings("missing_consultation_feedback", AS_OF)) == 1       # beyond 2000 characters
    assert site.findings("missing_consultation_feedback", AS_OF, **{"consultation.feedback_text_chars": 5000}) == []


def test_the_shortest_subject_a_feedback_may_name_is_a_setting(site):
    _consultation_and_feedback(site, "某某办法征求意见采纳情况")                      # names the 4-character subject
    assert site.findings("missing_consultation_feedback", AS_OF) == []
    assert len(site.findings("missing_consultation_feedback", AS_OF, **{"consultation.subject_min_chars": 5})) == 1
