"""Glossary matching: the automaton keeps the documented rules exactly.

The reference below is the rule set written as one alternation regex, longest
term first (what the matcher did before it had to scale); the automaton must
find the same occurrences on real sentences and on generated ones.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings, strategies as st

from l10n_tool.glossary import Glossary, Term, _term_regex, parse

REPO = Path(__file__).resolve().parent.parent
GLOSSARY, _ = parse(REPO / "glossary.csv")


def reference(terms: list[Term], text: str) -> list[tuple[str, int, int]]:
    ordered = sorted(terms, key=lambda t: -len(t.term))
    rx = re.compile("|".join(f"(?P<t{i}>{_term_regex(t.term, t.acronym, True)})"
                             for i, t in enumerate(ordered)))
    return [(ordered[int(m.lastgroup[1:])].term, m.start(), m.end()) for m in rx.finditer(text)]


def found(glossary: Glossary, text: str) -> list[tuple[str, int, int]]:
    return [(o.term.term, o.start, o.end) for o in glossary.find(text)]


def test_rules_on_examples():
    g = Glossary([Term("ILSTC", "fixed"), Term("NUS", "fixed"), Term("Chongqing", "translate"),
                  Term("Chongqing Liangjiang Collaborative Innovation Zone", "translate"),
                  Term("TEU", "fixed")])
    assert found(g, "ilstc and ILSTC") == [("ILSTC", 10, 15)]              # acronyms: case
    assert found(g, "NUSRI is not NUS") == [("NUS", 13, 16)]               # word boundaries
    assert found(g, "chongqing’s TEUs") == [("Chongqing", 0, 11), ("TEU", 12, 16)]  # suffixes
    text = "the Chongqing  Liangjiang\nCollaborative Innovation Zone's plan"
    assert found(g, text) == [("Chongqing Liangjiang Collaborative Innovation Zone", 4, 57)]
    assert found(g, "Chongqingese") == []


def test_same_as_reference_on_the_articles():
    from l10n_tool.formats.html import read_document
    texts = [u.text for p in sorted((REPO / "source").glob("*.html")) for u in read_document(p).units]
    assert any(found(GLOSSARY, t) for t in texts)
    for text in texts:
        assert found(GLOSSARY, text) == reference(GLOSSARY.terms, text), text


_pieces = st.sampled_from([t.term for t in GLOSSARY.terms] +
                          ["the", "Chongqing", "ilstc", "Corridor", "NUS", "New", "Trade"])
_glue = st.sampled_from(["", " ", "  ", "\n", "'s", "’s", "s", "es", "x", ", ", "-", "_", "é"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_pieces, _glue), min_size=1, max_size=10))
def test_same_as_reference_on_generated_text(parts):
    text = "".join(a + b for a, b in parts)
    assert found(GLOSSARY, text) == reference(GLOSSARY.terms, text)


def test_a_huge_glossary_still_matches():
    terms = [Term(f"term{i} word", "translate") for i in range(20000)] + [Term("ILSTC", "fixed")]
    g = Glossary(terms)
    assert found(g, "See term19999 word and ILSTC.") == [("term19999 word", 4, 18), ("ILSTC", 23, 28)]
