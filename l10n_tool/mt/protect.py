"""Markup, glossary terms, addresses and URLs through any MT engine.

A real model copies what it cannot read: tokens glued to words
(``X1XPrivacy PolicyX2X``) make it leave the tagged words in English and
corrupt their neighbours. So a unit is sent to the engine as several texts:

* the sentence with its paired tags removed, so the model translates it as
  the plain sentence it is; and
* each tagged span on its own, whose translation is then located among the
  sentence translation's words (``align.locate``) to put the tag around them.

Whatever must come back exactly (a fixed or approved glossary term, an e-mail
address, a URL, a whole number with a unit, an empty tag such as a line
break, source text that looks like a token) stands in the texts as a
token ``X1X`` between spaces, which the tiny Bergamot model copies in 97% of
sentences, where codes such as ``{1}`` survive in none (measured on 150
real-page sentences). Tokens are swapped back afterwards. A unit is also cut
at empty tags between its sentences, and one made only of tags and symbols is
done span by span, so the model never sees tokens it would move or drop.

Nothing is guessed: a tag that cannot be placed with confidence, a lost token,
or token debris left in the text is reported as a problem (the drafts step
writes them as ``# mt-problem:`` lines). Only safe repairs are made, such as
dropping a repeated empty tag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from l10n_tool import markup, segment
from l10n_tool.glossary import Glossary
from l10n_tool.mt import align

#: What ``restore`` writes for the same engine output: raised whenever that
#: changes, since the MT cache keeps restored drafts (mt/cache.py). 2: currency
#: symbols, reference marks and machine text kept verbatim; 3: a tagged number
#: found in the target's separators; 4: @handles and #hashtags kept verbatim, a
#: trailing span that is a sentence of its own translated on its own, tags
#: between a token and what it is glued to; 5: a list item placed by its
#: separators, a span by what its siblings leave of its parent, a span copied
#: alone not placed on letters shared by chance; 6: no sentence cut inside a span
#: that opens in the previous sentence's end.
VERSION = 6

#: Short and delimited on both sides, so it reads back unambiguously even
#: next to digits; every extra SentencePiece piece costs decoding time.
TOKEN = "X{}X"
#: Exactly as written: a looser pattern (``X 1X``) would read "X <1>2</1> ILSTC",
#: sent as "X 2 X1X", as the token X2X. A token the model breaks is debris.
TOKEN_RE = re.compile(r"X(\d+)X")
#: Source text that a model could take for a token, in any spacing ("X 3X"):
#: masked as a token itself, so it comes back verbatim.
LITERAL_RE = re.compile(r"X\s?\d+\s?X")
#: What a broken token leaves behind: ``X1``, ``1X``, a lone ``X``, or ``XX``
#: (the number dropped, as a tiny model does in a long sentence).
DEBRIS_RE = re.compile(r"(?<![^\W\d_])X\s?\d+(?![^\W_])|(?<![^\W_])\d+\s?X(?![^\W\d_])"
                       r"|(?<![\w-])X(?: ?X)?(?![\w-])")
#: Whole numbers with a unit symbol ("2x3 mm", "20-pin" is not one): the same in
#: every target language, and the tiny model garbles them ("2x3 mm" → "4 mm").
#: Decimals are left to the model, which localises their separators.
UNIT_RE = re.compile(r"(?<![\w.,])\d+(?:\s?[x×]\s?\d+)*\s?(?:mm|cm|km|kg|mg|GB|MB|TB|KB|GHz|MHz|kHz"
                     r"|Hz|kW|MW|kWh|mAh|ms|px|dpi|fps|°C|°F)(?![\w.,]\d|\w)")
#: A currency symbol before or after an amount, but for $ (which the model
#: writes as US$, and which is part of HK$ or R$): the tiny en→pt model turns
#: "¥2.3 billion", "£40 million" and "₹100 crore" into euros, and drops the €
#: of "€5 and £4", wrong amounts that no number check sees. As a token the
#: symbol comes back as written; the number stays the model's to localise
#: ("¥2,3 bilhões").
_CURRENCIES = "€£¥₹₩₽₺₪₫₱฿₦₴₸₡₲₵₭₮"
CURRENCY_RE = re.compile(rf"[{_CURRENCIES}](?=\s?\d)|(?<=\d)[{_CURRENCIES}]|(?<=\d )[{_CURRENCIES}]")
_DEBRIS_AND_SPACE = re.compile(r"[ \t]?(?:" + DEBRIS_RE.pattern + ")")
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]]")
#: A social-media handle or hashtag ("@mozilla", "#WebAssembly"): a name, which
#: the tiny model drops or mangles ("Twitter (@mozilla)" → "Twitter (em
#: inglês)", "@firefox" → "-firefox (o)"). Kept verbatim, as an e-mail address
#: is. Not "C#", "#1" or "a@b" (a letter or digit before the sign; a hashtag
#: needs a letter), nor an address's "@example.com" (an e-mail comes first).
HANDLE_RE = re.compile(r"(?<![\w@#&/])(?:@\w{1,30}(?:\.\w+)*(?<!\.)|#\d*[^\W\d_]\w*)(?![\w@])")
#: A long run without spaces that holds = & % or / (a query string, COinS
#: metadata such as "ctx_ver=Z39.88-2004&rft_val_fmt=…", a path): machine text,
#: which the model rewrote ("Le+15+Mai&rft_id=https3%3A%A%2F…") without a word
#: of warning. Kept verbatim, as a URL is.
CODE_RE = re.compile(r"(?<!\S)(?=[^\s<>]*[=&%/])[^\s<>]{30,}(?<![.,;:!?])")
#: Characters around a whole-sentence span that stay outside its tags.
_EDGE = " \t\"'“”‘’«».,;:!?…[]~"


@dataclass(frozen=True)
class Token:
    number: int
    kind: str          # empty | fixed | term | email | url | handle | number | currency | literal
    restore: str       # what goes back into the text
    glue_left: bool = False   # no space before it in the source
    glue_right: bool = False  # no space after it in the source


@dataclass(frozen=True)
class Span:
    """One ``<n>…</n>`` pair; ``start``/``end`` are offsets in ``Protected.text``.

    ``mode`` says how its words reach the draft: ``translate`` (its own
    translation is the text, when nothing around it is translatable),
    ``compose`` (a group of spans with nothing translatable between them:
    each is done on its own), ``copy`` (no words at all: kept as in the
    source), or found inside the enclosing translation: ``locate`` (by its own
    translation), ``exact`` (the same characters), ``whole`` (all of it)."""
    id: int | None            # None: a segment of the unit, no tag (see ``_segment``)
    start: int
    end: int
    parent: int | None        # index of the enclosing span in ``Protected.spans``
    mode: str = "locate"
    piece: int | None = None  # index in ``texts`` of its own translation, if sent

    def inner(self, sentence: str) -> str:
        return sentence[self.start:self.end]


@dataclass
class Protected:
    source: str
    #: the unit with tags removed and tokens in place
    text: str = ""
    #: what the engine translates: ``text`` first unless ``root_piece`` is None
    texts: list[str] = field(default_factory=list)
    tokens: dict[int, Token] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    root_piece: int | None = 0
    #: empty tags before the first word and after the last, kept out of MT
    prefix: str = ""
    suffix: str = ""


# --------------------------------------------------------------------------- protect

def _masks(msgid: str, glossary: Glossary, locale: str) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, restore) for everything that must come back verbatim."""
    out = []
    for occ in glossary.find(msgid):
        target = occ.term.approved(locale)
        if target is not None:
            if occ.term.type != "fixed":
                target = _capitalised_like(msgid[occ.start:occ.end], occ.term.term, target)
            # the whole match, suffix included: "TEUs" → X1X → 标准箱
            out.append((occ.start, occ.end, "fixed" if occ.term.type == "fixed" else "term", target))
    for kind, regex in (("email", EMAIL_RE), ("url", URL_RE), ("url", CODE_RE), ("handle", HANDLE_RE),
                        ("literal", LITERAL_RE),
                        ("number", UNIT_RE), ("currency", CURRENCY_RE)):
        out += [(m.start(), m.end(), kind, m.group()) for m in regex.finditer(msgid)]
    # source text that reads like a placeholder ("the <1> tag", escaped as \<1>):
    # a model garbles it ("no 1>"), so it goes through as it is written
    out += [(m.start(), m.end(), "literal", m.group()) for m in markup.TOKEN_RE.finditer(msgid)
            if len(m.group(1)) % 2]
    tags = markup.tags(msgid)
    for tag in tags:
        out.append((tag.start, tag.end, tag.kind, str(tag)))
    for start, end in _letterless_pairs(msgid, tags):
        # "<1></1>", "<2>▾</2>": nothing to translate, one token the model copies
        out.append((start, end, "empty", msgid[start:end]))
    # leftmost first; at one place the longest (an e-mail before a term inside it)
    out.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    kept, reached = [], 0
    for m in out:
        if m[0] >= reached:
            kept.append(m)
            reached = m[1]
    return kept


