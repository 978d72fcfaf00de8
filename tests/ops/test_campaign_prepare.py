"""What a campaign job's preparation answers, as its own process (``govaudit.campaign.prepare``):
the site claimed for the job that waits, and the crawl's configuration, or why there is no crawl."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import update

from govaudit.campaign import store
from govaudit.core import storage
from govaudit.core.errors import EXIT_DB

from .helpers import ask_oneshot


def _ask(request: dict) -> dict:
    return ask_oneshot("govaudit.campaign.prepare", request)


def _campaign(tmp_path, profile: str | None = None):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    engine = storage.connect(db)
    sites = [{"name": "甲区", "start_url": "http://127.0.0.1:9/", "profile": profile, "level": "区县",
              "group": "测试市"}]
    cid = store.create_campaign(engine, {"name": "测试", "file": str(tmp_path / "sites.yaml"), "sites": sites},
                                str(tmp_path / "out"), "2023-11-30", "embedded", {})
    return db, engine, store.site_rows(engine, cid)[0]["id"]


def test_a_pending_site_is_claimed_for_the_job_that_waits_on_its_crawl(tmp_path):
    db, engine, site_id = _campaign(tmp_path)
    answer = _ask({"db": db, "site_id": site_id, "owner_pid": 4242})
    worker = f"{socket.gethostname()}:4242"
    row = store.site_row(engine, site_id)
    assert (row["status"], row["worker"]) == ("running", worker)
    config = answer["config"]
    # The crawl child keeps the row alive for that job, which holds no database connection.
    assert config["settings"]["GOVAUDIT_HEARTBEAT_SITE_ID"] == site_id
    assert config["settings"]["GOVAUDIT_HEARTBEAT_WORKER"] == worker
    assert answer["site"]["out"].endswith("001-甲区") and answer["site"]["as_of"] == "2023-11-30"
    with engine.connect() as conn:
        scan = conn.execute(storage.scan.select()).mappings().one()
    assert (scan["id"], scan["pid"], scan["campaign_site_id"]) == (config["scan_id"], 4242, site_id)


def test_a_finished_site_is_not_claimed_again(tmp_path):
    db, engine, site_id = _campaign(tmp_path)
    with engine.begin() as conn:
        conn.execute(update(storage.campaign_site).where(storage.campaign_site.c.id == site_id)
                     .values(status="complete", worker="elsewhere:1"))
    assert _ask({"db": db, "site_id": site_id, "owner_pid": 4242}) == {"status": "complete"}
    assert store.site_row(engine, site_id)["worker"] == "elsewhere:1"


def test_a_site_whose_profile_is_gone_fails_with_its_reason(tmp_path):
    db, engine, site_id = _campaign(tmp_path, profile=str(tmp_path / "gone.yaml"))
    answer = _ask({"db": db, "site_id": site_id, "owner_pid": 4242})
    assert answer["failure"]["status"] == "failed" and "gone.yaml" in answer["failure"]["reason"]
    assert "config" not in answer


def test_a_missing_database_is_one_line_before_any_claim(tmp_path):
    answer = _ask({"db": f"sqlite:///{tmp_path / 'none.db'}", "site_id": 1, "owner_pid": 4242})
    assert answer["code"] == EXIT_DB and "none.db" in answer["error"]
    assert not (tmp_path / "none.db").exists()


def test_a_preparation_stops_waiting_when_its_job_is_gone(tmp_path):
    # A second delivery of a site another live worker runs waits in its preparation; a kill -9
    # of that job must not leave the preparation waiting, and claiming, for nobody.
    db, engine, site_id = _campaign(tmp_path)
    holder = f"{socket.gethostname()}:{os.getpid()}"          # this test process: alive
    with engine.begin() as conn:
        conn.execute(update(storage.campaign_site).where(storage.campaign_site.c.id == site_id)
                     .values(status="running", worker=holder, heartbeat_at=time.time()))
    request = f"{{'db': {db!r}, 'site_id': {site_id}, 'owner_pid': os.getpid()}}"
    job = ("import json, os, subprocess, sys, time\n"
           "p = subprocess.Popen([sys.executable, '-m', 'govaudit.campaign.prepare'],\n"
           "                     stdin=subprocess.PIPE)\n"
           f"p.stdin.write(json.dumps({request}).encode())\n"
           "p.stdin.close()\nprint(p.pid, flush=True)\ntime.sleep(120)\n")
    waiting_job = subprocess.Popen([sys.executable, "-c", job], stdout=subprocess.PIPE, text=True)
    preparation = int(waiting_job.stdout.readline())
    time.sleep(1)
    assert _alive(preparation)                                  # it waits for the live holder
    waiting_job.kill()
    waiting_job.wait()
    deadline = time.monotonic() + 20
    while _alive(preparation) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(preparation)
    assert store.site_row(engine, site_id)["worker"] == holder


def _alive(pid: int) -> bool:
    """Running, not a zombie that nobody reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
