"""``l10n update``: merge fresh templates into every PO file of the locales."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from l10n_tool import catalog
from l10n_tool.locales import LocaleInfo
from l10n_tool.project import Project
from l10n_tool.steps.extract import extract, templates


@dataclass
class UpdateResult:
    locale: str
    path: Path
    result: catalog.MergeResult
    written: bool


def update(project: Project, locales: list[LocaleInfo]) -> list[UpdateResult]:
    """Every input (pages, glossary, PO files) is read before anything is
    written, so bad input anywhere leaves every file as it was."""
    glossary = project.glossary()
    existing = {loc.code: project.catalogs(loc.code) for loc in locales}
    docs = project.documents()
    extract(project, glossary)
    out = []
    for loc in locales:
        memory = catalog.translation_memory(existing[loc.code].values())
        for doc in docs:
            pot = templates(project, doc, glossary, loc.code)
            merged = catalog.merge(pot, existing[loc.code].get(doc.slug), loc,
                                   project.settings.site_name, memory)
            path = project.po_path(loc.code, doc.slug)
            written = catalog.save(merged.po, path)
            out.append(UpdateResult(loc.code, path, merged, written))
    return out
