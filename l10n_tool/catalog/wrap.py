"""String wrapping exactly as GNU gettext 0.21 writes PO files (``write-po.c``).

Every other PO tool a translator may use (msgcat, msgmerge, Poedit, Weblate,
Babel) wraps like GNU, so writing the same bytes is what keeps a re-save by
one of them from turning into a diff on the next ``l10n update``. polib wraps
with Python's ``textwrap``: at different points, never inside CJK text, and
counting a wide character as one column.

GNU cuts a string into portions after each ``\\n``, escapes each, and asks
libunistring where lines may break (Unicode line-breaking, UAX #14, as
libunistring 1.0 implements it) and where they must, for a page of 79
columns that leaves room for both quotes. ``_unidata`` holds that library's
own tables, so the decisions are the same character for character.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

from l10n_tool.catalog import _unidata as U

#: msgcat's default page width; 0 or None means ``--no-wrap``.
DEFAULT_WIDTH = 79

_UNDEFINED, _PROHIBITED, _POSSIBLE, _MANDATORY = 0, 1, 2, 3
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


@lru_cache(maxsize=4096)
def _props(ch: str) -> tuple[int, int]:
    """(line-break class, display width) of one character."""
    cp = ord(ch)
    lb = U.LB_VALUES[bisect_right(U.LB_STARTS, cp) - 1]
    width = U.WIDTH_VALUES[bisect_right(U.WIDTH_STARTS, cp) - 1]
    return lb, width


def width(text: str) -> int:
    """Display columns as libunistring counts them (CJK 2, combining 0, controls 0)."""
    return sum(max(0, _props(ch)[1]) for ch in text)


def possible_linebreaks(chars: list[str]) -> list[int]:
    """Break opportunities before each character (libunistring's
    ``u8_possible_linebreaks``, UTF-8, not a CJK encoding)."""
    out = [_PROHIBITED] * len(chars)
    prev_prop = last_prop = _BK
    seen_space = False
    ri_count = 0
    for i, ch in enumerate(chars):
        prop = _props(ch)[0]
        if prop in (_BK, _LF, _CR):
            out[i] = _MANDATORY
            prev_prop, last_prop, seen_space = prop, _BK, False
        else:
            prop = _RESOLVE.get(prop, prop)
            if prop == _SP:
                out[i] = _PROHIBITED
                seen_space = True
            elif prop == _ZW:
                out[i] = _PROHIBITED
                last_prop, seen_space = _ZW, False
            elif prop in (_CM, _ZWJ):
                if last_prop == _BK:
                    out[i] = _PROHIBITED
                    last_prop, seen_space = _AL, False
                elif last_prop == _ZW or seen_space:
                    out[i] = _POSSIBLE
                    last_prop, seen_space = _AL, False
                else:
                    out[i] = _PROHIBITED
            else:
                if last_prop == _BK:
                    out[i] = _PROHIBITED
                elif last_prop == _ZW:
                    out[i] = _POSSIBLE
                elif prev_prop == _ZWJ:
                    out[i] = _PROHIBITED
                elif last_prop == _RI and prop == _RI:
                    out[i] = _POSSIBLE if seen_space or ri_count % 2 == 0 else _PROHIBITED
                elif prev_prop == _HL_BA:
                    out[i] = _PROHIBITED
                else:
                    rule = _PAIRS[last_prop][prop]
                    out[i] = (_POSSIBLE if seen_space else _PROHIBITED) if rule == -1 else rule
                last_prop, seen_space = prop, False
            prev_prop = _HL_BA if prev_prop == _HL and prop in (_HY, _BA) else prop
        ri_count = ri_count + 1 if prop == _RI else 0
    return out


def width_linebreaks(chars: list[str], width: int, start_column: int,
                     overrides: list[int]) -> list[bool]:
    """Where to break so that no line passes ``width`` (``u8_width_linebreaks``:
    greedy, a piece wider than the line is left whole)."""
    p = possible_linebreaks(chars)
    breaks = [False] * len(chars)
    last = None
    last_column, piece = start_column, 0
    for i, ch in enumerate(chars):
        b = overrides[i] if overrides[i] != _UNDEFINED else p[i]
        if b in (_POSSIBLE, _MANDATORY) and last is not None and last_column + piece > width:
            breaks[last] = True
            last_column = 0
        if b == _MANDATORY:
            last, last_column, piece = None, 0, 0
        else:
            if b == _POSSIBLE:
                last = i
                last_column += piece
                piece = 0
            w = _props(ch)[1]
            if w >= 0:
                piece += w
    if last is not None and last_column + piece > width:
        breaks[last] = True
    return breaks


def _escape(portion: str) -> tuple[list[str], list[int]]:
    chars: list[str] = []
    overrides: list[int] = []
    for ch in portion:
        esc = _ESCAPES.get(ch) or (ch if ch in '\\"' else None)
        if esc is not None:
            chars += ["\\", esc]
            overrides += [_UNDEFINED, _PROHIBITED]
        else:
            chars.append(ch)
            overrides.append(_UNDEFINED)
    if portion.endswith("\n"):
        overrides[-2] = _PROHIBITED      # never break just before the final "\n"
    return chars, overrides


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
        chars, overrides = _escape(portion)
        while True:
            start = len(prefix) + (len(name) + 1 if first else 0) + 1 - after_break
            breaks = width_linebreaks(chars, line_width, start, overrides)
            if first and chars and (n + 1 < len(portions) or start > line_width or any(breaks)):
                lines.append(f'{prefix}{name} ""')
                first = False
                continue
            break
        head = f"{prefix}{name} " if first else prefix
        first = False
        pieces, begin = [], 0
        for i, brk in enumerate(breaks):
            if brk:
                pieces.append("".join(chars[begin:i]))
                begin = i
        pieces.append("".join(chars[begin:]))
        lines.append(f'{head}"{pieces[0]}"')
        lines.extend(f'{prefix}"{piece}"' for piece in pieces[1:])
    return lines
