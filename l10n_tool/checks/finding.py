"""What a check reports, and what it is given."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from l10n_tool import catalog
from l10n_tool.glossary import Glossary, Problem
from l10n_tool.locales import LocaleInfo

@dataclass(frozen=True)
class Finding:
    check: str
    severity: str          # error | warning | info
    locale: str
    file: str              # path relative to the project root
    line: int
    msgid: str             # shortened
    expected: str
    found: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)

    def fails(self, strict: bool = False) -> bool:
        """Whether this finding makes `l10n check` exit 1."""
        return self.severity == "error" or (strict and self.severity == "warning")


@dataclass
class CatalogFile:
    path: str              # relative, as reported
    po: catalog.Catalog


@dataclass
class Context:
    """Everything the checks of one locale may look at."""
    locale: LocaleInfo
    files: list[CatalogFile]
    glossary: Glossary
    glossary_path: str
    glossary_problems: list[Problem] = field(default_factory=list)
    min_complete: float | None = None


def shorten(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
