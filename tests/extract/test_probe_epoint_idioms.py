"""Idioms of an Epoint (新点)-style 信息公开 platform.

A 指南 or 年报 column whose one list entry links straight to a PDF: the file is stored as the
entry's document, but its bytes are no page: read as one, ``%PDF-1.4 1 0 obj…`` became the 指南's
body text, which then "lacked" every item.

A 镇街's 指南 column showing the guide inline: its <title> is ``{栏目}_{单位}``, and the unit's
name (no 人民政府 to mark it a site name) was taken for the title, so the 通报 said
《白沙区白沙街道办事处》未载明传真.

A catalogue tree whose header opens its first child (<a href=003001>法定主动公开内容</a><ul><li>
<a href=003001>通知公告</a>): the URL is 通知公告's, not a hub named 法定主动公开内容 (which was
never judged for staleness)."""
from scrapy.http import Request, Response, TextResponse

from crawler.linkcheck import soft404_facts
from crawler.pagerecords import document_item, page_item
from crawler.requestinfo import META_KEY, RequestInfo
from crawler.responses import page_of
from crawler.extract.document import extract_document
from crawler.extract.html import Page
from crawler.extract.navigation import find_column_links
from crawler.extract.title import extract_title

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


def inline_guide(unit, heading):
    return (f'<html lang="zh-CN"><head><title>政府信息公开指南_{unit}</title>'
            '<meta name="ColumnName" content="政府信息公开指南"></head><body>'
            '<div class="ewb-location">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/index.html">政府信息公开</a> &gt; '
            f'<a href="/zjxxgk/bsjd/index.html">{unit}</a> &gt; <a href="/zjxxgk/bsjd/001/moreinfo.html">政府信息公开指南</a></div>'
            f'<div class="ewb-left"><h3 class="ewb-left-tt">{unit}</h3><ul><li><a href="/zjxxgk/bsjd/001/moreinfo.html">'
            '政府信息公开指南</a></li><li><a href="/zjxxgk/bsjd/002/moreinfo.html">政府信息公开制度</a></li></ul></div>'
            f'<div class="ewb-right"><div class="ewb-article"><h2 class="ewb-article-tt">{heading}</h2>'
            '<div class="ewb-article-info"><p>办公地址：和平路2号</p></div></div></div></body></html>')


def test_an_inline_guide_is_titled_by_its_heading_not_the_unit_in_its_title_tag():
    url = "http://www.example.gov.cn/zjxxgk/bsjd/001/moreinfo.html"
    page = Page(url, inline_guide("白沙区白沙街道办事处", "白沙街道办事处政府信息公开指南"))
    assert extract_title(page)[0] == "白沙街道办事处政府信息公开指南"
    # a department's name, too, is a place in the breadcrumb, not the page's title
    page = Page(url, inline_guide("白沙区教育和体育局", "政府信息公开指南"))
    assert extract_title(page)[0] == "政府信息公开指南"


TREE = ('<html><body><div class="ewb-left"><h3 class="ewb-left-tt">白沙区卫生健康局</h3><ul class="ewb-left-items">'
        '<li><a href="/wjj/001/moreinfo.html">政府信息公开指南</a></li>'
        '<li><a href="/wjj/003001/moreinfo.html">法定主动公开内容</a><ul>'
        '<li><a href="/wjj/003001/moreinfo.html">通知公告</a></li><li><a href="/wjj/003002/moreinfo.html">部门文件</a></li>'
        '</ul></li><li><a href="/wjj/004/moreinfo.html">政府信息公开年报</a></li></ul></div></body></html>')


def test_a_tree_header_at_its_first_childs_url_names_the_child():
    links = {link.url.rsplit("/wjj/", 1)[1]: link for link in find_column_links("http://www.example.gov.cn/wjj/index.html", TREE)}
    assert links["003001/moreinfo.html"].name == "通知公告"
    assert links["003002/moreinfo.html"].name == "部门文件" and links["001/moreinfo.html"].name == "政府信息公开指南"
