"""Where a page says it sits: its breadcrumb trail and the highlighted item of its own navigation."""
from crawler.extract.position import breadcrumb_trail, highlighted_item

from extract_fixtures import wrap
from realpage import real_page
from crawler.extract.html import Page


def test_a_ucap_breadcrumb_with_its_links():
    trail = breadcrumb_trail(real_page("www.wanzai.gov.cn/tjsja_2022_72153801.html"))
    assert [s["name"] for s in trail] == ["首页", "政务公开", "部门信息公开目录", "统计局", "法定主动公开内容",
                                          "工作动态", "统计数据"]
    assert trail[3]["url"] == "http://www.wanzai.gov.cn/wzxrmzf/tjj/xxgk.shtml"


def test_a_breadcrumb_box_without_a_prefix():
    trail = breadcrumb_trail(real_page("www.gov.cn/gongbao_2007_23_npc_resolution.html"))
    assert [s["name"] for s in trail] == ["首页", "国务院公报", "2007年第23号"]


SIDEBAR = """<div class="position">您的位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; 区政府文件</div>
<div class="left"><ul class="menu"><li><a href="/xxgk/zcwj/">政策文件</a><ul>
<li class="on"><a href="/xxgk/zcwj/qzfwj/">区政府文件</a></li><li><a href="/xxgk/zcwj/gfxwj/">行政规范性文件</a></li>
</ul></li><li class="active"><a href="/xxgk/">信息公开</a></li></ul></div>"""


def test_the_highlighted_item_is_the_pages_own_with_the_group_above_it():
    page = Page("http://x.gov.cn/xxgk/zcwj/qzfwj/", wrap(SIDEBAR))
    assert highlighted_item(page, "区政府文件") == {"name": "区政府文件", "url": "http://x.gov.cn/xxgk/zcwj/qzfwj/",
                                                    "group": "政策文件"}
    assert breadcrumb_trail(page)[-1] == {"name": "区政府文件", "url": None}
