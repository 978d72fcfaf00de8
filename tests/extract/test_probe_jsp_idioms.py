"""Idioms of a JSP-style 信息公开 platform (query-string URLs): an empty column page whose unit
sidebar of column links must not be read as the column's list."""
from crawler.listing import read_list
from extract_fixtures import wrap

BASE = "http://xxgk.example.gov.cn"
PAGE = BASE + "/xxgk/list.jsp?cid=904&uid=9"


def sidebar(on="on", own=True):
    """A unit's column tree: 3 sibling columns and the page's own (highlighted with class ``on``)."""
    items = [f'<li><a href="/xxgk/list.jsp?cid=90{i}&uid=9">栏目{i}</a></li>' for i in (1, 2, 3)]
    href = "/xxgk/list.jsp?cid=904&uid=9" if own else "/xxgk/list.jsp?uid=9&cid=904&page=1"
    cls = f' class="{on}"' if on else ""
    items.append(f'<li{cls}><a href="{href}">财政资金</a></li>')
    return f'<div class="left"><div class="lm-title">埠村街道</div><ul class="tree">{"".join(items)}</ul></div>'


def empty_column(tree, pager="共 0 条 第1/1页"):
    return wrap(f'{tree}<div class="right"><div class="lm-name"><span>财政资金</span></div>'
                f'<ul class="list"><li class="nodata">暂无信息</li></ul><div class="page">{pager}</div></div>')


def assert_empty(page):
    assert page is not None and page.entries == [] and page.placeholder == "暂无信息", page


def test_empty_column_page_is_not_read_as_its_sidebar():
    # the probe's page: own link, <li class="on"> and 共 0 条 all say the sidebar is no list
    assert_empty(read_list(PAGE, empty_column(sidebar())))


def test_a_group_linking_to_the_page_itself_is_navigation():
    assert_empty(read_list(PAGE, empty_column(sidebar(on=None), pager="第1/1页")))


def test_a_group_with_a_highlighted_current_item_is_navigation():
    for cls in ("on", "cur", "current", "active", "selected"):
        assert_empty(read_list(PAGE, empty_column(sidebar(on=cls, own=False), pager="第1/1页")))


def test_a_pager_saying_0_records_means_an_empty_list():
    assert_empty(read_list(PAGE, empty_column(sidebar(on=None, own=False), pager="共0条记录 第1/1页")))


def test_an_undated_list_beside_a_longer_sidebar_still_reads():
    # 机构职能-style documents without dates, beside a unit tree longer than the list
    tree = sidebar().replace("</ul>", '<li><a href="/xxgk/list.jsp?cid=905&uid=9">栏目5</a></li></ul>')
    docs = "".join(f'<li><a href="/xxgk/detail.jsp?id=71{i}" title="埠村街道办事处第{i}项职责">埠村街道办事处第{i}项职责</a></li>'
                   for i in (1, 2, 3))
    page = read_list(PAGE, wrap(f'{tree}<div class="right"><ul class="list">{docs}</ul>'
                                f'<div class="page">共 3 条 第1/1页</div></div>'))
    assert page is not None and page.style == "plain_next"
    assert [e.url for e in page.entries] == [BASE + f"/xxgk/detail.jsp?id=71{i}" for i in (1, 2, 3)]


HOME_MONTH_DAY = """<div class="nav"><ul><li><a href="/">网站首页</a></li><li><a href="/xxgk/index.jsp">信息公开</a></li></ul></div>
<div class="box"><div class="box_tit"><span>通知公告</span><a href="/xxgk/list.jsp?cid=112">更多</a></div>
<ul><li><a href="/xxgk/detail.jsp?id=103" title="关于做好2023年冬季供暖服务保障工作的通知">关于做好2023年冬季供暖…</a><span>11-15</span></li>
<li><a href="/xxgk/detail.jsp?id=104">关于国庆节期间办公安排的公告</a><span>[09-25]</span></li>
<li><a href="/xxgk/detail.jsp?id=105">县政府召开常务会议</a><span>2023-11-28</span></li></ul></div>"""


def test_homepage_items_with_a_month_and_day_only_are_kept_with_the_text_shown_and_no_year():
    from crawler.extract.page import page_facts
    from crawler.sitetree import homepage_column

    class Scope:
        @staticmethod
        def canonical(url):
            return url

    items = page_facts("http://www.example.gov.cn/", wrap(HOME_MONTH_DAY), homepage=True)["dated_items"]
    by_url = {i["url"].rsplit("=", 1)[1]: i for i in items}
    assert by_url["105"]["date"] == "2023-11-28"
    assert (by_url["103"]["date"], by_url["103"]["date_raw"]) == (None, "11-15")
    assert by_url["103"]["title"] == "关于做好2023年冬季供暖服务保障工作的通知"
    assert (by_url["104"]["date"], by_url["104"]["date_raw"]) == (None, "[09-25]")
    assert set(by_url) == {"103", "104", "105"}, "menus and 更多 links are no items"
    stored = {r.url.rsplit("=", 1)[1]: r for r in homepage_column(Scope, "http://www.example.gov.cn/", 200, items)
              if hasattr(r, "date_raw")}
    assert (stored["103"].date, stored["103"].date_raw) == (None, "11-15")


def test_a_long_paragraph_on_a_column_page_is_recorded_cut_not_dropped():
    # A 依申请公开 column page states its content in paragraphs longer than a recorded line.
    from crawler.extract.entries import MAX_SHOWN_LINE_CHARS, shown_lines
    from crawler.extract.html import Page

    paragraph = "公民、法人或者其他组织申请获取政府信息的，可以通过当面、信函或者网络方式提出申请。" * 6
    page = Page(BASE + "/xxgk/ysqgk/index.html", wrap(f'{sidebar()}<div class="right"><p>{paragraph}</p></div>'))
    lines = shown_lines(page)
    assert paragraph[:MAX_SHOWN_LINE_CHARS] in lines
