"""``numbers``: every number in the msgid survives in the msgstr, by value.

Numbers are compared as values, read with the target locale's separators
from Babel, so 4,500 = 4.500 in German and 15.1 = 15,1; a scale word counts
too (RMB 160 billion = 1600亿元 = 160 Milliarden). Years, ordinals and
percentages are numbers like any other: a dropped 23% is an error. A scale
word binds its number, so 160亿 for "160 billion" is a magnitude error.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import get_decimal_symbol, get_group_symbol

from l10n_tool import markup
from l10n_tool.locales import get_locale
from l10n_tool.checks.base import Check

#: Scale words per language, longest first when matched.
SCALES = {
    "en": {"thousand": 3, "million": 6, "mn": 6, "billion": 9, "bn": 9, "trillion": 12},
    "de": {"tausend": 3, "million": 6, "millionen": 6, "mio.": 6, "mio": 6, "milliarde": 9,
           "milliarden": 9, "mrd.": 9, "mrd": 9, "billion": 12, "billionen": 12},
    "fr": {"mille": 3, "million": 6, "millions": 6, "milliard": 9, "milliards": 9},
    "es": {"mil": 3, "millón": 6, "millones": 6, "mil millones": 9, "billón": 12},
    "zh": {"千": 3, "万": 4, "百万": 6, "千万": 7, "亿": 8, "万亿": 12},
    "ja": {"千": 3, "万": 4, "百万": 6, "億": 8, "兆": 12},
}
CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
CJK_UNITS = {"十": 10, "百": 100, "千": 1000}
CJK_BIG = {"万": 10_000, "亿": 100_000_000}

SOURCE_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
TARGET_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f' ]\d{3})*(?:[.,]\d+)?")
CJK_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


@lru_cache(maxsize=None)
def _scale_words(lang: str) -> tuple[tuple[str, int], ...]:
    """The language's scale words, longest first, sorted once."""
    words = SCALES.get(lang, {})
    return tuple((w, words[w]) for w in sorted(words, key=len, reverse=True))


def _scale_after(text: str, end: int, lang: str) -> int:
    words = _scale_words(lang)
    if not words:
        return 0
    spaced = text[end:end + 16].lower().lstrip()
    for word, exponent in words:
        if spaced.startswith(word) and (not word.isascii() or not spaced[len(word):len(word) + 1].isalpha()):
            return exponent
    return 0


def source_values(text: str, lang: str = "en") -> list[set[Decimal]]:
    """Each number of a source string, as the set of values it may stand for."""
    text = markup.strip(text)
    out = []
    for m in SOURCE_NUMBER.finditer(text):
        value = Decimal(m.group(1).replace(",", "") + (m.group(2) or ""))
        # a scale word binds: "160 billion" is 1.6e11 and nothing else, so that
        # 160亿 (1.6e10) is caught as the magnitude error it is
        out.append({value.scaleb(_scale_after(text, m.end(), lang))})
    return out


def _parse(raw: str, group: str, decimal: str) -> Decimal | None:
    groups = {group, "\u00a0", "\u202f", " ", "'"} if group in ("\u00a0", "\u202f", " ") else {group}
    s = raw
    for g in groups:
        if g != decimal:
            s = s.replace(g, "")
    s = s.replace(decimal, ".")
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def cjk_numeral(text: str) -> int | None:
    """一千八百 → 1800, 第二 → 2, 三十 → 30."""
    total, section, number = 0, 0, None
    for ch in text:
        if ch in CJK_DIGITS:
            number = CJK_DIGITS[ch]
        elif ch in CJK_UNITS:
            section += (number if number is not None else 1) * CJK_UNITS[ch]
            number = None
        elif ch in CJK_BIG:
            section += number or 0
            total += (section or 1) * CJK_BIG[ch]
            section, number = 0, None
    return total + section + (number or 0)


@lru_cache(maxsize=None)
def _symbols(code: str) -> frozenset[tuple[str, str]]:
    """(group, decimal) separators a msgstr of the locale may use: its own, from
    Babel, and English ones; asked once per locale, not once per entry."""
    babel_code = get_locale(code).babel_locale()
    return frozenset({(get_group_symbol(babel_code), get_decimal_symbol(babel_code)), (",", ".")})


def target_values(text: str, locale) -> set[Decimal]:
    """Every value a msgstr expresses, with its own and English separators."""
    text = markup.strip(text)
    symbols = _symbols(locale.code)
    out: set[Decimal] = set()
    for m in TARGET_NUMBER.finditer(text):
        scale = _scale_after(text, m.end(), locale.language)
        for group, decimal in symbols:
            value = _parse(m.group(), group, decimal)
            if value is not None:
                out.add(value.scaleb(scale))
    if locale.language in ("zh", "ja"):
        for m in CJK_NUMERAL.finditer(text):
            value = cjk_numeral(m.group())
            if value:
                out.add(Decimal(value))
    return {v.normalize() for v in out}


_DIGIT = re.compile(r"\d")


def rule(ctx, entry):
    if not _DIGIT.search(entry.msgid):
        return      # most sentences: nothing to compare, and the cheapest test of all
    wanted = source_values(entry.msgid)
    if not wanted:
        return
    have = target_values(entry.msgstr, ctx.locale)
    for values in wanted:
        if not {v.normalize() for v in values} & have:
            shown = format(min(values), "f")
            yield (shown, " ".join(sorted(format(v, "f") for v in have)) or "(no numbers)",
                   f"number {shown} is missing from the translation")


CHECK = Check("numbers", "error",
              "every number of the msgid is in the msgstr, by value with the locale's separators",
              rule, "entry", __doc__)
