"""The shared base every other package builds on: the snapshot schema (``storage``), errors and
exit codes (``errors``), the site profile schema (``profile``), times (``clock``), locks
(``locking``), the read model of past scans (``scans``) and the comparison of two scans
(``comparison``).

It imports none of ``crawler``, ``audits``, ``sitesim``, ``govaudit.report`` or the app modules
(``cli``, ``workflow``, ``schedule``, ``history``, ``bench``): the import contracts in setup.cfg
(``lint-imports``, run by tests/test_architecture.py) keep it so.
"""
