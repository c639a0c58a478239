"""Sentence segmentation of block text with placeholders."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from l10n_tool.segment import split_sentences


def sentences(text: str, lang: str = "en") -> list[str]:
    return [s for s, _ in split_sentences(text, lang)]


def test_splits_at_terminators_before_a_capital():
    assert sentences("It rained. Nobody came! Why? Because.") == [
        "It rained.", "Nobody came!", "Why?", "Because."]


def test_abbreviations_initials_and_numbers_do_not_split():
    assert sentences("Dr. Smith moved to the U.S. in 2019. He stayed.") == [
        "Dr. Smith moved to the U.S. in 2019.", "He stayed."]
    assert sentences("See No. 5 on p. 12. Then stop.") == ["See No. 5 on p. 12.", "Then stop."]
    assert sentences("J. K. Rowling wrote it.") == ["J. K. Rowling wrote it."]
    assert sentences("He paid $15.1 million.") == ["He paid $15.1 million."]


def test_quotes_and_lowercase_continuations_stay_together():
    assert sentences("“Was it worth it?” she asked… Nobody knew.") == [
        "“Was it worth it?” she asked…", "Nobody knew."]


def test_cjk_splits_without_spaces_and_keeps_none():
    pairs = split_sentences("怎么样？后果很严重。我们走吧！", "zh")
    assert pairs == [("怎么样？", ""), ("后果很严重。", ""), ("我们走吧！", "")]


def test_never_splits_inside_a_placeholder_pair():
    text = "He said <1>stop. Now.</1> Then <2/>left."
    assert sentences(text) == ["He said <1>stop. Now.</1>", "Then <2/>left."]
    # a closing placeholder after the terminator belongs to the sentence it ends
    assert sentences("<1>It ended.</1> Next one.") == ["<1>It ended.</1>", "Next one."]


def test_escaped_placeholder_text_is_not_markup():
    assert sentences(r"Type \<1> to open. Then \</1> to close.") == [
        r"Type \<1> to open.", r"Then \</1> to close."]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab A.?!。 <1>/\\\n", max_size=60))
def test_pieces_and_separators_rebuild_the_text_exactly(text):
    text = text.strip()
    pairs = split_sentences(text, "en")
    assert "".join(s + sep for s, sep in pairs) == text
    assert all(sep.strip() == "" for _, sep in pairs)
