"""Issue 14: a 20,000-term glossary loads fast and still follows every rule.

``parse`` reads a clean file in one quick pass (Term objects made only when
asked for) and falls back to the row-by-row reading, which words the problems,
for any file that has one; the matcher looks terms up by their first word.
Each shortcut is held here to the plain way it replaced: the row-by-row
reading of the same file, the letter-by-letter normalisation, and the
alternation regex that states the matching rules (``reference``).
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import given, settings, strategies as st

from l10n_tool import glossary as glossary_mod
from l10n_tool.glossary import Glossary, Term, _by_letter, _normalise, parse
from test_glossary import found, reference

HEADER = ["term", "type", "zh_Hans", "de", "note"]


def write(path: Path, rows: list[list[str]], header=HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])
    return path


def row_by_row(path: Path):
    """What ``parse`` says when it reads every row through ``_term``."""
    with mock.patch.object(glossary_mod, "_parse_clean", lambda text, delimiter=",": None):
        return parse(path)


def as_data(glossary: Glossary) -> list[tuple]:
    return [(t.term, t.type, t.translations, t.note, t.line, t.acronym) for t in glossary.terms]


def test_a_clean_file_with_every_oddity_reads_as_row_by_row(tmp_path):
    path = tmp_path / "glossary.csv"
    path.write_text('term,type,zh_Hans,de,note\n'
                    'ILSTC,fixed,,,acronym\n'
                    '\n'                                            # blank line
                    'Chongqing,translate,重庆,,\n'
                    '  New   International\tCorridor ,Translate , 国际 ,  ,"multi\nline note"\n'
                    ',,,,\n'                                        # blank row
                    'Short,fixed\n'                                 # short row
                    ',,,,,,,\n'                                     # blank and too long
                    'TEU,fixed,,,\n'
                    '"Quoted, comma",translate,,,\n', encoding="utf-8")
    glossary, problems = parse(path)
    assert problems == []
    assert glossary._rows is not None          # read by the fast pass, not row by row
    assert as_data(glossary) == [
        ("ILSTC", "fixed", {}, "acronym", 2, True),
        ("Chongqing", "translate", {"zh_Hans": "重庆"}, "", 4, False),
        ("New International Corridor", "translate", {"zh_Hans": "国际"}, "multi\nline note", 6,
         False),
        ("Short", "fixed", {}, "", 8, False),
        ("TEU", "fixed", {}, "", 10, True),
        ("Quoted, comma", "translate", {}, "", 11, False),
    ]
    slow, slow_problems = row_by_row(path)
    assert slow_problems == [] and as_data(slow) == as_data(glossary)


def test_a_file_with_problems_reports_each_as_before(tmp_path):
    path = write(tmp_path / "glossary.csv", [
        ["TEU", "fixed", "", "", ""],
        ["teu", "translate", "", "", ""],        # an acronym's casefold, other type
        ["Chongqing", "translate", "", "", ""],
        ["chongqing", "translate", "", "", ""],  # same term, other case
        ["Bad", "wrong", "", "", ""],
        ["", "fixed", "", "", ""],
        ["Too", "fixed", "", "", "", "", "extra"],
        ["Kept", "fixed", "", "", ""],
    ])
    glossary, problems = parse(path)
    assert [(p.message, p.line) for p in problems] == [
        ("'teu' is both a fixed and a translate term (line 2)", 3),
        ("duplicate term 'chongqing' (first at line 4)", 5),
        ("bad type 'wrong' for 'Bad' (expected one of fixed, translate)", 6),
        ("empty term", 7),
        ("7 columns, header has 5", 8),
    ]
    assert [t.term for t in glossary.terms] == ["TEU", "Chongqing", "Kept"]


def test_a_bad_column_is_still_reported(tmp_path):
    path = write(tmp_path / "glossary.csv", [["A", "fixed", "", ""]],
                 header=["term", "type", "xx_Bogus", "note"])
    glossary, problems = parse(path)
    assert [(p.message, p.line) for p in problems] == [("unknown locale column 'xx_Bogus'", 1)]
    assert [t.term for t in glossary.terms] == ["A"]


_words = st.sampled_from(["Port", "port", "City", "TEU", "Co.", "S&P", "Zone", "BRI", "x", "İzmir",
                          "ΣΑΣ", "chongqing", "Land-Sea", "重庆"])
_space = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0"])
_cell_term = st.builds(lambda pad, words, gaps: pad + "".join(w + g for w, g in zip(words, gaps)),
                       st.sampled_from(["", " ", "\t"]), st.lists(_words, max_size=3),
                       st.lists(_space, min_size=3, max_size=3))
_row = st.tuples(
    _cell_term,
    st.sampled_from(["fixed", "translate", " Fixed", "TRANSLATE ", "fixd", ""]),
    st.sampled_from(["", " ", "重庆", " Hafen "]),
    st.sampled_from(["", "Hafen"]),
    st.sampled_from(["", "a note", "multi\nline", 'with "quotes", commas']),
    st.sampled_from(["full", "full", "full", "short", "long", "blank"]),
)


def _shaped(cells: tuple) -> list[str]:
    *values, shape = cells
    return {"full": values, "short": values[:2], "long": values + [""],
            "blank": [""] * len(values)}[shape]


@settings(max_examples=300, deadline=None)
@given(st.lists(_row, max_size=12), st.booleans())
def test_any_file_reads_as_row_by_row(rows, reorder):
    header = ["note", "de", "type", "term", "zh_Hans"] if reorder else HEADER
    rows = [_shaped(r) for r in rows]
    if reorder:
        rows = [[r[i] for i in (4, 3, 1, 0, 2) if i < len(r)] for r in rows]
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp) / "glossary.csv", rows, header)
        glossary, problems = parse(path)
        slow, slow_problems = row_by_row(path)
    assert problems == slow_problems
    assert as_data(glossary) == as_data(slow)
    text = " and ".join(t.term for t in slow.terms) + " TEUs, port city’s S&P."
    assert [(o.term.term, o.start, o.end) for o in glossary.find(text)] == \
        [(o.term.term, o.start, o.end) for o in slow.find(text)]


def test_terms_are_made_once_and_matches_are_them(tmp_path):
    path = write(tmp_path / "glossary.csv", [["Port", "translate", "", "", ""],
                                             ["TEU", "fixed", "", "", ""]])
    glossary, _ = parse(path)
    first = glossary.find("The port moved 5 TEUs.")
    assert [o.term.term for o in first] == ["Port", "TEU"]
    assert [o.term for o in glossary.find("Port and TEU")] == [o.term for o in first]
    assert all(a.term is b.term for a, b in zip(first, glossary.find("port and TEU")))
    # the checks number terms by identity: a match is the object in ``terms``
    assert first[0].term is glossary.terms[0] and first[1].term is glossary.terms[1]
    assert glossary.find("TEU")[0].term is glossary.terms[1]


def test_terms_with_the_same_form_keep_the_glossary_order():
    one, two = Term("Port", "translate"), Term("port", "fixed")
    g = Glossary([one, two])
    assert [o.term for o in g.find("the PORT")] == [one]
    assert found(g, "the port") == reference([one, two], "the port")


# Terms that share first words (the matcher's heads), suffixes, punctuation
# inside and at the end of a term, acronyms, and a term that is another's head.
SHARED = ["Port", "Port City", "Port City Zone", "Port Cityzone", "City", "City Port", "TEU",
          "TEUs", "Co.", "Co. Ltd", "S&P", "Land-Sea", "Land", "Sea Trade Corridor", "Sea", "NUS",
          "NUSRI", "Chongqing", "Chongqing Liangjiang",
          "Chongqing Liangjiang Collaborative Innovation Zone", "A", "BRI", "B.R.I."]


def _shared_file() -> Glossary:
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp) / "glossary.csv",
                     [[t, "fixed" if t.isupper() else "translate", "", "", ""] for t in SHARED])
        glossary, problems = parse(path)
    assert problems == [] and glossary._rows is not None
    return glossary


SHARED_READ = _shared_file()
SHARED_BUILT = Glossary([Term(t, "fixed" if t.isupper() else "translate") for t in SHARED])

_pieces = st.sampled_from(SHARED + ["port", "city", "CITY", "zone", "teu", "co", "ltd", "nus"])
_glue = st.sampled_from(["", " ", "  ", "\n", "'s", "’s", "s", "es", "x", ", ", "-", "_", "é",
                         ".", "\u00a0", " Zone"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(_pieces, _glue), min_size=1, max_size=10))
def test_shared_heads_match_as_the_reference(parts):
    text = "".join(a + b for a, b in parts)
    want = reference(SHARED_BUILT.terms, text)
    assert found(SHARED_BUILT, text) == want
    assert found(SHARED_READ, text) == want


def test_a_huge_file_matches_as_its_terms(tmp_path):
    rows = [[f"Port {i} Zone" if i % 3 else f"P{i}X", "translate" if i % 3 else "fixed",
             "", "", ""] for i in range(20000)] + [["Port", "translate", "", "", ""]]
    glossary, problems = parse(write(tmp_path / "glossary.csv", rows))
    assert problems == [] and len(glossary.terms) == 20001
    text = "Port 19999 Zone's berth, P19998X, p19998x, the Port 2 Zones and a Port."
    assert found(glossary, text) == found(Glossary(list(glossary.terms)), text) == [
        ("Port 19999 Zone", 0, 17), ("P19998X", 25, 32), ("Port 2 Zone", 47, 59),
        ("Port", 66, 70)]


_letters = st.text(st.sampled_from(list("aZé_-.'’") + [" ", "\t", "\n", "\u00a0", "\u2028",
                                                        "\u3000", "Σ", "İ", "\u200b", "重"]),
                   max_size=30)


@settings(max_examples=500, deadline=None)
@given(_letters)
def test_normalise_is_the_letter_by_letter_rule(text):
    norm, where = _normalise(text)
    assert (norm, list(where)) == _by_letter(text)


def test_only_the_plain_space_is_printable_white_space():
    """``_normalise`` skips its white-space scan for a printable text."""
    assert [hex(c) for c in range(sys.maxunicode + 1)
            if chr(c).isspace() and chr(c).isprintable()] == [hex(ord(" "))]
