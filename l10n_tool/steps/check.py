"""``l10n check``: the CI gate over every catalog in ``locales/``.

Catalogs are found in ``locales/<locale>/*.po`` (as Babel's ``compile``
does), not through the source pages: CI must check what will be published
and sent to translators, a PO file whose page was removed included (it is
reported as orphaned), and a broken HTML page is not this command's business,
so no source page is ever read: only their names are listed.

A catalog that cannot be read is a finding (``po-syntax``) in the report CI
asked for, and every other catalog is checked as usual: one broken page must
not hide the findings of all the others. Findings name files relative to the
project root, as the README and publish do; an error that stops the check
keeps the absolute path, for the CLI to name it the project's way (a relative
one would be read against the folder the command runs in).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from l10n_tool import catalog
from l10n_tool.checks import glossary as glossary_checks, settings as check_settings, syntax
from l10n_tool.checks.finding import CatalogFile, Context, Finding, ProjectContext
from l10n_tool.checks.memo import CheckMemo
from l10n_tool.checks.runner import (CheckRun, FileResult, file_result, in_report_order,
                                     locale_findings, needs_catalogs, project_findings)
from l10n_tool.errors import L10nError
from l10n_tool.glossary import parse as parse_glossary
from l10n_tool.locales import LocaleInfo, get_locale
from l10n_tool.fsutil import files_by_name, names_in
from l10n_tool.problems import Problem
from l10n_tool.project import SITE_SLUG, Project


def configured(project: Project) -> check_settings.CheckSettings:
    """``[tool.l10n.check]``, parsed by config when it knows the table, else read here."""
    conf = getattr(project.settings, "check", None)
    if isinstance(conf, check_settings.CheckSettings):
        return conf
    pyproject = project.settings.root / "pyproject.toml"
    if isinstance(conf, dict):
        return check_settings.parse(conf, pyproject)
    return check_settings.read(pyproject)


def catalog_paths(project: Project, locale: str) -> list[Path]:
    folder = project.settings.locales_dir / locale
    paths = files_by_name(folder, ".po")
    if not paths:
        raise L10nError(f"no PO files; run `l10n update -l {locale}` first", folder)
    return paths


def source_slugs(project: Project) -> set[str] | None:
    """Names of the source pages (None without a source folder: nothing to orphan)."""
    if not project.settings.source_dir.is_dir():
        return None
    # the pages every other step sees: no hidden file, folder or unreadable name
    return {p.stem for p in project.page_files()[0]}


def unconfigured_folders(project: Project) -> list[tuple[str, str]]:
    s = project.settings
    if not s.locales_dir.is_dir():
        return []
    out = []
    for folder in sorted(p for p in s.locales_dir.iterdir() if p.is_dir()):
        if folder == s.templates_dir or not names_in(folder, ".po"):
            continue
        try:
            code = get_locale(folder.name).code
        except L10nError:
            code = folder.name
        if folder.name not in s.locales and code not in s.locales:
            out.append((project.rel(folder), folder.name))
    return out


def check(project: Project, codes: tuple[str, ...] = (), all_locales: bool = False,
          min_complete: float | None = None, select: tuple[str, ...] = (),
          ignore: tuple[str, ...] = (), use_cache: bool = True) -> CheckRun:
    chosen = check_settings.choose(configured(project), select, ignore)
    locales = project.locales(codes, all_locales)
    paths = {loc.code: catalog_paths(project, loc.code) for loc in locales}
    pages = source_slugs(project)
    glossary, problems = parse_glossary(project.settings.glossary)
    _glossary_usable(project, chosen, problems)
    memo = (CheckMemo.open(project.settings.cache_dir, project.settings.glossary, chosen)
            if use_cache else CheckMemo(None))
    try:
        with _collector_paused():
            plans = [_plan(project, memo, chosen, loc, paths[loc.code], pages, min_complete)
                     for loc in locales]
            project_ctx = ProjectContext(project.rel(project.settings.glossary), problems,
                                         [] if codes else unconfigured_folders(project))
            parts = [project_findings(chosen, project_ctx)]
            run = CheckRun()
            found: dict = {}            # glossary occurrences by msgid, shared by all locales
            for plan in plans:
                files = [CatalogFile(rel, None, p.stem, orphaned)
                         for p, rel, _, orphaned, _ in plan.files]
                ctx = Context(plan.locale, files, glossary, min_complete, found, memo.remember)
                parts.extend(_check_locale(chosen, ctx, plan, memo, run))
    finally:
        memo.close()
    run.findings = in_report_order(chosen, parts)
    return run


def _glossary_usable(project: Project, chosen, problems) -> None:
    """A broken glossary row is skipped by the glossary checks and reported by
    ``glossary-file``; with that check turned off and a glossary check on, the
    broken rows would go unchecked in silence (a misspelt ``fixd`` term never
    enforced), so the check stops, as it does for a broken catalog when
    ``po-syntax`` is off."""
    ids = {check.id for check, _ in chosen}
    if problems and glossary_checks.FILE.id not in ids and ids & GLOSSARY_CHECKS:
        first = problems[0]
        raise L10nError(f"{first.message} (glossary-file is turned off, and the glossary "
                        "checks would skip this row)", project.settings.glossary, first.line)


#: the checks that read the glossary's terms
GLOSSARY_CHECKS = frozenset(c.id for c in (glossary_checks.FIXED, glossary_checks.APPROVED,
                                           glossary_checks.CONSISTENCY))


@contextmanager
def _collector_paused():
    """Python's cycle collector, off while the catalogs are read and checked: it
    would walk every entry read so far again and again as they pile up (a sixth
    of the run at a thousand pages), and reading and checking make no cycles."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _check_locale(chosen, ctx: Context, plan: "_Plan", memo: CheckMemo, run: CheckRun):
    """Each catalog's share (remembered or computed), then the cross-file checks.
    A catalog is read when its turn comes and let go after it, unless a
    cross-file check reads every catalog itself: 10,000 catalogs held at once
    were most of a cold check's memory."""
    results = []
    load = set(plan.to_load)
    keep = plan.locale_findings is None and needs_catalogs(chosen)
    reported = any(c.id == syntax.CHECK.id for c, _ in chosen)
    broken = False
    for i, (f, (path, rel, _, _, inputs)) in enumerate(zip(ctx.files, plan.files)):
        if path in load:
            f = ctx.files[i] = _read(f, path, reported)
        result = plan.cached.get(rel)
        if result is None:
            result = file_result(chosen, ctx, f)
            if f.problem is None:       # a broken file is read again until it is fixed
                memo.put_file(ctx.locale.code, rel, inputs, result)
        broken = broken or f.problem is not None
        if not keep:
            ctx.files[i] = CatalogFile(f.path, None, f.slug, f.orphaned)
        results.append(result)
        run.files.append(rel)
        run.entries += result.entries
        yield result.findings
    if plan.locale_findings is None:
        inputs = {rel: key for _, rel, _, _, key in plan.files}

        def remembered(cid: str):
            get = memo.summaries_of(ctx.locale.code, cid)
            return lambda rel: get(rel, inputs[rel])
        plan.locale_findings = locale_findings(chosen, ctx, results, remembered)
        if not broken:
            memo.put_locale(ctx.locale.code, plan.inputs, plan.locale_findings)
    yield plan.locale_findings


