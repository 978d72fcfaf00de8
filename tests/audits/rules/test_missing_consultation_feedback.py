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
