"""通报.docx: a draft 检查情况通报 in the layout of a government notice, ready to edit in Word.

Layout follows GB/T 9704 where Word allows: red issuer line and rule, 方正小标宋 title,
仿宋 body with a two-character first-line indent, 黑体/楷体 for the two heading levels.
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from govaudit.report.context import Report
from govaudit.report.html import CN_NUMBERS, cn_date
from govaudit.report.output import atomic_path
from govaudit.report.safety import xml_text

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
RED = RGBColor(0xC0, 0x00, 0x00)


def _run(paragraph, text: str, font: str = BODY_FONT, size: float = 16, bold: bool = False, colour=None):
    run = paragraph.add_run(xml_text(text))
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    if colour is not None:
        run.font.color.rgb = colour
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return run


def _paragraph(doc, text: str = "", font: str = BODY_FONT, size: float = 16, indent: bool = True,
               align=None, bold: bool = False, colour=None):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    if text:
        _run(p, text, font, size, bold, colour)
    return p


def _red_rule(paragraph) -> None:
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)


def _unit_table(doc, report: Report) -> None:
    table = report.unit_table
    columns = ["序号", "单位"] + list(table.columns)
    grid = doc.add_table(rows=1, cols=len(columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for cell, name in zip(grid.rows[0].cells, columns):
        _run(cell.paragraphs[0], name, H1_FONT, 10.5)
    for i, (unit, counts) in enumerate(table.iterrows(), start=1):
        cells = grid.add_row().cells
        for cell, value in zip(cells, [i, unit] + [int(v) for v in counts]):
            _run(cell.paragraphs[0], str(value), BODY_FONT, 10.5)
    totals = grid.add_row().cells
    for cell, value in zip(totals, ["", "合计"] + [int(v) for v in table.sum()]):
        _run(cell.paragraphs[0], str(value), BODY_FONT, 10.5, bold=True)
    grid.rows[0].repeat_table_header = True  # header row repeats when the table spans pages
    # 序号 narrow, 单位 wide enough for "区自然资源局", the counts share the rest of the 15.6 cm text width.
    widths = [Cm(1.1), Cm(3.6)] + [Cm(10.9 / max(len(columns) - 2, 1))] * (len(columns) - 2)
    for column, width in zip(grid.columns, widths):
        column.width = width  # the table grid (LibreOffice reads this) ...
        for cell in column.cells:
            cell.width = width  # ... and each cell (Word reads this)


def _overview(report: Report) -> list[str]:
    frame = report.findings
    inventory = "、".join(f"{i['label']}{i['value']}{i['unit']}" for i in report.inventory if i["key"] != "fetch_errors")
    found = f"经检测，共发现问题{len(frame)}条"
    if len(frame):
        found += f"，涉及{frame['unit'].nunique()}个单位，其中" + "、".join(f"{p.title}{p.count}条" for p in report.paragraphs)
    if report.partial:
        inventory += f"（{report.partial}，以上均为已读取部分的数量）" if inventory else ""
    verdict = report.verdict
    said = f"检查结论为{verdict['result']}"
    if verdict["unassessable"]:
        said += f"，原因：{verdict['reason']}。未读取或无法读取的内容不能认定为合格，请排除上述原因后重新检查"
    else:
        said += ("，单项否决原因：" + "；".join(verdict["vetoes"])) if verdict["vetoes"] else "，未触发单项否决指标"
    if verdict["score"] is not None:
        said += (f"；按可自动检测的扣分项估算，得分约{verdict['score']:.1f}分（满分100分，合格线{verdict['pass_line']}分，"
                 "估算值仅供参考）")
    lines = [(f"共检查{inventory}。" if inventory else "") + found + "。", said + "。"]
    if verdict.get("note"):
        lines.append(f"（注：{verdict['note']}。）")
    if report.unverified_links:
        lines.append(f"（注：检测的链接中有{report.unverified_links}。）")
    if report.unread_attachments:
        lines.append(f"（注：{report.unread_attachments}。）")
    if report.units_not_crawled:
        lines.append(f"（注：{report.units_not_crawled}。）")
    if report.partial and not inventory:
        lines.append(f"（注：{report.partial}，本通报各项数量均为部分统计。）")
    if report.rule_errors:
        lines.append(f"（注：{'、'.join(report.rule_errors)}等检查项本次未能完成，相关结果不完整。）")
    return lines


def build_notice(report: Report) -> Document:
    doc = Document()
    _page(doc)
    header = _paragraph(doc, report.issuer, TITLE_FONT, 26, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, colour=RED)
    header.paragraph_format.line_spacing = Pt(40)
    _red_rule(header)
    _paragraph(doc)
    _paragraph(doc, report.title, TITLE_FONT, 22, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER).paragraph_format.line_spacing = Pt(36)
    _paragraph(doc)
    _paragraph(doc, report.addressee, indent=False)
    scope = f"（本次限于{report.scope_line}）" if report.scope_line else ""
    _paragraph(doc, f"为深入贯彻落实《中华人民共和国政府信息公开条例》和{report.as_of.year}年政务公开工作要点，进一步提升政务公开工作质量，"
                    f"{report.inspector}于{cn_date(report.scan_date)}对{report.site}（{report.start_url}）政府信息公开平台、政策文件库及各单位信息公开栏目"
                    f"{scope}进行了检查，统计截止日期为{cn_date(report.as_of.isoformat())}。现将有关情况通报如下：")

    _paragraph(doc, "一、总体情况", H1_FONT)
    for text in _overview(report):
        _paragraph(doc, text)

    _paragraph(doc, "二、存在的主要问题", H1_FONT)
    for i, para in enumerate(report.paragraphs):
        p = _paragraph(doc)
        _run(p, f"（{CN_NUMBERS[i % len(CN_NUMBERS)]}）{para.title}。", H2_FONT)
        _run(p, para.text_with_examples(int(report.settings["notice_examples_per_category"])))
    if not report.paragraphs:
        _paragraph(doc, "本次检查未发现问题。")

    _paragraph(doc, "三、各单位问题情况", H1_FONT)
    if len(report.unit_table):
        _paragraph(doc, "各单位问题数量如下表（具体问题见附件整改清单）：")
        _unit_table(doc, report)
    else:
        _paragraph(doc, "各单位均未发现问题。")

    heading = 4
    if report.comparison is not None:
        c = report.comparison
        _paragraph(doc, f"{CN_NUMBERS[heading - 1]}、与上次检查对比情况", H1_FONT)
        _paragraph(doc, f"与{cn_date(c.base_date)}检查结果相比，本次新发现问题{len(c.new)}条，已整改{len(c.fixed)}条，"
                        f"仍未整改{len(c.still_open)}条。请相关单位高度重视，对仍未整改的问题限期整改到位。")
        if c.narrowed:
            _paragraph(doc, c.scope_text)
        heading += 1

    _paragraph(doc, f"{CN_NUMBERS[heading - 1]}、整改要求", H1_FONT)
    _paragraph(doc, f"请各单位对照问题清单逐条核实整改，于{cn_date(report.deadline.isoformat())}前完成整改，"
                    f"并将整改情况报送{report.inspector}。")
    _paragraph(doc, report.rectify)
    _paragraph(doc)
    _paragraph(doc, "附件：政务公开检查问题整改清单（findings.xlsx）")
    _paragraph(doc)
    _paragraph(doc, report.issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, cn_date(report.as_of.isoformat()), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    doc.core_properties.title = report.title
    doc.core_properties.author = report.issuer
    return doc


def write_notice(report: Report, path: Path) -> Path:
    doc = build_notice(report)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
    return path
