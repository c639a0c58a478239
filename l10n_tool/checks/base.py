"""What a check is: an id, a default severity, a one-line title, and a rule.

The registry in ``l10n_tool.checks`` holds these objects and nothing else
knows check ids: ``l10n check --list``, ``--select``/``--ignore``, severity
overrides in ``[tool.l10n.check]`` and every report format read them from
there, so a new check is one module plus one line in ``REGISTRY``.

A rule comes in one of three scopes:

* ``entry``: ``rule(ctx, entry)`` yields ``(expected, found, message)`` for
  one PO entry; the runner calls it for every reviewed entry (at the check's
  severity) and every draft (at most a warning), and builds the findings;
* ``locale``: ``rule(ctx)`` sees every catalog of one locale at once, for
  cross-entry rules, and yields ``Finding``s;
* ``project``: ``rule(ctx)`` runs once per run (the glossary file, locale
  folders nobody configured) and yields ``Finding``s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

SEVERITIES = ("error", "warning", "info")
SCOPES = ("entry", "locale", "project")
#: Check ids are what users type after --select and in pyproject.toml.
ID_PATTERN = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"


@dataclass(frozen=True)
class Check:
    id: str
    severity: str          # default; [tool.l10n.check.severity] may override it
    title: str             # one line, for --list and the README table
    rule: Callable[..., Iterable]
    scope: str = "entry"
    doc: str = ""          # the longer why, usually the module docstring

    def __post_init__(self):
        if not re.match(ID_PATTERN, self.id):
            raise ValueError(f"check id {self.id!r} must match {ID_PATTERN}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"check {self.id}: severity must be one of {SEVERITIES}")
        if self.scope not in SCOPES:
            raise ValueError(f"check {self.id}: scope must be one of {SCOPES}")
        if not self.title or "\n" in self.title:
            raise ValueError(f"check {self.id}: title must be one line")


def lower(a: str, b: str) -> str:
    """The milder of two severities (a draft never fails harder than a warning)."""
    return max(a, b, key=SEVERITIES.index)
