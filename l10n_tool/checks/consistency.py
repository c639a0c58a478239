"""``consistency``: one msgid, one translation, across the files of a locale.

Shared text (site chrome, repeated captions) translated two ways means one
page reads differently from the next; CI warns so an editor can pick one.
"""

from l10n_tool import catalog
from l10n_tool.checks.base import Check
from l10n_tool.checks.finding import Finding, shorten


def summary(ctx, f):
    """Each reviewed singular entry: [msgctxt, msgid, msgstr, line] (a plural
    entry's msgstr is empty: its forms are not one translation to compare)."""
    return [[e.msgctxt, e.msgid, e.msgstr, e.linenum] for e, st in zip(f.po, f.states)
            if st is catalog.State.REVIEWED and not e.msgid_plural]


def rule(ctx, summaries):
    first = {}
    for path, entries in summaries:
        for msgctxt, msgid, msgstr, line in entries:
            k = (msgctxt, msgid)
            if k not in first:
                first[k] = (path, msgstr, line)
                continue
            other_path, other, other_line = first[k]
            if other != msgstr and other_path != path:
                yield Finding.of("consistency", "warning", ctx.locale.code, path, line,
                                 shorten(msgid), shorten(other, 40), shorten(msgstr, 40),
                                 f"translated differently in {other_path}:{other_line}")


CHECK = Check("consistency", "warning",
              "the same msgid translated differently in two files of a locale",
              rule, "locale", __doc__, summary)
