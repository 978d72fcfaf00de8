"""Planted veto items (issue 14): 严重表述错误 and 暗链, each with a control next to it.

``plant(planter)`` edits the site model (document bodies, the homepage); ``defects(site, add)``
derives the manifest entries from what was planted, so the manifest states what is served.

严重表述错误: a pinyin variant of a leader's name (习进平), of the 国名 (中华人民共合国), of a
street's name (明水街到); an organ name with a character dropped (济南市章丘人民政府); reviewed wrong
forms (攻府, 秸杆); an outdated agency name (国土资源局) after the 2019 reform date.  Controls: the
right forms on the same page, the old name on a page published before the reform date and after
原, a sentence correcting a wrong form (“攻府”应为“政府”).

暗链: hidden gambling links (display:none, off-screen by a <style> rule, document.write on the
homepage) to hosts under .invalid (RFC 6761: they never resolve, so they are also dead links).
Controls: the same markup hiding the site's own links and a *.gov.cn link.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from sitesim.catalog import EXTERNAL_HOSTS

OLD, OTHER = EXTERNAL_HOSTS

REFORM = dt.date(2019, 6, 30)

WORDING = [
    # (unit, column key, paragraph, wrong forms planted)
    ("区教体局", "tzgg", "会议传达学习了总书记习进平的重要讲话精神。习近平总书记强调，要办好人民满意的教育。", ("习进平",)),
    (None, "zqyw", "全区各界庆祝中华人民共合国成立74周年。中华人民共和国国旗在广场升起。", ("中华人民共合国",)),
    ("明水街道", "tzgg", "明水街到办事处组织开展文明城市创建志愿服务活动，明水街道党工委参加。", ("明水街到",)),
    ("区人社局", "tzgg", "济南市章丘人民政府办公室转发了有关通知，请济南市章丘区人民政府各部门认真落实。", ("济南市章丘人民政府",)),
    ("区文旅局", "tzgg", "攻府工作报告提出，要加强文化市场监管，持续推进政府职能转变。", ("攻府",)),
    ("区教体局", "tzgg", "严禁焚烧秸杆，推进秸秆综合利用。", ("秸杆",)),
]
CONTROLS = [
    ("区民政局", "tzgg", "经核查，原稿中“攻府”应为“政府”，特此更正。"),
    ("区住建局", "tzgg", "原国土资源局的职责已划入区自然资源局。"),
]
RENAMED = "区国土资源局开展土地卫片执法检查。"

HIDDEN = [
    # (unit, column key, html, target, how)
    ("区卫健局", "tzgg", '<div style="display:none"><a href="http://www.yl-bet.invalid/">澳门百家乐 真人娱乐</a>'
                         '<a href="/">首页</a></div>',
     "http://www.yl-bet.invalid/", "display_none"),
    ("区市场监管局", "tzgg", '<style>.sx-link{position:absolute;left:-9999px;top:-9999px}</style>'
                            '<div class="sx-link"><a href="http://www.tyc-888.invalid/">太阳城娱乐城</a></div>',
     "http://www.tyc-888.invalid/", "offscreen"),
]
HOME_HTML = ('<script>document.write(\'<div style="display:none"><a href="http://www.lhc-6.invalid/">六合彩</a>'
             '</div>\');</script>')
HOME_TARGET = "http://www.lhc-6.invalid/"
# A homepage script that is gone (an old visit counter): a homepage broken link.
HOME_SCRIPT_PATH = "/module/visitcount/js/tongji.js"
HOME_SCRIPT = f'<script src="{HOME_SCRIPT_PATH}"></script>'
# 友情链接 on the homepage (sitesim/external.py serves the two loopback hosts): a lapsed domain now
# parked for sale, an old path of it redirecting to another site, a domain that no longer resolves;
# controls: a working other site and a redirect within it.
FRIENDS = [("/", "原章丘旅游网", "域名停放/出售页面"), ("/zs/", "章丘招商网", "跳转至其他域名")]
FRIENDS_DEAD = ("http://www.zqgxs.invalid/", "章丘供销网")
FRIENDS_OK = [("/", "章丘区旅游服务有限公司"), ("/a", "旅游线路推荐")]


# Cloaking: a block the homepage serves only to Baiduspider (the simulator checks the User-Agent).
CLOAKED_TARGET = "http://www.pj-casino.invalid/"
CLOAKED = f'<div class="links"><a href="{CLOAKED_TARGET}">澳门葡京娱乐城</a></div>'


def for_spider(resp, path: str, user_agent: str, site):
    """The answer as a spider gets it: the homepage with the cloaked block when the User-Agent says
    Baiduspider (``resp`` unchanged otherwise)."""
    if path != "/" or "baiduspider" not in (user_agent or "").lower() or not site.special.get("veto") \
            or resp.status != 200:
        return resp
    body = resp.body.replace(b"</body>", CLOAKED.encode("utf-8") + b"</body>", 1)
    return dataclasses.replace(resp, body=body, etag="")


def external_url(site, ip: str, path: str) -> str | None:
    port = site.special.get("external_port")
    return f"http://{ip}:{port}{path}" if port else None


def home_html(site) -> str:
    """The homepage's planted markup: the hidden document.write link and the 友情链接 block."""
    if not site.special.get("veto"):
        return ""
    links = [(FRIENDS_DEAD[0], FRIENDS_DEAD[1])]
    if site.special.get("external_port"):
        links = [(external_url(site, OLD, p), a) for p, a, _ in FRIENDS] + links
        links += [(external_url(site, OTHER, p), a) for p, a in FRIENDS_OK]
    items = "".join(f'<li><a href="{u}" target="_blank">{a}</a></li>' for u, a in links)
    return (HOME_HTML + HOME_SCRIPT + f'<div class="box yqlj"><h3>友情链接</h3><ul>{items}</ul></div>')


