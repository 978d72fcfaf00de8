"""One request answered by a short-lived process of our own: ``python -m module`` reads a JSON
request on stdin and writes one JSON line on stdout, then ends.

The processes that wait on a crawl for hours (``govaudit scan``, a campaign job) hand their
checks and their scan row to such a process, so they never load the libraries those need
(``govaudit.preflight``, ``govaudit.campaign.prepare``).  Both sides are here; this module
imports only the standard library and ``crawler.child``.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

from crawler.child import child_command
from govaudit.core.errors import EXIT_INTERNAL, GovauditError, internal_error_line

INTERRUPTED = 130


def ask(module: str, request: dict, what: str) -> dict:
    """Run ``module`` on ``request``: its answer, or its ``{"error", "code"}`` raised here as the
    one-line ``GovauditError`` it is (KeyboardInterrupt when it was interrupted).  ``what`` names
    the process in the line shown when it gave no answer."""
    argv, env = child_command(module)
    result = subprocess.run(argv, input=json.dumps(request, ensure_ascii=False), stdout=subprocess.PIPE,
                            text=True, encoding="utf-8", env=dict(os.environ, **env))
    if result.returncode == INTERRUPTED:
        raise KeyboardInterrupt
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    try:
        answer = json.loads(lines[-1])
    except (IndexError, ValueError):
        answer = {"error": f"内部错误 / internal error: {what} gave no answer (exit code {result.returncode})",
                  "code": EXIT_INTERNAL}
    if "error" in answer:
        raise GovauditError(answer["error"], int(answer.get("code") or EXIT_INTERNAL))
    return answer


def answer(handle, request: dict) -> dict:
    """``handle(request)``'s result, or ``{"error", "code"}``: a known fault as its one line, a bug
    as one line naming the file that keeps its traceback."""
    try:
        return handle(request)
    except GovauditError as exc:
        return {"error": exc.message, "code": exc.code}
    except Exception as exc:  # a bug: keep the traceback in a file, show one line
        return {"error": internal_error_line(exc), "code": EXIT_INTERNAL}


def serve(handle, setup=None) -> int:
    """The answering side, as a module's ``main``: reads the request, answers it (``answer``) on
    one line.  ``setup(request)`` runs first (logging)."""
    request = json.loads(sys.stdin.read())
    if setup is not None:
        setup(request)
    try:
        result = answer(handle, request)
    except KeyboardInterrupt:       # the waiting process was interrupted too, and says so
        return INTERRUPTED
    sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
    return 0
