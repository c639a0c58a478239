"""Where a project's files are, and the extract / update / status steps.

The CLI resolves paths and locales through a ``Project`` once; the steps
below work on documents and catalogs and return plain results for the CLI
to print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polib

from l10n_tool import catalog, glossary as glossary_mod
from l10n_tool.config import Settings
from l10n_tool.document import Document
from l10n_tool.errors import L10nError
from l10n_tool.formats.html import read_document
from l10n_tool.locales import LocaleInfo, get_locale


@dataclass
class Project:
    settings: Settings
    _documents: list[Document] | None = field(default=None, repr=False)

    # -- paths
    def rel(self, path: Path) -> str:
        try:
            return Path(path).resolve().relative_to(self.settings.root).as_posix()
        except ValueError:
            return Path(path).as_posix()

    def template_path(self, slug: str) -> Path:
        return self.settings.templates_dir / f"{slug}.pot"

    def po_path(self, locale: str, slug: str) -> Path:
        return self.settings.locales_dir / locale / f"{slug}.po"

    def source_files(self) -> list[Path]:
        src = self.settings.source_dir
        if not src.is_dir():
            raise L10nError("source folder not found", src)
        files = sorted(p for p in src.iterdir() if p.suffix.lower() in (".html", ".htm"))
        if not files:
            raise L10nError("no .html files in the source folder", src)
        return files

    # -- inputs
    def documents(self) -> list[Document]:
        if self._documents is None:
            s = self.settings
            self._documents = [read_document(p, get_locale(s.source_locale).language, s.segment)
                               for p in self.source_files()]
        return self._documents

    def glossary(self) -> glossary_mod.Glossary:
        return glossary_mod.load(self.settings.glossary)

    def locales(self, codes: tuple[str, ...] = (), all_locales: bool = False) -> list[LocaleInfo]:
        """Validated target locales from ``-l`` options, or the configured ones."""
        if codes and all_locales:
            raise L10nError("give -l LOCALE or --all, not both")
        chosen = codes or self.settings.locales
        if not chosen:
            raise L10nError("no locales: pass -l LOCALE or set `locales` in [tool.l10n]")
        out = []
        for code in chosen:
            info = get_locale(code)
            if info.code == self.settings.source_locale:
                raise L10nError(f"{info.code} is the source locale")
            if info.code not in out:
                out.append(info)
        return out

    def catalogs(self, locale: str, required: bool = False) -> dict[str, polib.POFile]:
        """The locale's PO files by slug; all are read before anything is written."""
        out = {}
        for doc in self.documents():
            path = self.po_path(locale, doc.slug)
            if path.exists():
                out[doc.slug] = catalog.load(path)
            elif required:
                raise L10nError(f"no PO file; run `l10n update -l {locale}` first", path)
        return out


# --------------------------------------------------------------------------- steps

def extract(project: Project, glossary: glossary_mod.Glossary | None = None
            ) -> list[tuple[Path, bool, int]]:
    """Write one POT per source page; returns (path, changed, units)."""
    glossary = glossary if glossary is not None else project.glossary()
    pots = [(project.template_path(doc.slug), templates(project, doc, glossary, None))
            for doc in project.documents()]
    return [(path, catalog.save(pot, path), len(pot)) for path, pot in pots]


def templates(project: Project, doc: Document, glossary: glossary_mod.Glossary,
              locale: str | None) -> polib.POFile:
    """The template of ``doc``, with glossary comments for ``locale`` (None: the POT)."""
    def notes(text: str) -> list[str]:
        terms = dict.fromkeys(occ.term for occ in glossary.find(text))
        return [term.describe(locale) for term in terms]
    return catalog.template(doc, project.rel(doc.path), project.settings.site_name, notes)


@dataclass
class UpdateResult:
    locale: str
    path: Path
    result: catalog.MergeResult
    written: bool


def update(project: Project, locales: list[LocaleInfo]) -> list[UpdateResult]:
    """Merge fresh templates into every PO file of ``locales``.

    Every input (pages, glossary, PO files) is read before anything is
    written, so bad input anywhere leaves every file as it was.
    """
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


def status(project: Project, locales: list[LocaleInfo]) -> list[dict]:
    rows = []
    for loc in locales:
        pos = project.catalogs(loc.code)
        for doc in project.documents():
            po = pos.get(doc.slug)
            if po is None:
                msgids = {u.text for u in doc.units}
                st = catalog.Stats(total=len(msgids), untranslated=len(msgids),
                                   words_total=sum(catalog.words(t) for t in msgids))
            else:
                st = catalog.stats(po)
            rows.append({"locale": loc.code, "page": doc.slug,
                         "file": project.rel(project.po_path(loc.code, doc.slug)), **st.as_dict()})
    return rows
