"""Body text of a document page: a list of paragraph dicts the template lays out."""
from __future__ import annotations

import datetime as dt
import random

from sitesim import text
from sitesim.model import Doc

POLICY = {"policy_gov", "policy_office", "policy_norm", "policy_dept"}
REPORT_HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                   "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
GUIDE_ITEMS = [("办公地址", "济南市章丘区开先大道287号龙泉大厦{room}室"), ("办公时间", "周一至周五（法定节假日除外）上午9:00—12:00，下午13:30—17:00"),
               ("联系电话", "0531-83{tel}"), ("传真", "0531-83{fax}"),
               ("互联网联系方式", "电子邮箱 zq{code}@jn.shandong.cn")]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"


def P(text_, kind="p", **kw):
    return {"kind": kind, "text": text_, **kw}


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", rng.choice(GIVEN)])


def masked_id(rng: random.Random) -> str:
    return f"370181********{rng.randint(0, 9999):04d}"


def masked_phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 9)}****{rng.randint(0, 9999):04d}"


def body_for(doc: Doc, seed: int) -> list[dict]:
    if doc.body.get("attachment_only"):      # the whole content is the attached file
        return []
    rng = random.Random(f"{seed}:{doc.oid}")
    topic = text.topic_of(doc.title)
    who = doc.unit.name if doc.unit else "章丘区"
    k = doc.kind
    out: list[dict] = []
    if k in POLICY:
        if doc.number:
            out.append(P(doc.number, "center"))
        out.append(P("各镇人民政府、街道办事处，区政府各部门（单位）：" if doc.unit is None or doc.unit.kind == "district"
                     else "各科室、局属各单位："))
        kind_word = "办法" if "办法" in doc.title else ("方案" if "方案" in doc.title else "通知")
        out += [P(t) for t in text.paragraphs(rng, text.PARAS, 4, t=topic, k=kind_word)]
        if "effective" in doc.body:
            out.append(P(f"本{kind_word}自{text.cn_date(doc.body['effective'])}起施行，"
                         f"有效期至{text.cn_date(doc.body['valid_until'])}。"))
        for i, (_, name) in enumerate(doc.attachments, 1):
            out.append(P(f"附件：{i}. {name.rsplit('.', 1)[0]}"))
        out.append(P(doc.issuer, "right"))
        if doc.written:
            out.append(P(text.cn_date(doc.written), "right"))
        out.append(P("（此件公开发布）"))
    elif k == "interp":
        out += [P(t.format(tel=rng.randint(100000, 999999))) for t in
                [p.replace("{t}", topic).replace("{u}", doc.unit.full_name if doc.unit else "济南市章丘区人民政府办公室")
                 for p in text.INTERP_PARAS]]
    elif k == "guide":
        out.append(P("为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。"))
        out.append(P("一、主动公开", "h"))
        out.append(P("（一）公开的主要内容。本机关主动公开机构职能、政策文件、规划信息、财政预决算等信息。"))
        out.append(P("（二）公开的方式。通过区政府门户网站政府信息公开专栏、政府信息查阅场所等方式公开。"))
        out.append(P("二、依申请公开", "h"))
        out.append(P("公民、法人或者其他组织可以向本机关申请获取相关政府信息。"))
        out.append(P("三、政府信息公开工作机构", "h"))
        for label, value in GUIDE_ITEMS:
            if label in doc.body.get("guide_missing", ()):
                continue
            out.append(P(f"{label}：" + value.format(room=rng.randint(201, 915), tel=rng.randint(100000, 999999),
                                                    fax=rng.randint(100000, 999999),
                                                    code=(doc.unit.code or "zfxxgk")[10:])))
    elif k == "report":
        year = doc.body.get("report_year")
        out.append(P(f"本报告根据《中华人民共和国政府信息公开条例》要求编制，所列数据统计期限自{year}年1月1日起至{year}年12月31日止。"))
        for h in REPORT_HEADINGS:
            if h in doc.body.get("report_missing", ()):
                continue
            out.append(P(h, "h"))
            out.append(P(f"{year}年，{who}认真贯彻落实政务公开各项要求，主动公开政府信息{rng.randint(40, 900)}条。"))
            if h.startswith("三"):
                out.append({"kind": "table", "head": True, "rows": [["本年新收政府信息公开申请数量", str(rng.randint(0, 40))],
                                                                      ["上年结转政府信息公开申请数量", str(rng.randint(0, 5))]]})
    elif k == "relief":
        out.append(P(f"根据有关规定，现将{doc.title.replace('公示', '')}予以公示，公示期7天。"))
        rows = [["序号", "姓名", "身份证号", "联系电话", "救助金额（元）"]]
        for i in range(1, 6):
            rows.append([str(i), person(rng), masked_id(rng), masked_phone(rng), str(rng.randint(3, 12) * 100)])
        leak = doc.body.get("leak")
        if leak:
            rows.append([str(len(rows)), leak["name"], leak["id"], leak["mobile"], "800"])
        out.append({"kind": "table", "head": True, "rows": rows})
        out.append(P("监督电话：0531-83" + str(rng.randint(100000, 999999))))
    elif k == "consult":
        start, end = doc.body["consult"]
        out.append(P(f"为提高决策的科学性和透明度，现将{doc.title[doc.title.index('《'):doc.title.index('》') + 1]}"
                     "全文公布，公开征求社会各界意见。"))
        out.append(P(f"征求意见时间：{text.cn_date(start)}至{text.cn_date(end)}。"))
        out.append(P("意见反馈方式：电子邮箱 zqfzb@jn.shandong.cn，或邮寄至章丘区开先大道287号。"))
        fb = doc.body.get("feedback_doc")
        if fb is not None:
            out.append(P("意见采纳情况：", "link", href=fb.path, anchor=fb.title))
    elif k == "feedback":
        c = doc.body["consult_doc"]
        out.append(P(f"我区于{text.cn_date(c.body['consult'][0])}至{text.cn_date(c.body['consult'][1])}公开征求意见，"
                     f"共收到意见建议{rng.randint(2, 30)}条，采纳{rng.randint(1, 10)}条。"))
        out.append(P("原征求意见公告：", "link", href=c.path, anchor=c.title))
    elif k == "org":
        out.append(P(f"{doc.issuer}是区政府工作部门，主要职责如下："))
        out += [P(f"（{i}）" + t) for i, t in enumerate(["贯彻执行国家、省、市有关方针政策和法律法规。",
                                                        "拟订本领域发展规划并组织实施。",
                                                        "承办区委、区政府交办的其他事项。"], 1)]
        leaders = doc.body.get("leaders") or [person(rng), person(rng)]
        out.append(P("领导信息：主任（局长）" + leaders[0] + "，副主任（副局长）" + "、".join(leaders[1:])))
    elif k.startswith("portal") or k == "news":
        out += [P(t) for t in text.paragraphs(rng, text.NEWS_PARAS, 3, u=who, t=topic)]
    else:
        out += [P(t) for t in text.paragraphs(rng, text.PARAS, 3, t=topic, k="通知")]
        out.append(P(doc.issuer or "济南市章丘区人民政府", "right"))
        out.append(P(text.cn_date(doc.publish), "right"))
    for src, alt in doc.images:
        out.insert(1, {"kind": "img", "src": src, "alt": alt})
    for href, anchor in doc.extra_links:
        out.append(P("相关链接：", "link", href=href, anchor=anchor))
    out += [P(t) for t in doc.body.get("extra_paras", ())]
    if doc.body.get("expired_note"):
        out.append(P(doc.body["expired_note"]))
    return out


def description(body: list[dict]) -> str:
    return "".join(p.get("text", "") for p in body if p["kind"] == "p")[:120]


def pubdate(doc: Doc) -> str:
    t = doc.entry_time.time() if doc.entry_time else dt.time(9, 0)
    return f"{doc.publish.isoformat()} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"
