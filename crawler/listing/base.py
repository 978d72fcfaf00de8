"""What every list reader shares: the reader protocol, the reading context, the follow-up
request format, the paging limits, and the loop that asks the readers in turn."""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable, Protocol

from crawler.extract.document import LIST_ENTRIES_OVER_DOCUMENT, document_evidence, entries_beside_article
from crawler.extract.entries import placeholder_text
from crawler.extract.html import Page
from crawler.extract.navigation import find_column_links
from crawler.items import ListPage

# Never plan more pages than this for one list, whatever the page claims (endless-pagination
# guard).  The spider may pass its own limit (settings: GOVAUDIT_MAX_LIST_PAGES).
DEFAULT_MAX_PAGES = 2000

# What a reader's recognising a page says about the page, for ``crawler.listing.classify``:
CERTAIN = "certain"   # a list whatever else the page shows (a data island, a pager script, a profile rule)
STRONG = "strong"     # a list unless the page reads as a document (a JS shell, a 暂无信息 page)
WEAK = "weak"         # a list unless it reads as a document or a hub of columns (lists read from markup)
EVIDENCE = (CERTAIN, STRONG, WEAK)


@dataclass(frozen=True)
class ReadContext:
    """What a reader may need besides the page it reads."""
    max_pages: int = DEFAULT_MAX_PAGES     # plan no more pages than this for one list
    profile_rules: tuple = ()              # the site profile's ``lists`` rules (the profile reader)
    readers: tuple = ()                    # the registry, in order (a framed list is read like a column page)


class ListReader(Protocol):
    """One CMS family or paging idiom.  A reader is a module of ``crawler/listing/`` defining these
    names at module level, registered in ``crawler.listing.registry.READERS``."""

    name: str        # the ``reader`` key of its follow-up requests, and the ListPage.style it reads
    evidence: str    # one of EVIDENCE

    def detect(self, page: Page, ctx: ReadContext) -> ListPage | None:
        """The page read as a list of this family, or None when the page is not one."""

    def read_response(self, meta: dict, url: str, body: str, content_type: str | None,
                      ctx: ReadContext) -> ListPage:
        """The answer to one of the follow-up requests (``meta``) this reader planned."""


_RECOGNISED = "list_readers"     # page.memo: reader name -> did it recognise the page
DECLINED = "declined_readers"    # page.memo: reader name -> why its reading was not taken


# A page of boxes, each headed by its column's 更多 link, is a hub from this many boxes on, even
# when the boxes' entries carry dates, as long as its longest run of entries is at most twice as
# long as there are boxes (a column page's own list is longer than its sidebar boxes are many).
HUB_MIN_BOXES = 3


def hub_of_boxes(url: str, page: Page, longest_run: int) -> int:
    """The number of boxes headed by their column's 更多 link when the page is a hub of them
    (``HUB_MIN_BOXES``; its longest run of entries at most twice as long), else 0.  Whether the page
    also pages through a list (then no hub) is the caller's to know."""
    boxes = sum(1 for c in find_column_links(url, page) if c.boxed)
    return boxes if boxes >= HUB_MIN_BOXES and 2 * boxes >= longest_run else 0


def outweighed_by_document(reader: ListReader, page: Page, result: ListPage) -> str | None:
    """A reader that is not certain loses to the page reading as one document when it found only
    a few entries (a 解读 frame, one link of a hidden layout block paired with a body date), or when
    its entries, without a further page, all stand beside the article (a detail page's 最新公开 box
    of ten dated items: a column link to the 政府信息公开指南 or 机构职能 page)."""
    if reader.evidence == CERTAIN:
        return None
    if len(result.entries) < LIST_ENTRIES_OVER_DOCUMENT:
        return document_evidence(page)
    why = document_evidence(page)
    if why and not result.next_pages and entries_beside_article(page, [e.url for e in result.entries]):
        return why + "; its dated links stand beside the article (最新公开, 相关阅读 …)"
    return None


