"""Pages planned from a stated count (crawler.listing.base.PagePlan): made one at a time, kept in
a page's replay as a range, and read back from an earlier scan's replay as it was stored."""
import json
from urllib.parse import parse_qs, urlsplit

from crawler.listing import pages_from_stored, read_list, read_response, stored_pages
from crawler.listing.base import PagePlan
from extract_fixtures import BASE, load, wrap
from test_lists import HANWEB_URL, MAXPAGE_ROWS, MAXPAGE_SCRIPT, SHELL_URL, api_answer

COLUMN = BASE + "/n3/n13/index.html"


def _round_trip(plan):
    """Through the JSON the replay facts are stored as."""
    return pages_from_stored(json.loads(json.dumps(stored_pages(plan), ensure_ascii=False)))


def test_two_thousand_planned_pages_are_a_range_until_asked_for():
    page = read_list(COLUMN, wrap(MAXPAGE_ROWS + MAXPAGE_SCRIPT % ("", 10 ** 12)))
    plan = page.next_pages
    assert isinstance(plan, PagePlan) and len(plan) == 1999
    assert len(json.dumps(stored_pages(plan))) < 300                 # not 1,999 requests in the replay
    asked = []
    plan.make = lambda args, n, make=plan.make: asked.append(n) or make(args, n)
    assert plan[0]["url"] == BASE + "/n3/n13/index_958_2.html" and plan[-1]["page_index"] == 2000
    assert asked == [2, 2000]                                         # only the two asked for were made
    assert [r["url"] for r in plan[:3]] == [BASE + f"/n3/n13/index_958_{n}.html" for n in (2, 3, 4)]


def test_a_stored_plan_gives_the_same_requests_for_every_reader():
    backwards = "if (pageName==0) pageName=maxPageNum; url=createUrl(pageName-1);"
    trs_current = wrap("<ul class='list'><li><a href='./t1.html'>某某文件标题</a><span>2023-01-01</span></li></ul>"
                       "<script>createPageHTML('pagebar', 6, 2, 'index', 'shtml', 60);</script>")
    plans = [read_list(BASE + "/xxgk/", load("list_trs_countpage.html")).next_pages,
             read_list(BASE + "/col/index_2.shtml", trs_current).next_pages,
             read_list(COLUMN, wrap(MAXPAGE_ROWS + MAXPAGE_SCRIPT % (backwards, 5))).next_pages,
             read_list(HANWEB_URL, load("list_hanweb.html")).next_pages]
    first = read_list(SHELL_URL, load("list_jsshell.html")).next_pages[0]
    plans.append(read_response(first, first["url"], api_answer(first, total=100)).next_pages)
    for plan in plans:
        assert isinstance(plan, PagePlan)
        again = _round_trip(plan)
        assert isinstance(again, PagePlan) and again == list(plan) and len(again) == len(plan)
    assert [r["url"] for r in plans[1]] == [BASE + f"/col/index{s}.shtml" for s in ("", "_1", "_3", "_4", "_5")]
    pages = [int(parse_qs(urlsplit(r["url"]).query)["page"][0]) for r in plans[4]]
    assert pages == list(range(2, 8)) and {r["mode"] for r in plans[4]} == {"planned"}


def test_an_earlier_scans_replay_of_request_dicts_is_read_as_it_was_stored():
    stored = [{"url": BASE + "/xxgk/index_1.html", "method": "GET", "body": None, "headers": {},
               "reader": "trs_createpage", "page_url": BASE + "/xxgk/", "page_index": 1, "page_count": 3},
              {"url": BASE + "/xxgk/index_2.html", "method": "GET", "body": None, "headers": {},
               "reader": "trs_createpage", "page_url": BASE + "/xxgk/", "page_index": 2, "page_count": 3}]
    assert pages_from_stored(stored) == stored and pages_from_stored(None) == []
    chained = read_list(SHELL_URL, load("list_jsshell.html")).next_pages       # one request: a plain list
    assert isinstance(chained, list) and stored_pages(chained) == chained


def test_a_count_that_plans_nothing_is_an_empty_list():
    page = read_list(COLUMN, wrap(MAXPAGE_ROWS + MAXPAGE_SCRIPT % ("", 1)))
    assert page.next_pages == [] and stored_pages(page.next_pages) == []
