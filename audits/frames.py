"""Row iteration over the snapshot's frames without ``DataFrame.iterrows``.

``iterrows`` builds a pandas Series per row (about 100 µs each): over 10⁵ documents, a few such
loops were most of the audit's time.  ``records`` yields plain dicts of the columns asked for.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Iterator

import pandas as pd

# The one empty list every empty JSON list of a snapshot is (read only: never append to a
# frame's list): 56 bytes a document less, in the documents frame and again in the view.
NO_ITEMS: list = []


def records(frame: pd.DataFrame, columns=None) -> Iterator[tuple[object, dict]]:
    """(index label, {column: value}) per row of ``frame``, for ``columns`` (default: all), in order."""
    names = list(frame.columns if columns is None else columns)
    for label, values in zip(frame.index, zip(*(frame[c].tolist() for c in names))):
        yield label, dict(zip(names, values))


def lookup(frame: pd.DataFrame, columns):
    """``row(label)``: {column: value} of ``columns`` at index label ``label`` (a unique index),
    where ``frame.loc[label]`` would build a Series per call (~100 µs; 10⁴ calls in a rule)."""
    position = frame.index.get_loc
    arrays = {c: frame[c].to_numpy() for c in columns}

    def row(label) -> dict:
        i = position(label)
        return {c: values[i] for c, values in arrays.items()}
    return row


class Fields(Mapping):
    """A document's ``fields`` (read only): its key tuple shared by every document with the same
    keys, its values in one tuple.  About 150 bytes where a dict of seven fields is 360."""

    __slots__ = ("_keys", "_values")

    def __init__(self, keys: tuple, values: tuple):
        self._keys, self._values = keys, values

    def __getitem__(self, key):
        try:
            return self._values[self._keys.index(key)]
        except ValueError:
            raise KeyError(key) from None

    def __contains__(self, key) -> bool:
        return key in self._keys

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return repr(dict(zip(self._keys, self._values)))
