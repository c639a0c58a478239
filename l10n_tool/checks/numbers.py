"""``numbers``: every number in the msgid survives in the msgstr, by value.

Numbers are compared as values, read with the target locale's separators
from Babel, so 4,500 = 4.500 in German and 15.1 = 15,1; a scale word counts
too (RMB 160 billion = 1600亿元 = 160 Milliarden). Years, ordinals and
percentages are numbers like any other: a dropped 23% is an error. A scale
word binds its number, so 160亿 for "160 billion" is a magnitude error.

A space (also a no-break or narrow no-break space) groups digits in any
locale, but only into valid groups: "20 000" is twenty thousand, while in
"2025 1610" (a year, then a year) grouping fails and each part is a number
of its own. Placeholders separate numbers, so the 36 and 146 of
``<2>36</2><4>146`` never merge. A msgstr identical to its msgid always
passes: it is also read the way the msgid is.

Right-to-left and CJK newsrooms write figures their own way, and each is read
by value: Arabic-Indic and Persian digits with the Arabic separators
(٤٬٥٠٠, ۱۵٫۱), the scale words of Arabic, Hebrew, Persian and Urdu (مليار,
מיליארד, کروڑ), Traditional 萬/億, full-width digits (１２, ４，５００), digits
between scales (1万5000, 1亿2000万), year digits in kanji (二〇二一), and a figure
wrapped in direction marks (RLM, ALM, isolates), and ordinals 1–10 written as
words in Arabic, Hebrew and Persian (الثاني, השני, دومین for 2nd).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from babel import Locale
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
    # Brazil: bilhão = 10^9; Portugal: mil milhões = 10^9, bilião = 10^12
    "pt": {"mil": 3, "milhão": 6, "milhões": 6, "bilhão": 9, "bilhões": 9, "mil milhões": 9,
           "trilhão": 12, "trilhões": 12, "bilião": 12, "biliões": 12},
    "it": {"mila": 3, "mille": 3, "milione": 6, "milioni": 6, "miliardo": 9, "miliardi": 9},
    # Simplified and Traditional (zh_Hant writes 萬 and 億)
    "zh": {"千": 3, "万": 4, "百万": 6, "千万": 7, "亿": 8, "万亿": 12,
           "萬": 4, "百萬": 6, "千萬": 7, "億": 8, "萬億": 12, "兆": 12},
    "ja": {"千": 3, "万": 4, "百万": 6, "億": 8, "兆": 12},
    # Arabic-script and Hebrew words take suffixes (مليارات, ملياراً, اربوں), so
    # they match as prefixes, as CJK ones do; the article-like الف is left out
    "ar": {"ألف": 3, "آلاف": 3, "مليون": 6, "ملايين": 6, "مليار": 9, "بليون": 9,
           "تريليون": 12},
    "he": {"אלף": 3, "אלפים": 3, "מיליון": 6, "מיליארד": 9, "טריליון": 12},
    "fa": {"هزار": 3, "میلیون": 6, "ميليون": 6, "میلیارد": 9, "ميليارد": 9, "تریلیون": 12,
           "تريليون": 12},
    # Urdu counts in lakhs and crores: لاکھ = 10^5, کروڑ = 10^7, ارب = 10^9
    "ur": {"ہزار": 3, "لاکھ": 5, "کروڑ": 7, "ارب": 9, "کھرب": 11, "ملین": 6, "بلین": 9},
}
CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
CJK_UNITS = {"十": 10, "百": 100, "千": 1000}
CJK_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

#: Digits with single separators between them: one number or several, which
#: ``_read`` tells apart by the separators of one notation.
NUMBER_RUN = re.compile(r"\d+(?:[.,'\u2019\u00a0\u202f \u066b\u066c\uff0c\uff0e]\d+)*")
CHUNK = re.compile(r"(\d+)(.?)", re.S)
SPACES = frozenset("\u00a0\u202f ")
APOSTROPHES = frozenset("'\u2019")
#: Digits glued to one of these are part of a word or code (A380, v2.0), not a
#: figure of the msgid.
GLUED = re.compile(r"[\w.,]")
#: What a placeholder leaves in the text numbers are read from: neither a digit
#: nor a separator, so it joins nothing; whitespace, so a scale word after a
#: tag still binds.
BOUNDARY = "\n"
CJK_NUMERAL = re.compile(r"[零〇一二两兩三四五六七八九十百千万萬亿億]+")
#: Invisible direction marks a right-to-left translation puts around or inside
#: a figure (LRM, RLM, ALM, the isolates): they are not part of what it says.
BIDI_MARKS = re.compile("[\u200e\u200f\u061c\u2066-\u2069]")
#: Separators of the Arabic numbering systems (٤٬٥٠٠, ١٥٫١), which Arabic-script
#: text uses with Arabic-Indic and Latin digits alike, and the full-width ones
#: of CJK text (４，５００).
ARABIC_SYMBOLS = ("\u066c", "\u066b")
FULLWIDTH_SYMBOLS = ("\uff0c", "\uff0e")


@lru_cache(maxsize=None)
def _scale_words(lang: str) -> tuple[tuple[str, int], ...]:
    """The language's scale words, longest first, sorted once."""
    words = SCALES.get(lang, {})
    return tuple((w, words[w]) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=None)
