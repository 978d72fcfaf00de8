"""No output file repeats a personal number the audits found (findings.json, findings.xlsx,
通报.docx, report.html): the numbers planted in the small site's pages and attachments appear
masked only."""
from __future__ import annotations

import re
import zipfile

from audits.textfacts import id_numbers, mobile_numbers


def _planted_numbers(site) -> set[str]:
    numbers = set()
    for spec in site.files.values():
        texts = [line for page in getattr(spec, "pages", ()) for line in page]
        texts += [str(v) for row in getattr(spec, "tables", ()) for v in row]
        texts += [str(v) for _, rows in getattr(spec, "sheets", ()) for row in rows for v in row]
        for text in texts:
            numbers |= set(id_numbers(text)) | set(mobile_numbers(text))
    for doc in site.docs:
        leak = doc.body.get("leak")
        if leak:
            numbers |= {leak["id"], leak["mobile"]}
    return numbers


def _text_of(path) -> str:
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    return path.read_text(encoding="utf-8", errors="replace")


def test_no_output_file_repeats_a_personal_number(small_audit):
    numbers = _planted_numbers(small_audit.sim.site)
    assert len(numbers) > 20, "the simulator plants personal numbers in pages and attachments"
    privacy = [f for f in small_audit.findings["findings"] if f["check"] == "privacy_leak"]
    assert len(privacy) >= 4
    for name, path in small_audit.report.items():
        text = re.sub(r"\s", "", _text_of(path))
        leaked = sorted(n for n in numbers if n in text)
        assert not leaked, f"{name} repeats personal numbers: {leaked[:3]}"
