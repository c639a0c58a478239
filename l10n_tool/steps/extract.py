"""``l10n extract``: one POT per source page."""

from __future__ import annotations

from pathlib import Path

from l10n_tool import catalog, glossary as glossary_mod
from l10n_tool.document import Document
from l10n_tool.project import Project


def extract(project: Project, glossary: glossary_mod.Glossary | None = None
            ) -> list[tuple[Path, bool, int]]:
    """Write one POT per source page; returns (path, changed, units)."""
    glossary = glossary if glossary is not None else project.glossary()
    pots = [(project.template_path(doc.slug), templates(project, doc, glossary, None))
            for doc in project.documents()]
    return [(path, catalog.save(pot, path), len(pot)) for path, pot in pots]


def templates(project: Project, doc: Document, glossary: glossary_mod.Glossary,
              locale: str | None) -> catalog.Catalog:
    """The template of ``doc``, with glossary comments for ``locale`` (None: the POT)."""
    def notes(text: str) -> list[str]:
        terms = dict.fromkeys(occ.term for occ in glossary.find(text))
        return [term.describe(locale) for term in terms]
    return catalog.template(doc, project.rel(doc.path), project.settings.site_name, notes)
