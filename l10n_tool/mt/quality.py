"""Measures of MT draft quality that need no reference translation.

Shared by ``bench/quality.py`` (which prints them) and the tests (which
assert the hard ones on the real Bergamot model): what leaked (token
residue), what must come back exactly (fixed terms, placeholders, numbers),
whether markup changed the translation (chrF of the tag-stripped draft
against the model's translation of the tag-stripped source), and whether the
words inside tags were translated at all.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from l10n_tool import markup
from l10n_tool.glossary import Glossary, count_in_target
from l10n_tool.mt import protect

NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")


def chrf(hypothesis: str, reference: str, order: int = 6, beta: float = 2.0) -> float:
    """Sentence chrF (Popović 2015) in 0–1: character n-grams up to ``order``,
    spaces removed, recall weighted ``beta`` times precision, as sacrebleu's
    default chrF (without word n-grams)."""
    hyp, ref = hypothesis.replace(" ", ""), reference.replace(" ", "")
    if hyp == ref:
        return 1.0
    precisions, recalls = [], []
    for n in range(1, order + 1):
        h = Counter(hyp[i:i + n] for i in range(len(hyp) - n + 1))
        r = Counter(ref[i:i + n] for i in range(len(ref) - n + 1))
        if not h or not r:
            continue
        common = sum((h & r).values())
        precisions.append(common / sum(h.values()))
        recalls.append(common / sum(r.values()))
    if not precisions:
        return 0.0
    p, r = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    if p + r == 0:
        return 0.0
    return (1 + beta ** 2) * p * r / (beta ** 2 * p + r)


def residue(source: str, draft: str) -> int:
    """Protection tokens and token debris in ``draft`` beyond what ``source`` has."""
    def count(text: str) -> int:
        plain = markup.strip(text)
        return len(protect.TOKEN_RE.findall(plain)) + \
            len(protect.DEBRIS_RE.findall(protect.TOKEN_RE.sub(" ", plain)))
    return max(0, count(draft) - count(source))


def fixed_terms(glossary: Glossary, source: str, draft: str, locale: str) -> tuple[int, int]:
    """(occurrences kept verbatim, occurrences in the source) of fixed terms,
    as whole words (NUS in NUSRI does not count)."""
    want = Counter(o.term.term for o in glossary.find(source) if o.term.type == "fixed")
    return (sum(min(n, count_in_target(draft, t, locale, True)) for t, n in want.items()),
            sum(want.values()))


def spans(text: str) -> dict[int, str]:
    """Placeholder id → the plain text it encloses (well-nested text only)."""
    out: dict[int, str] = {}
    if markup.nesting_problem(text):
        return out

    def walk(node) -> str:
        parts = []
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            elif not child.empty:
                inner = walk(child)
                out[child.id] = inner
                parts.append(inner)
        return "".join(parts)

    walk(markup.parse(text))
    return out


def numbers(text: str) -> Counter:
    """Numbers by value, whatever the separators: 1,800 = 1.800 = 1800."""
    return Counter(re.sub(r"[.,]", "", n) for n in NUMBER_RE.findall(markup.strip(text)))


def multi_word(text: str) -> bool:
    return len(re.findall(r"[^\W\d_]{2,}", text)) >= 2


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def names(engine, sources: list[str]) -> frozenset[str]:
    """Multi-word inner spans of ``sources`` that ``engine`` leaves unchanged
    when it translates them alone: names, titles, code, which no placement
    could be blamed for keeping."""
    inner = sorted({t for s in sources for t in spans(s).values() if multi_word(t)})
    out = {}
    for i, item in enumerate(engine.translate(inner)):
        i, text = item if isinstance(item, tuple) else (i, item)
        out[i] = text
    return frozenset(_norm(t) for i, t in enumerate(inner) if _norm(out.get(i, t)) == _norm(t))


@dataclass
class Report:
    units: int = 0
    residue: int = 0
    fixed_kept: int = 0
    fixed_total: int = 0
    tagged: int = 0
    tags_exact: int = 0
    invariance: list[float] = field(default_factory=list)
    inner_spans: int = 0
    inner_translated: int = 0
    #: the same, leaving out spans the model keeps as they are even alone (names)
    inner_translatable: int = 0
    inner_translatable_done: int = 0
    with_numbers: int = 0
    numbers_kept: int = 0
    problems: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, glossary: Glossary, locale: str, source: str, draft: str, problems: list[str],
            plain: str | None = None, names: frozenset[str] = frozenset()) -> None:
        """``plain``: the model's translation of the tag-stripped source;
        ``names``: inner span texts the model leaves unchanged when given alone."""
        self.units += 1
        self.residue += residue(source, draft)
        kept, total = fixed_terms(glossary, source, draft, locale)
        self.fixed_kept += kept
        self.fixed_total += total
        self.problems += bool(problems)
        if markup.tags(source):
            self.tagged += 1
            exact = markup.compare(source, draft) is None
            self.tags_exact += exact
            if not exact and len(self.examples) < 10:
                self.examples.append(f"{source}\n  → {draft}\n  {problems}")
            if plain is not None:
                self.invariance.append(chrf(markup.strip(draft), plain))
            got = spans(draft)
            for n, inner in spans(source).items():
                if multi_word(inner):
                    done = _norm(got.get(n, inner)) != _norm(inner)
                    self.inner_spans += 1
                    self.inner_translated += done
                    if _norm(inner) not in names:
                        self.inner_translatable += 1
                        self.inner_translatable_done += done
        want = numbers(source)
        if want:
            self.with_numbers += 1
            self.numbers_kept += not (want - numbers(draft))

    def figures(self) -> dict[str, float]:
        def share(a: int, b: int) -> float:
            return a / b if b else 1.0
        return {
            "units": self.units,
            "residue": self.residue,
            "fixed terms kept": share(self.fixed_kept, self.fixed_total),
            "fixed term occurrences": self.fixed_total,
            "tagged units": self.tagged,
            "tags exact": share(self.tags_exact, self.tagged),
            "tag invariance (chrF)": (sum(self.invariance) / len(self.invariance)
                                      if self.invariance else 1.0),
            "multi-word inner spans": self.inner_spans,
            "inner spans translated": share(self.inner_translated, self.inner_spans),
            "  of those not names": self.inner_translatable,
            "  translated": share(self.inner_translatable_done, self.inner_translatable),
            "numbers kept": share(self.numbers_kept, self.with_numbers),
            "units with mt-problems": self.problems,
        }
