"""征求意见期限不足 (consultation_too_short): its cases on hand-built snapshots."""

AS_OF = "2023-11-30"
ZJ = "http://site.test/c/yjzj/"


def test_consultation_too_short(site):
    site.column(ZJ, "意见征集")
    site.listed_doc(ZJ, "http://site.test/zj/1", "关于某某办法（征求意见稿）公开征求意见的公告",
                    fields={"发布日期": "2023-05-01"}, body_text="征求意见时间为2023年5月1日至5月20日。")
    site.listed_doc(ZJ, "http://site.test/zj/2", "关于某某规划公开征求意见的公告",
                    fields={"发布日期": "2023-05-01"}, body_text="征求意见时间为2023年5月1日至5月31日。")
    # the first day does not count (民法典 art. 201): 5月1日至5月20日 is 19 days, 至5月31日 is 30
    [f] = site.findings("consultation_too_short", AS_OF)
    assert f.url == "http://site.test/zj/1" and f.evidence["days"] == 19
