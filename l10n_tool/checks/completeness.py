"""``untranslated`` and ``fuzzy``: how much of each page is reviewed.

Counted as information, or an error under ``--min-complete N`` when a page's
reviewed share falls below N percent, so CI can hold back a thin release.
"""

from l10n_tool import catalog
from l10n_tool.checks.base import LocaleCheck
from l10n_tool.checks.finding import Finding, shorten


def rule(ctx):
    for f in ctx.files:
        st = catalog.stats(f.po)
        live = [e for e in f.po if not e.obsolete and (e.msgid or e.msgctxt)]
        below = ctx.min_complete is not None and st.percent + 1e-9 < ctx.min_complete
        for check, count, pick in (
                ("untranslated", st.untranslated, lambda e: not e.msgstr),
                ("fuzzy", st.fuzzy, lambda e: e.msgstr and "fuzzy" in e.flags)):
            if not count:
                continue
            entry = next(e for e in live if pick(e))
            severity = "error" if below else "info"
            yield Finding(check, severity, ctx.locale.code, f.path, entry.linenum,
                          shorten(entry.msgid),
                          f"{ctx.min_complete:g}% reviewed" if below else "all reviewed",
                          f"{st.percent:.0f}% reviewed",
                          f"{count} of {st.total} entries {check}" +
                          (f"; page below --min-complete {ctx.min_complete:g}%" if below else ""))


CHECK = LocaleCheck("completeness", rule, __doc__)
