"""Database URLs as the user gives them and as lines may show them, without SQLAlchemy: the
processes that only wait on others (a Celery worker's main process and the job processes forked
from it) name a database without opening one."""
from __future__ import annotations

import os
import re
from pathlib import Path

DEFAULT_DB = "output/govaudit.db"


def db_url(value: str | None) -> str:
    """Turn a --db argument (a SQLAlchemy URL or a plain file path) into a URL."""
    value = value or os.environ.get("GOVAUDIT_DB") or DEFAULT_DB
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser())


def redacted_url(url: str) -> str:
    """A database URL as an error line or a file a colleague reads may show it: without its password."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
