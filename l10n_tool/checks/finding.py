"""What a check reports, and what it is given.

A ``Finding`` is a ``l10n_tool.problems.Problem`` (``code`` is the check
id, ``path`` the file) with the PO-specific fields the reports show, so the
exit code and every report format treat all findings, from any check, alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable

from l10n_tool import catalog
from l10n_tool.glossary import Glossary
from l10n_tool.locales import LocaleInfo
from l10n_tool.problems import Problem

#: Field order of the JSON report (a documented contract: add, never rename).
REPORT_FIELDS = ("check", "severity", "locale", "file", "line", "msgid", "expected", "found",
                 "message")


@dataclass(frozen=True)
class Finding(Problem):
    locale: str = "*"      # locale code, or * for project-wide findings
    msgid: str = ""        # shortened
    expected: str = ""
    found: str = ""

    @classmethod
    def of(cls, check: str, severity: str, locale: str, file: str, line: int, msgid: str,
           expected: str, found: str, message: str) -> "Finding":
        return cls(message=message, path=file, line=line, severity=severity, code=check,
                   locale=locale, msgid=msgid, expected=expected, found=found)

    @property
    def check(self) -> str:
        return self.code

    @property
    def file(self) -> str:
        return self.path or ""

    def as_dict(self) -> dict:
        return {"check": self.code, "severity": self.severity, "locale": self.locale,
                "file": self.file, "line": self.line or 0, "msgid": self.msgid,
                "expected": self.expected, "found": self.found, "message": self.message}

    def fails(self, strict: bool = False) -> bool:
        """Whether this finding makes `l10n check` exit 1."""
        return self.severity == "error" or (strict and self.severity == "warning")


@dataclass
class CatalogFile:
    path: str              # relative, as reported
    po: catalog.Catalog | None   # None: not read this run (its results are remembered)
    slug: str = ""
    orphaned: bool = False  # no source page of this name any more
    #: why the file could not be read (``po`` is then an empty catalog, so that
    #: every other check sees nothing in it and only ``po-syntax`` speaks)
    problem: Problem | None = None

    @cached_property
    def stats(self) -> catalog.Stats:
        return catalog.stats(self.po)

    @cached_property
    def states(self) -> list[catalog.State]:
        """Each entry's state, in file order: asked once, by every check that needs it."""
        return [catalog.state(e) for e in self.po]


@dataclass
class Context:
    """Everything the checks of one locale may look at."""
    locale: LocaleInfo
    files: list[CatalogFile]
    glossary: Glossary
    min_complete: float | None = None
    #: msgid → its glossary occurrences, shared by every check and locale of a run:
    #: three glossary checks ask about each msgid, and shared text recurs across pages
    found: dict = field(default_factory=dict, repr=False)
    #: remember(key, inputs, compute) → compute(), or what it returned last time for
    #: the same key and inputs (JSON data): for a locale check's costly parts
    remember: Callable[[str, Any, Callable[[], Any]], Any] = field(
        default=lambda key, inputs, compute: compute(), repr=False)
    #: an entry's content (``runner._content``) → what the entry checks said about it
    verdicts: dict = field(default_factory=dict, repr=False)
    #: what a check worked out from some text, for the other catalogs of the locale
    #: where the same text recurs: keyed by the check's id and the text
    cache: dict = field(default_factory=dict, repr=False)
    _numbers: dict | None = field(default=None, repr=False)

    def terms(self, text: str) -> list:
        hit = self.found.get(text)
        if hit is None:
            hit = self.found[text] = self.glossary.find(text)
        return hit

    def term_number(self, term) -> int:
        """A term's place in the glossary: how summaries name it in plain JSON."""
        if self._numbers is None:   # by identity: hashing a Term hashes its fields
            self._numbers = {id(t): i for i, t in enumerate(self.glossary.terms)}
        return self._numbers[id(term)]


@dataclass
class ProjectContext:
    """What the once-per-run checks look at."""
    glossary_path: str
    glossary_problems: list = field(default_factory=list)   # glossary validation problems
    #: (folder as reported, folder name) of locale folders not in [tool.l10n] locales
    unconfigured: list[tuple[str, str]] = field(default_factory=list)


#: what a report must not print as it is: C0 and C1 controls and DEL (an ESC
#: in a msgid would drive the terminal showing the report, and XML cannot
#: carry most of them), the bidi controls that reorder a line, and the
#: non-characters XML refuses
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f"
                         "\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def visible(text: str) -> str:
    """``text`` with each unprintable character written as its code (``[U+001B]``)."""
    return UNPRINTABLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text) \
        if UNPRINTABLE.search(text) else text


def shorten(text: str, width: int = 60) -> str:
    text = visible(" ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "…"
