"""`govaudit inspect`: what the crawler reads on one page, on a saved real page and over real HTTP."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.settings import USER_AGENT
from govaudit.cli import main

REAL = Path(__file__).parent / "realpages"


def run(capsys, *argv):
    code = main(["inspect", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_saved_real_page_with_its_fields_raw_labels_and_the_frame_it_declined(capsys):
    code, out, _ = run(capsys, str(REAL / "xxgk.jl.gov.cn/jizhengmingdian_2022_1.html"),
                       "--url", "http://xxgk.jl.gov.cn/zcxx/x.html", "--json")
    facts = json.loads(out)
    assert code == 0 and facts["kind"] == "document" and "metadata block" in facts["why"]
    assert "iframe" in facts["declined_readers"]
    assert {"label": "索 引 号", "shown_as": "索 引 号：", "canonical": "索引号",
            "value": "11220000013544357T/2022-00426"} in facts["fields"]
    code, text, _ = run(capsys, str(REAL / "www.wanzai.gov.cn/tjsja_2022_72153801.html"), "--url",
                        "http://www.wanzai.gov.cn/wzxrmzf/tjsja/202305/7215380191c5400397df5d7d0b5fd06b.shtml")
    assert code == 0 and "生成日期： '2023-05-11' → 成文日期" in text and "当前位置 / breadcrumb: 首页 <" in text


def test_labels_the_crawler_could_not_read_are_shown(capsys, tmp_path):
    page = tmp_path / "doc.html"
    page.write_text("<html><body><h1>关于某事项的通知</h1><table><tr><td>索引号：</td><td>X/2023-1</td>"
                    "<td>文件编码：</td><td>某发〔2023〕1号</td></tr><tr><td>发布日期：</td><td>2023-05-02</td></tr>"
                    "</table><div id='zoom'>" + "正文内容。" * 40 + "</div></body></html>", encoding="utf-8")
    code, text, _ = run(capsys, str(page), "--url", "http://www.example.gov.cn/a/t1.html")
    assert code == 0 and "未能识别 / unread: 文件编码：'某发〔2023〕1号'" in text
    code, out, _ = run(capsys, str(page), "--url", "http://www.example.gov.cn/a/t1.html", "--json")
    assert json.loads(out)["unread_labels"] == [{"label": "文件编码", "value": "某发〔2023〕1号"}]


def test_hidden_links_are_shown_with_the_element_hiding_them(capsys):
    code, out, _ = run(capsys, str(REAL / "www.zjdpc.gov.cn/art_1621004_30332664.html"), "--url",
                       "http://www.zjdpc.gov.cn/art/2016/11/22/art_1621004_30332664.html", "--json")
    hidden = {h["url"]: h for h in json.loads(out)["hidden_links"]}
    assert code == 0 and hidden["http://www.hanweb.com/"]["how"] == ["display_none"]
    assert hidden["http://www.hanweb.com/"]["block"].startswith("/html/body")
    code, text, _ = run(capsys, str(REAL / "www.zjdpc.gov.cn/art_1621004_30332664.html"), "--url",
                        "http://www.zjdpc.gov.cn/art/2016/11/22/art_1621004_30332664.html")
    assert "隐藏链接 / hidden link: http://www.hanweb.com/ (display_none; hidden by /html/body" in text


def test_simulator_pages_over_http(capsys, small_sim):
    m = small_sim.manifest
    district = m["units"][0]["name"]
    col = next(c for c in m["columns"] if c["unit"] == district and c["name"] == "区政府文件")
    code, out, _ = run(capsys, col["url"], "--json")
    facts = json.loads(out)
    assert code == 0 and facts["kind"] == "list" and facts["list"]["reader"] == col["list_style"]
    assert facts["list"]["items"] and all(e["date"] for e in facts["list"]["items"])
    assert [s["name"] for s in facts["breadcrumb"]][-2:] == ["政策文件", "区政府文件"]
    assert facts["highlighted"]["group"] == "政策文件"
    framed = next(d for d in m["documents"] if d["unit"] == "区教体局" and d["interpretations"])
    code, text, _ = run(capsys, framed["url"])
    assert code == 0 and "页面类型 / kind: document" in text
    assert f"解读 / interpretation: " in text and framed["interpretations"][0] in text


class _Recorder(BaseHTTPRequestHandler):
    seen: list = []

    def do_GET(self):  # noqa: N802 - http.server API
        self.seen.append((self.path, self.headers.get("User-Agent")))
        if self.path == "/robots.txt":
            body, ctype = b"User-agent: *\nDisallow: /private/\n", "text/plain"
        elif self.path == "/doc.pdf":
            body, ctype = b"%PDF-1.4\n", "application/pdf"
        else:
            body, ctype = "<html><body><h1>标题</h1><p>发布日期：2023-01-02</p></body></html>".encode(), "text/html"
        self.send_response(200)
        self.send_header("Content-Type", ctype + "; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    _Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.seen
    server.shutdown()
    server.server_close()


def test_it_obeys_robots_txt_and_sends_the_crawls_user_agent(capsys, recorder):
    base, seen = recorder
    code, out, _ = run(capsys, base + "/page.html")
    assert code == 0 and "发布日期： '2023-01-02' → 发布日期" in out
    assert seen == [("/robots.txt", USER_AGENT.encode().decode("latin-1")),
                    ("/page.html", USER_AGENT.encode().decode("latin-1"))]
    code, _, err = run(capsys, base + "/private/x.html")
    assert code == 4 and "robots.txt" in err and ("/private/x.html", seen[-1][1]) not in seen


@pytest.mark.parametrize("argv, code, says", [
    (["/no/such/file.html", "--url", "http://x.gov.cn/"], 2, "file not found"),
    ([str(Path(__file__)), "--url", "http://x.gov.cn/"], 2, "not an HTML page"),
    (["http://127.0.0.1:1/"], 4, "unreachable"),
    (["ftp://x.gov.cn/"], 2, "not an http(s) URL"),
])
def test_bad_input_is_one_line_and_a_non_zero_exit(capsys, argv, code, says):
    got, out, err = run(capsys, *argv)
    assert got == code and says in err and len(err.strip().splitlines()) == 1 and not out


def test_a_pdf_url_is_not_html(capsys, recorder):
    base, _ = recorder
    code, _, err = run(capsys, base + "/doc.pdf")
    assert code == 2 and "not an HTML page" in err
