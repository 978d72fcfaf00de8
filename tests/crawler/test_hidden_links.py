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


def test_homepage_resources_are_links():
    html = ('<html><head><link rel="stylesheet" href="/css/main.css"><link rel="icon" href="/f.ico">'
            '<script src="/js/a.js"></script><script>var x;</script></head><body></body></html>')
    assert [(r.url, r.tag) for r in resource_links("http://site.test/", html)] == [
        ("http://site.test/css/main.css", "css"), ("http://site.test/js/a.js", "script")]
