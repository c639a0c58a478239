"""Sentence segmentation of block text that carries placeholders.

Rules rather than a statistical model, so that extraction is fast, offline,
deterministic, and needs neither stanza nor spaCy. The rules are written to
be conservative: a missed split only makes one unit longer, a wrong split
cuts a sentence in half for the translator.
"""

from __future__ import annotations

import re

from l10n_tool import markup

#: Words that end with a period without ending the sentence, per language.
ABBREVIATIONS = {
    "en": {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "ft", "rev", "hon",
        "gen", "gov", "sen", "rep", "lt", "col", "capt", "cmdr", "sgt", "maj", "pres",
        "vs", "v", "e.g", "i.e", "cf", "ca", "approx", "dept", "est", "vol",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "mon", "tue", "wed", "thu", "fri", "sat", "sun", "a.m", "p.m",
    },
}
#: Abbreviations that only count as such before a number: "No. 5", "p. 12".
NUMBER_ABBREVIATIONS = {"en": {"no", "nos", "art", "p", "pp", "fig", "figs", "ch", "sec", "op", "nr"}}

TERMINATOR_RE = re.compile(r"[.!?…]+|[。！？]+")
CLOSER_RE = re.compile(r"[\"'”’»)\]]|</\d+>")
OPENER_RE = re.compile(r"[\"'“‘«(\[¿¡]|<\d+>")
WS_RE = re.compile(r"\s+")
CJK_TERMINATORS = "。！？"


def _starts_sentence(text: str, i: int) -> bool:
    """The text from ``i`` on starts like a sentence (after any openers)."""
    while True:
        m = OPENER_RE.match(text, i)
        if not m:
            break
        i = m.end()
    if i >= len(text):
        return False
    ch = text[i]
    return ch.isdigit() or ch.isupper() or (ch.isalpha() and not ch.islower())


#: how much text next to a period is read to tell an abbreviation; the whole
#: text only when the word or number might reach further (a paragraph of a
#: thousand sentences must not be read a thousand times)
_NEAR = 200


def _last_word(before: str) -> str:
    near = before[-_NEAR:]
    words = markup.strip(near).split()
    if len(near) < len(before) and len(words) < 2:
        words = markup.strip(before).split()
    return words[-1] if words else ""


def _starts_with_number(text: str, i: int) -> bool:
    near = markup.strip(text[i:i + _NEAR])
    if len(text) - i > _NEAR and not near.strip():
        near = markup.strip(text[i:])
    return bool(re.match(r"\s*\d", near))


def _is_abbreviation(before: str, text: str, nxt: int, lang: str) -> bool:
    """The period ending ``before`` ends an abbreviation, given the text
    that follows from ``nxt``."""
    token = _last_word(before)
    word = token.lstrip("\"'“‘«([").rstrip(".")
    low = word.lower()
    if low in ABBREVIATIONS.get(lang, set()):
        return True
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):      # U.S, e.g, a.m
        return True
    if re.fullmatch(r"[A-Z]", word):                          # an initial: J. Smith
        return True
    if low in NUMBER_ABBREVIATIONS.get(lang, set()):
        return _starts_with_number(text, nxt)
    return False


def _depth(text: str) -> int:
    depth = 0
    for t in markup.tags(text):
        depth += {"open": 1, "close": -1}.get(t.kind, 0)
    return depth


def split_sentences(text: str, lang: str = "en") -> list[tuple[str, str]]:
    """Split ``text`` into ``(sentence, following whitespace)`` pairs.

    Splits only where no placeholder pair is open, so every sentence keeps
    well-nested markup of its own.
    """
    out: list[tuple[str, str]] = []
    start = 0
    for m in TERMINATOR_RE.finditer(text):
        if m.start() < start:
            continue
        end = m.end()
        while (c := CLOSER_RE.match(text, end)):
            end = c.end()
        ws = WS_RE.match(text, end)
        cjk = m.group()[-1] in CJK_TERMINATORS
        if not ws and not cjk:
            continue
        nxt = ws.end() if ws else end
        if nxt >= len(text) or _depth(text[start:end]) != 0:
            continue
        if not cjk and not _starts_sentence(text, nxt):
            continue
        if m.group() == "." and _is_abbreviation(text[start:m.start()], text, nxt, lang):
            continue
        out.append((text[start:end], text[end:nxt]))
        start = nxt
    out.append((text[start:], ""))
    return out
