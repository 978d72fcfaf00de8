"""JS-shell columns a black-box probe found judged 空白栏目 although their lists were never read
(jpaas / EWB / token-gated / New Hanweb require.js columns).  An empty list rests on positive
evidence; an answer that is no list, a request never answered for the column, or a list box a
module script fills is recorded as unread (``columns.unreadable_list_styles``)."""
from __future__ import annotations

import json
import types
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.settings import Settings
from scrapy.utils.request import RequestFingerprinter

from audits.config import merged_config
from crawler.extract.html import Page
from crawler.frontier import Frontier
from crawler.listing import read_list, read_response
from crawler.listing.jsendpoint import find_endpoints
from crawler.requestinfo import META_KEY, RequestInfo

HOST = "http://www.licheng.gov.cn"
JPAAS = "/api-gateway/jpaas-publish-server/front/page/build/unit"


def _shell(script: str, head: str = "", tail: str = "") -> str:
    return (f"<html><head><title>栏目</title>{head}</head><body><div class='main'><div class='right'>"
            f"<div class='list-title'><h2>栏目</h2></div><ul id='list' class='list'></ul>"
            f"<div id='page' class='page'></div></div>{tail}<script src='/js/jquery.min.js'></script>"
            f"<script>{script}</script></div></body></html>")


def _jpaas(param_json: str, prelude: str = "") -> str:
    return _shell(prelude + "$(function(){ $.ajax({url: '" + JPAAS + "', type: 'GET', dataType: 'json',"
                  " data: {webId: 'a8b1', pageId: '117be2', pageType: 'column', paramJson: " + param_json + "},"
                  " success: function (d) { $('#list').html(d.data.html); }}); });")


def _ewb(category: str) -> str:
    return _shell(f'var siteGuid = "7eb5f7f1"; var categoryNum = "{category}";\n'
                  "function getgovinfolist(pageIndex) { $.ajax({type: 'POST',"
                  " url: '/EWB-FRONT/rest/frontAppCustomAction/getGovInfoList',"
                  " contentType: 'application/json;charset=utf-8', dataType: 'json',"
                  " data: JSON.stringify({token: '', params: {siteGuid: siteGuid, categoryNum: categoryNum,"
                  " pageIndex: pageIndex, pageSize: 10}}),"
                  " success: function (res) { $.each(res.custom.infodata, function (i, r) {}); }}); }\n"
                  "getgovinfolist(0);")


def _first_request(url: str, html: str) -> dict:
    found = read_list(url, html)
    assert found is not None and found.style == "js_shell" and len(found.next_pages) == 1
    return found.next_pages[0]


def _param_json(req: dict) -> str:
    return parse_qs(urlsplit(req["url"]).query)["paramJson"][0]


# ---- 1. an answer that is no list is unread, not an empty list ----------------------------------

def test_an_error_envelope_or_a_token_is_no_empty_list_but_a_stated_total_of_0_is():
    url = HOST + "/col/col4475/index.html"
    req = _first_request(url, _jpaas("'{\"pageNo\":1,\"pageSize\":10}'"))
    unread = merged_config()["columns"]["unreadable_list_styles"]

    def style(answer) -> str:
        return read_response(req, req["url"], json.dumps(answer, ensure_ascii=False), "application/json").style

    assert style({"success": False, "code": 500, "message": "paramJson解析失败", "data": None}) in unread
    assert style({"code": 0, "token": "9f1c2a", "expires": 300}) in unread
    assert style({"status": {"code": 500, "text": "参数错误"}, "custom": ""}) in unread
    # A page past the end of a list that has items (total 12, no records) says nothing of emptiness.
    assert style({"custom": {"total": 12, "infodata": []}}) in unread
    # Positive evidence: a jpaas answer with an empty html and total 0, an EWB one with no records.
    assert style({"success": True, "code": 200, "data": {"html": "", "total": 0}}) == "js_shell"
    assert style({"status": {"code": 200}, "custom": {"infodata": [], "total": 0}}) == "js_shell"
    assert style({"status": {"code": 200}, "custom": {"infodata": []}}) == "js_shell"


# ---- 2. each EWB column asks for its own list ----------------------------------------------------

def test_ewb_nested_params_are_kept_so_each_column_asks_for_its_own_list_from_page_0():
    bodies = [json.loads(_first_request(HOST + f"/col/col{c}/index.html", _ewb(f"00{c}"))["body"])
              for c in (4472, 4474)]
    assert bodies[0] == {"token": "", "params": {"siteGuid": "7eb5f7f1", "categoryNum": "004472",
                                                 "pageIndex": 0, "pageSize": 10}}
    assert bodies[1]["params"]["categoryNum"] == "004474"
    req = _first_request(HOST + "/col/col4472/index.html", _ewb("004472"))
    records = [{"title": f"通知{i}", "url": f"/art/2023/11/{i}/art_4472_{i}.html", "infodate": f"2023-11-{i:02d}"}
               for i in range(1, 11)]
    answer = read_response(req, req["url"], json.dumps({"custom": {"total": 23, "infodata": records}}),
                           "application/json")
    assert len(answer.entries) == 10
    assert [json.loads(r["body"])["params"]["pageIndex"] for r in answer.next_pages] == [1, 2]


def _frontier() -> Frontier:
    crawler = types.SimpleNamespace(settings=Settings(), request_fingerprinter=RequestFingerprinter(),
                                    stats=types.SimpleNamespace(inc_value=lambda *a, **k: None))
    return Frontier(crawler)


