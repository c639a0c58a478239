"""Long texts cut into pieces a small model can translate.

A tiny model loses its way in a long input: the real Bergamot en→pt model
keeps all of a 50-word sentence, but from about 70 words on it drops half of
it or loops ("os navios de Singapura, os navios de Singapura…"), and past 200
words the draft is garbage, with every glossary token in it lost (measured
on sentences of the real pages). A text over ``MAX_WORDS`` words (a 500-word
sentence, a whole paragraph with ``segment = "paragraphs"``) is therefore
cut at its sentence ends, then after clause punctuation (, ; :) or before a
dash, and only as a last resort between words; the pieces are packed back
into runs of at most ``MAX_WORDS`` words, each translated on its own and
joined again. Tokens (``X1X``) stand between spaces, so no cut splits one.
"""

from __future__ import annotations

import re

from l10n_tool.segment import split_sentences

#: the most words sent to the model as one text
MAX_WORDS = 50

#: where a sentence may be cut: after clause punctuation, or before a dash
_CLAUSE = re.compile(r"(?<=[,;:])\s+|\s+(?=[—–]\s)")


#: around a word: not part of it
_PUNCT = "\"'“”‘’«»()[],.;:!?¿¡"


def _words(text: str) -> int:
    return len(text.split())


def _clauses(sentence: str, limit: int) -> list[str]:
    """A sentence over ``limit`` words in clauses, each at most ``limit`` words."""
    out: list[str] = []
    for clause in _CLAUSE.split(sentence):
        words = clause.split()
        out.extend(" ".join(words[i:i + limit]) for i in range(0, len(words), limit))
    return out


def chunks(text: str, limit: int = MAX_WORDS) -> list[str]:
    """``text`` itself when it has at most ``limit`` words, else its pieces in
    order, each at most ``limit`` words, which together hold all its words."""
    if _words(text) <= limit:
        return [text]
    pieces: list[str] = []
    for sentence, _ in split_sentences(text.strip()):
        pieces.extend([" ".join(sentence.split())] if _words(sentence) <= limit
                      else _clauses(sentence, limit))
    out: list[str] = []
    count = 0
    for piece in filter(None, pieces):
        n = _words(piece)
        if out and count + n <= limit:
            out[-1] += " " + piece
            count += n
        else:
            out.append(piece)
            count = n
    return out


def join(pieces: list[str], translations: list[str], joiner: str = " ") -> str:
    """The translations of ``chunks``' pieces as one text. A piece that began
    inside a sentence (a lower-case first letter) keeps its translation's first
    letter in lower case where it is a short word (E, O, Em, Que): the model
    capitalises every input's first word. A longer word may be a name
    ("Singapura"), and so may one the piece itself has ("said Li" → "Li disse"):
    those stay as the model wrote them."""
    out = []
    for piece, text in zip(pieces, translations):
        text = text.strip()
        first = text.split(maxsplit=1)[0].strip(_PUNCT) if text else ""
        short = len(first) <= 3 and first[:1].isupper() and (first[1:].islower() or len(first) == 1)
        if (out and short and piece[:1].islower()
                and first not in {w.strip(_PUNCT) for w in piece.split()}):
            at = text.index(first[0])
            text = text[:at] + text[at].lower() + text[at + 1:]
        out.append(text)
    return joiner.join(t for t in out if t)
