"""``format-strings``: a ``c-format``, ``python-format`` or ``python-brace-format``
msgstr takes the msgid's arguments.

A program formats a translation with the arguments its msgid asks for: a
msgstr with other conversions (``%d von %s`` for ``%s of %d``), one more or
one fewer, prints garbage or crashes, and ``msgfmt --check`` refuses the
catalog. Entries flagged ``c-format``/``python-format`` (or their
``possible-`` forms) are judged as GNU gettext 0.21 does: the directives are
parsed by its rules (numbered arguments ``%2$s`` count as their numbers, a
``*`` width takes an argument, ``%%`` and ``%m`` none; Python's ``%(name)s``
form a mapping; ``{name}`` fields by name, as gettext 0.21 reads them),
an invalid msgstr is refused where the msgid is valid, and
the arguments must be the msgid's, type for type. A plural entry's forms are
compared with ``msgid_plural``; a form the header's plural rule uses for
only one number (``ein Artikel`` for n = 1) may leave out arguments, as
msgfmt allows (``plural-forms`` reads the rule). Entries msgfmt does not
compile (first form empty) are skipped; drafts are at most warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from l10n_tool.checks import plurals
from l10n_tool.checks.base import Check
from l10n_tool.checks.finding import Finding, shorten

_DIGITS = frozenset("0123456789")


@dataclass
class Spec:
    """What a format string asks of its arguments."""
    unnamed: list[str] = field(default_factory=list)     # argument types, in order
    named: dict[str, str] = field(default_factory=dict)  # Python only: name → type
    directives: list[str] = field(default_factory=list)  # as written, for the report

    def shown(self) -> str:
        return " ".join(self.directives) or "(none)"


class _Invalid(Exception):
    """Why gettext would not take a string as a format string."""


def _digits_end(text: str, i: int) -> int:
    while i < len(text) and text[i] in _DIGITS:     # ASCII digits only, as C's isdigit
        i += 1
    return i


def _c_number(text: str, i: int, count: int, what: str) -> tuple[int, int]:
    """An argument number ``N$`` at ``i`` (0: none there) and where parsing goes on."""
    j = _digits_end(text, i)
    if j > i and j < len(text) and text[j] == "$":
        number = int(text[i:j])
        if number == 0:
            raise _Invalid(f"In the directive number {count}, the {what}argument number 0 "
                           "is not a positive integer.")
        return number, j + 1
    return 0, i


def _c_amount(text: str, i: int, count: int, what: str, take) -> int:
    """A width or precision: digits, or ``*``, which takes an int argument
    (numbered ``*N$`` or the next one)."""
    if i < len(text) and text[i] == "*":
        number, i = _c_number(text, i + 1, count, what)
        take(number, "int")
        return i
    return _digits_end(text, i)


_MIXED_C = ("The string refers to arguments both through absolute argument numbers and "
            "through unnumbered argument specifications.")
#: ISO C 99 <inttypes.h> sizes after ``%<PRId``: FAT_SIZE_* of gettext; MAX is j's.
_C99_SIZES = [("MAX", "j"), ("PTR", "ptr")] + [
    (f"{kind}{bits}", f"{kind.lower()}{bits}") for kind in ("LEAST", "FAST", "")
    for bits in ("8", "16", "32", "64")]


def parse_c(text: str, translated: bool) -> Spec:
    """``text`` as gettext's format-c parser reads it (``translated``: a msgstr,
    where the ``I`` flag is allowed); raises ``_Invalid``."""
    spec = Spec()
    numbered: list[tuple[int, str]] = []
    count, i, n = 0, 0, len(text)

    def take(number: int, kind: str) -> None:
        if number:
            if spec.unnamed:
                raise _Invalid(_MIXED_C)
            numbered.append((number, kind))
        else:
            if numbered:
                raise _Invalid(_MIXED_C)
            spec.unnamed.append(kind)

    while True:
        i = text.find("%", i)
        if i < 0:
            break
        start, count = i, count + 1
        number, i = _c_number(text, i + 1, count, "")
        while i < n and (text[i] in " +-#0'" or (translated and text[i] == "I")):
            i += 1
        i = _c_amount(text, i, count, "width's ", take)
        if i < n and text[i] == ".":
            i = _c_amount(text, i + 1, count, "precision's ", take)
        if i < n and text[i] == "<":
            kind, i = _c99_macro(text, i + 1, count)
        else:
            size = ""
            while i < n and text[i] in "hlLqjzZt":
                c = text[i]
                size = ("hh" if size in ("h", "hh") else "h") if c == "h" else \
                       ("ll" if size in ("l", "ll") else "l") if c == "l" else \
                       "ll" if c in "Lq" else "z" if c in "zZ" else c
                i += 1
            if i >= n:
                raise _Invalid("The string ends in the middle of a directive.")
            kind = _c_kind(text[i], size, count)
        if kind is not None:
            take(number, kind)
        i += 1
        spec.directives.append(text[start:i])
    if numbered:
        spec.unnamed = _numbered_in_order(numbered)
    return spec


def _c_kind(c: str, size: str, count: int) -> str | None:
    wide = size in ("l", "ll")
    if c in "%m":
        return None         # %% and glibc's %m take no argument
    if c == "c" or c == "C":
        return "wchar_t" if wide or c == "C" else "char"
    if c == "s" or c == "S":
        return "wchar_t*" if wide or c == "S" else "char*"
    if c in "di":
        return "int" + size
    if c in "uoxX":
        return "unsigned" + size
    if c in "eEfFgGaA":
        return "long double" if size == "ll" else "double"
    if c == "p":
        return "void*"
    if c == "n":
        return "int*" + size
    raise _Invalid(f"In the directive number {count}, the character '{c}' is not a valid "
                   "conversion specifier.")


def _c99_macro(text: str, i: int, count: int) -> tuple[str, int]:
    """``PRId64>`` after ``%<``: (argument type, index of the ``>``)."""
    bad = (f"In the directive number {count}, the token after '<' is not the name of a format "
           "specifier macro. The valid macro names are listed in ISO C 99 section 7.8.1.")
    if not text.startswith("PRI", i) or i + 3 >= len(text) or text[i + 3] not in "diuoxX":
        raise _Invalid(bad)
    kind = "int" if text[i + 3] in "di" else "unsigned"
    i += 4
    for name, size in _C99_SIZES:
        if text.startswith(name, i):
            i += len(name)
            break
    else:
        raise _Invalid(bad)
    if i >= len(text) or text[i] != ">":
        raise _Invalid(f"In the directive number {count}, the token after '<' is not "
                       "followed by '>'.")
    return kind + size, i


def _numbered_in_order(numbered: list[tuple[int, str]]) -> list[str]:
    """Numbered arguments as the unnumbered sequence they amount to: every
    number from 1 up used, each the same way wherever it recurs."""
    kinds: dict[int, str] = {}
    for number, kind in sorted(numbered):
        if kinds.setdefault(number, kind) != kind:
            raise _Invalid(f"The string refers to argument number {number} in incompatible ways.")
    for expected, number in enumerate(sorted(kinds), start=1):
        if number != expected:
            raise _Invalid(f"The string refers to argument number {number} but ignores "
                           f"argument number {expected}.")
    return [kinds[k] for k in sorted(kinds)]


def check_c(want: Spec, got: Spec, strict: bool, msgid: str, msgstr: str) -> str | None:
    a, b = want.unnamed, got.unnamed
    if len(a) != len(b) if strict else len(a) < len(b):
        return f"number of format specifications in '{msgid}' and '{msgstr}' does not match"
    for k, (x, y) in enumerate(zip(a, b), start=1):
        if x != y:
            return (f"format specifications in '{msgid}' and '{msgstr}' for argument {k} "
                    "are not the same")
    return None


_MIXED_PY = ("The string refers to arguments both through argument names and through unnamed "
             "argument specifications.")


def parse_python(text: str, translated: bool = False) -> Spec:
    """``text`` as gettext's format-python parser reads it; raises ``_Invalid``."""
    spec = Spec()
    count, i, n = 0, 0, len(text)
    while True:
        i = text.find("%", i)
        if i < 0:
            break
        start, count = i, count + 1
        i += 1
        name = None
        if i < n and text[i] == "(":
            depth, j = 0, i + 1
            while j < n and (text[j] != ")" or depth):
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                j += 1
            if j >= n:
                raise _Invalid("The string ends in the middle of a directive.")
            name, i = text[i + 1:j], j + 1
        while i < n and text[i] in "-+ #0":
            i += 1
        i, _ = _python_amount(spec, text, i)
        zero_precision = False
        if i < n and text[i] == ".":
            i, digits = _python_amount(spec, text, i + 1)
            zero_precision = bool(digits) and not digits.strip("0")     # %.0s takes anything
        if i < n and text[i] in "hlL":
            i += 1
        if i >= n:
            raise _Invalid("The string ends in the middle of a directive.")
        c = text[i]
        if c == "%":
            kind = None
        elif c == "c":
            kind = "character"
        elif c in "sr":
            kind = "any" if zero_precision else "string"
        elif c in "iduoxX":
            kind = "integer"
        elif c in "eEfgG":
            kind = "float"
        else:
            raise _Invalid(f"In the directive number {count}, the character '{c}' is not a "
                           "valid conversion specifier.")
        if name is not None:
            if spec.unnamed:
                raise _Invalid(_MIXED_PY)
            if name not in spec.named or spec.named[name] == "any":
                spec.named[name] = kind
            elif spec.named[name] != kind and kind != "any":
                raise _Invalid(f"The string refers to the argument named '{name}' in "
                               "incompatible ways.")
        elif c != "%":
            if spec.named:
                raise _Invalid(_MIXED_PY)
            spec.unnamed.append(kind)
        i += 1
        spec.directives.append(text[start:i])
    return spec


