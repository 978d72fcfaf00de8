"""Routing and rendering: path (+ query) -> (status, headers, body bytes).

Pages are rendered on first request and cached, so serving is a dict lookup.  Everything
linked is root-relative: bytes are identical whatever host and port serve them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

from jinja2 import Environment, FileSystemLoader, select_autoescape

from sitesim import catalog as cat, veto
from sitesim.body import body_for, description, pubdate
from sitesim.files import file_body
from sitesim.model import PAGE_SIZE, Column, Doc, Site

HERE = Path(__file__).parent
TRUNCATE = 28
DATASTORE_GROUP = 3          # a Hanweb datastore inlines / returns three pages at a time
SOFT404_PREFIX = "/gongkai/"
# How the 解读 block and the back-link block are labelled, by page template.
REL_LABELS = {"district": ("政策解读", "相关文件"), "table4": ("相关解读", "原文链接"), "spaced": ("政策解读", "相关文件"),
              "pstrong": ("解读文件", "政策原文"), "ullispan": ("相关解读", "相关文件"), "dl": ("政策解读", "原文链接")}  # unknown paths here answer 200 + 页面不存在 (a soft 404)


@dataclass
class Response:
    status: int
    ctype: str
    body: bytes
    etag: str = ""
    location: str = ""          # a redirect's target


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]),
                      trim_blocks=False, lstrip_blocks=False)
    return env


def short(title: str) -> str:
    return title if len(title) <= TRUNCATE else title[:TRUNCATE - 1] + "…"


def fmt_date(day: dt.date | None, style: str) -> str:
    if day is None:
        return ""
    return {"iso": day.isoformat(), "bracket": f"[{day.isoformat()}]", "cn": f"{day.year}年{day.month:02d}月{day.day:02d}日",
            "slash": day.strftime("%Y/%m/%d")}[style]


def spaced(label: str) -> str:
    return " ".join(label) if len(label) == 3 else label


class Pages:
    def __init__(self, site: Site):
        self.site = site
        self.env = _env()
        self.cache: dict = {}
        self.lock = threading.Lock()
        self.routes: dict = {}
        self.api: dict = {}
        self.datastore: dict = {}
        self._index()

    # ------------------------------------------------------------------ routing table
    def _index(self):
        s, r = self.site, self.routes
        r["/"] = r["/index.html"] = ("home", None)
        r["/wza/"] = ("wza", None)
        r["/ghb/"] = ("ghb", None)
        r["/hudong/index.html"] = ("hudong", None)
        r["/robots.txt"] = ("robots", None)
        for name in ("css/main.css", "js/gongkai.js", "js/trs.js", "js/jpage.js"):
            r["/" + name] = ("static", name)
        r["/gongkai/"] = ("unit_home", s.district)
        for u in s.units:
            r[u.home] = ("unit_home", u)
        for col in s.columns:
            r[col.path] = ("column", col)
            if col.style == "trs":
                r[col.path + "index.html"] = ("column", col)
                for i in range(1, self.pages_of(col)):
                    r[f"{col.path}index_{i}.html"] = ("column_page", (col, i))
            if col.style == "maxpage":
                for i in range(1, self.pages_of(col)):
                    r[self.page_path(col, i)] = ("column_page", (col, i))
            if col.style in ("js_json", "js_html"):
                self.api[self.channel_key(col)] = col
            if col.style == "datastore":
                self.datastore[str(col.colid)] = col
        for doc in s.docs:
            r[doc.path] = ("doc", doc)
        for path in s.files:
            r[path] = ("file", path)
        r["/gongkai/front/api/list.json"] = ("api", "json")
        r["/gongkai/front/api/list.html"] = ("api", "html")
        r["/module/web/jpage/dataproxy.jsp"] = ("dataproxy", None)

    @staticmethod
    def channel_key(col: Column) -> str:
        return col.path.rstrip("/").rsplit("channel_", 1)[1]

    def pages_of(self, col: Column) -> int:
        size = PAGE_SIZE.get(col.style, 15)
        return max(1, math.ceil(len(col.entries) / size))

    def page_path(self, col: Column, page: int) -> str:
        """The path of a list's page ``page`` (0: the newest) beyond the column page.  maxpage lists
        number their pages backwards: the column page is number ``pages_of``, the oldest number 1."""
        if col.style == "trs":
            return f"{col.path}index_{page}.html"
        if col.style == "maxpage":
            return f"{col.path}index_{col.colid}_{self.pages_of(col) - page}.html"
        return f"{col.path}?pageNo={page + 1}"

    # ------------------------------------------------------------------ entry point
    def respond(self, method: str, path: str, query: str = "", body: bytes = b"") -> Response:
        special = self.site.special.get(path) or self.site.special.get(f"{path}?{query}" if query else path)
        if special:
            status = special[0]
            if status == "soft404":
                return self.cached(("soft404",), self.soft404)
            return Response(status, "text/html; charset=utf-8",
                            f"<html><body><h1>{status}</h1></body></html>".encode())
        route = self.routes.get(path)
        if route is None:
            if path.startswith(SOFT404_PREFIX):
                return self.cached(("soft404",), self.soft404)
            return Response(404, "text/html; charset=utf-8", b"<html><body><h1>404 Not Found</h1></body></html>")
        kind, obj = route
        params = parse_qs(query)
        if method == "POST" and body:
            params.update(parse_qs(body.decode("utf-8", "replace")))
        if kind == "api":
            return self.api_list(obj, params)
        if kind == "dataproxy":
            return self.dataproxy(params)
        if kind == "column" and obj.style == "plain":
            page = _int(params.get("pageNo", ["1"])[0], 1)
            if not 1 <= page <= self.pages_of(obj):
                return self.cached(("soft404",), self.soft404)
            return self.cached(("plain", path, page), lambda: self.column_page(obj, page - 1))
        return self.cached((kind, path), lambda: self.render(kind, obj))

    def cached(self, key, make) -> Response:
        hit = self.cache.get(key)
        if hit is None:
            hit = make()
            hit.etag = '"' + hashlib.md5(hit.body).hexdigest()[:16] + '"'
            self.cache[key] = hit
        return hit

    # ------------------------------------------------------------------ pages
    def render(self, kind: str, obj) -> Response:
        if kind == "home":
            return self.html(self.home())
        if kind in ("wza", "ghb", "hudong"):
            return self.html(self.simple(kind))
        if kind == "robots":
            lines = ["User-agent: *"] + [f"Disallow: {p}" for p in self.site.robots_disallowed]
            return Response(200, "text/plain; charset=utf-8", ("\n".join(lines) + "\n").encode())
        if kind == "static":
            ctype = "text/css" if obj.endswith(".css") else "application/javascript"
            return Response(200, ctype + "; charset=utf-8", (HERE / "static" / obj.split("/")[-1]).read_bytes())
        if kind == "unit_home":
            return self.html(self.unit_home(obj), obj)
        if kind == "column":
            return self.column_page(obj, 0)
        if kind == "column_page":
            return self.column_page(obj[0], obj[1])
        if kind == "doc":
            return self.html(self.doc_page(obj), obj.unit)
        if kind == "file":
            return self.file(obj)
        raise KeyError(kind)

    def html(self, text: str, unit=None) -> Response:
        if unit is not None and unit.encoding == "gbk":
            # Labelled gb2312 in header and meta, but really GBK (it holds GBK-only characters).
            return Response(200, "text/html; charset=gb2312", text.encode("gbk"))
        return Response(200, "text/html; charset=utf-8", text.encode("utf-8"))

    def common(self, unit=None, **kw) -> dict:
        gbk = unit is not None and unit.encoding == "gbk"
        site_name = unit.name if unit is not None and unit.code else cat.DISTRICT_FULL
        domain = f"http://{cat.HOST_NAME}" + (unit.home if unit is not None else "/")
        base = {"charset": "gb2312" if gbk else "utf-8", "site_name": site_name, "site_domain": domain,
                "site_id_code": cat.SITE_ID_CODE, "today": self.site.as_of.isoformat(), "crumbs": [],
                "expand": None, "related": None, "featured": None,
                "footer_broken": False}
        base.update(kw)
        return base

    def home(self) -> str:
        s = self.site
        blocks = []
        for col in s.portal:
            if col.kind:
                items = [{"path": e.path, "title": e.title, "short": short(e.title), "date": fmt_date(e.date, "iso")}
                         for e in col.entries[:8]]
                blocks.append((col, items))
        return self.env.get_template("home.html").render(
            self.common(title=cat.DISTRICT_FULL, blocks=blocks, extra_links=s.homepage_links,
                        raw_html=veto.home_html(s)))

    def simple(self, kind: str) -> str:
        s = self.site
        if kind == "wza":
            ctx = dict(heading="无障碍浏览", paras=["本网站提供无障碍浏览服务，支持屏幕阅读器、键盘操作、放大镜、高对比度等功能。",
                                                 "快捷键：Alt+1 进入主要内容区，Alt+2 进入导航区。"], links=[("/", "返回首页")])
        elif kind == "ghb":
            items = [(e.path, e.title) for col in s.portal if col.kind for e in col.entries[:3]]
            ctx = dict(heading="关怀版", paras=["大字体、高对比度的关怀版页面，方便老年人浏览。"],
                       links=[("/gongkai/", "政府信息公开")] + items)
        else:
            ctx = dict(heading="互动交流", paras=["区长信箱 · 在线咨询 · 意见征集"], links=[])
        footer_broken = kind == "ghb" and "ghb" in s.counters.get("identity_missing", ())
        return self.env.get_template("simple.html").render(self.common(title=ctx["heading"] + " - " + cat.DISTRICT_FULL,
                                                                       footer_broken=footer_broken, **ctx))

    def roots(self, unit):
        return [c for c in unit.columns if c.parent is None and c.key != "library"]

    def unit_home(self, unit) -> str:
        s = self.site
        groups = None
        if unit.code is None:
            groups = [("部门信息公开", [u for u in s.units if u.kind == "department"]),
                      ("镇街信息公开", [u for u in s.units if u.kind == "town"])]
        return self.env.get_template("gk_home.html").render(self.common(
            unit, title=f"{unit.name} - 政府信息公开", crumbs=self.unit_crumbs(unit), unit_name=unit.name,
            unit_home=unit.home, roots=self.roots(unit), current=None, column_name="政府信息公开",
            with_library=unit.code is None, groups=groups, **self.sidebar(unit, None),
            intro=f"{unit.full_name}政府信息公开平台，提供本单位主动公开的政府信息。"))

    def sidebar(self, unit, col) -> dict:
        """The district's pages show an accordion tree (only the current branch opened), as most
        real platforms do; its home features 政策解读, whose sidebar lists the policy sub-columns
        (县政府文件 …) under a 政策文件 box.  So the crawl meets those columns, and 政策解读's
        siblings, on the 政策解读 page before their real parent: only each column's own
        breadcrumb and highlighted tree item say where it sits."""
        if unit is None or unit.code is not None:
            return {}
        interp = next((c for c in unit.columns if c.key == cat.SIDEBAR_FEATURED), None)
        if col is None:
            return {"expand": [], "featured": [interp] if interp else []}
        out = {"expand": list(col.trail)}
        if col is interp:
            box = next((c for c in unit.columns if c.key == cat.SIDEBAR_RELATED), None)
            out.update(related=box.children if box else [], related_title=box.name if box else "")
        return out

    def unit_crumbs(self, unit) -> list:
        crumbs = [("/gongkai/", "政府信息公开")]
        if unit is not None and unit.code:
            crumbs.append((unit.home, unit.name))
        return crumbs

    def column_crumbs(self, col: Column) -> list:
        if col.section == "portal":
            return [(c.path, c.name) for c in col.trail]
        return self.unit_crumbs(col.unit) + [(c.path, c.name) for c in col.trail]

    def rows(self, col: Column, page: int, size: int) -> list[dict]:
        fmt = col.unit.date_fmt if col.unit else "iso"
        out = []
        for e in col.entries[page * size:(page + 1) * size]:
            href = e.path
            if col.style == "trs" and e.path.startswith(col.path):
                href = "./" + e.path[len(col.path):]
            number = e.doc.fields.get("发文字号", "") if e.doc else ""
            out.append({"href": href, "title": e.title, "short": short(e.title), "date": fmt_date(e.date, fmt),
                        "number": number})
        return out

    def column_page(self, col: Column, page: int) -> Response:
        if col.section == "portal":
            return self.html(self.portal_column(col))
        unit = col.unit
        ctx = self.common(unit, title=f"{unit.name} - {col.name}", crumbs=self.column_crumbs(col), unit_name=unit.name,
                          unit_home=unit.home, roots=self.roots(unit), current=col, column_name=col.name,
                          with_library=unit.code is None, placeholder=col.placeholder, **self.sidebar(unit, col))
        if col.style == "hub":
            return self.html(self.env.get_template("hub.html").render(ctx, children=col.children), unit)
        if col.style in ("js_json", "js_html"):
            fmt = "json" if col.style == "js_json" else "html"
            site_q = f"&siteCode={unit.code}" if unit.code else ""
            url = f"/gongkai/front/api/list.{fmt}?channelId={self.channel_key(col)}{site_q}&page=1&size=15"
            return self.html(self.env.get_template("list_shell.html").render(ctx, fmt=fmt, data_url=url), unit)
        if col.style == "trs":
            size = PAGE_SIZE["trs"]
            return self.html(self.env.get_template("list_trs.html").render(
                ctx, rows=self.rows(col, page, size), pages=self.pages_of(col), cur=page), unit)
        if col.style == "maxpage":
            pages = self.pages_of(col)
            return self.html(self.env.get_template("list_maxpage.html").render(
                ctx, rows=self.rows(col, page, PAGE_SIZE["maxpage"]), pages=pages,
                base=f"{col.path}index_{col.colid}", numbered=[self.page_path(col, i) for i in range(pages - 1, 0, -1)]), unit)
        if col.style == "plain":
            pages, cur = self.pages_of(col), page + 1
            link = lambda n: col.path if n == 1 else f"{col.path}?pageNo={n}"  # noqa: E731
            return self.html(self.env.get_template("list_plain.html").render(
                ctx, rows=self.rows(col, page, PAGE_SIZE["plain"]), total=len(col.entries), pages=pages, cur=cur,
                first=link(1), prev=link(max(1, cur - 1)), next=link(cur + 1), last=link(pages)), unit)
        if col.style == "datastore":
            return self.html(self.datastore_page(col, "gongkai.html", ctx), unit)
        raise ValueError(col.style)

    def record(self, col: Column, e) -> str:
        fmt = col.unit.date_fmt if col.unit else "iso"
        date = fmt_date(e.date, fmt)
        t = self.env.from_string('<li><a href="{{ p }}" title="{{ t }}" target="_blank">{{ s }}</a>'
                                 '{% if d %}<span class="bt-data-time">{{ d }}</span>{% endif %}</li>')
        return t.render(p=e.path, t=e.title, s=short(e.title), d=date)

    def datastore_page(self, col: Column, base: str, ctx: dict) -> str:
        per = PAGE_SIZE["datastore"]
        records = [self.record(col, e) for e in col.entries[:per * DATASTORE_GROUP]]
        return self.env.get_template("list_datastore.html").render(
            ctx, base_template=base, records=records, total=len(col.entries), per_page=per, columnid=col.colid,
            unitid=str(col.colid + 180000))

    def portal_column(self, col: Column) -> str:
        siblings = col.parent.children if col.parent else [c for c in self.site.portal]
        ctx = self.common(None, title=f"{col.name} - {cat.DISTRICT_FULL}", crumbs=self.column_crumbs(col),
                          column_name=col.name, parent_name=col.parent.name if col.parent else None,
                          siblings=siblings, placeholder=col.placeholder)
        if col.style == "hub":
            return self.env.get_template("portal_hub.html").render(ctx, children=col.children)
        return self.datastore_page(col, "portal_list.html", ctx)

    def doc_page(self, doc: Doc) -> str:
        col = doc.home
        unit = doc.unit
        body = body_for(doc, self.site.seed)
        labels = (unit or self.site.district).labels
        fields = [{"label": labels[k], "spaced": spaced(labels[k]), "value": v, "nbsp": k in doc.body.get("nbsp", ())}
                  for k, v in doc.fields.items()]
        rel = REL_LABELS[(unit.layout if unit else "district")]
        date_value = doc.fields.get("发布日期")
        template = "B" if doc.template in ("B", "portal") else "A"
        unit_name = unit.name if unit else cat.DISTRICT_FULL
        ctx = self.common(unit, title=f"{unit_name} - {col.name} - {doc.title}", crumbs=self.column_crumbs(col),
                          column_name=col.name, unit_name=unit_name, doc=doc, pubdate=pubdate(doc),
                          keywords=doc.title[:10], description=description(body),
                          canonical=f"http://{cat.HOST_NAME}{doc.path}", template=template,
                          layout=(unit or self.site.district).layout, fields=fields, body=body,
                          attachments=doc.attachments, attach_first=doc.body.get("attach_first", False),
                          interps=doc.interp_links, originals=doc.original_links, interp_label=rel[0],
                          original_label=rel[1], date_label=doc.body.get("date_label", "发布日期"),
                          date_value=date_value or "",
                          hidden_meta=cat.FIELD_ORDER if unit and unit.name in cat.HIDDEN_META_UNITS else (),
                          jd_frame=bool(unit and unit.name in cat.JD_FRAME_UNITS),
                          raw_html=doc.body.get("raw_html", ""))
        if template == "B" and date_value is None:
            ctx["date_label"] = "浏览次数"
        return self.env.get_template("doc.html").render(ctx)

    def soft404(self) -> Response:
        return Response(200, "text/html; charset=utf-8", (HERE / "templates" / "soft404.html").read_bytes())

    def file(self, path: str) -> Response:
        ctype, body = file_body(path, self.site.files[path])     # real files (sitesim/files.py)
        return Response(200, ctype, body)

    # ------------------------------------------------------------------ data endpoints
    def api_list(self, fmt: str, params: dict) -> Response:
        col = self.api.get(params.get("channelId", [""])[0])
        page = max(1, _int(params.get("page", ["1"])[0], 1))
        size = min(100, max(1, _int(params.get("size", ["15"])[0], 15)))
        if col is None:
            return Response(404, "application/json; charset=utf-8", b'{"code":404,"msg":"channel not found"}')
        entries = col.entries[(page - 1) * size: page * size]
        total = len(col.entries)
        pages = max(1, math.ceil(total / size))
        if fmt == "json":
            data = [{"title": e.title, "url": e.path, "publishDate": e.date.isoformat() if e.date else "",
                     "fileNum": e.doc.fields.get("发文字号", "") if e.doc else "",
                     "indexNum": e.doc.fields.get("索引号", "") if e.doc else ""} for e in entries]
            doc = {"code": 200, "total": total, "page": page, "size": size, "pages": pages, "data": data}
            return Response(200, "application/json; charset=utf-8",
                            json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        rows = [{"href": e.path, "title": e.title, "short": short(e.title),
                 "date": fmt_date(e.date, col.unit.date_fmt)} for e in entries]
        html = self.env.from_string(
            '<ul class="list">{% for r in rows %}<li><a href="{{ r.href }}" title="{{ r.title }}" target="_blank">'
            '{{ r.short }}</a><span class="date">{{ r.date }}</span></li>{% endfor %}</ul>'
            '<div class="page-info" data-total="{{ total }}" data-page="{{ page }}" data-size="{{ size }}" '
            'data-pages="{{ pages }}">共{{ total }}条记录　第{{ page }}/{{ pages }}页</div>').render(
            rows=rows, total=total, page=page, size=size, pages=pages)
        return Response(200, "text/html; charset=utf-8", html.encode("utf-8"))

    def dataproxy(self, params: dict) -> Response:
        col = self.datastore.get(params.get("columnid", [""])[0])
        if col is None:
            return Response(200, "text/xml; charset=utf-8", b"<datastore><totalrecord>0</totalrecord></datastore>")
        per = max(1, min(300, _int(params.get("perpage", ["15"])[0], 15)))
        if "startrecord" in params:
            start = max(1, _int(params["startrecord"][0], 1))
            end = _int(params.get("endrecord", [str(start + per * DATASTORE_GROUP - 1)])[0], start)
        else:
            page = max(1, _int(params.get("page", ["1"])[0], 1))
            start, end = (page - 1) * per + 1, page * per
        end = min(end, start + 300 - 1)
        records = [self.record(col, e) for e in col.entries[start - 1:end]]
        total = len(col.entries)
        xml = ('<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>%d</totalrecord><totalpage>%d</totalpage>'
               "<recordset>%s</recordset></datastore>") % (
            total, max(1, math.ceil(total / per)), "".join(f"<record><![CDATA[{r}]]></record>" for r in records))
        return Response(200, "text/xml; charset=utf-8", xml.encode("utf-8"))


def _int(value: str, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
