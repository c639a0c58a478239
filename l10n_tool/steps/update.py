"""``l10n update``: merge fresh templates into every PO file of the locales.

Incremental: a PO file is merged again only when its template changed, or
when the locale's translation memory gained a translation for one of its
untranslated entries (a translator finished the same sentence on another
page). A file a translator saved is otherwise left exactly as saved.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from l10n_tool import catalog, workers
from l10n_tool.buildstate import BuildState, digest
from l10n_tool.fsutil import files_by_name, names_in
from l10n_tool.locales import LocaleInfo, remembered_facts
from l10n_tool.problems import Problem
from l10n_tool.project import SITE_SLUG, Project
from l10n_tool.steps.extract import extract, has_site_catalog, settings_key


@dataclass
class UpdateResult:
    locale: str
    path: Path
    result: catalog.MergeResult
    written: bool


@dataclass
class UpdateRun:
    files: list[UpdateResult] = field(default_factory=list)   # the PO files merged
    up_to_date: int = 0      # PO files not merged: template and memory as last time
    problems: list[Problem] = field(default_factory=list)    # pages left as they were
    warnings: list[Problem] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)        # PO files whose page is gone


#: the build state's memo of the last run (per set of locales): what it left, and what it found
_LAST_RUN = "update:all:"


def update(project: Project, locales: list[LocaleInfo]) -> UpdateRun:
    """Every input (pages, glossary, PO files) is read before anything is
    written, so bad input anywhere leaves every file as it was. A page that
    cannot be read is reported and its PO files are left alone; the other
    pages are updated. Translation memory comes from every PO file of the
    locale, including those of pages that were renamed or removed.

    When no file the run depends on (pages, templates, PO files, glossary,
    settings) changed since the last run, nothing can be merged, and the
    run says what the last one found without looking further: the common
    case on a 10,000-page site is a run after nothing or one page changed."""
    with project.build_state() as state:
        sources = project.page_files()
        key = _LAST_RUN + ",".join(loc.code for loc in locales)
        before, found = _inputs(project, state, locales, sources)
        known = state.memo(key, before)
        if known is not None:
            return UpdateRun(up_to_date=known["up_to_date"], orphaned=known["orphaned"],
                             problems=[Problem(**p) for p in known["problems"]],
                             warnings=[Problem(**p) for p in known["warnings"]])
        # each locale folder listed once: for the memory and for orphans
        listed = {loc.code: files_by_name(project.settings.locales_dir / loc.code, ".po")
                  for loc in locales}
        with remembered_facts(state, locales):         # names and plural forms for headers
            run = _update(project, state, locales, sources, listed)
        # what the run leaves (what it wrote is fingerprinted again when recorded);
        # a file that came or went meanwhile, unseen by this run, ends the shortcut
        after, left = _inputs(project, state, locales, sources)
        if left - found <= state.recorded_now and found <= left:
            state.set_memo(key, after, {
                "up_to_date": run.up_to_date + len(run.files), "orphaned": run.orphaned,
                "problems": [dataclasses.asdict(p) for p in run.problems],
                "warnings": [dataclasses.asdict(p) for p in run.warnings]})
    return run


def _inputs(project: Project, state: BuildState, locales: list[LocaleInfo], sources
            ) -> tuple[str, set[str]]:
    """One digest of every file an update reads or writes, and of how it
    reads them: equal to the last run's, this run would do nothing. And the
    templates and PO files it found."""
    s = project.settings
    paths, problems = sources
    folders = [os.fspath(s.templates_dir)] + [os.fspath(s.locales_dir / loc.code) for loc in locales]
    found = [f"{folder}/{name}" for folder in folders
             for name in names_in(folder, ".pot" if folder == folders[0] else ".po")]
    return digest("update", settings_key(project, state), [loc.code for loc in locales],
                  [str(p) for p in problems],
                  [(path, state.input_fingerprint(path)) for path in map(os.fspath, paths)],
                  [(path, state.input_fingerprint(path)) for path in found]), set(found)


def _update(project: Project, state: BuildState, locales: list[LocaleInfo], sources,
            listed: dict[str, list[Path]]) -> UpdateRun:
    gained = {loc.code: refresh_memory(project, state, loc.code, listed[loc.code])
              for loc in locales}
    run = UpdateRun()
    _, pages = extract(project, state, sources=sources)
    run.problems, run.warnings = pages.problems, pages.warnings
    slugs = pages.slugs + ([SITE_SLUG] if has_site_catalog(project, pages) else [])
    key = settings_key(project, state)
    templates = {slug: state.fingerprint(project.template_path(slug)) for slug in slugs}
    for loc in locales:
        folder = project.settings.locales_dir / loc.code
        where = os.fspath(folder)      # strings: one path per page, 10,000 pages
        todo = []                      # (slug, PO file, inputs) to merge, in page order
        for slug in slugs:
            path = f"{where}/{slug}.po"
            inputs = digest("po", loc.code, key, templates[slug])
            if _stale(state, path, inputs, gained[loc.code]):
                todo.append((slug, folder / f"{slug}.po", inputs))
            else:
                run.up_to_date += 1
        state.commit()           # workers read the memory through connections of their own
        # no memory yet (a first run): no query per entry to learn that
        reuse = bool(todo) and not state.memory(loc.code).empty()
        if todo:                                         # the PO header's facts
            loc.work_out("english_name", "plural_forms")
        merged = workers.fan_out(lambda task: _merge_one(project, state, loc, reuse, *task[:2]),
                                 todo)
        for (slug, path, inputs), outcome in zip(todo, merged):
            # the memory each merge saw is what the locale held before this run
            result, written, untranslated, reviewed, other = outcome
            if other:
                run.warnings.append(Problem(
                    f"its header says Language: {other}, not {loc.code}: its translations may "
                    f"be in another language (kept, but not used as {loc.code} memory); move "
                    f"it to its locale's folder, or correct the header if it is wrong",
                    project.rel(path), None, "warning", "language"))
            state.record(path, inputs, {"untranslated": untranslated})
            state.remember(loc.code, path, reviewed)
            run.files.append(UpdateResult(loc.code, path, result, written))
        known = set(slugs) | pages.failed
        run.orphaned += [project.rel(p) for p in listed[loc.code] if p.stem not in known]
    return run


def _stale(state: BuildState, path: str, inputs: str, gained: set[str]) -> bool:
    """Merge again: the template changed, the file is not the one this tool
    left (a translator's save: an entry deleted or added by hand, an emptied
    file, which a merge from scratch would put right, so a warm cache must
    too), or the memory gained a translation for one of its untranslated
    entries."""
    known = state.output(path)
    if known is None or known.inputs != inputs:
        return True
    try:
        if state.fingerprint(path) != known.sha:
            return True
    except OSError:               # a folder in its place: the merge says so
        return True
    return bool(gained and gained & set(known.data.get("untranslated", ())))


def _merge_one(project: Project, state: BuildState, loc: LocaleInfo, reuse: bool, slug: str,
               path: Path):
    """Merge one page's template into its PO file of the locale and save it;
    the outcome comes back as plain data (this may run in a worker)."""
    with state.memory_reader(loc.code) if reuse else contextlib.nullcontext() as memory:
        pot = _template(project, slug)
        old = project.load_po(path) if path.exists() or path.is_symlink() else None
        other = catalog.other_language(old, loc.code)
        merged = catalog.merge(pot, old, loc, project.settings.site_name, memory)
    written = project.save_po(path, merged.po)
    untranslated = catalog.untranslated_msgids(merged.po)
    reviewed = [] if other else list(catalog.reviewed_rows(merged.po))
    # the file is written: the counts go back, not the catalog
    return dataclasses.replace(merged, po=None), written, untranslated, reviewed, other


def refresh_memory(project: Project, state: BuildState, locale: str, paths: list[Path]) -> set[str]:
    """Bring the memory up to date with the locale's PO files (``paths``;
    only the changed ones are read); returns the msgids that gained a
    translation."""
    def rows(path: Path):
        po = project.load_po(path)
        # a catalog of another language (a French file saved into de/) is not memory
        return () if catalog.other_language(po, locale) else catalog.reviewed_rows(po)
    return state.refresh_memory(locale, paths, rows)


def _template(project: Project, slug: str) -> catalog.Catalog:
    """The template a PO file is merged with: the POT that extract has just
    written or found up to date, so a PO file merged by msgmerge with the same
    POT and one merged here agree line for line."""
    return catalog.load(project.template_path(slug))
