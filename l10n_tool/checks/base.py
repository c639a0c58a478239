"""The two shapes a check can take.

An entry check looks at one PO entry at a time and is run by the registry
over every reviewed entry (as errors) and every fuzzy draft (as warnings).
A locale check sees the whole locale at once, for cross-entry rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from l10n_tool import catalog
from l10n_tool.checks.finding import Context, Finding

#: (ctx, entry) → iterable of (expected, found, message) for one problem each
EntryRule = Callable[[Context, catalog.Entry], Iterable[tuple[str, str, str]]]
LocaleRule = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class EntryCheck:
    id: str
    rule: EntryRule
    doc: str


@dataclass(frozen=True)
class LocaleCheck:
    id: str
    rule: LocaleRule
    doc: str
