"""Format readers: file bytes in, text with its positions out.  They run in the child process of
``crawler.files.worker`` (time and memory limited), never in the crawl itself.

What a reader returns (``read_file``)::

    {"kind": "pdf", "status": "ok", "detail": "", "pages": 3,
     "parts": [{"where": "第2页", "text": "…"}],             # text in reading order, by position
     "cells": [["名单", 3, 2, "370181…"], …]}                # spreadsheets: sheet, row, column (1-based), value

``status``: ``ok`` (text read) | ``no_text`` (a PDF whose pages carry no text layer: a scan) |
``empty`` (nothing in it) | ``encrypted`` | ``corrupt`` (not the format its name and type say) |
``html`` (a web page served as a file) | ``too_large`` (a zip whose parts would unpack too large:
a zip bomb) | ``not_read`` (a format with no reader here: legacy DOC/WPS without antiword, OFD …).

The format is the content's, not the name's: an OOXML workbook named .et is read as XLSX, an OLE2
file as what its streams say (``Workbook``: BIFF, as WPS 表格 .et files and .xls are;
``WordDocument``: Word 97, as .doc and many WPS 文字 .wps files are); the extension decides only
when the bytes do not.  Archives (zip, rar, 7z) are read member by member with these readers
(``crawler.files.archives``).
"""
from __future__ import annotations

import codecs
import csv
import functools
import io
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pypdf
import xlrd
from docx import Document
from lxml import etree

from crawler.files.archives import ARCHIVE_KINDS, read_archive
from crawler.files.bounds import MAX_PAGES, MAX_TEXT_CHARS, MAX_UNZIPPED, Budget, result

ZIP_KINDS = frozenset({"docx", "xlsx", "odt", "ods"})
OLE_STREAMS = {"workbook": "xls", "book": "xls", "worddocument": "doc"}
MAGIC = ((b"Rar!\x1a\x07", "rar"), (b"7z\xbc\xaf\x27\x1c", "7z"))


def sniff(data: bytes, name: str) -> str:
    """The format by the bytes, falling back on the name's extension."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head[:1].startswith(b"<") and re.search(rb"(?i)<(?:!doctype html|html|head|body)", head):
        return "html"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if data[:4] == b"PK\x03\x04":
        return ext if ext in ZIP_KINDS else _zip_kind(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":       # OLE2: legacy Office, WPS
        return _ole_kind(data) or (ext if ext in ("doc", "xls", "wps", "et", "dps") else "ole")
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    return ext or "unknown"


def _ole_kind(data: bytes) -> str:
    """``xls`` or ``doc`` by the compound file's streams ('' when they do not say or cannot be read)."""
    try:
        names = {d.name.lower() for d in xlrd.compdoc.CompDoc(data, logfile=io.StringIO()).dirlist}
    except Exception:  # noqa: BLE001 - a damaged directory: the extension decides, the reader says corrupt
        return ""
    return next((kind for stream, kind in OLE_STREAMS.items() if stream in names), "")


def _zip_kind(data: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names:                  # 版式文档 OFD (GB/T 33190) is a zip too: no reader here
        return "ofd"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "zip"


def read_file(data: bytes, name: str, content_type: str = "", depth: int = 0, seconds: float = 20) -> dict:
    """The text of one file (see the module doc); never raises for a bad file.  ``depth``: 1 for a
    member of an archive; ``seconds``: the time an archive's members may take to begin."""
    kind = sniff(data, name)
    if kind == "html" or (kind not in ("pdf",) and "text/html" in (content_type or "") and data[:1] == b"<"):
        return result(name.rsplit(".", 1)[-1].lower(), "html", "服务器返回的是网页而不是文件")
    if kind in ZIP_KINDS:
        bomb = _zip_too_large(data)
        if bomb:
            return result(kind, "too_large", bomb)
    if kind in ARCHIVE_KINDS:
        reader = functools.partial(read_archive, kind=kind, read_member=read_file, depth=depth, seconds=seconds)
    elif kind in ("txt", "csv"):
        reader = functools.partial(read_plain, kind=kind, name=name)
    else:
        reader = READERS.get(kind)
    if reader is None:
        return result(kind, "not_read", f"no reader for .{kind}")
    try:
        return reader(data)
    except MemoryError:
        raise
    except RecursionError:
        return result(kind, "corrupt", "object graph nested too deeply")
    except Exception as exc:  # noqa: BLE001 - any failure of a reader on hostile bytes is a fact
        return result(kind, "corrupt", f"{type(exc).__name__}: {exc}")


def _zip_too_large(data: bytes) -> str:
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        return ""       # the reader says it is corrupt
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        return f"zip members unpack to {total} bytes (limit {MAX_UNZIPPED})"
    return ""


def read_pdf(data: bytes) -> dict:
    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                return result("pdf", "encrypted", "需要密码才能打开")
        except Exception as exc:  # noqa: BLE001 - unsupported encryption
            return result("pdf", "encrypted", f"{type(exc).__name__}: {exc}")
    budget, parts = Budget(), []
    count = len(reader.pages)
    for n, page in enumerate(reader.pages[:MAX_PAGES], 1):
        text = budget.text((page.extract_text() or "").strip())
        if text:
            parts.append({"where": f"第{n}页", "text": text})
        if budget.cut:
            break
    if count == 0:
        return result("pdf", "empty", "no pages", pages=0)
    status = "ok" if parts else "no_text"
    return result("pdf", status, "cut off" if budget.cut else "", pages=count, parts=parts)


def read_docx(data: bytes) -> dict:
    doc = Document(io.BytesIO(data))
    budget, lines = Budget(), []
    for para in doc.paragraphs:
        if para.text.strip():
            lines.append(budget.text(para.text.strip()))
    parts = [{"where": "正文", "text": "\n".join(lines)}] if lines else []
    for t, table in enumerate(doc.tables, 1):
        rows = []
        for row in table.rows:
            cells = [budget.text(c.text.strip()) for c in row.cells]
            rows.append("\t".join(cells))
            if budget.cut:
                break
        if any(r.strip() for r in rows):
            parts.append({"where": f"表格{t}", "text": "\n".join(rows)})
    return result("docx", "ok" if parts else "empty", "cut off" if budget.cut else "", parts=parts)


def _sheet_parts(kind: str, sheets) -> dict:
    """``sheets``: (name, rows of values); text by sheet and the cells with their positions."""
    budget, parts, cells = Budget(), [], []
    for name, rows in sheets:
        lines = []
        for r, row in enumerate(rows, 1):
            values = []
            for c, value in enumerate(row, 1):
                text = _cell_text(value)
                if text and budget.cell():
                    cells.append([name, r, c, text])
                values.append(text)
            if any(values):
                lines.append(budget.text("\t".join(values)))
            if budget.cut:
                break
        if lines:
            parts.append({"where": f"工作表“{name}”", "text": "\n".join(lines)})
        if budget.cut:
            break
    return result(kind, "ok" if cells else "empty", "cut off" if budget.cut else "", parts=parts, cells=cells)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)        # an ID typed as a number shows without ".0"
    return str(value).strip()


