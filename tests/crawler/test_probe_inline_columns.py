"""A 集约化 platform's catalogue links 政府信息公开指南 straight to the guide's article, whose template
shows the same catalogue tree beside it, 部门信息公开 / 镇街信息公开 units included (black-box probe):
the column shows one page inline, not a hub of the units and columns its tree names, and that page
is a document of the column (the guide's duties are judged on it)."""
from __future__ import annotations

from crawler_helpers import crawl_into
from fixture_site import Answer, FixtureSite

from govaudit.core import storage

TREE = ("<div class='xxgk-l'><div class='xxgk-l-tit'>某区人民政府</div><ul class='xxgk-tree'>"
        "<li><a href='/col/col1100/index.html'>信息公开首页</a></li>"
        "<li><a href='/art/2023/2/10/art_1117_1.html'>政府信息公开指南</a></li>"
        "<li><a href='/col/col1114/index.html'>通知公告</a></li></ul>"
        "<div class='xxgk-l-tit2'>部门信息公开</div><ul><li><a href='/col/col2000/index.html'>区司法局</a></li></ul>"
        "<div class='xxgk-l-tit2'>镇街信息公开</div><ul><li><a href='/col/col3000/index.html'>明水街道</a></li></ul></div>")
GUIDE = ("<html><head><title>某区人民政府信息公开指南</title><meta name='ArticleTitle' content='某区人民政府信息公开指南'>"
         f"</head><body>{TREE}<div class='xxgk-r'><h1>某区人民政府信息公开指南</h1>"
         "<div class='jd-info'>发布时间：2023-02-10 09:00　来源：区政府办公室</div><div class='art-zw'>"
         "<p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p>"
         "<p>办公地址：某区某路1000号；办公时间：工作日上午9:00-12:00；联系电话：0531-83211234；传真：0531-83211235。</p>"
         "</div></div></body></html>")
NOTICES = ("<html><head><title>通知公告</title></head><body>" + TREE + "<div class='xxgk-r'><ul class='list'>"
           + "".join(f"<li><a href='/art/2023/11/{d}/art_1114_{d}.html'>关于第{d}项工作的通知</a><span>2023-11-{d:02d}</span></li>"
                     for d in (20, 9, 1)) + "</ul><div class='fy'>共3条 1/1页</div></div></body></html>")
HOME = ("<html><head><title>某区人民政府</title></head><body><div class='nav'><a href='/'>首页</a>"
        "<a href='/col/col1100/index.html'>政务公开</a></div></body></html>")
PLATFORM = f"<html><head><title>政务公开</title></head><body>{TREE}</body></html>"


def test_a_column_showing_one_article_inside_the_catalogue_tree_is_single_and_its_document(tmp_path):
    pages = {"/": Answer(HOME), "/col/col1100/index.html": Answer(PLATFORM),
             "/art/2023/2/10/art_1117_1.html": Answer(GUIDE), "/col/col1114/index.html": Answer(NOTICES)}
    for d in (20, 9, 1):
        pages[f"/art/2023/11/{d}/art_1114_{d}.html"] = Answer(
            f"<html><body><h1>关于第{d}项工作的通知</h1><p>发布日期：2023-11-{d:02d}</p>"
            f"<div id='zoom'><p>{'正文内容。' * 40}</p></div></body></html>")
    for unit in ("2000", "3000"):
        pages[f"/col/col{unit}/index.html"] = Answer(f"<html><body>{TREE}</body></html>")
    site = FixtureSite(pages)
    try:
        snap = crawl_into(tmp_path, site.url)
        # A re-scan finds the guide unchanged (304) and copies its rows, its document's too.
        again = crawl_into(tmp_path, site.url)
    finally:
        site.stop()
    guide_url = site.url + "art/2023/2/10/art_1117_1.html"
    columns = {r["url"]: r for r in snap.rows(storage.column)}
    assert columns[guide_url]["kind"] == "single"
    assert columns[site.url + "col/col1114/index.html"]["kind"] == "list"
    # The article it shows is a document of that column: the guide rule reads its text.
    for scan in (snap, again):
        [doc] = scan.rows(storage.document, url=guide_url)
        assert doc["column_url"] == guide_url and doc["title"] == "某区人民政府信息公开指南"
        assert "传真" in doc["body_text"]
    assert again.scan_id != snap.scan_id
    assert any(path == "/art/2023/2/10/art_1117_1.html" and "If-None-Match" in headers
               for _method, path, headers in site.requests)
