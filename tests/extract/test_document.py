"""extract_document: titles, dates, body, attachments, 解读 relations."""
import pytest

from crawler.extract.document import extract_document
from crawler.extract.html import Page
from crawler.extract.page import page_facts
from crawler.extract.relations import looks_like_interpretation
from extract_fixtures import BASE, load, wrap

DOC_URL = BASE + "/gongkai/site_qzfbgs/channel_5/doc_1.html"


def doc(name, url=DOC_URL):
    return extract_document(url, load(name))


def test_gongkai_policy_document():
    d = doc("doc_xxgk_table.html")
    assert d.title == "章丘区人民政府办公室关于印发章丘区2025年政务公开工作要点的通知"
    assert d.publish_date == "2025-07-11" and d.written_date == "2025-07-11"
    assert d.fields["发文字号"] == "章政办发〔2025〕2号"
    assert d.metas["PubDate"] == "2025-07-11 10:31:56"
    assert d.body_text.startswith("各镇人民政府、街道办事处，区政府各部门：")
    assert "字号" not in d.body_text and "window.alert" not in d.body_text
    assert d.attachments == [
        {"url": BASE + "/module/download/downfile.jsp?classid=0&filename=2a6b3c.pdf", "name": "章丘区2025年政务公开工作要点.pdf"},
        {"url": BASE + "/gongkai/site_qzfbgs/channel_5/files/biao.docx", "name": "申请表(1).docx"},
    ]
    assert not d.looks_like_interpretation
    assert d.column_name == "区政府办公室文件"


def test_interpretation_block_gives_full_titles_and_ignores_the_side_rail():
    d = doc("doc_xxgk_table.html")
    assert [(r.url, r.anchor) for r in d.interpretation_links] == [
        (BASE + "/gongkai/site_qzfbgs/channel_jd/doc_2.html", "《章丘区2025年政务公开工作要点》政策解读"),
        (BASE + "/gongkai/site_qzfbgs/channel_jd/doc_3.html", "一图读懂章丘区2025年政务公开工作要点"),
    ]
    assert d.original_links == []


def test_interpretation_page_links_back_to_its_original():
    d = doc("doc_interpretation.html")
    assert d.looks_like_interpretation
    assert d.title == "文字解读：某街道2022年政府信息公开工作年度报告"
    assert {r.url for r in d.original_links} == {BASE + "/gongkai/channel_nb/doc_1.html",
                                                 BASE + "/gongkai/channel_nb/doc_1.html?from=jd"}
    assert d.interpretation_links == []


@pytest.mark.parametrize("block", [
    "<p>政策解读：<a href='/jd/1.html'>《某办法》政策解读</a></p>",
    "<div><span>相关解读</span><ul><li><a href='/jd/1.html'>图解某办法</a></li></ul></div>",
    "<table><tr><td>解读文件：</td><td><a href='/jd/1.html'>关于《某办法》的解读</a></td></tr></table>",
    "<dl><dt>解读材料</dt><dd><a href='/jd/1.html'>某办法解读</a></dd></dl>",
    "<div class='box'><div class='hd'>一图读懂</div><div class='bd'><a href='/jd/1.html'>一张图看某办法</a></div></div>",
])
def test_interpretation_block_layouts(block):
    html = wrap("<h1>某区人民政府关于印发某办法的通知</h1><div id='zoom'><p>正文。</p></div>" + block)
    d = extract_document(DOC_URL, html)
    assert [r.url for r in d.interpretation_links] == [BASE + "/jd/1.html"]


@pytest.mark.parametrize("block", [
    "<p>相关文件：<a href='/doc/1.html'>某区人民政府关于印发某办法的通知</a></p>",
    "<div><h4>政策原文</h4><ul><li><a href='/doc/1.html'>某办法</a></li></ul></div>",
    "<p>原文链接：<a href='/doc/1.html'>点击查看</a></p>",
    "<div id='zoom'><p>正文。</p><p><a href='/doc/1.html'>查看原文</a></p></div>",
])
def test_original_link_layouts(block):
    html = wrap("<h1>《某办法》政策解读</h1>" + block)
    d = extract_document(BASE + "/jd/1.html", html)
    assert [r.url for r in d.original_links] == [BASE + "/doc/1.html"]
    assert d.looks_like_interpretation


def test_relation_block_stops_at_the_next_label():
    html = wrap("<h1>某文件</h1><div id='zoom'><p>正文。</p></div>"
                "<p>相关解读：</p><ul><li><a href='/jd/1.html'>《某文件》解读</a></li></ul>"
                "<p>相关链接：</p><ul><li><a href='/other.html'>别的网站</a></li></ul>")
    d = extract_document(DOC_URL, html)
    assert [r.url for r in d.interpretation_links] == [BASE + "/jd/1.html"]


def test_a_related_items_block_gives_only_the_links_that_name_a_interpretation():
    """Ucap pages list the 解读 under 关联稿件, above the body, beside unrelated related items."""
    html = wrap("<h1>某县2022年国民经济和社会发展统计公报</h1>"
                "<div><h3><span>关联稿件：</span></h3><ul>"
                "<li><a href='/jd/1.html' title='图文解读：《某县2022年统计公报》'>图文解读：《某县2022年统计公报》</a>"
                "<span>2023-07-12</span></li>"
                "<li><a href='/news/2.html'>某县召开统计工作会议</a><span>2023-07-01</span></li></ul></div>"
                "<div id='zoom'><p>" + "正文。" * 30 + "</p></div>")
    d = extract_document(DOC_URL, html)
    assert [r.url for r in d.interpretation_links] == [BASE + "/jd/1.html"]
    assert d.original_links == []


