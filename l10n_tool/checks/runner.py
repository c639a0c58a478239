"""Run the chosen checks over loaded catalogs.

Reviewed entries are checked at the check's severity (error by default).
Drafts (MT drafts and msgmerge guesses) are checked too, at most as
warnings, so what MT left behind is visible before review. Untranslated
entries are only counted. States come from ``catalog.state``, the one model
every stage shares. Finding the catalogs is the workflow step's job
(``l10n_tool.steps.check``); this module only knows checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from l10n_tool import catalog
from l10n_tool.checks.base import Check, lower
from l10n_tool.checks.finding import Context, Finding, ProjectContext, shorten


@dataclass
class CheckRun:
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    entries: int = 0

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def failed(self, strict: bool = False) -> bool:
        return any(f.fails(strict) for f in self.findings)


def run_checks(chosen: list[tuple[Check, str]], project_ctx: ProjectContext,
               contexts: list[Context]) -> CheckRun:
    """Every catalog is already loaded: checks never read files."""
    run = CheckRun()
    by_check: dict[str, list[Finding]] = {c.id: [] for c, _ in chosen}
    entry_checks = [(c, sev) for c, sev in chosen if c.scope == "entry"]
    for check, severity in chosen:
        if check.scope == "project":
            by_check[check.id].extend(_at(check, severity, check.rule(project_ctx)))
    for ctx in contexts:
        run.files.extend(f.path for f in ctx.files)
        for check, severity in chosen:
            if check.scope == "locale":
                by_check[check.id].extend(_at(check, severity, check.rule(ctx)))
        for f in ctx.files:
            for entry in f.po:
                st = catalog.state(entry)
                if st is catalog.State.OBSOLETE or not entry.msgid:
                    continue
                run.entries += 1
                if st is catalog.State.UNTRANSLATED:
                    continue
                for check, severity in entry_checks:
                    by_check[check.id].extend(
                        _entry_findings(check, severity, ctx, f.path, entry, st.draft))
    for found in by_check.values():
        run.findings.extend(found)
    return run


def _at(check: Check, severity: str, findings):
    """Apply a configured severity to what a check reports at its default one
    (an escalation the check itself made, such as --min-complete, stands)."""
    for f in findings:
        yield replace(f, severity=severity) if f.severity == check.severity != severity else f


def _entry_findings(check: Check, severity: str, ctx: Context, path: str, entry, draft: bool):
    level = lower(severity, "warning") if draft else severity
    for expected, found, message in check.rule(ctx, entry):
        yield Finding.of(check.id, level, ctx.locale.code, path, entry.linenum,
                         shorten(entry.msgid), expected, found,
                         message + (" (unreviewed draft)" if draft else ""))
