"""report.html: the Jinja templates in ``templates/`` filled from a ``Report``.

Autoescape is always on (page titles and URLs are hostile), only http(s) URLs become links,
and a Content-Security-Policy pins the one inline script by its hash, so even markup that
slipped through escaping could not run.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import re
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from govaudit.report import charts
from govaudit.report.context import Report
from govaudit.report.frame import category_titles, check_order
from govaudit.report.output import atomic_path
from govaudit.report.safety import http_url
from govaudit.report.stream import details

CN_NUMBERS = "一二三四五六七八九十"


def short_url(url: str, limit: int = 42) -> str:
    """host/path for display: the whole host, then as much of the end of the path as fits
    (``www.jnzq.gov.cn/…/art_101_5001.html``); 42 characters fit one line of the 问题清单's
    问题描述 and 证据 columns.  A host too long to keep is cut in the middle with the rest."""
    parts = urlsplit(url or "")
    text = (parts.netloc + parts.path + ("?" + parts.query if parts.query else "")) or url
    if len(text) <= limit:
        return text
    host = parts.netloc
    if host and len(host) <= limit // 2:
        tail = text[len(host):][-(limit - len(host) - 2):]
        cut = tail.find("/")
        if 0 <= cut <= len(tail) // 2:
            tail = tail[cut + 1:]   # start the tail at a path segment when that loses little
        return host + "/…" + tail
    return text[: limit // 2 - 1] + "…" + text[-(limit // 2):]


# A URL inside running text: ASCII up to the first space or full-width character, less the
# punctuation that ends a sentence rather than the URL.
_URL_IN_TEXT = re.compile(r"https?://[!-~]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?'\")]}"


def _url_span(match: re.Match) -> tuple[str, str]:
    """(url, trailing punctuation) of a URL found in text; a closing bracket stays when balanced."""
    url = match.group(0)
    tail = ""
    while url and url[-1] in _URL_TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url, tail = url[:-1], url[-1] + tail
    return url, tail


def _inline_link(url: str) -> Markup:
    """A URL written in running text: linked when it is a plain http(s) URL, shown shortened,
    the full URL in href and title; anything else stays text with the full value as its title."""
    href = http_url(url)
    shown, title = escape(short_url(url)), escape(url)
    if href:
        return Markup(f'<a class="inline-url" href="{escape(href)}" rel="noopener noreferrer nofollow" '
                      f'target="_blank" title="{title}">{shown}</a>')
    return Markup(f'<span class="inline-url" title="{title}">{shown}</span>')


def message_html(message) -> Markup:
    """A finding's message, escaped, with every raw http(s) URL in it shortened for display and
    linked: the full URL stays in the link's href and title, so nothing is lost, but a row is no
    longer as wide or tall as the longest address in it."""
    text = "" if message is None else str(message)
    parts, last = [], 0
    for match in _URL_IN_TEXT.finditer(text):
        url, tail = _url_span(match)
        parts += [escape(text[last:match.start()]), _inline_link(url), escape(tail)]
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("".join(parts))       # every part is escaped or built of escaped values


def urls_in(message) -> list[str]:
    """The http(s) URLs written in a message, as ``message_html`` links them."""
    return [_url_span(m)[0] for m in _URL_IN_TEXT.finditer("" if message is None else str(message))]


def link(url, text=None) -> Markup:
    """A URL as a link when it is a plain http(s) URL (its text the given text or the shortened
    URL, the full URL as its title), else as text.  A Python function rather than a template
    macro, and f-strings of escaped values rather than Markup.format: called once or twice per
    finding, they were most of report.html's time at 27,000 findings."""
    href = http_url(url)
    if href:
        return Markup(f'<a href="{escape(href)}" rel="noopener noreferrer nofollow" target="_blank" '
                      f'title="{escape(url)}">{escape(text or short_url(url))}</a>')
    return Markup(f'<span class="nolink" title="{escape(url)}">{escape(text or url)}</span>')


