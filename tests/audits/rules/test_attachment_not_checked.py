"""附件内容未能核查 (attachment_not_checked): its cases on hand-built snapshots (more with the
年报 and 指南 rules, whose verdicts it stands in for)."""
from tests.audits.rules.sites import NB, annual_site

AS_OF = "2023-11-30"


def test_each_unread_attachment_is_named_with_why(site):
    annual_site(site)
    site.listed_doc(NB, "http://site.test/nb/2022", "区教体局2022年政府信息公开工作年度报告",
                    fields={"发布日期": "2023-01-20"}, body_text="详见附件",
                    attachments=[{"url": "http://site.test/f/a.ofd", "name": "年报.ofd"},
                                 {"url": "http://site.test/f/b.pdf", "name": "年报.pdf"}])
    site.attachment("http://site.test/f/a.ofd", "http://site.test/nb/2022", "年报.ofd", kind="ofd", read_status="not_read")
    site.attachment("http://site.test/f/b.pdf", "http://site.test/nb/2022", "年报.pdf", status=404, read_status=None)
    [f] = site.findings("attachment_not_checked", AS_OF)
    assert f.evidence["reasons"] == ["年报.ofd：文件格式暂不支持读取", "年报.pdf：附件链接无法访问"]
    assert "未核对年报内容是否完整" in f.message


def test_a_short_page_without_attachments_says_nothing(site):
    annual_site(site)
    site.listed_doc(NB, "http://site.test/nb/2022", "区教体局2022年政府信息公开工作年度报告",
                    fields={"发布日期": "2023-01-20"}, body_text="详见附件")
    assert site.findings("attachment_not_checked", AS_OF) == []
    assert site.findings("annual_report_incomplete", AS_OF) == []
