"""One localised page: PO entries substituted into the source page.

Decides, per unit, whether a msgstr may go live (reviewed, or fuzzy when the
policy allows, and with exactly the placeholders of its msgid). Anything
else falls back to the source text, and a broken msgstr is reported with
the PO file and line so the translator can find it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from l10n_tool import catalog
from l10n_tool.document import Document, Unit
from l10n_tool import formats
from l10n_tool.locales import LocaleInfo


@dataclass(frozen=True)
class PageProblem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def localise(doc: Document, po: catalog.Catalog | None, po_path: str, locale: LocaleInfo,
             source: LocaleInfo, include_fuzzy: bool) -> tuple[etree._Element, list[PageProblem]]:
    fmt = formats.get(doc.format)
    index = catalog.live_entries(po)
    problems: dict[int, PageProblem] = {}

    def lookup(unit: Unit) -> str | None:
        entry = index.get(unit.text)
        verdict = catalog.usable(entry, include_fuzzy, unit.kind in fmt.plain_text_kinds)
        if verdict.problem:
            problems.setdefault(entry.linenum, PageProblem(
                po_path, entry.linenum, f"{verdict.problem}; source text used instead"))
        return verdict.text

    is_source = locale.code == source.code
    root = fmt.render(doc, (lambda unit: None) if is_source else lookup,
                  lang_attr=locale.bcp47, direction=locale.direction,
                  joiner=locale.sentence_joiner,
                  fallback_lang=None if is_source else source.bcp47)
    return root, sorted(problems.values(), key=lambda p: p.line)
