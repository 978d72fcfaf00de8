"""List readers: every paging idiom, last page / total handling, loop guards, titles, placeholders."""
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from audits.config import merged_config
from audits.views import is_placeholder_entry
from crawler.listing import read_list, read_response
from extract_fixtures import BASE, load, wrap
from list_walk import ListWalk


def walk_all(first_url, first_html, pages: dict, max_pages=2000):
    """Drive a list like the spider does: answers come from ``pages`` (url or (url, body) → text)."""
    walk = ListWalk(first_url, max_pages=max_pages)
    first = read_list(first_url, first_html, max_pages=max_pages)
    queue = walk.add(first, first_url)
    asked = []
    while queue:
        req = queue.pop(0)
        asked.append(req)
        answer = pages(req) if callable(pages) else pages.get(req["url"], "")
        queue.extend(walk.add(read_response(req, req["url"], answer, "text/html"), req["url"]))
    return walk, first, asked


# ---- Hanweb datastore -------------------------------------------------------------------------

HANWEB_URL = BASE + "/col/col33718/index.html"


def test_hanweb_first_page_records():
    page = read_list(HANWEB_URL, load("list_hanweb.html"))
    assert page.style == "hanweb_datastore" and page.total == 10
    e = page.entries
    assert [x.url for x in e] == [BASE + "/art/2026/9/11/art_33718_1.html", BASE + "/art/2026/9/10/art_33718_2.html",
                                  BASE + "/art/2026/9/8/art_33718_3.html"]
    assert e[0].title == "关于开展2026年度政务公开第三方评估…"
    assert e[0].full_title == "关于开展2026年度政务公开第三方评估工作的通知"
    assert (e[1].date, e[1].full_title) == ("2026-09-10", "关于公布第一批政务公开标准化规范化试点的通知")  # span layout, split date
    assert e[2].date == "2026-09-08" and e[2].date_raw == "2026年9月8日"


def test_hanweb_plans_every_group_from_the_stated_total():
    page = read_list(HANWEB_URL, load("list_hanweb.html"))
    ranges = [(parse_qs(urlsplit(r["url"]).query)["startrecord"][0], parse_qs(urlsplit(r["url"]).query)["endrecord"][0])
              for r in page.next_pages]
    assert ranges == [("4", "6"), ("7", "9"), ("10", "10")]
    req = page.next_pages[0]
    assert req["method"] == "POST" and req["url"].startswith(BASE + "/module/web/jpage/dataproxy.jsp?")
    assert "perpage=3" in req["url"]
    form = parse_qs(req["body"])
    assert form["col"] == ["1"] and form["columnid"] == ["33718"] and form["unitid"] == ["212860"]
    assert form["webid"] == ["3"] and form["path"] == ["/"] and form["permissiontype"] == ["0"]
    assert form["webname"] == ["某市政府"]
    assert req["body"].startswith("col=1&appid=1&webid=3&path=%2F&columnid=33718")
    assert req["headers"]["Content-Type"] == "application/x-www-form-urlencoded"


def test_hanweb_dataproxy_answer():
    page = read_list(HANWEB_URL, load("list_hanweb.html"))
    answer = read_response(page.next_pages[0], page.next_pages[0]["url"], load("hanweb_dataproxy.xml"), "text/xml")
    assert answer.total == 10 and answer.next_pages == []
    assert [e.full_title for e in answer.entries] == ["关于2026年上半年政府网站检查情况的通报", "某市2026年政务公开工作要点",
                                                      "关于调整部分行政权力事项的通知"]
    assert answer.entries[0].url == BASE + "/art/2026/9/1/art_33718_4.html"


def record(i):
    return f"<record><![CDATA[<li><a href='/art/a_{i}.html'>文件{i}</a><span>2023-01-{(i % 28) + 1:02d}</span></li>]]></record>"


def datastore(ids, total=None):
    tr = f"<totalrecord>{total}</totalrecord>" if total is not None else ""
    return f"<datastore>{tr}<recordset>{''.join(record(i) for i in ids)}</recordset></datastore>"


def hanweb_page(ids, jpage=True, total=10):
    conf = f"$('#9').jpage({{perPage:3,totalRecord:{total}}});" if jpage else ""
    return wrap(f"""<div id="9"><script type="text/xml">{datastore(ids)[:-12]}
        <nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=2&columnid=5&unitid=9"></a>]]></nextgroup>
        </datastore></script></div><script>{conf}</script>""")


