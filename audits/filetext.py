"""Attachments for the rules: the files documents link to, with what reading them gave, and their
text (``files_with_text``), so a rule that judges text (privacy_leak, and any later one) reads
attachments without code of its own; page bodies come from ``audits.texts``.

The crawler stored each file once per scan and document (``snapshot.attachments``) and what
reading it gave once per content (``snapshot.attachment_texts``, by sha256).  Its text is not in
the frames (a file may have 2·10⁶ characters, and a county site has thousands of files): it is read
``FILE_BATCH`` files at a time, ``parts`` [{where, text}] (pages of a PDF, the body and tables of a
DOCX, sheets of a spreadsheet) and ``cells`` [[sheet, row, col, value]] of a spreadsheet.  An
archive's (zip, rar, 7z) parts carry ``member``, its cells the member
as a fifth value, and ``members`` says what reading each member gave; a finding names a member as
``名单.zip › 附件1.xlsx`` (``member_name``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

import pandas as pd
from sqlalchemy import select

from audits.docparts import document_rows
from audits.snapshot import FILE_TEXT
from audits.texts import document_texts
from audits.views import link_verdicts
from govaudit.core import storage

ATTACHMENT_COLUMNS = ["url", "name", "document_url", "title", "unit", "column", "column_url", "http_status",
                      "outcome", "size", "sha256", "kind", "read_status", "detail", "pages", "link_broken",
                      "members"]
MEMBER_SEP = " › "
# Files whose text is read per query (and held at once): a few MB of text for real-site files.
FILE_BATCH = 50


def file_name(a) -> str:
    """The name an attachment row goes by in a message: its link text, else its URL's last part."""
    name = a["name"]
    return name if isinstance(name, str) and name else a["url"].rsplit("/", 1)[-1]


def member_name(a, members) -> str:
    """``名单.zip › 附件1.xlsx``: the attachment, and the archive members named (if any)."""
    members = [m for m in dict.fromkeys(members) if m]
    return file_name(a) + (MEMBER_SEP + "、".join(members) if members else "")


def attachment_view(snapshot, config: dict) -> pd.DataFrame:
    """One row per attachment URL: its linking document (the first read one, by URL), the answer
    and what reading it gave (``read_status``: ok, no_text, empty, encrypted, corrupt, html,
    too_large, not_read, timeout, cpu_limit, memory, crashed; None: not read)."""
    return snapshot.memo(("attachments", id(config)), lambda: _attachment_view(snapshot, config))


def _attachment_view(snapshot, config: dict) -> pd.DataFrame:
    # Joined as frames: a 3·10⁵-document site has 4·10⁴ files, and a dict (or a .loc) per row
    # took the audit from 170 to 250 MB.
    files = snapshot.attachments
    docs = document_rows(snapshot, config, files["document_url"],
                         ("title", "unit", "column", "column_url", "fetched_ok"))
    readable = docs[docs["fetched_ok"].astype(bool)] if len(docs) else docs
    files = files[files["document_url"].isin(readable.index)]
    # The first linking document by URL, as a reader would meet it.
    files = files.sort_values(["url", "document_url"], kind="stable").drop_duplicates("url")
    texts = snapshot.attachment_texts
    texts = texts[texts["sha256"].isin(set(files["sha256"].dropna()))].drop_duplicates("sha256", keep="last")
    texts = texts.set_index("sha256")
    read = files["sha256"].isin(texts.index)
    at = files["sha256"].where(read)

    def text_of(name: str) -> pd.Series:
        # As objects before the join (frames made by hand may be typed): no int made a float.
        values = texts[name].astype(object).reindex(at).to_numpy() if name in texts else [None] * len(files)
        return pd.Series(values, index=files.index, dtype=object).where(read.to_numpy(), None)

    def document(name: str) -> list:
        return readable[name].reindex(files["document_url"]).tolist()

    verdicts = link_verdicts(snapshot, config)
    own_detail = files["detail"].where(files["detail"].astype(bool), "")
    detail = text_of("detail")
    frame = pd.DataFrame({
        "url": files["url"].tolist(), "name": files["name"].where(files["name"].astype(bool), "").tolist(),
        "document_url": files["document_url"].tolist(), "title": document("title"), "unit": document("unit"),
        "column": document("column"), "column_url": document("column_url"),
        "http_status": files["status"].astype(object).tolist(), "outcome": files["outcome"].tolist(),
        "size": files["size"].astype(object).tolist(), "sha256": files["sha256"].tolist(),
        "kind": text_of("kind").tolist(), "read_status": text_of("status").tolist(),
        "detail": detail.where(detail.astype(bool), own_detail).tolist(), "pages": text_of("pages").tolist(),
        "link_broken": [verdicts.get(u) == "broken" for u in files["url"]],
        "members": [m if isinstance(m, list) and m else [] for m in text_of("members")],
    }, columns=ATTACHMENT_COLUMNS, dtype=object)
    return frame.set_index("url", drop=False)


