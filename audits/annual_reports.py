"""Annual reports (年报) per unit: which unit owes which year's report by when (rules.md T3–T5)."""
from __future__ import annotations

import datetime as dt
import re

from audits.docparts import document_rows
from audits.views import column_classes, contains_any, rows, to_date


def deadline_for(kind: str | None, year: int, config) -> dt.date:
    """The publication deadline of the report on ``year`` for a unit of ``kind``."""
    cfg = config["annual_report"]
    month_day = cfg["district_deadline"] if kind == "district" else cfg["department_deadline"]
    month, day = (int(x) for x in month_day.split("-"))
    return dt.date(year + 1, month, day)


def due_year(kind: str | None, as_of: dt.date, config) -> int:
    """The latest report year whose deadline has passed on ``as_of``."""
    year = as_of.year - 1
    while deadline_for(kind, year, config) >= as_of:
        year -= 1
    return year


def report_units(snapshot, config) -> list[dict]:
    """Units that have a 年报 column, with that column and the reports found under it."""
    cfg = config["annual_report"]
    cols = column_classes(snapshot, config)
    report_cols = rows(cols, (contains_any(n, cfg["column_keywords"]) or contains_any(p, cfg["column_keywords"])
                              for n, p in zip(cols["name"], cols["parent_name"])))
    kinds = dict(zip(snapshot.units["name"], snapshot.units["kind"]))
    district = snapshot.district_unit
    pattern = re.compile(cfg["title_pattern"])
    items = snapshot.list_items_in(report_cols.index, ["column_url", "url", "title", "full_title", "date"])
    docs = document_rows(snapshot, config, items["url"], ("title", "publish_date"))
    units: dict[str | None, dict] = {}
    for url, c in report_cols.iterrows():
        unit = c["unit"] or district
        entry = units.setdefault(unit, {"unit": unit, "kind": kinds.get(unit, "district" if unit == district else None),
                                        "column_url": url, "column": c["name"], "reports": {}})
        in_col = items[items["column_url"] == url]
        for item_url, title, full, date in zip(in_col["url"], in_col["title"], in_col["full_title"], in_col["date"]):
            doc = docs.loc[item_url] if item_url in docs.index else None
            shown = (doc["title"] if doc is not None and doc["title"] else None) or full or title or ""
            m = pattern.search(shown)
            if not m:
                continue
            published = to_date(doc["publish_date"]) if doc is not None else None
            published = published or to_date(date)
            year = int(next(g for g in m.groups() if g))   # the pattern may place the year before or after
            known = entry["reports"].get(year)
            if known is None or (published and (known["published"] is None or published < known["published"])):
                entry["reports"][year] = {"url": item_url, "title": shown, "published": published}
    return list(units.values())
