"""Idioms of a county site on DedeCMS (织梦) and the PHP CMSs built like it (PHPCMS, 帝国CMS): article
paths dated /2023/0512/1234.html, lists showing month and day only, a sidebar of the section's
columns whose current one the channel tag marks <a class='thisclass'>, and paged lists list_12_2.html."""
from crawler.extract.dates import month_day_date
from crawler.extract.position import highlighted_item
from crawler.extract.html import Page
from crawler.listing import read_list
from extract_fixtures import wrap

BASE = "http://www.yx.example.gov.cn"
COLUMN = BASE + "/a/xxgk/zcwj/"
PAGE2 = COLUMN + "list_12_2.html"


def sidebar(current="thisclass"):
    """The section's column tree as DedeCMS's {dede:channel type='son' currentstyle=...} prints it."""
    cols = [("政府信息公开指南", "/a/xxgk/gkzn/"), ("政策文件", "/a/xxgk/zcwj/"), ("规范性文件", "/a/xxgk/gfxwj/"),
            ("政策解读", "/a/xxgk/zcjd/"), ("通知公告", "/plus/list.php?tid=15"), ("人事信息", "/a/xxgk/rsxx/"),
            ("财政资金", "/a/xxgk/czzj/"), ("依申请公开", "/a/xxgk/ysqgk/")]
    lis = "".join(f"<li><a href='{u}'" + (f" class='{current}'" if n == "政策文件" and current else "") + f">{n}</a></li>"
                  for n, u in cols)
    return f'<td class="left"><div class="ltit">政府信息公开</div><ul class="lmenu">{lis}</ul></td>'


def list_page(docs, page_no=2, current="thisclass", md=True):
    items = "".join(f'<li><a href="/a/xxgk/zcwj/{y}/{m:02d}{d:02d}/{n}.html" title="{t}">{t}</a>'
                    f'<span class="date">{f"{m:02d}-{d:02d}" if md else f"[{y}-{m:02d}-{d:02d}]"}</span></li>'
                    for y, m, d, n, t in docs)
    pager = (f'<div class="dede_pages"><ul class="pagelist"><li><span class="pageinfo">共 12 条记录 {page_no}/2 页</span></li>'
             '<li><a href="/a/xxgk/zcwj/">首页</a></li><li><a href="/a/xxgk/zcwj/">上一页</a></li>'
             '<li><a href="/a/xxgk/zcwj/">1</a></li><li class="thisclass">2</li></ul></div>')
    return wrap(f'<table><tr>{sidebar(current)}<td class="right"><div class="place">当前位置: <a href="/">首页</a> &gt; '
                f'<a href="/a/xxgk/">政府信息公开</a> &gt; <a href="/a/xxgk/zcwj/">政策文件</a></div>'
                f'<div class="listbox"><ul class="e2">{items}</ul>{pager}</div></td></tr></table>')


LAST_PAGE = [(2023, 1, 16, 1277, "云溪县人民政府办公室关于做好2023年元旦春节期间有关工作的通知"),
             (2022, 12, 20, 1284, "云溪县人民政府办公室关于印发云溪县冬季清洁取暖实施方案的通知")]


def test_month_day_takes_the_year_of_a_dedecms_article_path():
    assert month_day_date("05-12", BASE + "/a/xxgk/zcwj/2023/0512/1234.html").iso == "2023-05-12"
    assert month_day_date("[12-20]", BASE + "/a/xxgk/zcwj/2022/1220/1284.html").iso == "2022-12-20"
    # 帝国CMS's /Y-m-d/ directory
    assert month_day_date("05-12", BASE + "/news/2023-05-12/88.html").iso == "2023-05-12"
    # the older stamps still read
    assert month_day_date("10-19", BASE + "/zwgk/201710/t20171019_398276.html").iso == "2017-10-19"
    assert month_day_date("10-24", BASE + "/2021-10/24/content_1.htm").iso == "2021-10-24"
    # no stamp, no year: a query id or a page number is none
    assert month_day_date("05-12", BASE + "/plus/view.php?aid=2023") is None
    assert month_day_date("05-12", PAGE2) is None


