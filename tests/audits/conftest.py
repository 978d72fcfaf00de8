"""Small hand-built snapshots: rows inserted into a temporary SQLite through govaudit.core.storage."""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools

import pytest
from sqlalchemy import insert

from audits.config import merged_config
from audits.registry import get
from audits.runner import audit_scan
from audits.snapshot import Snapshot
from audits.textfacts import parse_date
from govaudit.core import storage

SITE = "http://site.test/"
POLICY_FIELDS = {
    "索引号": "11370181004205062T/2023-0000001", "主题分类": "综合政务", "发文机关": "区政府办公室",
    "发文字号": "章政办发〔2023〕1号", "成文日期": "2023-05-04", "发布日期": "2023-05-06", "有效性": "有效",
}


class SnapshotBuilder:
    """Insert one scan's rows with terse calls; ``findings(rule, as_of)`` runs one rule on them."""

    _serial = itertools.count(1)

    def __init__(self, engine, start_url: str = SITE, **scan):
        self.engine = engine
        with engine.begin() as conn:
            self.scan_id = conn.execute(insert(storage.scan).values(
                start_url=start_url, started_at="2023-11-30T02:00:00+08:00",
                **{"site_name": "济南市章丘区人民政府", "status": "complete", **scan})).inserted_primary_key[0]
        self.start_url = start_url

    def _add(self, table, **row):
        with self.engine.begin() as conn:
            conn.execute(insert(table).values(scan_id=self.scan_id, **row))

    def unit(self, name, kind="department", code=None, home_url=None):
        self._add(storage.unit, name=name, kind=kind, code=code, home_url=home_url)
        return self

    def column(self, url, name, parent=None, unit=None, section="gongkai", kind="list", is_leaf=True,
               placeholder=False, placeholder_text=None, http_status=200, overrides=None, path=None,
               item_count=0, list_style=None, shown_lines=None, nav=None):
        self._add(storage.column, url=url, name=name, parent_url=parent, unit=unit, section=section, kind=kind,
                  is_leaf=is_leaf, placeholder=placeholder, placeholder_text=placeholder_text,
                  http_status=http_status, overrides=overrides, path=path or name, item_count=item_count,
                  list_style=list_style, shown_lines=shown_lines, nav=nav)
        return self

    def item(self, column_url, url, title="某条信息", date=None, full_title=None, position=None):
        self._add(storage.list_item, column_url=column_url, url=url, title=title, full_title=full_title or title,
                  date=date, date_raw=date or "", position=position if position is not None else next(self._serial))
        return self

    def doc(self, url, title, fields=None, unit=None, column_url=None, publish_date=None, written_date=None,
            body_text="", is_interpretation=False, http_status=200, metas=None, attachments=None, final_url=None):
        fields = dict(fields or {})
        if publish_date is None and parse_date(fields.get("发布日期")):
            publish_date = parse_date(fields["发布日期"]).isoformat()
        if written_date is None and parse_date(fields.get("成文日期")):
            written_date = parse_date(fields["成文日期"]).isoformat()
        self._add(storage.document, url=url, title=title, fields=fields, fields_raw=[[k, v] for k, v in fields.items()],
                  unit=unit, column_url=column_url, publish_date=publish_date, written_date=written_date,
                  body_text=body_text, is_interpretation=is_interpretation, http_status=http_status,
                  metas=metas or {}, attachments=attachments or [], final_url=final_url or url)
        return self

    def listed_doc(self, column_url, url, title, date=None, **doc):
        """A document and its list entry (the usual case)."""
        if date is None:
            shown = parse_date((doc.get("fields") or {}).get("发布日期"))
            date = shown.isoformat() if shown else None
        self.item(column_url, url, title=title, date=date)
        return self.doc(url, title, column_url=column_url, **doc)

    def relation(self, src, dst, kind="interpretation", anchor=""):
        self._add(storage.relation, src_url=src, dst_url=dst, kind=kind, anchor=anchor)
        return self

    def link(self, url, status=None, outcome="ok", sources=(), on_homepage=False, is_attachment=False,
             tag="a", detail="", signals=None):
        self._add(storage.link, url=url, status=status, outcome=outcome, is_attachment=is_attachment,
                  detail=detail, method="GET", checked_at="2023-11-30T03:00:00+08:00", signals=signals)
        for s in sources:
            self._add(storage.link_source, target_url=url, source_url=s, anchor="链接", tag=tag,
                      on_homepage=on_homepage and s == self.start_url)
        return self

    def page(self, url, kind="document", status=200, facts=None):
        self._add(storage.page, url=url, kind=kind, status=status, facts=facts or {})
        return self

    def fetch_error(self, url, referer=None, status=None, error="timeout"):
        self._add(storage.fetch_error, url=url, referer=referer, status=status, error=error)
        return self

    def attachment(self, url, document_url, name="附件.pdf", kind="pdf", read_status="ok", parts=(), cells=(),
                   pages=None, status=200, outcome="fetched", members=None):
        """A file a document links to, and what reading it gave (its text stored by sha256)."""
        sha = hashlib.sha256(repr((kind, read_status, parts, cells, pages, members)).encode()).hexdigest()
        self._add(storage.attachment, url=url, document_url=document_url, name=name, status=status,
                  outcome=outcome, sha256=sha, size=1000)
        with self.engine.begin() as conn:
            if not conn.execute(storage.attachment_text.select().where(storage.attachment_text.c.sha256 == sha)).first():
                conn.execute(insert(storage.attachment_text).values(
                    sha256=sha, kind=kind, status=read_status, detail="", pages=pages, parts=list(parts),
                    cells=[list(c) for c in cells], reader="1", members=members))
        return self

    def snapshot(self) -> Snapshot:
        return Snapshot.load(self.engine, self.scan_id)

    def findings(self, rule_id: str, as_of, **overrides):
        as_of = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
        config = merged_config(overrides)
        return list(get(rule_id).check(self.snapshot(), config, as_of))

    def audit(self, as_of, overrides=None) -> dict:
        """findings.json of an audit, its findings read back as one list (audit_scan leaves them
        in the database, to be read when iterated)."""
        as_of = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
        doc = audit_scan(self.engine, self.scan_id, as_of, overrides or {})
        return {**doc, "findings": list(doc["findings"])}


@pytest.fixture
def engine(tmp_path):
    return storage.connect(str(tmp_path / "snap.db"))


@pytest.fixture
def site(engine):
    return SnapshotBuilder(engine)


def keys(findings):
    """(check, url, field) of each finding, sorted: what the manifest compares."""
    return sorted((f.check, f.url, f.field) for f in findings)