def _capitalised_like(found: str, term: str, target: str) -> str:
    """The approved rendering with a capital where the source gave the term one
    its glossary form lacks ("Smart city trade fair opens": a headline or a
    sentence's first word), as the model would have written it."""
    if found[:1].isupper() and term[:1].islower() and target[:1].islower():
        return target[0].upper() + target[1:]
    return target


def _letterless_pairs(msgid: str, tags: list[markup.Tag]) -> list[tuple[int, int]]:
    closes: dict[int, markup.Tag] = {}      # tag id → its next close, filled right to left
    following: list[markup.Tag | None] = [None] * len(tags)
    for i in range(len(tags) - 1, -1, -1):
        tag = tags[i]
        if tag.kind == "close":
            closes[tag.id] = tag
        elif tag.kind == "open":
            following[i] = closes.get(tag.id)
    out = []
    for tag, close in zip(tags, following):
        if close is None:
            continue
        inner = msgid[tag.end:close.start]
        # placeholders hold no letters: a letter in the raw text is one a reader sees
        # (so 2,000 nested tags need no 2,000 strips of the whole text)
        if not _LETTER.search(inner) and _letterless(markup.strip(inner)):
            out.append((tag.start, close.end))
    return out


_LETTER = re.compile(r"[^\W\d_]")


def _letterless(text: str) -> bool:
    """Nothing a model translates: no letters, and no number it would write
    the target's way (4,500 → 4.500). A reference mark ("[43]", "12", "†")
    counts: sent as words, the tiny model drops it ("…loop.<1>[43]</1>")."""
    return not _LETTER.search(text) and not re.search(r"\d[.,\u00a0\u202f ]\d", text)


