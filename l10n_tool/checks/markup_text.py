"""``markup-text``: MT token debris and markup-looking text in a msgstr.

Translated text is always escaped when published, so anything in a msgstr
that looks like markup is shown to readers literally: a raw ``<b>`` or
``&amp;`` a translator pasted from the page source, or what is left of the
tokens MT protection wraps around placeholders and glossary terms (``X1X``,
a stray ``X`` glued to a closing placeholder as in ``</1>X,``, half a token,
private-use or ``⟦…⟧`` delimiters). None of these can be caught by the
placeholders check, because none of them is a placeholder.

Invisible characters are debris of another kind: a bidi control (a
right-to-left override U+202E, embeddings U+202A–U+202D, isolates
U+2066–U+2069) reorders what readers see, so a price or a name can read
backwards, and a zero-width space, word joiner or BOM (U+200B, U+2060,
U+FEFF) hides inside a word and breaks search. A page sets its direction
with ``dir``; text never needs them. Left alone: the marks RTL translators
use around numbers (LRM, RLM, ALM), in a right-to-left locale isolates
that pair up (LRI, RLI or FSI … PDI, which W3C recommends around a Latin
name in Arabic text and which reorder nothing outside the pair), and
ZWJ/ZWNJ, which Persian, Indic
scripts and emoji need. A zero-width space is allowed where the script has
no spaces (Thai, Lao, Khmer, Burmese), since there it marks where a line
may break.

Control characters are worse: a C0 control other than tab and newline (NUL,
backspace, ESC, U+001C…), DEL, a C1 control (U+0080–U+009F, NEL U+0085
among them) or a line or paragraph separator (U+2028, U+2029) has no place
in a page's text. HTML cannot carry most of them, so publishing drops or
replaces them, and what is left shows: an ESC pasted from a terminal leaves
``Ich[31m stimme zu`` on the live page. They come from copy and paste, and
from a ``\b`` or ``\033`` escape typed into a PO editor.

Each suspicious string is compared with the msgid, by count: source text
that really says ``Model X9``, ``X1X`` or ``&amp;`` may keep it. Ordinary
words (X-ray, Xi Jinping) and the numbered placeholders (``<1>``) never match.
"""

from __future__ import annotations

import re
from collections import Counter
from html.entities import html5

from l10n_tool import catalog
from l10n_tool.checks.base import Check

_PLACEHOLDER = r"</?\d+/?>"
#: What the MT step's protection can leave behind.
DEBRIS = re.compile("|".join([
    r"X\d+X",                                          # a whole token: X1X, X12X
    r"(?<![A-Za-z0-9])X\d+(?![A-Za-z0-9])",            # its first half: X3
    r"(?<![A-Za-z0-9])\d+X(?![A-Za-z0-9])",            # its second half: 3X
    r"(?<![A-Za-z0-9-])X ?X(?![A-Za-z0-9-])",          # its number dropped: XX
    rf"{_PLACEHOLDER}X(?![A-Za-z0-9])",                # a lone X after a placeholder: </1>X,
    rf"(?<![A-Za-z0-9])X(?={_PLACEHOLDER})",           # … or before one: X<1>
    "[\ue000-\uf8ff\U000f0000-\U0010ffff]",            # private-use characters
    "[\u27e6\u27e7\u27ea\u27eb]",                      # ⟦ ⟧ ⟪ ⟫ delimiters
]))

#: Bidi controls and zero-width characters, invisible in the published page.
INVISIBLE = "\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff"
INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
#: C0 controls but tab and newline, DEL, C1 controls, line and paragraph separators.
CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029"
CONTROL_RE = re.compile(f"[{CONTROL}]")
#: Languages written without spaces, where U+200B marks where a line may break.
SPACELESS = frozenset({"th", "lo", "km", "my"})

#: HTML elements whose tags a translator or MT might leave in text.
ELEMENTS = frozenset("""
a abbr address article aside audio b bdi bdo blockquote body br button caption cite code col
colgroup dd del details dfn div dl dt em embed figcaption figure footer form h1 h2 h3 h4 h5 h6
head header hr html i iframe img input ins kbd label li link main mark meta nav noscript object
ol option p picture pre q s samp script section select small source span strong style sub
summary sup table tbody td template textarea tfoot th thead time title tr track u ul var video
wbr font center""".split())
HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>|<!--")
HTML_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


