"""The ``numbers`` check on what QA found on real pages: space-grouped figures,
numbers side by side, numbers in neighbouring placeholders, and the rule that
a msgstr identical to its msgid never fails."""

from __future__ import annotations

import json

import polib
import pytest
from hypothesis import given, settings, strategies as st

from l10n_tool.checks.numbers import rule, target_values
from l10n_tool.locales import get_locale

ASIA = "asia-europe-cooperation-bring-development-opportunities-to-chongqing"


def findings(locale: str, msgid: str, msgstr: str) -> list:
    class Ctx:
        pass
    Ctx.locale = get_locale(locale)
    return list(rule(Ctx, polib.POEntry(msgid=msgid, msgstr=msgstr)))


# what QA found: correct reviewed translations that failed CI
QA = [
    ("de", "Number 20 000 metres", "Zahl 20 000 Meter"),
    ("de", "Today in History: 7 January, 2025 1610 – Galileo Galilei discovers",
     "Today in History: 7 January, 2025 1610 – Galileo Galilei discovers"),
    ("de", "<1><2>36</2></1><3/><4>146</4>", "<1><2>36</2></1><3/><4>146</4>"),
    ("de", "<1><2>36</2></1> <4>146</4> replies", "<1><2>36</2></1> <4>146</4> Antworten"),
]


@pytest.mark.parametrize("locale,msgid,msgstr", QA + [
    ("de", "Number 20,000 metres", "Zahl 20 000 Meter"),
    ("de", "Number 20 000 metres", "Zahl 20.000 Meter"),
    ("fr", "Number 20,000 metres", "Nombre 20\u202f000 mètres"),
    ("fr", "Number 20,000.5 metres", "Nombre 20\u00a0000,5 mètres"),
    ("fr", "1,234,567 people", "1 234 567 personnes"),
    ("de", "In 2025 1610 was remembered", "2025 wurde an 1610 erinnert"),
    ("de", "RMB 160 billion", "160 Milliarden RMB"),
    ("de", "RMB 160 billion", "RMB 160 billion"),          # German Billion is 10^12: kept English
    ("zh_Hans", "<1>36</1><2>146</2> comments", "<1>36</1><2>146</2>条评论"),
    ("pt_BR", "RMB 160 billion", "RMB 160 bilhões"),
    ("pt", "RMB 160 billion", "160 mil milhões de RMB"),
    ("it", "RMB 160 billion", "160 miliardi di RMB"),
])
def test_correct_translations_pass(locale, msgid, msgstr):
    assert findings(locale, msgid, msgstr) == []


@pytest.mark.parametrize("locale,msgid,msgstr,missing", [
    ("de", "Number 20 000 metres", "Zahl 2 000 Meter", ["20000"]),
    ("de", "Number 20 000 metres", "Zahl 20 Meter", ["20000"]),
    ("de", "Today 7 January, 2025 1610", "Heute 7. Januar, 2025", ["1610"]),
    ("de", "Today 7 January, 2025 1610", "Heute 7. Januar, 20251610", ["2025", "1610"]),
    ("de", "<1>36</1><2>146</2>", "<1>36146</1><2></2>", ["36", "146"]),
    ("de", "<1>36</1> <2>146</2>", "<1>36</1> <2>147</2>", ["146"]),
    ("de", "RMB 160 billion", "160 Billionen RMB", ["160000000000"]),
    ("pt", "RMB 160 billion", "160 biliões de RMB", ["160000000000"]),
])
def test_wrong_numbers_are_still_caught(locale, msgid, msgstr, missing):
    assert [f[0] for f in findings(locale, msgid, msgstr)] == missing


@pytest.mark.parametrize("text,locale,values", [
    ("20 000", "de", {20000}),
    ("2025 1610", "de", {2025, 1610}),
    ("12 3456", "en", {12, 3456}),                 # 3456 is no group: two numbers
    ("1.234.567,5", "de", {"1234567.5"}),
    ("20\u202f000,5", "fr", {"20000.5"}),
    ("<1>36</1><2>146</2>", "en", {36, 146}),
])
def test_grouping_only_into_valid_groups(text, locale, values):
    from decimal import Decimal
    assert {Decimal(v) for v in values} <= target_values(text, get_locale(locale))
    assert Decimal("36146") not in target_values(text, get_locale(locale))


def test_qa_cases_pass_l10n_check(project, l10n):
    """Through the CLI, on the real catalog: reviewed entries, so an error would fail CI."""
    path = project / "locales" / "de" / f"{ASIA}.po"
    po = polib.pofile(str(path))
    for _, msgid, msgstr in QA:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[(f"{ASIA}.html", "1")]))
    po.append(polib.POEntry(msgid="Number 30 000 metres", msgstr="Zahl 3 000 Meter"))
    po.save(str(path))
    r = l10n(project, "check", "-l", "de", "--format", "json", expect=1)
    found = [(f["severity"], f["expected"]) for f in json.loads(r.stdout)["findings"]
             if f["check"] == "numbers"]
    assert found == [("error", "30000")]


NUMBERS = st.one_of(
    st.integers(0, 10**7).map(str),
    st.integers(0, 999).map(lambda n: f"{n:03d}"),
    st.decimals(0, 10**6, places=2, allow_nan=False).map(str),
    st.sampled_from(["20 000", "1,234,567", "4.500", "15,1", "2025 1610", "1'000",
                     "20\u202f000", "7\u00a0000,5", ".5", "3."]),
)
WORDS = st.sampled_from(["Number", "metres", "January", "billion", "thousand", "million",
                         "Milliarden", "Billion", "mille", "亿", "万", "千", "一千八百", "%",
                         "A", "v", "第二", "mil millones"])
SEPARATORS = st.sampled_from([" ", ",", ".", ", ", "\u00a0", "\u202f", "'", "-", "", "\n", "–"])
PLACEHOLDERS = st.sampled_from(["<1>", "</1>", "<2/>", "<3>", "</3>", "\\<4>", "\\\\<5/>"])
PIECES = st.lists(st.one_of(NUMBERS, WORDS, SEPARATORS, PLACEHOLDERS), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(PIECES, st.sampled_from(["en", "de", "fr", "zh_Hans"]))
def test_identical_msgstr_never_fails(msgid, locale):
    assert findings(locale, msgid, msgid) == []
