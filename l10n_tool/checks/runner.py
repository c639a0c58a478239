"""Run the registered checks over a project's locales.

Reviewed entries are checked as errors. Fuzzy entries (MT drafts and
msgmerge guesses) are checked as warnings, so what MT left behind is visible
before review. Untranslated entries are only counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from l10n_tool import catalog
from l10n_tool.checks import REGISTRY
from l10n_tool.checks.base import EntryCheck
from l10n_tool.checks.finding import CatalogFile, Context, Finding, shorten
from l10n_tool.glossary import parse as parse_glossary
from l10n_tool.locales import LocaleInfo
from l10n_tool.project import Project


@dataclass
class CheckRun:
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    entries: int = 0

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def failed(self, strict: bool = False) -> bool:
        return any(f.fails(strict) for f in self.findings)


def run_checks(project: Project, locales: list[LocaleInfo],
               min_complete: float | None = None) -> CheckRun:
    glossary, problems = parse_glossary(project.settings.glossary)
    run = CheckRun()
    # every PO file is read (and may fail with exit 2) before any check runs
    loaded = {loc.code: project.catalogs(loc.code, required=True) for loc in locales}
    first = True
    for loc in locales:
        files = [CatalogFile(project.rel(project.po_path(loc.code, slug)), po)
                 for slug, po in loaded[loc.code].items()]
        ctx = Context(loc, files, glossary, project.rel(project.settings.glossary),
                      problems if first else [], min_complete)
        first = False
        run.files.extend(f.path for f in files)
        for check in REGISTRY:
            if isinstance(check, EntryCheck):
                run.findings.extend(_entry_findings(check, ctx))
            else:
                run.findings.extend(check.rule(ctx))
        run.entries += sum(1 for f in files for e in f.po if not e.obsolete and e.msgid)
    return run


def _entry_findings(check: EntryCheck, ctx: Context):
    for f in ctx.files:
        for entry in f.po:
            if entry.obsolete or not entry.msgstr or not entry.msgid:
                continue
            severity = "error" if catalog.is_reviewed(entry) else "warning"
            for expected, found, message in check.rule(ctx, entry):
                yield Finding(check.id, severity, ctx.locale.code, f.path, entry.linenum,
                              shorten(entry.msgid), expected, found,
                              message + ("" if severity == "error" else " (unreviewed draft)"))
