"""String wrapping exactly as GNU gettext 0.21 writes PO files (``write-po.c``).

GNU's layout is the reference every PO editor follows (msgcat, msgmerge and
msginit write it; Poedit and Weblate aim at it), so writing the same bytes
is what keeps a re-save by one of them from turning into a diff on the next
``l10n update``. polib wraps with Python's ``textwrap``: at other points,
never inside CJK text, and counting a wide character as one column.

GNU cuts a string into portions after each ``\\n``, escapes each, and asks
libunistring where lines may break (Unicode line-breaking, UAX #14, as
libunistring 1.0 implements it) and where they must, for a page of 79
columns that leaves room for both quotes. ``_unidata`` holds that library's
own tables, so the decisions are the same character for character.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

from l10n_tool.catalog import _unidata as U

#: msgcat's default page width; 0 or None means ``--no-wrap``.
DEFAULT_WIDTH = 79

_PROHIBITED, _POSSIBLE = 1, 2
_C = U.CLASSES
_BK, _CR, _LF, _CM, _ZW, _SP, _ZWJ, _RI = (_C[k] for k in ("BK", "CR", "LF", "CM", "ZW", "SP",
                                                           "ZWJ", "RI"))
_HL, _HY, _BA, _AL, _ID1, _AI, _CB, _SA, _XX = (_C[k] for k in ("HL", "HY", "BA", "AL", "ID1",
                                                                "AI", "CB", "SA", "XX"))
_HL_BA = 100
# the resolution libunistring applies to classes the pair table has no row for
_RESOLVE = {_AI: _AL, _CB: _ID1, _SA: _AL, _XX: _AL}
_PAIRS = tuple(tuple({"D": _POSSIBLE, "I": -1, "P": _PROHIBITED}[c] for c in row)
               for row in U.PAIRS)
#: C escapes write-po uses, besides \\ and \"
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v"}


class _Lookup(dict):
    """Character → value from the generated runs, memoised on first sight
    (text uses few distinct characters, so a dict hit is the common case)."""

    def __init__(self, starts, values, adjust) -> None:
        super().__init__()
        self.starts, self.values, self.adjust = starts, values, adjust

    def __missing__(self, ch: str) -> int:
        value = self.adjust(self.values[bisect_right(self.starts, ord(ch)) - 1])
        self[ch] = value
        return value


#: line-break class, with the context-free resolutions already applied
_CLASS = _Lookup(U.LB_STARTS, U.LB_VALUES, lambda v: _RESOLVE.get(v, v))
#: display width; control characters count 0, as libunistring ignores them
_WIDTH = _Lookup(U.WIDTH_STARTS, U.WIDTH_VALUES, lambda v: max(v, 0))
#: classes that need the full state machine; text without them takes the pair table alone
_SPECIAL = frozenset((_BK, _LF, _CR, _CM, _ZWJ, _ZW, _RI, _HL))


def width(text: str) -> int:
    """Display columns as libunistring counts them (CJK 2, combining 0, controls 0)."""
    return len(text) if text.isascii() and text.isprintable() else sum(_WIDTH[c] for c in text)


class _ClassChars(dict):
    """Code point → its line-break class as one character, for ``str.translate``:
    a text becomes a string of classes that one regular expression reads."""

    def __missing__(self, code: int) -> str:
        value = self[code] = chr(_CLASS[chr(code)])
        return value


_CLASS_CHARS = _ClassChars()
_SPECIAL_CHARS = tuple(chr(c) for c in _SPECIAL)


@lru_cache(maxsize=1)
def _pair_breaks() -> re.Pattern:
    """The pair table as one pattern over class strings: after a class X, a
    break before Y where the table allows it directly, or (indirect rule)
    after spaces. Classes with the same row share one branch."""
    sp = re.escape(chr(_SP))
    rows: dict[tuple, list[int]] = {}
    for last, row in enumerate(_PAIRS):
        if last != _SP and last not in _SPECIAL:
            rows.setdefault(tuple(row), []).append(last)

    def chars(classes) -> str:
        return "".join(re.escape(chr(c)) for c in classes if c != _SP)

    branches = []
    for row, lasts in rows.items():
        direct = chars(c for c, rule in enumerate(row) if rule == _POSSIBLE)
        spaced = chars(c for c, rule in enumerate(row) if rule in (_POSSIBLE, -1))
        after = [f"(?=[{direct}])"] if direct else []
        if spaced:
            after.append(f"{sp}+(?=[{spaced}])")
        if after:
            branches.append(f"[{chars(lasts)}](?:{'|'.join(after)})")
    return re.compile("|".join(branches))




def _classes(chars: str) -> str:
    return chars.translate(_CLASS_CHARS)


def possible_linebreaks(props: "list[int] | str") -> tuple[list[int], list[int]]:
    """Indexes before which a line may break, and those where it must
    (libunistring's ``u8_possible_linebreaks``: UTF-8, not a CJK encoding).
    ``props`` are the classes, as numbers or as a string of ``chr(class)``."""
    if isinstance(props, str):
        if not any(c in props for c in _SPECIAL_CHARS):
            # the pair table alone, in C: most text of most languages
            return [m.end() for m in _pair_breaks().finditer(props)], []
        props = list(map(ord, props))
    possible: list[int] = []
    pairs = _PAIRS
    if _SPECIAL.isdisjoint(props):
        last, space = _BK, False
        for i, prop in enumerate(props):
            if prop == _SP:
                space = True
                continue
            if last != _BK:
                rule = pairs[last][prop]
                if rule == _POSSIBLE or (rule == -1 and space):
                    possible.append(i)
            last, space = prop, False
        return possible, []
    mandatory: list[int] = []
    prev_prop = last_prop = _BK
    seen_space = False
    ri_count = 0
    for i, prop in enumerate(props):
        if prop in (_BK, _LF, _CR):
            mandatory.append(i)
            prev_prop, last_prop, seen_space = prop, _BK, False
        else:
            if prop == _SP:
                seen_space = True
            elif prop == _ZW:
                last_prop, seen_space = _ZW, False
            elif prop in (_CM, _ZWJ):
                if last_prop == _BK:
                    last_prop, seen_space = _AL, False
                elif last_prop == _ZW or seen_space:
                    possible.append(i)
                    last_prop, seen_space = _AL, False
            else:
                if last_prop == _BK or prev_prop == _ZWJ or prev_prop == _HL_BA:
                    pass
                elif last_prop == _ZW:
                    possible.append(i)
                elif last_prop == _RI and prop == _RI:
                    if seen_space or ri_count % 2 == 0:
                        possible.append(i)
                else:
                    rule = pairs[last_prop][prop]
                    if rule == _POSSIBLE or (rule == -1 and seen_space):
                        possible.append(i)
                last_prop, seen_space = prop, False
            prev_prop = _HL_BA if prev_prop == _HL and prop in (_HY, _BA) else prop
        ri_count = ri_count + 1 if prop == _RI else 0
    return possible, mandatory


class _Layout:
    """A portion's columns and break opportunities, worked out once however
    many start columns ``wrap`` tries (a long msgid is laid out twice: after
    ``msgid "`` and, when that does not fit, on lines of its own)."""

    def __init__(self, chars: str, forbidden: set[int]):
        self.chars, self.forbidden = chars, forbidden
        if chars.isascii() and chars.isprintable():
            self.cum = range(len(chars) + 1)                 # one column each
        else:
            self.cum = list(accumulate(map(_WIDTH.__getitem__, chars), initial=0))
        self._events: list[tuple[int, bool]] | None = None

    def events(self) -> list[tuple[int, bool]]:
        if self._events is None:
            possible, mandatory = possible_linebreaks(_classes(self.chars))
            events = [(i, False) for i in possible if i not in self.forbidden]
            if mandatory:
                events = sorted(events + [(i, True) for i in mandatory])
            self._events = events
        return self._events

    def breaks(self, width: int, start_column: int) -> list[int]:
        """Indexes to break before so that no line passes ``width``
        (``u8_width_linebreaks``: greedy; a piece wider than a line stays whole)."""
        cum = self.cum
        if start_column + cum[-1] <= width:
            return []                                        # fits: no opportunity is used
        breaks: list[int] = []
        last = None
        column, piece_start = start_column, 0
        for i, must in self.events():
            if last is not None and column + cum[i] - cum[piece_start] > width:
                breaks.append(last)
                column = 0
            if must:
                last, column, piece_start = None, 0, i + 1
            else:
                column += cum[i] - cum[piece_start]
                last, piece_start = i, i
        if last is not None and column + cum[-1] - cum[piece_start] > width:
            breaks.append(last)
        return breaks


_ESCAPE_TABLE = str.maketrans({**{k: "\\" + v for k, v in _ESCAPES.items()},
                               "\\": "\\\\", '"': '\\"'})
_PAIR = re.compile(r"\\.")


def _escape(portion: str) -> tuple[str, set[int]]:
    """The portion as written, and where GNU forbids a break: inside an escape,
    and just before the final ``\\n``. Every backslash of the written text
    starts an escape, so the pairs are easy to find again."""
    text = portion.translate(_ESCAPE_TABLE)
    forbidden = {m.start() + 1 for m in _PAIR.finditer(text)} if "\\" in text else set()
    if portion.endswith("\n"):
        forbidden.add(len(text) - 2)
    return text, forbidden


def _portions(value: str) -> list[str]:
    parts = value.split("\n")
    out = [p + "\n" for p in parts[:-1]]
    if parts[-1] or not out:
        out.append(parts[-1])
    return out


def wrap(name: str, value: str, prefix: str = "", width: int | None = DEFAULT_WIDTH) -> list[str]:
    """The lines GNU writes for ``name "value"`` (``msgid``, ``msgstr[0]``…), each
    starting with ``prefix`` (``"#~ "`` for obsolete entries, ``"#| "``…)."""
    if value.isascii() and len(value) < 60 and "\n" not in value and '"' not in value \
            and "\\" not in value and value.isprintable():
        if not width or len(prefix) + len(name) + len(value) + 3 <= width:
            return [f'{prefix}{name} "{value}"']        # the common short case
    after_break = len(prefix) + 1
    line_width = (width if width else 1 << 30) - 1 - after_break
    lines: list[str] = []
    first = True
    portions = _portions(value)
    for n, portion in enumerate(portions):
        chars, forbidden = _escape(portion)
        layout = _Layout(chars, forbidden)
        while True:
            start = len(prefix) + (len(name) + 1 if first else 0) + 1 - after_break
            breaks = layout.breaks(line_width, start)
            if first and chars and (n + 1 < len(portions) or start > line_width or breaks):
                lines.append(f'{prefix}{name} ""')
                first = False
                continue
            break
        head = f"{prefix}{name} " if first else prefix
        first = False
        pieces, begin = [], 0
        for i in sorted(breaks):
            pieces.append(chars[begin:i])
            begin = i
        pieces.append(chars[begin:])
        lines.append(f'{head}"{pieces[0]}"')
        lines.extend(f'{prefix}"{piece}"' for piece in pieces[1:])
    return lines
