"""The one shape of a problem found in a user's files.

Checks, the glossary validator, the page rebuild and the MT step all report
``Problem``s, so every report format, the CLI's one-line output and the exit
code treat them alike. ``L10nError`` is the exception form of the same thing,
for problems that stop a command.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    message: str
    path: str | None = None        # relative to the project root where possible
    line: int | None = None
    severity: str = "error"        # error | warning | info
    code: str = ""                 # a check id or a category ("page", "mt", "glossary")

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message