class _Builder:
    """Appends text with runs of spaces collapsed, so offsets stay true."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> None:
        text = re.sub(r"\s+", " ", text)
        if text.startswith(" ") and (not self.length or self.parts[-1].endswith(" ")):
            text = text[1:]
        if text:
            self.parts.append(text)
            self.length += len(text)

    def last(self) -> str:
        return self.parts[-1][-1] if self.parts else ""

    def result(self) -> str:
        return "".join(self.parts)


#: Tags nested deeper than this are tokens, not spans: each span is a text of
#: its own for the engine and a level of the plan, and an old page with an
#: unclosed <font> on each of its 2,000 lines made 2,000 texts of up to the whole
#: sentence (hours of MT) and ran out of Python frames. Real inline markup nests
#: a few levels; a token the model moves is caught by the placeholder check.
MAX_NESTING = 24


def protect(msgid: str, glossary: Glossary, locale: str) -> Protected:
    out = Protected(msgid)
    b = _Builder()
    opened: dict[int, tuple[int, int]] = {}          # tag id → (start offset, span index)
    stack: list[int] = []                            # open span indices, innermost last
    flat: set[int] = set()                           # tags nested too deep to be spans
    pos = 0
    masks = _masks(msgid, glossary, locale)
    bounds = {start: end for start, end, kind, _ in masks if kind in ("open", "close")}
    for start, end, kind, restore_as in masks:
        b.add(msgid[pos:start])
        pos = end
        tag_id = markup.tags(restore_as)[0].id if kind in ("open", "close") else None
        if kind == "open" and len(stack) >= MAX_NESTING:
            flat.add(tag_id)
        if kind in ("open", "close") and tag_id in flat:
            pass                                     # a token, put back where the model leaves it
        elif kind == "open":
            opened[tag_id] = (b.length, len(out.spans))
            out.spans.append(None)                   # filled in when it closes
            stack.append(len(out.spans) - 1)
            continue
        elif kind == "close" and tag_id in opened and stack[-1] == opened[tag_id][1]:
            begin, index = opened.pop(tag_id)
            stack.pop()
            out.spans[index] = Span(tag_id, begin, b.length, stack[-1] if stack else None)
            continue
        number = len(out.tokens) + 1
        left_of, right_of = _neighbours(msgid, start, end, bounds)
        out.tokens[number] = Token(number, kind, restore_as,
                                   glue_left=left_of != "" and not left_of.isspace(),
                                   glue_right=right_of != "" and not right_of.isspace())
        # spaced ("X1XPrivacy" corrupts words, "veniam,X1X" the token), except
        # inside brackets and quotes: "(‘NUS’)" as "(‘ X2X ’)" makes the model drop the aside
        after = markup.strip(msgid[end:end + 12])[:1]
        left = "" if b.last() and b.last() in align.OPENERS else " "
        right = "" if after and after in align.CLOSERS else " "
        b.add(f"{left}{TOKEN.format(number)}{right}")
    b.add(msgid[pos:])
    sentence = b.result()
    # an open tag never closed is no span (its tag is reported missing on the way back)
    index = {old: new for new, old in enumerate(i for i, s in enumerate(out.spans) if s is not None)}
    out.spans = [Span(s.id, s.start, s.end, index.get(s.parent)) for s in out.spans if s is not None]
    out.text = sentence.rstrip()
    out.spans = [_trim(s, out.text) for s in out.spans]
    _cut_edges(out)
    _plan(out)
    return out


def _neighbours(msgid: str, start: int, end: int, bounds: dict[int, int]) -> tuple[str, str]:
    """The characters next to ``msgid[start:end]``, the tags of spans skipped
    (``bounds``: their start → end; "" at an end of the text): what a token
    is glued to as a reader sees it, so that the space put around it goes
    wherever those tags end up ("<1>… <2>2014-03-28</2></1>."). Another
    token (a line break) is a neighbour as it is."""
    ends = {e: s for s, e in bounds.items()}
    while start in ends:
        start = ends[start]
    while end in bounds:
        end = bounds[end]
    return msgid[start - 1:start] if start else "", msgid[end:end + 1]


_EDGE_TOKENS_START = re.compile(r"^(?:X\d+X ?)+")
_EDGE_TOKENS_END = re.compile(r"(?: ?X\d+X)+$")


def _cut_edges(p: Protected) -> None:
    """Empty tags before the first word or after the last (a trailing line
    break) need no model, which drops them there: they stay where they are."""
    def empties(text: str) -> bool:
        return all(p.tokens[int(n)].kind == "empty" for n in TOKEN_RE.findall(text))

    m = _EDGE_TOKENS_END.search(p.text)
    if m and empties(m.group()) and not any(s.end > m.start() for s in p.spans):
        p.suffix, p.text = m.group(), p.text[:m.start()]
    m = _EDGE_TOKENS_START.match(p.text)
    if m and empties(m.group()) and not any(s.start < m.end() for s in p.spans):
        cut = m.end()
        p.prefix, p.text = m.group(), p.text[cut:]
        p.spans = [Span(s.id, s.start - cut, s.end - cut, s.parent) for s in p.spans]


def _trim(span: Span, sentence: str) -> Span:
    start, end = span.start, min(span.end, len(sentence))
    while start < end and sentence[start] == " ":
        start += 1
    while end > start and sentence[end - 1] == " ":
        end -= 1
    return Span(span.id, start, end, span.parent)


def _bare(text: str) -> str:
    """Text with tokens, digits and punctuation removed: what a model translates."""
    return re.sub(r"[\W\d_]+", "", TOKEN_RE.sub("", text))


def _children(p: Protected, parent: int | None) -> list[int]:
    """In source order: a segment added by the planning comes last in ``spans``."""
    return sorted((i for i, s in enumerate(p.spans) if s.parent == parent),
                  key=lambda i: (p.spans[i].start, p.spans[i].end))


def _bounds(p: Protected, node: int | None) -> tuple[int, int]:
    return (0, len(p.text)) if node is None else (p.spans[node].start, p.spans[node].end)


def _direct(p: Protected, node: int | None) -> str:
    """A node's own text, its child spans left out."""
    pos, end = _bounds(p, node)
    parts = []
    for c in _children(p, node):
        parts.append(p.text[pos:p.spans[c].start])
        pos = p.spans[c].end
    return "".join(parts) + p.text[pos:end]