def evidence_list(items) -> Markup:
    """A finding's evidence items (govaudit/report/evidence.py) as a definition list; links only
    for the values that are plain http(s) URLs."""
    if not items:
        return Markup("")
    rows = "".join(f"<dt>{escape(item.label)}</dt><dd>"
                   + "、".join(link(p.href) if p.href else escape(p.text) for p in item.parts) + "</dd>"
                   for item in items)
    return Markup(f'<dl class="ev">{rows}</dl>')


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
    env.filters.update(http_url=http_url, short_url=short_url, cn_date=cn_date, message_html=message_html,
                       urls_in=urls_in)
    env.globals.update(link=link, evidence=evidence_list)
    return env


def _static(name: str) -> str:
    return resources.files("templates").joinpath(name).read_text(encoding="utf-8")


def content_security_policy(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    return ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'")


# The columns of a 问题清单 row, as attributes of one small tuple per finding: a dict of all
# the findings frame's columns per finding was 30 MB at 27,000 findings.
ROW_FIELDS = ["unit", "column", "column_href", "check_name", "field", "message", "url", "evidence_items",
              "status", "severity", "severity_name"]


class Rows:
    """The 问题清单 rows in report order, read a batch at a time as the template reaches them
    (stream.details); false when there are none, as the list they replace was."""

    def __init__(self, report: Report):
        self.report = report

    def __bool__(self) -> bool:
        return len(self.report.findings) > 0

    def __iter__(self):
        for frame in details(self.report, range(len(self.report.findings))):
            yield from frame[ROW_FIELDS].itertuples(index=False, name="Finding")


def _options(frame, column: str, keep_order: bool = False) -> list[str]:
    """Distinct non-empty values for a filter: report order for problem types, else sorted."""
    values = [v for v in frame[column].dropna().astype(str).unique() if v]
    return values if keep_order else sorted(values)


# Template output pieces joined before each write: 27,000 findings are 900,000 pieces.
STREAM_BUFFER = 200


def render_html(report: Report) -> str:
    return _template_and_context(report, lambda template, context: template.render(**context))


def write_html(report: Report, path: Path) -> Path:
    """report.html written as the template renders it, in pieces: the whole page as one string
    (and its UTF-8 copy) was the report's peak on large sites (38 MB of HTML for 36,000 findings)."""
    def dump(template, context):
        stream = template.stream(**context)
        stream.enable_buffering(STREAM_BUFFER)
        with atomic_path(path) as tmp:
            stream.dump(str(tmp), encoding="utf-8")
    _template_and_context(report, dump)
    return path


def _template_and_context(report: Report, use):
    # Not at module level: guide.py also runs as a script (python3 -m govaudit.report.guide), and
    # runpy warns when the package (report/__init__ -> html) has already imported it.
    from govaudit.report.guide import appendix

    frame = report.findings
    script = _static("report.js")
    table = report.unit_table
    colour_of = charts.colours(category_titles())
    trend = report.trend
    comparison = report.comparison
    inventory = {i["key"]: i for i in report.inventory}
    return use(environment().get_template("report.html.j2"), dict(
        r=report,
        checked=[f"{i['label']}{i['value']}{i['unit']}" for i in report.inventory
                 if i["key"] not in ("links_checked", "fetch_errors")],
        links_checked=inventory.get("links_checked", {}).get("value"),
        total=len(frame),
        unit_count=frame["unit"].nunique(),
        severity_counts=list(frame["severity_name"].value_counts().items()),
        rows=Rows(report),
        unit_rows=table.reset_index().to_dict("records"),
        column_totals=table.sum().to_dict(),
        options={"unit": _options(frame, "unit"), "column": _options(frame, "column"),
                 "check": _options(frame, "check_name", keep_order=True), "status": _options(frame, "status")},
        charts={"units": charts.unit_bars(table, colour_of, int(report.settings["chart_max_units"])),
                "trend": charts.trend_lines(trend.labels, trend.series, colour_of) if trend else None},
        compare_rows=[(name, list(row)) for name, row in comparison.by_check.iterrows()] if comparison else [],
        fixed_rows=comparison.fixed.to_dict("records") if comparison else [],
        cn_numbers=CN_NUMBERS,
        guide=appendix(check_order(report.names, frame["check"].unique()), report.names, report.inspector),
        css=Markup(_static("report.css")),
        script=Markup(script),
        csp=content_security_policy(script),
    ))