def test_hanweb_without_total_chains_until_a_short_group():
    def answer(req):
        q = parse_qs(urlsplit(req["url"]).query)
        s, e = int(q["startrecord"][0]), int(q["endrecord"][0])
        return datastore(range(s, min(e, 8) + 1))
    walk, first, asked = walk_all(HANWEB_URL, hanweb_page([1, 2, 3], jpage=False), answer)
    assert first.total is None
    assert [e.url.rsplit("/", 1)[1] for e in walk.entries] == [f"a_{i}.html" for i in range(1, 9)]
    assert len(asked) == 2                                # 4-6 full, 7-8 short: the end


def test_hanweb_server_ignoring_startrecord_does_not_loop():
    walk, _first, asked = walk_all(HANWEB_URL, hanweb_page([1, 2, 3], jpage=False),
                                   lambda req: datastore([1, 2, 3]))
    assert len(walk.entries) == 3 and len(asked) == 1


def test_hanweb_empty_deep_groups():
    walk, first, asked = walk_all(HANWEB_URL, hanweb_page([1, 2, 3], total=9),
                                  lambda req: "<datastore><recordset></recordset></datastore>")
    assert len(asked) == 2 and len(walk.entries) == 3


def test_hanweb_empty_column_with_placeholder():
    html = wrap("<div id='9'><script type='text/xml'><datastore><recordset></recordset></datastore></script></div>"
                "<div class='list'><p>暂无信息</p></div><script>$('#9').jpage({perPage:15,totalRecord:0});</script>")
    page = read_list(HANWEB_URL, html)
    assert page.style == "hanweb_datastore" and page.entries == [] and page.next_pages == []
    assert page.placeholder == "暂无信息" and page.total == 0


# ---- TRS createPageHTML -----------------------------------------------------------------------

def test_trs_createpage_synthesises_index_n():
    page = read_list(BASE + "/xxgk/index.html", load("list_trs.html"))
    assert page.style == "trs_createpage"
    assert [r["url"] for r in page.next_pages] == [BASE + f"/xxgk/index_{i}.html" for i in range(1, 5)]
    assert page.entries[0].full_title == "邯郸市教育局关于做好2020年秋季学期开学工作的通知"
    assert page.entries[0].url == BASE + "/xxgk/202008/t20200805_1353179.html"
    assert len(page.entries) == 3                                 # the header row is no entry


def test_trs_countpage_variant_and_directory_url():
    page = read_list(BASE + "/xxgk/", load("list_trs_countpage.html"))
    assert page.style == "trs_createpage" and page.total == 6348
    assert len(page.next_pages) == 55
    assert page.next_pages[-1]["url"] == BASE + "/xxgk/index_55.shtml"


def test_trs_page_cap_and_follow_up_pages():
    page = read_list(BASE + "/xxgk/", load("list_trs_countpage.html"), max_pages=10)
    assert len(page.next_pages) == 9
    follow = read_response(page.next_pages[0], page.next_pages[0]["url"], load("list_trs.html"), "text/html")
    assert len(follow.entries) == 3 and follow.next_pages == []        # planned once, from the first page
    stub = read_response(page.next_pages[1], page.next_pages[1]["url"], "<html></html>", "text/html")
    assert stub.entries == []


# ---- scripted pager that knows maxPageNum (component-built sites) ---------------------------

MAXPAGE_SCRIPT = """<script>
 var purl="../../n3/n13/index_958"
 function createUrl(pName){ var uu= purl+"_"+pName+".html"; return "javascript:pageName="+pName+";goPub('"+uu+"')"; }
 function writePaging(){ %s }
 var maxPageNum=0;
 maxPageNum = %d;
</script>"""
MAXPAGE_ROWS = ("<ul class='list'><li><span>[2017-10-13]</span><a href='../../n3/n13/c1/content.html'>某某镇召开工作会议</a></li>"
                "<li><span>[2017-10-12]</span><a href='../../n3/n13/c2/content.html'>某某局开展专项检查</a></li></ul>")


def test_maxpage_script_plans_pages_newest_first_when_numbered_backwards():
    backwards = "if (pageName==0) pageName=maxPageNum; url=createUrl(pageName-1);"
    page = read_list(BASE + "/n3/n13/index.html", wrap(MAXPAGE_ROWS + MAXPAGE_SCRIPT % (backwards, 5)))
    assert page.style == "maxpage_script" and len(page.entries) == 2
    assert [r["url"] for r in page.next_pages] == [BASE + f"/n3/n13/index_958_{n}.html" for n in (4, 3, 2, 1)]
    follow = read_response(page.next_pages[0], page.next_pages[0]["url"], MAXPAGE_ROWS, "text/html")
    assert len(follow.entries) == 2 and follow.next_pages == []     # planned once, from the column page


