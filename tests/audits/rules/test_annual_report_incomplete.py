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


POINTER = "根据《中华人民共和国政府信息公开条例》规定，现公布本单位2022年政府信息公开工作年度报告，详见附件。"


def _pdf_pages(text):
    return [{"where": "第1页", "text": text[:80]}, {"where": "第2页", "text": text[80:]}]


def test_a_report_published_as_its_attachment_is_judged_on_the_attachment(site):
    annual_site(site)
    site.listed_doc(NB, "http://site.test/nb/2022", "区教体局2022年政府信息公开工作年度报告",
                    fields={"发布日期": "2023-01-20"}, body_text=POINTER,
                    attachments=[{"url": "http://site.test/f/nb2022.pdf", "name": "2022年年报.pdf"}])
    site.attachment("http://site.test/f/nb2022.pdf", "http://site.test/nb/2022", "2022年年报.pdf",
                    parts=_pdf_pages(HEADINGS.replace("四、政府信息公开行政复议、行政诉讼情况", "")))
    [f] = site.findings("annual_report_incomplete", AS_OF)
    assert f.evidence["missing_headings"] == ["四、政府信息公开行政复议、行政诉讼情况"]
    assert f.evidence["attachments"] == ["2022年年报.pdf"] and "（附件“2022年年报.pdf”）缺少" in f.message


def test_a_complete_report_in_its_attachment_is_no_finding(site):
    annual_site(site)
    site.listed_doc(NB, "http://site.test/nb/2022", "区教体局2022年政府信息公开工作年度报告",
                    fields={"发布日期": "2023-01-20"}, body_text=POINTER,
                    attachments=[{"url": "http://site.test/f/nb2022.pdf", "name": "2022年年报.pdf"}])
    site.attachment("http://site.test/f/nb2022.pdf", "http://site.test/nb/2022", "2022年年报.pdf", parts=_pdf_pages(HEADINGS))
    assert site.findings("annual_report_incomplete", AS_OF) == []
    assert site.findings("attachment_not_checked", AS_OF) == []


def test_a_report_whose_attachment_was_not_read_gets_no_verdict(site):
    """A scanned PDF: nothing says whether the six parts are there, so no 年报内容不全."""
    annual_site(site)
    site.listed_doc(NB, "http://site.test/nb/2022", "区教体局2022年政府信息公开工作年度报告",
                    fields={"发布日期": "2023-01-20"}, body_text=POINTER,
                    attachments=[{"url": "http://site.test/f/nb2022.pdf", "name": "2022年年报.pdf"}])
    site.attachment("http://site.test/f/nb2022.pdf", "http://site.test/nb/2022", "2022年年报.pdf", read_status="no_text",
                    pages=12)
    assert site.findings("annual_report_incomplete", AS_OF) == []
    [f] = site.findings("attachment_not_checked", AS_OF)
    assert f.url == "http://site.test/nb/2022" and f.severity == "notice"
    assert f.evidence["reasons"] == ["2022年年报.pdf：扫描件，无文字层"] and f.evidence["not_checked"] == "年报内容不全"


def test_a_long_body_that_mentions_an_attachment_is_judged_on_the_body(site):
    annual_site(site)
    site.listed_doc(NB, "http://site.test/nb/2022", "区教体局2022年政府信息公开工作年度报告",
                    fields={"发布日期": "2023-01-20"}, body_text=HEADINGS.replace("一、总体情况", "") + " 统计表详见附件。",
                    attachments=[{"url": "http://site.test/f/b.xls", "name": "统计表.xls"}])
    [f] = site.findings("annual_report_incomplete", AS_OF)
    assert f.evidence["missing_headings"] == ["一、总体情况"] and "attachments" not in f.evidence
