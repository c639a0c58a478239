"""``po-syntax``: a catalog that cannot be read at all.

An editor's bad save or a merge conflict can leave a PO file that does not
parse (an unterminated string, an invalid escape, bytes that are not its
charset). msgfmt and publish cannot use it either, so the CI gate must say
where it breaks in the format CI reads (an annotation on the broken line, a
JSON finding, a junit failure) and go on checking every other catalog: one
broken page must not hide the findings of all the others. What is in a
broken catalog is unknown, so the other checks see it as empty.

A file that starts with a UTF-8 byte order mark is read (editors write one,
and nothing in it is lost), but msgfmt refuses it, so it is reported here too;
``update`` writes it without.

With this check turned off (``--select`` without it, ``--ignore po-syntax``)
a broken catalog stops the command as bad input (exit 2) instead: it would
otherwise pass as an empty file.
"""

from l10n_tool.checks.base import Check
from l10n_tool.checks.finding import Finding


def rule(ctx, f):
    if f.problem is None:
        if f.po is not None and getattr(f.po, "bom", False):
            yield Finding.of("po-syntax", "error", ctx.locale.code, f.path, 1, "",
                             "a PO file msgfmt can read", "a UTF-8 byte order mark",
                             "the file starts with a byte order mark (U+FEFF), which msgfmt "
                             "refuses (syntax error at 1:2): save it as UTF-8 without BOM, "
                             "or let `l10n update` write it so")
        return
    yield Finding.of("po-syntax", "error", ctx.locale.code, f.path, f.problem.line or 0, "",
                     "a PO file msgfmt can read", f.problem.message,
                     f"{f.problem.message}; nothing else in this catalog is checked until "
                     "it is fixed")


CHECK = Check("po-syntax", "error",
              "the catalog can be read: PO syntax and encoding (else nothing in it is checked)",
              rule, "file", __doc__)
