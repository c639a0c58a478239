"""PO files as translators' tools and editors really leave them, through
update, check and status (found by an attack with such files)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

ASIA = "asia-europe-cooperation-bring-development-opportunities-to-chongqing"


def merge_all(project, l10n, expect: int | None = 0):
    """``update`` merging every file again, as on a fresh clone."""
    shutil.rmtree(project / ".l10n-cache", ignore_errors=True)
    return l10n(project, "update", "--all", expect=expect)


def msgfmt_stderr(path) -> tuple[int, str]:
    exe = shutil.which("msgfmt")
    assert exe, "msgfmt (Debian package gettext) is required; .ci/run installs it"
    r = subprocess.run([exe, "--check", "-o", "/dev/null", str(path)], capture_output=True)
    # msgfmt prints a character it quotes byte by byte (half of a "ü")
    return r.returncode, r.stderr.decode("utf-8", errors="replace")


def test_a_file_with_cr_only_line_ends_is_an_error_not_an_empty_catalog(project, l10n):
    """A file saved with classic Mac line ends is one comment line to gettext:
    read so, update replaced every translation with an empty entry and status
    counted the page 0/0, 100%."""
    path = project / "locales" / "de" / f"{ASIA}.po"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    assert msgfmt_stderr(path)[0] != 0            # GNU: no header, nothing in it
    before = path.read_bytes()
    r = merge_all(project, l10n, expect=2)
    assert re.fullmatch(rf"error: locales/de/{ASIA}\.po:1: PO syntax error: a lone CR line "
                        r"end .*LF line ends\n", r.stderr), r.stderr
    assert path.read_bytes() == before
    report = json.loads(l10n(project, "check", "-l", "de", "--format", "json",
                             expect=1).stdout)
    assert [(f["check"], f["line"]) for f in report["findings"]
            if f["file"].endswith(f"{ASIA}.po")] == [("po-syntax", 1)]
    r = l10n(project, "status", expect=2)
    assert f"{ASIA}.po:1:" in r.stderr


def test_crlf_files_and_a_lone_cr_inside_a_comment_are_still_read(project, l10n):
    path = project / "locales" / "de" / f"{ASIA}.po"
    text = path.read_text(encoding="utf-8")
    assert "#. paragraph\n" in text
    path.write_bytes(text.replace("#. paragraph\n", "#. para\rgraph\n", 1)
                     .replace("\n", "\r\n").encode())
    merge_all(project, l10n)
    assert "msgstr \"Internet der Dinge & Smart City\"" in path.read_text(encoding="utf-8")


NEWLINE_ENTRIES = '''
msgid "Line one\\n"
msgstr "Zeile eins"

msgid "\\nLead"
msgstr "\\nVorspann"

msgid "Tail\\n"
msgstr "Ende\\n"

msgid "one file"
msgid_plural "%d files\\n"
msgstr[0] "eine Datei"
msgstr[1] "%d Dateien"
'''


def test_a_msgstr_adding_or_dropping_a_newline_is_an_error_as_msgfmt_says(project, l10n):
    """A stray Enter at the end of a field (``<1>Kontakt</1>\\n``) passed the
    gate although ``msgfmt --check`` refuses the file."""
    path = project / "locales" / "de" / "_site.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('msgstr "<1>Kontakt</1>"', 'msgstr "<1>Kon\\ttakt</1>\\n"')
                    + NEWLINE_ENTRIES, encoding="utf-8")
    rc, stderr = msgfmt_stderr(path)
    assert rc != 0
    gnu = sorted(re.findall(r"'(msgid|msgstr(?:\[\d\])?|msgid_plural)' entries do not both "
                            r"(begin|end)", stderr))
    report = json.loads(l10n(project, "check", "-l", "de", "--format", "json",
                             expect=1).stdout)
    ours = [f for f in report["findings"] if f["check"] == "newlines"]
    assert all(f["severity"] == "error" and f["file"] == "locales/de/_site.po" for f in ours)
    # msgfmt names each pair by its second string: msgid–msgstr ×2, msgid–msgid_plural, …
    assert sorted(re.search(r"and '([^']+)' entries do not both (\w+)", f["message"]).groups()
                  for f in ours) == sorted(("msgstr" if a == "msgid" else a, b)
                                           for a, b in gnu), (ours, stderr)
    lines = text.count("\n")
    assert sorted(f["line"] for f in ours) == [97, lines + 2, lines + 11]


#: python-brace-format pairs (msgid, msgstr): msgfmt 0.21 names an argument by
#: all it says up to its "}", so {n:d} and {n} are two arguments to it
BRACES = [("{n} page", "{n} S"), ("{n} page", "S"), ("{n} page", "{n} {m}"),
          ("{n:d} page", "{n} S"), ("{n.x} p", "{n} S"), ("{n[0]} p", "{n} S"),
          ("{0} p", "{1} S"), ("{n} p", "{n}} S"), ("{n} p", "{{n}} S"), ("{n} p", "{n:{w}} S"),
          ("{n:{w}} p", "{n:{w}} S"), ("{n} p", "{ S"), ("{n} p", "{n!r} S"), ("{n!r} p", "S"),
          ("{n:>10} p", "{n:>10} S"), ("{n:xyz} p", "{n:xyz} S"), ("{} p", "S"),
          ("{n} {n} p", "{n} S"), ("{n:.2f} p", "{n:.3f} S"), ("{a}{b}", "{b}{a}"),
          ("x", "{n}"), ("{a.b}", "{a.c}"), ("{n}", "}"), ("{n}", "{n:{w:x}}"),
          ("{a[x]}", "{a[x}"), ("{a.}", "S"), ("{n}", "{n."), ("{n}", "{n:"), ("{n}", "{n:<"), ("{n}", "{n"),
          ("{n}", "{n:{w"), ("{n}", "{"), ("{n}", "{n:x}"),
          ("{n}", "{a[x y]}"), ("{n}", "{a[]}"), ("{n}", "{a[-1]}"), ("{n}", "{a.1}"),
          ("{n}", "{a[x]y}"), ("{a[x].b[0]}", "{a[x].b[0]}"), ("{n}", "{n:{{}"), ("{n}", "{n:{}}"),
          ("{n}", "{n:xx}"), ("{n}", "{n:>>}"), ("{n}", "{ü}"), ("{n}", "{n:{w}x}"),
          ("{n}", "{n.a"), ("{n}", "{n:{w!}}"), ("{n}", "{n:{w[}}"), ("{n:{0}}", "{n:{0}}")]


def test_python_brace_format_is_judged_as_msgfmt_judges_it(project, l10n):
    """A ``python-brace-format`` entry (Weblate and Babel set it) whose msgstr
    drops ``{n}`` passed the gate although msgfmt --check refuses the file."""
    path = project / "locales" / "de" / "_site.po"
    text = path.read_text(encoding="utf-8")
    first = text.count("\n") + 1
    entries = "".join(f'\n#, python-brace-format\nmsgctxt "{k}"\nmsgid "{a}"\nmsgstr "{b}"\n'
                      for k, (a, b) in enumerate(BRACES))
    plural = ('\n#, python-brace-format\nmsgid "{n} file"\nmsgid_plural "{n} files"\n'
              'msgstr[0] "eine Datei"\nmsgstr[1] "Dateien"\n')     # [1] is for many numbers
    path.write_text(text + entries + plural, encoding="utf-8")
    rc, stderr = msgfmt_stderr(path)
    gnu: dict[int, str] = {}
    for line in stderr.splitlines():
        m = re.match(r".*?_site\.po:(\d+): (.*)", line)
        if m and "warning" not in m.group(2) and "header field" not in m.group(2):
            entry = (int(m.group(1)) - first) // 5
            gnu.setdefault(entry, m.group(2))
    report = json.loads(l10n(project, "check", "-l", "de", "--format", "json",
                             expect=1).stdout)
    ours = {(f["line"] - first) // 5: f["message"] for f in report["findings"]
            if f["check"] == "format-strings"}
    assert set(ours) == set(gnu), (ours, gnu)
    assert len(BRACES) in ours and "'n' doesn't exist in 'msgstr[1]'" in ours[len(BRACES)]
    for k, message in gnu.items():
        pair = BRACES[k] if k < len(BRACES) else ("{n} files", "Dateien")
        if "Reason: " in message:
            reason = message.split("Reason: ")[1]
            said = reason.split("\x00")[0].split("\ufffd")[0]     # as far as msgfmt printed it
            assert said in ours[k], (pair, ours[k], message)
        elif "n:d" not in pair[0]:      # msgfmt 0.21 names the wrong one of this pair
            assert message.split(" (")[0] in ours[k], (pair, ours[k], message)


def test_a_header_field_given_twice_is_read_by_its_first_line_as_msgfmt_reads_it(project, l10n):
    """A second Plural-Forms a person typed below the first: msgfmt takes the
    first, the check took the second and failed a catalog msgfmt compiles
    (and passed the one it refuses)."""
    path = project / "locales" / "de" / "_site.po"
    text = path.read_text(encoding="utf-8")
    two = '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
    three = '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);\\n"\n'
    generated = '"Generated-By: l10n_tool 0.1.0\\n"\n'
    assert text.count(two) == 1 and generated in text
    plural = '\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "eins"\nmsgstr[1] "viele"\n'
    for header, compiles in ((text.replace(generated, generated + three), True),
                             (text.replace(two, three).replace(generated, generated + two), False)):
        path.write_text(header + plural, encoding="utf-8")
        assert (msgfmt_stderr(path)[0] == 0) is compiles
        report = json.loads(l10n(project, "check", "-l", "de", "--format", "json",
                                 expect=None).stdout)
        found = [f for f in report["findings"] if f["check"] == "plural-forms"]
        assert (found == []) is compiles, found


MEDIA = "media-delegation-visits-sw-china-for-green-development-along-the-yangtze-river"


def test_a_catalog_of_another_language_in_the_folder_is_an_error_at_its_header(project, l10n):
    """The French (or Traditional Chinese) catalog of a page saved into the
    German (Simplified) folder passed every check; its header still said so."""
    cases = {("de", ASIA): ("fr", True), ("zh_Hans", ASIA): ("zh_TW", True),
             ("zh_Hans", MEDIA): ("zh_CN", False), ("de", MEDIA): ("de_AT", False),
             ("de", "_site"): ("Deutsch", False), ("zh_Hans", "_site"): ("zh-Hant", True)}
    for (locale, page), (theirs, _) in cases.items():
        path = project / "locales" / locale / f"{page}.po"
        text = path.read_text(encoding="utf-8")
        assert f'"Language: {locale}\\n"' in text
        path.write_text(text.replace(f'"Language: {locale}\\n"', f'"Language: {theirs}\\n"'),
                        encoding="utf-8")
    report = json.loads(l10n(project, "check", "--all", "--format", "json", expect=1).stdout)
    found = {(f["locale"], f["file"], f["line"], f["found"]) for f in report["findings"]
             if f["check"] == "language"}
    assert found == {(locale, f"locales/{locale}/{page}.po", 2, f"Language: {theirs}")
                     for (locale, page), (theirs, wrong) in cases.items() if wrong}


def test_an_empty_msgid_plural_is_an_error_not_lost_plural_forms(project, l10n):
    """``msgid_plural ""``: msgfmt takes it, but read as a singular entry its
    msgstr[0] and msgstr[1] were dropped at the next save."""
    path = project / "locales" / "de" / "_site.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\nmsgid "one"\nmsgid_plural ""\nmsgstr[0] "eins"\nmsgstr[1] "viele"\n',
                    encoding="utf-8")
    before = path.read_bytes()
    r = merge_all(project, l10n, expect=2)
    line = text.count("\n") + 2
    assert f"_site.po:{line}: PO syntax error: empty msgid_plural" in r.stderr
    assert path.read_bytes() == before


def test_a_utf16_file_says_so_in_one_line(project, l10n):
    path = project / "locales" / "zh_Hans" / "_site.po"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    before = path.read_bytes()
    r = merge_all(project, l10n, expect=2)
    assert r.stderr.startswith("error: locales/zh_Hans/_site.po:1: the file is UTF-16") \
        and r.stderr.count("\n") == 1, r.stderr
    assert path.read_bytes() == before
    report = json.loads(l10n(project, "check", "-l", "zh_Hans", "--format", "json",
                             expect=1).stdout)
    assert [(f["check"], f["line"]) for f in report["findings"]
            if f["file"].endswith("_site.po")] == [("po-syntax", 1)]


def test_reports_write_control_characters_as_their_codes(project, l10n):
    """A msgid with a control character (``\\001``, an ESC sequence) made the
    JUnit report XML no CI server parses, and the text report drove the
    terminal showing it."""
    from xml.etree import ElementTree as ET

    path = project / "locales" / "de" / "_site.po"
    path.write_text(path.read_text(encoding="utf-8")
                    + '\nmsgid "Call 5 now\\001"\nmsgstr "Ruf 6 an\\001"\n'
                    + '\nmsgid "Press 5 \\033[31mred"\nmsgstr "Drücke 7 \\033[31mrot"\n',
                    encoding="utf-8")
    junit = l10n(project, "check", "-l", "de", "--format", "junit", expect=1).stdout
    cases = ET.fromstring(junit.encode()).iter("failure")
    assert sum("[U+0001]" in c.text or "[U+001B]" in c.text for c in cases) == 2
    for fmt in ("text", "github"):
        out = l10n(project, "check", "-l", "de", "--format", fmt, expect=1).stdout
        assert "\x01" not in out and "\x1b" not in out
        assert "Call 5 now[U+0001]" in out and "Press 5 [U+001B][31mred" in out
    report = json.loads(l10n(project, "check", "-l", "de", "--format", "json", expect=1).stdout)
    assert {f["msgid"] for f in report["findings"] if f["check"] == "numbers"} == \
        {"Call 5 now[U+0001]", "Press 5 [U+001B][31mred"}


def test_status_does_not_trust_counts_an_older_tool_recorded(project, l10n):
    """Counts were remembered by the file's content alone: a file an older
    version read wrongly (a CR-only file as empty: 0/0, 100%) kept those
    counts after the upgrade."""
    from l10n_tool.config import load_settings
    from l10n_tool.project import Project

    l10n(project, "status")
    path = project / "locales" / "de" / "_site.po"
    with Project(load_settings(project)).build_state() as state:
        # what a version whose memo key was the content digest alone left behind
        state.set_memo(f"stats:{path}", state.fingerprint(path),
                       {"total": 0, "reviewed": 0, "fuzzy": 0, "untranslated": 0,
                        "words_total": 0, "words_reviewed": 0, "words_fuzzy": 0})
    rows = json.loads(l10n(project, "status", "--format", "json").stdout)["pages"]
    site = next(r for r in rows if r["locale"] == "de" and r["page"] == "_site")
    assert site["units"] == 13 and site["reviewed"] == 13


def test_a_byte_order_mark_is_read_but_reported_since_msgfmt_refuses_it(project, l10n):
    """A BOM (Notepad, some editors' "UTF-8 with BOM") passed the CI gate, but
    msgfmt 0.21 refuses the file: 1:2: syntax error."""
    path = project / "locales" / "de" / "_site.po"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert msgfmt_stderr(path)[0] != 0
    report = json.loads(l10n(project, "check", "-l", "de", "--format", "json",
                             expect=1).stdout)
    site = [(f["check"], f["line"]) for f in report["findings"] if f["file"].endswith("_site.po")]
    assert site == [("po-syntax", 1)], site
    assert report["summary"]["entries"] == 100          # the file is read and checked as usual
    merge_all(project, l10n)
    assert path.read_bytes()[:3] != b"\xef\xbb\xbf" and msgfmt_stderr(path)[0] == 0
    assert "Cookie-Hinweis" in path.read_text(encoding="utf-8")
    l10n(project, "check", "-l", "de")


def test_a_merge_conflict_is_named_as_one_at_its_marker(project, l10n):
    path = project / "locales" / "de" / "_site.po"
    text = path.read_text(encoding="utf-8")
    entry = 'msgid "Cookie notice"\nmsgstr "Cookie-Hinweis"\n'
    assert entry in text
    path.write_text(text.replace(entry, 'msgid "Cookie notice"\n<<<<<<< HEAD\nmsgstr '
                                 '"Cookie-Hinweis"\n=======\nmsgstr "Hinweis zu Cookies"\n'
                                 '>>>>>>> feature\n'), encoding="utf-8")
    line = text[:text.index(entry)].count("\n") + 2
    r = merge_all(project, l10n, expect=2)
    assert r.stderr == (f"error: locales/de/_site.po:{line}: PO syntax error: a merge conflict "
                        "marker (<<<<<<<): keep one side of the conflict and delete the marker "
                        "lines\n")


def test_a_quote_or_backslash_typed_into_the_text_is_named_with_how_to_write_it(project, l10n):
    """A plain-text editor's most common slips: msgfmt's words alone
    (``keyword "Hallo" unknown``) do not say what to type instead."""
    path = project / "locales" / "de" / "_site.po"
    text = path.read_text(encoding="utf-8")
    for body, words in (('msgstr "Er sagte "Hallo" dann"', 'keyword "Hallo" unknown (a double '
                         'quote inside the text is written \\")'),
                        ('msgstr "Pfad C:\\Temp"', "invalid control sequence '\\T' (a backslash "
                         "of the text itself is written \\\\)")):
        path.write_text(text + f'\nmsgid "typed"\n{body}\n', encoding="utf-8")
        line = text.count("\n") + 3
        assert msgfmt_stderr(path)[0] != 0
        r = merge_all(project, l10n, expect=2)
        assert r.stderr == f"error: locales/de/_site.po:{line}: PO syntax error: {words}\n", \
            r.stderr


PLURALS = '''
msgid "ILSTC runs 1 train"
msgid_plural "ILSTC runs 2 trains"
msgstr[0] "ILSTC fährt 1 Zug"
msgstr[1] "ILSTC fährt 2 Züge"

msgid "<1>One</1> smart city"
msgid_plural "<1>Many</1> smart cities"
msgstr[0] "<1>Eine</1> Smart City"
msgstr[1] "<1>Viele</1> Smart Citys"

msgid "A <1>link</1> in 2021"
msgid_plural "Links <1>here</1> in 2021"
msgstr[0] "Ein <1>Link</1> 2021"
msgstr[1] "Links hier 2021"
'''


def test_entry_checks_judge_each_plural_form(project, l10n):
    """Placeholders, numbers and glossary terms were looked for in a plural
    entry's empty msgstr: every hand-added plural entry failed (ILSTC "found
    0×", <1> "missing") however right its forms, and a form really missing
    its placeholders was reported without saying which."""
    path = project / "locales" / "de" / "_site.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + PLURALS, encoding="utf-8")
    report = json.loads(l10n(project, "check", "-l", "de", "--format", "json",
                             expect=1).stdout)
    found = [(f["check"], f["line"] - text.count("\n"), f["message"]) for f in report["findings"]
             if f["file"].endswith("_site.po") and f["check"] not in ("fuzzy", "untranslated")]
    assert found == [("placeholders", 12, "missing </1> <1> (msgstr[1])")], found