def read_page(page: Page, ctx: ReadContext) -> ListPage | None:
    """The first reader of ``ctx.readers`` that recognises the page reads it; None if none does."""
    recognised = page.memo.setdefault(_RECOGNISED, {})
    for reader in ctx.readers:
        recognised[reader.name] = False          # not asked again should it raise (the spider reads on)
        result = reader.detect(page, ctx)
        if result is None:
            continue
        why = outweighed_by_document(reader, page, result)
        if why:
            page.memo.setdefault(DECLINED, {})[reader.name] = f"{len(result.entries)} entries; the page is a document: {why}"
            continue
        recognised[reader.name] = True
        if not result.entries and result.placeholder is None:
            result.placeholder = placeholder_text(page)     # also a JS shell's server-rendered empty state
        return result
    return None


def recognises(reader: ListReader, page: Page, ctx: ReadContext) -> bool:
    """Does ``reader`` recognise the page?  Known without asking again when ``read_page`` asked."""
    recognised = page.memo.setdefault(_RECOGNISED, {})
    if reader.name not in recognised:
        result = reader.detect(page, ctx)
        recognised[reader.name] = result is not None and not outweighed_by_document(reader, page, result)
    return recognised[reader.name]


def request(url: str, reader: str, page_url: str, method: str = "GET", body: str | None = None,
            headers: dict | None = None, **meta) -> dict:
    """A follow-up request for ListPage.next_pages.

    ``reader`` names the reader whose ``read_response`` understands the answer; ``page_url`` is
    the list page the request belongs to (relative links in the answer resolve against it).
    Every other key is reader state handed back to ``read_response`` untouched.
    """
    req = {"url": url, "method": method, "body": body, "headers": dict(headers or {}),
           "reader": reader, "page_url": page_url}
    req.update(meta)
    return req


class PagePlan(Sequence):
    """Follow-up requests numbered by a range, each made when it is asked for.

    A list that states its page count (a TRS pager, a JS endpoint's total) has every further
    page planned at once, up to ``max_pages``.  As dicts, 900 pages of one column were 2 MB
    in the crawl's hands and 550 kB in its stored replay; as a plan they are a range and the
    reader's arguments (docs/performance.md, "Twenty-first pass").  ``make(args, n)`` is the
    reader's ``planned``; ``skip`` is a number of the range left out (the page being read)."""

    def __init__(self, reader: str, make: Callable[[dict, int], dict], numbers: range, args: dict,
                 skip: int | None = None):
        self.reader, self.make, self.numbers, self.args = reader, make, numbers, args
        self.skip = skip if skip is not None and skip in numbers else None
        self._at = numbers.index(skip) if self.skip is not None else len(numbers)

    def __len__(self) -> int:
        return len(self.numbers) - (self.skip is not None)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.make(self.args, self.numbers[i if i < self._at else i + 1])

    def __eq__(self, other):
        return list(self) == list(other) if isinstance(other, (list, tuple, PagePlan)) else NotImplemented

    def __repr__(self) -> str:
        return f"PagePlan({self.reader!r}, {self.numbers!r}, skip={self.skip!r})"

    def stored(self) -> dict:
        """The JSON form kept in a page's replay facts (``crawler.listing.registry.stored_pages``)."""
        r = self.numbers
        return {"plan": self.reader, "numbers": [r.start, r.stop, r.step], "skip": self.skip,
                "args": self.args}


def planned_pages(reader: str, make: Callable[[dict, int], dict], numbers: range, args: dict,
                  skip: int | None = None) -> Sequence:
    """``ListPage.next_pages`` for pages ``numbers`` (``PagePlan``); an empty list when there are none."""
    plan = PagePlan(reader, make, numbers, args, skip)
    return plan if len(plan) else []


def fingerprint(entries) -> str:
    """Short identity of a page's entries, to notice a page that only repeats an earlier one."""
    return hashlib.sha1("\n".join(sorted(e.url for e in entries)).encode("utf-8")).hexdigest()[:16]