def file_texts(snapshot, digests: Iterable[str]) -> Iterator[tuple[str, list, list]]:
    """(sha256, parts, cells) of the files ``digests`` that were read, ``FILE_BATCH`` files a query."""
    digests = list(dict.fromkeys(d for d in digests if isinstance(d, str)))
    held = snapshot.attachment_texts
    if snapshot.engine is None or all(c in held for c in FILE_TEXT):      # frames made with their text
        rows = held[held["sha256"].isin(set(digests))]
        yield from zip(rows["sha256"], rows["parts"], rows["cells"])
        return
    table = storage.attachment_text
    for start in range(0, len(digests), FILE_BATCH):
        with snapshot.engine.connect() as conn:
            rows = conn.execute(select(table.c.sha256, table.c.parts, table.c.cells)
                                .where(table.c.sha256.in_(digests[start:start + FILE_BATCH]))).all()
        yield from rows


def files_with_text(snapshot, config: dict) -> Iterator[tuple[str, pd.Series, list, list]]:
    """(url, row of ``attachment_view``, parts, cells) of every attachment, in the view's order,
    the text of ``FILE_BATCH`` files held at a time (a file not read has no parts and no cells)."""
    files = attachment_view(snapshot, config)
    for start in range(0, len(files), FILE_BATCH):
        batch = files.iloc[start:start + FILE_BATCH]
        texts = {sha: (parts or [], cells or []) for sha, parts, cells in file_texts(snapshot, batch["sha256"])}
        for url, a in batch.iterrows():
            parts, cells = texts.get(a["sha256"], ([], []))
            yield url, a, parts, cells


@dataclass
class JudgedText:
    """What a content check of one document (a 年报, a 指南) reads: its body, and when the body only
    points to an attachment (详见附件), the text of the attachments that were read as well."""
    text: str
    pointer: bool = False                              # the body only points to its attachments
    files: list = field(default_factory=list)          # names of the attachments whose text is in ``text``
    unread: list = field(default_factory=list)         # [(name, reason)] of those not read to text

    @property
    def judged(self) -> bool:
        """False when the body is only a pointer and no attachment of it was read: no verdict."""
        return not self.pointer or bool(self.files)


def judged_texts(snapshot, config: dict, urls, min_chars: int) -> dict[str, JudgedText]:
    """The text each document in ``urls`` is judged on.  A body (whitespace removed) shorter than
    ``min_chars``, or at most ``attachments.pointer_max_chars`` long and saying 详见附件 or the like
    (``attachments.pointer_phrases``), is a pointer: its text is the body followed by the text of
    the document's attachments that were read (``unread`` names the others, with the reason of
    ``attachments.unread_reasons``)."""
    cfg, urls = config["attachments"], set(urls)
    docs = document_rows(snapshot, config, urls, ("attachments",))
    files = snapshot.attachments
    files = files[files["document_url"].isin(urls)]       # the documents asked for, not every file
    read = snapshot.attachment_texts
    texts = {r["sha256"]: r for r in read[read["sha256"].isin(set(files["sha256"].dropna()))].to_dict("records")}
    # Only a pointer's files are read for their text (below): the parts of the others are never asked.
    fetched: dict = {}
    for a in files.to_dict("records"):
        fetched.setdefault(a["document_url"], {})[a["url"]] = a
    out = {}
    for url, body in document_texts(snapshot, set(urls)):
        compact = "".join(body.split())
        pointer = len(compact) < min_chars or (len(compact) <= cfg["pointer_max_chars"]
                                               and any(p in compact for p in cfg["pointer_phrases"]))
        judged = JudgedText(body, pointer)
        if pointer:
            listed = docs.loc[url, "attachments"] if url in docs.index else []
            files = dict(fetched.get(url, {}))
            for a in listed or ():
                if isinstance(a, dict) and a.get("url"):
                    files.setdefault(a["url"], {"url": a["url"], "name": a.get("name"), "outcome": None})
            parts = {sha: p for sha, p, _ in file_texts(snapshot, (a.get("sha256") for a in files.values()))}
            for _, a in sorted(files.items()):
                t = texts.get(a.get("sha256")) or {}
                _add_file(judged, a, {**t, "parts": parts.get(a.get("sha256"))} if t else t, cfg["unread_reasons"])
        out[url] = judged
    return out