def test_maxpage_script_forwards_and_page_cap():
    page = read_list(BASE + "/n3/n13/index.html", wrap(MAXPAGE_ROWS + MAXPAGE_SCRIPT % ("", 40)), max_pages=4)
    assert [r["url"] for r in page.next_pages] == [BASE + f"/n3/n13/index_958_{n}.html" for n in (2, 3, 4)]
    huge = read_list(BASE + "/n3/n13/index.html", wrap(MAXPAGE_ROWS + MAXPAGE_SCRIPT % ("", 10 ** 12)))
    assert len(huge.next_pages) == 1999                              # the crawl's page limit, planned lazily


def test_trs_current_index_not_zero():
    html = wrap("<ul class='list'><li><a href='./t1.html'>某某文件标题</a><span>2023-01-01</span></li></ul>"
                "<script>createPageHTML('pagebar', 4, 2, 'index', 'shtml', 60);</script>")
    page = read_list(BASE + "/col/index_2.shtml", html)
    assert [r["url"] for r in page.next_pages] == [BASE + "/col/index.shtml", BASE + "/col/index_1.shtml",
                                                   BASE + "/col/index_3.shtml"]
    assert page.total == 60


def test_detail_page_pager_is_not_a_list():
    html = wrap("<h1>标题</h1><div class='TRS_Editor'><p>正文</p></div>"
                "<script>createPageHTML(1,0,\"t20190918_693227\",\"shtml\");</script>")
    assert read_list(BASE + "/2019/t20190918_693227.shtml", html) is None


# ---- JS shell ---------------------------------------------------------------------------------

SHELL_URL = BASE + "/gongkai/channel_6389/"


