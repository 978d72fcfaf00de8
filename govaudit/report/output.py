"""Writing report files: atomically (temp file + rename), and with one-line errors."""
from __future__ import annotations

import errno
import json
import os
import secrets
from contextlib import contextmanager
from pathlib import Path

from govaudit.core.errors import EXIT_OUTPUT, GovauditError


def output_error(path: Path, exc: OSError) -> GovauditError:
    reason = "磁盘空间不足 / disk full" if exc.errno == errno.ENOSPC else (exc.strerror or type(exc).__name__)
    return GovauditError(f"无法写入报告文件 / cannot write report file {path}: {reason}", EXIT_OUTPUT)


def ensure_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
        if not os.access(path, os.W_OK):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
    except OSError as exc:
        raise output_error(path, exc) from None
    return path


@contextmanager
def atomic_path(path: Path):
    """Yield a temporary path beside ``path``; on success it replaces ``path``.

    A failed write never leaves a half-written report behind, and any OSError (permissions,
    ENOSPC) becomes a GovauditError with exit code EXIT_OUTPUT.
    """
    # Not mkstemp: its 0600 mode would make the reports unreadable to the office's other accounts.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise output_error(path, exc) from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


JSON_STYLE = {"ensure_ascii": False, "indent": 2, "default": str}


def _indented(value, depth: int) -> str:
    """``value`` as ``json.dump`` writes it ``depth`` levels down (its lines indented by as much)."""
    return json.dumps(value, **JSON_STYLE).replace("\n", "\n" + "  " * depth)


def _dump_document(doc: dict, fh) -> None:
    """``doc`` exactly as ``json.dump(doc, fh, **JSON_STYLE)`` writes it, but its ``findings`` (a
    list or any iterable of records, such as ``StoredFindings``) encoded one record at a time."""
    fh.write("{")
    for i, (key, value) in enumerate(doc.items()):
        fh.write(("," if i else "") + "\n  " + _indented(str(key), 1) + ": ")
        if key != "findings" or value is None or isinstance(value, (str, dict)):
            fh.write(_indented(value, 1))       # a document's own oddities are written as they are
            continue
        count = 0
        for count, record in enumerate(value, start=1):
            fh.write(("," if count > 1 else "[") + "\n    " + _indented(record, 2))
        fh.write("\n  ]" if count else "[]")
    fh.write("\n}" if doc else "}")


def write_json(path: Path, doc) -> Path:
    """``doc`` as indented JSON (non-ASCII kept) and a final newline, encoded piece by piece: the
    findings of a 10⁵-document site are a 27 MB text, 110 MB as one Python string, and are read
    from the database a page at a time while they are written (audits.runner.StoredFindings)."""
    with atomic_path(path) as tmp:
        with tmp.open("w", encoding="utf-8") as fh:
            if isinstance(doc, dict) and "findings" in doc:
                _dump_document(doc, fh)
            else:
                json.dump(doc, fh, **JSON_STYLE)
            fh.write("\n")
    return path
