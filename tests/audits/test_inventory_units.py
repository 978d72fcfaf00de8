"""The 单位 count of the inventory agrees with the units the findings are attributed to (issue 10,
item 10: "单位 0 个" next to "涉及 1 个单位").  Stored snapshots, real audits, real report files."""
from __future__ import annotations

import re

from sqlalchemy import update

from govaudit.core import storage
from govaudit.report import write_reports

from tests.audits.conftest import SITE, SnapshotBuilder


def _card(html: str, label: str) -> str:
    return re.search(rf'<div class="k">{label}</div><div class="v">(\d+)', html).group(1)


def test_a_site_without_unit_sub_sites_counts_the_district_as_its_one_unit(engine, tmp_path):
    # A plain site: the crawl recorded no unit; its empty column's finding belongs to the site itself.
    site = SnapshotBuilder(engine).column(SITE + "col/tzgg/", "通知公告")
    doc = site.audit("2023-11-30")
    assert [f["unit"] for f in doc["findings"] if f["check"] == "empty_column"] == [None]
    assert doc["inventory"]["units"] == 1
    html = write_reports(engine, site.scan_id, tmp_path / "out", findings_doc=doc)["report.html"].read_text("utf-8")
    assert _card(html, "单位") == "1" and "涉及 1 个单位" in html


def test_a_column_scan_counts_the_unit_of_its_column_not_every_unit_the_crawl_saw(engine):
    site = SnapshotBuilder(engine)
    for name in ("章丘区人民政府", "区教体局", "区住建局"):
        site.unit(name, kind="district" if name.endswith("政府") else "department")
    site.column(SITE + "jtj/tzgg/", "通知公告", unit="区教体局").column(SITE + "zjj/tzgg/", "通知公告", unit="区住建局")
    with engine.begin() as conn:
        conn.execute(update(storage.scan).where(storage.scan.c.id == site.scan_id)
                     .values(scope_column=SITE + "zjj/tzgg/"))
    doc = site.audit("2023-11-30")
    assert {f["unit"] for f in doc["findings"]} == {"区住建局"}
    assert doc["inventory"]["units"] == 1


def test_a_whole_site_scan_counts_every_unit_recorded(engine):
    site = SnapshotBuilder(engine)
    for name in ("章丘区人民政府", "区教体局", "区住建局"):
        site.unit(name, kind="district" if name.endswith("政府") else "department")
    site.column(SITE + "jtj/tzgg/", "通知公告", unit="区教体局")
    doc = site.audit("2023-11-30")
    assert doc["inventory"]["units"] == 3
