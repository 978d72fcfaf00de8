"""sites.yaml: the sites of a campaign.

    name: 2024年第一季度区县政府网站检查      # optional
    report: {inspector: 济南市政务公开办公室}  # optional: every site's report, as a profile's report section
    sites:
      - {name: 章丘区, start_url: "http://www.jnzq.gov.cn/", level: 区县, group: 济南市}
      - {name: 区教体局, profile: profiles/jiaoti.yaml, level: 部门, group: 章丘区}

A site gives ``start_url`` or ``profile`` (relative to the file), or both (the profile's
politeness and audit settings for that start URL).  ``report`` words every site's own report as
the campaign's office writes it (a city inspects its counties: 市政务公开办公室, not each county's
own office); a site profile's own ``report`` keys win.  Every mistake is one line (exit 3).
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from govaudit.campaign.settings import settings
from govaudit.core.errors import EXIT_PROFILE, GovauditError
from govaudit.core.profile import validate_profile
from govaudit.core.urls import check_http_url
from govaudit.workflow import load_profile

KEYS = {"name", "start_url", "profile", "level", "group"}


def _error(path: Path, message: str) -> GovauditError:
    return GovauditError(f"站点清单错误 / bad sites file {path}: {message}", EXIT_PROFILE)


def load_sites(path: str) -> dict:
    """{"name", "file", "sites": [{name, start_url, profile, level, group}]} with profiles read and checked."""
    file = Path(path).expanduser().absolute()
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _error(file, exc.strerror or str(exc)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise _error(file, f"YAML syntax error{where}") from None
    if not isinstance(data, dict) or not isinstance(data.get("sites"), list) or not data["sites"]:
        raise _error(file, "expected a mapping with a non-empty list 'sites'")
    report = data.get("report") or {}
    try:        # checked as a profile's report section is
        validate_profile({"start_urls": ["http://x/"], "report": report}, "report")
    except GovauditError as exc:
        raise _error(file, exc.message.split(": ", 1)[-1]) from None
    sites, names = [], set()
    for i, entry in enumerate(data["sites"]):
        sites.append(_site(file, i, entry, names))
    return {"name": str(data.get("name") or file.stem), "file": str(file), "sites": sites, "report": report}


def _site(file: Path, i: int, entry, names: set) -> dict:
    where = f"sites[{i}]"
    if not isinstance(entry, dict):
        raise _error(file, f"{where}: expected a mapping")
    unknown = set(entry) - KEYS
    if unknown:
        raise _error(file, f"{where}.{sorted(unknown)[0]}: unknown key (expected one of: {', '.join(sorted(KEYS))})")
    name = str(entry.get("name") or "").strip()
    if not name:
        raise _error(file, f"{where}: missing name")
    if name in names:
        raise _error(file, f"{where}: duplicate name {name!r}")
    names.add(name)
    level = entry.get("level")
    if level is not None and level not in settings()["levels"]:
        raise _error(file, f"{where}.level: {level!r} is not one of {', '.join(settings()['levels'])}")
    profile_path, start_url = entry.get("profile"), entry.get("start_url")
    if not profile_path and not start_url:
        raise _error(file, f"{where}: give start_url or profile")
    if start_url:
        try:
            check_http_url(str(start_url))
        except GovauditError as exc:
            raise _error(file, f"{where}.start_url: {exc.message}") from None
    if profile_path:
        profile_path = str((file.parent / str(profile_path)).expanduser().absolute())
        profile = load_profile(profile_path)          # one line, exit 3, on a bad profile
        start_url = start_url or profile["start_urls"][0]
    return {"name": name, "start_url": str(start_url), "profile": profile_path,
            "level": level, "group": None if entry.get("group") is None else str(entry["group"])}


def site_profile(site: dict, report: dict | None = None) -> dict | None:
    """The profile a site is crawled and audited with (its start URL first), with the campaign's
    ``report`` wording under the profile's own."""
    if not site.get("profile"):
        return {"start_urls": [site["start_url"]], "report": dict(report)} if report else None
    profile = dict(load_profile(site["profile"]))
    if profile["start_urls"][0] != site["start_url"]:
        profile["start_urls"] = [site["start_url"]]
    if report:
        profile["report"] = {**report, **(profile.get("report") or {})}
    return profile


def report_dir_name(position: int, name: str) -> str:
    """A site's report folder inside the campaign's: its position and name, safe on any file system."""
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", name)
    return f"{position:03d}-{safe}"
