"""The one error type the library raises.

Every failure a user can cause (a bad file, an unknown locale, a missing
model) is an ``L10nError`` carrying the file and line, so the CLI can print
exactly one line and pick the exit code without knowing where it came from.
"""

from __future__ import annotations

import os

from l10n_tool.problems import Problem

#: Exit code for findings (checks failed, a translation broke placeholders).
EXIT_FINDINGS = 1
#: Exit code for bad input or configuration.
EXIT_USAGE = 2


class L10nError(Exception):
    def __init__(self, message: str, path: str | os.PathLike | None = None,
                 line: int | None = None, exit_code: int = EXIT_USAGE):
        super().__init__(message)
        self.message = message
        self.path = os.fspath(path) if path is not None else None
        self.line = line
        self.exit_code = exit_code

    @property
    def problem(self) -> Problem:
        """The same thing as a reportable problem (one shape for all)."""
        return Problem(self.message, self.path, self.line, "error", "error")

    def location(self) -> str:
        return self.problem.location()

    def __str__(self) -> str:
        return str(self.problem)