def _list_request(column: str, body: str, mode: str = "first") -> scrapy.Request:
    request = scrapy.Request(HOST + "/EWB-FRONT/rest/frontAppCustomAction/getGovInfoList", method="POST", body=body)
    request.meta[META_KEY] = RequestInfo("list", column=column, spec={"mode": mode, "page": 1})
    return request


def test_the_same_first_list_request_of_two_columns_is_asked_for_each():
    frontier, body = _frontier(), '{"token": ""}'
    a, b = _list_request(HOST + "/col/col4472/index.html", body), _list_request(HOST + "/col/col4474/index.html", body)
    assert frontier.fingerprint(a) != frontier.fingerprint(b)
    assert not frontier.request_seen(a) and not frontier.request_seen(b)
    assert frontier.request_seen(_list_request(HOST + "/col/col4472/index.html", body))   # its own: asked once
    # Later pages and documents keep the plain identity.
    later = [_list_request(HOST + f"/col/col{c}/index.html", body, "planned") for c in (4472, 4474)]
    assert frontier.fingerprint(later[0]) == frontier.fingerprint(later[1])


# ---- jpaas paramJson: a fixed JSON text as written; a concatenated one with the page filled in ----

def test_a_fixed_json_param_is_sent_as_written():
    req = _first_request(HOST + "/col/col4475/index.html", _jpaas("'{\"pageNo\":1,\"pageSize\":10}'"))
    assert json.loads(_param_json(req)) == {"pageNo": 1, "pageSize": 10}


def test_a_json_param_built_by_concatenation_gets_the_page_number():
    html = _jpaas("'{\"pageNo\":' + pageNo + ',\"pageSize\":' + pageSize + '}'", prelude="var pageSize = 5;\n")
    req = _first_request(HOST + "/col/col4473/index.html", html)
    assert json.loads(_param_json(req)) == {"pageNo": 1, "pageSize": 5}
    records = "".join(f"<li><a href='/art/2023/10/{i}/art_4473_{i}.html'>规范性文件{i}</a><span>2023-10-{i:02d}</span></li>"
                      for i in range(1, 6))
    answer = read_response(req, req["url"], json.dumps({"success": True, "data": {"html": records, "total": 7}}),
                           "application/json")
    assert len(answer.entries) == 5
    assert [json.loads(_param_json(r)) for r in answer.next_pages] == [{"pageNo": 2, "pageSize": 5}]


# ---- 3. a token service is no list; a list box a module script fills is unread ---------------------

def test_a_token_service_is_not_taken_for_the_list_endpoint():
    html = _shell("(function () { var colId = document.querySelector('meta[name=\"ColId\"]').getAttribute('content');"
                  " $.getJSON('/api/auth/token?ts=' + new Date().getTime(), function (tk) {"
                  " var u = h + '/' + seg.join('/') + '/list/' + colId;"
                  " $.ajax({url: u, headers: {'X-Auth-Token': tk.token}, data: {p: 1, n: 10},"
                  " success: function (r) { $('#list').html(r.rows); }}); }); })();")
    url = HOST + "/col/col4476/index.html"
    assert find_endpoints(Page(url, html)) == []
    found = read_list(url, html)
    assert found is not None and found.style in merged_config()["columns"]["unreadable_list_styles"]


def test_an_empty_list_box_a_module_script_fills_is_unread():
    url = HOST + "/jcms1/col/col5505/index.html"
    loader = '<script src="/jcms1/web/js/require.js" data-main="/jcms1/web/js/col-list"></script>'
    page = ("<html><head><meta name='ColId' content='5505'></head><body><div class='main'><div class='right'>"
            "<h2>乡村振兴动态</h2><ul id='list' class='list'></ul><div id='page' class='page'></div>"
            f"{{}}</div></div></body></html>")
    found = read_list(url, page.format(loader))
    assert found is not None and found.style == "empty_list_script"
    assert found.style in merged_config()["columns"]["unreadable_list_styles"]
    bare = read_list(url, page.format(""))       # no script at all: empty, as a reader sees it
    assert bare is not None and bare.style == "empty_list"


# ---- the column row learns that its list's answer was no list -------------------------------------
def test_a_column_whose_endpoint_answers_an_error_is_stored_unread_and_is_no_blank_column(tmp_path):
    from audits.runner import audit_scan
    from crawler_helpers import crawl_into
    from fixture_site import Answer, FixtureSite

    from govaudit.core import storage

    home = ("<html><head><title>某区人民政府</title></head><body><ul class='nav'>"
            "<li><a href='/col/tzgg/'>通知公告</a></li><li><a href='/col/gzdt/'>工作动态</a></li></ul></body></html>")
    error = json.dumps({"success": False, "message": "参数解析失败", "data": None}, ensure_ascii=False)
    site = FixtureSite({"/": Answer(home), "/col/tzgg/": Answer(_ewb("004001")), "/col/gzdt/": Answer(_ewb("004002")),
                        "/EWB-FRONT/rest/frontAppCustomAction/getGovInfoList":
                            Answer(error, content_type="application/json;charset=utf-8")})
    try:
        snap = crawl_into(tmp_path, site.url, settings={"GOVAUDIT_LINK_CHECK": False})
    finally:
        site.stop()
    columns = snap.by_url(storage.column)
    assert {columns[site.url + c]["list_style"] for c in ("col/tzgg/", "col/gzdt/")} == {"js_shell_unread"}
    posts = [p for m, p, _ in site.requests if m == "POST"]
    assert len(posts) == 2, "each column asks for its own list"
    findings = audit_scan(snap.engine, snap.scan_id, __import__("datetime").date(2023, 11, 30))["findings"]
    assert not [f for f in findings if f["check"] == "empty_column"]
