"""Lists the built-in readers cannot read, described in a profile: selectors, next links and a
data endpoint paged until it runs dry."""
import pytest
from crawler_helpers import FAST, crawl_into
from fixture_site import Answer, FixtureSite

from govaudit.core import storage

HOME = ("<html><head><title>某区政府</title></head><body><ul class='nav'>"
        "<li><a href='/col/rows/'>工作动态</a></li><li><a href='/col/app/'>通知公告</a></li></ul></body></html>")


def rows(start: int, next_href: str | None) -> str:
    items = "".join(f"<div class='r'><em>{n}</em><a class='t' href='/doc/{n}.html'>第{n}号信息</a>"
                    f"<i class='d'>发布于 2023-10-{n:02d}</i></div>" for n in range(start, start + 3))
    pager = f"<a class='nx' href='{next_href}'>»</a>" if next_href else ""
    return f"<html><body>{HOME[HOME.index('<ul'):HOME.index('</body>')]}<div class='rows'>{items}</div>{pager}</body></html>"


def doc(n: int) -> Answer:
    return Answer(f"<html><body><h1>第{n}号信息</h1><p>发布日期：2023-10-{n:02d}</p>"
                  f"<div id='zoom'><p>{'内容。' * 50}</p></div></body></html>")


@pytest.fixture(scope="module")
def site():
    pages = {
        "/": Answer(HOME),
        "/col/rows/": Answer(rows(1, "/col/rows/p2.html")),
        "/col/rows/p2.html": Answer(rows(4, None)),
        # A script-rendered column: the page has no list, the data comes from an endpoint.
        "/col/app/": Answer("<html><body><div id='app'></div><script src='/app.js'></script></body></html>"),
        "/api/list?col=app&page=1": Answer("<ul>" + "".join(
            f"<li data-date='2023-11-{n:02d}'><a href='/doc/{n}.html'>第{n}号信息</a> 2023-11-{n:02d}</li>"
            for n in (7, 8)) + "</ul>"),
        "/api/list?col=app&page=2": Answer("<ul><li><a href='/doc/9.html'>第9号信息</a> 2023-11-09</li></ul>"),
        "/api/list?col=app&page=3": Answer("<ul></ul>"),
    }
    pages.update({f"/doc/{n}.html": doc(n) for n in range(1, 10)})
    s = FixtureSite(pages)
    yield s
    s.stop()


def test_profile_selectors_and_endpoints_read_the_lists(site, tmp_path):
    profile = {"start_urls": [site.url], "lists": [
        {"url_pattern": "/col/rows/", "item": "div.rows > div.r", "link": "a.t::attr(href)", "title": "a.t::text",
         "date": "i.d::text", "next": "a.nx::attr(href)"},
        {"url_pattern": "/col/app/$", "endpoint": "/api/list?col=app&page={page}", "item": "//li"},
    ]}
    snap = crawl_into(tmp_path, site.url, profile=profile, settings={**FAST, "GOVAUDIT_LINK_CHECK": False})
    columns = snap.by_url(storage.column)
    assert columns[site.url + "col/rows/"]["list_style"] == "profile"
    assert columns[site.url + "col/app/"]["list_style"] == "profile_endpoint"
    items = snap.rows(storage.list_item)
    by_column = {}
    for i in items:
        by_column.setdefault(i["column_url"], {})[i["url"]] = (i["title"], i["date"])
    assert by_column[site.url + "col/rows/"] == {
        f"{site.url}doc/{n}.html": (f"第{n}号信息", f"2023-10-{n:02d}") for n in range(1, 7)}
    assert by_column[site.url + "col/app/"] == {
        f"{site.url}doc/{n}.html": (f"第{n}号信息", f"2023-11-{n:02d}") for n in (7, 8, 9)}
    assert len(snap.by_url(storage.document)) == 9
    assert ("GET", "/api/list?col=app&page=3") in [(m, p) for m, p, _ in site.requests]
    assert ("GET", "/api/list?col=app&page=4") not in [(m, p) for m, p, _ in site.requests]
