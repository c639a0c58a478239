"""The placeholder syntax and its escape for literal placeholder-like text."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from l10n_tool import markup

# text made of the characters that matter to the syntax, so that collisions are likely
tricky = st.text(alphabet="<>/\\12 ab", max_size=30)


def test_tags_kinds_and_positions():
    text = "a <1>b</1> c<2/>"
    assert [(t.id, t.kind, text[t.start:t.end]) for t in markup.tags(text)] == [
        (1, "open", "<1>"), (1, "close", "</1>"), (2, "empty", "<2/>")]


def test_escaped_tokens_are_text_not_placeholders():
    msgid = r"Type \<1> to open and <1>bold</1>"
    assert [str(t) for t in markup.tags(msgid)] == ["<1>", "</1>"]
    assert markup.strip(msgid) == "Type <1> to open and bold"
    assert markup.signature(msgid) == markup.signature("<1>fett</1>")
    assert markup.nesting_problem(msgid) is None


def test_escape_of_source_text():
    assert markup.escape("Type <1> then </2> or <3/>") == r"Type \<1> then \</2> or \<3/>"
    assert markup.escape(r"C:\temp and <b>") == r"C:\temp and <b>"  # nothing to escape
    assert markup.escape("</1/>") == "</1/>"                           # not a placeholder shape
    # a literal backslash before a literal token: both survive
    assert markup.unescape(markup.escape(r"\<1>")) == r"\<1>"
    # a doubled backslash before a real placeholder is one literal backslash
    assert [str(t) for t in markup.tags(r"a\\<1>b</1>")] == ["<1>", "</1>"]
    assert markup.strip(r"a\\<1>b</1>") == "a\\b"


@settings(max_examples=300, deadline=None)
@given(tricky)
def test_escaped_text_never_holds_a_placeholder_and_reads_back(text):
    escaped = markup.escape(text)
    assert markup.tags(escaped) == []
    assert markup.strip(escaped) == text
    assert markup.parse(escaped).children in ([], [text])


@settings(max_examples=200, deadline=None)
@given(tricky, tricky)
def test_placeholders_around_escaped_text_parse_back(a, b):
    T = markup.Tag
    msgid = markup.assemble([a, T(1, "open", 0, 0), b, T(1, "close", 0, 0), T(2, "empty", 0, 0)])
    assert [str(t) for t in markup.tags(msgid)] == ["<1>", "</1>", "<2/>"]
    root = markup.parse(msgid)
    texts = [c for c in root.children if isinstance(c, str)]
    inner = [c for c in root.children if not isinstance(c, str)]
    assert texts == ([a] if a else [])
    assert inner[0].id == 1 and inner[0].children == ([b] if b else [])
    assert inner[1].id == 2 and inner[1].empty
    assert markup.strip(msgid) == a + b


def test_assemble_doubles_a_backslash_right_before_a_placeholder():
    T = markup.Tag
    msgid = markup.assemble(["C:\\", T(1, "open", 0, 0), "dir\\", T(1, "close", 0, 0), "\\"])
    assert msgid == "C:\\\\<1>dir\\\\</1>\\"
    assert markup.strip(msgid) == "C:\\dir\\\\"


def test_compare_reports_missing_extra_and_nesting():
    msgid = r"\<1> is <1>literal</1><2/>"
    assert markup.compare(msgid, r"<1>wörtlich</1> ist \<1><2/>") is None
    assert markup.compare(msgid, "<1>wörtlich</1> ist <1><2/>") == "unexpected <1>"
    assert markup.compare(msgid, r"\<1> ist <1>wörtlich<2/>") == "missing </1>"
    assert markup.compare("<1>a<2>b</2></1>", "<1>a<2>b</1></2>") == "</1> closes <2>"


def test_renumber_leaves_escaped_tokens_alone():
    assert markup.renumber(r"<3>x</3> \<3> <4/>", {3: 1, 4: 2}) == r"<1>x</1> \<3> <2/>"
