"""Findings kept on disk while the rules run.

At 10⁵ documents the rules' 10⁴–10⁵ findings are about 25 MB, held until the report on top of
the frames they were drawn from.  The runner writes each rule's findings to a temporary file
instead and reads them back once the frames are freed, so the two never peak together.  The
file holds only what this process pickled (our own ``Finding`` objects), never page bytes as such.
"""
from __future__ import annotations

import pickle
import tempfile

from audits.model import Finding


class FindingSpool:
    """Append lists of findings; ``read()`` gives them back once, in the order they came."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="govaudit-findings-")
        self.count = 0
        self.units: set[str] = set()       # the units findings are attributed to ("" for none)

    def add(self, findings: list[Finding]) -> None:
        if findings:
            pickle.dump(findings, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self.count += len(findings)
            self.units.update(f.unit or "" for f in findings)

    def read(self) -> list[Finding]:
        out: list[Finding] = []
        self._file.seek(0)
        while True:
            try:
                out.extend(pickle.load(self._file))  # noqa: S301 - written by this process above
            except EOFError:
                break
        self._file.close()
        return out
