"""User-facing errors and the documented exit codes.

Every verb turns a GovauditError into one line on stderr and ``exit(code)``; nothing the
user did wrong ever shows a traceback.  The codes are part of the CLI contract (README).
"""
import os
import tempfile
import traceback

EXIT_OK = 0
EXIT_USAGE = 2          # bad arguments: malformed date, unknown option, unknown unit
EXIT_PROFILE = 3        # the site profile is malformed or invalid
EXIT_UNREACHABLE = 4    # the start URL cannot be reached
EXIT_DB = 5             # the database cannot be opened, is locked or not writable
EXIT_OUTPUT = 6         # report files cannot be written (permissions, disk full)
EXIT_LOCKED = 7         # another scheduled run holds the lock
EXIT_UNASSESSABLE = 8   # the reports are written, but the verdict is 无法评价 (too little read to judge)
EXIT_BROKER = 9         # the campaign's broker (Redis) cannot be reached
EXIT_INTERNAL = 70      # a bug: logged with its traceback to the log file, one line on stderr


class GovauditError(Exception):
    """An expected failure with a one-line message and an exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


def first_line(exc: BaseException) -> str:
    """An exception's message as one line: driver errors (SQLAlchemy, psycopg) add the SQL statement,
    its parameters and a help URL on lines of their own."""
    return (str(exc).strip().splitlines() or [""])[0]


def internal_error_line(exc: Exception) -> str:
    """The one line shown for a bug: the exception's first line and the file that now keeps the
    traceback being handled."""
    fd, path = tempfile.mkstemp(prefix="govaudit-crash-", suffix=".log")
    with os.fdopen(fd, "w") as fh:
        traceback.print_exc(file=fh)
    return f"内部错误 / internal error: {type(exc).__name__}: {first_line(exc)} (traceback: {path})"
