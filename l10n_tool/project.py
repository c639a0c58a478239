"""Where a project's files are: settings, source pages, templates, catalogs.

The CLI resolves paths and locales through a ``Project`` once; the workflow
steps in ``l10n_tool.steps`` work on what it finds and return plain results
for the CLI to print.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from l10n_tool import catalog, glossary as glossary_mod
from l10n_tool.catalog.concurrent import save_merged
from l10n_tool.config import Settings
from l10n_tool.document import Document
from l10n_tool.errors import L10nError
from l10n_tool.fsutil import bad_name, files_by_name, printable, read_input, sweep
from l10n_tool import formats
from l10n_tool.locales import LocaleInfo, get_locale
from l10n_tool.buildstate import BuildState
from l10n_tool.problems import Problem


#: The site-wide catalog: chrome text (menus, footers, share widgets) shared by
#: every page, translated once. The leading underscore keeps it apart from page slugs.
SITE_SLUG = "_site"
#: page names a page cannot have, and why
_RESERVED = {"index": "the site writes its own index.html",
             SITE_SLUG: f"{SITE_SLUG} is the name of the site-wide catalog"}


@dataclass
class Project:
    settings: Settings
    _documents: list[Document] | None = field(default=None, repr=False)
    _page_problems: list[Problem] = field(default_factory=list, repr=False)
    #: how the CLI shows a note (an alias resolved, a renamed page); silent in the library
    note: Callable[[str], None] = field(default=lambda message: None, repr=False)
    #: each PO file's bytes as this run read it (None: absent), so a save can
    #: merge with whatever a person wrote to the file since
    _read: dict[Path, bytes | None] = field(default_factory=dict, repr=False)
    _swept: set[Path] = field(default_factory=set, repr=False)
    _templates: dict[str, Path] = field(default_factory=dict, repr=False)

    # -- paths
    def rel(self, path: Path) -> str:
        path = Path(path)
        if path.is_absolute() and ".." not in path.parts:
            # the project's own paths: no resolve(), a syscall per component,
            # on a site of 10,000 pages
            try:
                return path.relative_to(self.settings.root).as_posix()
            except ValueError:
                pass
        try:
            return path.resolve().relative_to(self.settings.root).as_posix()
        except ValueError:
            return path.as_posix()

    def template_path(self, slug: str) -> Path:
        path = self._templates.get(slug)
        if path is None:       # asked for each page by each step
            path = self._templates[slug] = self.settings.templates_dir / f"{slug}.pot"
        return path

    def site_template_path(self) -> Path:
        return self.template_path(SITE_SLUG)

    def po_path(self, locale: str, slug: str) -> Path:
        return self.settings.locales_dir / locale / f"{slug}.po"

    def _source_entries(self) -> list[tuple[str, bool]]:
        """(name, is a symlink) of each page file, in name order, from one
        directory read: no stat per file on a 10,000-page folder.

        Hidden files (``.draft.html``, an editor's ``.#page.html``) are left
        out as a shell glob leaves them, and folders whatever their name
        (``folder.html/``): publish copies neither as a page, so no step may
        make a catalog of them."""
        src = self.settings.source_dir
        suffixes = formats.suffixes()
        found: list[tuple[str, bool]] = []
        try:
            with os.scandir(src) as entries:
                for e in entries:
                    if e.name.startswith(".") or os.path.splitext(e.name)[1].lower() not in suffixes:
                        continue
                    link = e.is_symlink()
                    try:
                        if e.is_dir():   # d_type: a stat only for a link
                            continue
                    except OSError:      # a link in a loop: page_files says so
                        pass
                    found.append((e.name, link))
        except (FileNotFoundError, NotADirectoryError):
            raise L10nError("source folder not found", src) from None
        except OSError as exc:
            raise L10nError(f"cannot read the source folder: {exc.strerror or exc}", src) from None
        if not found:
            raise L10nError(f"no source pages ({', '.join(suffixes)}) in the source folder", src)
        return sorted(found)

    # -- inputs
    def documents(self) -> list[Document]:
        """The readable source pages; see ``documents_and_problems`` for the rest."""
        return self.documents_and_problems()[0]

    def documents_and_problems(self) -> tuple[list[Document], list[Problem]]:
        """Every readable page, and one problem per page that is not.

        A page that cannot be read (or whose slug clashes with another page's,
        or with a file the site itself writes) is left out of every step and
        reported as ``file:line: reason``, so one bad page never stops the site.
        """
        if self._documents is None:
            paths, problems = self.page_files()
            docs: list[Document] = []
            for path in paths:
                try:
                    docs.append(self.read_page(path))
                except L10nError as exc:
                    problems.append(self.page_problem(exc, path))
            self._documents, self._page_problems = docs, problems
        return self._documents, self._page_problems

    def page_files(self) -> tuple[list[Path], list[Problem]]:
        """Source pages that can have a catalog, without reading them; a page
        whose slug clashes with another's or with the site's own index.html is
        a problem instead."""
        paths: list[Path] = []
        problems: list[Problem] = []
        by_slug: dict[str, Path] = {}
        root = self.settings.root.resolve()
        src = self.settings.source_dir
        for name, link in self._source_entries():
            path = src / name
            why = bad_name(name) or (_bad_link(path, root) if link else None)
            if why is not None:
                problems.append(Problem(why, printable(self.rel(path)), None, "error", "page"))
                continue
            slug = os.path.splitext(name)[0]
            clash = by_slug.get(slug)
            if slug in _RESERVED or clash is not None:
                why = (f"{_RESERVED[slug]}; rename the page" if clash is None
                       else f"same page name as {self.rel(clash)}; rename one of them")
                problems.append(Problem(why, self.rel(path), None, "error", "page"))
                continue
            by_slug[slug] = path
            paths.append(path)
        return paths, problems

    def read_page(self, path: Path) -> Document:
        s = self.settings
        rules = None if isinstance(s.extract, dict) else s.extract
        return formats.for_path(path).read(path, get_locale(s.source_locale).language,
                                           s.segment, rules)

    def page_problem(self, exc: L10nError, path: Path) -> Problem:
        return Problem(exc.message, self.rel(exc.path or path), exc.line, "error", "page")

    def build_state(self) -> BuildState:
        return BuildState(self.settings.cache_dir / "state.sqlite")

    def glossary(self) -> glossary_mod.Glossary:
        self.check_glossary()
        return glossary_mod.load(self.settings.glossary)

    def check_glossary(self) -> None:
        """A glossary the settings name must exist: a silently missing one turns
        the CI gate green without a single glossary check."""
        path, s = self.settings.glossary, self.settings
        if path.is_dir():
            raise L10nError("glossary is a folder, not a CSV file", path)
        if s.glossary_explicit and not path.exists():
            where = "--glossary or [tool.l10n] glossary"
            raise L10nError(f"glossary not found (named by {where})", path)

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
            if info.alias_of and code in codes:
                self.note(f"locale {code} is {info.code}; using {self.rel(self.settings.locales_dir / info.code)}/")
            if info.code == self.settings.source_locale:
                raise L10nError(f"{info.code} is the source locale")
            if all(info.code != o.code for o in out):     # -l de -l DE, -l zh_CN -l zh_Hans
                out.append(info)
        return out

    def locale_catalogs(self, locale: str) -> dict[str, catalog.Catalog]:
        """Every PO file in ``locales/<locale>/`` by slug, whether or not its page
        still exists (a renamed page's catalog is memory for the new one)."""
        folder = self.settings.locales_dir / locale
        return {p.stem: self.load_po(p) for p in files_by_name(folder, ".po")}

    def load_po(self, path: Path) -> catalog.Catalog:
        """Load a PO file and remember its bytes, for the merge with disk at save time."""
        data = self._read[path] = read_input(path, "PO file")
        return catalog.loads(data, path)    # these bytes: a save landing meanwhile is merged

    def bytes_read(self, path: Path) -> bytes | None:
        """The file as this run last read or wrote it (None: not yet, or no file)."""
        return self._read.get(path)

    def save_po(self, path: Path, po: catalog.Catalog) -> bool:
        """Save a PO file this run read through ``load_po()``: a person's save
        made meanwhile is merged in and wins (see ``catalog.concurrent``)."""
        if path not in self._read:
            self._read[path] = path.read_bytes() if path.is_file() else None
        if path.parent not in self._swept:       # once a run: what killed runs left there
            sweep(path.parent)
            self._swept.add(path.parent)
        written, self._read[path] = save_merged(path, po, self._read[path], self.settings.po_wrap)
        return written


def _bad_link(path: Path, root: Path) -> str | None:
    """Why a symlinked page is not read, or None: a page read through a link
    to /etc/… would be published."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symlink in a loop (it never reaches a file); not read"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return f"a broken symlink: {printable(os.readlink(path))} does not exist; not read"
        return f"cannot follow the symlink: {exc.strerror or exc}; not read"
    if not Path(os.path.realpath(path)).is_relative_to(root):
        return "a link to a file outside the project; not read"
    return None
