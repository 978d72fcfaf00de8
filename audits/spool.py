"""Findings kept on disk while the rules run.

At 10⁵ documents the rules' 10⁴–10⁵ findings are about 25 MB, held until the report on top of
the frames they were drawn from.  The runner writes each rule's findings to a temporary file
instead and reads them back once the frames are freed, so the two never peak together.  The
file holds only what this process pickled (our own ``Finding`` objects), never page bytes as such.
"""
from __future__ import annotations

import logging
import os
import pickle
import tempfile

from audits.model import Finding

log = logging.getLogger(__name__)


class FindingSpool:
    """Append lists of findings; ``read()`` gives them back once, in the order they came.  When
    the temporary directory cannot be written (full, read-only) they stay in memory instead."""

    def __init__(self) -> None:
        self.count = 0
        self.units: set[str] = set()       # the units findings are attributed to ("" for none)
        self._held: list[Finding] = []     # in memory, once the file failed (after what it holds)
        self._end = 0                      # the file's bytes that hold whole parts
        try:
            self._file = tempfile.TemporaryFile(prefix="govaudit-findings-")
        except OSError:
            self._file = None

    def add(self, findings: list[Finding]) -> None:
        if not findings:
            return
        self.count += len(findings)
        self.units.update(f.unit or "" for f in findings)
        if self._file is not None and not self._held:
            data = pickle.dumps(findings, protocol=pickle.HIGHEST_PROTOCOL)
            try:
                self._file.write(data)
                self._file.flush()
                self._end += len(data)
                return
            except OSError:         # a full disk: what follows stays in memory
                log.warning("findings kept in memory: the temporary file cannot be written")
        self._held.extend(findings)

    def read(self) -> list[Finding]:
        out: list[Finding] = []
        if self._file is not None:
            try:
                self._file.seek(0)
                while self._file.tell() < self._end:
                    out.extend(pickle.load(self._file))  # noqa: S301 - written by this process above
            finally:
                self._file.close()
        return out + self._held


class PartSpool:
    """Parts of a frame written once and read back, in order, as often as asked (``parts()``;
    several readings may interleave).  When the temporary directory cannot be written they stay
    in memory.  The file holds only what this process pickled (frames it built)."""

    def __init__(self) -> None:
        self._where: list[tuple[int, int]] = []      # (offset, length) of each part in the file
        self._held: list = []                         # in memory, once the file failed
        try:
            self._file = tempfile.TemporaryFile(prefix="govaudit-parts-")
        except OSError:
            self._file = None

    def add(self, part) -> None:
        if self._file is not None and not self._held:
            data = pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
            try:
                offset = self._file.seek(0, 2)
                self._file.write(data)
                self._file.flush()
                self._where.append((offset, len(data)))
                return
            except OSError:         # a full disk: what follows stays in memory
                log.warning("document parts kept in memory: the temporary file cannot be written")
        self._held.append(part)

    def parts(self):
        for offset, length in self._where:
            yield pickle.loads(os.pread(self._file.fileno(), length, offset))  # noqa: S301 - written above
        yield from self._held
