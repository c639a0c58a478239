"""``l10n check``: the CI gate over every catalog in ``locales/``.

Catalogs are found in ``locales/<locale>/*.po`` (as Babel's ``compile``
does), not through the source pages: CI must check what will be published
and sent to translators, a PO file whose page was removed included (it is
reported as orphaned), and a broken HTML page is not this command's business,
so no source page is ever read: only their names are listed.
"""

from __future__ import annotations

from pathlib import Path

from l10n_tool import catalog, formats
from l10n_tool.checks import settings as check_settings
from l10n_tool.checks.finding import CatalogFile, Context, ProjectContext
from l10n_tool.checks.runner import CheckRun, run_checks
from l10n_tool.errors import L10nError
from l10n_tool.glossary import parse as parse_glossary
from l10n_tool.locales import get_locale
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
    paths = sorted(folder.glob("*.po")) if folder.is_dir() else []
    if not paths:
        raise L10nError(f"no PO files; run `l10n update -l {locale}` first", project.rel(folder))
    return paths


def source_slugs(project: Project) -> set[str] | None:
    """Names of the source pages (None without a source folder: nothing to orphan)."""
    src = project.settings.source_dir
    if not src.is_dir():
        return None
    suffixes = formats.suffixes()
    return {p.stem for p in src.iterdir() if p.suffix.lower() in suffixes}


def unconfigured_folders(project: Project) -> list[tuple[str, str]]:
    s = project.settings
    if not s.locales_dir.is_dir():
        return []
    out = []
    for folder in sorted(p for p in s.locales_dir.iterdir() if p.is_dir()):
        if folder == s.templates_dir or not any(folder.glob("*.po")):
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
          ignore: tuple[str, ...] = ()) -> CheckRun:
    chosen = check_settings.choose(configured(project), select, ignore)
    locales = project.locales(codes, all_locales)
    # every PO file is read (and may fail with exit 2) before any check runs
    paths = {loc.code: catalog_paths(project, loc.code) for loc in locales}
    loaded = {code: [(p, catalog.load(p)) for p in ps] for code, ps in paths.items()}
    pages = source_slugs(project)
    glossary, problems = parse_glossary(project.settings.glossary)
    found: dict = {}
    contexts = [
        Context(loc, [CatalogFile(project.rel(p), po, p.stem,
                                  pages is not None and p.stem != SITE_SLUG and p.stem not in pages)
                      for p, po in loaded[loc.code]], glossary, min_complete, found)
        for loc in locales]
    project_ctx = ProjectContext(project.rel(project.settings.glossary), problems,
                                 [] if codes else unconfigured_folders(project))
    return run_checks(chosen, project_ctx, contexts)


def listing(project: Project) -> list[tuple[str, str, str]]:
    """(id, effective severity or "off", title) of every registered check."""
    on = {c.id: severity for c, severity in check_settings.choose(configured(project))}
    return [(c.id, on.get(c.id, "off"), c.title) for c in check_settings.registry()]