def _glued(p: Protected, span: Span) -> tuple[bool, bool]:
    """Whether a span touches a word character on its left, on its right."""
    def word(ch: str) -> bool:
        return ch.isalnum() or ch == "_"
    return (span.start > 0 and word(p.text[span.start - 1]),
            span.end < len(p.text) and word(p.text[span.end]))


def _inside_word(p: Protected, span: Span) -> bool:
    """One word-piece touching a letter, digit or handle sign on either side
    (``<1>W</1>hale``, ``@<1>name</1>``): no whole words to match."""
    def joined(ch: str) -> bool:
        return ch.isalnum() or ch in "@#_"
    inner = span.inner(p.text)
    return not re.search(r"\s", inner) and (
        span.start > 0 and joined(p.text[span.start - 1])
        or span.end < len(p.text) and joined(p.text[span.end]))


def _set(p: Protected, i: int, mode: str, piece: int | None = None) -> None:
    s = p.spans[i]
    p.spans[i] = Span(s.id, s.start, s.end, s.parent, mode, piece)


def _add_piece(p: Protected, i: int, bare: bool = False) -> int:
    """``bare``: without edge punctuation, for a translation that is only looked
    for: quotes around a lone word make the model emit dashes ("“trust”" → "- Confiança")."""
    inner = p.spans[i].inner(p.text)
    p.texts.append(inner.strip(_EDGE + "()[]") if bare else inner.strip())
    return len(p.texts) - 1


#: Empty tags after a sentence's end ("….<2/> <3/> Next…", line breaks inside a
#: block): the model moves them into the next sentence or drops a sentence there.
_BREAK_RE = re.compile(r"(?<=[.!?…:;\"”’)])( (?:X\d+X ?)+)(?=\S)")


def _segment(p: Protected) -> None:
    """Cut the unit at empty tags between sentences: each part is translated
    on its own, as a segment (a span with no tag, ``id`` None), and the tags
    stay between them."""
    cuts = [m for m in _BREAK_RE.finditer(p.text)
            if all(p.tokens[int(n)].kind == "empty" for n in TOKEN_RE.findall(m.group(1)))
            and not any(s.start < m.end(1) and m.start(1) < s.end for s in p.spans)]
    if not cuts:
        return
    bounds, pos = [], 0
    for m in cuts:
        bounds.append((pos, m.start(1)))
        pos = m.end(1)
    bounds.append((pos, len(p.text)))
    first = len(p.spans)
    for start, end in bounds:
        p.spans.append(_trim(Span(None, start, end, None), p.text))
    for i, s in enumerate(p.spans[:first]):
        if s.parent is None:
            seg = next(first + k for k, (a, b) in enumerate(bounds) if a <= s.start and s.end <= b)
            p.spans[i] = Span(s.id, s.start, s.end, seg)


#: Sentence-end punctuation a span opens with ("Mozilla<1>. Retrieved …</1>"):
#: the previous sentence's, which stays out of the span's own text.
_LEAD_END = re.compile(r"[.!?…]+[\"”’)\]]* +")


def _reparent(p: Protected, kids: list[int], lo: int, hi: int, parent: int | None) -> None:
    """A segment (no tag) over ``lo:hi`` of the text, under ``parent``, holding ``kids``."""
    seg = len(p.spans)
    p.spans.append(_trim(Span(None, lo, hi, parent), p.text))
    for k in kids:
        s = p.spans[k]
        p.spans[k] = Span(s.id, s.start, s.end, seg)


def _split_sentences(p: Protected, node: int | None) -> None:
    """A node to be translated whose last child span is a sentence of its own
    at its very end ("… with no ads in sight. <2>Watch</2>", a citation's
    "Mozilla<8>. Retrieved <9>2014-04-04</9></8>."), or whose own text opens
    with the previous sentence's end: translated sentence by sentence, as
    segments, so that the span is its own translation and needs no placing.
    In one text the tiny model drops such a trailing button label, or words
    it differently from the span alone ("Consultado em" / "Página visitada"),
    and the tag could not be placed."""
    lo, hi = _bounds(p, node)
    if not _bare(_direct(p, node)):
        return                              # composed already: nothing to place
    kids = _children(p, node)
    lead = _LEAD_END.match(p.text, lo, hi) if node is not None else None
    if lead and _bare(p.text[lead.end():hi]) and \
            all(p.spans[k].start >= lead.end() for k in kids):   # no tag opens inside the lead
        _reparent(p, kids, lead.end(), hi, node)
        return
    if not kids or p.spans[kids[-1]].id is None:
        return
    last = p.spans[kids[-1]]
    if p.text[last.end:hi].strip(_EDGE):
        return                              # words after it: not the last sentence
    opening = _LEAD_END.match(p.text, last.start, last.end)
    cut = opening.end() if opening else last.start
    if not _bare(p.text[cut:last.end]) or not _bare(p.text[lo:last.start]):
        return
    # a sentence boundary exactly there, as the segmenter finds them
    # (abbreviations and lower-case continuations are none)
    pos, ends = lo, set()
    for sentence, space in segment.split_sentences(p.text[lo:hi]):
        pos += len(sentence) + len(space)
        ends.add(pos)
    if cut not in ends:
        return
    _reparent(p, kids[:-1], lo, last.start, node)