def _python_amount(spec: Spec, text: str, i: int) -> tuple[int, str]:
    """A width or precision at ``i``: digits, or ``*``, which takes an integer
    from the tuple; (where parsing goes on, the digits)."""
    if i < len(text) and text[i] == "*":
        if spec.named:
            raise _Invalid(_MIXED_PY)
        spec.unnamed.append("integer")
        return i + 1, ""
    j = _digits_end(text, i)
    return j, text[i:j]


def check_python(want: Spec, got: Spec, strict: bool, msgid: str, msgstr: str) -> str | None:
    if want.named and got.unnamed:
        return (f"format specifications in '{msgid}' expect a mapping, those in '{msgstr}' "
                "expect a tuple")
    if want.unnamed and got.named:
        return (f"format specifications in '{msgid}' expect a tuple, those in '{msgstr}' "
                "expect a mapping")
    for name in sorted(set(want.named) | set(got.named)):
        if name not in want.named:
            return (f"a format specification for argument '{name}', as in '{msgstr}', "
                    f"doesn't exist in '{msgid}'")
        if name not in got.named:
            if strict:
                return f"a format specification for argument '{name}' doesn't exist in '{msgstr}'"
            continue
    for name in sorted(got.named):
        if not _same_python(want.named[name], got.named[name], strict):
            return (f"format specifications in '{msgid}' and '{msgstr}' for argument '{name}' "
                    "are not the same")
    if want.unnamed or got.unnamed:
        if len(want.unnamed) != len(got.unnamed):
            return f"number of format specifications in '{msgid}' and '{msgstr}' does not match"
        for k, (x, y) in enumerate(zip(want.unnamed, got.unnamed), start=1):
            if not _same_python(x, y, strict):
                return (f"format specifications in '{msgid}' and '{msgstr}' for argument {k} "
                        "are not the same")
    return None


