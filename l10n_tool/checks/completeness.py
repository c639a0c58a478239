"""``untranslated`` and ``fuzzy``: how much of each page is reviewed.

Counted as information, or an error under ``--min-complete N`` when a page's
reviewed share falls below N percent, so CI can hold back a thin release.
Counts come from ``catalog.stats`` and states from ``catalog.state``, the
numbers ``l10n status`` shows.
"""

from l10n_tool import catalog
from l10n_tool.checks.base import Check
from l10n_tool.checks.finding import Finding, shorten


def _counted(check: str, pick, count_of):
    def rule(ctx, f):
        if not any(pick(s) for s in f.states):
            return      # the usual case; counting words (stats) costs more than the check
        st = f.stats
        count = count_of(st)
        entry = next(e for e, s in zip(f.po, f.states) if pick(s) and (e.msgid or e.msgctxt))
        below = ctx.min_complete is not None and st.percent + 1e-9 < ctx.min_complete
        yield Finding.of(check, "error" if below else "info", ctx.locale.code, f.path,
                         entry.linenum, shorten(entry.msgid),
                         f"{ctx.min_complete:g}% reviewed" if below else "all reviewed",
                         f"{st.percent:.0f}% reviewed",
                         f"{count} of {st.total} entries {check}" +
                         (f"; page below --min-complete {ctx.min_complete:g}%" if below else ""))
    return rule


UNTRANSLATED = Check("untranslated", "info",
                     "untranslated entries, counted per page (error below --min-complete)",
                     _counted("untranslated", lambda s: s is catalog.State.UNTRANSLATED,
                              lambda st: st.untranslated), "file", __doc__)
FUZZY = Check("fuzzy", "info",
              "unreviewed drafts, counted per page (error below --min-complete)",
              _counted("fuzzy", lambda s: s.draft, lambda st: st.fuzzy), "file", __doc__)
