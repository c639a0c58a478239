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
    r = subprocess.run([exe, "--check", "-o", "/dev/null", str(path)], capture_output=True,
                       text=True)
    return r.returncode, r.stderr


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
