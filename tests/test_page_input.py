"""What counts as a source page, and how its bytes become text.

Every case here once let one odd file in source/ publish markup its reader
never saw, or stop the whole site: a charset label only Python knows, a
hidden draft, a folder with a page's name, a file name that is not UTF-8 or
holds a line break, a broken symlink. Each goes through the CLI on real files.
"""

from __future__ import annotations

import codecs
import encodings.aliases
import os
from pathlib import Path

import polib
import pytest
import webencodings
from webencodings.labels import LABELS

PAGE = ('<!DOCTYPE html>\n<html lang="en">\n<head>{head}<title>A page</title></head>\n'
        "<body><h1>Heading here</h1><p>{body}</p></body></html>\n")
GOOD = PAGE.format(head='<meta charset="utf-8">', body="Some text.").encode("utf-8")

#: Python's name of every codec a browser decodes pages with (the WHATWG
#: Encoding Standard's), worked out apart from the code under test
BROWSER_CODECS = {codecs.lookup(e.codec_info.name).name
                  for e in map(webencodings.lookup, set(LABELS.values()))
                  if e.name not in ("replacement", "x-user-defined")}


def site(tmp_path: Path, pages: dict[str, bytes]) -> Path:
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nlocales = ["de"]\nbase_url = "https://example.org/"\n'
        "[tool.l10n.publish]\nmin_complete = 0\n", encoding="utf-8")
    for name, data in pages.items():
        (root / "source" / name).write_bytes(data)
    return root


def pipeline(l10n, root: Path, expect: int = 0) -> dict[str, object]:
    """Every step a newsroom runs, each expected to end with ``expect`` (the
    steps that list pages) or 0 (translate and check, which report none)."""
    out = {}
    for step, args in (("extract", ()), ("update", ("-l", "de")),
                       ("translate", ("-l", "de", "--engine", "pseudo")), ("check", ("-l", "de")),
                       ("publish", ("-l", "de", "--include-fuzzy")), ("status", ("-l", "de"))):
        code = 0 if step in ("translate", "check", "status") else expect
        out[step] = r = l10n(root, step, *args, expect=code)
        assert "internal error" not in r.stdout + r.stderr, r
    return out


