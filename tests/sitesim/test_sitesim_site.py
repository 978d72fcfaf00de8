"""The simulated site over real HTTP: structure, idioms, encodings, determinism, sizes, CLI."""
from __future__ import annotations

import datetime as dt
import json
import re
import signal
import socket
import subprocess
import sys
import urllib.parse

import pytest
from simcrawl import AS_OF, fetch, parse_date


from govaudit.cli import main as govaudit_main
from govaudit.core.errors import GovauditError
from sitesim.generate import parse_size
from sitesim.generate import build_site
from sitesim.manifest import build_manifest
from sitesim.server import start_background


def test_manifest_has_the_contract_shape(sim):
    m = sim.manifest
    assert m["as_of"] == AS_OF.isoformat() and m["start_url"] == sim.url
    assert set(m["inventory"]) >= {"columns", "documents", "pages"}
    for d in m["defects"]:
        # 暗链 and lapsed 友情链接 domains (sitesim/veto.py) are other sites' URLs
        offsite = d["check"] in ("hidden_link", "hijacked_link")
        assert set(d) >= {"check", "url", "field", "note"} and (d["url"].startswith(sim.url) or offsite)
    assert len({(d["check"], d["url"], d["field"]) for d in m["defects"]}) == len(m["defects"])
    col_keys = {"url", "name", "path", "unit", "section", "leaf", "list_style"}
    assert all(col_keys <= set(c) for c in m["columns"])
    doc_keys = {"url", "title", "unit", "column_urls", "fields", "publish_date", "written_date", "is_interpretation",
                "attachments"}
    assert all(doc_keys <= set(d) for d in m["documents"])
    kinds = {u["kind"] for u in m["units"]}
    assert len(m["units"]) >= 16 and kinds == {"district", "department", "town"}
    assert m["robots_disallowed"] and m["traps"]
    assert json.loads(sim.manifest_json()) == m


def test_crawl_reaches_exactly_the_inventory(sim, crawl):
    m = sim.manifest
    assert len(crawl.pages) == m["inventory"]["pages"]
    docs = {d["url"] for d in m["documents"]}
    assert docs <= set(crawl.pages) and len(docs) == m["inventory"]["documents"]
    dead = {d["url"] for d in m["defects"] if d["check"] == "broken_link"}     # a soft-404 column page
    live = [c for c in m["columns"] if c["url"] not in dead]
    assert len(live) == len(m["columns"]) - 1
    assert {c["url"] for c in live if c["leaf"]} == set(crawl.columns)
    assert {c["url"] for c in live} <= set(crawl.pages)
    for c in live:
        if c["leaf"]:
            assert len(crawl.columns[c["url"]]["entries"]) == c["item_count"], c["url"]


