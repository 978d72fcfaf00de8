"""Idioms of an Epoint (新点)-style 信息公开 platform: a 指南 or 年报 column whose one list entry
links straight to a PDF.  The file is stored as the entry's document, but its bytes are no page:
read as one, ``%PDF-1.4 1 0 obj…`` became the 指南's body text, which then "lacked" every item."""
from scrapy.http import Request, Response, TextResponse

from crawler.linkcheck import soft404_facts
from crawler.pagerecords import document_item, page_item
from crawler.requestinfo import META_KEY, RequestInfo
from crawler.responses import page_of
from crawler.extract.document import extract_document

URL = "http://www.example.gov.cn/bmxxgk/wjj/001/P020210512384756102.pdf"
PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n4 0 obj\n<< /Length 44 >>\nstream\n"
       b"BT /F1 11 Tf 50 780 Td (Guide) Tj ET\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def answer(body, content_type, cls=Response):
    info = RequestInfo("document", column="http://www.example.gov.cn/bmxxgk/wjj/001/moreinfo.html", url=URL)
    request = Request(URL, meta={META_KEY: info})
    return cls(URL, status=200, body=body, headers={"Content-Type": content_type}, request=request)


def test_a_pdf_list_entry_is_stored_without_its_bytes_as_text():
    response = answer(PDF, "application/pdf")
    page, text, _ = page_of(response, URL)
    facts = extract_document(URL, page)
    assert text == "" and not facts.body_text and "PDF" not in (facts.title or "")
    doc = document_item(response, URL, "区卫生健康局", None, facts, None, None)
    assert not doc.body_text


def test_a_pdf_list_entry_has_no_page_facts_to_judge():
    # no <html lang>, footer or 页面不存在 text: a file owes none of them
    response = answer(PDF, "application/pdf")
    page, text, _ = page_of(response, URL)
    row = page_item(response, "document", page, None, soft404_facts(response, page, text))
    assert row.facts == {"file_type": "application/pdf"}


def test_a_page_is_still_read_as_one():
    html = '<html lang="zh-CN"><body><h1>白沙区卫生健康局政府信息公开指南</h1><p>办公地址：健康路16号</p></body></html>'
    response = answer(html.encode(), "text/html; charset=utf-8", TextResponse)
    page, text, _ = page_of(response, URL)
    assert "办公地址" in text and "办公地址" in extract_document(URL, page).body_text
    assert page_item(response, "document", page, None, soft404_facts(response, page, text)).facts.get("lang")
