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
        settings = _settings(project, state, locales, sources)
        found = _found(project, locales)
        files = _fingerprints(state, sources, found)
        known = state.blob(key)
        known = known[1] if known is not None and isinstance(known[1], dict) else None
        pending = {loc.code: state.pending_gain(loc.code) for loc in locales}
        caught_up = not any(pending.values())
        if known is not None and known.get("settings") == settings and \
                known.get("files") == files and caught_up:
            return UpdateRun(up_to_date=known["up_to_date"], orphaned=known["orphaned"],
                             problems=[Problem(**p) for p in known["problems"]],
                             warnings=[Problem(**p) for p in known["warnings"]])
        with remembered_facts(state, locales):         # names and plural forms for headers
            run, gained = _update_changed(project, state, locales, sources, settings, known,
                                          files) if known is not None and caught_up \
                else (None, pending)
            if run is None:
                # each locale folder listed once: for the memory and for orphans
                listed = {loc.code: files_by_name(project.settings.locales_dir / loc.code, ".po")
                          for loc in locales}
                run = _update(project, state, locales, sources, listed, gained)
        # what the run leaves: what it found, and the files it wrote taken again (a
        # file that came or went meanwhile, unseen by this run, is not among them,
        # so the next run's listing differs and ends the shortcut)
        folders = set(_folders(project, locales))
        made = {path for path in state.recorded_now if path.endswith((".po", ".pot"))
                and path.rpartition("/")[0] in folders}
        files.update(state.fingerprints(sorted(made)))
        files = {path: files[path] for path in _input_paths(sources, found | made)}
        state.set_blob(key, settings, {
            "up_to_date": run.up_to_date + len(run.files), "orphaned": run.orphaned,
            "problems": [dataclasses.asdict(p) for p in run.problems],
            "warnings": [dataclasses.asdict(p) for p in run.warnings],
            # what the next run compares to find the few files that changed
            "settings": settings, "files": files})
    return run


def _settings(project: Project, state: BuildState, locales: list[LocaleInfo], sources) -> str:
    """What every file's update depends on besides the files themselves."""
    return digest("update-settings", settings_key(project, state),
                  [loc.code for loc in locales], [str(p) for p in sources[1]])


def _folders(project: Project, locales: list[LocaleInfo]) -> list[str]:
    """The templates folder, then each locale's."""
    s = project.settings
    return [os.fspath(s.templates_dir)] + [os.fspath(s.locales_dir / loc.code) for loc in locales]


def _found(project: Project, locales: list[LocaleInfo]) -> set[str]:
    """The templates and the locales' PO files there are."""
    folders = _folders(project, locales)
    return {f"{folder}/{name}" for folder in folders
            for name in names_in(folder, ".pot" if folder == folders[0] else ".po")}


def _input_paths(sources, found: set[str]) -> list[str]:
    """Every file an update reads or writes: the pages, then the templates
    and PO files, in the order their fingerprints are kept."""
    return [*map(os.fspath, sources[0]), *sorted(found)]


def _fingerprints(state: BuildState, sources, found: set[str]) -> dict[str, str]:
    """Path → a short fingerprint of each of ``_input_paths``. Equal to the
    last run's (and the settings too), this run would do nothing."""
    return state.fingerprints(_input_paths(sources, found))


def _update_changed(project: Project, state: BuildState, locales: list[LocaleInfo], sources,
                    settings: str, known: dict, files: dict[str, str]
                    ) -> tuple[UpdateRun | None, dict[str, set[str]]]:
    """A few pages, templates or PO files changed, none came or went, and
    nothing else did: only their pages are extracted and their PO files
    merged. No run when more depends on what changed: a translation another
    page could reuse, the site's chrome, a page that cannot be read, or
    more files than that; and what the memory gained from the files read."""
    was = known.get("files")
    if known.get("settings") != settings or \
            not isinstance(was, dict) or was.keys() != files.keys() or known["problems"]:
        return None, {}
    changed = [path for path, fp in files.items() if was[path] != fp]
    slugs: set[str] = set()
    pos: dict[str, list[Path]] = {loc.code: [] for loc in locales}
    folders = dict(zip(_folders(project, locales)[1:], (loc.code for loc in locales)))
    for path in changed:
        folder, _, name = path.rpartition("/")
        slug = name.rpartition(".")[0]
        slugs.add(slug)
        if folder in folders:
            pos[folders[folder]].append(Path(path))
    if not changed or len(slugs) >= workers.PARALLEL_MIN or SITE_SLUG in slugs:
        return None, {}
    # the memory first: a translation gained is reused by other pages' files,
    # a whole update's work (which then need not read these files again)
    gained = {code: refresh_memory(project, state, code, paths, complete=False)
              for code, paths in pos.items()}
    if any(gained.values()):
        return None, gained
    run = UpdateRun()
    _, pages = extract(project, state, sources=sources, only=slugs)
    if pages.site_changed or pages.failed:
        return None, gained
    run.problems, run.warnings = pages.problems, pages.warnings
    key = settings_key(project, state)
    every = len(pages.slugs) + (1 if has_site_catalog(project, pages) else 0)
    looked_at = sorted(slugs & set(pages.slugs))
    templates = {slug: state.fingerprint(project.template_path(slug)) for slug in looked_at}
    for loc in locales:
        todo = _stale_files(project, state, loc, key, looked_at, templates, set())
        run.up_to_date += every - len(todo)
        state.commit()           # workers read the memory through connections of their own
        state.set_pending_gain(loc.code, _merge(project, state, loc, todo, run))
    run.orphaned = list(known["orphaned"])
    return run, gained


