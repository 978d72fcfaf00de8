"""A page's breadcrumb read by the conventions real sites share (crawler.extract.breadcrumb), and a
title never taken from it.  Each fragment is the shape of a real page of tests/realpages/."""
from types import SimpleNamespace

from crawler.extract.position import breadcrumb_trail
from crawler.extract.document import extract_document
from crawler.extract.html import Page
from crawler.sitetree import position_facts

from extract_fixtures import wrap

URL = "http://www.x.gov.cn/xxgk/zcwj/202401/t20240102_1.html"


def names(body: str, url: str = URL) -> list[str]:
    return [s["name"] for s in breadcrumb_trail(Page(url, wrap(body)))]


def test_full_width_bar_separators_are_split():
    # www.chinaneast.gov.cn: 当前位置：首页｜新华社记者看东北｜人物专访
    body = ("<table><tr><td>\u3000<span class=\"daohang\">当前位置：<a href=\"/\">首页</a><font>｜</font>"
            "<a href=\"/xhs/\">新华社记者看东北</a><font>｜</font><a href=\"/xhs/rwzf.htm\">人物专访</a>"
            "</span></td></tr></table>")
    assert names(body) == ["首页", "新华社记者看东北", "人物专访"]
    assert extract_document(URL, wrap(body)).breadcrumb == ["首页", "新华社记者看东北", "人物专访"]


def test_the_prefix_with_shi_and_either_colon_is_not_a_step():
    # egb.ordos.gov.cn: 您现在的位置是：首页&nbsp;&gt;&gt;&nbsp;信息公开 …
    for prefix in ("您现在的位置是：", "您现在的位置是:", "您当前所在位置 ：", "您所在的位置\u3000", "当前位置 "):
        body = (f"<table><tr><td class=\"pos\">{prefix}\n<a href=\"../../\">首页</a>&nbsp;&gt;&gt;&nbsp;"
                "<a href=\"../\">信息公开</a>&nbsp;&gt;&gt;&nbsp;<a href=\"./\">信息公开年报</a></td></tr>"
                "<tr><td><a href=\"a.html\">某某年报</a></td><td>2024-01-01</td></tr></table>")
        assert names(body) == ["首页", "信息公开", "信息公开年报"], prefix


def test_the_prefix_with_de_before_dangqian_in_a_bold_label():
    # www.zhangshu.gov.cn (TRS): <td><strong>您的当前位置：</strong><a>首页</a>&nbsp;&gt;&gt;&nbsp;…
    body = ("<table><tr><td class=\"STYLE16\"><strong>您的当前位置：</strong><a href=\"../../\" class=\"CurrChnlCls\">"
            "首页</a>&nbsp;&gt;&gt;&nbsp;<a href=\"../\" class=\"CurrChnlCls\">政务公开</a>&nbsp;&gt;&gt;&nbsp;"
            "<a href=\"./\" class=\"CurrChnlCls\">综合信息</a></td></tr></table>")
    assert names(body) == ["首页", "政务公开", "综合信息"]


def test_steps_in_list_items_after_the_prefix_item():
    # www.nfra.gov.cn (Angular): <li>当前位置：<a>首页</a></li><li><a>政务信息&nbsp;</a></li> …
    body = ("<div class=\"breadcrumb\"><ul><li>当前位置：\n<a href=\"/cn/index.html\">首页</a></li>"
            "<!-- ngRepeat --><li class=\"ng-scope\"><a href=\"zwxx.html\">政务信息&nbsp;</a></li>"
            "<li class=\"ng-scope\"><a href=\"xzcf.html\">行政处罚&nbsp;</a></li>"
            "<li class=\"ng-scope\"><a href=\"zjjg.html\">总局机关&nbsp;</a></li></ul></div>"
            "<div class=\"main\"><p>正文</p></div>")
    assert names(body) == ["首页", "政务信息", "行政处罚", "总局机关"]


def test_steps_in_table_cells_after_the_prefix_cell():
    # www.zjdpc.gov.cn (Hanweb): <td>当前位置：</td><td><a>首页</a></td><td><table>… &gt;<a>…</a>
    body = ("<div class=\"position\"><table><tr><td><img src=\"i.png\"></td><td>当前位置：</td>"
            "<td><a href=\"/index.html\">首页</a></td><td><table><tr><td> &gt;<a href=\"/col/1/\">发展改革工作</a></td>"
            "<td> &gt;<a href=\"/col/2/\">投资运行</a></td></tr></table></td></tr></table></div>")
    assert names(body) == ["首页", "发展改革工作", "投资运行"]


