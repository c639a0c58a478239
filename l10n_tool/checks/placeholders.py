"""``placeholders``: the msgstr has exactly the msgid's placeholders, well nested.

A broken placeholder cannot be published (the unit falls back to English),
so CI must catch it before the translator's work silently disappears.
"""

from l10n_tool import markup
from l10n_tool.checks.base import Check


def rule(ctx, entry):
    if "<" not in entry.msgid and "<" not in entry.msgstr:
        return      # no placeholder on either side: nothing to compare
    if markup.TOKEN_RE.findall(entry.msgid) == markup.TOKEN_RE.findall(entry.msgstr):
        # the same tokens in the same order (the usual translation): the same
        # placeholders, so only their nesting, the msgid's too, can be wrong
        why = markup.nesting_problem(entry.msgstr)
    else:
        why = markup.compare(entry.msgid, entry.msgstr)
    if why:
        want = " ".join(sorted(markup.signature(entry.msgid).elements())) or "(none)"
        got = " ".join(sorted(markup.signature(entry.msgstr).elements())) or "(none)"
        yield want, got, why


CHECK = Check("placeholders", "error", "msgstr has exactly the msgid's placeholders, well nested",
              rule, "entry", __doc__)
