"""Run the crawler's extraction on every labelled page of tests/realpages and compare with truth.yaml.

Used by ``test_corpus.py`` and by ``python3 -m tests.realpages.report`` (the per-page difference
table).  Each page is decoded and parsed the way the spider does it (``decode_html`` without a
Content-Type header, then one ``Page`` shared by every extractor) and read with the functions the
spider calls: ``crawler.listing.classify_page``, ``crawler.extract.document.extract_document`` and
``crawler.listing.read_list``.

What is compared (each one a *check*; the share of checks exactly right is the corpus figure):

``kind``                   classify_page(page) against the labelled kind (a homepage must read as a hub)
``title``                  DocumentFacts.title against the visible title (document pages), whitespace removed
``meta_title``             DocumentFacts.meta_title (once the extractor records it) against <meta ArticleTitle>
``field:<canonical>``      DocumentFacts.fields[canonical] against the displayed value (whitespace runs
                           collapsed on both sides, nothing else normalised)
``raw_label:<canonical>``  a DocumentFacts.fields_raw entry whose raw label (as displayed, 【】
                           included) is the labelled one (spaces and the colon ignored) and whose
                           value is that value
``absent:<canonical>``     a canonical field the page does not show must not be read
``breadcrumb``             DocumentFacts.breadcrumb against the 当前位置 trail (list, hub and homepage
                           pages too: a column page's own trail is the first evidence of its parent)
``interpretation_links``   the set of 解读 link targets found on the page
``list.count`` / ``list.dates`` / ``list.next``   read_list entries, their ISO dates and the
                           first next-page request (list pages that carry ``list_items`` / ``next_page``)
``hub.columns``            hub and homepage pages that carry ``columns``: the column links the page
                           shows (their hrefs) against ``crawler.extract.navigation.find_column_links``;
                           ``site_columns`` (optional) lists the site-wide bar's column links the page
                           also shows, which are column links too but not this hub's sub-columns

An exception inside the extraction is recorded as one failed ``exception`` check for the page
and the other checks of the page are counted as wrong.
"""
from __future__ import annotations

import re
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from crawler.extract.document import extract_document
from crawler.extract.encoding import decode_html
from crawler.extract.html import Page
from crawler.extract.navigation import find_column_links
from crawler.listing import classify_page, read_list

HERE = Path(__file__).parent
# What classify_page should answer for each labelled kind (it has no 'homepage': a homepage is a
# hub of columns).
EXPECTED_CLASS = {"document": "document", "list": "list", "hub": "hub", "homepage": "hub",
                  "other": "other"}
_SPACE = re.compile(r"\s+")
_LABEL_JUNK = re.compile(r"[\s\u00a0\u2002\u2003\u3000:：]+")


def norm(text) -> str:
    return _SPACE.sub(" ", str(text or "")).strip()


def squeeze(text) -> str:
    """A title without any whitespace: line breaks and spaces inside titles are layout."""
    return _SPACE.sub("", str(text or ""))


def label_key(label: str) -> str:
    return _LABEL_JUNK.sub("", label or "")


@dataclass
class Check:
    file: str
    name: str
    expected: object
    got: object

    @property
    def ok(self) -> bool:
        return self.expected == self.got


@dataclass
class PageResult:
    file: str
    kind: str
    seconds: float = 0.0
    error: str | None = None
    checks: list[Check] = field(default_factory=list)

    @property
    def wrong(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]


def load_sources() -> dict:
    return {e["file"]: e for e in yaml.safe_load((HERE / "sources.yaml").read_text(encoding="utf-8"))}


def load_truth() -> list[dict]:
    return yaml.safe_load((HERE / "truth.yaml").read_text(encoding="utf-8"))


def page_url(source: dict) -> str:
    return source.get("url") or f"http://{source['site']}/"


def _document_checks(file: str, truth: dict, facts) -> list[Check]:
    checks = []
    if truth.get("title"):
        checks.append(Check(file, "title", squeeze(truth["title"]), squeeze(facts.title)))
    if truth.get("meta_title"):
        # Recorded beside the visible title (issue 12); None until the extractor records it.
        checks.append(Check(file, "meta_title", squeeze(truth["meta_title"]),
                            squeeze(getattr(facts, "meta_title", None)) or None))
    # The label as the page shows it (fields_raw[3], colon and 【】 included) when recorded.
    raw_pairs = [(label_key(rest[1] if len(rest) > 1 and rest[1] else lab), norm(val))
                 for lab, val, *rest in facts.fields_raw]
    for row in truth.get("metadata") or []:
        canon = row.get("canonical")
        if not canon:
            continue
        value = norm(row.get("value"))
        checks.append(Check(file, f"field:{canon}", value, norm(facts.fields.get(canon)) if canon in facts.fields
                            else None))
        want = (label_key(row["raw_label"]), value)
        checks.append(Check(file, f"raw_label:{canon}", "|".join(want),
                            "|".join(want) if want in raw_pairs else
                            "; ".join(f"{k}|{v}" for k, v in raw_pairs if v == value) or None))
    for canon in truth.get("absent_canonical") or []:
        checks.append(Check(file, f"absent:{canon}", None, facts.fields.get(canon)))
    if truth.get("breadcrumb"):
        checks.append(_breadcrumb_check(file, truth, facts.breadcrumb))
    if "interpretation_links" in truth:
        want = sorted(link["href"] for link in truth["interpretation_links"] or [])
        checks.append(Check(file, "interpretation_links", want,
                            sorted({ref.url for ref in facts.interpretation_links})))
    return checks