def test_a_crumb_box_ends_before_its_tool_row():
    # www.gov.cn 公报: the 字号/打印 tools sit inside div.BreadcrumbNav after the last step
    body = ("<div class=\"BreadcrumbNav\"><a href=\"/\">首页</a>&nbsp;&gt;&nbsp;<a href=\"/gongbao/\">国务院公报</a>"
            "&nbsp;&gt;&nbsp;<a href=\"/gongbao/1/\"><span>2007年第23号</span></a>"
            "<div class=\"pages_print\"><span>字号：</span><span>默认</span><span>大</span></div></div>")
    assert names(body) == ["首页", "国务院公报", "2007年第23号"]


def test_weak_box_words_need_an_arrow_chain():
    # www.bynr.gov.cn: div.mm_current with bare > between links is a trail …
    trail = "<div class=\"mm_current\"><img src=\"h.jpg\">&nbsp;<a href=\"/\">首页</a>><a href=\"/dt/\">动态信息</a></div>"
    assert names(trail) == ["首页", "动态信息"]
    # … a highlighted menu row classed "current" is not
    menu = ("<div class=\"current\"><a href=\"/\">首页</a> | <a href=\"/zw/\">政务公开</a> | "
            "<a href=\"/hd/\">互动交流</a></div>")
    assert names(menu) == []


def test_a_chain_of_arrow_links_from_home_to_the_pages_column():
    # www.kepu.gov.cn: <span><a>中国科普网</a></span><span>&gt;</span><span><a>时政新闻</a></span><span>&gt;</span>
    url = "http://www.kepu.gov.cn/politics/2023-12/01/content_1755244.html"
    body = ("<div class=\"title homer-title\"><div class=\"t-left\">"
            "<span><a href=\"http://www.kepu.gov.cn/index.html\">中国科普网</a></span><span>&gt;</span>"
            "<span><a href=\"http://www.kepu.gov.cn/politics/index.html\">时政新闻</a></span><span>&gt;</span>"
            "</div></div><div class=\"detil-new-title\"><div>习近平主持召开深入推进长三角一体化发展座谈会</div>"
            "<ul><li>来源：新华社</li><li>作者：</li><li>2023-12-01 14:43</li></ul></div>"
            "<div id=\"content\"><p>" + "正文" * 100 + "</p></div>")
    assert names(body, url) == ["中国科普网", "时政新闻"]
    facts = extract_document(url, wrap(body))
    assert facts.breadcrumb == ["中国科普网", "时政新闻"]
    assert facts.title == "习近平主持召开深入推进长三角一体化发展座谈会"
    # the same chain on a page outside that column is a related-links line, not this page's trail
    assert names(body, "http://www.kepu.gov.cn/science/2023-12/01/content_1.html") == []


def test_no_breadcrumb_from_a_menu_or_a_location_field():
    assert names("<div><a href=\"/\">首页</a> | <a href=\"/zw/\">政务公开</a> | <a href=\"/hd/\">互动</a></div>") == []
    assert names("<p>地理位置：东经117°，北纬36°</p><p>位于济南市 / 历下区</p>") == []


def test_the_document_and_the_column_row_read_the_same_trail():
    body = "<div class=\"crumb\">您现在的位置是：<a href=\"/\">首页</a> &gt; <a href=\"/xxgk/\">信息公开</a> &gt; 政策解读</div>"
    assert extract_document(URL, wrap(body)).breadcrumb == ["首页", "信息公开", "政策解读"]
    ga = SimpleNamespace(nav=None, name="政策解读")
    nav = position_facts(ga, Page("http://www.x.gov.cn/xxgk/zcjd/", wrap(body)))
    assert [s["name"] for s in nav["breadcrumb"]] == ["首页", "信息公开", "政策解读"]
    assert nav["breadcrumb"][1]["url"] == "http://www.x.gov.cn/xxgk/"


def test_the_visible_title_wins_over_a_meta_that_adds_the_document_number():
    # www.nfra.gov.cn: ArticleTitle = visible title + (金罚决字〔2024〕36号)
    head = ("<title>t</title><meta name=\"ArticleTitle\" "
            "content=\"国家金融监督管理总局行政处罚信息公开表(金罚决字〔2024〕36号)\">")
    body = ("<div class=\"wenzhang-title\">国家金融监督管理总局行政处罚信息公开表</div>"
            "<div id=\"wenzhang-content\"><p>" + "处罚内容" * 60 + "</p></div>")
    facts = extract_document(URL, wrap(body, head))
    assert facts.title == "国家金融监督管理总局行政处罚信息公开表"
    assert facts.meta_title == "国家金融监督管理总局行政处罚信息公开表(金罚决字〔2024〕36号)"
