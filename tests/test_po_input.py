"""PO files as translators' tools leave them: wrapped at any width, with a
header naming the wrong charset, with syntax msgfmt accepts or rejects, with
a Language code of their own. What GNU gettext itself does is the reference
each time: msgcat writes the files, msgfmt says what is valid and where."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import msgfmt_check
from l10n_tool import catalog
from l10n_tool.catalog import io, pofile, wrap
from l10n_tool.errors import L10nError

ASIA = "asia-europe-cooperation-bring-development-opportunities-to-chongqing"
MEDIA = "media-delegation-visits-sw-china-for-green-development-along-the-yangtze-river"
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' \
         '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'


def gnu(tool: str, *args: str) -> subprocess.CompletedProcess:
    exe = shutil.which(tool)
    assert exe, f"{tool} (Debian package gettext) is required; .ci/run installs it"
    return subprocess.run([exe, *args], capture_output=True, text=True)


def msgfmt_error(path) -> tuple[int, str] | None:
    """The line and message of msgfmt's first error for a file, None if it takes it."""
    r = gnu("msgfmt", "--check", "-o", "/dev/null", str(path))
    for line in r.stderr.splitlines():
        m = re.match(rf"{re.escape(str(path))}:(\d+):(?:\d+:)? (.*)", line)
        if m and not m.group(2).startswith("warning"):
            return int(m.group(1)), m.group(2)
    assert r.returncode == 0, r.stderr
    return None


def keep(project) -> None:
    toml = project / "pyproject.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "[tool.l10n]\n", '[tool.l10n]\npo_wrap = "keep"\n'), encoding="utf-8")


def merge_all(project, l10n, expect: int | None = 0):
    """``update`` merging every file again, as on a fresh clone."""
    shutil.rmtree(project / ".l10n-cache", ignore_errors=True)
    return l10n(project, "update", "--all", expect=expect)


# -- po_wrap = "keep": the width a file was found at --------------------------------------

WIDTHS = [["--no-wrap"]] + [[f"--width={n}"] for n in (20, 33, 60, 79, 100, 160)]


@pytest.mark.parametrize("opts", WIDTHS, ids=lambda o: o[0])
def test_keep_writes_back_a_file_msgcat_saved_at_any_width(project, l10n, opts):
    keep(project)
    files = sorted((project / "locales").glob("*/*.po"))      # German and Chinese (CJK) text
    for path in files:
        r = gnu("msgcat", *opts, str(path), "-o", str(path))
        assert r.returncode == 0, r.stderr
    before = {p: p.read_bytes() for p in files}
    merge_all(project, l10n)
    assert {p: p.read_bytes() for p in files} == before


def quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def odd_file() -> str:
    """Everything whose layout depends on the width: plural forms, previous and
    obsolete entries, context, long references, escapes, CJK, one word longer
    than any line, portions after newlines."""
    words = ("the corridor trade, port rail-logistics (Chongqing) Europe; "
             "国际陆海贸易新通道合作发展 「引号」 "
             "https://example.com/a/very/long/path/without/any/break 2023 "
             '4,500 TEU\ttab "quoted" back\\slash').split(" ")
    out = [HEADER]
    for i in range(120):
        text = " ".join(words[(i * 7 + k * 3) % len(words)] for k in range(1 + i % 37))
        if i % 4 == 0:
            text = text.replace(" ", "\n", 2)
        quoted, backwards = quote(text), quote(text[::-1])
        refs = " ".join(f"source/a-long-folder-name/page-{j}.html:{j * 7}" for j in range(i % 9))
        entry = [f"#: {refs}"] if refs else []
        prefix = "#~ " if i % 13 == 0 else ""
        if i % 6 == 0:
            entry += ["#, fuzzy", f'{"#~|" if prefix else "#|"} msgid "old {quote(text[:150])}"']
        if i % 9 == 0:
            entry.append(f'{prefix}msgctxt "ctx {quote(text[:90])}"')
        entry.append(f'{prefix}msgid "s{i} {quoted}"')
        if i % 11 == 0:
            entry += [f'{prefix}msgid_plural "p {quoted}"', f'{prefix}msgstr[0] "{quoted}"',
                      f'{prefix}msgstr[1] "{quoted} x"']
        else:
            entry.append(f'{prefix}msgstr "{backwards}"')
        out.append("\n".join(line for line in entry if not (prefix and line.startswith("#:"))))
    return "\n\n".join(out) + "\n"


