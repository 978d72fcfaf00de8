"""Inspection campaigns: one inspection of many sites (``govaudit campaign run | status``,
``govaudit worker``).

* ``sites.py``     sites.yaml, checked before any work
* ``store.py``     the campaign's rows: claim, heartbeat, outcome of each site
* ``job.py``       one site's job: crawl (resuming), audit, report
* ``embedded.py``  the default: N jobs at once in processes of this machine
* ``cluster.py``   Celery + Redis: one message per site, ``govaudit worker`` consumes them
* ``report.py``    the campaign report (report.html, campaign.xlsx)
* ``run.py``       ``campaign run`` and ``campaign status``
"""