def _plan(p: Protected) -> None:
    _segment(p)
    _split_sentences(p, None)
    if p.spans and not _bare(_direct(p, None)):
        p.root_piece = None
        _plan_composed(p, None)
    else:
        p.root_piece = 0
        p.texts.append(p.text)
        _plan_located(p, None)
    if not p.texts:
        # markup and symbols only: no MT needed, but every unit sends one text,
        # so that each comes back through the engine's results like the others
        p.texts.append(p.text)


def _plan_composed(p: Protected, node: int | None) -> None:
    for i in _children(p, node):
        inner = p.spans[i].inner(p.text)
        if _bare(inner):
            _split_sentences(p, i)
        if not _bare(inner):
            _set(p, i, "copy")
        elif _children(p, i) and not _bare(_direct(p, i)):
            _set(p, i, "compose")
            _plan_composed(p, i)
        else:
            _set(p, i, "translate", _add_piece(p, i))
            _plan_located(p, i)


def _plan_located(p: Protected, node: int | None) -> None:
    lo, hi = _bounds(p, node)
    outer = p.text[lo:hi].strip(_EDGE)
    for i in _children(p, node):
        inner = p.spans[i].inner(p.text)
        if inner.strip(_EDGE) == outer:
            _set(p, i, "whole")
        elif not _bare(inner) or _inside_word(p, p.spans[i]):
            _set(p, i, "exact")     # no words to match: the same characters, where they are
        else:
            _set(p, i, "locate", _add_piece(p, i, bare=True))
        _plan_located(p, i)


# --------------------------------------------------------------------------- restore

@dataclass
class _Result:
    text: str
    repairs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def restore(p: Protected, outputs: str | list[str]) -> tuple[str, list[str], list[str]]:
    """Put tags, terms and tokens back, from the engine's outputs (one per
    ``p.texts``; a single string is the translation of ``p.text``, and missing
    outputs count as copied). Returns (text, repairs made, problems left)."""
    if isinstance(outputs, str):
        outputs = [outputs] if p.root_piece == 0 else []
    outputs = list(outputs) + p.texts[len(outputs):]
    r = _Result("")
    r.text = _spaces(" ".join((p.prefix, _render(p, None, outputs, r), p.suffix)))
    _restore_tokens(p, r)
    _remove_debris(p, r)
    _note_loops(p, r)
    why = markup.compare(p.source, r.text)
    if why and not r.problems:
        r.problems.append(f"placeholders: {why}")
    return r.text, r.repairs, r.problems


def _mode(p: Protected, node: int | None) -> str:
    if node is None:
        return "translate" if p.root_piece == 0 else "compose"
    return p.spans[node].mode


def _render(p: Protected, node: int | None, outputs: list[str], r: _Result) -> str:
    """A node's draft text (tokens still in), its tags in place."""
    mode = _mode(p, node)
    if mode == "copy":
        lo, hi = _bounds(p, node)
        inserts = [(at - lo, order, tag) for at, order, tag in _source_tags(p, node)]
        return _insert(p.text[lo:hi], inserts)
    if mode == "compose":
        pos, end = _bounds(p, node)
        parts = []
        for c in _children(p, node):
            span = p.spans[c]
            parts += [p.text[pos:span.start], _open(span), _render(p, c, outputs, r),
                      _close(span)]
            pos = span.end
        return "".join(parts + [p.text[pos:end]])
    piece = 0 if node is None else p.spans[node].piece
    text = _dedupe_tokens(p, p.texts[piece], outputs[piece].strip(), r)
    return _insert(text, _place_spans(p, node, outputs, text, r))


def _source_tags(p: Protected, node: int | None) -> list[tuple[int, int, str]]:
    out = []
    for i in _descendants(p, node):
        span, depth = p.spans[i], _depth(p, i)
        out += [(span.start, 1000 + depth, _open(span)), (span.end, -depth, _close(span))]
    return out


def _open(span: Span) -> str:
    return "" if span.id is None else f"<{span.id}>"


def _close(span: Span) -> str:
    return "" if span.id is None else f"</{span.id}>"


def _descendants(p: Protected, node: int | None) -> list[int]:
    """Outer spans before the ones they enclose."""
    out, todo = [], _children(p, node)
    while todo:
        out += todo
        todo = [c for i in todo for c in _children(p, i)]
    return out


def _depth(p: Protected, index: int) -> int:
    depth, parent = 0, p.spans[index].parent
    while parent is not None:
        depth, parent = depth + 1, p.spans[parent].parent
    return depth


def _dedupe_tokens(p: Protected, source: str, output: str, r: _Result) -> str:
    """Tokens the source text does not hold go; a repeated one keeps its first copy."""
    allowed = {int(n) for n in TOKEN_RE.findall(source)}
    seen: set[int] = set()

    def keep(m: re.Match) -> str:
        number = int(m.group(1))
        tok = p.tokens.get(number)
        if number not in allowed or tok is None:
            r.repairs.append(f"removed unknown token {TOKEN.format(number)}")
            return " "
        if number in seen:
            r.repairs.append(f"dropped a repeated {tok.restore}")
            return " "
        seen.add(number)
        return TOKEN.format(number)

    return _spaces(TOKEN_RE.sub(keep, output))


