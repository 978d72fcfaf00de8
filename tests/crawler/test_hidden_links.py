"""The crawler records how each link is hidden (crawler/extract/hidden.py): facts, not a verdict."""
from crawler.extract.hidden import link_hiding
from crawler.extract.page import resource_links

PAGE = """<html><head><style>.yl{position:absolute;left:-9999px} #x a {font-size:0} p.ok{color:red}</style></head>
<body><a href="/a">shown</a><div style="display:none"><a href="http://bet.example/">百家乐</a></div>
<div class="yl"><a href="http://b.example/">b</a></div><p id="x"><a href="http://c.example/">c</a></p>
<noscript><a href="http://d.example/">d</a></noscript>
<div style="height:0;overflow:hidden"><a href="http://e.example/">e</a></div>
<iframe src="http://f.example/count" width="0" height="0"></iframe>
<script>document.write('<a href="http://g.example/">太阳城</a>');</script>
<div style="display:none"><a href="/a">shown elsewhere</a></div>
<p class="ok" style="opacity:0.5"><a href="http://h.example/">h</a></p></body></html>"""


def test_each_hiding_technique_is_recorded():
    hidden, written = link_hiding("http://site.test/", PAGE)
    assert hidden == {"http://bet.example/": ["display_none"], "http://b.example/": ["offscreen"],
                      "http://c.example/": ["font_size_0"], "http://d.example/": ["noscript"],
                      "http://e.example/": ["zero_size"], "http://f.example/count": ["zero_size"],
                      "http://g.example/": ["document_write"]}
    assert [(r.url, r.anchor) for r in written] == [("http://g.example/", "太阳城")]


def test_a_site_a_shown_jump_menu_names_is_shown_whatever_hidden_copy_the_page_keeps():
    """吉林省公共资源交易中心 (tests/realpages): a 友情链接 <select> names the other provinces' platforms,
    and an old copy of the same menu as links sits in a <ul style="display:none">."""
    html = """<html><body><select onchange="window.open(this.value)">
    <option value="" disabled selected style="display:none;">其他省本级交易平台</option>
    <option value="http://www.ccggzy.com.cn/">长春市公共资源交易中心</option></select>
    <select style="display:none"><option value="http://bet.example/">百家乐</option></select>
    <ul style="display:none;"><li><a href="http://www.ccggzy.com.cn/">长春市公共资源交易中心</a></li>
    <li><a href="http://bet.example/">百家乐</a></li></ul></body></html>"""
    hidden, _ = link_hiding("http://www.ggzyzx.jl.gov.cn/", html)
    assert hidden == {"http://bet.example/": ["display_none"]}


def test_a_layout_for_some_screens_is_not_hidden_from_every_reader():
    """吉林省公共资源交易中心 (tests/realpages): the mobile layout is .wap{display:none}, shown on phones by
    an @media rule that hides the desktop one (.pc).  Neither hides its links from every reader."""
    html = """<html><head><style>@charset "UTF-8"; .wap{display:none} .spam{display:none}
    @media print { .spam{display:block} }
    @media screen and (max-width:1024px){ .pc{display:none;} .wap{display:block;} }</style></head>
    <body><div class="pc"><a href="http://a.example/">a</a></div><div class="wap"><a href="http://b.example/">b</a></div>
    <div class="spam"><a href="http://c.example/">c</a></div></body></html>"""
    assert link_hiding("http://site.test/", html)[0] == {"http://c.example/": ["display_none"]}


def test_links_one_element_hides_are_one_block():
    hidden, written, blocks = link_hiding("http://site.test/", PAGE, blocks=True)
    assert blocks["http://bet.example/"] == "/html/body/div[1]"
    assert blocks["http://b.example/"] == "/html/body/div[2]" and blocks["http://c.example/"] == "/html/body/p[1]/a"
    assert blocks["http://g.example/"] == "document.write" and set(blocks) == set(hidden)


def test_homepage_resources_are_links():
    html = ('<html><head><link rel="stylesheet" href="/css/main.css"><link rel="icon" href="/f.ico">'
            '<script src="/js/a.js"></script><script>var x;</script></head><body></body></html>')
    assert [(r.url, r.tag) for r in resource_links("http://site.test/", html)] == [
        ("http://site.test/css/main.css", "css"), ("http://site.test/js/a.js", "script")]


def test_a_tabbed_boxs_closed_panels_are_tab_panels_not_display_none():
    """通知公告 / 政府文件 / 媒体聚焦 tabs: one panel shown, the others display:none until clicked.
    Their links are named tab_panel; a lone display:none block, even with a class, is not."""
    html = """<html><head><style>.x{display:none}</style></head><body><div class="tabbox">
    <ul class="tab-con" id="con0"><li><a href="/tzgg/1.html">通知</a></li></ul>
    <ul class="tab-con" id="con1" style="display:none"><li><a href="/zfwj/1.html">文件</a></li></ul>
    <ul class="tab-con x" id="con2"><li><a href="http://www.dzwww.com/a.htm">媒体</a></li></ul></div>
    <div id="tab_1"><a href="/b">b</a></div><div id="tab_2" style="display:none"><a href="/c">c</a></div>
    <div class="seo" style="display:none"><a href="http://bet.example/">百家乐</a></div>
    <div class="seo" style="font-size:0"><a href="http://porn.example/">av</a></div></body></html>"""
    hidden, _ = link_hiding("http://site.test/", html)
    assert hidden["http://site.test/zfwj/1.html"] == ["tab_panel"]
    assert hidden["http://site.test/c"] == ["tab_panel"]               # numbered ids, no class
    assert hidden["http://www.dzwww.com/a.htm"] == ["display_none"]   # its class differs: no sibling panel
    # two hidden look-alikes, neither shown: no tabbed box
    assert hidden["http://bet.example/"] == ["display_none"] and hidden["http://porn.example/"] == ["font_size_0"]
