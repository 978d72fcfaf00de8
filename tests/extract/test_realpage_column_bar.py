"""A sub-site's column bar (a real page of tests/realpages): the header frame of the 围场县 sub-site
of 河北省政府采购网, framed into every page of the sub-site.  It is a hub of the sub-site's five
columns; its 切换城市 city picker is a site tool, not a column."""
from __future__ import annotations

from pathlib import Path

from crawler.extract.encoding import decode_html
from crawler.extract.html import Page
from crawler.extract.navigation import find_column_links
from crawler.listing import classify_page

PAGE = Path(__file__).resolve().parents[1] / "realpages" / "www.ccgp-hebei.gov.cn" / "cd_wc_index_651_header.html"
URL = "http://www.ccgp-hebei.gov.cn/cd/cd_wc/index_651.html"
SUB = "http://www.ccgp-hebei.gov.cn/cd/cd_wc/"


def _page() -> Page:
    text, _enc = decode_html(PAGE.read_bytes(), None)
    return Page(URL, text)


def test_the_city_picker_of_a_column_bar_is_not_a_column():
    names = {link.name: link.url for link in find_column_links(URL, _page())}
    assert "切换城市" not in names
    assert names == {"采购公告": SUB + "cggg/", "重要通知": SUB + "zytz/", "政策法规": SUB + "zcfg/",
                     "办事指南": SUB + "bszn/", "监督检查": SUB + "jdjc/"}


def test_a_bar_of_home_and_five_columns_is_a_hub():
    assert classify_page(URL, _page()) == "hub"
