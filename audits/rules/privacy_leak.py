"""泄露个人隐私: a 身份证号 passing the GB 11643 checksum, or a mobile number, in page text."""
from __future__ import annotations

from audits.registry import rule
from audits.textfacts import id_numbers, mask, mobile_numbers
from audits.views import document_view


@rule("privacy_leak", name="泄露个人隐私", order=27, severity="deduct", tasks=[32],
      basis="公开信息不得泄露个人隐私（身份证号经GB 11643校验、手机号码；rules.md A7）；要点任务32（三审三校、内容准确）")
def privacy_leak(snapshot, config, as_of):
    cfg = config["privacy"]
    docs = document_view(snapshot, config)
    for url, d in docs[docs["fetched_ok"]].iterrows():
        text = d["body_text"]
        ids = sorted(set(id_numbers(text))) if cfg["id_numbers"] else []
        phones = sorted(set(mobile_numbers(text))) if cfg["mobile_numbers"] else []
        if not ids and not phones:
            continue
        parts = []
        if ids:
            parts.append(f"身份证号{len(ids)}个")
        if phones:
            parts.append(f"手机号码{len(phones)}个")
        # A mobile number alone is often an official contact line: a person should judge it.
        severity = privacy_leak.severity if ids else "notice"
        yield privacy_leak.finding(
            url, f"《{d['title']}》正文含{'、'.join(parts)}，疑似泄露个人隐私", severity=severity,
            unit=d["unit"], column=d["column"], column_url=d["column_url"],
            evidence={"id_numbers": [mask(n, 6, 4) for n in ids], "mobile_numbers": [mask(n, 3, 4) for n in phones]})