@pytest.mark.parametrize("opts", WIDTHS + [["--width=25"], ["--width=80"], ["--width=400"]],
                         ids=lambda o: o[0])
def test_found_width_writes_every_layout_msgcat_made_unchanged(tmp_path, opts):
    source = tmp_path / "odd.po"
    source.write_text(odd_file(), encoding="utf-8")
    assert msgfmt_error(source) is None
    made = gnu("msgcat", *opts, str(source)).stdout
    width = io.found_width(made)
    assert pofile.serialize(pofile.parse(made), width) == made, (opts, width)


def test_found_width_is_the_width_the_breaks_prove(tmp_path):
    """79 when it is consistent, else the narrowest consistent width, 0 for
    a file whose long lines were never broken."""
    source = tmp_path / "odd.po"
    source.write_text(odd_file(), encoding="utf-8")
    found = {opts[0]: io.found_width(gnu("msgcat", *opts, str(source)).stdout)
             for opts in (["--no-wrap"], ["--width=33"], ["--width=79"], ["--width=100"])}
    assert found["--no-wrap"] == 0 and found["--width=79"] == 79
    assert 30 <= found["--width=33"] <= 33 and 95 <= found["--width=100"] <= 100


def test_a_long_line_typed_into_a_wrapped_file_is_wrapped_like_the_rest(project, l10n):
    """One line someone typed without wrapping says less than the breaks of
    every other entry: only that line is wrapped, at the file's width."""
    keep(project)
    path = project / "locales" / "de" / f"{ASIA}.po"
    gnu("msgcat", "--width=100", str(path), "-o", str(path))
    wrapped = path.read_text(encoding="utf-8")
    target = next(e for e in catalog.load(path) if len(e.msgstr) > 200 and "\n" not in e.msgstr)
    at_100 = "\n".join(wrap.wrap("msgstr", target.msgstr, "", 100))
    one_line = "\n".join(wrap.wrap("msgstr", target.msgstr, "", 0))
    assert at_100 in wrapped and "\n" not in one_line
    path.write_text(wrapped.replace(at_100, one_line), encoding="utf-8")
    merge_all(project, l10n)
    assert path.read_text(encoding="utf-8") == wrapped


def test_a_width_under_20_is_msgcats_20(tmp_path, project, l10n):
    toml = project / "pyproject.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "[tool.l10n]\n", "[tool.l10n]\npo_wrap = 10\n"), encoding="utf-8")
    merge_all(project, l10n)
    for path in sorted((project / "locales").glob("*/*.po")):
        assert path.read_text(encoding="utf-8") == gnu("msgcat", "--width=10", str(path)).stdout
        msgfmt_check(path)


# -- a header naming another charset than the file's ----------------------------------------

def test_a_header_saying_latin1_over_utf8_is_an_error_at_the_header(project, l10n):
    path = project / "locales" / "de" / "_site.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("charset=UTF-8", "charset=ISO-8859-1"), encoding="utf-8")
    line = text[:text.index("charset=UTF-8")].count("\n") + 1
    before = path.read_bytes()
    for command in (("status",), ("update", "--all")):
        r = l10n(project, *command, expect=2)
        assert re.search(rf"_site\.po:{line}: the header says charset=ISO-8859-1 but the file is "
                         r"UTF-8 \('ä' would read as 'Ã¤'\): change the header to charset=UTF-8",
                         r.stderr), r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert path.read_bytes() == before


def test_a_file_really_in_latin1_is_read_as_latin1_and_written_as_utf8(project, l10n):
    path = project / "locales" / "de" / "_site.po"
    text = path.read_text(encoding="utf-8")         # the glossary's Chinese has no Latin-1 form
    path.write_text("".join(line for line in text.splitlines(True) if "重庆" not in line),
                    encoding="utf-8")
    r = gnu("msgconv", "--to-code=ISO-8859-1", str(path), "-o", str(path))
    assert r.returncode == 0, r.stderr
    assert b"Datenschutzerkl\xe4rung" in path.read_bytes()
    merge_all(project, l10n)
    text = path.read_text(encoding="utf-8")
    assert "Unsere Datenschutzerklärung & Cookie-Richtlinie" in text and "charset=UTF-8" in text
    msgfmt_check(path)


