"""Real attachment files for the simulated site: PDF, DOCX and XLSX bytes, made deterministically
from the site model when first asked for (``Pages.file``).

Ordinary attachments get a short harmless text.  Planted ones (``sitesim.plantfiles``) are a
``FileSpec`` in ``Site.files``: lines, tables and sheets with planted 身份证号 and mobile numbers
and their controls, or a damaged file (corrupt, encrypted, HTML served as a file, scan-only, over
the size cap).

PDFs are written by hand: text in the standard Chinese CID font STSong-Light (UniGB-UCS2-H, which
viewers carry) with a ToUnicode map, so a text extractor reads it back; an image-only page has no
text at all.  DOCX/XLSX come from python-docx/openpyxl with every zip timestamp fixed, so the same
site serves the same bytes (and ETags) on every start.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from dataclasses import dataclass, field

import openpyxl
import pypdf
from docx import Document

OVERSIZE_BYTES = 21 * 1024 * 1024       # over the crawler's default 20 MB cap


@dataclass
class FileSpec:
    """A planted file: what it holds, and what the audits must make of it (``expect``)."""
    name: str
    kind: str                                         # pdf | docx | xlsx
    pages: list = field(default_factory=list)         # pdf: lines per page; docx: paragraphs (one page)
    tables: list = field(default_factory=list)        # docx: rows of cells
    sheets: list = field(default_factory=list)        # xlsx: (sheet name, rows)
    damage: str = ""                                  # corrupt | encrypted | html | scan | oversize
    expect: list = field(default_factory=list)        # [(check, note)] the manifest records
    note: str = ""                                    # a control's trap note


def file_body(path: str, spec) -> tuple[str, bytes]:
    """(content type, bytes) of the file at ``path``: ``spec`` is a ``FileSpec`` or a plain name."""
    if not isinstance(spec, FileSpec):
        return ordinary(path, str(spec))
    if spec.damage == "html":     # a login page under the file's name and type, as CMS download handlers do
        return CONTENT_TYPES[spec.kind], ("<!DOCTYPE html><html><head><title>文件下载</title></head><body>"
                                            "<p>请登录后下载附件。</p></body></html>").encode()
    if spec.damage == "corrupt":
        good = docx_bytes(["附件内容"], [])
        return CONTENT_TYPES[spec.kind], good[: len(good) // 3]
    if spec.damage == "scan":
        return CONTENT_TYPES["pdf"], pdf_bytes([[]], image=True)
    if spec.damage == "oversize":
        head = pdf_bytes(spec.pages or [["附件"]])
        return CONTENT_TYPES["pdf"], head + b"%" + b"0" * (OVERSIZE_BYTES - len(head)) + b"\n"
    if spec.kind == "pdf":
        data = pdf_bytes(spec.pages)
        return CONTENT_TYPES["pdf"], encrypted(data) if spec.damage == "encrypted" else data
    if spec.kind == "docx":
        return CONTENT_TYPES["docx"], docx_bytes([line for page in spec.pages for line in page], spec.tables)
    return CONTENT_TYPES["xlsx"], xlsx_bytes(spec.sheets)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
}


def ordinary(path: str, name: str) -> tuple[str, bytes]:
    ext = path.rsplit(".", 1)[-1].lower()
    if ext == "jpg":
        return CONTENT_TYPES["jpg"], bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")
    lines = [f"附件：{name.rsplit('.', 1)[0]}", "本附件为正文所述事项的说明材料，请结合正文阅读。",
             "联系方式：济南市章丘区人民政府办公室，办公电话 0531-83212345。"]
    if ext == "docx":
        return CONTENT_TYPES["docx"], docx_bytes(lines, [])
    if ext == "xlsx":
        return CONTENT_TYPES["xlsx"], xlsx_bytes([("Sheet1", [["序号", "事项"], [1, lines[1]]])])
    return CONTENT_TYPES["pdf"], pdf_bytes([lines])


# ---- PDF ---------------------------------------------------------------------------------------
def _hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode(chars: set) -> bytes:
    codes = sorted(ord(c) for c in chars if ord(c) < 0x10000)
    blocks = []
    for i in range(0, len(codes), 100):
        chunk = codes[i:i + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "".join(f"<{c:04X}> <{c:04X}>\n" for c in chunk) + "endbfchar\n")
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + "".join(blocks) +
            "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode("ascii")


def pdf_bytes(pages: list, image: bool = False) -> bytes:
    """A PDF with one page per list of lines (``image``: one grey image per page, no text)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: str = "") -> bytes:
        packed = zlib.compress(data, 9)
        return f"<< /Length {len(packed)} /Filter /FlateDecode {extra}>>\nstream\n".encode() + packed + b"\nendstream"

    catalog = add(b"")
    tree = add(b"")
    chars = {c for page in pages for line in page for c in line}
    cmap = add(stream(_to_unicode(chars)))
    cid = add(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
              b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 >>")
    font = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
               f"/DescendantFonts [{cid} 0 R] /ToUnicode {cmap} 0 R >>".encode())
    picture = add(stream(bytes((x * 7 + y * 3) % 256 for y in range(64) for x in range(64)),
                         "/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
                         "/BitsPerComponent 8 ")) if image else None
    kids = []
    for lines in pages:
        if image:
            content = b"q 495 0 0 700 50 70 cm /Im1 Do Q"
        else:
            content = ("BT /F1 12 Tf 16 TL 50 790 Td " + " ".join(f"<{_hex(line)}> Tj T*" for line in lines)
                       + " ET").encode("ascii")
        body = add(stream(content))
        resources = f"/XObject << /Im1 {picture} 0 R >>" if image else f"/Font << /F1 {font} 0 R >>"
        kids.append(add(f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 595 842] /Resources << {resources} >> "
                        f"/Contents {body} 0 R >>".encode()))
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {tree} 0 R >>".encode()
    objects[tree - 1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    return build_pdf(objects)


def build_pdf(objects: list[bytes]) -> bytes:
    """A PDF file of these objects (numbered from 1; object 1 is the catalog) with its xref table."""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def encrypted(data: bytes) -> bytes:
    """The PDF with an open password (RC4: pypdf needs no extra library for it)."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    fixed = pypdf.generic.ByteStringObject(b"govaudit-sitesim")
    writer._ID = pypdf.generic.ArrayObject([fixed, fixed])     # fixed file ID: the same bytes each start
    writer.encrypt(user_password="zhangqiu", owner_password="zhangqiu-owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---- DOCX / XLSX -------------------------------------------------------------------------------
def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every member dated 1980-01-01: the same content gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), src.read(info.filename),
                         zipfile.ZIP_DEFLATED)
    return out.getvalue()


def docx_bytes(paragraphs: list, rows: list) -> bytes:
    doc = Document()
    doc.core_properties.created = doc.core_properties.modified = dt.datetime(2023, 1, 1)
    for text in paragraphs:
        doc.add_paragraph(text)
    if rows:
        table = doc.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = str(value)
    out = io.BytesIO()
    doc.save(out)
    return _fixed_zip(out.getvalue())


def xlsx_bytes(sheets: list) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    book.properties.created = book.properties.modified = dt.datetime(2023, 1, 1)
    out = io.BytesIO()
    book.save(out)
    return _fixed_zip(out.getvalue())