def test_documents_show_the_manifest_fields_and_membership(sim, crawl):
    member = {}
    for col_url, col in crawl.columns.items():
        for e in col["entries"]:
            member.setdefault(e["url"], set()).add(col_url)
    for d in sim.manifest["documents"]:
        page = crawl.document(d["url"])
        assert page["fields"] == d["fields"], d["url"]
        assert page["title"] == d["title"]
        assert member[d["url"]] == set(d["column_urls"])
        assert page["metas"]["ArticleTitle"] == d["title"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", page["metas"]["PubDate"])


def test_all_five_list_idioms_and_both_templates(sim, crawl):
    styles = {c["list_style"] for c in sim.manifest["columns"] if c["leaf"]}
    assert {"js_shell", "hanweb_datastore", "trs_createpage", "plain_next", "maxpage_script"} <= styles
    assert {"A", "B", "portal"} == {d["template"] for d in sim.manifest["documents"]}
    trs = [c for c in sim.manifest["columns"] if c["list_style"] == "trs_createpage" and c["item_count"] > 8]
    assert trs and any(u.startswith(trs[0]["url"] + "index_1.html") for u in crawl.pages)
    assert any("pageNo=2" in u for u in crawl.pages)
    # maxpage lists number their pages backwards: the column page's next page has the highest number
    back = [c for c in sim.manifest["columns"] if c["list_style"] == "maxpage_script" and c["item_count"] > 8]
    assert back and any(re.search(r"index_\d+_\d+\.html$", u) and u.startswith(back[0]["url"]) for u in crawl.pages)
    big = [c for c in sim.manifest["columns"] if c["list_style"] == "hanweb_datastore" and c["item_count"] > 45]
    assert big, "a datastore list long enough to need dataproxy paging"
    # JS shells: the list is not in the HTML, only a data URL in the inline script
    shell = next(c for c in sim.manifest["columns"] if c["list_style"] == "js_shell" and c["item_count"])
    page = fetch(shell["url"])
    assert b"doc_" not in page.body and re.search(rb'"/gongkai/front/api/list\.(json|html)\?[^"]*page=1&size=15"', page.body)


def test_dataproxy_answers_get_and_post_alike(sim):
    col = next(c for c in sim.manifest["columns"] if c["list_style"] == "hanweb_datastore" and c["item_count"] > 45)
    page = fetch(col["url"]).text
    colid = re.search(r"columnid:\s*(\d+)", page).group(1)
    q = f"{sim.url}module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=60&perpage=15"
    got = fetch(q, f"col=1&appid=1&webid=1&path=/&columnid={colid}&unitid=1".encode())
    same = fetch(q + f"&columnid={colid}")
    assert got.body == same.body and b"<record>" in got.body
    assert int(re.search(rb"<totalrecord>(\d+)", got.body).group(1)) == col["item_count"]


def test_long_titles_are_truncated_in_lists_but_whole_in_title_attributes(crawl, sim):
    titles = {d["url"]: d["title"] for d in sim.manifest["documents"]}
    cut = 0
    for col in crawl.columns.values():
        for e in col["entries"]:
            if e["url"] in titles and e["title"].endswith("…"):
                cut += 1
                assert e["full_title"] == titles[e["url"]] and titles[e["url"]].startswith(e["title"][:-1])
    assert cut > 20


def test_robots_disallows_a_linked_path_and_requests_are_logged(sim, crawl):
    robots = fetch(sim.url + "robots.txt").text
    assert "Disallow: /hudong/" in robots
    assert any(urllib.parse.urlsplit(u).path.startswith("/hudong/") for u in crawl.home_links)
    assert sim.requests and not any(path.startswith("/hudong/") for _, path, _ in sim.requests)


def test_gbk_subsite_is_labelled_gb2312_but_really_gbk(sim):
    unit = next(u for u in sim.manifest["units"] if u["encoding"] == "gbk")
    res = fetch(unit["home_url"])
    assert res.ctype == "text/html; charset=gb2312" and b'<meta charset="gb2312">' in res.body
    jgzn = next(t for t in sim.manifest["traps"] if t["kind"] == "gbk_page")
    body = fetch(jgzn["url"]).body
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")
    assert "喆" in body.decode("gbk")


def test_soft_404_inside_gongkai_and_real_404_elsewhere(sim):
    soft = fetch(sim.url + "gongkai/site_nosuchunit/channel_x/doc_0.html")
    assert soft.status == 200 and soft.soft404
    assert fetch(sim.url + "no/such/page.html").status == 404


def test_object_id_times_differ_from_publish_dates(sim):
    for d in sim.manifest["documents"]:
        m = re.search(r"doc_([0-9a-f]{24})\.html$", d["url"])
        if m and d["publish_date"]:
            made = dt.datetime.fromtimestamp(int(m.group(1)[:8], 16), dt.timezone(dt.timedelta(hours=8))).date()
            assert made.isoformat() != d["publish_date"]


def test_channel_id_styles_are_mixed(sim):
    chans = {re.search(r"/channel_([^/]+)/", c["url"]).group(1) for c in sim.manifest["columns"] if "/channel_" in c["url"]}
    assert any(re.fullmatch(r"[0-9a-f]{24}", c) for c in chans)
    assert any(re.fullmatch(r"j_zhangqiuqu\w+_[0-9a-f]{4}", c) for c in chans)
    assert any(re.fullmatch(r"c_[0-9a-f]{24}_n_\d+\.\d{4}", c) for c in chans)


def test_same_seed_same_bytes_other_seed_differs(sim):
    other = start_background(seed=2023, size="small", as_of=AS_OF)
    third = start_background(seed=7, size="small", as_of=AS_OF)
    try:
        # the port also appears in the links to the external sites (sitesim/external.py)
        def same(h, text):
            return text.replace(h.url, "@").replace(f":{h.port}/", ":P/")
        assert same(other, other.manifest_json()) == same(sim, sim.manifest_json())
        paths = ["", "gongkai/", "robots.txt"] + [d["url"][len(sim.url):] for d in sim.manifest["documents"][::40]]
        paths += [c["url"][len(sim.url):] for c in sim.manifest["columns"][::10]]
        for p in paths:
            a, b = fetch(sim.url + p).body, fetch(other.url + p).body
            assert a.replace(f":{sim.port}/".encode(), b":P/") == b.replace(f":{other.port}/".encode(), b":P/"), p
        assert third.manifest_json().replace(third.url, "@") != sim.manifest_json().replace(sim.url, "@")
        assert fetch(third.url).body != fetch(sim.url).body
    finally:
        other.stop()
        third.stop()


def test_dates_follow_as_of():
    early = build_manifest(build_site(2023, "small", dt.date(2024, 1, 15)), "http://h")
    assert early["as_of"] == "2024-01-15"
    dates = [parse_date(d["publish_date"]) for d in early["documents"] if d["publish_date"]]
    assert max(dates) <= dt.date(2024, 1, 15) and max(dates) >= dt.date(2024, 1, 8)
    core = [d for d in early["defects"] if d["check"] != "missing_annual_report"]
    assert len(core) >= 60


@pytest.mark.slow   # generates every size of the simulated site, ~105 s
def test_sizes():
    small = build_manifest(build_site(2023, "small", AS_OF), "http://h")["inventory"]
    assert 500 <= small["pages"] <= 1500
    large = build_manifest(build_site(2023, "large", AS_OF), "http://h")["inventory"]
    assert large["pages"] >= 20000 and large["columns"] == small["columns"]
    sized = build_manifest(build_site(2023, 3000, AS_OF), "http://h")["inventory"]
    assert 2700 <= sized["documents"] <= 3300


def test_size_argument_is_validated():
    assert parse_size("small") == "small" and parse_size("2000") == 2000
    for bad in ("huge", "-3", "0"):
        with pytest.raises(GovauditError):
            parse_size(bad)


def test_sim_verb_port_in_use_is_one_line_exit_2(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        code = govaudit_main(["sim", "--port", str(s.getsockname()[1])])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "port" in err
    assert govaudit_main(["sim", "--size", "huge"]) == 2


def test_sim_verb_serves_writes_manifest_and_stops_on_ctrl_c(tmp_path):
    manifest = tmp_path / "m.json"
    proc = subprocess.Popen([sys.executable, "-m", "govaudit.cli", "sim", "--port", "0", "--as-of", "2026-11-27",
                             "--manifest", str(manifest)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert fetch(url).status == 200
        data = json.loads(manifest.read_text(encoding="utf-8"))
        assert data["start_url"] == url and data["as_of"] == "2026-11-27"
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0


def test_several_servers_at_once():
    handles = [start_background(seed=s, size="small", as_of=AS_OF) for s in (1, 2, 3)]
    try:
        assert len({h.port for h in handles}) == 3
        assert all(fetch(h.url).status == 200 for h in handles)
    finally:
        for h in handles:
            h.stop()

