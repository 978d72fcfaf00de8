"""Scale-out: campaign jobs on a Celery queue with a Redis broker.

``campaign run --broker redis://…`` puts one message per site on the queue; ``govaudit worker``
processes consume them on any number of machines and write into the same database (PostgreSQL).
The queue is Celery's: late acknowledgement (a message is acknowledged when its site is done),
``reject_on_worker_lost`` (a worker process killed mid-site gives the message back at once),
prefetch 1 (a process holds one site at a time), and Redis's visibility timeout (a message of a
machine that died is delivered again after it).  A message holds only the site's row id: the
database URL, with its password, stays on the workers' command lines.
"""
from __future__ import annotations

import logging
import os
import socket
import time

import redis
from celery import Celery
from celery.exceptions import Reject

from govaudit import oneshot
from govaudit.campaign.job import FOREIGN, run_site
from govaudit.campaign.settings import settings
from govaudit.core.dburl import db_url, redacted_url
from govaudit.core.errors import EXIT_BROKER, GovauditError

log = logging.getLogger(__name__)
TASK = "govaudit.campaign.site"


def check_broker(url: str) -> None:
    """One line and exit 9 when the broker is not a reachable Redis (before any work)."""
    if not url.startswith(("redis://", "rediss://")):
        raise GovauditError(f"消息队列地址无效 / --broker must be a redis:// URL: {url}", EXIT_BROKER)
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        client.ping()
        client.close()
    except (redis.RedisError, OSError, ValueError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise GovauditError(f"无法连接消息队列 / cannot reach the broker {_redacted(url)}: {first}",
                            EXIT_BROKER) from None


def _redacted(url: str) -> str:
    return redacted_url(url)


def make_app(broker: str, db: str | None = None, visibility_timeout: int | None = None):
    app = Celery("govaudit", broker=broker, set_as_current=True)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        worker_concurrency=1,
        task_ignore_result=True,
        task_default_queue=settings()["queue"],
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": int(visibility_timeout
                                                            or settings()["visibility_timeout_seconds"])},
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        govaudit_db=db,
    )

    @app.task(name=TASK, bind=True)
    def site_job(self, site_id: int, campaign_id: int | None = None) -> str:
        status = run_site(app.conf.govaudit_db, int(site_id), redis_url=broker,
                          campaign_id=None if campaign_id is None else int(campaign_id))
        if status == FOREIGN:
            # A worker given another --db than the campaign's: leave the job to the right one.
            log.error("campaign job %s of campaign %s is not in this worker's database %s: requeued", site_id,
                      campaign_id, _redacted(app.conf.govaudit_db))
            time.sleep(5)
            raise Reject("campaign not in this worker's database", requeue=True)
        return status

    return app


def enqueue(broker: str, site_ids: list[int], campaign_id: int) -> None:
    app = make_app(broker)
    with app.connection_for_write() as conn:
        # Declared here too: with Redis, a message sent before any worker bound its queue is dropped.
        app.amqp.queues[settings()["queue"]](conn.default_channel).declare()
        for site_id in site_ids:
            app.send_task(TASK, args=[int(site_id), int(campaign_id)], connection=conn, queue=settings()["queue"])
    log.info("queued %d campaign jobs on %s", len(site_ids), _redacted(broker))


def run_worker(args) -> int:
    """``govaudit worker``: check the broker and the database, then consume jobs until stopped."""
    check_broker(args.broker)
    db = db_url(args.db)
    # Opened (and created) by a process of its own: every job process is forked from this one,
    # which therefore holds no SQLAlchemy (govaudit/campaign/job.py).
    oneshot.ask("govaudit.campaign.prepare", {"what": "database", "db": db}, "the database check")
    app = make_app(args.broker, db, getattr(args, "visibility_timeout", None))
    name = f"govaudit-{socket.gethostname()}-{os.getpid()}"
    argv = ["worker", "--loglevel", "DEBUG" if args.verbose else "INFO", "--concurrency", str(args.concurrency),
            "--pool", "prefork", "--hostname", name, "-O", "fair", "--without-gossip", "--without-mingle",
            "--queues", settings()["queue"]]
    if args.max_tasks_per_child:
        argv += ["--max-tasks-per-child", str(args.max_tasks_per_child)]
    app.worker_main(argv)
    return 0