def _read(f: CatalogFile, path: Path, reported: bool) -> CatalogFile:
    """The catalog, read; one that cannot be read stands in as an empty one that
    carries why, for ``po-syntax`` to report (when nothing would report it, the
    error stops the check, as it did before: it must not pass as empty)."""
    try:
        return CatalogFile(f.path, catalog.load(path), f.slug, f.orphaned)
    except L10nError as exc:
        if not reported:
            raise
        return CatalogFile(f.path, catalog.Catalog(), f.slug, f.orphaned,
                           Problem(exc.message, f.path, exc.line))


@dataclass
class _Plan:
    """What one locale needs this run: which catalogs to read, what is remembered."""
    locale: LocaleInfo
    #: path, as reported, fingerprint, orphaned, what its share is computed from
    files: list[tuple[Path, str, str | None, bool, str | None]]
    inputs: str
    locale_findings: list[Finding] | None
    cached: dict[str, FileResult]
    to_load: list[Path]


def _plan(project: Project, memo: CheckMemo, chosen, loc: LocaleInfo, paths: list[Path],
          pages: set[str] | None, min_complete: float | None) -> _Plan:
    folder = project.rel(project.settings.locales_dir / loc.code)
    files = []
    for p in paths:
        rel, fp = f"{folder}/{p.name}", memo.fingerprint(p)
        orphaned = pages is not None and p.stem != SITE_SLUG and p.stem not in pages
        files.append((p, rel, fp, orphaned,
                      memo.file_inputs(loc.code, rel, fp, orphaned, min_complete)))
    inputs = memo.locale_inputs(loc.code, [(rel, fp) for _, rel, fp, _, _ in files], pages,
                                min_complete)
    remembered = memo.locale(loc.code, inputs)
    cached = {rel: hit for _, rel, _, _, key in files
              if (hit := memo.file(loc.code, rel, key)) is not None}
    if remembered is None:      # the cross-file checks run again: they need every summary
        ids = [c.id for c, _ in chosen if c.scope == "locale" and c.summary is not None]
        for _, rel, _, _, key in files:
            if rel in cached and not memo.has_summaries(loc.code, rel, key, ids):
                del cached[rel]
    # a locale check without a summary reads every catalog; otherwise only changed ones are read
    every = remembered is None and needs_catalogs(chosen)
    to_load = [p for p, rel, _, _, _ in files if every or rel not in cached]
    return _Plan(loc, files, inputs, remembered, cached, to_load)


def listing(project: Project) -> list[tuple[str, str, str]]:
    """(id, effective severity or "off", title) of every registered check."""
    on = {c.id: severity for c, severity in check_settings.choose(configured(project))}
    return [(c.id, on.get(c.id, "off"), c.title) for c in check_settings.registry()]
