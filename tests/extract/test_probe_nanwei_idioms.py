"""Idioms of a 南威/PageAdmin-style 政府信息公开 platform seen by the black-box probe: a detail page
ends with 上一篇/下一篇 and a 相关文章 block the CMS fills with other items of the column (or of a
keyword).  On a 政策解读 page that block lists its sibling 解读, none of them a 解读 of this page; on a
policy document it may list the 解读 of other documents, quoting their names in 《》."""
from crawler.extract.document import extract_document
from crawler.extract.html import Page

from extract_fixtures import wrap

BASE = "http://www.example.gov.cn"
DOC_URL = BASE + "/zfxxgk/fdzdgknr/zcwj/content/post_5102301.html"
DOC_TITLE = "某区人民政府关于印发某区优化营商环境若干措施的通知"
JD_URL = BASE + "/zfxxgk/fdzdgknr/zcjd/content/post_5102305.html"
JD_TITLE = "《某区优化营商环境若干措施》政策解读"

SIBLINGS = ('<div class="xgwz"><div class="xgwz_t">相关文章</div><ul>'
            '<li><a href="/zfxxgk/fdzdgknr/zcjd/content/post_5102290.html" title="一图读懂《某区城乡环境整治三年行动方案》">'
            '一图读懂《某区城乡环境整治三年行动方案》</a><span>2023-09-06</span></li>'
            '<li><a href="/zfxxgk/fdzdgknr/zcjd/content/post_5102252.html" title="图解：某区加强城市道路停车管理">'
            '图解：某区加强城市道路停车管理</a><span>2023-08-15</span></li>'
            '<li><a href="/zfxxgk/fdzdgknr/zcjd/content/post_5102215.html" title="《某区农村集体资产管理办法》解读">'
            '《某区农村集体资产管理办法》解读</a><span>2023-07-20</span></li></ul></div>')
PREVNEXT = ('<div class="prevnext"><p>上一篇：<a href="/zfxxgk/fdzdgknr/zcjd/content/post_5102290.html">'
            '一图读懂《某区城乡环境整治三年行动方案》</a></p><p>下一篇：没有了</p></div>')


def _facts(url, title, inside: str, after: str):
    html = wrap(f'<div class="article"><h1 class="art_title">{title}</h1>'
                '<div class="info"><span>发布时间：2023-10-11</span><span>来源：某区人民政府</span></div>'
                f'<div class="TRS_Editor" id="zoom"><p>{title}。为便于社会公众理解，现就有关内容解读如下。</p>'
                f'<p>一、出台背景。二、主要内容。三、适用范围和施行时间。</p>{inside}</div>{after}</div>')
    return extract_document(url, Page(url, html))


def test_the_related_articles_of_an_interpretation_are_not_its_interpretations():
    back = f'<p class="zcyw">政策原文：<a href="{DOC_URL}">{DOC_TITLE}</a></p>'
    facts = _facts(JD_URL, JD_TITLE, back, PREVNEXT + SIBLINGS)
    assert facts.interpretation_links == []
    assert [ref.url for ref in facts.original_links] == [DOC_URL]


def test_a_related_block_still_gives_the_documents_own_interpretation():
    related = ('<div class="xgwz"><div class="xgwz_t">相关文章</div><ul>'
               f'<li><a href="{JD_URL}">{JD_TITLE}</a><span>2023-10-11</span></li></ul></div>')
    assert [ref.url for ref in _facts(DOC_URL, DOC_TITLE, "", related).interpretation_links] == [JD_URL]


def test_related_articles_quoting_other_documents_are_not_this_documents_interpretations():
    own = f'<li><a href="{JD_URL}" title="{JD_TITLE}">{JD_TITLE}</a><span>2023-10-11</span></li>'
    found = [ref.url for ref in _facts(DOC_URL, DOC_TITLE, "", SIBLINGS.replace("<ul>", "<ul>" + own)).interpretation_links]
    assert BASE + "/zfxxgk/fdzdgknr/zcjd/content/post_5102290.html" not in found    # 《城乡环境整治…》
    assert BASE + "/zfxxgk/fdzdgknr/zcjd/content/post_5102215.html" not in found    # 《农村集体资产…》
    assert JD_URL in found


def test_a_related_interpretation_quoting_the_document_cut_short_is_kept():
    short = "《某区营商环境措施》解读"           # 某区优化营商环境若干措施, cut short
    related = ('<div class="xgwz"><div class="xgwz_t">相关文章</div><ul>'
               f'<li><a href="{JD_URL}">{short}</a><span>2023-10-11</span></li></ul></div>')
    assert [ref.url for ref in _facts(DOC_URL, DOC_TITLE, "", related).interpretation_links] == [JD_URL]


def test_a_page_of_a_jiedu_column_is_a_jiedu_whatever_its_title():
    """Its breadcrumb names the 政策解读 column; its title (出台背景及主要内容) does not say 解读."""
    url = BASE + "/zfxxgk/fdzdgknr/zcjd/content/post_5102321.html"
    html = wrap('<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zfxxgk/">政府信息公开</a> &gt; '
                '<a href="/zfxxgk/fdzdgknr/zcjd/">政策解读</a></div>'
                '<div class="article"><h1>某区城镇燃气安全管理办法出台背景及主要内容</h1>'
                '<div id="zoom"><p>一、出台背景。二、主要内容。三、适用范围。</p></div>' + SIBLINGS + '</div>')
    facts = extract_document(url, Page(url, html))
    assert facts.looks_like_interpretation and facts.interpretation_links == []
