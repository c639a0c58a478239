"""``newlines``: a msgstr begins and ends with a newline where its msgid does.

``msgfmt --check`` refuses a catalog in which the msgid and a msgstr (or the
msgid and msgid_plural) do not both begin, or do not both end, with ``\\n``:
a program prints the string as a line of its own or not, and a translation
that adds or drops the newline breaks that layout. A translator's editor
makes this easy to do (a stray Enter at the end of the field, ``\\n`` typed
by hand), and the CI gate is where it must show: the committed file would
not compile. Each form of a plural entry is judged, as msgfmt judges them.
"""

from l10n_tool.checks.base import Check

_WHERE = (("begin", str.startswith), ("end", str.endswith))


def _says(name: str, has: bool, where: str) -> str:
    return f"{name} {'ends' if where == 'end' else 'begins'} with \\n" if has else \
        f"{name} does not {where} with \\n"


def rule(ctx, entry):
    msgid = entry.msgid
    if entry.msgid_plural:
        others = [("msgid_plural", entry.msgid_plural)] + [
            (f"msgstr[{n}]", entry.msgstr_plural[n]) for n in sorted(entry.msgstr_plural)]
    else:
        others = [("msgstr", entry.msgstr)]
    for where, test in _WHERE:
        want = test(msgid, "\n")
        for name, text in others:
            if text and test(text, "\n") != want:
                yield (_says("msgid", want, where), _says(name, not want, where),
                       f"'msgid' and '{name}' entries do not both {where} with '\\n' "
                       f"(msgfmt --check refuses the catalog)")


CHECK = Check("newlines", "error",
              "a msgstr begins and ends with a newline where its msgid does (as msgfmt --check "
              "judges)", rule, "entry", __doc__, plural_forms=True)
