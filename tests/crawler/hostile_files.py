"""Hostile and ordinary attachment files, built in memory for the attachment tests."""
from __future__ import annotations

import io
import zipfile

import openpyxl


def build_pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1, object 1 the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def deep_pdf(depth: int = 100_000) -> bytes:
    """A page dictionary holding an array nested ``depth`` deep."""
    return build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /X " + b"[" * depth + b"]" * depth + b" >>"])


def looping_pdf() -> bytes:
    """A page tree whose node lists itself among its kids: an endless object graph."""
    return build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"])


def zip_bomb_docx(unpacked_mb: int = 310) -> bytes:
    """A DOCX whose document.xml unpacks to ``unpacked_mb`` MB (about 0.3 MB packed)."""
    out = io.BytesIO()
    chunk = b"<w:p/>" * (1024 * 1024 // 6)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(unpacked_mb):
                member.write(chunk)
    return out.getvalue()


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
