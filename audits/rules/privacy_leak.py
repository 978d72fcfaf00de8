"""泄露个人隐私: a 身份证号 passing the GB 11643 checksum, or a mobile number, in page text."""
from __future__ import annotations

from audits.registry import rule
from audits.textfacts import id_numbers, mask, mobile_numbers
from audits.texts import document_texts
from audits.views import document_view


@rule("privacy_leak", name="泄露个人隐私", order=190, severity="deduct", tasks=[32],
      config=["privacy"],
      basis="公开信息不得泄露个人隐私（身份证号经GB 11643校验、手机号码；rules.md A7）；要点任务32（三审三校、内容准确）")
def privacy_leak(snapshot, config, as_of):
    """A 身份证号 passing the GB 11643 checksum, or a mobile number, in page text.

    url: the page
    refs: A7
    severity: deduct (mobile numbers only: notice)

    含义：公开的信息中含有未处理的个人隐私，如完整的身份证号码、手机号码。
    依据：《中华人民共和国个人信息保护法》和《中华人民共和国政府信息公开条例》关于不得公开涉及个人隐私信息的规
    定；政务公开工作要点关于“三审三校”、内容准确的要求。
    自查方法：打开页面和附件，查找身份证号码、手机号码等个人信息（报告中只显示打码后的号码）。
    整改方法：立即删除或对个人信息作隐藏处理（如只保留前几位和后几位），附件一并处理；落实发布前审核制度。
    """
    cfg = config["privacy"]
    docs = document_view(snapshot, config)
    for url, text in document_texts(snapshot, docs.index[docs["fetched_ok"]]):
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
        d = docs.loc[url]
        yield privacy_leak.finding(
            url, f"《{d['title']}》正文含{'、'.join(parts)}，疑似泄露个人隐私", severity=severity,
            unit=d["unit"], column=d["column"], column_url=d["column_url"],
            evidence={"id_numbers": [mask(n, 6, 4) for n in ids], "mobile_numbers": [mask(n, 3, 4) for n in phones]})
