"""``l10n update``: merge fresh templates into every PO file of the locales.

Incremental: a PO file is merged again only when its template changed, or
when the locale's translation memory gained a translation for one of its
untranslated entries (a translator finished the same sentence on another
page). A file a translator saved is otherwise left exactly as saved.
"""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from l10n_tool import catalog, workers
from l10n_tool.buildstate import BuildState, digest
from l10n_tool.fsutil import files_by_name
from l10n_tool.locales import LocaleInfo
from l10n_tool.problems import Problem
from l10n_tool.project import SITE_SLUG, Project
from l10n_tool.steps.extract import ExtractResult, extract, has_site_catalog, settings_key


@dataclass
class UpdateResult:
    locale: str
    path: Path
    result: catalog.MergeResult | None      # None: nothing to merge (skipped)
    written: bool


@dataclass
class UpdateRun:
    files: list[UpdateResult] = field(default_factory=list)
    templates: list[ExtractResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)    # pages left as they were
    warnings: list[Problem] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)        # PO files whose page is gone


def update(project: Project, locales: list[LocaleInfo]) -> UpdateRun:
    """Every input (pages, glossary, PO files) is read before anything is
    written, so bad input anywhere leaves every file as it was. A page that
    cannot be read is reported and its PO files are left alone; the other
    pages are updated. Translation memory comes from every PO file of the
    locale, including those of pages that were renamed or removed."""
    glossary = project.glossary()
    with project.build_state() as state:
        gained = {loc.code: refresh_memory(project, state, loc.code) for loc in locales}
        run = UpdateRun()
        run.templates, pages = extract(project, state, glossary)
        run.problems, run.warnings = pages.problems, pages.warnings
        slugs = pages.slugs + ([SITE_SLUG] if has_site_catalog(project, pages) else [])
        key = settings_key(project, state)
        for loc in locales:
            plan = []                # (slug, path, inputs, merge it?) in page order
            for slug in slugs:
                path = project.po_path(loc.code, slug)
                inputs = digest("po", loc.code, key, state.fingerprint(project.template_path(slug)))
                plan.append((slug, path, inputs, _stale(state, path, inputs, gained[loc.code])))
            state.commit()           # workers read the memory through connections of their own
            todo = [(slug, path) for slug, path, _, stale in plan if stale]
            # no memory yet (a first run): no query per entry to learn that
            reuse = bool(todo) and not state.memory(loc.code).empty()
            merged = iter(workers.fan_out(lambda task: _merge_one(project, state, loc, reuse, *task),
                                          todo))
            for slug, path, inputs, stale in plan:
                if not stale:
                    run.files.append(UpdateResult(loc.code, path, None, False))
                    continue
                # the memory each merge saw is what the locale held before this run
                result, written, untranslated, reviewed = next(merged)
                state.record(path, inputs, {"untranslated": untranslated})
                state.remember(loc.code, path, reviewed)
                run.files.append(UpdateResult(loc.code, path, result, written))
            folder = project.settings.locales_dir / loc.code
            known = set(slugs) | pages.failed
            run.orphaned += [project.rel(p) for p in files_by_name(folder, "*.po") if p.stem not in known]
    return run


def _stale(state: BuildState, path: Path, inputs: str, gained: set[str]) -> bool:
    """Merge again: the template changed, the file is gone, or the memory
    gained a translation for one of the file's untranslated entries."""
    known = state.output(path)
    if known is None or known.inputs != inputs or not path.exists():
        return True
    return bool(gained and gained & set(known.data.get("untranslated", ())))


def _merge_one(project: Project, state: BuildState, loc: LocaleInfo, reuse: bool, slug: str,
               path: Path):
    """Merge one page's template into its PO file of the locale and save it;
    the outcome comes back as plain data (this may run in a worker)."""
    with state.memory_reader(loc.code) if reuse else contextlib.nullcontext() as memory:
        pot = _template(project, slug)
        old = project.load_po(path) if path.exists() or path.is_symlink() else None
        merged = catalog.merge(pot, old, loc, project.settings.site_name, memory)
    written = project.save_po(path, merged.po)
    untranslated = [e.msgid for e in merged.po if catalog.state(e) is catalog.State.UNTRANSLATED]
    reviewed = list(catalog.reviewed_rows(merged.po))
    # the file is written: the counts go back, not the catalog
    return dataclasses.replace(merged, po=None), written, untranslated, reviewed


def refresh_memory(project: Project, state: BuildState, locale: str) -> set[str]:
    """Bring the memory up to date with every PO file of the locale (only the
    changed ones are read); returns the msgids that gained a translation."""
    folder = project.settings.locales_dir / locale
    paths = files_by_name(folder, "*.po")
    return state.refresh_memory(locale, paths,
                                lambda p: catalog.reviewed_rows(project.load_po(p)))


def _template(project: Project, slug: str) -> catalog.Catalog:
    """The template a PO file is merged with: the POT that extract has just
    written or found up to date, so a PO file merged by msgmerge with the same
    POT and one merged here agree line for line."""
    return catalog.load(project.template_path(slug))
