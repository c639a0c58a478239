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

import math
import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

from l10n_tool.catalog import _unidata as U

#: msgcat's default page width; 0 or None means ``--no-wrap``.
DEFAULT_WIDTH = 79
#: msgcat writes a narrower ``--width`` at this one (``message_page_width_set``)
MIN_WIDTH = 20

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




@lru_cache(maxsize=1)
def _special_class() -> re.Pattern:
    return re.compile("[" + "".join(re.escape(c) for c in _SPECIAL_CHARS) + "]")


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
        self._classes: str | None = None

    def classes(self) -> str:
        if self._classes is None:
            self._classes = _classes(self.chars)
        return self._classes

    def events(self) -> list[tuple[int, bool]]:
        if self._events is None:
            possible, mandatory = possible_linebreaks(self.classes())
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

    def widths(self, start_column: int, breaks: list[int]) -> tuple[int, float] | None:
        """The line widths at which ``breaks(width, start_column)`` gives exactly
        ``breaks``: each step of the greedy pass compares one column with the
        width, so the answer is an interval (``lo``, ``hi``, ``hi`` inf when
        any wider width does), or None when no width gives them (a line cut
        where no break may be).

        A line that holds a break opportunity fitted, and a break was made
        because the line up to the next opportunity would not have: two
        facts per line, found with one search each for the next opportunity,
        where text without the classes that need the state machine allows
        (a break depends only on the characters around it there)."""
        classes = self.classes()
        if _special_class().search(classes):
            return self._widths_in_order(start_column, breaks)
        search, forbidden, cum = _pair_breaks().search, self.forbidden, self.cum
        end = len(self.chars)

        def following(pos: int) -> int | None:
            """The first break opportunity after ``pos`` (a match ends at each)."""
            while (m := search(classes, pos)) is not None:
                if m.end() not in forbidden:
                    return m.end()
                pos = m.end()
            return None

        bounds = [0, *breaks, end]
        nexts = [following(b) for b in bounds[:-1]]
        lo, hi = 0, math.inf
        for k in range(len(bounds) - 1):
            a, b = bounds[k], bounds[k + 1]
            column = start_column if k == 0 else 0
            opportunity = nexts[k]
            if k + 1 < len(bounds) - 1:         # b is a break: the first opportunity after a
                if opportunity != b and not (opportunity is not None and opportunity < b
                                             and self._opportunity(classes, b)):
                    return None
                o = nexts[k + 1]
                hi = min(hi, column + cum[end if o is None else o] - cum[a] - 1)
            if opportunity is not None and opportunity < b:
                lo = max(lo, column + cum[b] - cum[a])
        return (lo, hi) if lo <= hi else None

    def _opportunity(self, classes: str, i: int) -> bool:
        """Whether a line may break before ``i``: the pair table's match for the
        last character before it that is not a space ends there."""
        if i in self.forbidden:
            return False
        before = len(self.chars[:i].rstrip(" ")) - 1
        m = _pair_breaks().match(classes, before) if before >= 0 else None
        return m is not None and m.end() == i

    def _widths_in_order(self, start_column: int, breaks: list[int]) -> tuple[int, float] | None:
        """``widths`` by following ``breaks`` event by event: for text whose
        breaks need the state machine (mandatory breaks, joiners, marks)."""
        cum = self.cum
        lo, hi = 0, math.inf
        wanted = iter(breaks)
        want = next(wanted, None)
        column, piece_start, last = start_column, 0, None
        for i, must in self.events():
            if last is not None:
                value = column + cum[i] - cum[piece_start]
                if last == want:                    # broke here: the next piece overflowed
                    hi = min(hi, value - 1)
                    column, want = 0, next(wanted, None)
                else:                               # did not: it fitted
                    lo = max(lo, value)
            if must:
                last, column, piece_start = None, 0, i + 1
            else:
                column += cum[i] - cum[piece_start]
                last, piece_start = i, i
        if last is not None:
            value = column + cum[-1] - cum[piece_start]
            if last == want:
                hi = min(hi, value - 1)
                want = next(wanted, None)
            else:
                lo = max(lo, value)
        return (lo, hi) if want is None and lo <= hi else None


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
    line_width = (max(width, MIN_WIDTH) if width else 1 << 30) - 1 - after_break
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


def field_widths(name: str, texts: list[str], prefix: str = "") -> tuple[int, float] | None:
    """The page widths at which ``wrap(name, value, prefix, width)`` writes a
    field as these lines (what is between the quotes of each, as a file holds
    them): an interval, ``hi`` inf when no string was broken for want of room
    (so any wider page, or none, writes the same); None when no width writes
    these lines. ``wrap`` run backwards, decision by decision."""
    shift = len(prefix) + 2                 # the prefix and both quotes
    keyword = len(name) + 1                 # ``msgid `` before the first quote
    if len(texts) == 1:
        text = texts[0]
        if not text:
            return 0, math.inf
        ends = _portion_ends(text)
        if ends and ends[0] != len(text):
            return None                     # two portions on one line: GNU starts each anew
        layout = _Layout(text, _forbidden(text, bool(ends)))
        fits = layout.widths(keyword, [])
        if fits is None:
            return None
        return max(keyword, fits[0]) + shift, math.inf
    if texts[0] or not all(texts[1:]):
        return None                         # GNU opens with ``msgid ""``, writes no empty line
    lo, hi = 0, math.inf
    portions: list[list[str]] = [[]]
    for text in texts[1:]:
        ends = _portion_ends(text)
        if ends and ends[0] != len(text):
            return None
        portions[-1].append(text)
        if ends:
            portions.append([])
    if not portions[-1]:
        portions.pop()
    for group in portions:
        chars = "".join(group)
        layout = _Layout(chars, _forbidden(chars, bool(_portion_ends(group[-1]))))
        if len(portions) == 1:              # one portion, yet not after ``msgid "``: no room
            alone = layout.widths(keyword, [])
            if alone is None:
                return None
            hi = min(hi, max(keyword, alone[0]) - 1)
        breaks = list(accumulate(len(t) for t in group[:-1]))
        found = layout.widths(0, breaks)
        if found is None:
            return None
        lo, hi = max(lo, found[0]), min(hi, found[1])
    return (lo + shift, hi + shift) if lo <= hi else None


def _portion_ends(text: str) -> list[int]:
    """Where a ``\\n`` escape ends in a line as written (a portion ends there)."""
    if "\\n" not in text:
        return []
    return [m.end() for m in _PAIR.finditer(text) if m.group() == "\\n"]


def _forbidden(text: str, ends_portion: bool) -> set[int]:
    """``_escape``'s forbidden breaks, found in text already escaped."""
    forbidden = {m.start() + 1 for m in _PAIR.finditer(text)} if "\\" in text else set()
    if ends_portion:
        forbidden.add(len(text) - 2)
    return forbidden
