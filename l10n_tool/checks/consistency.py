"""``consistency``: one msgid, one translation, across the files of a locale.

Shared text (site chrome, repeated captions) translated two ways means one
page reads differently from the next; CI warns so an editor can pick one.
"""

from l10n_tool import catalog
from l10n_tool.checks.base import Check
from l10n_tool.checks.finding import Finding, shorten


def rule(ctx):
    first = {}
    for f in ctx.files:
        for entry in f.po:
            if not catalog.is_reviewed(entry):
                continue
            k = catalog.key(entry)
            if k not in first:
                first[k] = (f.path, entry)
                continue
            path, other = first[k]
            if other.msgstr != entry.msgstr and path != f.path:
                yield Finding.of("consistency", "warning", ctx.locale.code, f.path, entry.linenum,
                                 shorten(entry.msgid), shorten(other.msgstr, 40),
                                 shorten(entry.msgstr, 40),
                                 f"translated differently in {path}:{other.linenum}")


CHECK = Check("consistency", "warning",
              "the same msgid translated differently in two files of a locale",
              rule, "locale", __doc__)