def _spaces(text: str) -> str:
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def _place_spans(p: Protected, node: int | None, outputs: list[str], text: str,
                 r: _Result) -> list[tuple[int, int, str]]:
    """(offset in text, order, tag) for each span under ``node`` placed with confidence."""
    placed: dict[int | None, tuple[int, int]] = {node: (0, len(text))}
    inserts: list[tuple[int, int, str]] = []
    deferred: list[int] = []

    def place(index: int, where: tuple[int, int]) -> None:
        placed[index] = where
        depth = _depth(p, index)
        inserts.append((where[0], 1000 + depth, _open(p.spans[index])))
        inserts.append((where[1], -depth, _close(p.spans[index])))

    for index in _verbatim_first(p, node, text, placed):
        span = p.spans[index]
        if span.parent not in placed:
            r.problems.append(f"placeholder pair <{span.id}>…</{span.id}> not placed (its "
                              "enclosing pair was not); put it back around the right words")
            continue
        lo, hi = placed[span.parent]
        siblings = [placed[i] for i in _children(p, span.parent) if i in placed]
        where = _find_span(p, span, outputs, text, lo, hi, siblings)
        if where is None and not _children(p, index):
            deferred.append(index)          # a list item, perhaps: see below
            continue
        if where is None:
            _not_placed(p, span, r)
            continue
        place(index, where)
    for index in deferred:
        where = _between_siblings(p, index, text, placed) or _rest_of_parent(p, index, text, placed)
        if where is None:
            _not_placed(p, p.spans[index], r)
        else:
            place(index, where)
    return inserts


def _verbatim_first(p: Protected, node: int | None, text: str,
                    placed: dict[int | None, tuple[int, int]]) -> Iterator[int]:
    """The spans under ``node``, outer levels first (as ``_descendants``), and
    in each level the spans whose own words stand once, verbatim, in their
    parent's translation before the others: a fuzzy match placed first took
    a name its sibling is ("the <1>Mozilla codebase</1> by <2>Dave Hyatt</2>",
    the first copied alone, became "base de código <1>Mozilla de Dave</1> Hyatt")."""
    level = _children(p, node)
    while level:
        level.sort(key=lambda i: not _once_verbatim(p, i, text, placed))
        yield from level
        level = [c for i in level for c in _children(p, i)]


def _once_verbatim(p: Protected, index: int, text: str,
                   placed: dict[int | None, tuple[int, int]]) -> bool:
    span = p.spans[index]
    if span.mode != "locate" or span.parent not in placed:
        return False
    core = align.core(span.inner(p.text))
    lo, hi = placed[span.parent]
    bounds = align.words(text, lo, hi)
    starts, ends = {b[0] for b in bounds}, {b[1] for b in bounds}
    low = text.lower()
    found, at = 0, low.find(core, lo, hi) if core else -1
    while at >= 0:
        found += at in starts and at + len(core) in ends
        at = low.find(core, at + 1, hi)
    return found == 1


def _not_placed(p: Protected, span: Span, r: _Result) -> None:
    words = markup.strip(_untoken(p, span.inner(p.text)))
    r.problems.append(f"placeholder pair <{span.id}>…</{span.id}> around “{words}” "
                      "could not be placed; put it back around the words that translate it")


def _rest_of_parent(p: Protected, index: int, text: str,
                    placed: dict[int | None, tuple[int, int]]) -> tuple[int, int] | None:
    """A span that is all of its placed parent but its placed siblings
    ("Written <1><2>on</2> <3>Mar 27</3></1> by": "on" is "sobre" alone and
    "em" in "em 27 de Mar"), placed on what the siblings leave of the parent's
    translation when that is one run of words: the only words the parent's
    translation holds that can be its."""
    span = p.spans[index]
    if span.parent is None or span.parent not in placed:
        return None
    kids = _children(p, span.parent)
    if any(k != index and k not in placed for k in kids):
        return None
    lo, hi = _bounds(p, span.parent)
    if _direct(p, span.parent).strip(_EDGE + " "):
        return None                         # the parent has words of its own
    plo, phi = placed[span.parent]
    taken = sorted(placed[k] for k in kids if k != index)
    runs, pos = [], plo
    for s, e in taken + [(phi, phi)]:
        if text[pos:s].strip(_EDGE + " "):
            runs.append((pos, s))
        pos = max(pos, e)
    if len(runs) != 1:
        return None
    start, end = runs[0]
    while start < end and text[start] in _EDGE + " ":
        start += 1
    while end > start and text[end - 1] in _EDGE + " ":
        end -= 1
    if not _bare(text[start:end]) or not _tokens_agree(span.inner(p.text), text[start:end]):
        return None
    return align.extend_edges(span.inner(p.text), text, start, end)


#: What separates the items of a list of tagged spans ("<2>diet pills</2>,
#: <3>inquests</3>, <4>online shopping</4>"); a space alone is no separator.
_SEPARATOR = re.compile(r"\s*[,;|·•/]\s*")