def _scale_initials(lang: str) -> frozenset[str]:
    return frozenset(w[0] for w, _ in _scale_words(lang))


def _scale_after(text: str, end: int, lang: str) -> int:
    words = _scale_words(lang)
    if not words:
        return 0
    spaced = text[end:end + 16].lower().lstrip()
    if spaced[:1] not in _scale_initials(lang):
        return 0        # most numbers: no word after them could start a scale word
    for word, exponent in words:
        if spaced.startswith(word) and (not word.isascii() or not spaced[len(word):len(word) + 1].isalpha()):
            return exponent
    return 0


def _plain(text: str) -> str:
    """The text a reader sees, each placeholder replaced by a ``BOUNDARY``:
    ``markup.strip`` alone would glue the figures of neighbouring tags into
    one number (``<2>36</2><4>146``) and fail a correct translation."""
    if "<" not in text:
        return text
    pieces, pos = [], 0
    for tag in markup.tags(text):
        pieces.append(markup.strip(text[pos:tag.start]))
        pos = tag.end
    pieces.append(markup.strip(text[pos:]))
    return BOUNDARY.join(pieces)


def _groups(sep: str, group: str) -> bool:
    """Whether ``sep`` may group digits in a notation whose group symbol is ``group``."""
    if sep == group or sep in SPACES:
        return True
    return sep in APOSTROPHES and (group in SPACES or group in APOSTROPHES)


def _read(text: str, group: str, decimal: str, lang: str, glued: bool = True) -> list[Decimal]:
    """Every number of ``text`` in one notation, with the scale word after it.

    Digits are grouped only while the groups are valid (a lead of 1–3
    digits, then groups of exactly 3, one separator throughout); where that
    fails, the parts are numbers of their own. ``glued=False`` skips digits
    glued to a word, the way the msgid is read."""
    out = []
    for run in NUMBER_RUN.finditer(text):
        if not glued and run.start() and GLUED.match(text[run.start() - 1]):
            continue
        if run.group().isdigit():       # one run of digits, no separator: most numbers
            out.append(Decimal(run.group()).scaleb(_scale_after(text, run.end(), lang)))
        else:
            out.extend(_run_values(text, run, group, decimal, lang))
    return out


def _run_values(text: str, run: re.Match, group: str, decimal: str, lang: str) -> list[Decimal]:
    """The numbers of one run of digits and separators (see ``_read``)."""
    out = []
    chunks = [(m.group(1), m.group(2), run.start() + m.end(1)) for m in CHUNK.finditer(run.group())]
    i = 0
    while i < len(chunks):
        digits, sep, end = chunks[i]
        used = None
        if len(digits) <= 3:
            while (i + 1 < len(chunks) and len(chunks[i + 1][0]) == 3 and sep != decimal
                   and used in (None, sep) and _groups(sep, group)):
                used = sep
                i += 1
                digits += chunks[i][0]
                sep, end = chunks[i][1], chunks[i][2]
        if sep == decimal and i + 1 < len(chunks):
            i += 1
            digits += "." + chunks[i][0]
            end = chunks[i][2]
        out.append(Decimal(digits).scaleb(_scale_after(text, end, lang)))
        i += 1
    return out


def source_values(text: str, lang: str = "en") -> list[set[Decimal]]:
    """Each number of a source string, as the set of values it may stand for."""
    # a scale word binds: "160 billion" is 1.6e11 and nothing else, so that
    # 160亿 (1.6e10) is caught as the magnitude error it is
    return [{v} for v in _read(_plain(text), ",", ".", lang, glued=False)]


def cjk_numeral(text: str) -> int | None:
    """一千八百 → 1800, 第二 → 2, 三十 → 30; digits alone are positional, as
    years are written (二〇二一 → 2021)."""
    if len(text) > 1 and all(ch in CJK_DIGITS for ch in text):
        return int("".join(str(CJK_DIGITS[ch]) for ch in text))
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
    locale = get_locale(code)
    babel_code = locale.babel_locale()
    out = {(get_group_symbol(babel_code), get_decimal_symbol(babel_code)), (",", ".")}
    try:
        parsed = Locale.parse(babel_code)
        systems = {parsed.default_numbering_system,
                   dict(parsed.other_numbering_systems).get("native")}
    except (ValueError, TypeError):
        systems = set()
    # the locale's default and native numbering systems (fa: arabext, ar: arab):
    # Arabic-script text uses their separators with either kind of digit
    for system in systems - {None, "latn"}:
        try:
            group = get_group_symbol(babel_code, numbering_system=system)
            decimal = get_decimal_symbol(babel_code, numbering_system=system)
        except Exception:       # a numbering system Babel has no symbols for
            continue
        out.add((group, decimal))
    if systems & {"arab", "arabext"}:
        out.add(ARABIC_SYMBOLS)
    if locale.language in ("zh", "ja", "ko"):
        out.add(FULLWIDTH_SYMBOLS)
    return frozenset(out)