def api_answer(req, total=32, key_style="plain"):
    q = parse_qs(urlsplit(req["url"]).query)
    n, size = int(q["page"][0]), int(q["size"][0])
    ids = range((n - 1) * size + 1, min(n * size, total) + 1)
    if key_style == "plain":
        recs = [{"title": f"文件{i}", "url": f"/gongkai/channel_6389/doc_{i}.html", "pubDate": f"2023-03-{(i % 28) + 1:02d}",
                 "wh": f"章政发〔2023〕{i}号"} for i in ids]
        return json.dumps({"code": 0, "data": {"list": recs, "total": total}}, ensure_ascii=False)
    recs = [{"wjbt": f"文件{i}", "lj": f"./doc_{i}.html", "rq": 1679500800000 + i, "xh": i} for i in ids]
    return "jsonp_cb(" + json.dumps({"rows": recs, "pager": {"pageCount": -(-total // size)}}, ensure_ascii=False) + ");"


def test_js_shell_endpoint_from_concatenated_fetch():
    page = read_list(SHELL_URL, load("list_jsshell.html"))
    assert page.style == "js_shell" and page.entries == []
    assert [r["url"] for r in page.next_pages] == [
        BASE + "/gongkai/api/list?channel=6389aee73759918282646510&page=1&size=15"]


def test_js_shell_total_plans_the_remaining_pages():
    walk, _first, asked = walk_all(SHELL_URL, load("list_jsshell.html"), api_answer)
    assert len(walk.entries) == 32 and len(asked) == 3
    assert walk.entries[0].url == BASE + "/gongkai/channel_6389/doc_1.html"
    assert walk.entries[0].full_title == "文件1" and walk.entries[0].date == "2023-03-02"


def test_js_shell_json_read_by_shape_with_page_count_jsonp_and_epoch_dates():
    walk, _first, asked = walk_all(SHELL_URL, load("list_jsshell.html"), lambda r: api_answer(r, 20, "shape"))
    assert len(walk.entries) == 20 and len(asked) == 2
    e = walk.entries[0]
    assert e.url == BASE + "/gongkai/channel_6389/doc_1.html" and e.title == "文件1" and e.date == "2023-03-23"


def test_js_shell_without_total_chains_until_short_page():
    def answer(req):
        data = json.loads(api_answer(req, 40))
        del data["data"]["total"]
        return json.dumps(data)
    walk, _first, asked = walk_all(SHELL_URL, load("list_jsshell.html"), answer)
    assert len(walk.entries) == 40 and len(asked) == 3


def test_js_shell_endless_server_is_stopped():
    walk, _first, asked = walk_all(SHELL_URL, load("list_jsshell.html"),
                                   lambda req: api_answer({"url": req["url"].replace("page=", "page=1&x=")}, 100)
                                   .replace('"total": 100', '"other": 1'), max_pages=50)
    assert len(walk.entries) == 15 and len(asked) <= 3


def test_js_shell_server_capping_page_size():
    def answer(req):
        q = parse_qs(urlsplit(req["url"]).query)
        return api_answer({"url": req["url"].replace(f"size={q['size'][0]}", "size=10")}, 32)
    walk, _first, asked = walk_all(SHELL_URL, load("list_jsshell.html"), answer)
    assert len(walk.entries) == 32 and len(asked) == 4


def test_js_shell_ajax_post_with_html_fragment_answer():
    page = read_list(BASE + "/gongkai/channel_c/", load("list_jsshell_ajax.html"))
    req = page.next_pages[0]
    assert req["method"] == "POST" and req["url"] == BASE + "/gongkai/channel/listFragment.do"
    assert parse_qs(req["body"]) == {"colId": ["c_5f9f6c84"], "pageNo": ["1"], "rows": ["10"]}
    fragment = ("<ul>" + "".join(f"<li><a href='doc_{i}.html' title='部门文件{i}全称'>部门文件{i}…</a>"
                                 f"<span>2023-01-{i:02d}</span></li>" for i in range(1, 11)) + "</ul><div>共13条</div>")
    answer = read_response(req, req["url"], fragment, "text/html")
    assert answer.total == 13 and len(answer.next_pages) == 1
    assert parse_qs(answer.next_pages[0]["body"])["pageNo"] == ["2"]
    assert answer.entries[0].url == BASE + "/gongkai/channel_c/doc_1.html"
    assert answer.entries[0].title == "部门文件1…" and answer.entries[0].full_title == "部门文件1全称"


@pytest.mark.parametrize("script", [
    "$.getJSON('/api/doc/list.json', {pageIndex: 1, pageSize: 20}, render);",
    "axios.get(`/api/doc/list.json?pageIndex=${p}&pageSize=20`).then(render);",
    "var xhr = new XMLHttpRequest(); xhr.open('GET', '/api/doc/list.json?pageIndex=' + cur + '&pageSize=20'); xhr.send();",
    "myLoader.init('#list', '/api/doc/list.json?pageIndex=1&pageSize=20');",
])
def test_js_shell_call_styles(script):
    page = read_list(SHELL_URL, wrap(f"<div id='list'></div><script>{script}</script>"))
    assert page.style == "js_shell"
    assert page.next_pages[0]["url"] == BASE + "/api/doc/list.json?pageIndex=1&pageSize=20"


def test_js_shell_ignores_counters_and_other_hosts():
    html = wrap("<div id='list'></div><script>$.get('/module/visitcount/visit.jsp?type=1');"
                "fetch('http://evil.example.com/api/list?page=1&size=10');</script>")
    assert read_list(SHELL_URL, html) is None


# ---- plain pagers -----------------------------------------------------------------------------

PLAIN = {BASE + "/dt/list.html": load("list_plain_p1.html"), BASE + "/dt/list_2.html": load("list_plain_p2.html"),
         BASE + "/dt/list_3.html": load("list_plain_p3.html")}


def test_plain_next_chain_to_the_last_page():
    walk, first, asked = walk_all(BASE + "/dt/list.html", PLAIN[BASE + "/dt/list.html"], PLAIN)
    assert first.style == "plain_next"
    assert [r["url"] for r in asked] == [BASE + "/dt/list_2.html", BASE + "/dt/list_3.html"]
    assert len(walk.entries) == 5
    assert walk.entries[-1].date == "2023-10-20"


def test_calendar_links_are_not_pagers():
    page = read_list(BASE + "/dt/list.html", PLAIN[BASE + "/dt/list.html"])
    assert [r["url"] for r in page.next_pages] == [BASE + "/dt/list_2.html"]


def test_next_page_loop_back_is_stopped():
    looping = {**PLAIN, BASE + "/dt/list_3.html": PLAIN[BASE + "/dt/list_3.html"].replace(
        '<a href="list_3.html">下一页</a>', '<a href="list.html">下一页</a>')}
    walk, _first, asked = walk_all(BASE + "/dt/list.html", looping[BASE + "/dt/list.html"], looping)
    assert len(asked) == 2 and len(walk.entries) == 5


def test_endless_pagination_stops_when_nothing_new():
    def endless(req):   # every ?page=N answers the same records and a link to N+1
        n = int(req["url"].rsplit("=", 1)[1])
        return wrap("<ul class='list'><li><a href='/a/1.html'>同一条信息标题</a><span>2023-01-01</span></li></ul>"
                    f"<div class='page'><a href='?page={n + 1}'>下一页</a></div>")
    walk, _first, asked = walk_all(BASE + "/l?page=1", endless({"url": "x=1"}), endless)
    assert len(asked) == 1 and len(walk.entries) == 1


def test_stated_page_count_caps_the_chain():
    def pages(req):
        n = int(req["url"].rsplit("=", 1)[1])
        return wrap(f"<ul class='list'><li><a href='/a/{n}.html'>信息标题{n}</a><span>2023-01-01</span></li></ul>"
                    f"<div class='page'>共3页 <a href='?page={n + 1}'>下一页</a></div>")
    walk, _first, asked = walk_all(BASE + "/l?page=1", pages({"url": "=1"}), pages)
    assert len(walk.entries) == 3 and len(asked) == 2


def test_numbered_pager_without_next_word():
    html = wrap("<ul class='list'><li><a href='/a/1.html'>信息标题一</a><span>2023-01-01</span></li></ul>"
                "<div class='pages'><span class='cur'>1</span><a href='l_2.html'>2</a><a href='l_3.html'>3</a></div>")
    page = read_list(BASE + "/l.html", html)
    assert page.style == "plain_next" and page.next_pages[0]["url"] == BASE + "/l_2.html"


# ---- generic, placeholder, iframe, walk ------------------------------------------------------

def test_generic_table_titles_never_truncated():
    page = read_list(BASE + "/gongkai/gfxwj/", load("list_generic_table.html"))
    assert page.style == "generic"
    assert [(e.full_title, e.date) for e in page.entries] == [
        ("济南市章丘区人民政府关于印发章丘区城镇住房保障管理办法的通知", "2023-06-30"),
        ("关于进一步规范行政执法的若干意见", "2023-05-12"),
        ("", "2023-04-03"),                               # truncated text, no title="": unknown
    ]
    assert page.entries[2].title == "章丘区农村集体资产管理暂行办法…"


def test_flat_list_without_item_wrappers():
    html = wrap("<div class='content'><a href='/a/1.html'>第一条信息</a> 2023-01-03<br>"
                "<a href='/a/2.html'>第二条信息</a> 2023-01-02<br><a href='/a/3.html'>第三条信息</a> 2023-01-01</div>")
    page = read_list(BASE + "/l/", html)
    assert [e.url for e in page.entries] == [BASE + f"/a/{i}.html" for i in (1, 2, 3)]


def test_date_inside_the_title_link_before_the_title():
    # www.cnta.gov.cn (TRS): <li><a href="./201710/t…shtml"><span>2017-10-14</span>区域品牌化 …</a></li>
    rows = "".join(f'<li><a target="_blank" href="./2017{m:02d}/t2017{m:02d}1{m}_84{m}.shtml"><span>2017-{m:02d}-1{m}</span>'
                   f'标题第{m}条新闻</a></li>' for m in range(1, 8))
    page = read_list(BASE + "/zdgz/sctg/", wrap(f'<div class="lie_main_m"><ul>{rows}</ul></div>'))
    assert [e.date for e in page.entries] == [f"2017-{m:02d}-1{m}" for m in range(1, 8)]
    assert [e.title for e in page.entries] == [f"标题第{m}条新闻" for m in range(1, 8)]


def test_month_and_day_only_take_the_year_of_the_entrys_url_stamp():
    # www.zhangshu.gov.cn (TRS): <td><a href="./201710/t20171019_398276.html">…</a></td><td><span>10-19</span></td>
    rows = "".join(f'<tr><td><a href="./2017{m:02d}/t2017{m:02d}{d:02d}_39{m}{d}.html"><span>第{m}月{d}日的新闻标题</span></a></td>'
                   f'<td width="10%"><span class="STYLE12">{m:02d}-{d:02d}</span></td></tr>'
                   for m, d in ((10, 19), (10, 9), (9, 30), (9, 25)))
    page = read_list(BASE + "/zwgk/zhxx/", wrap(f"<table>{rows}</table>"))
    assert [e.date for e in page.entries] == ["2017-10-19", "2017-10-09", "2017-09-30", "2017-09-25"]
    assert [e.date_raw for e in page.entries] == ["10-19", "10-09", "09-30", "09-25"]
    # without a dated URL a month-day is no date: the year is not known
    bare = rows.replace("./2017", "./x").replace("/t2017", "/t")
    assert read_list(BASE + "/zwgk/zhxx/", wrap(f"<table>{bare}</table>")) is None


def test_side_rail_items_are_not_the_column():
    page = read_list(BASE + "/gongkai/zdxm/", load("list_placeholder.html"))
    assert page.style == "placeholder" and page.placeholder == "暂无信息" and page.entries == []
    html = wrap("<div class='sidebar'><ul><li><a href='/a/1.html'>侧栏信息标题</a><span>2023-01-01</span></li>"
                "<li><a href='/a/2.html'>侧栏信息标题二</a><span>2023-01-02</span></li></ul></div>"
                "<div class='main'><h3>栏目</h3><ul class='list'></ul></div>")
    assert read_list(BASE + "/l/", html) is None


@pytest.mark.parametrize("text", ["暂无数据", "该栏目正在建设中", "没有记录", "暂无相关信息"])
def test_placeholders(text):
    page = read_list(BASE + "/l/", wrap(f"<div class='list'><span>{text}</span></div>"))
    assert page.placeholder == text and page.entries == []


def test_iframe_framed_list():
    page = read_list(BASE + "/col/", wrap("<iframe src='/col/list.html' width='100%' height='800'></iframe>"
                                          "<iframe src='/module/visitcount/visit.jsp' style='display:none'></iframe>"))
    assert page.style == "iframe" and page.next_pages[0]["url"] == BASE + "/col/list.html"
    framed = read_response(page.next_pages[0], BASE + "/col/list.html", load("list_generic_table.html"), "text/html")
    assert len(framed.entries) == 3


def test_not_a_list():
    assert read_list(BASE + "/", wrap("<h1>标题</h1><p>只有一段文字。</p>")) is None
    assert read_response({"reader": "auto"}, BASE + "/x", "", "text/html").entries == []
    with pytest.raises(ValueError):
        read_response({"reader": "nope"}, BASE + "/x", "", "text/html")


def test_entry_titled_only_as_a_placeholder_is_recorded_and_judged_by_the_audits():
    config = merged_config()
    html = wrap("<ul class='list'><li><a href='/gk/none.html'>暂无信息</a><span>2023-01-01</span></li></ul>")
    entries = read_list(BASE + "/l/", html).entries
    assert [e.full_title for e in entries] == ["暂无信息"]                 # a fact: recorded with its text
    assert is_placeholder_entry(entries[0].full_title, config)             # the audits: not content
    html = wrap("<ul class='list'><li><a href='/gk/sm.html'>关于本年度无人事任免事项的情况说明</a>"
                "<span>2023-01-01</span></li></ul>")
    entries = read_list(BASE + "/l/", html).entries
    assert [e.full_title for e in entries] == ["关于本年度无人事任免事项的情况说明"]
    assert not is_placeholder_entry(entries[0].full_title, config)


def test_js_shell_url_in_a_variable_and_json_post_body():
    script = """var api = '/gongkai/api/docs';
      function load(p) {
        fetch(api + '?channel=abc', {method: 'POST', headers: {'Content-Type': 'application/json'},
              body: JSON.stringify({pageNo: p, pageSize: 12})}).then(r => r.json()).then(render);
      }
      load(1);"""
    page = read_list(SHELL_URL, wrap(f"<ul id='list'></ul><script>{script}</script>"))
    req = page.next_pages[0]
    assert req["method"] == "POST" and req["url"] == BASE + "/gongkai/api/docs?channel=abc"
    assert json.loads(req["body"]) == {"pageNo": 1, "pageSize": 12}
    assert req["headers"]["Content-Type"] == "application/json"
    answer = json.dumps({"total": 30, "records": [{"name": f"文件{i}", "link": f"/d/{i}.html", "fbrq": "2023-05-06"}
                                                  for i in range(12)]}, ensure_ascii=False)
    first = read_response(req, req["url"], answer, "application/json")
    assert len(first.entries) == 12 and first.total == 30
    assert [json.loads(r["body"])["pageNo"] for r in first.next_pages] == [2, 3]
