"""Idioms of an older frame-based 政府信息公开目录 (gkml) of a county, met on a black-box probe site.

* A JSP platform rewrites links with the session id for a client it has given no cookie yet
  (``list.jsp;jsessionid=0A7F…?catid=150``, ``content/…/x.htm;jsessionid=…``): the same page as
  the plain link, so the same snapshot URL.
"""
from __future__ import annotations

from crawler.extract.urls import absolute_url, canonical_url


def test_a_session_id_path_parameter_is_no_part_of_the_url():
    plain = "http://gk.example.gov.cn/XXGK/list.jsp?catid=150"
    assert canonical_url("http://gk.example.gov.cn/XXGK/list.jsp;jsessionid=0A7F3C19B2D8?catid=150") == plain
    assert absolute_url("http://gk.example.gov.cn/XXGK/list.jsp",
                        "content/2023/11/28/1128.htm;JSESSIONID=5C1D9E0B") == \
        "http://gk.example.gov.cn/XXGK/content/2023/11/28/1128.htm"
    # other path parameters and upper-case paths are kept as linked
    assert canonical_url("http://gk.example.gov.cn/XXGK/a.do;type=1?x=1") == "http://gk.example.gov.cn/XXGK/a.do;type=1?x=1"


FRAMESET = ('<html><head><title>某县人民政府信息公开目录</title></head>'
            '<frameset rows="120,*"><frame src="head.htm" name="topFrame">'
            '<frameset cols="220,*"><frame src="tree.htm" name="leftFrame">'
            '<frame src="list.jsp?catid=0" name="main"></frameset></frameset></html>')


def test_a_framesets_list_is_its_content_frame_not_its_banner_or_tree():
    # Every frame sits in /XXGK/: the folder says nothing of which frame holds the list.
    from crawler.listing import read_list
    found = read_list("http://gk.example.gov.cn/XXGK/index.shtml", FRAMESET)
    assert found.style == "iframe"
    assert [p["url"] for p in found.next_pages] == ["http://gk.example.gov.cn/XXGK/list.jsp?catid=0"]


def test_a_folder_and_its_index_page_are_one_page():
    from govaudit.core.urls import same_page_key
    assert same_page_key("http://gk.example.gov.cn/XXGK/bm/czj/index.shtml") == "http://gk.example.gov.cn/XXGK/bm/czj/"
    assert same_page_key("http://gk.example.gov.cn/XXGK/Default.aspx") == "http://gk.example.gov.cn/XXGK/"
    assert same_page_key("http://gk.example.gov.cn/XXGK/list.jsp?catid=1") == "http://gk.example.gov.cn/XXGK/list.jsp?catid=1"
    assert same_page_key("http://gk.example.gov.cn/XXGK/myindex.html") == "http://gk.example.gov.cn/XXGK/myindex.html"
