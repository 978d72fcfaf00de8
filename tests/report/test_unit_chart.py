"""The 各单位问题数量 chart never hides a single unit behind "其他1个单位" (issue 10, item 10)."""
from __future__ import annotations

import re

from govaudit.report import write_reports

from .report_builders import add_scan, findings_document, findings_in, store_audit, unit_of


def _chart_labels(engine, tmp_path, max_units: int) -> tuple[list[str], list[str]]:
    scan_id = add_scan(engine, "2023-11-30", profile={"start_urls": ["http://www.jnzq.gov.cn/"],
                                                      "report": {"chart_max_units": max_units}})
    doc = findings_document(scan_id, "2023-11-30", findings_in(2))
    store_audit(engine, scan_id, doc)
    html = write_reports(engine, scan_id, tmp_path / str(max_units), findings_doc=doc)["report.html"].read_text("utf-8")
    chart = re.search(r'<svg class="chart chart-units".*?</svg>', html, re.S).group(0)
    units = sorted({unit_of(f) for f in doc["findings"]})
    return re.findall(r'<text class="label"[^>]*>([^<]+)</text>', chart), units


def test_one_unit_over_the_limit_is_drawn_by_its_name(engine, tmp_path):
    labels, units = _chart_labels(engine, tmp_path, max_units=len({unit_of(f) for f in findings_in(2)}) - 1)
    assert sorted(labels) == units
    assert not any(label.startswith("其他") for label in labels)


def test_two_or_more_units_over_the_limit_are_summed_into_one_bar(engine, tmp_path):
    n = len({unit_of(f) for f in findings_in(2)})
    labels, units = _chart_labels(engine, tmp_path, max_units=n - 2)
    assert len(labels) == n - 1 and labels[-1] == "其他2个单位"
    assert set(labels[:-1]) < set(units)