def _between_siblings(p: Protected, index: int, text: str,
                      placed: dict[int | None, tuple[int, int]]) -> tuple[int, int] | None:
    """A list item whose own translation matched nothing ("inquests", which the
    model kept alone and wrote "pedidos" in the list), placed by the list's
    structure alone: its neighbours in the source are placed, the source has
    only a separator between each of them and the span, and the translation
    has between them that same separator, one item and that separator again.
    The item can then only be the span's; anything else is not placed."""
    span = p.spans[index]
    kids = _children(p, span.parent)
    k = kids.index(index)
    if k == 0 or k == len(kids) - 1 or kids[k - 1] not in placed or kids[k + 1] not in placed:
        return None
    prev, nxt = p.spans[kids[k - 1]], p.spans[kids[k + 1]]
    left, right = p.text[prev.end:span.start], p.text[span.end:nxt.start]
    if not (_SEPARATOR.fullmatch(left) and _SEPARATOR.fullmatch(right)):
        return None
    lo, hi = placed[kids[k - 1]][1], placed[kids[k + 1]][0]
    m = re.fullmatch(r"\s*" + re.escape(left.strip()) + r"\s*(.*?)\s*" + re.escape(right.strip())
                     + r"\s*", text[lo:hi], re.S)
    if m is None or not m.group(1) or not _bare(m.group(1)) \
            or any(sep.strip() in m.group(1) for sep in (left, right)) \
            or not _tokens_agree(span.inner(p.text), m.group(1)):
        return None
    return lo + m.start(1), lo + m.end(1)


def _find_span(p: Protected, span: Span, outputs: list[str], text: str, lo: int, hi: int,
               siblings: list[tuple[int, int]]) -> tuple[int, int] | None:
    inner = span.inner(p.text).strip()
    if span.mode == "whole":
        if inner == p.text[slice(*_bounds(p, span.parent))].strip():
            return lo, hi           # the same characters as its parent: "<1><2>[1]</2></1>"
        return _whole(text, lo, hi)
    if span.mode == "exact":
        return _find_verbatim(p, span, text, lo, hi, siblings)
    plo, phi = _bounds(p, span.parent)
    near = (span.start - plo) / max(1, phi - plo)
    # copied alone (a name, or words the model leaves be on their own): English
    # against the translation shares letters by chance ("Mozilla codebase" ~
    # "Mozilla de" of "base de código Mozilla de Dave Hyatt" scored 77), so only
    # its own characters, near enough verbatim, are it
    core = align.core(inner)
    place = align.locate([inner, outputs[span.piece]], text, lo, hi, siblings, near)
    if place is not None and align.core(outputs[span.piece]) == core \
            and place.score < align.COPIED_MIN_SCORE and core not in text[place.start:place.end].lower():
        return None             # but all of them there, with debris ("*plonk*", "ARMv6.v6") is it
    if place is None or not _tokens_agree(inner, text[place.start:place.end]):
        return None
    return align.extend_edges(inner, text, place.start, place.end)