def names(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def detected(lines: list[str]) -> set[str]:
    """The codecs that warnings say a guess read pages with."""
    return {codecs.lookup(line.rsplit("read as ", 1)[1].split(" ")[0]).name
            for line in lines if "read as " in line}


def one_line_errors(stderr: str) -> list[str]:
    """stderr's lines, each of them checked to be a whole message."""
    lines = stderr.splitlines()
    assert all(line.startswith(("error: ", "warning: ")) for line in lines), stderr
    return lines


# -- charset labels: only what browsers know ---------------------------------------------

@pytest.mark.parametrize("label, text", [
    ("utf-7", "+ADw-script+AD4-alert(1)+ADw-/script+AD4- +ADw-img src+AD0-x onerror+AD0-alert(2)+AD4-"),
    ("unicode_escape", r"\x3cscript\x3ealert(1)\x3c/script\x3e"),
    ("raw_unicode_escape", r"\u003cscript\u003ealert(1)\u003c/script\u003e"),
])
def test_a_charset_only_python_knows_is_ignored_as_browsers_ignore_it(tmp_path, l10n, label, text):
    """A browser shows these bytes as the literal text they are; decoding them
    through Python's codec of that name would publish a live <script>."""
    root = site(tmp_path, {"p.html": PAGE.format(head=f'<meta charset="{label}">',
                                                 body=text).encode("ascii")})
    runs = pipeline(l10n, root)
    assert f"warning: source/p.html: declares unknown charset '{label}' (line 3)" \
        in runs["extract"].stderr
    for lang in ("en", "de"):
        page = (root / "public" / lang / "p.html").read_text(encoding="utf-8")
        assert "<script" not in page and "<img" not in page and "onerror=" not in page
    assert text in (root / "public" / "en" / "p.html").read_text(encoding="utf-8")


def test_a_charset_browsers_refuse_is_an_error_for_that_page_only(tmp_path, l10n):
    labels = {"kr.html": "iso-2022-kr", "cs.html": "csiso2022kr", "hz.html": "hz-gb-2312",
              "cn.html": "iso-2022-cn", "ext.html": "iso-2022-cn-ext"}
    pages = {name: PAGE.format(head=f'\n\n<meta charset="{label}">', body="안녕 +ADw-b+AD4-")
             .encode("iso2022_kr") for name, label in labels.items()}
    root = site(tmp_path, {**pages, "good.html": GOOD})
    runs = pipeline(l10n, root, expect=1)
    for step in ("extract", "update", "publish"):
        lines = one_line_errors(runs[step].stderr)
        for name, label in labels.items():
            found = [line for line in lines if line.startswith(f"error: source/{name}:")]
            assert len(found) == 1, runs[step]
            assert found[0].startswith(f"error: source/{name}:5: declares charset {label}, "
                                       "which browsers refuse to show")
    assert names(root / "locales" / "templates") == {"good.pot"}
    assert names(root / "public" / "en") == {"good.html", "index.html"}


def test_labels_keep_their_web_meaning(tmp_path, l10n):
    """The web reads a label as the superset its pages really use (the codec
    of the same name in Python is stricter), a <meta> cannot mean UTF-16, and
    x-user-defined in a page is windows-1252: each is read with no warning."""
    cases = {"latin1.html": ("iso-8859-1", "cp1252", "“Grüße” aus Köln"),
             "gb.html": ("gb2312", "gbk", "朱镕基"),                 # 镕: GBK only
             "sjis.html": ("shift_jis", "cp932", "①番目の髙橋"),     # NEC and IBM extensions
             "kr.html": ("euc-kr", "cp949", "똠방각하"),             # 똠: UHC only
             "big5.html": ("big5", "big5hkscs", "香港の嗰度"),         # 嗰: HKSCS only
             "u16.html": ("utf-16", "utf-8", "Grüße aus Köln"),
             "xud.html": ("x-user-defined", "cp1252", "“Grüße” aus Köln")}
    pages = {name: PAGE.format(head=f'<meta charset="{label}">', body=text).encode(codec)
             for name, (label, codec, text) in cases.items()}
    root = site(tmp_path, pages)
    r = l10n(root, "extract")
    assert r.stderr == ""
    for name, (_, _, text) in cases.items():
        pot = polib.pofile(str(root / "locales" / "templates" / name.replace(".html", ".pot")))
        assert text in [e.msgid for e in pot], name


LABELS_PYTHON_DECODES = [
    "base64", "rot13", "hex_codec", "zlib", "bz2", "uu_codec", "quopri_codec", "punycode",
    "undefined", "idna", "mbcs", "oem", "raw_unicode_escape", "unicode_escape", "utf-7",
    "utf-32", "utf_16_be", "utf_8_sig", "cp037", "cp65001", "string_escape", "x-klingon"]


def test_no_charset_label_stops_the_site(tmp_path, l10n):
    body = r"Text \x3cb\x3ebold\x3c/b\x3e +ADw-b+AD4-here+ADw-/b+AD4- PGI+aGk8L2I+ aGVsbG8="
    pages = {f"p{i:02d}.html": PAGE.format(head=f'<meta charset="{label}">', body=body)
             .encode("ascii") for i, label in enumerate(LABELS_PYTHON_DECODES)}
    root = site(tmp_path, {**pages, "good.html": GOOD})
    pipeline(l10n, root)
    assert names(root / "locales" / "templates") == {f"{slug[:-5]}.pot" for slug in [*pages, "good.html"]}
    for page in (root / "public" / "de").glob("p*.html"):
        assert "<b>" not in page.read_text(encoding="utf-8"), page.name


def test_every_codec_name_python_knows_is_a_label_or_a_page_error(tmp_path, l10n):
    """Hundreds of pages, one per name Python's codec registry answers to:
    each is read (with an encoding browsers have) or is an error of its own."""
    known = sorted(set(encodings.aliases.aliases) | set(encodings.aliases.aliases.values())
                   | set(LABELS_PYTHON_DECODES) | set(LABELS))
    body = "“Grüße” aus Köln +ADw-script+AD4- \\x3cscript\\x3e"
    pages = {f"p{i:03d}.html": PAGE.format(head=f'<meta charset="{label}">', body=body)
             .encode("cp1252") for i, label in enumerate(known)}
    root = site(tmp_path, pages)
    r = l10n(root, "extract", expect=None)
    assert r.exit_code in (0, 1), r
    lines = one_line_errors(r.stderr)
    errors = [line for line in lines if line.startswith("error: ")]
    assert all("which browsers refuse to show" in line for line in errors), errors
    assert len(errors) == sum(webencodings.lookup(label) is not None
                              and webencodings.lookup(label).name == "replacement" for label in known)
    assert detected(lines) and detected(lines) <= BROWSER_CODECS
    for pot in (root / "locales" / "templates").glob("p*.pot"):
        assert "<script" not in pot.read_text(encoding="utf-8"), pot.name


def test_the_detector_only_guesses_encodings_browsers_have(tmp_path, l10n):
    """Undeclared pages in DOS and Unix code pages: left to itself the detector
    names cp850, cp855, cp1125 or euc_jis_2004, which no browser decodes."""
    texts = {"cp850": "Déjà vu, façade, über, Øresund, señor niño año",
             "cp855": "Привет мир, как дела сегодня у вас",
             "cp1125": "Привіт світе, як справи сьогодні",
             "euc_jis_2004": "日本語のテキストです",
             "cp037": "Hello world in EBCDIC"}
    pages = {f"{codec}.html": PAGE.format(head="", body=f"{text} {text}").encode(codec)
             for codec, text in texts.items()}
    root = site(tmp_path, {**pages, "good.html": GOOD})
    r = l10n(root, "extract", expect=None)
    assert r.exit_code in (0, 1), r
    lines = one_line_errors(r.stderr)
    assert sum("read as " in line for line in lines) >= 4, lines
    assert detected(lines) <= BROWSER_CODECS, lines
    assert all("no charset reads it" in line for line in lines if line.startswith("error: "))


# -- which files are pages -----------------------------------------------------------------

def test_hidden_files_are_not_pages_in_any_step(tmp_path, l10n):
    draft = PAGE.format(head="", body="Not ready yet.").encode("utf-8")
    root = site(tmp_path, {".draft.html": draft, ".#good.html": draft, "good.html": GOOD})
    runs = pipeline(l10n, root)
    assert names(root / "locales" / "templates") == {"good.pot"}
    assert names(root / "locales" / "de") == {"good.po"}
    assert not any(".draft" in n or ".#" in n for n in names(root / "public"))
    assert "draft" not in runs["status"].stdout and "Not ready" not in "".join(
        p.read_text(encoding="utf-8") for p in (root / "public").rglob("*.html"))


def test_a_folder_with_a_page_name_is_a_folder_in_every_step(tmp_path, l10n):
    root = site(tmp_path, {"good.html": GOOD})
    (root / "source" / "folder.html").mkdir()
    (root / "source" / "folder.html" / "inner.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "source" / "linked.htm").symlink_to("folder.html")
    runs = pipeline(l10n, root)
    assert all(r.stderr == "" for r in runs.values()), runs
    assert names(root / "locales" / "de") == {"good.po"}
    assert "folder" not in runs["status"].stdout
    # published as what it is, a folder of assets
    assert (root / "public" / "folder.html" / "inner.png").read_bytes() == b"\x89PNG\r\n\x1a\n"


def test_a_file_name_that_is_not_utf8_is_a_problem_of_that_page(tmp_path, l10n):
    root = site(tmp_path, {"good.html": GOOD})
    bad = root / "source" / os.fsdecode(b"caf\xe9.html")
    try:
        bad.write_bytes(GOOD)
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    runs = pipeline(l10n, root, expect=1)
    for step in ("extract", "update", "publish"):
        lines = one_line_errors(runs[step].stderr)
        assert [line for line in lines if "caf" in line] == [
            "error: source/caf\\xe9.html: file name is not valid UTF-8; rename it"
            + ("; page skipped" if step != "publish" else "")], runs[step]
    assert names(root / "locales" / "de") == {"good.po"}
    assert (root / "public" / "de" / "good.html").is_file()


def test_a_file_name_with_a_line_break_is_reported_on_one_line(tmp_path, l10n):
    root = site(tmp_path, {"good.html": GOOD, "a\nb.html": GOOD, "tab\there.html": GOOD})
    runs = pipeline(l10n, root, expect=1)
    for step in ("extract", "update", "publish"):
        lines = one_line_errors(runs[step].stderr)
        assert sorted(line.split(": file name")[0] for line in lines) == [
            "error: source/a\\nb.html", "error: source/tab\\there.html"], runs[step]
    assert names(root / "locales" / "de") == {"good.po"}
    assert names(root / "public" / "en") == {"good.html", "index.html"}


def test_symlinked_pages_that_lead_nowhere_say_why(tmp_path, l10n):
    root = site(tmp_path, {"good.html": GOOD})
    outside = tmp_path / "elsewhere.html"
    outside.write_bytes(GOOD)
    src = root / "source"
    (src / "broken.html").symlink_to("missing.html")
    (src / "loop.html").symlink_to("loop.html")
    (src / "outside.html").symlink_to(outside)
    (src / "inside.html").symlink_to("good.html")
    r = l10n(root, "extract", expect=1)
    assert sorted(one_line_errors(r.stderr)) == [
        "error: source/broken.html: a broken symlink: missing.html does not exist; not read; "
        "page skipped",
        "error: source/loop.html: a symlink in a loop (it never reaches a file); not read; "
        "page skipped",
        "error: source/outside.html: a link to a file outside the project; not read; page skipped"]
    assert names(root / "locales" / "templates") == {"good.pot", "inside.pot"}
