"""A news column that shows no dates, only titles (媒体关注, 镇街动态; black-box probe): the date
is on each article's own page.  Its links are article paths with a date stamp
(/news/mtgz/202311/t20231126_5139.html), which a CMS gives its articles and never its columns,
so the page is a list of those articles, not a hub whose "sub-columns" are the articles."""
from __future__ import annotations

from crawler.listing import read_list
from crawler_helpers import crawl_into
from fixture_site import Answer, FixtureSite

from govaudit.core import storage

ARTICLES = [("202311/t20231126_5139.html", "大众日报：西岭区打造“15分钟便民生活圈”", "2023-11-26"),
            ("202311/t20231113_5142.html", "青山日报：西岭区老旧小区改造惠及万户居民", "2023-11-13"),
            ("202310/t20231021_5145.html", "青山电视台：西岭区秋收秋种有序推进", "2023-10-21")]
SIDE = ("<div class='side'><h3>新闻中心</h3><ul><li><a href='/news/xlyw/'>西岭要闻</a></li>"
        "<li><a href='/news/mtgz/'>媒体关注</a></li></ul></div>")


def column(links):
    items = "".join(f"<li><a href='{href}' target='_blank'>{name}</a></li>" for href, name in links)
    return (f"<html><head><title>媒体关注</title></head><body>{SIDE}<div class='list-box'><h2>媒体关注</h2>"
            f"<ul class='news-list'>{items}</ul></div></body></html>")


def test_undated_links_to_date_stamped_articles_are_a_list():
    page = read_list("http://www.example.gov.cn/news/mtgz/", column([(p, t) for p, t, _d in ARTICLES]))
    assert [(e.url.rsplit("/", 2)[-2], e.date) for e in page.entries] == [("202311", None), ("202311", None),
                                                                         ("202310", None)]
    # links to sub-columns (no date stamp) are no such list: that page is a hub
    hub = column([("/news/mtgz/bd/", "本地媒体"), ("/news/mtgz/zy/", "中央媒体"), ("/news/mtgz/sj/", "省级媒体")])
    assert read_list("http://www.example.gov.cn/news/mtgz/", hub) is None


def test_the_articles_of_an_undated_news_column_are_its_documents_not_columns(tmp_path):
    home = ("<html><head><title>某区人民政府</title></head><body><div class='nav'><a href='/'>首页</a>"
            "<a href='/news/xlyw/'>西岭要闻</a><a href='/news/mtgz/'>媒体关注</a></div></body></html>")
    pages = {"/": Answer(home), "/news/mtgz/": Answer(column([(p, t) for p, t, _d in ARTICLES]))}
    for path, title, date in ARTICLES:
        pages["/news/mtgz/" + path] = Answer(
            f"<html><body><h1>{title}</h1><div class='info'>发布日期：{date}</div>"
            f"<div class='content'><p>{'正文内容。' * 40}</p></div></body></html>")
    site = FixtureSite(pages)
    try:
        snap = crawl_into(tmp_path, site.url)
    finally:
        site.stop()
    columns = {r["url"]: r for r in snap.rows(storage.column)}
    col = columns[site.url + "news/mtgz/"]
    assert col["kind"] == "list" and col["item_count"] == 3
    assert not any("/t2023" in u for u in columns)
    docs = {r["url"]: r for r in snap.rows(storage.document, column_url=site.url + "news/mtgz/")}
    assert sorted(d["publish_date"] for d in docs.values()) == ["2023-10-21", "2023-11-13", "2023-11-26"]
    # …and it is a leaf: its own entries are no sub-columns, so its freshness is judged
    assert col["is_leaf"]
