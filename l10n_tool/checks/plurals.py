"""``plural-forms``: each plural entry has as many forms as the header says.

``msgfmt --check`` refuses a catalog whose plural entries have more or fewer
``msgstr[N]`` forms than the header's ``nplurals``, or whose header names no
plural rule while the catalog has plural entries, or whose rule is not a
valid C expression (or yields a form the catalog cannot have), and a program
reading the compiled catalog would pick a missing form. Only hand-added
entries have plurals at all (pages have none), but CI checks the committed
files, so this check judges them as msgfmt does: it reads ``nplurals=`` and
``plural=`` where msgfmt finds them in the header, evaluates the rule for
n = 0…1000, and looks at the entries msgfmt compiles (not obsolete, first
form not empty), drafts included at most as warnings like every check.
Forms numbered with a gap (``msgstr[0]``, ``msgstr[2]``) are a syntax error
to msgfmt and to the reader (``po-syntax``).

``format-strings`` reads the same rule: which forms are used for many
numbers, where msgfmt asks a form for every format directive.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from typing import Callable

from l10n_tool.checks.base import Check
from l10n_tool.checks.finding import Finding, shorten

#: msgfmt counts a form as used "infinitely often" when n = 0…1000 picks it this often.
OFTEN = 5
#: msgfmt keeps no statistics for a larger nplurals (it is nonsense anyway).
MAX_TRACKED = 100


@dataclass(frozen=True)
class PluralRule:
    """What msgfmt makes of a header's plural rule."""
    nplurals: int | None = None         # None: no usable rule
    plural: Callable[[int], int] | None = None
    #: form j is used for many n (None: msgfmt knows nothing of the distribution)
    often: tuple[bool, ...] | None = None
    #: why the header's rule is refused, whatever the entries
    problem: str | None = None
    #: the header lacks ``plural=`` or ``nplurals=`` (a problem once an entry has plurals)
    missing: str | None = None


def header_rule(ctx, po) -> PluralRule:
    """The plural rule msgfmt reads from the catalog's header: the text after
    the first ``nplurals=`` and the first ``plural=`` anywhere in it (so
    ``nplurals = 2`` with spaces is not one). Worked out once per locale for
    each distinct rule: every page of a site has the same one."""
    text = "".join(f"{k}: {v}\n" for k, v in po.metadata.items())
    at_plural, at_count = text.find("plural="), text.find("nplurals=")
    if at_plural < 0 or at_count < 0:
        missing = " and ".join(name for name, at in (('"plural=EXPRESSION"', at_plural),
                                                      ('"nplurals=INTEGER"', at_count)) if at < 0)
        return PluralRule(missing=missing)
    count = text[at_count + 9:].lstrip(" \t\n\v\f\r")
    digits = len(count) - len(count.lstrip("0123456789"))
    expression = text[at_plural + 7:].split(";", 1)[0].split("\n", 1)[0]
    key = ("plural-forms", count[:digits], expression)
    cache = getattr(ctx, "cache", None)
    if cache is not None and key in cache:
        return cache[key]
    found = _rule(count[:digits], expression)
    if cache is not None:
        cache[key] = found
    return found


def _rule(count: str, expression: str) -> PluralRule:
    if not count:
        return PluralRule(problem="invalid nplurals value")
    nplurals = int(count)
    try:
        plural = gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError, MemoryError):
        return PluralRule(problem="invalid plural expression")
    seen = [0] * nplurals if nplurals <= MAX_TRACKED else None
    for n in range(1001):
        try:
            form = plural(n)
        except ZeroDivisionError:
            return PluralRule(problem="plural expression can produce division by zero")
        except (ArithmeticError, RecursionError, MemoryError):
            return PluralRule(problem="plural expression can produce an arithmetic exception")
        if form < 0:
            return PluralRule(problem="plural expression can produce negative values")
        if form >= nplurals:
            return PluralRule(problem=f"nplurals = {nplurals} but plural expression can "
                                      f"produce values as large as {form}")
        if seen is not None and seen[form] < OFTEN:
            seen[form] += 1
    often = tuple(c == OFTEN for c in seen) if seen is not None else None
    return PluralRule(nplurals, plural, often)


def compiled(entry) -> bool:
    """Whether msgfmt compiles (and so checks) the entry: live, first form not
    empty. Fuzzy ones it skips; this project checks them as drafts."""
    if entry.obsolete:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural.get(0))
    return bool(entry.msgstr)


def rule(ctx, f):
    checked = [e for e in f.po if e.msgid_plural and compiled(e)]
    found = header_rule(ctx, f.po)
    if found.problem:
        yield Finding.of("plural-forms", "error", ctx.locale.code, f.path, 1, "",
                         "a valid Plural-Forms header", found.problem,
                         f"the header's Plural-Forms: {found.problem} (msgfmt --check "
                         "refuses the catalog)")
    elif checked and found.missing:
        # at a reviewed entry if there is one: that one makes msgfmt fail
        first = next((e for e in checked if "fuzzy" not in e.flags), checked[0])
        yield _finding(ctx, f, first, "Plural-Forms: nplurals=…; plural=…;",
                       "no " + found.missing,
                       f"the catalog has plural entries but its header lacks {found.missing} "
                       "(msgfmt --check refuses the catalog)")
    elif checked:
        for e in checked:
            have = len(e.msgstr_plural)
            if have != found.nplurals:
                yield _finding(ctx, f, e, f"{found.nplurals} forms", f"{have} forms",
                               f"{have} plural form{'s' if have != 1 else ''} but the header's "
                               f"nplurals = {found.nplurals} (msgfmt --check refuses the catalog)")


def _finding(ctx, f, entry, expected: str, got: str, message: str) -> Finding:
    """At the entry's line; a draft's finding (fuzzy: msgfmt skips it) is at most a warning."""
    draft = "fuzzy" in entry.flags
    return Finding.of("plural-forms", "warning" if draft else "error", ctx.locale.code, f.path,
                      entry.linenum, shorten(entry.msgid), expected, got,
                      message + (" (unreviewed draft)" if draft else ""))


CHECK = Check("plural-forms", "error",
              "each plural entry has the header's nplurals forms, and the header's plural rule "
              "is valid (as msgfmt --check judges)",
              rule, "file", __doc__)
