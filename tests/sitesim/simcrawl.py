"""A small, independent crawler for the simulator tests.

It knows nothing of sitesim's internals: it fetches over HTTP, reads robots.txt, parses the
pages with lxml and follows the paging idioms real sites use (plain links, TRS
``createPageHTML``, Hanweb ``<datastore>`` + ``dataproxy.jsp``, JS shells naming a data URL).
"""
from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from lxml import html as lhtml

from tests.conftest import AS_OF  # noqa: F401  (the tests' fixed "today", imported from here by the sitesim tests)

SYNONYMS = {"发布机构": "发文机关", "发文单位": "发文机关", "来源机关": "发文机关", "文号": "发文字号", "发文号": "发文字号",
            "发文日期": "发布日期", "发布时间": "发布日期", "分类": "主题分类", "主题": "主题分类", "时效": "有效性",
            "有效期状态": "有效性", "责任部门": "发文机关", "发布单位": "发文机关", "生成日期": "成文日期",
            "形成日期": "成文日期"}
DATE_LINE = {"时间": "发布日期"}     # a bare 时间： in the article's tool line
CANONICAL = {"索引号", "主题分类", "发文机关", "发文字号", "成文日期", "发布日期", "有效性"}
SOFT404_WORDS = ("页面不存在", "找不到", "无法找到", "错误页面")
DATE_RE = re.compile(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})")
PLACEHOLDERS = ("暂无信息", "正在建设中", "暂无数据")


@dataclass
class Fetched:
    url: str
    status: int
    ctype: str
    body: bytes

    @property
    def text(self) -> str:
        m = re.search(r"charset=([\w-]+)", self.ctype)
        enc = (m.group(1) if m else "utf-8").lower()
        return self.body.decode("gb18030" if enc in ("gb2312", "gbk") else enc, "replace")

    @property
    def soft404(self) -> bool:
        return self.status == 200 and len(self.body) < 2048 and any(w in self.text for w in SOFT404_WORDS)


