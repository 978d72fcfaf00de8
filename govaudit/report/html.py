"""report.html: the Jinja templates in ``templates/`` filled from a ``Report``.

Autoescape is always on (page titles and URLs are hostile), only http(s) URLs become links,
and a Content-Security-Policy pins the one inline script by its hash, so even markup that
slipped through escaping could not run.
"""
from __future__ import annotations

import base64
import functools
import hashlib
from importlib import resources
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from govaudit.report import charts
from govaudit.report.context import Report
from govaudit.report.frame import category_titles, check_order
from govaudit.report.safety import http_url

CN_NUMBERS = "一二三四五六七八九十"


def short_url(url: str, limit: int = 72) -> str:
    """host/path for display, shortened in the middle when long."""
    parts = urlsplit(url or "")
    text = (parts.netloc + parts.path + ("?" + parts.query if parts.query else "")) or url
    return text if len(text) <= limit else text[: limit // 2 - 1] + "…" + text[-(limit // 2):]


def cn_date(iso: str) -> str:
    """2023-11-05 -> 2023年11月5日 (anything else unchanged)."""
    try:
        y, m, d = (int(p) for p in str(iso)[:10].split("-"))
        return f"{y}年{m}月{d}日"
    except ValueError:
        return str(iso)


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files("templates"))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(http_url=http_url, short_url=short_url, cn_date=cn_date)
    return env


def _static(name: str) -> str:
    return resources.files("templates").joinpath(name).read_text(encoding="utf-8")


def content_security_policy(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    return ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'")


def _options(frame, column: str, keep_order: bool = False) -> list[str]:
    """Distinct non-empty values for a filter: report order for problem types, else sorted."""
    values = [v for v in frame[column].dropna().astype(str).unique() if v]
    return values if keep_order else sorted(values)


def render_html(report: Report) -> str:
    from govaudit.report.guide import appendix   # guide.py also runs as a script: no import at load time

    frame = report.findings
    script = _static("report.js")
    table = report.unit_table
    colour_of = charts.colours(category_titles())
    trend = report.trend
    comparison = report.comparison
    inventory = {i["key"]: i for i in report.inventory}
    return environment().get_template("report.html.j2").render(
        r=report,
        checked=[f"{i['label']}{i['value']}{i['unit']}" for i in report.inventory
                 if i["key"] not in ("links_checked", "fetch_errors")],
        links_checked=inventory.get("links_checked", {}).get("value"),
        total=len(frame),
        unit_count=frame["unit"].nunique(),
        severity_counts=list(frame["severity_name"].value_counts().items()),
        rows=frame.to_dict("records"),
        unit_rows=table.reset_index().to_dict("records"),
        column_totals=table.sum().to_dict(),
        options={"unit": _options(frame, "unit"), "column": _options(frame, "column"),
                 "check": _options(frame, "check_name", keep_order=True), "status": _options(frame, "status")},
        charts={"units": charts.unit_bars(table, colour_of, int(report.settings["chart_max_units"])),
                "trend": charts.trend_lines(trend.labels, trend.series, colour_of) if trend else None},
        compare_rows=[(name, list(row)) for name, row in comparison.by_check.iterrows()] if comparison else [],
        fixed_rows=comparison.fixed.to_dict("records") if comparison else [],
        cn_numbers=CN_NUMBERS,
        guide=appendix(check_order(report.names, frame["check"].unique()), report.names),
        css=Markup(_static("report.css")),
        script=Markup(script),
        csp=content_security_policy(script),
    )
