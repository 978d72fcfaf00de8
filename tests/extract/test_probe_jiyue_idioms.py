"""Idioms of a city-level 集约化 platform (Hanweb /col/colN/index.html + /art/Y/M/D/art_C_N.html) serving a
district and its units, seen by the black-box probe: keyword-filled 相关阅读 blocks that list the 解读
of other documents."""
from crawler.extract.document import extract_document
from crawler.extract.html import Page

from extract_fixtures import wrap

BASE = "http://www.example.gov.cn"
URL = BASE + "/art/2023/10/16/art_1111_56777.html"
TITLE = "某区人民政府关于印发某区促进消费扩容提质若干措施的通知"
BODY = "<p>现将《某区促进消费扩容提质若干措施》印发给你们，请认真贯彻执行。</p>" * 3


def _facts(extras: str, title: str = TITLE, url: str = URL):
    html = wrap(f'<div class="art-l"><div class="art-tit"><h1>{title}</h1></div>'
                f'<div id="zoom">{BODY}</div>{extras}</div>')
    return extract_document(url, Page(url, html))


def _interp(extras: str, title: str = TITLE) -> list[str]:
    return [ref.url for ref in _facts(extras, title).interpretation_links]


def _xgyd(*titles: str) -> str:
    return ('<div class="xgyd"><div class="xgyd-tit">相关阅读</div><ul>'
            + "".join(f'<li><a href="/art/2023/5/{n + 1}/art_1130_{n}.html">{t}</a><span>2023-05-{n + 10}</span></li>'
                      for n, t in enumerate(titles)) + "</ul></div>")


def test_a_related_reading_block_does_not_give_the_interpretation_of_another_document():
    block = _xgyd("《某区促进民营经济高质量发展若干措施》政策解读", "某区举办2023年民营企业家座谈会")
    assert _interp(block) == []
    # nor on a 解读 page, whose 相关阅读 lists the 解读 of other documents
    assert _interp(block.replace("促进民营经济高质量发展若干措施", "加快推进现代农业发展的实施意见"),
                   "《某区促进民营经济高质量发展若干措施》政策解读") == []


def test_a_related_reading_block_still_gives_this_documents_interpretation():
    block = _xgyd("《某区促进消费扩容提质若干措施》政策解读", "某区举办2023年民营企业家座谈会")
    assert _interp(block) == [BASE + "/art/2023/5/1/art_1130_0.html"]


JD_URL = BASE + "/art/2023/6/20/art_1130_56847.html"


def _jd_interp(neighbours: str) -> list[str]:
    # An image-only 图解: no text body, so the densest block is the wrapper holding the 上一篇/下一篇 lines.
    html = wrap('<div class="xxgk-r"><div class="jd-tit"><h1>图解：某区城市更新行动实施方案</h1></div>'
                '<div class="jd-info">发布时间：2023-06-20 10:00　来源：区住房城乡建设局　浏览次数：<span>56</span></div>'
                '<div class="art-tools"><a href="javascript:window.print()">【打印本页】</a></div>'
                '<div class="jd-zw"><p><img src="/picture/0/1.png" alt="图解：某区城市更新行动实施方案"></p></div>'
                + neighbours + "</div>")
    return [ref.url for ref in extract_document(JD_URL, Page(JD_URL, html)).interpretation_links]


def test_a_previous_or_next_link_to_another_interpretation_is_no_interpretation_of_this_page():
    steps = ('<div class="art-sxp"><p>上一篇：<a href="/art/2023/6/15/art_1130_56840.html">'
             '政策问答：某区促进民营经济高质量发展若干措施十问十答</a></p>'
             '<p>下一篇：<a href="/art/2023/7/10/art_1130_56868.html">一图读懂某区物业服务质量提升工作方案</a></p></div>')
    assert _jd_interp(steps) == []
    spans = ('<ul><li><span>上一条：</span><a href="/art/2023/6/15/art_1130_56840.html">'
             '政策问答：某区促进民营经济高质量发展若干措施十问十答</a></li></ul>')
    assert _jd_interp(spans) == []
    anchor = '<p><a href="/art/2023/6/15/art_1130_56840.html">上一篇：政策问答：某区民营经济十问十答</a></p>'
    assert _jd_interp(anchor) == []


POLICY = BASE + "/art/2023/6/20/art_1111_56756.html"


def _jd_originals(button: str, zoom: bool = False) -> list[str]:
    body = '<p><img src="/picture/0/1.png" alt="图解：某区城市更新行动实施方案" width="750"></p>'
    html = wrap('<div class="xxgk-r"><div class="jd-tit"><h1>图解：某区城市更新行动实施方案</h1></div>'
                '<div class="jd-info">发布时间：2023-06-20 10:00　来源：区住房城乡建设局</div>'
                + (f'<div id="zoom">{body}</div>' if zoom else f'<div class="jd-zw">{body}</div>') + button + "</div>")
    return [ref.url for ref in extract_document(JD_URL, Page(JD_URL, html)).original_links]