def read_xlsx(data: bytes) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return _sheet_parts("xlsx", ((ws.title, ws.iter_rows(values_only=True)) for ws in book.worksheets))
    finally:
        book.close()


def read_xls(data: bytes) -> dict:
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except xlrd.biffh.XLRDError as exc:
        status = "encrypted" if "encrypt" in str(exc).lower() else "corrupt"
        return result("xls", status, str(exc))
    sheets = ((s.name, (s.row_values(r) for r in range(s.nrows))) for s in book.sheets())
    return _sheet_parts("xls", sheets)


def _odf_text(data: bytes, kind: str) -> dict:
    """ODT/ODS: the text of content.xml, paragraph by paragraph (ODS: row by row, no cells)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("content.xml"), etree.XMLParser(resolve_entities=False, huge_tree=False))
    ns = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
          "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0"}
    budget = Budget()
    if kind == "ods":
        lines = ["\t".join("".join(c.itertext()).strip() for c in row.iterfind(".//table:table-cell", ns))
                 for row in root.iterfind(".//table:table-row", ns)]
    else:
        lines = ["".join(p.itertext()).strip() for p in root.iterfind(".//text:p", ns)]
    text = budget.text("\n".join(line for line in lines if line.strip()))
    return result(kind, "ok" if text else "empty", parts=[{"where": "正文", "text": text}] if text else [])


def read_doc(data: bytes, kind: str = "doc") -> dict:
    """Legacy Word (and WPS, which antiword often reads) through antiword, when installed."""
    antiword = shutil.which("antiword")
    if antiword is None:
        return result(kind, "not_read", "antiword not installed")
    done = subprocess.run([antiword, "-m", "UTF-8.txt", "-"], input=data, capture_output=True, timeout=60, check=False)
    text = done.stdout.decode("utf-8", "replace").strip()
    if done.returncode != 0 or not text:
        return result(kind, "not_read", done.stderr.decode("utf-8", "replace").strip()[:200] or "antiword read nothing")
    return result(kind, "ok", parts=[{"where": "正文", "text": Budget().text(text)}])


def decoded(data: bytes) -> str:
    """Plain text as Chinese offices write it: UTF-8 (with or without BOM), UTF-16 with BOM, else GBK."""
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    for bom, encoding in boms:
        if data.startswith(bom):
            return data.decode(encoding, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")


def read_plain(data: bytes, kind: str, name: str) -> dict:
    """TXT: the text; CSV: its cells, as a sheet named after the file."""
    text = decoded(data[:MAX_TEXT_CHARS * 4])
    if kind == "csv":
        sheet = name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "Sheet1"
        return _sheet_parts("csv", [(sheet, csv.reader(io.StringIO(text, newline="")))])
    text = Budget().text(text.strip())
    return result(kind, "ok" if text else "empty", parts=[{"where": "正文", "text": text}] if text else [])


READERS = {
    "pdf": read_pdf, "docx": read_docx, "xlsx": read_xlsx, "xls": read_xls,
    "odt": lambda d: _odf_text(d, "odt"), "ods": lambda d: _odf_text(d, "ods"),
    "doc": read_doc, "wps": lambda d: read_doc(d, "wps"), "et": read_xls,
}
