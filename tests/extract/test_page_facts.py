"""page_facts / outgoing_links: what the accessibility and site-identity rules read."""
from crawler.extract.page import find_accessibility_entries, outgoing_links, page_facts
from extract_fixtures import BASE, load, wrap

HOME = BASE + "/"


def test_homepage_facts():
    f = page_facts(HOME, load("home.html"))
    assert f["lang"] == "zh-CN"
    assert f["imgs_total"] == 3 and f["imgs_without_alt"] == 2
    assert f["imgs_without_alt_sample"] == [BASE + "/images/logo.png", BASE + "/images/banner2.jpg"]
    # a placeholder is not a label (q); hidden inputs and buttons need none; id=tel has <label for>
    assert f["controls_without_label"] == 3
    assert f["controls_without_label_sample"] == ["q", "name", "msg"]
    assert f["accessibility_entry"] and f["care_entry"]
    assert f["accessibility_entries"] == [{"text": "无障碍浏览", "url": BASE + "/wza/index.html"}]
    assert f["site_id_code"] == "3701810001"
    assert f["icp"] == "鲁ICP备05001883号-2"
    assert f["police_record"] == "鲁公网安备 37018102000123号"
    assert f["search_box"]
    assert f["metas"] == {"SiteName": "某区人民政府", "SiteDomain": "www.example.gov.cn", "SiteIDCode": "3701810001"}
    assert f["metas_missing"] == ["ColumnName", "ArticleTitle", "PubDate", "ContentSource"]


def test_dated_items_of_a_homepage():
    items = page_facts(HOME, load("home.html"), homepage=True)["dated_items"]
    assert items == [
        {"url": BASE + "/art/2023/11/27/art_1_10.html", "title": "全区重点项目观摩活动举行", "date": "2023-11-27"},
        {"url": BASE + "/art/2023/11/20/art_1_9.html", "title": "区领导调研冬季供暖工作", "date": "2023-11-20"},
        {"url": BASE + "/art/2023/10/09/art_2_5.html", "title": "关于2023年国庆假期值班安排的通知", "date": "2023-10-09"},
        # "11-28" has no year: no date, the text as shown (the audit dates it by the fetch date)
        {"url": BASE + "/art/2023/11/28/art_1_11.html", "title": "区政府召开第十五次常务会议", "date": None,
         "date_raw": "11-28"},
    ]


def test_missing_everything():
    f = page_facts(HOME, wrap("<p>hello</p><input type='text' id='x'>"))
    assert f["lang"] is None and not f["accessibility_entry"] and not f["care_entry"]
    assert f["site_id_code"] is None and f["icp"] is None and f["police_record"] is None
    assert not f["search_box"] and f["controls_without_label"] == 1
    assert set(f["metas_missing"]) == {"SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ArticleTitle",
                                       "PubDate", "ContentSource"}


def test_care_entry_variants():
    for text in ("关怀版", "长者版", "适老化", "老年版"):
        e = find_accessibility_entries(HOME, wrap(f"<a href='/x/'>{text}</a>"))
        assert e["care"] and not e["accessibility"]


def test_outgoing_links():
    html = wrap("""<base href="http://www.example.gov.cn/sub/">
      <a href="a.html#p2">A</a> <a href="A.html">dup? no: case differs</a> <a href="a.html">A again</a>
      <a href="javascript:void(0)">js</a> <a href="mailto:x@y">mail</a> <a href="tel:123">tel</a> <a href="#top">top</a>
      <a href="HTTP://WWW.Example.GOV.cn/Path/X.PDF">file</a>
      <img src="/i.png" alt="图"> <img src="data:image/png;base64,AAAA">
      <iframe src="//video.example.com/v?id=1"></iframe>
      <a href="ftp://files.example.gov.cn/x">ftp</a>""")
    links = outgoing_links("http://www.example.gov.cn/page.html", html)
    assert [(l.url, l.tag) for l in links] == [
        ("http://www.example.gov.cn/sub/a.html", "a"),
        ("http://www.example.gov.cn/sub/A.html", "a"),
        ("http://www.example.gov.cn/Path/X.PDF", "attachment"),
        ("http://www.example.gov.cn/i.png", "img"),
        ("http://video.example.com/v?id=1", "iframe"),
    ]
    assert links[0].anchor == "A"


def test_a_document_shown_in_the_page_is_an_attachment():
    """公示 pages often show the list itself instead of linking it: <embed>/<object> of the PDF, or
    pdf.js's viewer.html?file=<the PDF> in an iframe (resolved against the viewer, as pdf.js does)."""
    html = wrap("""<div id="zoom"><p>现将名单公示如下：</p>
      <iframe src="/pdfjs/web/viewer.html?file=/uploadfiles/2023/11/10/mingdan.pdf" width="100%"></iframe>
      <iframe src="/static/pdfjs/web/viewer.html?file=%2Ffiles%2Fb.pdf"></iframe>
      <iframe src="/plugins/viewer.html?file=c.pdf"></iframe>
      <embed src="/uploadfiles/chufa.pdf" type="application/pdf">
      <object data="/uploadfiles/jueding.pdf" type="application/pdf"></object>
      <iframe src="/map/index.html?url=/api/points"></iframe></div>""")
    links = outgoing_links("http://www.example.gov.cn/xxgk/doc.html", html)
    files = [l.url for l in links if l.tag == "attachment"]
    assert files == ["http://www.example.gov.cn/uploadfiles/2023/11/10/mingdan.pdf", "http://www.example.gov.cn/files/b.pdf",
                     "http://www.example.gov.cn/plugins/c.pdf", "http://www.example.gov.cn/uploadfiles/chufa.pdf",
                     "http://www.example.gov.cn/uploadfiles/jueding.pdf"]
    # The viewer and the other frame stay frames (link-checked as before).
    assert [l.url for l in links if l.tag == "iframe"][-1] == "http://www.example.gov.cn/map/index.html?url=/api/points"


def test_site_id_code_shown_as_an_image():
    # Footers often show 网站标识码 as a picture whose alt says it: the code is shown, not missing.
    html = wrap('<div class="footer"><p>鲁ICP备05011011号-1 <img src="/images/bsm.png" alt="网站标识码3701120001">'
                '</p></div>')
    assert page_facts(HOME, html)["site_id_code"] == "3701120001"
    # an image of something else is no code
    assert page_facts(HOME, wrap('<div class="footer"><img src="/a.png" alt="党政机关"></div>'))["site_id_code"] is None
