"""The demo report's layout in headless Chromium: a real scan of the simulated site fits the page at
1366 and 1920 px and on A4 paper, every column of the 问题清单 visible, long addresses wrapped or
shortened with the full link kept, and a print run of a sensible number of pages."""
from __future__ import annotations

import math
import re

import pytest

from govaudit.report.html import short_url

from .test_browser import browser, pytestmark  # noqa: F401  (shared Chromium fixture and marks)

# A4 is 210 mm wide; report.css sets @page margins of 15 mm each side: 180 mm at 96 px per inch.
A4_PRINTABLE_PX = 180 / 25.4 * 96
MIN_FINDINGS_PER_PAGE = 6

OVERFLOW = """() => {
  const d = document.documentElement, table = document.getElementById('finding-table');
  const boxes = [...document.querySelectorAll('table, .scroll, pre')].filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => (e.id || e.className) + ' ' + e.scrollWidth + '>' + e.clientWidth);
  return {doc: [d.scrollWidth, d.clientWidth], table: [table.scrollWidth, table.parentElement.clientWidth],
          tableRight: table.getBoundingClientRect().right, bodyRight: document.body.getBoundingClientRect().right,
          boxes};
}"""


@pytest.fixture
def demo(small_audit):
    """(report.html, findings.json document) of the demo's pipeline (tests/conftest.py): a real crawl
    and audit of the simulator."""
    return small_audit.report["report.html"], small_audit.findings


@pytest.fixture
def new_page(browser):  # noqa: F811
    pages = []

    def opener(path, width, height=900):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("load")
        pages.append(page)
        return page

    yield opener
    for page in pages:
        page.close()


def pdf_pages(pdf: bytes) -> int:
    try:
        import io

        from pypdf import PdfReader
        return len(PdfReader(io.BytesIO(pdf)).pages)
    except ImportError:  # Chromium writes one uncompressed /Type /Page object per page
        return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.mark.parametrize("width", [1366, 1920])
def test_report_fits_the_screen(demo, new_page, width):
    path, doc = demo
    page = new_page(path, width)
    m = page.evaluate(OVERFLOW)
    # Nothing in the report scrolls sideways: not the page, not the 问题清单, not any other table.
    assert m["doc"][0] <= m["doc"][1], m
    assert m["table"][0] <= m["table"][1], m
    assert m["tableRight"] <= m["bodyRight"] + 1, m
    assert m["boxes"] == [], m
    # Every column has room to be read.
    widths = page.eval_on_selector_all("#finding-table thead th", "ths => ths.map(th => th.getBoundingClientRect().width)")
    assert len(widths) == 7 and min(widths) >= 40, widths

    # Raw addresses in 问题描述 are shown shortened, each linked with the full URL in href and title.
    shown = page.eval_on_selector_all(
        "#finding-table tbody tr", "rs => rs.map(r => [r.cells[4].innerText, [...r.cells[4].querySelectorAll('a')]"
        ".map(a => [a.getAttribute('href'), a.title, a.textContent])])")
    linked = {(href, title) for _, links in shown for href, title, _ in links}
    embedded = {url.rstrip(".,;:") for f in doc["findings"] for url in re.findall(r"https?://[!-~]+", f["message"])}
    assert embedded and {(url, url) for url in embedded} <= linked
    for text, links in shown:
        assert not re.search(r"https?://", text), text
        assert all(label == short_url(href) and len(label) <= 48 for href, _, label in links), links
    assert len(embedded) >= 2   # the demo's broken links name the link and the page it is on

    # Rows are as tall as their content needs, not stretched by an unwrapped address.
    heights = page.eval_on_selector_all("#finding-table tbody tr", "rs => rs.map(r => r.getBoundingClientRect().height)")
    assert sorted(heights)[len(heights) // 2] < 200, heights


def test_problem_list_prints_on_a4_with_every_column(demo, new_page):
    path, doc = demo
    total = len(doc["findings"])
    page = new_page(path, round(A4_PRINTABLE_PX), 1100)
    page.emulate_media(media="print")
    m = page.evaluate(OVERFLOW)
    assert m["doc"][0] <= m["doc"][1], m
    assert m["table"][0] <= m["table"][1], m
    headers = page.eval_on_selector_all(
        "#finding-table thead th", "ths => ths.map(th => [th.textContent.trim(), th.getBoundingClientRect().left,"
        " th.getBoundingClientRect().right])")
    assert [h for h, _, _ in headers] == ["序号", "单位", "栏目", "问题类型", "问题描述", "证据", "性质"]
    for name, left, right in headers:
        assert 0 <= left and right <= A4_PRINTABLE_PX + 0.5, (name, left, right)
        assert right - left >= 28, (name, left, right)

    # A sensible page count: the 问题清单 takes at most one A4 page per MIN_FINDINGS_PER_PAGE findings
    # (print media stays emulated: Chromium would otherwise print the screen styles).
    with_list = pdf_pages(page.pdf(format="A4"))
    page.evaluate("document.querySelector('#finding-table tbody').replaceChildren()")
    without_rows = pdf_pages(page.pdf(format="A4"))
    assert total >= 50
    list_pages = with_list - without_rows + 1   # the empty list still has its heading page
    assert list_pages <= math.ceil(total / MIN_FINDINGS_PER_PAGE), (with_list, without_rows, total)


def test_keyword_search_finds_a_shortened_address(demo, new_page):
    """The list shows addresses shortened; searching for the whole address still finds its row."""
    path, doc = demo
    page = new_page(path, 1366)
    address = [u for f in doc["findings"] for u in re.findall(r"https?://[!-~]+", f["message"]) if len(u) > 80][0]
    page.fill("#filter-text", address)
    rows = page.eval_on_selector_all(
        "#finding-table tbody tr:not([hidden])",
        "rs => rs.map(r => [r.textContent, ...[...r.querySelectorAll('[title]')].map(e => e.title)].join(' '))")
    in_messages = sum(address in f["message"] for f in doc["findings"])
    assert len(rows) >= in_messages >= 1 and all(address in r for r in rows)
    assert page.inner_text("#filter-count") == f"显示 {len(rows)} / {len(doc['findings'])} 条"
