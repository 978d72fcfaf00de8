"""Personal numbers in a text or a spreadsheet, as ``privacy_leak`` counts them.

A mobile number on a line that names itself a contact (联系方式, 办公电话 …:
``privacy.contact_line_keywords``) and carries no ID number is the unit's published contact, not a leak.  In a spreadsheet
a column is judged as a whole: a column holding at least ``privacy.column_min_values`` ID numbers
(or mobile numbers) is one location, “工作表“名单”第3列（C列）14个身份证号”; fewer are named cell by cell.
"""
from __future__ import annotations

from audits.filetext import column_letter
from audits.textfacts import id_numbers, mask, may_hold_numbers, mobile_numbers


def in_text(text: str, cfg: dict) -> tuple[list[str], list[str]]:
    """(ID numbers, mobile numbers) of a text, each once, in order of appearance."""
    ids, phones = [], []
    if not may_hold_numbers(text):
        return ids, phones          # most texts: one search instead of one per line
    keywords = cfg.get("contact_line_keywords") or ()
    for line in (text or "").splitlines():
        on_line = id_numbers(line)
        if cfg["id_numbers"]:
            ids += on_line
        # A contact line names the unit's line; one that also carries an ID number names a person.
        if cfg["mobile_numbers"] and (on_line or not any(k in line for k in keywords)):
            phones += mobile_numbers(line)
    return list(dict.fromkeys(ids)), list(dict.fromkeys(phones))


def in_cells(cells: list, cfg: dict) -> tuple[list[str], list[str], list[str], list[str]]:
    """(locations, ID numbers, mobile numbers, archive members holding them) of a spreadsheet's
    cells [[sheet, row, col, value]] (an archive's: [sheet, row, col, value, member])."""
    found: dict = {}          # (member, sheet, col, what) -> [(row, number)]
    for cell in cells:
        sheet, row, col, value = cell[:4]
        member = cell[4] if len(cell) > 4 else ""
        ids, phones = (id_numbers(str(value)) if cfg["id_numbers"] else []), []
        if cfg["mobile_numbers"]:
            phones = mobile_numbers(str(value))
        for what, numbers in (("身份证号", ids), ("手机号码", phones)):
            for n in numbers:
                found.setdefault((member, sheet, col, what), []).append((row, n))
    locations, all_ids, all_phones, members = [], [], [], []
    for (member, sheet, col, what), hits in sorted(found.items(), key=lambda kv: kv[0]):
        numbers = [n for _, n in hits]
        (all_ids if what == "身份证号" else all_phones).extend(numbers)
        members.append(member)
        where = f"{member}：" if member else ""
        if len(hits) >= cfg["column_min_values"]:
            locations.append(f"{where}工作表“{sheet}”第{col}列（{column_letter(col)}列）{len(hits)}个{what}")
        else:
            cells_named = "、".join(f"{column_letter(col)}{row}" for row, _ in hits)
            locations.append(f"{where}工作表“{sheet}”{cells_named}单元格{what}")
    return locations, list(dict.fromkeys(all_ids)), list(dict.fromkeys(all_phones)), members


def masked(ids: list[str], phones: list[str], limit: int) -> dict:
    """Evidence that does not repeat the leak: masked numbers (at most ``limit`` of each) and counts."""
    return {"id_numbers": [mask(n, 6, 4) for n in ids[:limit]], "mobile_numbers": [mask(n, 3, 4) for n in phones[:limit]],
            "id_count": len(ids), "mobile_count": len(phones)}
