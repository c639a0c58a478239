"""Find where a tagged span's translation sits in its sentence's translation.

Engines translate the tag-free sentence and each tagged span on its own (see
``protect``); the tag then goes around the words of the sentence that best
match the span's translation. The match is fuzzy because a span translated
alone differs from the same words in context ("Política de privacidade" vs
"Política de Privacidade", "Termos de Utilização" vs "Termos de Uso", or its words in another order:
"Universidade Nacional … Instituto de Pesquisa" vs "Instituto de Pesquisa da
Universidade Nacional …", hence the better of ratio and token-sort ratio), and
it is over whole words only, so a tag never cuts a word in two. A score
below ``MIN_SCORE``, or two far-apart places scoring alike, is not
confidence: the caller reports it instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

#: Lowest similarity (0–100, rapidfuzz ratio on lower-cased text) accepted as
#: "this is where the span went". Measured on the tiny Bergamot en→pt model
#: (bench/quality.py, 1,600 units): wrong placements scored up to 67 ("Switch
#: to US" on "adaptada para os" when the model dropped those words), right ones 70–100.
MIN_SCORE = 70.0
#: The same, for a span the model copied when translating it alone: its
#: English words are looked for among the translation's, where a partial
#: match is letters shared by chance: below this, the region must hold all
#: of the span's characters (``protect._find_span``).
COPIED_MIN_SCORE = 90.0
#: Token-sort ratio ignores word order, so it also rewards extra function words
#: ("e os Termos de Uso"); it counts for a little less than the plain ratio.
SORTED_WEIGHT = 0.95
#: The most regions one search compares (words × region lengths): an ordinary
#: sentence needs a few thousand; a span inside 50 nested tags of a 500-word
#: text would need millions, and 50 of them took 33 s for one unit.
MAX_REGIONS = 60_000

#: Two candidates that do not overlap and score within this margin are ambiguous.
AMBIGUOUS_MARGIN = 3.0

#: Scripts written without spaces (Chinese, Japanese): each character is a word,
#: so a tag can go around 隐私政策 inside 阅读我们的隐私政策。
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: Words split at spaces and at punctuation inside them ("Tagged:diet").
WORD_RE = re.compile(rf"[{_UNSPACED}]|[^\s:;,/|·•{_UNSPACED}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+")
EDGE_PUNCT = "\"'“”‘’«»()[]{}.,;:!?¿¡…–—-（）「」『』【】《》〈〉、。，！？：；"


def core(needle: str) -> str:
    """A span's text without what engines put around a lone phrase (dashes,
    brackets, pseudo-localisation's ``[…  ~~~]``) and without edge symbols,
    which are not part of any word (``extend_edges`` takes them back)."""
    return re.sub(r"^[\W_]+|[\W_]+$", "", needle.strip().strip(EDGE_PUNCT + "~ ")).lower()


@dataclass(frozen=True)
class Place:
    start: int
    end: int
    score: float


def words(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """Word boundaries inside ``text[lo:hi]``, with edge punctuation trimmed so
    that ``(Privacy Policy).`` yields the words ``Privacy`` and ``Policy``."""
    hi = len(text) if hi is None else hi
    out = []
    for m in WORD_RE.finditer(text, lo, hi):
        s, e = m.start(), m.end()
        while s < e and text[s] in EDGE_PUNCT:
            s += 1
        while e > s and text[e - 1] in EDGE_PUNCT:
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def locate(needles: list[str], hay: str, lo: int = 0, hi: int | None = None,
           forbidden: list[tuple[int, int]] = (), near: float | None = None) -> Place | None:
    """The best whole-word region of ``hay[lo:hi]`` for any of ``needles``.

    ``forbidden`` regions (already placed siblings) may not overlap the result;
    ``near`` (0–1, the span's relative position in the source) breaks ties
    between equally good places. None when nothing is good enough or the best
    is ambiguous."""
    bounds = words(hay, lo, hi)
    candidates: list[Place] = []
    cores = {core(n) for n in needles if core(n)}
    sizes = {needle: max(1, len(words(needle))) for needle in cores}
    if len(bounds) * sum(2 * n + 2 for n in sizes.values()) > MAX_REGIONS:
        # a span nested dozens deep in a long text: placed where its words are
        # found as they are, once (the region the full search would rank first),
        # else not placed and reported
        return _verbatim(cores, hay, bounds, forbidden) if near is not None else None
    for needle in cores:
        n_words = sizes[needle]
        longest = 2 * n_words + 2
        for i, (s, _) in enumerate(bounds):
            for j in range(i, min(len(bounds), i + longest)):
                e = bounds[j][1]
                if any(s < fe and fs < e for fs, fe in forbidden):
                    break
                region = hay[s:e].lower()
                score = fuzz.ratio(needle, region)
                if n_words >= 3:     # on two words it rewards chance ("sem a" ~ "a ser")
                    score = max(score, SORTED_WEIGHT * fuzz.token_sort_ratio(needle, region))
                candidates.append(Place(s, e, score))
    if not candidates:
        return None
    span = max(1, (hi if hi is not None else len(hay)) - lo)

    def rank(p: Place) -> tuple[float, float]:
        where = (p.start - lo) / span
        return (p.score, -abs(where - near) if near is not None else 0.0)

    candidates.sort(key=rank, reverse=True)
    best = candidates[0]
    if best.score < MIN_SCORE:
        return None
    for other in candidates[1:]:
        if best.score - other.score > AMBIGUOUS_MARGIN:
            break
        if (other.end <= best.start or other.start >= best.end) and near is None:
            return None
    return best


def _verbatim(cores: set[str], hay: str, bounds: list[tuple[int, int]],
              forbidden) -> Place | None:
    """The one whole-word region that is exactly one of ``cores`` (case aside):
    it scores 100, so it is what ``locate`` would choose, found without
    comparing every region."""
    starts, ends = {s for s, _ in bounds}, {e for _, e in bounds}
    low, found = hay.lower(), set()
    for core in cores:
        at = low.find(core)
        while at >= 0:
            end = at + len(core)
            if at in starts and end in ends and \
                    not any(at < fe and fs < end for fs, fe in forbidden):
                found.add((at, end))
            at = low.find(core, at + 1)
    return Place(*found.pop(), 100.0) if len(found) == 1 else None


OPENERS, CLOSERS = "\"'“‘«([{", "\"'”’»)]}"


def extend_edges(source: str, text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a placed region over the quotes, brackets and symbols its source
    span has at its edges, where the text has them too (“Standard” → “Padrão”,
    "ILSTC •"), and over a closing bracket it opened."""
    lead = re.match(r"[^\w]*", source).group().strip()
    trail = re.search(r"[^\w]*$", source).group().strip()
    for ch in reversed(lead):
        at = start - 1 if start > 0 and text[start - 1] == ch else \
            start - 2 if start > 1 and text[start - 2] == ch and text[start - 1] == " " else None
        if at is None:
            break
        start = at
    for ch in trail:
        at = end + 1 if text.startswith(ch, end) else \
            end + 2 if text.startswith(" " + ch, end) else None
        if at is None:
            break
        end = at
    for o, c in ("()", "[]"):
        if text.count(o, start, end) > text.count(c, start, end) and text.startswith(c, end):
            end += 1
    return start, end