def _add_file(judged: JudgedText, a: dict, t: dict, reasons: dict) -> None:
    name = file_name(a)
    parts = [p.get("text") or "" for p in t.get("parts") or []]
    if t.get("status") == "ok" and any(p.strip() for p in parts):
        judged.text += "\n" + "\n".join(parts)
        judged.files.append(name)
        return
    status = a.get("status")
    if status is not None and not pd.isna(status) and int(status) >= 400:
        key = "dead"
    else:
        key = t.get("status") or a.get("outcome") or "not_fetched"
    judged.unread.append((name, reasons.get(key) or reasons["not_read"]))


READ = frozenset({"ok", "no_text", "empty", "corrupt", "encrypted", "html"})   # read to a verdict on the file
LISTED_MAX = 200


def attachment_inventory(snapshot) -> dict:
    """findings.json ``inventory``: files linked (fetched or listed), files read, and the files not
    read with why: ``too_large`` / ``over_total`` (the per-file cap, the scan budget), ``failed``
    (no answer), ``not_read`` (no reader for the format), or a reader limit (``timeout``,
    ``cpu_limit``, ``memory``, ``crashed``).  A dead link (HTTP >= 400) is a broken_link, not here.
    ``archive_members_not_read``: the members of the archives read that gave no text."""
    rows = snapshot.attachments
    if not len(rows):
        return {}
    statuses = dict(zip(snapshot.attachment_texts["sha256"], snapshot.attachment_texts["status"]))
    state: dict = {}
    for url, outcome, sha, status in zip(rows["url"], rows["outcome"], rows["sha256"], rows["status"]):
        if status is not None and not pd.isna(status) and int(status) >= 400:
            state[url] = "dead"
        elif outcome in ("too_large", "over_total", "failed"):
            state.setdefault(url, outcome)
        else:
            read = statuses.get(sha)
            state[url] = "read" if read in READ else (read or "not_read")
    not_read = sorted((u, r) for u, r in state.items() if r not in ("read", "dead"))
    members = _members_not_read(snapshot, {u for u, r in state.items() if r == "read"})
    return {"attachments": len(state), "attachments_read": sum(1 for r in state.values() if r == "read"),
            "attachments_not_read": len(not_read),
            "attachments_not_read_list": [{"url": u, "reason": r} for u, r in not_read[:LISTED_MAX]],
            **({"archive_members_not_read": len(members), "archive_members_not_read_list": members[:LISTED_MAX]}
               if members else {})}


def _members_not_read(snapshot, read_urls: set) -> list[dict]:
    """The members of archives read (a zip whose list was read) that gave no text, with why: a
    .doc without antiword, an archive inside the archive, a scan, a member over the bounds."""
    members = dict(zip(snapshot.attachment_texts["sha256"], snapshot.attachment_texts["members"]))
    out, seen = [], set()
    for url, sha in sorted(zip(snapshot.attachments["url"], snapshot.attachments["sha256"]), key=str):
        if url not in read_urls or url in seen:
            continue
        seen.add(url)
        for m in members.get(sha) or ():
            if m.get("status") not in ("ok", "empty"):
                out.append({"url": url, "member": m.get("name"), "reason": m.get("status")})
    return out


def column_letter(col: int) -> str:
    """1 -> A, 27 -> AA: how a spreadsheet names a column."""
    name = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        name = chr(65 + rest) + name
    return name
