"""Page kinds on real document pages: frames, related-link blocks, hidden layout blocks and
navigation never turn a document into a list or a hub; the visible title wins over the meta."""
import pytest

from crawler.extract.document import extract_document
from crawler.extract.html import Page
from crawler.listing import classify_page, read_list
from crawler.extract.navigation import find_column_links
from crawler.listing.classify import page_kind

from extract_fixtures import wrap
from realpage import real_page

REAL_DOCUMENTS = [
    "xxgk.jl.gov.cn/jizhengmingdian_2022_1.html",      # metadata table + framed header/footer
    "www.wanzai.gov.cn/tjsja_2022_72153801.html",      # ucap block + 关联稿件 list (was a hub)
    "www.chinaneast.gov.cn/nongji_lijinze.html",       # long article among column links (was a hub)
    "www.gov.cn/gongbao_2007_23_npc_resolution.html",  # an included header ends in </html> (was other)
    "www.yichun.gov.cn/tjgb_2022_3f093ec3.html",       # one 解读 link beside the body (was a list)
    "www.nfra.gov.cn/ItemDetail_page_source.html",     # Angular page: only its ArticleTitle meta says so (was a list)
    "www.mee.gov.cn/t20220417_974894.html",            # round-up: paragraphs with a link and a date in prose (was a list)
]


@pytest.mark.parametrize("name", REAL_DOCUMENTS)
def test_real_document_pages_are_documents_not_lists_or_hubs(name):
    page = real_page(name)
    assert read_list(page.url, page) is None
    kind, why = page_kind(page.url, page)
    assert kind == "document" and why


IFRAME_DOC = """
<div id="hiddenLocation" style="display:none"><ul><li><a href="/col/col9/index.html">政策解读</a></li></ul></div>
<div class="nav"><a href="/col/col1/">首页</a> <a href="/col/col2/">政策文件</a> <a href="/col/col3/">政策解读</a></div>
<table class="xxgk"><tr><td>索引号：</td><td>X/2023-1</td><td>发文机关：</td><td>某县人民政府</td></tr>
<tr><td>发文字号：</td><td>某政发〔2023〕1号</td><td>发布日期：</td><td>2023-05-06</td></tr></table>
<h1>某县人民政府关于某事项的通知</h1>
<div id="zoom"><p>{body}</p><table><tr><td>填报日期</td><td>2023-05-01</td></tr></table></div>
<div class="jd"><h3>相关解读</h3><iframe src="/jd/frame_1.html"></iframe></div>
"""


def test_a_document_with_a_jiedu_frame_and_a_hidden_one_link_block_is_a_document():
    html = wrap(IFRAME_DOC.replace("{body}", "为进一步做好某项工作，现将有关事项通知如下。" * 12))
    url = "http://www.example.gov.cn/art/2023/5/6/art_2_1.html"
    assert read_list(url, html) is None
    assert classify_page(url, html) == "document"


def test_the_visible_title_wins_over_a_differing_meta_and_both_are_kept():
    html = wrap("<h1>关于某事项的通知（修订）</h1><div id='zoom'><p>" + "正文。" * 60 + "</p></div>",
                head="<title>t</title><meta name='ArticleTitle' content='关于某事项的通知'>")
    facts = extract_document("http://www.example.gov.cn/a.html", html)
    assert (facts.title, facts.title_source, facts.meta_title) == ("关于某事项的通知（修订）", "visible", "关于某事项的通知")


def test_markup_poured_into_the_article_title_meta_is_not_part_of_the_title():
    facts = extract_document("", real_page("www.bynr.gov.cn/zhengxie_kaimu.html"))
    assert facts.title == "为现代化巴彦淖尔建设凝聚强大智慧和力量——热烈祝贺市政协五届一次会议开幕"
    # the meta itself is recorded as the page writes it (govaudit inspect shows it so)
    assert facts.meta_title == "为现代化巴彦淖尔建设凝聚强大智慧和力量<div>——热烈祝贺市政协五届一次会议开幕</div>"


ROUNDUP = """
<h2 class="title">某部一周要闻</h2><span class="time">2022-04-17</span>
<div class="TRS_Editor">
<div>1.某部召开常务会议</div>
<div>会议审议并原则通过《某办法》，该办法于2022年7月1日起实施，会议要求抓好落实。&gt;&gt;&gt;<a href="/ywdt/a/t20220412_1.shtml">更多内容，点击阅读</a></div>
<div>2.某学会代表大会召开</div>
<div>大会选举产生新一届理事会，会议回顾了自2017年5月10日以来的工作并部署下一步任务。&gt;&gt;&gt;<a href="/ywdt/a/t20220413_2.shtml">更多内容，点击阅读</a></div>
<div>3.某部通报典型案例</div>
<div>通报指出，有关单位自2021年12月1日起未按证排污，属地部门依法予以严惩，并责令限期整改到位。&gt;&gt;&gt;<a href="/ywdt/a/t20220414_3.shtml">更多内容，点击阅读</a></div>
</div>
"""