def test_charset_mismatch_through_the_library_is_one_l10n_error(tmp_path):
    path = tmp_path / "x.po"
    utf8 = '\nmsgid "a"\nmsgstr "日本語"\n'.encode("utf-8")
    path.write_bytes(HEADER.replace("UTF-8", "EUC-JP").encode() + utf8)
    with pytest.raises(L10nError) as info:
        catalog.load(path)
    assert info.value.line == 3 and "charset=EUC-JP but the file is UTF-8" in info.value.message


# -- syntax: what msgfmt rejects, at the line it names; what it accepts ----------------------

#: snippets msgfmt rejects, with its own words for the problem where it has them
REJECTED = {
    "plural with a plain msgstr": ('msgid "a"\nmsgid_plural "as"\nmsgstr "x"\n', ""),
    "no msgstr[0]": ('msgid "b"\nmsgid_plural "bs"\nmsgstr[1] "x"\n',
                     "first plural form has nonzero index"),
    "huge index": ('msgid "c"\nmsgid_plural "cs"\nmsgstr[99999999999999999999] "x"\n',
                   "first plural form has nonzero index"),
    "wrong index": ('msgid "c"\nmsgid_plural "cs"\nmsgstr[0] "x"\nmsgstr[2] "y"\n',
                    "plural form has wrong index"),
    "live msgid, obsolete msgstr": ('msgid "d"\n#~ msgstr "obsolete msgstr"\n',
                                    "inconsistent use of #~"),
    "obsolete msgid, live msgstr": ('#~ msgid "d"\nmsgstr "x"\n', "inconsistent use of #~"),
    "second header": ('msgid ""\nmsgstr "Last-Translator: Someone Else <se@example.com>\\n"\n',
                      "duplicate message definition"),
    "obsolete header": ('#~ msgid ""\n#~ msgstr "Last-Translator: Someone\\n"\n',
                        "duplicate message definition"),
    "obsolete twin": ('#~ msgid "Cookie notice"\n#~ msgstr "Alt"\n',
                      "duplicate message definition"),
    "msgstr[n] without msgid_plural": ('msgid "e"\nmsgstr[0] "x"\n',
                                       "missing 'msgid_plural' section"),
    "msgid_plural without msgstr[]": ('msgid "e"\nmsgid_plural "es"\n\nmsgid "f"\nmsgstr ""\n',
                                      "missing 'msgstr[]' section"),
    "msgid without msgstr": ('msgid "e"\n\nmsgid "f"\nmsgstr ""\n', "missing 'msgstr' section"),
    "two msgctxt": ('msgctxt "a"\nmsgctxt "b"\nmsgid "x"\nmsgstr "y"\n', ""),
    "#| msgctxt alone": ('#| msgctxt "old"\nmsgid "g"\nmsgstr "y"\n', ""),
    "two #| msgid": ('#| msgid "q"\n#| msgid "r"\nmsgid "g"\nmsgstr "y"\n', ""),
    "#| msgid, then obsolete msgid": ('#| msgid "q"\n#~ msgid "g"\n#~ msgstr "y"\n',
                                      "inconsistent use of #~"),
    "msgstr twice": ('msgid "h"\nmsgstr "x"\nmsgstr "y"\n', ""),
    "C escape msgfmt lacks": ("msgid \"i\"\nmsgstr \"it\\'s\"\n", "invalid control sequence"),
    "EOT escape": ('msgid "j\\004"\nmsgstr "x"\n', "context separator <EOT> within string"),
    "raw EOT": ('msgid "j\x04k"\nmsgstr "x"\n', "context separator <EOT> within string"),
    "unknown keyword": ('msgid "k" msgstr "x" junk\n', 'keyword "junk" unknown'),
    "ideographic space": ('msgid "l"\u3000msgstr "x"\n', ""),
}


