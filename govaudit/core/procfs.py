"""Processes as Linux's /proc shows them: who started whom, what each holds in memory, its
command line.  Standard library only: the memory benchmark imports it into a process that must
stay small.  Where /proc is missing (not Linux) every reader answers empty or 0."""
from __future__ import annotations

import os


def children() -> dict[int, list[int]]:
    """Parent pid -> the pids of its children, for every process now."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    parent = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue        # gone meanwhile
            tree.setdefault(parent, []).append(int(entry))
    return tree


def descendants(pid: int, tree: dict[int, list[int]] | None = None) -> list[int]:
    """``pid`` and every process below it."""
    tree = children() if tree is None else tree
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo += [p for p in tree.get(found[-1], ()) if p not in found]     # a reused pid never loops
    return found


def _kib(path: str, field: str) -> int:
    try:
        with open(path, encoding="ascii", errors="replace") as fh:
            return next((int(line.split()[1]) for line in fh if line.startswith(field)), 0)
    except (OSError, ValueError):
        return 0


def rss_kib(pid: int | str = "self") -> int:
    """Resident set (VmRSS), KiB."""
    return _kib(f"/proc/{pid}/status", "VmRSS:")


def hwm_kib(pid: int | str = "self") -> int:
    """The kernel's peak resident set of the process so far (VmHWM), KiB.  Recorded lazily: a peak
    handed back by ``madvise`` before the kernel noted it can be missed."""
    return _kib(f"/proc/{pid}/status", "VmHWM:")


def pss_kib(pid: int | str = "self") -> int:
    """Proportional set (Pss): each page shared by N processes counted as 1/N of it, KiB."""
    return _kib(f"/proc/{pid}/smaps_rollup", "Pss:")


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""
