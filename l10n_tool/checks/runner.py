"""Run the chosen checks over loaded catalogs.

Reviewed entries are checked at the check's severity (error by default).
Drafts (MT drafts and msgmerge guesses) are checked too, at most as
warnings, so what MT left behind is visible before review. Untranslated
entries are only counted. States come from ``catalog.state``, the one model
every stage shares. Finding and reading the catalogs, and remembering what
did not change, is the workflow step's job (``l10n_tool.steps.check``); this
module only knows checks, in three parts (once per run, once per catalog,
once per locale) so that a catalog's share can be remembered.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

from l10n_tool import catalog
from l10n_tool.checks.base import Check, lower
from l10n_tool.checks.finding import CatalogFile, Context, Finding, ProjectContext, shorten


@dataclass
class CheckRun:
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    entries: int = 0

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def failed(self, strict: bool = False) -> bool:
        return any(f.fails(strict) for f in self.findings)


@dataclass
class FileResult:
    """What depends on one catalog alone: remembered with it, reused while it is unchanged."""
    entries: int                        # live entries
    findings: list[Finding]             # from entry and file checks
    #: locale check id → its summary of this catalog (None: in the memo, read
    #: from there by the check that combines it, when it does)
    summaries: dict[str, object] | None

    def as_json(self) -> dict:
        return {"entries": self.entries, "findings": [f.as_dict() for f in self.findings]}

    @classmethod
    def from_json(cls, data: dict) -> "FileResult":
        return cls(data["entries"], [Finding.of(**row) for row in data["findings"]], None)


def project_findings(chosen: list[tuple[Check, str]], ctx: ProjectContext) -> list[Finding]:
    return [f for c, sev in chosen if c.scope == "project" for f in _at(c, sev, c.rule(ctx))]


def needs_catalogs(chosen: list[tuple[Check, str]]) -> bool:
    """Whether a locale check reads every catalog itself (it has no summary)."""
    return any(c.scope == "locale" and c.summary is None for c, _ in chosen)


def locale_findings(chosen: list[tuple[Check, str]], ctx: Context, results: list[FileResult],
                    remembered=None) -> list[Finding]:
    """``remembered(check id)``: ``path → summary`` for the catalogs whose
    summaries are in the memo (``FileResult.summaries`` None). Each check gets
    its summaries one catalog at a time, as it iterates them (once)."""
    out = []
    for c, sev in chosen:
        if c.scope != "locale":
            continue
        if c.summary is None:
            found = c.rule(ctx)
        else:
            found = c.rule(ctx, _summaries(c.id, ctx, results, remembered))
        out.extend(_at(c, sev, found))
    return out


def _summaries(cid: str, ctx: Context, results: list[FileResult], remembered):
    fetch = None
    for f, r in zip(ctx.files, results):
        if r.summaries is not None:
            yield f.path, r.summaries[cid]
            continue
        if fetch is None:
            fetch = remembered(cid)
        yield f.path, fetch(f.path)


def file_result(chosen: list[tuple[Check, str]], ctx: Context, f: CatalogFile) -> FileResult:
    entry_checks = [(c, sev, lower(sev, "warning")) for c, sev in chosen if c.scope == "entry"]
    entries, found = 0, []
    code, path, verdicts = ctx.locale.code, f.path, ctx.verdicts
    for entry, st in zip(f.po, f.states):
        if st is catalog.State.OBSOLETE or not entry.msgid:
            continue
        entries += 1
        if st is catalog.State.UNTRANSLATED:
            continue
        key = _content(entry)
        rows = verdicts.get(key)
        if rows is None:
            rows = verdicts[key] = _verdicts(entry_checks, ctx, entry, st.draft)
        for check_id, severity, msgid, expected, got, message in rows:
            found.append(Finding.of(check_id, severity, code, path, entry.linenum, msgid,
                                    expected, got, message))
    for check, severity in chosen:
        if check.scope == "file":
            found.extend(_at(check, severity, check.rule(ctx, f)))
    # plain JSON data already (see base): a fresh summary is what a remembered one will be
    summaries = {c.id: c.summary(ctx, f) for c, _ in chosen
                 if c.scope == "locale" and c.summary is not None}
    return FileResult(entries, found, summaries)


def _content(entry) -> tuple:
    """Everything an entry says, but not where it is (its line, its references):
    what an entry rule may look at. Shared text (site chrome, bylines, boilerplate)
    recurs on page after page, and is checked once per locale."""
    return (entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr,
            tuple(entry.msgstr_plural.items()), tuple(entry.flags), entry.comment,
            entry.tcomment, entry.previous_msgctxt, entry.previous_msgid,
            entry.previous_msgid_plural)


def _verdicts(entry_checks, ctx: Context, entry, draft: bool) -> list[tuple]:
    """What the entry checks say about one entry, all but where it is: (check,
    severity, msgid as reported, expected, found, message)."""
    rows: dict[tuple, list[str]] = {}
    for check, severity, draft_severity in entry_checks:
        for view, form in _forms(check, entry):
            for expected, got, message in check.rule(ctx, view):
                rows.setdefault((check.id, draft_severity if draft else severity, expected, got,
                                 message), []).append(form)
    note = " (unreviewed draft)" if draft else ""
    return [(cid, severity, shorten(entry.msgid), expected, got,
             message + (f" ({', '.join(forms)})" if forms[0] else "") + note)
            for (cid, severity, expected, got, message), forms in rows.items()]


def _forms(check: Check, entry):
    """The entry as the check's rule reads it: as it is, or for a rule that
    reads one msgstr, each plural form in turn as the msgstr of its source
    (msgstr[0] of the msgid, the others of msgid_plural), named."""
    if not entry.msgid_plural or check.plural_forms:
        yield entry, ""
        return
    for n in sorted(entry.msgstr_plural):
        view = copy.copy(entry)
        view.msgid = entry.msgid if n == 0 else entry.msgid_plural
        view.msgstr, view.msgid_plural, view.msgstr_plural = entry.msgstr_plural[n], "", {}
        yield view, f"msgstr[{n}]"


def in_report_order(chosen: list[tuple[Check, str]], parts) -> list[Finding]:
    """Grouped by check in registry order, each group in file and entry order."""
    rank = {c.id: i for i, (c, _) in enumerate(chosen)}
    return sorted((f for part in parts for f in part), key=lambda f: rank.get(f.check, len(rank)))


def _at(check: Check, severity: str, findings):
    """Apply a configured severity to what a check reports at its default one
    (an escalation the check itself made, such as --min-complete, stands)."""
    for f in findings:
        yield replace(f, severity=severity) if f.severity == check.severity != severity else f
