"""`l10n check` on catalogs as hands and translators' tools leave them (attack findings 03,
09, 11, 12): a PO file that does not parse is a finding in every report format and the
other catalogs are still checked; control characters in a msgstr; plural entries and
format strings that msgfmt --check refuses (each case is put to msgfmt too); files named
relative to the project root wherever the command runs."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from test_check import ASIA, SCHEMA, catalog_count, edit, msgid_line, po_file

BROKEN = 'msgstr "Internet der Dinge & Smart City"'


def break_catalog(project: Path) -> tuple[Path, int]:
    """An invalid escape in a German msgstr; the path and the broken line."""
    path = po_file(project, "de", ASIA)
    text = path.read_text(encoding="utf-8")
    assert text.count(BROKEN) == 1
    path.write_text(text.replace(BROKEN, BROKEN.replace("&", "\\q")), encoding="utf-8")
    return path, text[: text.index(BROKEN)].count("\n") + 1


def findings(r, *severities: str) -> list[tuple]:
    report = json.loads(r.stdout)
    jsonschema.validate(report, SCHEMA)
    return [(f["check"], f["severity"], f["file"], f["line"]) for f in report["findings"]
            if not severities or f["severity"] in severities]


def msgfmt_refuses(path: Path) -> bool:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (Debian package gettext) is required; .ci/run installs it"
    return subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(path)],
                          capture_output=True).returncode != 0


# -- a catalog that does not parse

def test_broken_catalog_is_a_finding_in_every_format_and_the_rest_is_checked(project, l10n,
                                                                              tmp_path):
    path, line = break_catalog(project)
    rel = f"locales/de/{ASIA}.po"
    site_line = edit(po_file(project, "de", "_site"), "<1>Contact Us</1>",
                     lambda s: s.replace("<1>", "").replace("</1>", ""))
    expected = [("po-syntax", "error", rel, line),
                ("placeholders", "error", "locales/de/_site.po", site_line)]

    r = l10n(project, "check", "--all", "--format", "json", expect=1)
    assert findings(r, "error", "warning") == expected
    report = json.loads(r.stdout)
    assert report["summary"]["files"] == catalog_count(project) and not report["ok"]
    mine = [f for f in report["findings"] if f["file"] == rel]
    assert [f["check"] for f in mine] == ["po-syntax"]       # nothing else read from it
    assert "invalid" in mine[0]["message"] and "\\q" in mine[0]["message"]

    github = l10n(project, "check", "--all", "--format", "github", expect=1).stdout
    assert f"::error file={rel},line={line},title=po-syntax::" in github
    assert f"::error file=locales/de/_site.po,line={site_line},title=placeholders::" in github

    text = l10n(project, "check", "--all", expect=1).stdout
    assert f"{line:>5}  error   po-syntax" in text.split(rel + "\n", 1)[1]
    assert "— FAILED" in text

    out = tmp_path / "junit.xml"
    r = l10n(project, "check", "--all", "--format", "junit", "-o", str(out), expect=1)
    assert r.stdout == "" and r.stderr == ""
    cases = {(c.get("classname"), c.get("file"), c.get("line")): c
             for c in ET.parse(out).getroot().iter("testcase")}
    assert cases[("de.po-syntax", rel, str(line))].find("failure") is not None
    assert cases[("de.placeholders", "locales/de/_site.po", str(site_line))].find("failure") \
        is not None


def test_broken_catalog_is_read_again_until_fixed_and_then_checked(project, l10n,
                                                                   monkeypatch):
    from l10n_tool import catalog

    reads = []
    real_load = catalog.load
    monkeypatch.setattr(catalog, "load", lambda path: reads.append(path) or real_load(path))

    def cached_and_fresh(expect):
        reads.clear()
        cached = l10n(project, "check", "--all", "--format", "json", expect=expect)
        seen = list(reads)
        fresh = l10n(project, "check", "--all", "--format", "json", "--no-cache", expect=expect)
        assert json.loads(cached.stdout) == json.loads(fresh.stdout)
        return seen, findings(cached, "error", "warning")

    clean = l10n(project, "check", "--all", "--format", "json").stdout      # fills the memo
    path, line = break_catalog(project)
    broken = [("po-syntax", "error", f"locales/de/{ASIA}.po", line)]
    for _ in range(2):                         # read each time: its result is never remembered
        seen, found = cached_and_fresh(1)
        assert seen == [path] and found == broken
    shutil.copy(po_file(Path(__file__).resolve().parent.parent, "de", ASIA), path)
    seen, found = cached_and_fresh(0)
    assert found == [] and json.loads(l10n(project, "check", "--all", "--format", "json").stdout) \
        == json.loads(clean)
    # fixed another way, with a real problem in it: checked like any catalog
    break_catalog(project)
    cached_and_fresh(1)
    path.write_text(path.read_text(encoding="utf-8").replace("\\q", "&"), encoding="utf-8")
    numbers = edit(path, "Up to now", lambda s: s.replace(", das sind 23 % aller Züge", ""))
    seen, found = cached_and_fresh(1)
    assert seen == [path] and found == [("numbers", "error", f"locales/de/{ASIA}.po", numbers)]


@pytest.mark.parametrize("damage", ["a folder named like a catalog", "unterminated string",
                                    "msgid without msgstr"])
def test_unreadable_catalogs_are_findings_at_their_line(project, l10n, damage):
    site = po_file(project, "zh_Hans", "_site")
    lines = site.read_text(encoding="utf-8").count("\n")
    if damage == "a folder named like a catalog":
        (project / "locales" / "zh_Hans" / "notes.po").mkdir()
        where, message = ("locales/zh_Hans/notes.po", 0), "a folder where a PO file should be"
    elif damage == "unterminated string":
        with site.open("a", encoding="utf-8") as f:
            f.write('\nmsgid "x"\nmsgstr "broken\n')
        where, message = ("locales/zh_Hans/_site.po", lines + 3), "PO syntax error"
    else:
        with site.open("a", encoding="utf-8") as f:
            f.write('\nmsgid "x"\n')
        where, message = ("locales/zh_Hans/_site.po", lines + 2), "PO syntax error"
    r = l10n(project, "check", "-l", "zh_Hans", "--format", "json", expect=1)
    bad = [f for f in json.loads(r.stdout)["findings"] if f["check"] == "po-syntax"]
    assert [(f["file"], f["line"]) for f in bad] == [where] and message in bad[0]["message"]
    github = l10n(project, "check", "-l", "zh_Hans", "--format", "github", expect=1).stdout
    at = f",line={where[1]}" if where[1] else ""      # a folder: the annotation has no line
    assert f"::error file={where[0]}{at},title=po-syntax::" in github


# -- control characters

def test_control_characters_in_a_msgstr_are_named_errors_in_reviewed_warnings_in_drafts(
        project, l10n):
    site = po_file(project, "de", "_site")
    text = site.read_text(encoding="utf-8")
    plants = {  # msgstr as it is → as planted (PO escapes where a PO editor would write them)
        'msgstr "Cookie-Hinweis"': 'msgstr "Cookie\x00Hinweis"',
        'msgstr "Ich stimme zu"': 'msgstr "Ich\x1b[31m stimme\x1c zu\x85"',
        'msgstr "Website"': 'msgstr "Web\u2028site\\b\x7f\u2029\\r"',
    }
    for old, new in plants.items():
        assert text.count(old) == 1
        text = text.replace(old, new)
    text += ('\n#, fuzzy\nmsgid "Draft text"\nmsgstr "Entwurf\\033[0m"\n'
             '\nmsgid "Tab\\there, line\u2028break"\nmsgstr "Tab\\thier, Zeilen\u2028umbruch\\n"\n')
    site.write_text(text, encoding="utf-8")
    r = l10n(project, "check", "-l", "de", "--format", "json", expect=1)
    got = sorted((f["line"], f["severity"], f["found"]) for f in json.loads(r.stdout)["findings"]
                 if f["check"] == "markup-text")
    lines = site.read_text(encoding="utf-8").split("\n")       # not polib: it splits at U+2028
    line = {m: lines.index(f'msgid "{m}"') + 1
            for m in ("Cookie notice", "I Agree", "Site", "Draft text")}
    assert got == sorted([(line["Cookie notice"], "error", "U+0000"),
                          (line["I Agree"], "error", "U+001B U+001C U+0085"),
                          (line["Site"], "error", "U+0008 U+000D U+007F U+2028 U+2029"),
                          (line["Draft text"], "warning", "U+001B")])
    for fmt in ("text", "github", "json"):
        out = l10n(project, "check", "-l", "de", "--format", fmt, expect=1).stdout
        assert not any(c in out for c in "\x00\x1b\x1c\x7f\x85\u2028"), fmt


# -- what msgfmt --check refuses: plural forms

ARTICLE = 'msgid "%d article"\nmsgid_plural "%d articles"\n'


def forms(*texts: str) -> str:
    return "".join(f'msgstr[{n}] "{t}"\n' for n, t in enumerate(texts))


@pytest.mark.parametrize("locale,entry,severity", [
    ("de", ARTICLE + forms("%d Artikel", "%d Artikel"), None),
    ("de", ARTICLE + forms("%d Artikel", "%d Artikel", "%d Artikeln"), "error"),
    ("de", ARTICLE + forms("ein Artikel"), "error"),
    ("zh_Hans", ARTICLE + forms("%d 篇文章"), None),
    ("zh_Hans", ARTICLE + forms("%d 篇文章", "%d 篇文章"), "error"),
    ("de", "#, fuzzy\n" + ARTICLE + forms("a", "b", "c"), "warning"),     # msgfmt skips drafts
    ("de", ARTICLE + forms("", "b", "c"), None),                          # ... and untranslated
])
def test_plural_forms_as_msgfmt_judges(project, l10n, locale, entry, severity):
    site = po_file(project, locale, "_site")
    with site.open("a", encoding="utf-8") as f:
        f.write("\n" + entry)
    line = max(n for n, s in enumerate(site.read_text(encoding="utf-8").split("\n"), start=1)
               if 'msgid "%d article"' in s)
    r = l10n(project, "check", "-l", locale, "--select", "plural-forms", "--format", "json",
             expect=1 if severity == "error" else 0)
    assert findings(r) == ([("plural-forms", severity, f"locales/{locale}/_site.po", line)]
                           if severity else [])
    assert msgfmt_refuses(site) == (severity == "error")


OBSOLETE_ARTICLE = "#~ " + ARTICLE.replace("\n", "\n#~ ", 1)


@pytest.mark.parametrize("entry", [ARTICLE + 'msgstr[0] "a"\nmsgstr[2] "b"\n',
                                   OBSOLETE_ARTICLE + '#~ msgstr[1] "b"\n'])
def test_plural_forms_numbered_with_a_gap_are_an_error(project, l10n, entry):
    """msgfmt refuses them as it reads the file (plural form has wrong index), obsolete too."""
    site = po_file(project, "de", "_site")
    with site.open("a", encoding="utf-8") as f:
        f.write("\n" + entry)
    r = l10n(project, "check", "-l", "de", "--format", "json", expect=1)
    lines = site.read_text(encoding="utf-8").split("\n")
    at = {n for n, s in enumerate(lines, start=1) if "%d article" in s or "msgstr[" in s}
    bad = findings(r, "error")
    assert len(bad) == 1 and bad[0][2] == "locales/de/_site.po" and bad[0][3] in at
    assert msgfmt_refuses(site)


@pytest.mark.parametrize("rule,problem", [
    ("nplurals=2; plural=n>;", "invalid plural expression"),
    ("nplurals=two; plural=n != 1;", "invalid nplurals value"),
    ("nplurals=2; plural=n;", "plural expression can produce values as large as 2"),
    ("nplurals=2; plural=n-1;", "negative values"),
])
def test_an_invalid_plural_rule_in_the_header_is_an_error(project, l10n, rule, problem):
    site = po_file(project, "de", "_site")
    text = site.read_text(encoding="utf-8")
    old = "nplurals=2; plural=(n != 1);"
    assert text.count(old) == 1
    site.write_text(text.replace(old, rule), encoding="utf-8")
    r = l10n(project, "check", "-l", "de", "--format", "json", expect=1)
    bad = [f for f in json.loads(r.stdout)["findings"] if f["severity"] == "error"]
    assert [(f["check"], f["file"], f["line"]) for f in bad] == \
        [("plural-forms", "locales/de/_site.po", 1)] and problem in bad[0]["message"]
    assert msgfmt_refuses(site)


def test_plural_entries_need_a_plural_rule_in_the_header(project, l10n):
    site = po_file(project, "de", "_site")
    header = '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
    text = site.read_text(encoding="utf-8")
    assert text.count(header) == 1
    text = text.replace(header, "")
    site.write_text(text + "\n" + ARTICLE + forms("a", "b"), encoding="utf-8")
    r = l10n(project, "check", "-l", "de", "--format", "json", expect=1)
    assert findings(r, "error") == [("plural-forms", "error", "locales/de/_site.po",
                                     msgid_line(site, "%d article"))]
    assert msgfmt_refuses(site)


# -- what msgfmt --check refuses: format strings

FORMATS = [
    # flag, msgid, msgid_plural (None: singular), msgstr forms, refused
    ("c-format", "%s of %d", None, ["%d von %s und %x"], True),
    ("c-format", "%s of %d", None, ["%d von %s"], True),                  # types swapped
    ("c-format", "%s of %d", None, ["%2$d von %1$s"], False),             # numbered: fine
    ("c-format", "%s of %d", None, ["%2$d von"], True),                   # ignores argument 1
    ("c-format", "%s of %d", None, ["%s von %ld"], True),                 # long is not int
    ("c-format", "%d items", None, ["%i Dinge"], False),
    ("c-format", "100%% sure", None, ["100% sicher"], True),              # "% s" is a directive
    ("c-format", "%*d wide", None, ["%d breit"], True),                   # * takes an argument
    ("possible-c-format", "%d", None, ["%s"], True),
    ("c-format", "%d article", "%d articles", ["ein Artikel", "%d Artikel"], False),   # n = 1 only
    ("c-format", "%d article", "%d articles", ["%d Artikel", "Artikel"], True),
    ("python-format", "%(n)s of %(m)d", None, ["%(m)d von %(n)s"], False),
    ("python-format", "%(n)s of %(m)d", None, ["%(m)d von"], True),
    ("python-format", "%(n)s of %(m)d", None, ["%(m)s von %(n)s"], True),
    ("python-format", "%s and %s", None, ["%(a)s und %s"], True),         # mapping and tuple
    ("python-format", "%d article", "%d articles", ["%d Artikel", ""], True),   # empty form
    ("python-format", "%d article", "%d articles", ["ein Artikel", "%d Artikel"], True),
    ("python-format", "%(n)d article", "%(n)d articles", ["ein Artikel", "%(n)d Artikel"], False),
    ("python-format", "%e left", None, ["%F übrig"], True),               # gettext has no %F
    ("no-c-format", "%s of %d", None, ["%d von"], False),
]


@pytest.mark.parametrize("flag,msgid,plural,texts,refused", FORMATS)
def test_format_strings_as_msgfmt_judges(project, l10n, flag, msgid, plural, texts, refused):
    site = po_file(project, "de", "_site")
    entry = f'#, {flag}\nmsgid "{msgid}"\n' + (
        f'msgid_plural "{plural}"\n' + forms(*texts) if plural else f'msgstr "{texts[0]}"\n')
    with site.open("a", encoding="utf-8") as f:
        f.write("\n" + entry)
    r = l10n(project, "check", "-l", "de", "--select", "format-strings", "--format", "json",
             expect=1 if refused else 0)
    assert bool(findings(r)) == refused == msgfmt_refuses(site)
    if refused:
        found = json.loads(r.stdout)["findings"]
        assert {(f["file"], f["line"], f["severity"]) for f in found} == \
            {("locales/de/_site.po", msgid_line(site, msgid), "error")}
        assert found[0]["message"].startswith(flag.removeprefix("possible-") + ": ")


def test_format_strings_in_a_draft_are_warnings(project, l10n):
    site = po_file(project, "de", "_site")
    with site.open("a", encoding="utf-8") as f:
        f.write('\n#, fuzzy, c-format\nmsgid "%s of %d"\nmsgstr "%d von %s"\n')
    r = l10n(project, "check", "-l", "de", "--format", "json")
    assert findings(r, "error", "warning") == [("format-strings", "warning", "locales/de/_site.po",
                                                msgid_line(site, "%s of %d"))]
    l10n(project, "check", "-l", "de", "--strict", expect=1)


# -- files named relative to the project root, wherever the command runs

def test_run_from_inside_the_project_names_files_relative_to_its_root(project, l10n,
                                                                      monkeypatch):
    path, line = break_catalog(project)
    rel = f"locales/de/{ASIA}.po"
    monkeypatch.chdir(project / "locales" / "de")
    up = Path("../..")
    r = l10n(up, "check", "--all", "--format", "json", expect=1)
    assert {f[2] for f in findings(r)} <= {p.relative_to(project).as_posix()
                                           for p in (project / "locales").glob("*/*.po")}
    assert f"file={rel},line={line}," in l10n(up, "check", "--all", "--format", "github",
                                              expect=1).stdout
    assert l10n(up, "check", "--all", expect=1).stdout.startswith("locales/")
    r = l10n(up, "check", "--all", "--ignore", "po-syntax", expect=2)
    assert r.stderr.startswith(f"error: {rel}:{line}: PO syntax error")
    assert r.stderr.count("\n") == 1
    r = l10n(up, "check", "-l", "fr", expect=2)
    assert r.stderr.startswith("error: locales/fr: no PO files")


C_PIECES = ["%d", "%i", "%s", "%u", "%x", "%ld", "%lld", "%Lf", "%f", "%g", "%c", "%lc", "%p", "%n",
            "%zu", "%jd", "%hhd", "%1$s", "%2$s", "%1$d", "%2$d", "%3$d", "%*d", "%.*f", "%1$*2$d",
            "%%", "%m", "%5.2f", "%'d", "%Id", "%<PRId64>", "%<PRIuMAX>", "% s", "%", "%0$s", "%y",
            "%qd", "%S", "%C", "%<PRI", " ", "a"]
PY_PIECES = ["%d", "%i", "%s", "%r", "%x", "%f", "%g", "%e", "%c", "%(a)s", "%(b)d", "%(a)d",
             "%(b)s", "%(a)r", "%*d", "%.*f", "%%", "%5.3f", "%.0s", "%(a).0s", "%ld", "%F", "%a",
             "%(a)", "%(a)%", "%", " ", "w"]


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generated_entry(draw, i: int, nplurals: int) -> str:
    """A format-flagged entry of random directives, singular or plural (with or without a range)."""
    lang = draw.choice(["c", "python"])
    pieces = C_PIECES if lang == "c" else PY_PIECES

    def some(prefix: str) -> str:
        return quoted(prefix + "".join(draw.choice(pieces) for _ in range(draw.randint(0, 3))))
    head = f"#, {draw.choice([f'{lang}-format', f'possible-{lang}-format'])}"
    if draw.random() < 0.4:
        return (head + draw.choice(["", ", range: 1..1", ", range: 2..5"]) +
                f"\nmsgid {some(f'm{i} ')}\nmsgid_plural {some(f'p{i} ')}\n" +
                "".join(f"msgstr[{j}] {some('t')}\n" for j in range(nplurals)))
    return head + f"\nmsgid {some(f'm{i} ')}\nmsgstr {some('t')}\n"


@pytest.mark.parametrize("locale,seed", [("de", 1), ("de", 2), ("zh_Hans", 3)])
def test_format_strings_agree_with_msgfmt_on_generated_entries(project, l10n, locale, seed):
    """Entries made of directives valid and invalid, judged by msgfmt --check
    and by the check: the same entries refused."""
    draw = random.Random(seed)
    site = po_file(project, locale, "_site")
    text = site.read_text(encoding="utf-8")
    starts = []                             # each entry's msgid line
    for i in range(150):
        starts.append(text.count("\n") + 3)
        text += "\n" + generated_entry(draw, i, 1 if locale == "zh_Hans" else 2)
    site.write_text(text, encoding="utf-8")
    r = subprocess.run([shutil.which("msgfmt"), "--check", "-o", "/dev/null", str(site)],
                       capture_output=True, text=True)
    at = [int(m.group(1)) for m in re.finditer(r"^[^\n]*?\.po:(\d+): (?!warning)", r.stderr, re.M)]
    refused = {max(s for s in starts if s <= line) for line in at if line >= starts[0]}
    r = l10n(project, "check", "-l", locale, "--select", "format-strings", "--format", "json",
             expect=None)
    assert len(refused) > 30 and {f["line"] for f in json.loads(r.stdout)["findings"]} == refused