def _same_python(a: str, b: str, strict: bool) -> bool:
    return a == b or (not strict and "any" in (a, b))


def parse_python_brace(text: str, translated: bool = False) -> Spec:
    """``text`` as gettext 0.21's format-python-brace parser reads it (PEP 3101
    fields, ``{{`` an escape, a lone ``}`` plain text); raises ``_Invalid``. An
    argument is named by all it says up to its ``}`` (``n:.2f``, ``a.b``):
    msgfmt compares those texts, not the bare names."""
    spec = Spec()
    i, n = 0, len(text)
    while i < n:
        if text[i] == "{":
            i = _brace_directive(spec, text, i, True)
        else:
            i += 1
    return spec


def _brace_field(text: str, i: int, numeric: bool = True) -> int:
    """Where an identifier (or, if ``numeric``, digits) at ``i`` ends; ``i`` if none is there."""
    n = len(text)
    if i < n and (text[i] == "_" or "A" <= text[i] <= "Z" or "a" <= text[i] <= "z"):
        i += 1
        while i < n and (text[i] == "_" or text[i].isascii() and text[i].isalnum()):
            i += 1
    elif numeric:
        i = _digits_end(text, i)
    return i


_ENDS = "The string ends in the middle of a directive."


def _brace_directive(spec: Spec, text: str, i: int, toplevel: bool) -> int:
    """The directive whose ``{`` is at ``i``; where parsing goes on."""
    n, start = len(text), i
    count = len(spec.directives)

    def at(k: int) -> str:
        return text[k] if k < n else ""

    i += 1
    if at(i) == "{":
        return i + 1                    # an escaped brace
    name_start = i
    j = _brace_field(text, i)
    if j == i:
        raise _Invalid(f"In the directive number {count}, '{at(i)}' cannot start a field name.")
    i = j
    while at(i) in (".", "["):
        bracket = at(i) == "["
        j = _brace_field(text, i + 1, numeric=bracket)
        if j == i + 1:
            what = "getitem" if bracket else "getattr"
            raise _Invalid(f"In the directive number {count}, '{at(j)}' cannot start a {what} "
                           "argument.")
        i = j
        if bracket:
            if at(i) != "]":
                raise _Invalid(_ENDS)          # 0.21's words, wherever the "]" is missing
            i += 1
    spec_given = at(i) == ":"
    if spec_given:
        if not toplevel:
            raise _Invalid(f"In the directive number {count}, no more nesting is allowed in a "
                           "format specifier.")
        i += 1
        if at(i) == "{":
            i = _brace_directive(spec, text, i, False)
        else:
            if at(i + 1) in ("<", ">", "=", "^"):
                i += 2
            elif at(i) in ("<", ">", "=", "^"):
                i += 1
            for optional in ("+- ", "#", "0"):
                if at(i) and at(i) in optional:
                    i += 1
            i = _digits_end(text, i)
            if at(i) == "." and at(i + 1) in _DIGITS:
                i = _digits_end(text, i + 1)
            if at(i) and at(i) in "bcdoxXneEfFgG%":
                i += 1
    if at(i) != "}":        # 0.21 says this much only without a format specifier
        raise _Invalid(_ENDS if spec_given else f"In the directive number {count}, there is "
                       "an unterminated format directive.")
    if toplevel:
        spec.named[text[name_start:i]] = "any"
        spec.directives.append(text[start:i + 1])
    return i + 1


