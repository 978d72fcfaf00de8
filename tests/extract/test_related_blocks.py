"""解读 links in related-link blocks (相关链接 / 关联稿件): real pages of tests/realpages and small
variants of the same markup."""
from __future__ import annotations

from pathlib import Path

from crawler.extract.document import extract_document
from crawler.extract.encoding import decode_html
from crawler.extract.html import Page

REAL = Path(__file__).resolve().parents[1] / "realpages"


def _real(file: str, url: str):
    text, _enc = decode_html((REAL / file).read_bytes(), None)
    return extract_document(url, Page(url, text))


def _interp(html: str) -> list[str]:
    url = "http://x.gov.cn/art/2025/1/1/art_1_1.html"
    return sorted(ref.url for ref in extract_document(url, Page(url, html)).interpretation_links)


ARTICLE = ("<html><body><div class='main'><h1>关于印发某办法的通知</h1><div class='detailContent'>"
           + "<p>各乡镇人民政府，县直各部门：现将某办法印发给你们，请认真贯彻执行。</p>" * 4 + "</div>{block}</div>{script}"
           "</body></html>")
BLOCK = ("<div class='xxgk_xglj' style='display:none;'><h2>相关链接</h2><ul class='xggj'>"
         "<li><a href='/art/2025/1/2/art_1_2.html'>《某办法》政策解读</a></li>"
         "<li><a href='/art/2025/1/3/art_1_3.html'>县政府召开常务会议</a></li></ul></div>")
SHOW = ("<script>if($('.xggj li').length<=0){$('.xxgk_xglj').css('display','none');}"
        "else{$('.xxgk_xglj').css('display','block');}</script>")


def test_a_related_block_the_page_script_shows_gives_its_interpretation_links():
    facts = _real("fzgg.gansu.gov.cn/tongzhi_gongye_shebei_gengxin.html", "http://fzgg.gansu.gov.cn/")
    assert sorted(ref.url for ref in facts.interpretation_links) == [
        "http://fzgg.gansu.gov.cn/fzgg/c106109/202502/174084157.shtml",
        "http://fzgg.gansu.gov.cn/fzgg/c106109/202503/174089499.shtml"]


def test_a_related_documents_block_above_the_body_gives_its_interpretation_link():
    facts = _real("www.wanzai.gov.cn/tjsja_2022_72153801.html",
                  "http://www.wanzai.gov.cn/wzxrmzf/tjsja/202305/7215380191c5400397df5d7d0b5fd06b.shtml")
    assert [ref.url for ref in facts.interpretation_links] == [
        "http://www.wanzai.gov.cn/wzxrmzf/tjjjdhy/202307/bb8049063e11403994c3d01d8813a11a.shtml"]


def test_only_the_links_that_name_a_interpretation_count_and_a_hidden_block_no_script_shows_does_not():
    shown = _interp(ARTICLE.format(block=BLOCK, script=SHOW))
    assert shown == ["http://x.gov.cn/art/2025/1/2/art_1_2.html"]          # not the 常务会议 news
    assert _interp(ARTICLE.format(block=BLOCK, script="")) == []
    visible = BLOCK.replace(" style='display:none;'", "")
    assert _interp(ARTICLE.format(block=visible, script="")) == ["http://x.gov.cn/art/2025/1/2/art_1_2.html"]


BODY_LINKS = ("<html><body><div class='main'><h1>{title}</h1><div class='TRS_Editor'>"
              + "<p>会议强调，要抓好各项工作落实，确保取得实效，推动高质量发展。</p>" * 4
              + "<p>▶<a href='/zcwj/zcjd/202204/t20220411_1.shtml'>一图读懂《关于加强排污许可执法监管的指导意见》</a></p>"
              "</div></div></body></html>")


def test_a_body_link_to_the_interpretation_of_another_document_is_not_this_pages_interpretation():
    # A weekly round-up (生态环境部一周要闻) links the 一图读懂 of a document it reports on.
    assert _interp(BODY_LINKS.format(title="生态环境部一周要闻（4.10-4.16）")) == []
    assert _interp(BODY_LINKS.format(title="关于印发《关于加强排污许可执法监管的指导意见》的通知")) == [
        "http://x.gov.cn/zcwj/zcjd/202204/t20220411_1.shtml"]
