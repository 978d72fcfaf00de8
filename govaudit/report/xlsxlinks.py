"""The links of a findings.xlsx sheet, held compactly until XlsxWriter writes them at close().

XlsxWriter keeps every link of every sheet as a ``Url`` object, in a dict per row, until the
workbook is closed: about 560 bytes a link, 15 MiB for the 27,000 findings of a 10⁵-document
site, the part of the report's memory that still grew with the site.  ``CompactLinks`` takes the
place of one sheet's store: a link is its row and column in arrays and its address, text and tip
(strings its cell already holds), and each ``Url`` is made again as the sheet is written.  About
130 bytes a link, most of it the address.

It stands in for an attribute of XlsxWriter's worksheet (``hyperlinks``: written as
``hyperlinks[row][col] = url``, read with ``keys()`` and ``[row][col]`` when the sheet is
written), so ``compact_links`` installs it only where that attribute is the dict it replaces;
tests/report/test_xlsx_links.py checks the sheets written are byte for byte XlsxWriter's own.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right

try:
    from xlsxwriter.url import Url
except ImportError:         # XlsxWriter before its Url class: its own store is kept
    Url = None


def compact_links(worksheet):
    """``worksheet`` with its links kept by a ``CompactLinks`` (when this XlsxWriter stores them
    the way it replaces).  Its links must then be written in row and column order, as the rows
    of a constant_memory sheet are."""
    store = getattr(worksheet, "hyperlinks", None)
    if Url is not None and isinstance(store, dict) and not store:
        worksheet.hyperlinks = CompactLinks()
    return worksheet


class CompactLinks:
    """{row: {col: Url}} of one sheet, added in row and column order."""

    def __init__(self) -> None:
        self._rows = array("I")         # Excel's rows and columns fit: 1,048,576 × 16,384
        self._cols = array("H")
        self._addresses: list[str] = []
        self._texts: list[str] = []
        self._tips: list[str] = []

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, row: int) -> "_RowLinks":
        return _RowLinks(self, row)

    def keys(self):
        """The rows that have links, in order, each once."""
        last = None
        for row in self._rows:
            if row != last:
                yield row
                last = row

    def add(self, row: int, col: int, url) -> None:
        if self._rows and (row, col) <= (self._rows[-1], self._cols[-1]):
            raise ValueError(f"links must come in row and column order: ({row}, {col}) after "
                             f"({self._rows[-1]}, {self._cols[-1]})")
        self._rows.append(row)
        self._cols.append(col)
        self._addresses.append(url._original_url)
        self._texts.append(url.text)
        self._tips.append(url.tip)

    def columns(self, row: int) -> list[int]:
        return list(self._cols[bisect_left(self._rows, row):bisect_right(self._rows, row)])

    def url(self, row: int, col: int):
        start, end = bisect_left(self._rows, row), bisect_right(self._rows, row)
        for i in range(start, end):
            if self._cols[i] == col:
                url = Url(self._addresses[i])
                url.text = self._texts[i]
                if self._tips[i]:
                    url.tip = self._tips[i]
                return url
        raise KeyError((row, col))


class _RowLinks:
    """{col: Url} of one row of a ``CompactLinks``."""

    __slots__ = ("_links", "_row")

    def __init__(self, links: CompactLinks, row: int) -> None:
        self._links, self._row = links, row

    def __setitem__(self, col: int, url) -> None:
        self._links.add(self._row, col, url)

    def __getitem__(self, col: int):
        return self._links.url(self._row, col)

    def __bool__(self) -> bool:
        return bool(self._links.columns(self._row))

    def keys(self) -> list[int]:
        return self._links.columns(self._row)