def _whole(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    start, end = lo, hi
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return (start, end) if start < end else None


def _find_verbatim(p: Protected, span: Span, text: str, lo: int, hi: int,
                   siblings: list[tuple[int, int]]) -> tuple[int, int] | None:
    """A span of digits, tokens or symbols only, or inside a word: the same
    occurrence (by ordinal) of the same characters, when the output has exactly
    as many (overlapping ones counted: "the<1>thethe</1>the")."""
    inner = span.inner(p.text)
    # word boundaries where the source has them: "H<1>2</1>O" is glued on both sides
    glued_left, glued_right = _glued(p, span)

    def pattern(form: str) -> re.Pattern:
        return re.compile(("" if glued_left else r"(?<!\w)") + "(?=" + re.escape(form) + ")"
                          + ("" if glued_right else "(?!" + re.escape(form) + r"\w)"))
    plo, phi = _bounds(p, span.parent)
    before = [m.start() for m in pattern(inner).finditer(p.text, plo, phi)
              if m.start() + len(inner) <= phi]
    if span.start not in before:
        return None
    # a number the model wrote the target's way ("<1>4,500</1>" → 4.500) is the same number
    swapped = inner.translate(_SEPARATORS)
    for form in (inner, swapped) if swapped != inner and _NUMBER.fullmatch(inner) else (inner,):
        found = [m.start() for m in pattern(form).finditer(text, lo, hi)
                 if m.start() + len(form) <= hi]
        if len(found) != len(before):
            continue
        # ordinals count a placed sibling's occurrence too ("<1>2</1> <2>2</2>"); the
        # chosen one must still not overlap it
        start = found[before.index(span.start)]
        if any(start < e and s < start + len(form) for s, e in siblings):
            return None
        return start, start + len(form)
    return None


_SEPARATORS = str.maketrans(",.", ".,")
_NUMBER = re.compile(r"\d{1,3}(?:[.,]\d+)+")


def _tokens_agree(inner: str, region: str) -> bool:
    """A placed region holds the span's own tokens, and no others."""
    return sorted(TOKEN_RE.findall(inner)) == sorted(TOKEN_RE.findall(region))


def _insert(text: str, inserts: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for at, _, tag in sorted(inserts):
        out.append(text[pos:at])
        out.append(tag)
        pos = at
    out.append(text[pos:])
    return "".join(out)


def _untoken(p: Protected, text: str) -> str:
    return TOKEN_RE.sub(lambda m: p.tokens[int(m.group(1))].restore
                        if int(m.group(1)) in p.tokens else "", text)


def _restore_tokens(p: Protected, r: _Result) -> None:
    found = {int(n) for n in TOKEN_RE.findall(r.text)}
    for number, tok in sorted(p.tokens.items()):
        if number in found:
            continue
        what = {"fixed": "fixed term", "term": "approved term", "email": "e-mail address",
                "url": "URL", "handle": "handle", "empty": "placeholder", "number": "number",
                "currency": "currency symbol"}.get(tok.kind, "text")
        r.problems.append(f"{what} {tok.restore} lost by MT")

    def back(m: re.Match) -> str:
        return f"\x00L{m.group(1)}\x00R"

    text = TOKEN_RE.sub(back, r.text)
    # the spaces put around tokens go where the source had none: an empty tag
    # stays glued ("line<1/>break"), a term or number to its punctuation ("2 mm.")
    for number, tok in p.tokens.items():
        mark_l, mark_r = f"\x00L{number}", f"{number}\x00R"
        # tags placed between the token and its neighbour do not keep the space
        # ("X1X</1> ." of "<1>… <2>2014-03-28</2></1>." is "…</2></1>.")
        if tok.glue_left:
            before = {"empty": " ", "currency": r"(?<=\d) "}.get(tok.kind, r"(?<=[(\[“‘\"']) ")
            text = re.sub(before + "(" + _TAGS + ")" + re.escape(mark_l), r"\1" + mark_l, text)
        if tok.glue_right:
            after = {"empty": " ", "currency": r" (?=\d)"}.get(tok.kind, r" (?=[.,;:!?)\]”’\"'])")
            text = re.sub(re.escape(mark_r) + "(" + _TAGS + ")" + after, mark_r + r"\1", text)
    text = re.sub(r"\x00L(\d+)\x00R", lambda m: p.tokens[int(m.group(1))].restore, text)
    r.text = _spaces(text)


#: Placed tags, which may stand between a token and the text it is glued to
_TAGS = r"(?:</?\d+/?>)*"

#: One to four words said three times running ("a cidade, a cidade, a cidade"):
#: a model that lost its way in a long sentence loops like this.
_LOOP_RE = re.compile(r"(?i)(?<!\w)((?:\w+[\s,;:]+){1,4}?)\1\1")


def _note_loops(p: Protected, r: _Result) -> None:
    """A draft that loops where the source does not is reported: it reads as
    a sentence, so nothing else would tell a reviewer it is garbage."""
    m = _LOOP_RE.search(markup.strip(r.text) + " ")
    if m and not _LOOP_RE.search(markup.strip(p.source) + " "):
        r.problems.append(f"the draft repeats “{m.group(1).strip(' ,;:')}” over and over: "
                          "the model lost its way; translate this one by hand")


def _remove_debris(p: Protected, r: _Result) -> None:
    """Token remnants (``X``, ``X1``, ``1X``) beyond what the source itself has
    are removed and reported: never published, never silent."""
    def hide_literals(text: str) -> str:
        return LITERAL_RE.sub(" ", text)

    allowed = len(DEBRIS_RE.findall(hide_literals(markup.strip(p.source))))
    found = DEBRIS_RE.findall(hide_literals(markup.strip(r.text)))
    if len(found) <= allowed:
        return
    seen = 0

    def drop(m: re.Match) -> str:
        nonlocal seen
        seen += 1
        return m.group() if seen <= allowed else ""

    literals = {m.start(): m.group() for m in LITERAL_RE.finditer(r.text)}
    pieces, pos = [], 0
    for start, lit in sorted(literals.items()):
        pieces.append(_DEBRIS_AND_SPACE.sub(drop, r.text[pos:start]))
        pieces.append(lit)
        pos = start + len(lit)
    pieces.append(_DEBRIS_AND_SPACE.sub(drop, r.text[pos:]))
    r.text = _spaces("".join(pieces))
    shown = ", ".join(f"“{d}”" for d in sorted(set(found)))
    r.problems.append(f"MT left token debris ({shown}); removed it, check the words around it")


# --------------------------------------------------------------------------- whole batches

class Batch:
    """Many units' texts as one flat list for an engine or executor, and the
    units back as soon as all of their texts are in, whatever the order.

    ``feed`` takes ``(index into texts, translation)`` pairs, as the engine
    contract and executors yield them, and returns the units it completed as
    ``(unit index, text, repairs, problems)``."""

    def __init__(self, protected: list[Protected]):
        self.protected = protected
        self.owner: list[tuple[int, int]] = [(u, k) for u, p in enumerate(protected)
                                             for k in range(len(p.texts))]
        self.texts = [p.texts[k] for p in protected for k in range(len(p.texts))]
        self._got: dict[int, list[str | None]] = {u: [None] * len(p.texts)
                                                  for u, p in enumerate(protected)}
        self._missing = {u: len(p.texts) for u, p in enumerate(protected)}

    def feed(self, results: Iterable[tuple[int, str]]) -> list[tuple[int, str, list[str], list[str]]]:
        done = []
        for i, text in results:
            u, k = self.owner[i]
            if u not in self._got:
                continue
            if self._got[u][k] is None:
                self._missing[u] -= 1
            self._got[u][k] = text
            if self._missing[u] == 0:
                done.append((u, *restore(self.protected[u], self._got.pop(u))))
        return done


def translate(engine, protected: list[Protected]) -> Iterator[tuple[int, str, list[str], list[str]]]:
    """Every text of every unit through ``engine`` in one call; units come back
    as ``(unit index, text, repairs, problems)`` as each one's last text finishes.
    ``engine.translate`` may yield ``(index, text)`` in any order (the engine
    contract) or plain strings in input order (older engines)."""
    batch = Batch(protected)
    for n, item in enumerate(engine.translate(batch.texts)):
        yield from batch.feed([item if isinstance(item, tuple) else (n, item)])
