"""Findings kept on disk while the rules run.

At 10⁵ documents the rules' 10⁴–10⁵ findings are about 25 MB, held until the report on top of
the frames they were drawn from.  The runner writes each rule's findings to a temporary file
instead and reads them back a part at a time once the frames are freed, so the two never peak
together and the findings are never all held at once.  The
file holds only what this process pickled (our own ``Finding`` objects), never page bytes as such.
"""
from __future__ import annotations

import logging
import os
import pickle
import tempfile
from array import array
from typing import Iterable, Iterator, Sequence

import pandas as pd

from audits.model import Finding

log = logging.getLogger(__name__)


class FindingSpool:
    """Append lists of findings, each with its rule's ``rank``; ``findings()`` gives them back by
    rank, in the order they came within one, a part of ``PART`` at a time and as often as asked;
    ``read()`` all at once (kept in a ``PartSpool``)."""

    PART = 1000

    def __init__(self) -> None:
        self.count = 0
        self.units: set[str] = set()       # the units findings are attributed to ("" for none)
        self._parts = PartSpool("findings")
        self._ranks: list[int] = []        # of each part

    def add(self, findings: list[Finding], rank: int = 0) -> None:
        self.count += len(findings)
        self.units.update(f.unit or "" for f in findings)
        for start in range(0, len(findings), self.PART):
            self._parts.add(findings[start:start + self.PART])
            self._ranks.append(rank)

    def findings(self):
        """Every finding, read back a part at a time (nothing but the part held)."""
        for i in sorted(range(len(self._ranks)), key=self._ranks.__getitem__):      # stable
            yield from self._parts.part(i)

    def read(self) -> list[Finding]:
        try:
            return list(self.findings())
        finally:
            self.close()

    def close(self) -> None:
        self._parts.close()


def in_report_order(findings: Iterable[Finding]) -> Iterator[Finding]:
    """One rule's ``findings`` by unit, URL and field (stable), each key once: the first in that
    order.  Each finding waits in a temporary file until its turn, so only its sort key is held
    (a rule's 10⁴ findings with their evidence were 15 MiB at 10⁵ documents)."""
    spool = PartSpool("rule findings")
    try:
        order = []
        for i, f in enumerate(findings):
            order.append((str(f.unit or ""), f.url, f.field or "", i, f.check))
            spool.add(f)
        order.sort()
        seen: set[tuple] = set()
        for _, url, field, i, check in order:
            if (check, url, field) not in seen:        # one problem, one finding (Finding.key)
                seen.add((check, url, field))
                yield spool.part(i)
    finally:
        spool.close()


class PartSpool:
    """Parts of a frame written once and read back, in order, as often as asked (``parts()``;
    several readings may interleave).  When the temporary directory cannot be written they stay
    in memory.  The file holds only what this process pickled (frames or findings it built)."""

    def __init__(self, what: str = "parts") -> None:
        self._what = what
        # Where each part is in the file: arrays, not a tuple per part made among the parts'
        # frames, which outlived them and pinned their memory.
        self._offsets, self._lengths = array("q"), array("q")
        self._held: list = []                         # in memory, once the file failed
        try:
            self._file = tempfile.TemporaryFile(prefix=f"govaudit-{what}-")
        except OSError:
            self._file = None

    def add(self, part) -> None:
        if self._file is not None and not self._held:
            data = pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
            try:
                offset = self._file.seek(0, 2)
                self._file.write(data)
                self._file.flush()
                self._offsets.append(offset)
                self._lengths.append(len(data))
                return
            except OSError:         # a full disk: what follows stays in memory
                log.warning("%s kept in memory: the temporary file cannot be written", self._what)
        self._held.append(part)

    def __len__(self) -> int:
        return len(self._offsets) + len(self._held)

    def part(self, i: int):
        """The ``i``-th part added."""
        if i >= len(self._offsets):
            return self._held[i - len(self._offsets)]
        return pickle.loads(os.pread(self._file.fileno(), self._lengths[i], self._offsets[i]))  # noqa: S301 - written above

    def parts(self):
        for offset, length in zip(self._offsets, self._lengths):
            yield pickle.loads(os.pread(self._file.fileno(), length, offset))  # noqa: S301 - written above
        yield from self._held

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


class ColumnSpool:
    """Frames of the same columns written once, each column apart, and read back in order with
    only the columns asked for: a rule reading three columns of the document view unpickles
    those three, not all eighteen (docs/performance.md, "Twenty-fifth pass")."""

    def __init__(self, what: str = "frames") -> None:
        self._pieces = PartSpool(what)       # per frame: its index, then each column's values
        self._dtypes: dict | None = None     # of every frame's columns, in their order
        self._frames = 0

    def add(self, frame: pd.DataFrame) -> None:
        if self._dtypes is None:
            self._dtypes = frame.dtypes.to_dict()
        elif list(frame.columns) != list(self._dtypes):
            raise ValueError(f"a frame of other columns: {list(frame.columns)}")
        self._pieces.add(frame.index)
        for name in self._dtypes:
            self._pieces.add(frame[name].to_numpy())
        self._frames += 1

    def __len__(self) -> int:
        return self._frames

    def parts(self, columns: Sequence[str] | None = None) -> Iterator[pd.DataFrame]:
        """Each frame with ``columns`` (all by default; none: the index alone), in the order added."""
        dtypes = self._dtypes or {}
        names = list(dtypes) if columns is None else list(columns)
        unknown = [n for n in names if n not in dtypes]
        if unknown and self._frames:
            raise KeyError(f"no such columns: {unknown}")
        position = {name: i for i, name in enumerate(dtypes, start=1)}
        width = len(dtypes) + 1
        for start in range(0, self._frames * width, width):
            index = self._pieces.part(start)
            # Each column as it was: built from bare arrays, pandas would take text for its str dtype.
            yield pd.DataFrame({n: pd.Series(self._pieces.part(start + position[n]), index=index,
                                             dtype=dtypes[n], copy=False) for n in names},
                               index=index, copy=False)

    def close(self) -> None:
        self._pieces.close()
