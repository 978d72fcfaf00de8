"""Idioms of a Hanweb JCMS county site and a gkml (ASP.NET) 公开目录 seen by the black-box probes:
a 解读 block of several <br>-broken links, a 关联解读： line, the gkml's 所属类别 for 主题分类 (and an
unknown label in a 4-column table without colons), and 成文日期 shown beside the standard's 生成日期."""
from crawler.extract.document import extract_document
from crawler.extract.html import Page

from extract_fixtures import wrap

BASE = "http://www.example.gov.cn"
URL = BASE + "/art/2023/10/20/art_1235_580.html"
TITLE = "某区人民政府关于印发某区集体经营性建设用地入市管理办法的通知"
BODY = ("<p>各镇人民政府、街道办事处，区政府各部门：</p>"
        + "<p>现将《某区集体经营性建设用地入市管理办法》印发给你们，请认真贯彻执行。</p>" * 3)


def _facts(extras: str, meta: str = ""):
    html = wrap(f'<div class="main-article">{meta}<div class="article-title"><h1>{TITLE}</h1></div>'
                f'<div id="zoom">{BODY}</div>{extras}'
                '<div class="article-tools"><a href="javascript:window.print()">打印本页</a></div></div>')
    return extract_document(URL, Page(URL, html))


def _interp(extras: str) -> list[str]:
    return [ref.url for ref in _facts(extras).interpretation_links]


XGJD = ('<div class="xgjd"><span>相关解读：</span>'
        '<a href="/art/2023/10/20/art_1236_584.html">【政策解读】《某区集体经营性建设用地入市管理办法》政策解读</a><br>'
        '<a href="/art/2023/10/20/art_1236_585.html">【政策解读】一图读懂《某区集体经营性建设用地入市管理办法》</a><br>'
        '</div>')


def test_every_link_of_a_br_broken_interpretation_block_is_read():
    assert _interp(XGJD) == [BASE + "/art/2023/10/20/art_1236_584.html",
                             BASE + "/art/2023/10/20/art_1236_585.html"]


def test_a_block_of_other_links_after_the_interpretation_block_is_not_swallowed():
    news = ('<a href="/art/2023/10/1/art_1237_1.html">区政府召开常务会议研究部署重点工作</a><br>'
            '<a href="/art/2023/10/2/art_1237_2.html">区领导调研乡村振兴工作</a>')
    one = ('<div class="xgjd"><span>相关解读：</span>'
           '<a href="/art/2023/10/20/art_1236_584.html">《某区集体经营性建设用地入市管理办法》政策解读</a><br>')
    # a next label line in the same box ends the block
    assert _interp(one + '<span>相关链接：</span>' + news + "</div>") == [
        BASE + "/art/2023/10/20/art_1236_584.html"]
    # a list of links in another box after it is another block
    assert _interp(one + '</div><div class="links">' + news + "</div>") == [
        BASE + "/art/2023/10/20/art_1236_584.html"]


def test_a_guanlian_jiedu_line_gives_its_interpretation():
    line = ('<p class="gljd">关联解读：<a href="/art/2023/6/9/art_1236_587.html">'
            '《某区集体经营性建设用地入市管理办法》解读稿</a></p>')
    assert _interp(line) == [BASE + "/art/2023/6/9/art_1236_587.html"]


def test_a_guanlian_policy_line_on_an_interpretation_page_gives_its_original():
    line = '<p>关联政策：<a href="/art/2023/6/9/art_1235_583.html">某区养老服务补贴发放管理办法</a></p>'
    assert [ref.url for ref in _facts(line).original_links] == [BASE + "/art/2023/6/9/art_1235_583.html"]


GKML_2COL = ("<table class='xxgk_table'>"
             "<tr><td>索 引 号：</td><td>113701130041803282/2023-00016</td></tr>"
             "<tr><td>所属类别：</td><td>交通、城乡建设</td></tr>"
             "<tr><td>发布机构：</td><td>某区人民政府办公室</td></tr>"
             "<tr><td>生成日期：</td><td>2023-11-10</td></tr>"
             "<tr><td>发布日期：</td><td>2023-11-15</td></tr></table>")


