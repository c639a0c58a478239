"""Issue 12/13: PO files written byte for byte as GNU gettext writes them, and
read back whatever they hold. Compared with the real msgcat/msgmerge/msgfmt."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import REPO, msgfmt_check
from l10n_tool import catalog
from l10n_tool.catalog import pofile
from l10n_tool.catalog.io import KEEP
from l10n_tool.errors import L10nError

CORPUS = Path("/work/shared/corpus/real-pages")
#: a Chinese page, Czech, right-to-left, an encyclopedia page, French
CORPUS_PAGES = ["youth", "aktualne", "rtl-1", "wikipedia-4", "lemonde-1"]


def gettext(tool: str, *args: str) -> str:
    exe = shutil.which(tool)
    assert exe, f"{tool} (Debian package gettext) is required; .ci/run installs it"
    r = subprocess.run([exe, *args], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def resave(path: Path, out: Path, width) -> bytes:
    """Our load + save of a file, as bytes."""
    po = catalog.load(path)
    out.unlink(missing_ok=True)
    catalog.save(po, out, width=width)
    return out.read_bytes()


def assert_same_as_msgcat(path: Path, tmp_path: Path) -> None:
    for opts, width in (([], 79), (["--no-wrap"], 0), (["-w", "60"], 60)):
        gnu = tmp_path / f"gnu{len(opts)}.po"
        gettext("msgcat", *opts, str(path), "-o", str(gnu))
        assert resave(gnu, tmp_path / "ours.po", width) == gnu.read_bytes(), (path, opts)


def catalog_files(root: Path) -> list[Path]:
    return sorted(root.glob("locales/*/*.po")) + sorted(root.glob("locales/templates/*.pot"))


def test_repository_catalogs_come_back_byte_identical_after_msgcat(tmp_path):
    files = catalog_files(REPO)
    assert files
    for path in files:
        assert_same_as_msgcat(path, tmp_path)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not on this machine")
def test_corpus_catalogs_come_back_byte_identical_after_msgcat_and_msgmerge(tmp_path, l10n):
    project = tmp_path / "corpus"
    (project / "source").mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", project)
    shutil.copy(REPO / "glossary.csv", project)
    for name in CORPUS_PAGES:
        shutil.copy(CORPUS / name / "source.html", project / "source" / f"{name}.html")
    l10n(project, "extract")
    l10n(project, "update", "--all")
    files = catalog_files(project)
    assert len(files) > len(CORPUS_PAGES)
    assert any(wrap_cjk(p) for p in files), "a catalog with CJK text"
    for path in files:
        assert_same_as_msgcat(path, tmp_path)
    # msgmerge --previous output, for a PO and its template
    pot = project / "locales" / "templates" / "youth.pot"
    po = project / "locales" / "zh_Hans" / "youth.po"
    merged = tmp_path / "merged.po"
    gettext("msgmerge", "--previous", "-q", str(po), str(pot), "-o", str(merged))
    assert resave(merged, tmp_path / "ours.po", 79) == merged.read_bytes()


def wrap_cjk(path: Path) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in path.read_text(encoding="utf-8"))


ODD = ["a\u2028b", "para\u2029graph", "nel\u0085here", "fs\x1cgs\x1drs\x1e", "form\x0cfeed\x0b",
       'tab\there "quoted" back\\slash', "x" * 200, "word " * 30,
       "see http://example.com/" + "a" * 100 + " tail", "中文句子，" * 20,
       "混合 English 和中文 text with 数字 123,456.78 和标点。" * 3, "line one\nline two\n",
       "ends with newline " * 6 + "\n", "a\n\nb", "“引号”《书名》（括号）" * 8,
       "über-lange-Bindestrich-Wörter-die-nicht-enden " * 4,
       "$5 and 15% off (really) [sure] {ok} -5 +3 a/b/c x—y z–w ... !?" * 2,
       "日本語のテキスト、ひらがなとカタカナ。" * 6, "한국어 텍스트 입니다 " * 8,
       "emoji 😀😀 🇩🇪🇫🇷 test " * 6, "  leading and trailing  " * 4, "e\u0301\u200b\u00a0x " * 20]


def odd_strings(n: int = 150) -> list[str]:
    rnd = random.Random(12)
    alphabet = list("abc  ,.;:!?-/()[]\"'\\\t\n中文，。“”《》（）%$#0129") + [
        "\u2028", "\u00a0", "\u200b", "\u0301", "—", "…", "\x1c", "\u0085"]
    return ODD + ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 180)))
                  for _ in range(n)]


def odd_catalog() -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8",
                   "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for i, s in enumerate(odd_strings()):
        po.append(polib.POEntry(msgid=f"#{i} {s}", msgstr=f"#{i} {s.upper()}", tcomment="t",
                                occurrences=[("f.html", str(i))], obsolete=i % 7 == 0))
    plural = polib.POEntry(msgid="one\u2028page", msgid_plural="%d pages",
                           msgstr_plural={0: "eine\u2028Seite", 1: "%d Seiten"})
    po.append(plural)
    return po


def test_strings_with_unicode_line_breaks_read_back_and_match_msgcat(tmp_path):
    path = tmp_path / "odd.po"
    catalog.save(odd_catalog(), path)
    msgfmt_check(path)
    back = {(e.msgid, e.obsolete): (e.msgstr, e.msgstr_plural) for e in catalog.load(path)}
    want = {(e.msgid, e.obsolete): (e.msgstr, e.msgstr_plural) for e in odd_catalog()}
    assert back == want
    assert_same_as_msgcat(path, tmp_path)


def test_line_separators_in_a_catalog_survive_update_and_reload(project, l10n):
    """Text with U+2028, U+0085 or U+001C (from a page, or typed in Poedit) is
    written raw, as GNU does; every command must read the file back."""
    slug = "asia-europe-cooperation-bring-development-opportunities-to-chongqing"
    po_path = project / "locales" / "zh_Hans" / f"{slug}.po"
    po = catalog.load(po_path)
    target = next(e for e in po if e.msgstr and not e.obsolete)
    target.msgstr = f"{target.msgstr}\u2028第二行\u0085\x1c"
    target.tcomment = "note\u2029more"
    catalog.save(po, po_path)
    page = project / "source" / f"{slug}.html"     # a source change: update rewrites the file
    page.write_text(page.read_text(encoding="utf-8").replace("Esko Aho thought", "Esko Aho held"),
                    encoding="utf-8")
    l10n(project, "update", "--all")
    l10n(project, "update", "--all")               # reads back what it wrote
    l10n(project, "status")
    assert l10n(project, "check", "-l", "zh_Hans", expect=None).exit_code in (0, 1)
    msgfmt_check(po_path)
    back = {e.msgid: e for e in catalog.load(po_path)}[target.msgid]
    assert back.msgstr == target.msgstr and back.tcomment == "note\u2029more"


def test_duplicate_msgid_error_names_both_lines(tmp_path):
    path = tmp_path / "dup.po"
    path.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgid "a"\nmsgstr ""\n\nmsgid "b"\nmsgstr ""\n\nmsgid "a"\nmsgstr "x"\n',
                    encoding="utf-8")
    with pytest.raises(L10nError) as info:
        catalog.load(path)
    assert info.value.line == 10 and "line 4" in info.value.message


@pytest.mark.parametrize("text, line", [
    ('msgid "a"\nmsgstr "b\n', 2),                  # unterminated string
    ('msgid "a"\n', 1),                             # no msgstr
    ('msgstr "b"\n', 1),                            # no msgid
    ('msgid "a"\nmsgstr "b"\n"\\q"\n', 3),          # bad escape
    ('msgid "a"\nmsgtxt "b"\n', 2),                 # unknown keyword
])
def test_syntax_errors_have_their_line(tmp_path, text, line):
    path = tmp_path / "bad.po"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(L10nError) as info:
        catalog.load(path)
    assert info.value.line == line and "PO syntax error" in info.value.message


def test_a_file_msgcat_or_msgmerge_saved_comes_back_from_update_unchanged(project, l10n, tmp_path):
    l10n(project, "update", "--all")
    files = sorted((project / "locales").glob("*/*.po"))
    for n, path in enumerate(files):
        if n % 2:   # msgmerge re-sorts the header fields; as its own template, nothing else moves
            gettext("msgmerge", "--previous", "-q", str(path), str(path), "-o", str(path))
        else:
            gettext("msgcat", str(path), "-o", str(path))
    before = {p: p.read_bytes() for p in files}
    shutil.rmtree(project / ".l10n-cache", ignore_errors=True)     # merge every file again
    l10n(project, "update", "--all")
    assert {p: p.read_bytes() for p in files} == before


def test_msgmerge_with_the_repository_pot_and_update_agree(project, l10n):
    """A translator merges with the POT themselves; `l10n update` then changes
    nothing, glossary comments included (they are the same in POT and PO)."""
    l10n(project, "update", "--all")
    templates = project / "locales" / "templates"
    files = sorted((project / "locales").glob("*/*.po"))
    for path in files:
        gettext("msgmerge", "--previous", "-q", str(path), str(templates / f"{path.stem}.pot"),
                "-o", str(path))
    before = {p: p.read_bytes() for p in files}
    shutil.rmtree(project / ".l10n-cache", ignore_errors=True)     # merge every file again
    l10n(project, "update", "--all")
    assert {p: p.read_bytes() for p in files} == before


def test_keep_follows_the_wrapping_the_file_was_found_in(tmp_path):
    src = REPO / "locales" / "zh_Hans"
    path = tmp_path / "x.po"
    for opts in ([], ["--no-wrap"]):
        gettext("msgcat", *opts, str(next(src.glob("*.po"))), "-o", str(path))
        before = path.read_bytes()
        po = catalog.load(path)
        assert not catalog.save(po, path, width=KEEP)
        assert path.read_bytes() == before


def test_parse_is_linear_and_keeps_msgid_lines():
    text = pofile.serialize(odd_catalog())
    po = pofile.parse(text)
    lines = text.split("\n")
    for e in po:
        assert lines[e.linenum - 1].lstrip("#~ ").startswith("msgid ")


def test_octal_and_hex_escapes_read_as_utf8_bytes_like_msgcat(tmp_path):
    path = tmp_path / "esc.po"
    path.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    'msgid "caf\\303\\251 \\x41"\nmsgstr "x"\n', encoding="utf-8")
    assert [e.msgid for e in catalog.load(path)] == ["café A"]
    assert_same_as_msgcat(path, tmp_path)


from hypothesis import given, settings, strategies as st  # noqa: E402

from l10n_tool.catalog import wrap  # noqa: E402


@settings(max_examples=400, deadline=None)
@given(st.lists(st.integers(0, len(wrap._PAIRS) - 1), max_size=30))
def test_the_pair_table_pattern_breaks_where_the_state_machine_does(classes):
    """Class strings without the classes that need the full machine take one
    regular expression; it must agree with the machine's pair-table loop."""
    classes = [c for c in classes if c not in wrap._SPECIAL]
    assert wrap.possible_linebreaks("".join(map(chr, classes))) == \
        wrap.possible_linebreaks(classes)
