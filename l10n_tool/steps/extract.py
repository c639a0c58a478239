"""``l10n extract``: one POT per source page, and one for the site's chrome.

Article units go to the page's own template; chrome units (menus, footers,
share widgets) of every page go to one site template, each text once, so a
newsroom translates its site furniture once and not per article.

Incremental: a page whose content, glossary and settings are as last time is
not read again; its chrome units are remembered in the build state, so the
site template can be rebuilt without it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from l10n_tool import catalog, glossary as glossary_mod, workers
from l10n_tool.buildstate import BuildState, Record, digest
from l10n_tool.document import Document, Unit
from l10n_tool.errors import L10nError
from l10n_tool.problems import Problem
from l10n_tool.project import Project


@dataclass
class ExtractResult:
    path: Path
    changed: bool
    #: entries of the template, or the record that holds their number (decoded
    #: only if asked: ``update`` never asks, for 10,000 unchanged templates)
    count: "int | Record"

    @property
    def units(self) -> int:
        return self.count if isinstance(self.count, int) else self.count.data.get("units", 0)


@dataclass
class Pages:
    """What the pages hold, read where they changed and remembered elsewhere."""
    slugs: list[str] = field(default_factory=list)            # readable pages, in order
    paths: dict[str, Path] = field(default_factory=dict)      # slug → source file
    inputs: dict[str, str] = field(default_factory=dict)      # slug → digest of its inputs
    chrome: dict[str, "list[Unit] | _Remembered"] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)     # unreadable pages
    warnings: list[Problem] = field(default_factory=list)     # e.g. a wrong charset
    failed: set[str] = field(default_factory=set)             # slugs of unreadable pages
    chrome_keys: dict[str, str] = field(default_factory=dict)  # slug → digest of its chrome
    #: with only some pages looked at: the chrome of one of them changed, so
    #: the site template must be made again (from every page's)
    site_changed: bool = False

    def site_inputs(self, key: str) -> str:
        """The site template depends on each page's chrome and path, not on its
        article (a newsroom edits articles all day and the chrome rarely), and
        on what makes any template (``key``: the glossary's notes, the site name)."""
        return digest("site", key,
                      *(f"{self.paths[s]}\x1e{self.chrome_keys[s]}" for s in self.slugs))


def settings_key(project: Project, state: BuildState) -> str:
    """Everything besides a page itself that changes its template."""
    s = project.settings
    return digest(s.segment, s.source_locale, repr(s.extract), s.site_name, s.po_wrap,
                  state.fingerprint(s.glossary))


class _Remembered:
    """A page's chrome units as the build state holds them, made into Units
    only if the site template is built again."""

    def __init__(self, record):
        self.record = record

    def __iter__(self):
        return (_unit(r) for r in self.record.data.get("chrome", ()))

    def __bool__(self) -> bool:
        return bool(self.record.data.get("chrome"))


def _unit_row(u: Unit) -> list:
    return [u.text, u.kind, u.line, list(u.notes)]


def _chrome_key(units: list[Unit]) -> str:
    return digest(*(json.dumps(_unit_row(u), ensure_ascii=False) for u in units))


def _unit(row: list) -> Unit:
    return Unit(row[0], row[1], row[2], tuple(row[3]), "chrome")


@dataclass
class _PageRead:
    """What reading one stale page gave, as plain data from a worker."""
    changed: bool = False          # its template was written
    units: int = 0                 # entries in its template
    chrome: list[Unit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problem: Problem | None = None


def _read_and_template(project: Project, glossary: glossary_mod.Glossary, path: Path) -> _PageRead:
    """Read a page and write its template; a page that cannot be read keeps its old POT."""
    try:
        doc = project.read_page(path)
    except L10nError as exc:
        return _PageRead(problem=project.page_problem(exc, path))
    pot = page_template(project, doc, glossary)
    changed = catalog.save(pot, project.template_path(doc.slug), project.settings.po_wrap)
    return _PageRead(changed, len(pot), [u for u in doc.units if u.scope == "chrome"],
                     list(doc.warnings))


def scan(project: Project, state: BuildState, glossary: Callable[[], glossary_mod.Glossary],
         sources: tuple[list[Path], list[Problem]] | None = None, only: set[str] | None = None
         ) -> tuple[Pages, list[ExtractResult]]:
    """Pages whose template is stale are read (in worker processes when they
    are many) and their templates written; the others come from the state
    (and the glossary, which takes a while to load when it is big, is loaded
    only if a page is read). With ``only``, the pages of those slugs are
    looked at and the others taken as they were (the caller knows their
    files did not change), chrome and all."""
    paths, problems = sources or project.page_files()
    out = Pages(problems=list(problems))
    key = settings_key(project, state)
    stale: list[Path] = []
    kept: dict[str, Record] = {}         # slug → its template's record, up to date
    slugs = [path.stem for path in paths]
    if only is not None:
        out.slugs = slugs
        out.paths = dict(zip(slugs, paths))
        slugs = [slug for slug in slugs if slug in only]
        paths = [out.paths[slug] for slug in slugs]
        before = {slug: state.output(_chrome_record(project.template_path(slug)))
                  for slug in slugs}
    for slug, path in zip(slugs, paths):
        where = os.fspath(path)
        inputs = out.inputs[slug] = digest("page", key, where, state.fingerprint(where))
        out.paths[slug] = path
        pot_path = project.template_path(slug)
        pot = state.output(pot_path)
        chrome = state.output(_chrome_record(pot_path)) if pot is not None else None
        if chrome is not None and pot.inputs == inputs and pot.sha is not None \
                and state.fingerprint(pot_path) == pot.sha:
            out.chrome[slug] = _Remembered(chrome)
            out.chrome_keys[slug] = chrome.inputs     # no decoding: 10,000 pages
            kept[slug] = pot
        else:
            stale.append(path)
    terms = glossary() if stale else None
    done = dict(zip((p.stem for p in stale), workers.fan_out(
        lambda p: _read_and_template(project, terms, p), stale)))
    results = []
    for slug, path in zip(slugs, paths):
        pot_path = project.template_path(slug)
        read = done.get(slug)
        if read is None:
            if only is None:
                out.slugs.append(slug)
            results.append(ExtractResult(pot_path, False, kept[slug]))
            continue
        if read.problem is not None:
            out.problems.append(read.problem)
            out.failed.add(slug)
            continue
        if only is None:
            out.slugs.append(slug)
        out.chrome[slug] = read.chrome
        out.chrome_keys[slug] = _chrome_key(read.chrome)
        ref = project.rel(path)
        out.warnings.extend(Problem(w, ref, None, "warning", "page") for w in read.warnings)
        results.append(ExtractResult(pot_path, read.changed, read.units))
        state.record(pot_path, out.inputs[slug], {"units": read.units})
        state.record(_chrome_record(pot_path), out.chrome_keys[slug],
                     {"chrome": [_unit_row(u) for u in read.chrome]})
    if only is not None:
        out.site_changed = any(before[slug] is None or out.chrome_keys.get(slug) !=
                               before[slug].inputs for slug in slugs)
    return out, results


def _chrome_record(pot_path: Path) -> str:
    """Where a page's chrome units are kept, apart from its template's record:
    the site template's check reads only their digest."""
    return f"{pot_path}#chrome"


def page_template(project: Project, doc: Document, glossary: glossary_mod.Glossary
                  ) -> catalog.Catalog:
    ref = project.rel(doc.path)
    return catalog.template(((u, ref) for u in doc.units if u.scope != "chrome"),
                            project.settings.site_name, _notes(glossary))


def site_template(project: Project, pages: Pages, glossary: glossary_mod.Glossary
                  ) -> catalog.Catalog:
    refs = {slug: project.rel(pages.paths[slug]) for slug in pages.slugs}
    units = ((u, refs[slug]) for slug in pages.slugs for u in pages.chrome[slug])
    return catalog.template(units, project.settings.site_name, _notes(glossary))


def _notes(glossary: glossary_mod.Glossary):
    def notes(text: str) -> list[str]:
        terms = dict.fromkeys(occ.term for occ in glossary.find(text))
        return [term.describe() for term in terms]
    return notes


def has_site_catalog(project: Project, pages: Pages) -> bool:
    return project.site_template_path().exists() or any(pages.chrome.values())


def extract(project: Project, state: BuildState, glossary: glossary_mod.Glossary | None = None,
            sources: tuple[list[Path], list[Problem]] | None = None, only: set[str] | None = None
            ) -> tuple[list[ExtractResult], Pages]:
    """Write the templates that changed; a page that cannot be read keeps its
    old POT. ``sources``: the project's page files, when already listed;
    ``only``: the slugs of the only pages that may have changed (see ``scan``:
    the site template is then left as it is, and ``site_changed`` says whether
    it must not be)."""
    loaded = [glossary]

    def terms() -> glossary_mod.Glossary:
        if loaded[0] is None:
            loaded[0] = project.glossary()
        return loaded[0]
    pages, results = scan(project, state, terms, sources, only)
    if only is not None:
        return results, pages
    if has_site_catalog(project, pages):
        path = project.site_template_path()
        inputs = pages.site_inputs(settings_key(project, state))
        if state.fresh(path, inputs):
            results.append(ExtractResult(path, False, state.output(path)))
        else:
            pot = site_template(project, pages, terms())
            results.append(ExtractResult(path, catalog.save(pot, path, project.settings.po_wrap), len(pot)))
            state.record(path, inputs, {"units": len(pot)})
    return results, pages
