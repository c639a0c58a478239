"""What a check is: an id, a default severity, a one-line title, and a rule.

The registry in ``l10n_tool.checks`` holds these objects and nothing else
knows check ids: ``l10n check --list``, ``--select``/``--ignore``, severity
overrides in ``[tool.l10n.check]`` and every report format read them from
there, so a new check is one module plus one line in ``REGISTRY``.

A rule comes in one of four scopes:

* ``entry``: ``rule(ctx, entry)`` yields ``(expected, found, message)`` for
  one PO entry; the runner calls it for every reviewed entry (at the check's
  severity) and every draft (at most a warning), and builds the findings. It
  may look at what the entry says (its strings, flags and comments) but not
  at where it is (its line, its references): an entry repeated on many pages
  is checked once per locale;
* ``file``: ``rule(ctx, file)`` yields ``Finding``s about one catalog as a
  whole (its completeness, whether its page still exists);
* ``locale``: rules across the catalogs of one locale. Either ``rule(ctx)``
  sees every catalog at once, or the check also declares
  ``summary(ctx, file)``, the little it needs from one catalog as plain JSON
  data (lists, strings, numbers: exactly what ``json.loads`` would give back,
  so no tuples), and ``rule(ctx, summaries)`` iterates
  ``(path, summary)`` pairs in file order, once (they are read from the
  memo as it goes: 10,000 catalogs' summaries at once would not fit);
  summaries are remembered with each catalog, so a rerun need not read the
  catalogs that did not change;
* ``project``: ``rule(ctx)`` runs once per run (the glossary file, locale
  folders nobody configured) and yields ``Finding``s.

What a check reports for one catalog (entry and file scope, summaries) may
depend only on that catalog, its locale, the glossary and ``--min-complete``:
that is what lets the results of an unchanged catalog be reused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

SEVERITIES = ("error", "warning", "info")
SCOPES = ("entry", "file", "locale", "project")
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
    #: locale scope only: summary(ctx, file) → JSON data the rule combines
    summary: Callable[..., Any] | None = None
    #: entry scope: the rule reads every form of a plural entry itself; else the
    #: runner has it judge each form as a msgstr of its own (msgstr[0] against
    #: the msgid, the others against msgid_plural)
    plural_forms: bool = False

    def __post_init__(self):
        if not re.match(ID_PATTERN, self.id):
            raise ValueError(f"check id {self.id!r} must match {ID_PATTERN}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"check {self.id}: severity must be one of {SEVERITIES}")
        if self.scope not in SCOPES:
            raise ValueError(f"check {self.id}: scope must be one of {SCOPES}")
        if self.summary is not None and self.scope != "locale":
            raise ValueError(f"check {self.id}: only locale checks have a summary")
        if not self.title or "\n" in self.title:
            raise ValueError(f"check {self.id}: title must be one line")


def lower(a: str, b: str) -> str:
    """The milder of two severities (a draft never fails harder than a warning)."""
    return max(a, b, key=SEVERITIES.index)
