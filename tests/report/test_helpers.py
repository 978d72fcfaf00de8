"""The small rules the report rests on: what may become a link, task deadlines, the task table."""
from __future__ import annotations

import datetime as dt

import pytest

from govaudit.report.charts import nice_ticks
from govaudit.report.html import message_html, short_url, urls_in
from govaudit.report.safety import http_url
from govaudit.report.tasks import deadline_date, load_task_table, parse_task_table


@pytest.mark.parametrize("url", ["http://www.jnzq.gov.cn/", "HTTPS://www.jnzq.gov.cn/a?b=1&c=%3C",
                                 "http://127.0.0.1:8080/gongkai/site_jtj/col/"])
def test_plain_http_urls_become_links(url):
    assert http_url(url) == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
                                 "data:text/html,<script>1</script>", "vbscript:msgbox(1)", "//evil.example/",
                                 "http://x/\"onmouseover=\"alert(1)", "http://x/<script>", "http://x/\nabc",
                                 "/relative/path", "", None, 42, "ftp://x/"])
def test_everything_else_stays_text(url):
    assert http_url(url) is None


def test_deadline_dates():
    assert deadline_date("2023年12月底前") == dt.date(2023, 12, 31)
    assert deadline_date("2023年2月底前") == dt.date(2023, 2, 28)
    assert deadline_date("2023年6月30日前") == dt.date(2023, 6, 30)
    assert deadline_date("及时解读") is None
    assert deadline_date("2023年13月底前") is None


def test_task_table_shapes():
    as_list = parse_task_table({"tasks": [{"no": 33, "task": "（二）推进网站规范", "requirement": "及时更新",
                                           "units": ["各部门（单位）", "各镇街"], "deadline": "2023年12月底前"}]})
    as_map = parse_task_table({"33": {"task": "（二）推进网站规范", "requirement": "及时更新",
                                      "units_text": "各部门（单位）、各镇街", "deadline": "2023年12月底前"}})
    assert as_list[33]["units"] == as_map[33]["units"] == "各部门（单位）、各镇街"
    assert as_list[33]["deadline"] == as_map[33]["deadline"] == "2023年12月底前"
    assert parse_task_table({"x": {"task": "not a number"}}) == {}


def test_the_district_task_table_is_loaded_and_the_document_wins():
    table = load_task_table()
    assert len(table) >= 50 and table[33]["units"] and table[20]["deadline"].startswith("2023年")
    doc = {"tasks": {"20": {"task": "改", "requirement": "改", "units_text": "区教体局", "deadline": "2023年9月底前"}}}
    mixed = load_task_table(doc)
    assert mixed[20]["units"] == "区教体局" and mixed[33] == table[33]


def test_ticks_cover_the_maximum():
    for maximum in (1, 3, 7, 19, 263, 1000):
        ticks = nice_ticks(maximum)
        assert ticks[0] == 0 and ticks[-1] >= maximum and len(ticks) <= 7


def test_urls_in_a_message_are_shortened_links_and_the_rest_stays_escaped():
    long_url = "http://www.jnzq.gov.cn/module/download/downfile.jsp?classid=0&filename=" + "e" * 40 + ".docx"
    html = str(message_html(f"附件“<b>申请表</b>”不可用：{long_url}（HTTP 404），所在页面：http://a.cn/x_(1).html."))
    assert "&lt;b&gt;申请表&lt;/b&gt;" in html and "<b>" not in html
    shown = short_url(long_url)
    assert len(shown) <= 42 and shown.startswith("www.jnzq.gov.cn/…") and shown.endswith("e" * 10 + ".docx")
    escaped = long_url.replace("&", "&amp;")
    assert f'href="{escaped}"' in html and f'title="{escaped}"' in html and f">{shown}</a>（HTTP 404）" in html
    # Sentence punctuation stays outside the link, a balanced bracket inside it.
    assert 'href="http://a.cn/x_(1).html"' in html and html.endswith("</a>.")
    assert urls_in(f"见{long_url}，及http://a.cn/x_(1).html.") == [long_url, "http://a.cn/x_(1).html"]
    # Only http(s) becomes a link; a hostile address in a message stays text.
    hostile = str(message_html('javascript:alert(1) http://x.cn/"onmouseover=alert(1)'))
    assert "<a" not in hostile and "javascript:alert(1)" in hostile and "&#34;onmouseover" in hostile