def check_python_brace(want: Spec, got: Spec, strict: bool, msgid: str,
                       msgstr: str) -> str | None:
    """The argument names must be the msgid's, for a form that must take them
    all; a form the plural rule uses for one number may leave some out, or
    name others (msgfmt 0.21 then looks no further)."""
    if not strict:
        return None
    for name in sorted(set(want.named) ^ set(got.named)):
        where = msgstr if name in want.named else msgid
        return f"a format specification for argument '{name}' doesn't exist in '{where}'"
    return None


#: flag language → (its name in msgfmt's messages, parser, comparison)
LANGUAGES = {"c": ("C", parse_c, check_c), "python": ("Python", parse_python, check_python),
             "python-brace": ("Python brace", parse_python_brace, check_python_brace)}
_RANGE = re.compile(r"range:\s*([0-9]+)\s*\.\.\s*([0-9]+)$")
#: a range's numbers looked at, at most, to tell whether a form serves one of them
_RANGE_SCAN = 100_000


def languages(flags) -> list[str]:
    """The format languages an entry's flags claim (what msgfmt checks: yes or possible)."""
    return [lang for lang in LANGUAGES
            if f"{lang}-format" in flags or f"possible-{lang}-format" in flags]


def rule(ctx, f):
    rule_ = None
    for entry in f.po:
        if not entry.flags or entry.obsolete or not plurals.compiled(entry):
            continue        # the usual entry: no format flag at all
        langs = languages(entry.flags)
        if not langs:
            continue
        if entry.msgid_plural:
            forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
            if rule_ is None:
                rule_ = plurals.header_rule(ctx, f.po)
            strict = _strictness(entry, forms, rule_)
        else:
            forms, strict = [entry.msgstr], [True]
        yield from _judge(ctx, f, entry, langs, forms, strict)


