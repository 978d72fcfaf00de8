"""Decoding when header, <meta> and bytes disagree; soft 404 pages."""
import pytest

from crawler.extract.encoding import decode_html
from crawler.extract.soft404 import looks_like_soft404, page_similarity, similar_pages
from extract_fixtures import load, wrap

# 镕 and 喆 are in GBK but not in GB2312.
GBK_ONLY = "朱镕基 陶喆 政务公开"


def gb_page(meta_charset="gb2312"):
    return wrap(f"<p>{GBK_ONLY}</p>", head=f"<meta charset='{meta_charset}'><title>标题</title>")


@pytest.mark.parametrize("content_type, meta", [
    ("text/html; charset=gb2312", "gb2312"),       # GB2312 label, GBK-only characters
    ("text/html", "gb2312"),                       # meta only
    ("text/html; charset=ISO-8859-1", "gbk"),      # a server's latin-1 default against the meta
    ("text/html; charset=utf-8", "gb2312"),        # header lies: bytes are not UTF-8
    (None, "gbk"),
])
def test_gbk_pages_decode(content_type, meta):
    body = gb_page(meta).encode("gbk")
    text, enc = decode_html(body, content_type)
    assert GBK_ONLY in text and "\ufffd" not in text
    assert enc == "gb18030"


def test_utf8_bytes_win_over_a_wrong_gb_label():
    body = gb_page("gb2312").encode("utf-8")
    text, enc = decode_html(body, "text/html; charset=gb2312")
    assert GBK_ONLY in text and enc == "utf-8"


def test_bom_and_empty():
    text, enc = decode_html("\ufeff<p>中文</p>".encode("utf-8"), "text/html; charset=gbk")
    assert text == "<p>中文</p>"
    assert decode_html(b"", None) == ("", "utf-8")


def test_undecodable_bytes_still_give_text():
    text, _enc = decode_html(b"<p>\xff\xfe\xfa\x80\x81</p>", "text/html; charset=utf-8")
    assert text.startswith("<p>")


def test_soft404_page():
    html = load("soft404.html")
    assert looks_like_soft404(200, html, len(html.encode()))
    assert not looks_like_soft404(404, html, len(html.encode()))          # a real 404 is not "soft"
    assert looks_like_soft404(200, "页面不存在", None)                      # plain text works too


@pytest.mark.parametrize("html", [
    wrap("<title>404 Not Found</title>", head="<title>404 Not Found</title>"),
    wrap("<h1>对不起，您要找的页面找不到了</h1>"),
    wrap("<p>该信息已删除或不存在</p>") .replace("已删除或不存在", "不存在或已删除"),
    wrap("<div>错误页面</div>"),
])
def test_soft404_phrases(html):
    assert looks_like_soft404(200, html, len(html))


def test_big_real_page_mentioning_not_found_is_not_soft404():
    body = "<p>" + "政务公开工作要点内容。" * 400 + "群众反映找不到办事入口的问题已整改。</p>"
    html = wrap(body)
    assert not looks_like_soft404(200, html, len(html.encode()))
    assert not looks_like_soft404(200, wrap("<p>区政府召开常务会议</p>"), 100)


def test_threshold_is_configurable():
    html = wrap("<p>" + "内容" * 1200 + "页面不存在</p>")
    assert not looks_like_soft404(200, html, len(html))
    assert looks_like_soft404(200, html, len(html), max_text_chars=5000)


def test_similar_pages_compares_with_a_probe():
    a = wrap("<p>抱歉，您访问的页面 /gongkai/doc_1.html 不存在</p>")
    probe = wrap("<p>抱歉，您访问的页面 /zzz-4f1c9a.html 不存在</p>")
    other = wrap("<h1>区政府召开常务会议</h1><p>11月9日，区政府召开常务会议，研究部署近期重点工作。</p>")
    assert similar_pages(a, probe)
    assert not similar_pages(a, other)
    assert page_similarity(a, a) == 1.0