def target_values(text: str, locale, source_lang: str = "en") -> set[Decimal]:
    """Every value a msgstr expresses, with its own and English separators.

    It is read the msgid's way too: a translation may keep the source's
    notation (a quoted figure, an untranslated name), and a msgstr identical
    to its msgid must pass even where a scale word means something else in
    the target language (German "Billion" is 10^12)."""
    text = BIDI_MARKS.sub("", _plain(text))
    out = {v for values in source_values(text, source_lang) for v in values}
    for group, decimal in _symbols(locale.code):
        out.update(_read(text, group, decimal, locale.language))
    if locale.language in ("zh", "ja"):
        for m in CJK_NUMERAL.finditer(text):
            value = cjk_numeral(m.group())
            if value:
                out.add(Decimal(value))
        for m in CJK_MIXED.finditer(text):
            value = _cjk_mixed(m.group())
            if value is not None:
                out.add(value)
    elif locale.language in ORDINAL_WORDS:
        out.update(_ordinal_words(text, locale.language))
    return {v.normalize() for v in out}


#: Ordinals 1–10 as the words Arabic, Hebrew and Persian news write them
#: (the 2nd dialogue = الحوار الثاني, הדיאלוג השני, دومین گفتگو), as 第二届 is read.
ORDINAL_WORDS = {
    "ar": dict(zip(["أول", "ثاني", "ثالث", "رابع", "خامس", "سادس", "سابع", "ثامن", "تاسع",
                    "عاشر"], range(1, 11))) | {"أولى": 1, "ثان": 2},
    "he": dict(zip(["ראשון", "שני", "שלישי", "רביעי", "חמישי", "שישי", "שביעי", "שמיני",
                    "תשיעי", "עשירי"], range(1, 11)))
    | {"ראשונה": 1, "שנייה": 2, "שניה": 2, "שלישית": 3, "רביעית": 4, "חמישית": 5,
       "שישית": 6, "שביעית": 7, "שמינית": 8, "תשיעית": 9, "עשירית": 10},
    "fa": dict(zip(["اول", "دوم", "سوم", "چهارم", "پنجم", "ششم", "هفتم", "هشتم", "نهم", "دهم"],
                   range(1, 11))) | {"نخست": 1, "نخستین": 1},
}
#: what an ordinal word may carry: Arabic proclitics and article in front and
#: the feminine ة after; Hebrew proclitics and article; Persian's -ین.
_ORDINAL_AFFIXES = {
    "ar": re.compile(r"^(?:[وف]?[بكل]?ال|[وف]?لل|[وفبكل])?(\w+?)ة?$"),
    "he": re.compile(r"^(?:[ושכ]?[בכלמה]|[ושכ])?(\w+)$"),
    "fa": re.compile(r"^(\w+?)(?:ین)?$"),
}
_WORD_TOKEN = re.compile(r"\w+")


def _ordinal_words(text: str, lang: str) -> set[Decimal]:
    words, affixes = ORDINAL_WORDS[lang], _ORDINAL_AFFIXES[lang]
    out = set()
    for token in _WORD_TOKEN.findall(text):
        value = words.get(token)
        if value is None:
            m = affixes.match(token)
            value = m and words.get(m.group(1))
        if value:
            out.add(Decimal(value))
    return out


#: Figures written with digits between scale characters: 1万5000 (15,000),
#: 1億2000万 (120 million), 3千500.
CJK_MIXED = re.compile(r"(?:\d+(?:[.,]\d+)*[兆億亿万萬千])+(?:\d+(?:,\d{3})*)?")
_CJK_MIXED_PART = re.compile(r"(\d+(?:[.,]\d+)*)([兆億亿万萬千]?)")
_CJK_MIXED_UNITS = {"兆": 12, "億": 8, "亿": 8, "万": 4, "萬": 4, "千": 3, "": 0}


def _cjk_mixed(text: str) -> Decimal | None:
    """The value of a CJK_MIXED figure, or None where its scales do not descend."""
    total, last = Decimal(0), 99
    for m in _CJK_MIXED_PART.finditer(text):
        exponent = _CJK_MIXED_UNITS[m.group(2)]
        if exponent >= last:
            return None
        last = exponent
        total += Decimal(m.group(1).replace(",", "")).scaleb(exponent)
    return total.normalize()


_DIGIT = re.compile(r"\d")


def rule(ctx, entry):
    if not _DIGIT.search(entry.msgid):
        return      # most sentences: nothing to compare, and the cheapest test of all
    wanted = source_values(entry.msgid)
    if not wanted:
        return
    # target_values starts from the msgstr read the msgid's way, and only adds to it:
    # where that reading already has every number, the locale's notations need no reading
    kept = {v.normalize() for values in source_values(BIDI_MARKS.sub("", _plain(entry.msgstr)))
            for v in values}
    if all({v.normalize() for v in values} & kept for values in wanted):
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
