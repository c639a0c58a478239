"""Keep glossary terms and placeholders out of the model's hands.

Before MT every placeholder tag and every glossary term with a known target
form is replaced by a token (``X1X``, ``X2X``…) that models copy through
like a code or an acronym. After MT the tokens are swapped back: fixed terms
verbatim, translate terms as their approved rendering, tags as themselves.
Models sometimes drop, repeat or reorder tokens, so ``restore`` repairs what
it can do safely and reports the rest instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from l10n_tool import markup
from l10n_tool.glossary import Glossary

#: Delimited on both sides, so a token glued to digits or letters (H₂O: "H<1>2</1>O")
#: still reads back unambiguously; and short, because every extra SentencePiece
#: piece is paid for in decoding time (ZQ1QZ cost 11% more tokens, X1X costs 1%).
TOKEN = "X{}X"
TOKEN_RE = re.compile(r"X\s?(\d+)\s?X")
_TRAILING_PUNCT = re.compile(r"[\s.!?。！？…\"”’)）]*$")


@dataclass(frozen=True)
class Token:
    number: int
    kind: str          # open | close | empty | fixed | term | literal
    restore: str       # what goes back into the text
    pair: int | None = None  # for open/close: the other token's number


@dataclass
class Protected:
    source: str
    text: str
    tokens: dict[int, Token] = field(default_factory=dict)


def protect(msgid: str, glossary: Glossary, locale: str) -> Protected:
    out = Protected(msgid, "")
    counter = iter(range(1, 10_000))
    opens: dict[int, int] = {}
    pieces: list[str] = []
    pos = 0
    # glossary first, on the text with tags in place: terms never span tags
    spans = []
    for occ in glossary.find(msgid):
        target = occ.term.approved(locale)
        if target is not None:
            # the whole match, suffix included: "TEUs" → X1X → 标准箱
            spans.append((occ.start, occ.end, "fixed" if occ.term.type == "fixed" else "term",
                          target, None))
    for tag in markup.tags(msgid):
        spans.append((tag.start, tag.end, tag.kind, str(tag), tag.id))
    # source text that happens to look like a token ("model X5X") is masked too,
    # so that it cannot be mistaken for one on the way back
    for m in TOKEN_RE.finditer(msgid):
        spans.append((m.start(), m.end(), "literal", m.group(), None))
    spans.sort(key=lambda s: s[0])
    for start, end, kind, restore_as, tag_id in spans:
        if start < pos:
            continue
        pieces.append(msgid[pos:start])
        number = next(counter)
        tok = Token(number, kind, restore_as)
        if kind == "open":
            opens[tag_id] = number
        elif kind == "close" and tag_id in opens:
            other = opens[tag_id]
            out.tokens[other] = Token(other, "open", out.tokens[other].restore, number)
            tok = Token(number, "close", restore_as, other)
        pieces.append(f" {TOKEN.format(number)} " if kind == "empty" else TOKEN.format(number))
        out.tokens[number] = tok
        pos = end
    pieces.append(msgid[pos:])
    out.text = re.sub(r"\s{2,}", " ", "".join(pieces)).strip()
    return out


def restore(p: Protected, output: str) -> tuple[str, list[str], list[str]]:
    """Swap tokens back. Returns (text, repairs made, problems left)."""
    repairs: list[str] = []
    problems: list[str] = []
    found: dict[int, list[re.Match]] = {}
    for m in TOKEN_RE.finditer(output):
        found.setdefault(int(m.group(1)), []).append(m)

    # decide which occurrence of each token survives
    keep: dict[int, tuple[int, int]] = {}
    drop: list[tuple[int, int]] = []
    for number, matches in found.items():
        tok = p.tokens.get(number)
        if tok is None:
            drop.extend((m.start(), m.end()) for m in matches)
            repairs.append(f"removed unknown token {TOKEN.format(number)}")
            continue
        chosen = matches[-1] if tok.kind == "close" else matches[0]
        keep[number] = (chosen.start(), chosen.end())
        if len(matches) > 1 and tok.kind not in ("fixed", "term"):
            drop.extend((m.start(), m.end()) for m in matches if m is not chosen)
            repairs.append(f"dropped a repeated {tok.restore}")
        elif len(matches) > 1:
            expected = sum(1 for t in p.tokens.values() if t.restore == tok.restore and t.kind == tok.kind)
            if len(matches) > expected:
                drop.extend((m.start(), m.end()) for m in matches[1:])
                repairs.append(f"dropped a repeated {tok.restore}")

    # rebuild text with surviving tokens resolved
    edits = sorted([(s, e, p.tokens[n].restore) for n, (s, e) in keep.items()] +
                   [(s, e, "") for s, e in drop])
    text, pos = [], 0
    for s, e, rep in edits:
        if s < pos:
            continue
        text.append(output[pos:s])
        text.append(rep)
        pos = e
    text.append(output[pos:])
    result = "".join(text)

    # missing tokens
    for number, tok in sorted(p.tokens.items()):
        if number in keep:
            continue
        if tok.kind == "empty":
            result = _before_trailing_punct(result, tok.restore)
            repairs.append(f"re-added lost {tok.restore} at the end")
        elif tok.kind == "close" and tok.pair in keep:
            result = _before_trailing_punct(result, tok.restore)
            repairs.append(f"re-added lost {tok.restore} at the end")
        elif tok.kind == "open" and tok.pair in keep:
            result = tok.restore + result
            repairs.append(f"re-added lost {tok.restore} at the start")
        elif tok.kind in ("open", "close"):
            if tok.kind == "open":
                problems.append(f"placeholder pair {tok.restore}…</{tok.restore[1:]} lost by MT; "
                                "put it back around the right words")
        else:
            what = {"fixed": "fixed term", "term": "approved term"}.get(tok.kind, "text")
            problems.append(f"{what} {tok.restore} lost by MT")

    # a close tag before its open tag: swap them
    for tok in p.tokens.values():
        if tok.kind == "open" and tok.pair is not None:
            close = p.tokens[tok.pair].restore
            i, j = result.find(tok.restore), result.find(close)
            if i >= 0 and j >= 0 and j < i:
                result = (result[:j] + tok.restore + result[j + len(close):i] + close
                          + result[i + len(tok.restore):])
                repairs.append(f"swapped reversed {tok.restore} and {close}")
    result = re.sub(r"[ \t]{2,}", " ", result).strip()
    why = markup.compare(p.source, result)
    if why and not problems:
        problems.append(f"placeholders: {why}")
    return result, repairs, problems


def _before_trailing_punct(text: str, insert: str) -> str:
    m = _TRAILING_PUNCT.search(text)
    cut = m.start() if m else len(text)
    return text[:cut] + insert + text[cut:]