@pytest.mark.parametrize("snippet, words", REJECTED.values(), ids=REJECTED.keys())
def test_what_msgfmt_rejects_is_an_error_at_its_line_and_changes_nothing(project, l10n, snippet,
                                                                         words):
    path = project / "locales" / "de" / "_site.po"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + snippet, encoding="utf-8")
    gnu_error = msgfmt_error(path)
    assert gnu_error is not None and words in gnu_error[1], gnu_error
    before = {p: p.read_bytes() for p in (project / "locales").rglob("*.po")}
    r = merge_all(project, l10n, expect=2)
    assert re.search(rf"_site\.po:{gnu_error[0]}: (PO syntax error: )?{re.escape(words)}",
                     r.stderr), (gnu_error, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert {p: p.read_bytes() for p in (project / "locales").rglob("*.po")} == before


ACCEPTED = {
    "one line": 'msgid "f"    msgstr "one line"\n',
    "strings side by side": 'msgid "f" "g"  msgstr "one" " line"\n',
    "keywords alone on their lines": 'msgid\n"h"\nmsgstr\n"x"\n',
    "plural forms on one line": 'msgid "a" msgid_plural "b" msgstr [ 0 ] "x" msgstr[1]"y"\n',
    "no spaces": 'msgid"i"msgstr"j"\n',
    "tabs and form feeds": 'msgid\t"k"\f\vmsgstr "l"\n',
    "obsolete on one line": '#~ msgid "m" msgstr "n"\n',
    "obsolete, no space": '#~msgid "o"\n#~msgstr "p"\n',
    "indented comment": '  #, fuzzy\nmsgid "q"\nmsgstr "r"\n',
    "comment after msgstr": 'msgid "s"\nmsgstr "t" # for the next entry\nmsgid "u"\nmsgstr "v"\n',
    "previous msgid spread": '#, fuzzy\n#|  msgid "w"\n#|"x"\nmsgid "y"\nmsgstr "z"\n',
    "two entries on a line": 'msgid "aa" msgstr "bb" msgid "cc" msgstr "dd"\n',
    # an editor's auto-indent leaves blanks on the empty lines between entries
    "lines of blanks only": 'msgid "ee"\nmsgstr "ff"\n    \n\t\n\f\n#~  \nmsgid "gg"\n  \nmsgstr "hh"\n',
}


@pytest.mark.parametrize("snippet", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_what_msgfmt_accepts_reads_as_msgcat_reads_it(project, l10n, snippet):
    path = project / "locales" / "de" / "_site.po"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + snippet, encoding="utf-8")
    assert msgfmt_error(path) is None
    normalised = gnu("msgcat", str(path)).stdout
    assert pofile.serialize(catalog.load(path)) == normalised      # the same entries, read alike
    merge_all(project, l10n)
    msgfmt_check(path)


def test_an_entry_without_msgstr_is_named_by_its_own_msgid_line(project, l10n):
    path = project / "locales" / "de" / f"{ASIA}.po"
    text = path.read_text(encoding="utf-8")
    entry = 'msgid "Internet of Things & Smart City"\nmsgstr "Internet der Dinge & Smart City"\n'
    assert entry in text
    path.write_text(text.replace(entry, entry.split("\n")[0] + "\n"), encoding="utf-8")
    line = text[:text.index(entry)].count("\n") + 1
    assert msgfmt_error(path) == (line, "missing 'msgstr' section")
    r = l10n(project, "update", "--all", expect=2)
    assert f"{ASIA}.po:{line}: PO syntax error: missing 'msgstr' section" in r.stderr


def test_two_msgctxt_lines_are_a_syntax_error_at_the_second(project, l10n):
    path = project / "locales" / "de" / f"{ASIA}.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\nmsgctxt "a"\nmsgctxt "b"\nmsgid "x"\nmsgstr "y"\n', encoding="utf-8")
    line = text.count("\n") + 3
    assert msgfmt_error(path) == (line, "syntax error")
    r = l10n(project, "update", "--all", expect=2)
    assert f"{ASIA}.po:{line}: PO syntax error: expected msgid after msgctxt, found msgctxt" \
        in r.stderr and "msgstr" not in r.stderr


# -- the Language header, as the translator's tool wrote it -----------------------------------

def test_a_language_naming_our_locale_another_way_is_kept(project, l10n):
    """zh_CN is zh_Hans (an alias), de_DE what de means (CLDR's likely
    territory): msgmerge keeps them, so do we; a code for another region or
    one Babel does not know is put right; one for another language or script
    stays, for the check to report."""
    de, zh = project / "locales" / "de", project / "locales" / "zh_Hans"
    site_de, site_zh, asia_de, asia_zh = de / "_site.po", zh / "_site.po", de / f"{ASIA}.po", \
        zh / f"{ASIA}.po"
    media_de, media_zh = de / f"{MEDIA}.po", zh / f"{MEDIA}.po"
    wanted = {site_de: ("de", "de_DE", "de_DE"), site_zh: ("zh_Hans", "zh_CN", "zh_CN"),
              asia_zh: ("zh_Hans", "zh-Hans", "zh-Hans"), media_de: ("de", "de_AT", "de"),
              asia_de: ("de", "Deutsch", "de"),
              # another script: kept, as the evidence the language check reports
              media_zh: ("zh_Hans", "zh_TW", "zh_TW")}
    for path, (ours, theirs, _) in wanted.items():
        text = path.read_text(encoding="utf-8")
        assert f'"Language: {ours}\\n"' in text
        path.write_text(text.replace(f'"Language: {ours}\\n"', f'"Language: {theirs}\\n"'),
                        encoding="utf-8")
    merge_all(project, l10n)
    merge_all(project, l10n)            # and it stays so: nothing flips back and forth
    for path, (_, _, after) in wanted.items():
        assert f'"Language: {after}\\n"' in path.read_text(encoding="utf-8"), path.name
        msgfmt_check(path)


HEBREW_4 = "nplurals=4; plural=(n == 1) ? 0 : ((n == 2) ? 1 : ((n > 10 && n % 10 == 0) ? 2 : 3));"


@pytest.mark.parametrize("rule,kept", [
    (HEBREW_4, True),                               # older CLDR, Weblate
    ("nplurals=2; plural=(n != 1);", True),         # msginit
    ("nplurals=2; plural=(n > 5 ? 3 : 0);", False),   # a value past nplurals: msgfmt refuses it
    ("nplurals=3; plural=n ==;", False),            # not a rule
])
def test_a_files_own_valid_plural_rule_is_kept(bare_project, l10n, rule, kept):
    """CLDR and the tools disagree on Hebrew's forms; msgmerge keeps the file's
    rule, and rewriting it at each update flipped it with each translator's save."""
    l10n(bare_project, "update", "-l", "he")
    path = bare_project / "locales" / "he" / f"{ASIA}.po"
    text = path.read_text(encoding="utf-8")
    ours = re.search(r'"Plural-Forms: (.*)\\n"', text).group(1)
    path.write_text(text.replace(ours, rule), encoding="utf-8")
    page = bare_project / "source" / f"{ASIA}.html"        # a change, so the file is merged
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", "</h1><p>A new line.</p>", 1),
                    encoding="utf-8")
    l10n(bare_project, "update", "-l", "he")
    assert catalog.load(path).metadata["Plural-Forms"] == (rule if kept else ours)
    msgfmt_check(path)


