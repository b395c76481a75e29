"""Errors that reach a user as one line and a distinct exit code, never a traceback."""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_NEGATIVE = 1  # a negative finding: inconsistent ontology, non-conforming case
EXIT_BAD_INPUT = 2
EXIT_UNREACHABLE = 3  # a store that cannot be reached or timed out


class RongcuoError(Exception):
    """Base for errors the CLI reports as one line."""

    exit_code = EXIT_BAD_INPUT


class BadInput(RongcuoError):
    """Input that cannot be used: names the file (and line) where that applies."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return where + self.message
