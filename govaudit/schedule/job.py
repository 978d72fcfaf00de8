"""The job: what every scheduled run of one site needs, from the command line to the argv that
cron, systemd and the daemon start again."""
from __future__ import annotations

import datetime as dt
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from croniter import croniter

from govaudit import oneshot
from govaudit.core.errors import EXIT_USAGE, GovauditError
from govaudit.core.urls import check_http_url, site_slug

PREPARE = "govaudit.schedule.prepare"          # what a job's runs ask before crawling (prepare.py)
PREPARE_WHAT = "the checks before the scheduled crawl"


@dataclass
class Job:
    output_root: Path
    profile: str | None = None
    start_url: str | None = None
    db: str | None = None
    keep: int = 12
    when: str = "0 2 1 * *"
    as_of: dt.date | None = None
    max_pages: int | None = None
    extra: dict = field(default_factory=dict)
    sites: str | None = None            # a campaign's sites.yaml instead of one site (schedule/campaign.py)
    workers: int = 2
    broker: str | None = None
    _site: str | None = field(default=None, init=False, repr=False, compare=False)    # site(), asked once

    @classmethod
    def from_args(cls, args) -> "Job":
        sites = getattr(args, "sites", None)
        if sum(map(bool, (args.profile, args.start_url, sites))) != 1:
            raise GovauditError("参数错误 / bad arguments: give exactly one of --profile, --start-url or --sites",
                                EXIT_USAGE)
        if args.keep < 1:
            raise GovauditError("参数错误 / bad arguments: --keep must be at least 1", EXIT_USAGE)
        validate_cron(args.when)
        if args.start_url:      # a crontab line that fails every month is worse than an error now
            check_http_url(args.start_url)
        root = Path(args.output_root).expanduser().absolute()
        profile = str(Path(args.profile).expanduser().absolute()) if args.profile else None
        return cls(output_root=root, profile=profile, start_url=args.start_url, db=absolute_db(args.db, root),
                   keep=args.keep, when=args.when, as_of=getattr(args, "as_of", None),
                   max_pages=getattr(args, "max_pages", None),
                   sites=str(Path(sites).expanduser().absolute()) if sites else None,
                   workers=getattr(args, "workers", None) or 2, broker=getattr(args, "broker", None))

    def argv(self) -> list[str]:
        """Arguments of ``govaudit schedule run`` for this job (absolute paths: cron starts in $HOME)."""
        argv = ["-q", "schedule", "run", "--output-root", str(self.output_root), "--keep", str(self.keep)]
        if self.sites:
            argv += ["--sites", self.sites, "--workers", str(self.workers)]
            argv += ["--broker", self.broker] if self.broker else []
        else:
            argv += ["--profile", self.profile] if self.profile else ["--start-url", self.start_url]
        if self.db:
            argv += ["--db", self.db]
        if self.max_pages:
            argv += ["--max-pages", str(self.max_pages)]
        return argv

    def db_url(self) -> str:
        """--db, else $GOVAUDIT_DB (keeps a server password out of crontabs and unit files), else
        ``<output root>/govaudit.db``."""
        default = "sqlite:///" + str(self.output_root / "govaudit.db")
        return self.db or os.environ.get("GOVAUDIT_DB") or default

    def site(self) -> str:
        """The site's directory name, known without crawling (profile read if needed); a campaign's
        is ``campaign-<sites file name>``."""
        if self.sites:
            return "campaign-" + re.sub(r"[^A-Za-z0-9._-]+", "_", Path(self.sites).stem)
        if self.start_url:
            return site_slug(self.start_url)
        if self._site is None:
            # The profile is read in a short-lived process: the daemon asks once and then idles
            # for months, and a scheduled run waits on its crawl, both without its libraries.
            self._site = oneshot.ask(PREPARE, {"what": "site", "profile": self.profile}, PREPARE_WHAT)["name"]
        return self._site


def absolute_db(value: str | None, output_root: Path) -> str | None:
    """A relative SQLite path made absolute, because cron and systemd start in another directory.
    None stays None: the database is then chosen at run time (``Job.db_url``)."""
    if not value:
        return None
    if "://" not in value:
        return "sqlite:///" + str(Path(value).expanduser().absolute())
    if value.startswith("sqlite:///") and not value.startswith("sqlite:////") and ":memory:" not in value:
        return "sqlite:///" + str(Path(value[len("sqlite:///"):]).absolute())
    return value


def govaudit_command() -> list[str]:
    """How cron/systemd/the daemon start govaudit: this interpreter's console script if present."""
    script = Path(sys.executable).parent / "govaudit"
    if script.exists():
        return [str(script)]
    # -P: cron's `cd <output root's parent>` must not make `<root>/govaudit` the package.
    return [sys.executable, *(["-P"] if sys.version_info >= (3, 11) else []), "-m", "govaudit.cli"]


def validate_cron(expr: str) -> str:
    if len(expr.split()) != 5 or not croniter.is_valid(expr):
        raise GovauditError(f"参数错误 / bad arguments: --when {expr!r} is not a 5-field cron expression",
                            EXIT_USAGE)
    return expr