STAMPED_LIST = """
<div class="list"><ul>
<li><a href="/a/t1.shtml">某部召开常务会议审议某办法</a><span>发布时间：2022-04-12</span></li>
<li><a href="/a/t2.shtml">某学会代表大会召开</a> [2022-04-11]</li>
<li><a href="/a/t3.shtml">某部通报典型案例</a><span>（2022年4月10日）</span></li>
</ul></div>
"""


def test_dates_inside_the_sentences_of_an_article_body_make_no_list_entries():
    page = Page("http://www.example.gov.cn/ywdt/a/t20220417_9.shtml", wrap(ROUNDUP))
    assert read_list(page.url, page) is None
    assert classify_page(page.url, page) == "document"


def test_a_list_whose_items_show_a_date_stamp_still_reads_as_a_list():
    page = Page("http://www.example.gov.cn/a/", wrap(STAMPED_LIST))
    found = read_list(page.url, page)
    assert [e.date for e in found.entries] == ["2022-04-12", "2022-04-11", "2022-04-10"]
    assert classify_page(page.url, page) == "list"


SIDEBAR_BOX = """<div class="box"><div class="hd"><h3>{name}</h3><a class="more" href="/{slug}/">更多&gt;&gt;</a></div>
<ul><li><a href="/{slug}/t20220401_1.html">{name}第一条</a><span>2022-04-01</span></li>
<li><a href="/{slug}/t20220402_2.html">{name}第二条</a><span>2022-04-02</span></li></ul></div>"""
SHORT_PAGED_LIST = """<div class="side">{boxes}</div>
<div class="main"><div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/tzgg/">通知公告</a></div>
<ul class="list">{rows}</ul>
<div class="page">共12条 第1/2页 <a href="/tzgg/index_1.html">下一页</a> <a href="/tzgg/index_1.html">尾页</a></div></div>"""


def test_a_paged_column_list_beside_sidebar_boxes_is_a_list_not_a_hub():
    boxes = "".join(SIDEBAR_BOX.format(name=n, slug=s) for n, s in
                    [("政策文件", "zcwj"), ("政策解读", "zcjd"), ("图片新闻", "tpxw"), ("便民服务", "bmfw")])
    rows = "".join(f'<li><a href="/tzgg/t2022050{i}_{i}.html">关于某某事项的通知之{i}</a><span>2022-05-0{i}</span></li>'
                   for i in range(1, 7))
    page = Page("http://www.example.gov.cn/tzgg/", wrap(SHORT_PAGED_LIST.format(boxes=boxes, rows=rows)))
    kind, why = page_kind(page.url, page)
    assert kind == "list", why
    assert len(read_list(page.url, page).entries) >= 6
    # The same boxes without the column's pager are a hub of columns.
    hub = Page("http://www.example.gov.cn/", wrap(f'<div class="main">{boxes}</div>'))
    assert page_kind(hub.url, hub)[0] == "hub"


TITLED_BOX = """<div class="box"><div class="box_tit"><span>{name}</span><a class="more" href="./{slug}/index.html">{more}</a></div>
<ul><li><a href="./{slug}/202311/t20231110_{n}1.html" title="{name}第一条">{name}第一条</a><span>2023-11-1{n}</span></li>
<li><a href="./{slug}/202309/t20230915_{n}2.html" title="{name}第二条">{name}第二条</a><span>2023-09-1{n}</span></li></ul></div>"""


@pytest.mark.parametrize("more", ["更多&gt;&gt;", "更多 &gt;", "[更多]", "+ 更多", "查看更多", "MORE+"])
def test_boxes_of_two_entries_under_a_titled_more_link_are_a_hub_each_entry_with_its_own_date(more):
    # A TRS 政策文件 page: one box per sub-column, its heading beside a decorated 更多 link.
    boxes = "".join(TITLED_BOX.format(name=name, slug=slug, n=n, more=more)
                    for n, (name, slug) in enumerate([("区政府文件", "qzfwj"), ("区政府办公室文件", "qzfbwj"),
                                                      ("行政规范性文件", "xzgfxwj")], 1))
    page = Page("http://www.example.gov.cn/xxgk/zcwj/index.html", wrap(f'<div class="right">{boxes}</div>'))
    kind, why = page_kind(page.url, page)
    assert kind == "hub", why
    boxed = {c.name: c.url for c in find_column_links(page.url, page) if c.boxed}
    assert boxed == {"区政府文件": "http://www.example.gov.cn/xxgk/zcwj/qzfwj/index.html",
                     "区政府办公室文件": "http://www.example.gov.cn/xxgk/zcwj/qzfbwj/index.html",
                     "行政规范性文件": "http://www.example.gov.cn/xxgk/zcwj/xzgfxwj/index.html"}
    # No list reader takes one of its boxes for the column's list (the spider reads a page no reader
    # reads as a hub) …
    assert read_list(page.url, page) is None
    # … and a box read as a list keeps each entry's own date (the box was one entry of two links).
    one = Page(page.url, wrap(f'<div class="right">{TITLED_BOX.format(name="区政府文件", slug="qzfwj", n=1, more=more)}</div>'))
    found = read_list(one.url, one)
    assert found is not None
    assert {e.title: e.date for e in found.entries}["区政府文件第一条"] == "2023-11-11"
