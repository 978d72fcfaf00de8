"""Archives (zip, rar, 7z): each member read by the format readers, within the archive's bounds.

A 名单 is often published zipped (名单.zip holding 附件1.xlsx), so a member's text is the
attachment's text: ``parts`` carry ``"member": "附件1.xlsx"`` and spreadsheet ``cells`` a fifth
element, the member's name; ``members`` lists every member with what reading it gave::

    {"kind": "zip", "status": "ok", "parts": [{"where": "工作表“名单”", "text": "…", "member": "附件1.xlsx"}],
     "cells": [["名单", 2, 3, "370181…", "附件1.xlsx"]],
     "members": [{"name": "附件1.xlsx", "kind": "xlsx", "status": "ok", "detail": "", "pages": None}]}

Bounds (the worker's memory, CPU and wall-clock limits still hold for the whole archive):
``MAX_MEMBERS`` members read; a member whose (declared or actual) unpacked size is over
``MAX_MEMBER_BYTES`` is ``too_large``, and so is every member once ``MAX_UNZIPPED`` bytes have been
unpacked in all (a zip bomb stops there, having read what came before); no member is begun after
``seconds`` (the rest: ``not_read``, “time”); an archive inside an archive is not opened (depth 1).

Zip is read with the standard library (member names written in GBK by Chinese Windows tools are
decoded as such); rar and 7z through libarchive's ``bsdtar`` (Debian ``libarchive-tools``), which
rewrites the archive as a tar stream read member by member: without it they are ``not_read``.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
import threading
import time
import zipfile
from typing import Callable

from crawler.files import bounds as rd        # result, Budget, MAX_UNZIPPED

MAX_MEMBERS = 200
MAX_MEMBER_BYTES = 64 * 1024 * 1024
ARCHIVE_KINDS = frozenset({"zip", "rar", "7z"})
SKIPPED = ("__MACOSX/", "._", "Thumbs.db", ".DS_Store")
STOP = "stopped: "
# When an archive's members read to no text, the status it takes (the first present).
FALLBACK = ("encrypted", "corrupt", "too_large", "no_text", "not_read", "timeout", "empty")


class Reading:
    """The members of one archive as they are read, and the bounds they share."""

    def __init__(self, kind: str, seconds: float, read_member: Callable[..., dict]):
        self.kind = kind
        self.read_member = read_member          # crawler.files.readers.read_file
        self.deadline = time.monotonic() + seconds
        self.unpacked = 0
        self.members: list[dict] = []
        self.parts: list[dict] = []
        self.cells: list[list] = []
        self.budget = rd.Budget()

    def skip(self, name: str) -> bool:
        base = name.rsplit("/", 1)[-1]
        return not base or name.startswith(SKIPPED[0]) or base.startswith(SKIPPED[1]) or base in SKIPPED[2:]

    def room(self, declared: int | None) -> tuple[int, str]:
        """(the bytes a member may unpack to, ''), or (0, why it is not read): ``STOP``-prefixed
        when no member after it will be read either."""
        if len(self.members) >= MAX_MEMBERS:
            return 0, f"{STOP}more than {MAX_MEMBERS} members"
        if time.monotonic() > self.deadline:
            return 0, f"{STOP}time: the archive's reading time was spent"
        if self.budget.cut:
            return 0, f"{STOP}cut off: the archive's text limit was reached"
        left = min(MAX_MEMBER_BYTES, rd.MAX_UNZIPPED - self.unpacked)
        if declared is not None and declared > left:
            return 0, f"unpacks to {declared} bytes (limit {left})"
        return left, ""

    def unread(self, name: str, status: str, detail: str) -> None:
        self.members.append({"name": name, "kind": _ext(name), "status": status, "detail": detail[:200],
                             "pages": None})

    def add(self, name: str, data: bytes) -> None:
        self.unpacked += len(data)
        got = self.read_member(data, name, depth=1)
        self.members.append({"name": name, "kind": got["kind"], "status": got["status"], "detail": got["detail"],
                             "pages": got["pages"]})
        for part in got["parts"]:
            self.parts.append({**part, "text": self.budget.text(part["text"]), "member": name})
        for cell in got["cells"]:
            if not self.budget.cell():
                break
            self.cells.append([*cell[:4], name])

    def result(self) -> dict:
        text = bool(self.parts or self.cells)
        statuses = [m["status"] for m in self.members]
        status = "ok" if text else next((s for s in FALLBACK if s in statuses), "empty")
        unread = sum(1 for s in statuses if s not in ("ok", "empty"))
        detail = f"{len(self.members)} members, {unread} not read to text" if self.members else "no members"
        out = rd.result(self.kind, status, detail + ("; cut off" if self.budget.cut else ""),
                        parts=self.parts, cells=self.cells)
        out["members"] = self.members
        return out


def _ext(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def read_archive(data: bytes, kind: str, read_member: Callable[..., dict], depth: int = 0,
                 seconds: float = 20) -> dict:
    """The members of a zip, rar or 7z, each read by ``read_member`` (``readers.read_file``)."""
    if depth > 0:
        return rd.result(kind, "not_read", "an archive inside an archive is not opened")
    reading = Reading(kind, seconds, read_member)
    if kind == "zip":
        return _read_zip(data, reading)
    return _read_libarchive(data, reading)


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its writer meant it: without the UTF-8 flag, zipfile decodes cp437,
    while Chinese Windows tools (and the 压缩 of Windows Explorer) write GBK."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            return name
        for encoding in ("utf-8", "gb18030"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
    return name


def _read_zip(data: bytes, reading: Reading) -> dict:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        return rd.result("zip", "corrupt", f"{type(exc).__name__}: {exc}")
    with archive:
        for n, info in enumerate(infos):
            name = member_name(info)
            if info.is_dir() or reading.skip(name):
                continue
            room, why = reading.room(info.file_size)
            if why.startswith(STOP):           # no member after this one is read: said once
                reading.unread(name, "not_read", f"{why} ({len(infos) - n - 1} more entries not read)")
                break
            if why:
                reading.unread(name, "too_large", why)
                continue
            if info.flag_bits & 0x1:
                reading.unread(name, "encrypted", "需要密码才能解压")
                continue
            try:
                with archive.open(info) as fh:
                    body = fh.read(room + 1)        # zipfile stops at the declared size; this at the bound
            except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError) as exc:
                reading.unread(name, "corrupt", f"{type(exc).__name__}: {exc}")
                continue
            if len(body) > room:
                reading.unread(name, "too_large", f"unpacks to more than {room} bytes")
                continue
            reading.add(name, body)
    return reading.result()


def _read_libarchive(data: bytes, reading: Reading) -> dict:
    """rar / 7z: ``bsdtar -cf - @archive`` rewrites the archive as a tar stream on stdout, read
    member by member; the process is killed when the reading time is spent or a bound is hit.

    A rar is given on a pipe: from a file, libarchive's seeking zip reader may take a stored rar
    holding an XLSX for that XLSX (its zip directory is near the end).  7z needs seeking: a file."""
    bsdtar = shutil.which("bsdtar")
    if bsdtar is None:
        return rd.result(reading.kind, "not_read", "bsdtar (Debian libarchive-tools) not installed")
    with tempfile.NamedTemporaryFile(prefix="govaudit-archive-") as fh, tempfile.TemporaryFile() as errors:
        piped = reading.kind != "7z"
        if not piped:
            fh.write(data)
            fh.flush()
        proc = subprocess.Popen([bsdtar, "-c", "-f", "-", "--format", "pax", "@" + ("-" if piped else fh.name)],
                                stdin=subprocess.PIPE if piped else subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=errors)
        feeder = threading.Thread(target=_feed, args=(proc.stdin, data), daemon=True) if piped else None
        if feeder:
            feeder.start()
        watchdog = threading.Timer(max(reading.deadline - time.monotonic(), 0) + 5, proc.kill)
        watchdog.start()
        try:
            _read_tar_stream(proc.stdout, reading)
        finally:
            watchdog.cancel()
            proc.kill()
            proc.stdout.close()
            proc.wait()
            if feeder:
                feeder.join()
            errors.seek(0)
            error = errors.read(2000).decode("utf-8", "replace").strip()
    if not reading.members:
        status = "encrypted" if "encrypt" in error.lower() or "password" in error.lower() else "corrupt"
        return rd.result(reading.kind, status if error else "empty", error[:300] or "no members")
    return reading.result()


def _feed(pipe, data: bytes) -> None:
    try:
        pipe.write(data)
    except (BrokenPipeError, OSError):
        pass                         # bsdtar stopped reading: it failed, or was killed
    finally:
        try:
            pipe.close()
        except (BrokenPipeError, OSError):
            pass


def _read_tar_stream(stream, reading: Reading) -> None:
    try:
        tar = tarfile.open(fileobj=stream, mode="r|")
        for member in tar:
            if not member.isfile() or reading.skip(member.name):
                continue
            room, why = reading.room(member.size)
            if why.startswith(STOP):
                reading.unread(member.name, "not_read", why)
                return              # no more members will be read: stop unpacking
            if why:
                reading.unread(member.name, "too_large", why)
                continue
            body = tar.extractfile(member).read(room + 1)
            reading.add(member.name, body)
    except (tarfile.TarError, OSError, EOFError):
        return                      # what bsdtar could not convert: its stderr says why
