"""Identifiers in the shapes the real platform uses.

* 统一社会信用代码 (GB 32100-2015) with a correct check character, embedding a 组织机构代码
  (GB 11714) with its own check digit;
* MongoDB-style ObjectIds (first 8 hex = Unix seconds) for channel and document ids;
* the mixed channel-id styles seen on the Jinan/Zibo ``/gongkai/`` platforms.
"""
from __future__ import annotations

import datetime as dt
import random

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
BEIJING = dt.timezone(dt.timedelta(hours=8))


def org_code_check(first8: str) -> str:
    """Check digit of a 9-character 组织机构代码 (letters count A=10 … Z=35)."""
    total = sum(int(ch, 36) * w for ch, w in zip(first8, ORG_WEIGHTS))
    c9 = 11 - total % 11
    return {10: "X", 11: "0"}.get(c9, str(c9))


def uscc_check(first17: str) -> str:
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def make_uscc(area: str, org8: str) -> str:
    """``11`` (机构编制, 机关) + area code + 组织机构代码 + check character."""
    body = "11" + area + org8 + org_code_check(org8)
    return body + uscc_check(body)


def object_id(rng: random.Random, when: dt.datetime) -> str:
    """A 24-hex ObjectId whose timestamp is ``when`` (the CMS entry time, not 发布日期)."""
    return "%08x%010x%06x" % (int(when.timestamp()), rng.getrandbits(40), rng.getrandbits(24))


def entry_time(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)),
                               tzinfo=BEIJING)


# Every Jinan district channel id decodes to one bulk migration on 2022-12-02.
MIGRATION = dt.datetime(2022, 12, 2, 14, 27, 5, tzinfo=BEIJING)


def channel_id(rng: random.Random, style: str, site_code: str | None, serial: int) -> str:
    migr = int(MIGRATION.timestamp()) + serial * 7
    oid = "%08x3759918282%06x" % (migr, 0x646500 + serial * 3)
    if style == "oid" or site_code is None:
        return oid
    if style == "j":
        return f"j_{site_code}_{rng.getrandbits(16):04x}"
    if style == "c":
        epoch = 1605682651 + serial * 977 + rng.randint(0, 500)
        return f"c_{oid}_n_{epoch}.{rng.randint(0, 9999):04d}"
    raise ValueError(style)