def test_menu_item_named_like_a_label_is_not_a_relation():
    html = wrap("<div class='nav'><a href='/zcjd/'>政策解读</a><a href='/wj/'>相关文件</a></div>"
                "<h1>某文件</h1><div id='zoom'><p>正文。</p></div>")
    d = extract_document(DOC_URL, html)
    assert d.interpretation_links == [] and d.original_links == []


@pytest.mark.parametrize("title, expected", [
    ("文字解读：某街道2022年政府信息公开工作年度报告", True),
    ("图文解读：《章丘区城镇住房保障管理办法》", True),
    ("一图读懂《2023年政府工作报告》", True),
    ("《章丘区城镇住房保障管理办法》政策解读", True),
    ("关于《章丘区农村集体资产管理暂行办法》的解读", True),
    ("图解：2023年民生实事", True),
    ("《某办法》政策问答", True),
    ("专家解读｜稳经济一揽子政策", True),
    ("章丘区人民政府关于印发章丘区2025年政务公开工作要点的通知", False),
    ("关于做好政策解读工作的通知", False),
    ("", False),
])
def test_looks_like_interpretation(title, expected):
    assert looks_like_interpretation(title) is expected


def test_title_from_gov_template_with_logo_h1():
    d = doc("doc_gov_2cell.html")
    assert d.title == "国务院办公厅关于加强政府网站信息内容建设的意见"
    assert d.publish_date == "2017-06-08" and d.written_date == "2017-05-15"


def test_title_skips_site_name_heading_and_site_suffix():
    d = doc("doc_no_meta.html")
    assert d.title == "区政府召开常务会议"
    assert d.fields == {"发布日期": "2023-11-10"}               # 发布时间 folded
    assert d.body_text == "11月9日，区政府召开常务会议，研究部署近期重点工作。"


@pytest.mark.parametrize("body, head, title, source", [
    # {单位} - {栏目} - {标题}: the unit and column names are metas, the title is the rest
    ("<div id='zoom'><p>正文内容。</p></div>",
     "<title>区财政局 - 部门文件 - 区财政局关于做好2024年预算执行工作的通知</title>"
     "<meta name='SiteName' content='区财政局'><meta name='ColumnName' content='部门文件'>",
     "区财政局关于做好2024年预算执行工作的通知", "title_tag"),
    # a truncated heading never becomes the title
    ("<h1 class='title'>关于印发某区城镇住房保障管理…</h1><div id='zoom'><p>正文内容。</p></div>",
     "<title>关于印发某区城镇住房保障管理办法的通知_某区人民政府</title>",
     "关于印发某区城镇住房保障管理办法的通知", "title_tag"),
    # ArticleTitle when no heading and <title> is only the site name
    ("<div id='zoom'><p>正文内容。</p></div>",
     "<title>某区人民政府</title><meta name='ArticleTitle' content='某区2023年度预算公开'>",
     "某区2023年度预算公开", "meta"),
])
def test_title_sources(body, head, title, source):
    d = extract_document(DOC_URL, wrap(body, head=head))
    assert (d.title, d.title_source) == (title, source)


def test_metas_never_stand_in_for_visible_fields():
    html = wrap("<h1>某文件</h1><div id='zoom'><p>正文。</p></div>",
                head="<title>某文件</title><meta name='PubDate' content='2023-01-01 10:00'>")
    d = extract_document(DOC_URL, html)
    assert d.fields == {} and d.publish_date is None and d.metas["PubDate"] == "2023-01-01 10:00"


def test_links_are_absolute_without_fragments_or_scripts():
    d = doc("doc_xxgk_table.html")
    urls = [r.url for r in d.links]
    assert BASE + "/gongkai/site_qzfbgs/channel_jd/doc_2.html" in urls       # #top dropped
    assert not any(u.startswith(("javascript", "mailto")) for u in urls)
    assert all(u.startswith("http") and "#" not in u for u in urls)
    assert {r.tag for r in d.links} >= {"a", "img", "attachment"}


def test_page_object_is_shared_between_extractors():
    page = Page(DOC_URL, load("doc_dl.html"))
    d = extract_document(DOC_URL, page)
    facts = page_facts(DOC_URL, page)
    assert d.fields["索引号"] == "11370181004205062T/2024-4262705" and facts["lang"] is None
    assert [a["name"] for a in d.attachments] == ["2024年部门预算表.xlsx", "预算说明.ofd"]


def test_hostile_markup_does_not_break_extraction():
    nested = "<div>" * 3000 + "索引号：X" + "</div>" * 3000
    for html in ["", "<<<>>>", "\x00\x01binary", nested, "<?xml version='1.0' encoding='gbk'?><html><body>x</body></html>",
                 "<a href='http://[::1'>bad ipv6</a>", "<a href='javascript:alert(1)'>x</a>"]:
        d = extract_document(DOC_URL, html)
        assert isinstance(d.title, str) and isinstance(d.links, list)
