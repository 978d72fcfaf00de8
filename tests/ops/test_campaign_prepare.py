"""What a campaign job's preparation answers, as its own process (``govaudit.campaign.prepare``):
the site claimed for the job that waits, and the crawl's configuration, or why there is no crawl."""
from __future__ import annotations

import json
import socket
import subprocess
import sys

from sqlalchemy import update

from govaudit.campaign import store
from govaudit.core import storage
from govaudit.core.errors import EXIT_DB


def _ask(request: dict) -> dict:
    result = subprocess.run([sys.executable, "-m", "govaudit.campaign.prepare"], input=json.dumps(request),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


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