def _update(project: Project, state: BuildState, locales: list[LocaleInfo], sources,
            listed: dict[str, list[Path]], gained: dict[str, set[str]] | None = None
            ) -> UpdateRun:
    """Every page's template and PO file checked (``gained``: what the
    memory gained already this run, from a few files read before)."""
    gained = {loc.code: refresh_memory(project, state, loc.code, listed[loc.code]) |
              (gained or {}).get(loc.code, set()) for loc in locales}
    run = UpdateRun()
    _, pages = extract(project, state, sources=sources)
    run.problems, run.warnings = pages.problems, pages.warnings
    slugs = pages.slugs + ([SITE_SLUG] if has_site_catalog(project, pages) else [])
    key = settings_key(project, state)
    templates = {slug: state.fingerprint(project.template_path(slug)) for slug in slugs}
    for loc in locales:
        todo = _stale_files(project, state, loc, key, slugs, templates, gained[loc.code])
        run.up_to_date += len(slugs) - len(todo)
        # until every file that may reuse them is merged (a run stopped before
        # would otherwise leave them for no run to see: the memory has them now)
        state.set_pending_gain(loc.code, gained[loc.code])
        state.commit()           # workers read the memory through connections of their own
        state.set_pending_gain(loc.code, _merge(project, state, loc, todo, run))
        known = set(slugs) | pages.failed
        run.orphaned += [project.rel(p) for p in listed[loc.code] if p.stem not in known]
    return run


def _merge(project: Project, state: BuildState, loc: LocaleInfo, todo: list, run: UpdateRun
           ) -> set[str]:
    """Merge the PO files ``todo`` lists, in worker processes when they are
    many; returns what the memory gained from files a person saved while
    this run went on (after it took their fingerprints), for the next run to
    merge into the other files."""
    # no memory yet (a first run): no query per entry to learn that
    reuse = bool(todo) and not state.memory(loc.code).empty()
    if todo:                                         # the PO header's facts
        loc.work_out("english_name", "plural_forms")
    merged = workers.fan_out(lambda task: _merge_one(project, state, loc, reuse, *task[:2]),
                             todo)
    late: set[str] = set()
    for (slug, path, inputs), outcome in zip(todo, merged):
        # the memory each merge saw is what the locale held before this run
        result, written, untranslated, reviewed, other, moved = outcome
        if moved:
            before = state.memory_rows(loc.code, path)
            late.update(m for c, m, s in reviewed if before.get((c or "", m)) != s)
        if other:
            run.warnings.append(Problem(
                f"its header says Language: {other}, not {loc.code}: its translations may "
                f"be in another language (kept, but not used as {loc.code} memory); move "
                f"it to its locale's folder, or correct the header if it is wrong",
                project.rel(path), None, "warning", "language"))
        state.record(path, inputs, {"untranslated": untranslated})
        state.remember(loc.code, path, reviewed)
        run.files.append(UpdateResult(loc.code, path, result, written))
    return late


def _stale_files(project: Project, state: BuildState, loc: LocaleInfo, key: str,
                 slugs: list[str], templates: dict[str, str | None], gained: set[str]
                 ) -> list[tuple[str, Path, str]]:
    """(slug, PO file, inputs) of each of the locale's PO files of ``slugs``
    to merge, in page order (``templates``: slug → its template's fingerprint)."""
    folder = project.settings.locales_dir / loc.code
    where = os.fspath(folder)      # strings: one path per page, 10,000 pages
    todo = []
    for slug in slugs:
        inputs = digest("po", loc.code, key, templates[slug])
        if _stale(state, f"{where}/{slug}.po", inputs, gained):
            todo.append((slug, folder / f"{slug}.po", inputs))
    return todo


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
    moved = state.moved(path)
    with state.memory_reader(loc.code) if reuse else contextlib.nullcontext() as memory:
        pot = _template(project, slug)
        old = project.load_po(path) if path.exists() or path.is_symlink() else None
        other = catalog.other_language(old, loc.code)
        merged = catalog.merge(pot, old, loc, project.settings.site_name, memory)
    written = project.save_po(path, merged.po)
    untranslated = catalog.untranslated_msgids(merged.po)
    reviewed = [] if other else list(catalog.reviewed_rows(merged.po))
    # the file is written: the counts go back, not the catalog
    return dataclasses.replace(merged, po=None), written, untranslated, reviewed, other, moved


def refresh_memory(project: Project, state: BuildState, locale: str, paths: list[Path],
                   complete: bool = True) -> set[str]:
    """Bring the memory up to date with the locale's PO files (``paths``;
    only the changed ones are read; ``complete``: all of them, so that the
    memory of the others is dropped); returns the msgids that gained a
    translation."""
    def rows(path: Path):
        po = project.load_po(path)
        # a catalog of another language (a French file saved into de/) is not memory
        return () if catalog.other_language(po, locale) else catalog.reviewed_rows(po)
    return state.refresh_memory(locale, paths, rows, complete)


def _template(project: Project, slug: str) -> catalog.Catalog:
    """The template a PO file is merged with: the POT that extract has just
    written or found up to date, so a PO file merged by msgmerge with the same
    POT and one merged here agree line for line."""
    return catalog.load(project.template_path(slug))
