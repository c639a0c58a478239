"""``l10n update``: merge fresh templates into every PO file of the locales.

Incremental: a PO file is merged again only when its template changed, or
when the locale's translation memory gained a translation for one of its
untranslated entries (a translator finished the same sentence on another
page). A file a translator saved is otherwise left exactly as saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from l10n_tool import catalog
from l10n_tool.buildstate import BuildState, digest
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
            memory = state.memory(loc.code)
            merged_files = []      # memory is what the locale held before this run
            for slug in slugs:
                path = project.po_path(loc.code, slug)
                inputs = digest("po", loc.code, key, state.fingerprint(project.template_path(slug)))
                known = state.output(path)
                if known and known.inputs == inputs and path.exists() and not (
                        gained[loc.code] and gained[loc.code] & set(known.data.get("untranslated", ()))):
                    run.files.append(UpdateResult(loc.code, path, None, False))
                    continue
                pot = _template(project, slug)
                old = project.load_po(path) if path.exists() or path.is_symlink() else None
                merged = catalog.merge(pot, old, loc, project.settings.site_name, memory)
                written = project.save_po(path, merged.po)
                untranslated = [e.msgid for e in merged.po
                                if catalog.state(e) is catalog.State.UNTRANSLATED]
                state.record(path, inputs, {"untranslated": untranslated})
                merged_files.append((path, merged.po))
                run.files.append(UpdateResult(loc.code, path, merged, written))
            for path, po in merged_files:
                state.remember(loc.code, path, catalog.reviewed_rows(po))
            folder = project.settings.locales_dir / loc.code
            run.orphaned += [project.rel(p) for p in sorted(folder.glob("*.po"))
                             if p.stem not in slugs and p.stem not in pages.failed]
    return run


def refresh_memory(project: Project, state: BuildState, locale: str) -> set[str]:
    """Bring the memory up to date with every PO file of the locale (only the
    changed ones are read); returns the msgids that gained a translation."""
    folder = project.settings.locales_dir / locale
    paths = sorted(folder.glob("*.po")) if folder.is_dir() else []
    return state.refresh_memory(locale, paths,
                                lambda p: catalog.reviewed_rows(project.load_po(p)))


def _template(project: Project, slug: str) -> catalog.Catalog:
    """The template a PO file is merged with: the POT that extract has just
    written or found up to date, so a PO file merged by msgmerge with the same
    POT and one merged here agree line for line."""
    return catalog.load(project.template_path(slug))
