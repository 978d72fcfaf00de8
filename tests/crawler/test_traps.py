"""Crawler traps: endless pagination, no-op query parameters, hostile links and redirects."""
import pytest
from crawler_helpers import FAST, crawl_into
from fixture_site import Answer, FixtureSite

from govaudit.core import storage

HOME = """<html><head><title>某县人民政府</title></head><body><ul class="nav">
<li><a href="/col/dt/">工作动态</a></li>
<li><a href="/col/dt/?topSearch=1">工作动态</a></li>
<li><a href="/col/gg/">通知公告</a></li>
<li><a href="http://evil.example.invalid/col/">外站栏目</a></li>
</ul></body></html>"""


def page(items: str, pager: str = "") -> str:
    return (f"<html><head><title>列表</title></head><body><ul class='nav'><li><a href='/col/dt/'>工作动态</a></li>"
            f"<li><a href='/col/gg/'>通知公告</a></li></ul><ul class='list'>{items}</ul>"
            f"<div class='page'>{pager}</div></body></html>")


def entry(path: str, n: int) -> str:
    return f"<li><a href='{path}'>第{n}期工作动态信息公开内容</a><span>2023-10-{n % 28 + 1:02d}</span></li>"


class Endless(dict):
    """/col/dt/?page=N for every N: each page has one new entry and a 下一页 link (a trap)."""

    def get(self, path, default=None):
        if path.startswith("/col/dt/?page="):
            n = int(path.split("=")[1])
            return Answer(page(entry(f"/col/dt/d{n}.html", n), f"<a href='/col/dt/?page={n + 1}'>下一页</a>"))
        if path.startswith("/col/dt/d"):
            n = int(path[len("/col/dt/d"):-len(".html")])
            return Answer(f"<html><body><h1>第{n}期工作动态信息公开内容</h1><p>发布日期：2023-10-{n % 28 + 1:02d}</p>"
                          f"<div id='zoom'><p>{'内容。' * 60}</p></div></body></html>")
        return super().get(path, default)


@pytest.fixture(scope="module")
def site():
    pages = Endless({
        "/": Answer(HOME),
        "/col/dt/": Answer(page(entry("/col/dt/d1.html", 1), "<a href='/col/dt/?page=2'>下一页</a>")),
        "/col/gg/": Answer("", status=301, headers={"Location": "http://evil.example.invalid/gg/"}),
    })
    s = FixtureSite({})
    s.pages = pages
    yield s
    s.stop()


def test_endless_pagination_is_capped_and_noop_params_are_dropped(site, tmp_path):
    profile = {"start_urls": [site.url], "crawl": {"ignore_params": ["topSearch"], "max_list_pages": 5}}
    snap = crawl_into(tmp_path, site.url, profile=profile, settings={"GOVAUDIT_LINK_CHECK_EXTERNAL": False})
    assert snap.scan["status"] == "complete"
    columns = snap.by_url(storage.column)
    assert site.url + "col/dt/" in columns
    assert not [u for u in columns if "topSearch" in u]
    list_pages = [p for m, p, _ in site.requests if p.startswith("/col/dt/?page=")]
    assert 1 <= len(list_pages) <= 5
    assert len(snap.by_url(storage.document)) == len(list_pages) + 1


def test_links_and_redirects_never_take_the_crawl_off_site(site, tmp_path):
    snap = crawl_into(tmp_path, site.url, settings={**FAST, "GOVAUDIT_LINK_CHECK_EXTERNAL": False,
                                                   "GOVAUDIT_MAX_LIST_PAGES": 3})
    assert all(u.startswith(site.url) for u in snap.by_url(storage.column))
    assert all(u.startswith(site.url) for u in snap.by_url(storage.page))
    # The off-site target is a link to check (here: not checked, as configured), never a page.
    assert snap.by_url(storage.link)["http://evil.example.invalid/col/"]["outcome"] == "unchecked"