def fetch(url: str, data: bytes | None = None) -> Fetched:
    req = urllib.request.Request(url, data=data, headers={"User-Agent": "govaudit-tests"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return Fetched(url, r.status, r.headers.get("Content-Type", ""), r.read())
    except urllib.error.HTTPError as e:
        return Fetched(url, e.code, e.headers.get("Content-Type", ""), e.read())


def norm_label(label: str) -> str:
    label = re.sub(r"[\s\u3000：:]", "", label)
    return SYNONYMS.get(label, label)


def parse_date(text: str):
    m = DATE_RE.search(text or "")
    if not m:
        return None
    try:
        return dt.date(*map(int, m.groups()))
    except ValueError:
        return None


def extract_fields(tree) -> dict:
    """Visible label/value metadata, in the layouts real platforms use."""
    out: dict = {}

    def put(label, value):
        key = norm_label(label)
        if key in CANONICAL and key not in out:
            out[key] = value.replace("\xa0", " ").strip()

    for td in tree.xpath("//table[contains(@class,'xxgk_table') or contains(@class,'info-table')]//td"):
        label = td.text_content().strip()
        if label.endswith("："):
            nxt = td.getnext()
            put(label, nxt.text_content() if nxt is not None else "")
    for p in tree.xpath("//div[contains(@class,'xxgk-top')]//p[strong]"):
        put(p.xpath("string(strong)"), p.text_content().split("：", 1)[1] if "：" in p.text_content() else "")
    for li in tree.xpath("//ul[contains(@class,'xxgk-info')]/li"):
        spans = li.xpath("span")
        put(spans[0].text_content(), spans[1].text_content() if len(spans) > 1 else "")
    for dt_ in tree.xpath("//dl[contains(@class,'meta-dl')]/dt"):
        dd = dt_.getnext()
        put(dt_.text_content(), dd.text_content() if dd is not None else "")
    for span in tree.xpath("//div[contains(@class,'doc-tools')]/span"):
        label, _, value = span.text_content().partition("：")
        put(DATE_LINE.get(label.strip(), label), value)
    return out


@dataclass
class Crawl:
    start: str
    pages: dict = field(default_factory=dict)         # url -> Fetched (HTML pages)
    data: dict = field(default_factory=dict)          # data endpoint url -> Fetched
    columns: dict = field(default_factory=dict)       # list url -> {"entries": [...], "placeholder": str|None}
    links: dict = field(default_factory=dict)         # target -> first source
    home_links: set = field(default_factory=set)
    disallowed: list = field(default_factory=list)
    requested: list = field(default_factory=list)
    _docs: dict = field(default_factory=dict, repr=False)

    def absolute(self, base: str, href: str) -> str | None:
        href = (href or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            return None
        url = urllib.parse.urljoin(base, href).split("#")[0]
        return url if url.startswith(self.start) else None

    def allowed(self, url: str) -> bool:
        path = urllib.parse.urlsplit(url).path
        return not any(path.startswith(p) for p in self.disallowed)

    def get(self, url: str, data: bytes | None = None) -> Fetched:
        assert self.allowed(url), url
        self.requested.append(url)
        return fetch(url, data)

    def run(self, workers: int = 8):
        robots = fetch(self.start + "robots.txt").text
        self.disallowed = [ln.split(":", 1)[1].strip() for ln in robots.splitlines() if ln.lower().startswith("disallow:")]
        todo, seen = [self.start], {self.start}
        with cf.ThreadPoolExecutor(workers) as pool:
            while todo:
                batch, todo = todo, []
                for url, res in zip(batch, pool.map(self.get, batch)):
                    for nxt in self.process(url, res):
                        if nxt not in seen and self.allowed(nxt):
                            seen.add(nxt)
                            todo.append(nxt)
        return self

    # ------------------------------------------------------------------ one page
    def process(self, url: str, res: Fetched) -> list[str]:
        if res.status != 200 or "html" not in res.ctype or res.soft404:
            return []
        self.pages[url] = res
        tree = lhtml.fromstring(res.body, parser=lhtml.HTMLParser(encoding=self.encoding(res)))
        out = []
        for el in tree.xpath("//a[@href]|//img[@src]|//link[@href]|//script[@src]"):
            target = self.absolute(url, el.get("href") or el.get("src"))
            if target:
                self.links.setdefault(target, url)
                if url == self.start:
                    self.home_links.add(target)
                if el.tag == "a":
                    out.append(target)
        entries, placeholder, more = self.list_entries(url, tree, res)
        if entries is not None:
            col = self.columns.setdefault(self.column_of(url), {"entries": [], "placeholder": None})
            col["entries"] += entries
            col["placeholder"] = col["placeholder"] or placeholder
            for e in entries:
                self.links.setdefault(e["url"], url)
                out.append(e["url"])
            out += more
        return out

    @staticmethod
    def encoding(res: Fetched) -> str:
        m = re.search(r"charset=([\w-]+)", res.ctype)
        enc = (m.group(1) if m else "utf-8").lower()
        return "gb18030" if enc in ("gb2312", "gbk") else enc

    @staticmethod
    def column_of(url: str) -> str:
        url = re.sub(r"\?pageNo=\d+$", "", url)
        return re.sub(r"index(_\d+){0,2}\.html$", "", url) if "/gongkai/" in url else url

    def list_entries(self, url, tree, res):
        """Entries of a list page, whatever the idiom; None when the page is not a list."""
        placeholder = next((w for w in PLACEHOLDERS if tree.xpath(f"//div[@class='no-data'][contains(.,'{w}')]")), None)
        box = tree.xpath("//div[contains(@class,'gk-right') or contains(@class,'pr')]")
        if not box or tree.xpath("//ul[contains(@class,'sub-cols')]") or tree.xpath("//form[contains(@class,'search')]"):
            return None, None, []
        box = box[0]
        scripts = " ".join(box.xpath(".//script/text()"))
        xml = box.xpath(".//script[@type='text/xml']/text()")
        if xml:
            return self.datastore(url, xml[0], scripts), placeholder, []
        m = re.search(r'"(/[^"]+\?[^"]*page=1[^"]*)"', scripts)
        if m:
            return self.endpoint(url, m.group(1)), placeholder, []
        entries = [self.entry(url, a, a.getparent()) for a in box.xpath(".//ul[@class='list']/li/a|.//table//td/a|.//div[@class='list-box']/ul/li/a")]
        more = []
        m = re.search(r"createPageHTML\((\d+),\s*(\d+)", scripts)
        if m and int(m.group(2)) == 0:
            more = [urllib.parse.urljoin(url, f"index_{i}.html") for i in range(1, int(m.group(1)))]
        return entries, placeholder, more

    def entry(self, base, a, row):
        text = row.getparent().text_content() if row.tag == "td" else row.text_content()
        return {"url": self.absolute(base, a.get("href")), "title": a.text_content(), "full_title": a.get("title") or "",
                "date": parse_date(text.replace(a.text_content(), ""))}

    def datastore(self, url, xml, scripts):
        entries = self.records(url, xml)
        total = int(re.search(r"totalRecord:\s*(\d+)", scripts).group(1))
        per = int(re.search(r"perPage:\s*(\d+)", scripts).group(1))
        colid = re.search(r"columnid:\s*(\d+)", scripts).group(1)
        unitid = re.search(r'unitid:\s*"(\d+)"', scripts).group(1)
        start = len(entries) + 1
        while start <= total:
            end = start + per * 3 - 1
            proxy = f"{self.start}module/web/jpage/dataproxy.jsp?startrecord={start}&endrecord={end}&perpage={per}"
            body = f"col=1&appid=1&webid=1&path=/&columnid={colid}&sourceContentType=1&unitid={unitid}&permissiontype=0"
            res = self.get(proxy, body.encode())
            self.data[f"{proxy}#{colid}"] = res
            entries += self.records(url, res.text)
            start = end + 1
        return entries

    def records(self, base, xml):
        out = []
        for rec in re.findall(r"<record><!\[CDATA\[(.*?)\]\]></record>", xml, re.S):
            li = lhtml.fragment_fromstring(rec)
            a = li.xpath(".//a")[0]
            out.append(self.entry(base, a, li))
        return out

    def endpoint(self, base, path):
        entries, page = [], 1
        while True:
            url = self.absolute(base, re.sub(r"page=1(?=&|$)", f"page={page}", path))
            res = self.get(url)
            self.data[url] = res
            if "json" in res.ctype:
                doc = json.loads(res.body)
                for d in doc["data"]:
                    entries.append({"url": self.absolute(base, d["url"]), "title": d["title"], "full_title": d["title"],
                                    "date": parse_date(d["publishDate"])})
                pages = doc["pages"]
            else:
                frag = lhtml.fromstring(res.body, parser=lhtml.HTMLParser(encoding=self.encoding(res)))
                entries += [self.entry(base, a, a.getparent()) for a in frag.xpath("//li/a")]
                pages = int(frag.xpath("string(//div[@class='page-info']/@data-pages)"))
            if page >= pages:
                return entries
            page += 1

    # ------------------------------------------------------------------ documents
    def document(self, url: str) -> dict:
        if url not in self._docs:
            self._docs[url] = self._document(url)
        return self._docs[url]

    def _document(self, url: str) -> dict:
        res = self.pages[url]
        tree = lhtml.fromstring(res.body, parser=lhtml.HTMLParser(encoding=self.encoding(res)))
        rel = lambda cls: [self.absolute(url, h) for h in tree.xpath(f"//div[@class='{cls}']//a/@href")]  # noqa: E731
        return {"title": tree.xpath("string(//h1[@class='doc-title'])"), "fields": extract_fields(tree),
                "interps": rel("related-jd"), "originals": rel("related-doc"),
                "text": tree.xpath("string(//div[@id='zoom'])"), "tree": tree,
                "metas": {m.get("name"): m.get("content") for m in tree.xpath("//meta[@name]")}}
