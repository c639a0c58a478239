"""Where a project's files are: settings, source pages, templates, catalogs.

The CLI resolves paths and locales through a ``Project`` once; the workflow
steps in ``l10n_tool.steps`` work on what it finds and return plain results
for the CLI to print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from l10n_tool import catalog, glossary as glossary_mod
from l10n_tool.config import Settings
from l10n_tool.document import Document
from l10n_tool.errors import L10nError
from l10n_tool import formats
from l10n_tool.locales import LocaleInfo, get_locale


#: The site-wide catalog: chrome text (menus, footers, share widgets) shared by
#: every page, translated once. The leading underscore keeps it apart from page slugs.
SITE_SLUG = "_site"


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

    def site_template_path(self) -> Path:
        return self.template_path(SITE_SLUG)

    def po_path(self, locale: str, slug: str) -> Path:
        return self.settings.locales_dir / locale / f"{slug}.po"

    def source_files(self) -> list[Path]:
        src = self.settings.source_dir
        if not src.is_dir():
            raise L10nError("source folder not found", src)
        files = sorted(p for p in src.iterdir() if p.suffix.lower() in formats.suffixes())
        if not files:
            raise L10nError(f"no source pages ({', '.join(formats.suffixes())}) in the source folder", src)
        return files

    # -- inputs
    def documents(self) -> list[Document]:
        if self._documents is None:
            s = self.settings
            self._documents = [formats.for_path(p).read(p, get_locale(s.source_locale).language,
                                                        s.segment)
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

    def catalogs(self, locale: str, required: bool = False) -> dict[str, catalog.Catalog]:
        """The locale's PO files by slug; all are read before anything is written."""
        out = {}
        for doc in self.documents():
            path = self.po_path(locale, doc.slug)
            if path.exists():
                out[doc.slug] = catalog.load(path)
            elif required:
                raise L10nError(f"no PO file; run `l10n update -l {locale}` first", path)
        return out