def _breadcrumb_check(file: str, truth: dict, got: list) -> Check:
    want = [norm(s) for s in re.split(r"[>＞»]", truth["breadcrumb"]) if norm(s)]
    return Check(file, "breadcrumb", " > ".join(want), " > ".join(norm(s) for s in got))


def _list_checks(file: str, truth: dict, found) -> list[Check]:
    checks = []
    items = truth.get("list_items")
    entries = found.entries if found is not None else []
    if items:
        if "count" in items:
            checks.append(Check(file, "list.count", items["count"], len(entries)))
        if "dates" in items:
            checks.append(Check(file, "list.dates", sorted(str(d) for d in items["dates"]),
                                sorted(str(e.date) for e in entries)))
    nxt = truth.get("next_page")
    if nxt:
        got = found.next_pages[0]["url"] if found is not None and found.next_pages else None
        checks.append(Check(file, "list.next", nxt.get("url"), got))
    return checks


def run_page(truth: dict, source: dict) -> PageResult:
    file = truth["file"]
    result = PageResult(file, truth["kind"])
    started = time.perf_counter()
    try:
        text, _encoding = decode_html((HERE / file).read_bytes(), None)
        url = page_url(source)
        page = Page(url, text)
        result.checks.append(Check(file, "kind", EXPECTED_CLASS[truth["kind"]], classify_page(url, page)))
        if truth["kind"] == "document":
            result.checks.extend(_document_checks(file, truth, extract_document(url, page)))
        if truth["kind"] in ("list", "hub", "homepage"):
            result.checks.extend(_list_checks(file, truth, read_list(url, page)))
            if truth.get("breadcrumb"):
                # A column page's own 当前位置 trail is the first evidence of its parent (issue 12).
                result.checks.append(_breadcrumb_check(file, truth, extract_document(url, page).breadcrumb))
            if truth["kind"] in ("hub", "homepage") and "columns" in truth:
                want = sorted(col["href"] for col in [*(truth["columns"] or []), *(truth.get("site_columns") or [])])
                result.checks.append(Check(file, "hub.columns", want,
                                           sorted({link.url for link in find_column_links(url, page)})))
    except Exception as exc:  # noqa: BLE001 - an exception is a measured outcome here
        result.error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"
        result.checks.append(Check(file, "exception", None, f"{type(exc).__name__}: {exc}"))
    result.seconds = time.perf_counter() - started
    return result


def run_corpus() -> list[PageResult]:
    sources = load_sources()
    return [run_page(t, sources[t["file"]]) for t in load_truth()]


@dataclass
class Summary:
    pages: int
    checks: int
    right: int
    kind_checks: int
    kinds_right: int
    field_checks: int
    fields_right: int
    exceptions: int

    @property
    def share(self) -> float:
        return self.right / self.checks if self.checks else 1.0

    @property
    def field_share(self) -> float:
        return self.fields_right / self.field_checks if self.field_checks else 1.0

    @property
    def kind_share(self) -> float:
        return self.kinds_right / self.kind_checks if self.kind_checks else 1.0

    def line(self) -> str:
        return (f"{self.pages} pages: labelled fields exact {self.fields_right}/{self.field_checks} "
                f"({self.field_share:.1%}), kinds right {self.kinds_right}/{self.kind_checks} "
                f"({self.kind_share:.1%}), all checks {self.right}/{self.checks} ({self.share:.1%}), "
                f"exceptions {self.exceptions}")


def summarise(results: list[PageResult]) -> Summary:
    checks = [c for r in results for c in r.checks]
    kinds = [c for c in checks if c.name == "kind"]
    fields_ = [c for c in checks if c.name not in ("kind", "exception")]
    return Summary(pages=len(results), checks=len(checks), right=sum(c.ok for c in checks),
                   kind_checks=len(kinds), kinds_right=sum(c.ok for c in kinds),
                   field_checks=len(fields_), fields_right=sum(c.ok for c in fields_),
                   exceptions=sum(1 for r in results if r.error))


def _short(value, width: int = 70) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= width else text[:width - 1] + "…"


def difference_table(results: list[PageResult]) -> str:
    """One line per wrong check: file, check, expected, got."""
    lines = []
    for r in results:
        for c in r.wrong:
            lines.append(f"{r.file} | {c.name} | expected {_short(c.expected)} | got {_short(c.got)}")
    return "\n".join(lines) or "(no differences)"


def by_check(results: list[PageResult]) -> str:
    total = Counter(c.name.split(":")[0] for r in results for c in r.checks)
    wrong = Counter(c.name.split(":")[0] for r in results for c in r.wrong)
    return "\n".join(f"{name:22} {total[name] - wrong[name]:4}/{total[name]:<4} right"
                     for name in sorted(total))


def by_site(results: list[PageResult]) -> str:
    """Pages, labelled fields exact and kinds right per site (the 60 gov.cn blocks weigh a lot)."""
    sources = load_sources()
    groups: dict[str, list[PageResult]] = {}
    for r in results:
        groups.setdefault(sources[r.file]["site"], []).append(r)
    lines = []
    for site, rs in sorted(groups.items()):
        s = summarise(rs)
        lines.append(f"{site:28} {s.pages:3} pages  fields {s.fields_right:4}/{s.field_checks:<4} "
                     f"kinds {s.kinds_right}/{s.kind_checks}")
    return "\n".join(lines)