def _strictness(entry, forms: list[str], rule_: plurals.PluralRule) -> list[bool]:
    """For each form, whether it must take every argument: msgfmt's rule, by
    how many numbers the header's plural rule sends to it (one form alone
    must take them all)."""
    if len(forms) < 2:
        return [True] * len(forms)
    often = rule_.often if rule_.problem is None and rule_.missing is None else None
    if often is None:
        return [False] * len(forms)
    span = next((m for flag in entry.flags if (m := _RANGE.match(flag.strip()))), None)
    out = []
    for j in range(len(forms)):
        strict = j < len(often) and often[j]
        if strict and span is not None:
            low, high = int(span.group(1)), int(span.group(2))
            if low <= high:
                hits = 0
                try:
                    for number in range(low, min(high, low + _RANGE_SCAN) + 1):
                        hits += rule_.plural(number) == j
                        if hits > 1:
                            break
                except ArithmeticError:
                    hits = 2        # beyond where msgfmt tried the rule: keep it strict
                strict = hits > 1
        out.append(strict)
    return out


def _judge(ctx, f, entry, langs: list[str], forms: list[str], strict: list[bool]):
    plural = bool(entry.msgid_plural)
    source = entry.msgid_plural if plural else entry.msgid
    source_name = "msgid_plural" if plural else "msgid"
    draft = "fuzzy" in entry.flags
    for lang in langs:
        title, parse, compare = LANGUAGES[lang]
        try:
            want = parse(source, False)
        except _Invalid:
            continue        # not a format string after all: msgfmt checks nothing
        for j, form in enumerate(forms):
            name = f"msgstr[{j}]" if plural else "msgstr"
            try:
                got = parse(form, True)
            except _Invalid as exc:
                why, shown = (f"'{name}' is not a valid {title} format string, unlike "
                              f"'{source_name}': {exc}"), shorten(form, 40)
            else:
                why, shown = compare(want, got, strict[j], source_name, name), got.shown()
            if why:
                yield Finding.of("format-strings", "warning" if draft else "error",
                                 ctx.locale.code, f.path, entry.linenum, shorten(entry.msgid),
                                 want.shown(), shown,
                                 f"{lang}-format: {why} (msgfmt --check refuses the catalog)"
                                 + (" (unreviewed draft)" if draft else ""))


CHECK = Check("format-strings", "error",
              "a c-format, python-format or python-brace-format msgstr takes the msgid's "
              "arguments (as msgfmt --check judges)",
              rule, "file", __doc__)
