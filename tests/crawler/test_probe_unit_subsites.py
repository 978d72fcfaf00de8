"""Units on hosts of their own (black-box probe): the district's 部门信息公开 page links each
department's 信息公开 site at its own host name (czj.example.gov.cn, as real districts do), and
the homepage's 政务公开 box links that page directly, so the crawler reaches it as a portal
column.  With the hosts in the profile's ``allowed_hosts`` the units are crawled: their homes are
units and their columns belong to them.  Without, they stay outside the scan (only link-checked),
and the directory is still a hub of units, not a blank column (空白栏目); the report names the
units left out and the profile key that would include them.  A unit site's
navigation links 首页 and 信息公开, two pages showing the same catalogue: the second is the unit's
home again, not a column 信息公开 whose list is the home's 最新信息 box."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from audits.runner import inventory
from audits.snapshot import Snapshot as AuditSnapshot
from crawler_helpers import crawl_into
from fixture_site import Answer, FixtureSite

from govaudit.core import storage
from govaudit.report.context import Report


def html(title, body):
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


def unit_pages():
    tree = ("<div class='gk-left'><ul class='tree'><li><a href='/gkml/list.jsp?catid=12'>部门文件</a></li>"
            "<li><a href='/gkml/list.jsp?catid=20'>工作动态</a></li></ul></div>")

    def items(cat):
        return "".join(f"<li><a href='detail.jsp?id={cat}{i}'>区财政局关于第{cat}{i}项工作的通知</a><span>2023-11-{i:02d}</span>"
                       "</li>" for i in (20, 10))
    latest = items(12).replace("detail.jsp", "/gkml/detail.jsp")
    # 首页 and 信息公开 in the site's navigation show the same catalogue and 最新信息 box
    home = html("西岭区财政局", "<div class='nav'><a href='/'>首页</a><a href='/gkml/index.jsp'>信息公开</a></div>"
                f"<h2>西岭区财政局信息公开</h2>{tree}<div class='latest'><h3>最新信息</h3><ul>{latest}</ul></div>")
    pages = {"/": Answer(home), "/gkml/index.jsp": Answer(home)}
    for cat in (12, 20):
        pages[f"/gkml/list.jsp?catid={cat}"] = Answer(html("部门文件", f"{tree}<ul class='gk-list'>{items(cat)}</ul>"))
        for i in (20, 10):
            pages[f"/gkml/detail.jsp?id={cat}{i}"] = Answer(html("通知", f"<h1>区财政局关于第{cat}{i}项工作的通知</h1>"
                                                          f"<p>发布时间：2023-11-{i:02d}</p><div id='zoom'><p>{'正文。' * 40}</p></div>"))
    return pages


def district_pages(unit_url):
    home = html("西岭区人民政府", "<div class='nav'><a href='/'>首页</a><a href='/gkml/index.jsp'>政府信息公开</a></div>"
                "<div class='gk-box'><a href='/gkml/bmgk.jsp'>部门信息公开</a></div>")
    directory = html("部门信息公开", "<div class='position'>当前位置：<a href='/'>首页</a> &gt; "
                     "<a href='/gkml/bmgk.jsp'>部门信息公开</a></div><div class='gk-right'><h2>部门信息公开</h2>"
                     f"<ul class='unit-list'><li><a href='{unit_url}' target='_blank'>西岭区财政局</a></li></ul></div>")
    return {"/": Answer(home), "/gkml/index.jsp": Answer(html("政府信息公开", "<p>信息公开平台</p>")),
            "/gkml/bmgk.jsp": Answer(directory)}


@pytest.mark.parametrize("allowed", [True, False])
def test_a_unit_site_on_its_own_host_is_crawled_when_the_profile_allows_its_host(tmp_path, allowed):
    unit = FixtureSite(unit_pages(), host="127.0.0.2")
    district = FixtureSite(district_pages(unit.url))
    profile = {"start_urls": [district.url], "allowed_hosts": ["127.0.0.2"] if allowed else []}
    try:
        snap = crawl_into(tmp_path, district.url, profile=profile)
    finally:
        district.stop()
        unit.stop()
    units = {r["name"]: r for r in snap.rows(storage.unit)}
    columns = {r["url"]: r for r in snap.rows(storage.column)}
    directory = columns[district.url + "gkml/bmgk.jsp"]
    if allowed:
        assert units["西岭区财政局"]["home_url"] == unit.url
        col = columns[unit.url + "gkml/list.jsp?catid=12"]
        assert col["unit"] == "西岭区财政局" and col["item_count"] == 2
        assert len(snap.rows(storage.document, column_url=unit.url + "gkml/list.jsp?catid=12")) == 2
        # its 信息公开 page is its home again, not a column of its 最新信息 box
        assert sorted(u for u in columns if u.startswith(unit.url)) == [unit.url + "gkml/list.jsp?catid=12",
                                                                       unit.url + "gkml/list.jsp?catid=20"]
    else:
        assert "西岭区财政局" not in units
        assert not any(u.startswith(unit.url) for u in columns)
        assert not any("gkml" in path for _m, path, _h in unit.requests)     # link-checked only
        # …and the report owns up to it, with what to put in the profile
        inv = inventory(AuditSnapshot.load(snap.engine, snap.scan_id))
        assert inv["units_not_crawled_list"] == [{"url": unit.url, "name": "西岭区财政局"}]
        said = Report.units_not_crawled.fget(SimpleNamespace(doc={"inventory": inv}))
        assert "西岭区财政局" in said and "allowed_hosts" in said
    # A directory of units, wherever their sites are, is no blank column.
    assert directory["kind"] == "hub"