def test_an_image_button_labelled_policy_original_gives_the_original():
    for img in ('<img src="/images/zcyw_btn.png" alt="政策原文">', '<img src="/images/ckyw.png" title="查看原文">'):
        button = f'<div class="jd-yw"><a href="{POLICY}" target="_blank">{img}</a></div>'
        assert _jd_originals(button) == [POLICY]
        assert _jd_originals(button, zoom=True) == [POLICY]
    # an image link that says nothing of the original is none
    assert _jd_originals(f'<div class="jd-yw"><a href="{POLICY}"><img src="/images/1.png" alt="图解二"></a></div>') == []


def _guide_page() -> str:
    rail = "".join(f'<li><a href="/art/2023/11/{20 - n}/art_1114_{n}.html" title="关于某事项的通知{n}">关于某事项的通知{n}</a>'
                   f"<span>2023-11-{20 - n:02d}</span></li>" for n in range(10))
    related = "".join(f'<li><a href="/art/2023/10/{n + 1}/art_1001_{n}.html">某区召开工作会议{n}</a><span>2023-10-{n + 1:02d}</span></li>'
                      for n in range(3))
    return wrap('<div class="art-l"><div class="xxgk-r"><div class="art-tit"><h1>某区人民政府信息公开指南</h1></div>'
                '<div class="jd-info">发布时间：2023-02-10 09:00　来源：区政府办公室</div>'
                '<div class="art-zw wzy_zw">'
                + "<p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p>"
                "<p>一、主动公开。公开的主要内容包括机构职能、政策文件、政策解读、规划计划、财政信息等。</p>"
                "<p>二、依申请公开。申请人可以通过当面提交、邮寄、互联网等方式提出申请。</p>"
                "<p>三、工作机构。办公地址：某区某路1000号；办公时间：工作日上午9:00-12:00，下午13:30-17:00。</p></div>"
                f'<div class="xgyd"><div class="xgyd-tit">相关阅读</div><ul>{related}</ul></div></div></div>'
                f'<div class="art-r"><div class="zxgk-box"><div class="zxgk-tit">最新公开</div><ul>{rail}</ul></div></div>',
                head='<title>某区人民政府信息公开指南</title><meta name="ArticleTitle" content="某区人民政府信息公开指南">')


def test_a_column_link_to_an_article_with_a_rail_of_ten_dated_items_reads_as_one_document():
    from crawler.listing import classify_page, read_list

    url = BASE + "/art/2023/2/10/art_1117_56931.html"
    assert read_list(url, _guide_page()) is None
    assert classify_page(url, _guide_page()) == "document"


def test_a_column_page_whose_list_is_its_main_content_stays_a_list():
    from crawler.listing import classify_page, read_list

    items = "".join(f'<div class="zxlb-item"><h3><a href="/art/2023/11/{20 - n}/art_1114_{n}.html">关于某事项的通知{n}</a></h3>'
                    f'<p class="zxlb-zy">为进一步做好全区政务公开工作，推动政务公开标准化规范化建设，经研究，决定开展考核，现将有关事项通知如下。</p>'
                    f'<p class="zxlb-rq">2023-11-{20 - n:02d}</p></div>' for n in range(5))
    page = wrap(f'<div class="lm-r"><div class="lm-tit"><span>通知公告</span></div><div class="zxlb">{items}</div></div>')
    url = BASE + "/col/col1114/index.html"
    found = read_list(url, page)
    assert found is not None and len(found.entries) == 5
    assert classify_page(url, page) == "list"


def test_a_policy_hub_of_boxes_of_five_entries_reached_as_a_column_is_no_list():
    from crawler.listing import classify_page, read_list

    def box(cid: int, name: str) -> str:
        rows = "".join(f'<li><a href="/art/2023/{10 - n}/1/art_{cid}_{n}.html" title="{name}{n}">{name}{n}</a>'
                       f"<span>2023-{10 - n:02d}-01</span></li>" for n in range(5))
        return (f'<div class="xxgk-box"><div class="xxgk-box-tit"><span>{name}</span>'
                f'<a class="more" href="/col/col{cid}/index.html">更多&gt;&gt;</a></div><ul>{rows}</ul></div>')

    tree = ('<div class="xxgk-l"><ul class="xxgk-tree"><li><a href="/col/col1100/index.html">信息公开首页</a></li>'
            '<li><a href="/col/col1110/index.html">政策文件</a></li><li><a href="/col/col1130/index.html">政策解读</a></li></ul></div>')
    page = wrap(tree + '<div class="xxgk-r">' + box(1111, "区政府文件") + box(1112, "区政府办公室文件")
                + box(1113, "规范性文件") + "</div>")
    url = BASE + "/col/col1110/index.html"
    assert read_list(url, page) is None
    assert classify_page(url, page) == "hub"