def test_the_gkml_suoshu_leibie_is_the_subject_category():
    facts = _facts("", GKML_2COL)
    assert facts.fields["主题分类"] == "交通、城乡建设"
    assert ["所属类别", "交通、城乡建设", "主题分类", "所属类别："] in facts.fields_raw
    assert facts.unread_labels == []


def _four_columns(label: str) -> str:
    return ("<table class='xxgk_table'>"
            f"<tr><td class='label'>索引号</td><td>X/2023-1</td><td class='label'>{label}</td><td>城乡建设</td></tr>"
            "<tr><td class='label'>发布机构</td><td>某区民政局</td><td class='label'>生成日期</td><td>2023-01-02</td></tr>"
            "<tr><td class='label'>发布日期</td><td>2023-01-03</td>"
            "<td class='label'>文号</td><td>某民发〔2023〕1号</td></tr>"
            "</table>")


def test_a_four_column_table_without_colons_reads_suoshu_leibie():
    facts = _facts("", _four_columns("所属类别"))
    assert facts.fields["主题分类"] == "城乡建设"
    assert facts.fields["发文机关"] == "某区民政局" and facts.fields["发文字号"] == "某民发〔2023〕1号"
    assert facts.unread_labels == []


def test_an_unknown_label_in_a_four_column_table_without_colons_is_recorded_as_unread():
    facts = _four_columns("所属类目")
    read = _facts("", facts)
    assert "主题分类" not in read.fields
    assert read.unread_labels == [["所属类目", "城乡建设"]]      # the values of known labels are no labels


INFO = (("索引号", "11370181004269486B/2023-00471"), ("发布机构", "某区人民政府办公室"), ("生成日期", "2023-07-05"),
        ("成文日期", "2023-07-03"), ("发布日期", "2023-07-05"))
HANWEB_INFO = ('<div class="xxgk-info"><ul>'
               + "".join(f"<li><b>{k}：</b><span>{v}</span></li>" for k, v in INFO) + "</ul></div>")


def test_the_fields_own_label_beats_a_synonym_shown_before_it():
    facts = _facts("", HANWEB_INFO)
    assert facts.fields["成文日期"] == "2023-07-03"
    assert ["成文日期", "2023-07-03", "成文日期", "成文日期："] in facts.fields_raw
    assert ["生成日期", "2023-07-05", None, "生成日期："] in facts.fields_raw


def test_a_synonym_with_a_value_still_beats_the_fields_own_label_shown_empty():
    facts = _facts("", HANWEB_INFO.replace("<span>2023-07-03</span>", "<span></span>"))
    assert facts.fields["成文日期"] == "2023-07-05"
    assert ["生成日期", "2023-07-05", "成文日期", "生成日期："] in facts.fields_raw


UCAP_PAGER = """<ul class="list"><li><a href="/art/2023/11/28/art_1_1.html">关于某某事项的通知</a><span>[2023-11-28]</span></li>
<li><a href="/art/2023/11/20/art_1_2.html">关于另一事项的通知</a><span>[2023-11-20]</span></li></ul>
<div class="pagination"><script>var pageIndex=1;var pageCount=2;function setPage(p){location.href="?page="+p;}</script>
<a href="?page=1">首页</a> <span>上一页</span> <a href="?page=2">下一页</a> <a href="?page=2">尾页</a> 共7条 第1/2页</div>"""


def test_a_page_count_in_a_query_pagers_script_is_no_trs_pager():
    # A Ucap list whose pager script sets pageCount= and links ?page=N: TRS would invent index_1.html.
    from crawler.listing import read_list

    found = read_list("http://www.example.gov.cn/zwgk/tzgg/", wrap(UCAP_PAGER))
    assert found is not None and found.style != "trs_createpage"
    assert [p["url"] for p in found.next_pages] == ["http://www.example.gov.cn/zwgk/tzgg/?page=2"]