def test_the_last_page_of_a_month_day_list_reads_its_dated_entries_not_the_sidebar():
    page = read_list(PAGE2, list_page(LAST_PAGE))
    assert page is not None
    assert [e.url for e in page.entries] == [BASE + "/a/xxgk/zcwj/2023/0116/1277.html",
                                             BASE + "/a/xxgk/zcwj/2022/1220/1284.html"]
    assert [e.date for e in page.entries] == ["2023-01-16", "2022-12-20"]


def test_a_sidebar_whose_current_column_is_marked_thisclass_is_navigation():
    # full dates: the sidebar is left out whatever the dates; undated entries would tie with it
    page = read_list(PAGE2, list_page(LAST_PAGE, md=False))
    assert [e.url for e in page.entries] == [BASE + "/a/xxgk/zcwj/2023/0116/1277.html",
                                             BASE + "/a/xxgk/zcwj/2022/1220/1284.html"]
    undated = list_page([(y, m, d, n, t) for y, m, d, n, t in LAST_PAGE]).replace('<span class="date">', '<span class="x">')
    undated = undated.replace("01-16", "").replace("12-20", "")
    page = read_list(PAGE2, undated)
    assert page is None or all("/a/xxgk/zcwj/20" in e.url for e in page.entries), page


def test_the_thisclass_item_is_the_pages_own_in_its_navigation():
    page = Page(COLUMN, list_page(LAST_PAGE))
    item = highlighted_item(page, "政策文件")
    assert item is not None and item["url"] == COLUMN


SHORT_NOTICE = """<table width="1000" class="main"><tr>{side}<td valign="top" class="right">
<div class="place">当前位置: <a href="/">首页</a> &gt; <a href="/a/xxgk/">政府信息公开</a> &gt; <a href="/a/xxgk/gfxwj/">规范性文件</a></div>
<table class="xxgk"><tr><td class="bt">索 引 号</td><td>004321514/2021-00085</td><td class="bt">发布日期</td><td>2021-02-20</td></tr></table>
<div class="viewbox"><div class="title"><h2>云溪县人民政府关于印发云溪县城市绿化管理办法的通知</h2></div>
<div class="content"><p>各乡镇人民政府、街道办事处，县政府各部门：</p><p>现将《云溪县城市绿化管理办法》印发给你们，请认真贯彻执行。</p>
<p>本办法自2021年3月1日起施行，有效期2年。</p><p>云溪县人民政府</p><p>2021年2月18日</p>
<div class="xgjd">相关解读：<a href="/a/xxgk/zcjd/2021/0220/1312.html">《云溪县城市绿化管理办法》政策解读</a></div></div></div>
</td></tr></table>
<table width="1000" class="footer"><tr><td align="center">主办：云溪县人民政府办公室　承办：云溪县大数据中心<br />
地址：云溪县府前街18号　邮编：262800　联系电话：0536-3212001<br />网站标识码：3713990012　鲁ICP备10023456号-1　鲁公网安备 37139902000018号</td></tr></table>"""


def test_a_short_article_in_the_right_column_of_a_table_layout_is_the_body_not_the_footer():
    # <td class="right"> holds the article beside the .left column tree; the 印发 notice itself is
    # short (the 办法 follows as its text or an attachment), shorter than the footer's lines
    from crawler.extract.document import extract_document
    url = BASE + "/a/xxgk/gfxwj/2021/0220/1305.html"
    doc = extract_document(url, wrap(SHORT_NOTICE.format(side=sidebar(None))))
    assert "有效期2年" in doc.body_text and "鲁ICP备" not in doc.body_text
    assert [r.url for r in doc.interpretation_links] == [BASE + "/a/xxgk/zcjd/2021/0220/1312.html"]