def plant(p) -> None:
    """Plant the wording errors, their controls and the hidden links (a ``sitesim.defects.Planter``)."""
    s = p.s
    s.special["veto"] = {"wording": [], "hidden": []}
    for unit, key, para, wrong in WORDING:
        doc = p.pick(unit, key, pred=lambda d: d.publish > REFORM)
        doc.body.setdefault("extra_paras", []).append(para)
        s.special["veto"]["wording"] += [(doc.path, w) for w in wrong]
    for unit, key, para in CONTROLS:
        doc = p.pick(unit, key)
        doc.body.setdefault("extra_paras", []).append(para)
        p.trap("wording_control", doc.path, para)
    after = p.pick("区住建局", "tzgg", pred=lambda d: d.publish > REFORM)
    after.body.setdefault("extra_paras", []).append(RENAMED)
    s.special["veto"]["wording"].append((after.path, "国土资源局"))
    early = [d for d in s.docs if d.publish <= REFORM and d not in p.touched]
    if early:
        early[0].body.setdefault("extra_paras", []).append(RENAMED)
        p.trap("wording_control", early[0].path, "机构改革前发布的页面使用旧机构名称")
    for unit, key, html, target, how in HIDDEN:
        doc = p.pick(unit, key)
        doc.body["raw_html"] = doc.body.get("raw_html", "") + html
        s.special["veto"]["hidden"].append((doc.path, target, how))
    s.special["veto"]["hidden"].append(("/", HOME_TARGET, "document_write"))


def defects(site, url) -> list[dict]:
    """The manifest entries of what ``plant`` planted (``url``: path -> absolute URL)."""
    planted = site.special.get("veto") or {}
    out = [{"check": "serious_wording_error", "url": url(path), "field": wrong, "note": f"错误表述“{wrong}”"}
           for path, wrong in planted.get("wording", ())]
    for source, target, how in planted.get("hidden", ()):
        out.append({"check": "hidden_link", "url": target, "field": None, "note": f"暗链（{how}），页面 {url(source)}"})
        # .invalid never resolves: the hidden link's domain is dead too
        out.append({"check": "hijacked_link", "url": target, "field": None, "note": f"域名无法解析；链接来源 {url(source)}"})
    if planted:
        out.append({"check": "hidden_link", "url": CLOAKED_TARGET, "field": None,
                    "note": f"仅向百度蜘蛛显示的链接（cloaking），页面 {url('/')}"})
        out.append({"check": "hijacked_link", "url": FRIENDS_DEAD[0], "field": None, "note": "友情链接域名无法解析"})
        out.append({"check": "broken_link", "url": url(HOME_SCRIPT_PATH), "field": None, "source": url("/"),
                    "on_homepage": True, "note": f"首页脚本 HTTP 404；链接来源 {url('/')}"})
    if planted and site.special.get("external_port"):
        out += [{"check": "hijacked_link", "url": external_url(site, OLD, p), "field": None, "note": f"友情链接{why}"}
                for p, _, why in FRIENDS]
    return out
