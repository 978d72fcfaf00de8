"""The campaign's settings (``defaults.yaml`` beside this module): levels, heartbeats, the
statuses that mean "blocked", Celery's queue.  Its own module, importing only PyYAML, because a
Celery worker's main process reads it and every job process is forked from that one."""
from __future__ import annotations

import functools
from importlib import resources

import yaml


@functools.cache
def settings() -> dict:
    return yaml.safe_load(resources.files("govaudit.campaign").joinpath("defaults.yaml").read_text("utf-8"))