#: Every kind above contains one of these (a "<" that does not open a placeholder
#: among them); most msgstrs contain none, and skip the rest.
SUSPECT = re.compile(f"[X&\ue000-\uf8ff\U000f0000-\U0010ffff\u27e6\u27e7\u27ea\u27eb{INVISIBLE}"
                     f"{CONTROL}]|<(?!/?\\d)")


def debris(text: str) -> Counter:
    return Counter(m.group() for m in DEBRIS.finditer(text))


def html_tags(text: str) -> Counter:
    return Counter(m.group().lower() for m in HTML_TAG.finditer(text)
                   if m.group() == "<!--" or m.group(1).lower() in ELEMENTS)


def html_entities(text: str) -> Counter:
    return Counter(m.group() for m in HTML_ENTITY.finditer(text)
                   if m.group().startswith("&#") or m.group()[1:] in html5)


def invisible(text: str) -> Counter:
    return Counter(INVISIBLE_RE.findall(text))


_OPEN_ISOLATES, _PDI = "\u2066\u2067\u2068", "\u2069"


def _isolated(text: str) -> Counter:
    """The isolate controls that pair up (LRI, RLI or FSI … PDI): what W3C
    asks for around a Latin name in Arabic text, and what cannot reorder
    anything outside the pair. An unpaired one still counts."""
    paired: Counter = Counter()
    stack: list[str] = []
    for ch in text:
        if ch in _OPEN_ISOLATES:
            stack.append(ch)
        elif ch == _PDI and stack:
            paired[stack.pop()] += 1
            paired[_PDI] += 1
        elif ch == "\n":
            stack.clear()            # an isolate ends with its paragraph
    return paired


def controls(text: str) -> Counter:
    return Counter(CONTROL_RE.findall(text))


KINDS = (
    (debris, "machine-translation token debris", "remove it; the MT step left it behind"),
    (html_tags, "an HTML tag", "it would be published as literal text; use the msgid's "
                               "placeholders"),
    (html_entities, "an HTML entity", "it would be published as literal text; write the "
                                      "character itself"),
    (invisible, "an invisible bidi control or zero-width character",
     "remove it; readers cannot see it, and a bidi control reorders the text around it"),
    (controls, "a control character",
     "remove it; a page cannot show it, and publishing drops or garbles it"),
)


def rule(ctx, entry):
    if not entry.msgid_plural and not SUSPECT.search(entry.msgstr):
        return      # most msgstrs: nothing that could be any kind below
    forms = [form for form in catalog.translations(entry) if SUSPECT.search(form)]
    if not forms:
        return
    source = f"{entry.msgid}\n{entry.msgid_plural}" if entry.msgid_plural else entry.msgid
    for find, what, fix in KINDS:
        allowed = find(source)
        extra = Counter()
        for form in forms:
            found = find(form)
            if find is invisible and _right_to_left(ctx):
                found -= _isolated(form)
            extra |= found - allowed
        if find is invisible and _language(ctx) in SPACELESS:
            del extra["\u200b"]
        if extra:
            shown = " ".join(sorted(extra.elements()))
            yield ("(none)", ascii_safe(shown), f"{what} in the translation ({ascii_safe(shown)}): "
                   f"{fix}")


def _right_to_left(ctx) -> bool:
    locale = getattr(ctx, "locale", None)
    return locale is not None and locale.direction == "rtl"


def _language(ctx) -> str | None:
    locale = getattr(ctx, "locale", None)
    return getattr(locale, "language", None)


def ascii_safe(text: str) -> str:
    """Private-use, invisible and control characters cannot be seen in most
    terminals (a bidi override would reorder the report itself, an ESC would
    drive the terminal): show their code."""
    return "".join(f"U+{ord(c):04X}" if "\ue000" <= c <= "\uf8ff" or ord(c) >= 0xF0000
                   or INVISIBLE_RE.match(c) or CONTROL_RE.match(c) else c for c in text)


CHECK = Check("markup-text", "error",
              "no MT token debris (X1X, </1>X), raw HTML tags or entities, bidi controls, "
              "zero-width or control characters in a msgstr",
              rule, "entry", __doc__, plural_forms=True)
