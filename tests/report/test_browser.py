"""report.html in headless Chromium (Debian's /usr/bin/chromium driven by Playwright):
it runs without errors, filters and sorts, draws its charts, prints on A4, and page content
never executes."""
from __future__ import annotations

import os
import shutil
from collections import Counter

import pytest

from govaudit.report import write_reports
from govaudit.report.frame import category_of

from .report_builders import add_scan, finding_record, findings_document, hostile_planted, store_audit, unit_of
from .test_report_files import SECTIONS

CHROMIUM = os.environ.get("GOVAUDIT_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (os.path.exists(CHROMIUM) or shutil.which("chromium")),
                       reason=f"Debian chromium not installed at {CHROMIUM} (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
                              args=ARGS)
        yield b
        b.close()


@pytest.fixture
def open_report(browser):
    """Open a report.html; returns (page, errors, dialogs) with console errors and dialogs recorded."""
    pages = []

    def opener(path):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors, dialogs = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(path.resolve().as_uri())
        page.wait_for_load_state("load")
        pages.append(page)
        return page, errors, dialogs

    yield opener
    for page in pages:
        page.close()


def visible_units(page):
    return page.eval_on_selector_all("#finding-table tbody tr:not([hidden])", "rs => rs.map(r => r.dataset.unit)")


def test_report_works_in_chromium(history, tmp_path, open_report):
    engine, ids, docs = history
    doc = docs[-1]
    path = write_reports(engine, ids[-1], tmp_path / "out", findings_doc=doc)["report.html"]
    page, errors, dialogs = open_report(path)

    for section_id, heading in SECTIONS.items():
        assert heading in page.inner_text(f"section#{section_id} h2")
        assert page.is_visible(f"section#{section_id}")

    # Filters really narrow the table, in combination, and reset restores it.
    total = len(doc["findings"])
    assert len(visible_units(page)) == total
    units = Counter(unit_of(f) for f in doc["findings"])
    page.select_option("#filter-unit", "区教体局")
    assert visible_units(page) == ["区教体局"] * units["区教体局"]
    assert page.inner_text("#filter-count") == f"显示 {units['区教体局']} / {total} 条"
    page.select_option("#filter-check", "要素缺失")
    narrowed = [f for f in doc["findings"] if f["unit"] == "区教体局" and f["check"] == "missing_element"]
    assert len(visible_units(page)) == len(narrowed) < units["区教体局"]
    page.click("#filter-reset")
    page.select_option("#filter-column", "政策文件")
    assert len(visible_units(page)) == sum(f["column"] == "政策文件" for f in doc["findings"])
    page.click("#filter-reset")
    page.fill("#filter-text", "六角括号")
    assert len(visible_units(page)) == sum("六角括号" in f["message"] for f in doc["findings"]) == 1
    page.click("#filter-reset")
    assert len(visible_units(page)) == total

    # Sorting by 单位 orders the rows (Chinese collation); a second click reverses the order.
    in_order = """dir => { const u = [...document.querySelectorAll('#finding-table tbody tr')].map(r => r.dataset.unit);
                   return u.every((x, i) => i === 0 || dir * u[i - 1].localeCompare(x, 'zh-CN') <= 0); }"""
    assert not page.evaluate(in_order, 1)
    page.click("#finding-table thead th:nth-child(2)")
    assert page.evaluate(in_order, 1)
    assert page.get_attribute("#finding-table thead th:nth-child(2)", "aria-sort") == "ascending"
    page.click("#finding-table thead th:nth-child(2)")
    assert page.evaluate(in_order, -1)
    page.click("#finding-table thead th:nth-child(1)")
    numbers = page.eval_on_selector_all("#finding-table tbody tr td:first-child", "cs => cs.map(c => +c.textContent)")
    assert numbers == sorted(numbers)

    # The charts have drawn: every bar and the trend lines have a real size on screen.
    bars = page.eval_on_selector_all("svg.chart-units rect.bar",
                                     "rs => rs.map(r => { const b = r.getBoundingClientRect(); return [b.width, b.height]; })")
    nonzero = len({(unit_of(f), category_of(f["check"])) for f in doc["findings"]})  # one segment per category
    assert len(bars) == nonzero and all(w > 0 and h > 0 for w, h in bars)
    lines = page.eval_on_selector_all("svg.chart-trend polyline",
                                      "ps => ps.map(p => { const b = p.getBBox(); return [b.width, b.height]; })")
    assert lines and all(w > 0 for w, _ in lines)
    assert page.eval_on_selector("svg.chart-trend", "s => s.getBoundingClientRect().height") > 100

    # Clicking a unit's bar filters the list to that unit.
    page.click("svg.chart-units g.unit-bar[data-filter-unit='区住建局'] rect.bar >> nth=0")
    assert visible_units(page) == ["区住建局"] * units["区住建局"]
    assert page.input_value("#filter-unit") == "区住建局"

    # Print: A4 layout without interactive controls.
    page.emulate_media(media="print")
    assert not page.is_visible(".controls") and not page.is_visible("nav.toc")
    assert page.eval_on_selector("#finding-table thead", "t => getComputedStyle(t).display") == "table-header-group"
    page.emulate_media(media="screen")
    assert len(page.pdf(format="A4")) > 10_000

    assert errors == [] and dialogs == []


def test_hostile_page_content_never_executes(engine, tmp_path, open_report):
    scan_id = add_scan(engine, "2023-11-30")
    doc = findings_document(scan_id, "2023-11-30", [finding_record(p) for p in hostile_planted()])
    store_audit(engine, scan_id, doc)
    path = write_reports(engine, scan_id, tmp_path / "out", findings_doc=doc)["report.html"]
    page, errors, dialogs = open_report(path)

    # Give injected handlers every chance: hover and click every row and every cell.
    for cell in page.query_selector_all("#finding-table td, #problems li"):
        cell.hover()
    for option in page.eval_on_selector_all("#filter-unit option", "os => os.map(o => o.value)"):
        page.select_option("#filter-unit", option)
    page.wait_for_timeout(200)

    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    assert page.eval_on_selector_all("script", "ss => ss.length") == 1
    assert page.eval_on_selector_all("img, iframe, object, embed, svg[onload], [onerror], [onload], [onmouseover]",
                                     "es => es.length") == 0
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith(("http://", "https://", "#")) for h in hrefs), hrefs
    protocols = page.eval_on_selector_all("a[href]", "as => as.map(a => a.protocol)")
    assert set(protocols) <= {"http:", "https:", "file:"}
    # The hostile text is shown as the page had it, as text.
    page.click("#filter-reset")
    listed = page.inner_text("#finding-table")
    assert "<script>window.__pwned=1</script>" in listed and "javascript:window.__pwned=1//" in listed
    assert page.eval_on_selector_all("#filter-unit option", "os => os.map(o => o.value)").count(
        '明水街道"><svg onload=window.__pwned=1>') == 1
    assert errors == []
