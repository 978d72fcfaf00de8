"""Hostile and ordinary attachment files, built in memory for the attachment tests."""
from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib

import openpyxl
from docx import Document

from sitesim.files import build_pdf


def deep_pdf(depth: int = 100_000) -> bytes:
    """A page dictionary holding an array nested ``depth`` deep."""
    return build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /X " + b"[" * depth + b"]" * depth + b" >>"])


def looping_pdf() -> bytes:
    """A page tree whose node lists itself among its kids: an endless object graph."""
    return build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"])


@functools.lru_cache(maxsize=4)
def zip_bomb_docx(unpacked_mb: int = 310) -> bytes:
    """A valid DOCX whose document.xml unpacks to ``unpacked_mb`` MB of empty paragraphs (about
    0.4 MB packed): the other parts are python-docx's own."""
    blank = io.BytesIO()
    Document().save(blank)
    out = io.BytesIO()
    chunk = b"<w:p/>" * (1024 * 1024 // 6)
    with zipfile.ZipFile(blank) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name in src.namelist():
            if name != "word/document.xml":
                z.writestr(name, src.read(name))
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
                         b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            for _ in range(unpacked_mb):
                member.write(chunk)
            member.write(b"</w:body></w:document>")
    return out.getvalue()


def busy_pdf(operators: int = 2_000_000) -> bytes:
    """A one-page PDF whose (small, compressed) content stream holds ``operators`` text operators:
    reading it costs many seconds of CPU."""
    content = zlib.compress(b"BT /F1 12 Tf (x) Tj ET\n" * operators, 9)
    return build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Contents 4 0 R "
                       b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"),
                      f"<< /Length {len(content)} /Filter /FlateDecode >>\nstream\n".encode() + content + b"\nendstream"])


def id_list_xlsx(ids: list[str]) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "名单"
    ws.append(["序号", "姓名", "身份证号"])
    for n, number in enumerate(ids, 1):
        ws.append([n, f"张某{n}", number])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def gbk_named_zip(members: list[tuple[str, bytes]]) -> bytes:
    """A zip as Chinese Windows tools write it: member names in GBK, without the UTF-8 flag."""
    out = io.BytesIO()
    placeholders = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, (name, data) in enumerate(members):
            raw = name.encode("gbk")
            placeholder = chr(ord("A") + n).encode() * len(raw)    # ASCII of the same length: no flag set
            placeholders.append((placeholder, raw))
            z.writestr(placeholder.decode(), data)
    data = out.getvalue()
    for placeholder, raw in placeholders:
        data = data.replace(placeholder, raw)
    return data


def zip_bomb(unpacked_mb: int = 400, first: tuple[str, bytes] | None = None) -> bytes:
    """A zip of one member of ``unpacked_mb`` MB of zeros (about 1/1000 of it packed), after an
    ordinary member ``first``."""
    out = io.BytesIO()
    chunk = b"0" * (1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        if first:
            z.writestr(*first)
        with z.open("数据.txt", "w", force_zip64=True) as member:
            for _ in range(unpacked_mb):
                member.write(chunk)
    return out.getvalue()


def _rar_block(head_type: int, flags: int, body: bytes) -> bytes:
    rest = struct.pack("<BHH", head_type, flags, 7 + len(body)) + body
    return struct.pack("<H", zlib.crc32(rest) & 0xFFFF) + rest


def _rar_unicode_name(name: str) -> bytes:
    """RAR 2.9+ Unicode name: an ASCII fallback, NUL, then the encoded name (every character
    written in full: flag 2, low byte then high byte)."""
    codes = [name.encode("utf-16-le")[i:i + 2] for i in range(0, len(name.encode("utf-16-le")), 2)]
    out = bytearray([0])
    for i in range(0, len(codes), 4):
        group = codes[i:i + 4]
        out.append(sum(2 << (6 - 2 * j) for j in range(len(group))))
        for c in group:
            out += c
    return name.encode("ascii", "replace") + b"\0" + bytes(out)


def stored_rar(members: list[tuple[str, bytes]]) -> bytes:
    """A RAR 4 archive of stored (uncompressed) members, written by hand: nothing here writes RAR."""
    out = b"Rar!\x1a\x07\x00" + _rar_block(0x73, 0, b"\0" * 6)
    for name, data in members:
        if name.isascii():
            raw, flags = name.encode(), 0x8000
        else:
            raw, flags = _rar_unicode_name(name), 0x8000 | 0x200          # LONG_BLOCK | UNICODE
        head = struct.pack("<IIBIIBBHI", len(data), len(data), 2, zlib.crc32(data), 0x57A10000, 20, 0x30, len(raw), 0x20)
        out += _rar_block(0x74, flags, head + raw) + data
    return out + _rar_block(0x7B, 0x4000, b"")
