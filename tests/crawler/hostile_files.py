"""Hostile and ordinary attachment files, built in memory for the attachment tests."""
from __future__ import annotations

import functools
import io
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