def test_field_widths_are_exactly_the_widths_that_write_those_lines():
    """``field_widths`` runs ``wrap`` backwards: a width is in the interval it
    gives for a field's lines if and only if ``wrap`` at that width writes
    those lines, for text of every kind (Unicode line breaks, joiners and
    combining marks take the state machine's path)."""
    from hypothesis import given, settings, strategies as st

    plain = ' aab-,.!/国际「」\u00ad\\"\n\t'
    words = st.lists(st.sampled_from(["a", "bb", "a-b", "国际", "「x」", " ", " ", "\\", '"', "\n",
                                      "https://example.com/a/long/path",
                                      "Donaudampfschifffahrtsgesellschaftskapitän"]),
                     max_size=40).map("".join)
    text = words | st.text(alphabet=plain, max_size=150) | \
        st.text(alphabet=plain + "\u2028\u200d\u0301", max_size=70)

    @settings(max_examples=400, deadline=None)
    @given(text, st.sampled_from(["msgid", "msgstr[1]", "msgctxt"]),
           st.sampled_from(["", "#~ ", "#| "]), st.sampled_from([0, 20, 23, 30, 41, 60, 79]))
    def exact(value, name, prefix, width):
        lines = wrap.wrap(name, value, prefix, width)
        texts = [line[line.index('"') + 1:-1] for line in lines]
        found = wrap.field_widths(name, texts, prefix)
        assert found is not None
        lo, hi = found
        for w in range(wrap.MIN_WIDTH, 130):
            assert (lo <= w <= hi) == (wrap.wrap(name, value, prefix, w) == lines), (w, found)
        assert (hi == float("inf")) == (wrap.wrap(name, value, prefix, 0) == lines)
    exact()
