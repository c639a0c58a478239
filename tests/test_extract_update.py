"""Issue 2: extract and update, through the CLI, on the real articles."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest

from conftest import all_catalogs, msgfmt_check

ASIA = "asia-europe-cooperation-bring-development-opportunities-to-chongqing"
MEDIA = "media-delegation-visits-sw-china-for-green-development-along-the-yangtze-river"


def pot(project: Path, slug: str) -> polib.POFile:
    return polib.pofile(str(project / "locales" / "templates" / f"{slug}.pot"))


def entry(po: polib.POFile, start: str, exact: bool = False) -> polib.POEntry:
    found = [e for e in po if not e.obsolete and
             (e.msgid == start if exact else e.msgid.startswith(start))]
    assert len(found) == 1, f"{start!r}: {len(found)} entries"
    return found[0]


def source_line(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_extract_units_references_kinds_and_placeholders(bare_project, l10n):
    out = l10n(bare_project, "extract").stdout
    assert f"locales/templates/{ASIA}.pot" in out
    po = pot(bare_project, ASIA)
    src = bare_project / "source" / f"{ASIA}.html"

    shamshad = entry(po, "<1>Shamshad Akhtar</1>, former Under-Secretary-General")
    assert "strong" not in shamshad.msgid and "<" not in shamshad.msgid.replace("<1>", "").replace("</1>", "")
    assert shamshad.occurrences == [(f"source/{ASIA}.html", str(source_line(src, "Shamshad Akhtar")))]
    assert shamshad.comment.splitlines()[0] == "paragraph"

    headline = entry(po, "Asia-Europe Cooperation Bring Development Opportunities")
    assert headline.comment.splitlines()[0] == "title, headline"
    assert len(headline.occurrences) == 2
    assert entry(po, "Esko Aho speaks at the dialogue").comment.startswith("alt text")
    assert entry(po, "Esko Aho, former Prime Minister of Finland", exact=True).comment == "caption"
    assert entry(po, "The 2nd Asia-Europe Cooperation Dialogue in Chongqing discussed").comment.startswith(
        "meta description")
    # the link's href stays in the page skeleton, never in the msgid
    linked = entry(po, "As a central city in Western China")
    assert "<1>Yangtze River Economic Belt</1>" in linked.msgid and "href" not in linked.msgid
    # glossary terms are exported for translators
    ilstc = entry(po, "He added that the New International Land-Sea Trade Corridor (ILSTC)")
    assert "glossary: ILSTC (fixed)" in ilstc.comment
    # site chrome (the footer) goes to the one site-wide catalog, not the page's
    site = pot(bare_project, "_site")
    assert not [e for e in po if e.msgid.startswith("For any inquiries")]
    # the e-mail link is translate="no": a self-closing placeholder with a note
    email = entry(site, "For any inquiries, please email <1/>")
    assert {ref for ref, _ in email.occurrences} >= {f"source/{ASIA}.html", f"source/{MEDIA}.html"}
    assert "placeholder <1/> is <a> service@ichongqing.info" in email.comment
    msgfmt_check(*all_catalogs(bare_project))


def test_extract_rich_page_rules(bare_project, l10n):
    l10n(bare_project, "extract")
    ids = [e.msgid for e in pot(bare_project, "rich")]
    assert "Reading <1>nested <2>inline</2> markup</1> & entities" in ids
    assert "Dr. Smith moved to the U.S. in 2019." in ids           # abbreviations, no split
    assert "He paid $15.1 million for <1>a <2>very</2> old house</1>!" in ids  # decimal kept
    assert "“Was it worth it?” she asked…" in ids                    # no split before "she"
    assert "Nobody knew." in ids                                      # ellipsis + capital: split
    assert "Line one<1/>line two, with <2/> and <3/> inside." in ids  # br, code, notranslate
    assert "See No. 5 on p. 12." in ids
    assert "First item with <angle> brackets & ampersands" in ids
    assert {"Second item", "Nested item", "tail of second item"} <= set(ids)
    assert {"Table caption", "Header cell", "Row cell"} <= set(ids)
    assert "42 %" not in ids                                          # no letters: copied through
    assert {"A photo of a house", "A linked site", "Rich test page & friends"} <= set(ids)
    assert "Text with a <1>1</1> footnote and H<2>2</2>O." in ids
    skipped = ("preformatted", "Untranslatable", "not translatable", "TestBrand", "x < y",
               "DO-NOT-TRANSLATE", "color")
    assert not [i for i in ids if any(s in i for s in skipped)]


def page_and_chrome(project: Path, slug: str) -> list[polib.POEntry]:
    """A page's own entries plus the site catalog's entries that occur on it."""
    site = [e for e in pot(project, "_site")
            if any(ref.endswith(f"/{slug}.html") for ref, _ in e.occurrences)]
    return list(pot(project, slug)) + site


def test_extract_messy_real_world_page(bare_project, l10n):
    l10n(bare_project, "extract")
    units = {e.msgid: e.comment.splitlines()[0] for e in page_and_chrome(bare_project, "messy")}
    assert units["Messy page title"] == "title"                       # white space collapsed
    assert units["Messy page for sharing"] == "meta title"            # og:title
    assert units["Area of 15.1\u00a0m² and\u00a0more, <1>TEU</1> counts."] == "lead"  # &nbsp; kept
    assert units["Twenty-foot equivalent unit"] == "title attribute"  # abbr title
    assert units["Card headline"] == "heading"                        # a link wrapping blocks
    assert units["First option"] == units["Second option"] == "option"
    assert units["Embedded video"] == "title attribute"               # iframe title
    assert units["Type a word"] == "placeholder"
    assert units["<1/>Starts with a break and has a comment."] == "paragraph"
    assert not [u for u in units if any(s in u for s in
                                        ("not a unit", "SVG text", "Enable JavaScript", "Template"))]


def test_extract_paragraphs_option_keeps_whole_paragraphs(bare_project, l10n):
    whole = ("On December 2, the 2nd Asia-Europe Cooperation Dialogue was held in Chongqing. "
             "It gathered")
    l10n(bare_project, "extract", "--paragraphs")
    assert any(e.msgid.startswith(whole) for e in pot(bare_project, ASIA))
    l10n(bare_project, "update", "-l", "de", "--paragraphs")
    po = polib.pofile(str(bare_project / "locales" / "de" / f"{ASIA}.po"))
    assert any(e.msgid.startswith(whole) for e in po)


def test_msgids_stable_when_an_unrelated_paragraph_changes(bare_project, l10n):
    l10n(bare_project, "extract")
    before = {e.msgid for e in pot(bare_project, MEDIA)}
    page = bare_project / "source" / f"{MEDIA}.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("So far, almost 120 urban parks", "So far, nearly 120 urban parks"),
                    encoding="utf-8")
    l10n(bare_project, "extract")
    after = {e.msgid for e in pot(bare_project, MEDIA)}
    assert before - after == {"So far, almost 120 urban parks have been built in Liangjiang New Area."}
    assert after - before == {"So far, nearly 120 urban parks have been built in Liangjiang New Area."}


def test_update_marks_exactly_the_edited_sentence_fuzzy(project, l10n):
    po_path = project / "locales" / "zh_Hans" / f"{ASIA}.po"
    before = {e.msgid: e.msgstr for e in polib.pofile(str(po_path))}
    old = "Esko Aho thought that the participation of multi-disciplinary intellectuals was of great significance."
    new = "Esko Aho thought that the participation of interdisciplinary intellectuals was of great significance."
    page = project / "source" / f"{ASIA}.html"
    page.write_text(page.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    l10n(project, "update", "-l", "zh_Hans")
    after = polib.pofile(str(po_path))
    fuzzy = [e for e in after if "fuzzy" in e.flags]
    assert [e.msgid for e in fuzzy] == [new]
    assert fuzzy[0].previous_msgid == old and fuzzy[0].msgstr == before[old]
    kept = {e.msgid: e.msgstr for e in after if not e.obsolete and e.msgid != new}
    assert kept == {k: v for k, v in before.items() if k != old}
    assert not after.obsolete_entries()
    msgfmt_check(*all_catalogs(project))


def test_update_keeps_removed_translations_as_obsolete(project, l10n):
    page = project / "source" / f"{ASIA}.html"
    text = page.read_text(encoding="utf-8")
    gone = "<p>As for infrastructure construction, present guests suggested with examples that " \
           "promoting multi-modal transportation would be one of the excellent starting points.</p>"
    assert gone in text
    page.write_text(text.replace(gone, ""), encoding="utf-8")
    l10n(project, "update", "--all")
    po = polib.pofile(str(project / "locales" / "zh_Hans" / f"{ASIA}.po"))
    obsolete = po.obsolete_entries()
    assert [e.msgid for e in obsolete] == [gone[3:-4]]
    assert obsolete[0].msgstr == "在基础设施建设方面，与会嘉宾结合实例提出，推动多式联运将是很好的切入点之一。"
    msgfmt_check(*all_catalogs(project))


SHARED = "Esko Aho thought that the participation of multi-disciplinary intellectuals was of great significance."


def _translate_shared_sentence(project: Path, l10n, msgstr: str, language: str | None = None) -> Path:
    """A sentence of one page put on the other too, translated in the first
    page's German PO file (whose header then says ``language``, if given)."""
    media = project / "source" / f"{MEDIA}.html"
    media.write_text(media.read_text(encoding="utf-8").replace("</h1>", f"</h1>\n<p>{SHARED}</p>", 1),
                     encoding="utf-8")
    l10n(project, "update", "-l", "de")
    first = project / "locales" / "de" / f"{ASIA}.po"
    po = polib.pofile(str(first))
    entry(po, SHARED, exact=True).msgstr = msgstr
    if language:
        po.metadata["Language"] = language
    po.save(str(first))
    return first


def test_update_reuses_a_translation_from_another_page(bare_project, l10n):
    shared = SHARED
    _translate_shared_sentence(bare_project, l10n, "Esko Aho hielt die Beteiligung für bedeutsam.")
    out = l10n(bare_project, "update", "-l", "de").stdout
    assert re.search(rf"{MEDIA}\.po: updated; \d+ kept, 1 reused", out)
    other = entry(polib.pofile(str(bare_project / "locales" / "de" / f"{MEDIA}.po")), shared)
    assert other.msgstr == "Esko Aho hielt die Beteiligung für bedeutsam." and "fuzzy" not in other.flags


def test_a_catalog_of_another_language_is_not_memory_and_is_named(bare_project, l10n):
    """A French catalog saved into de/: its reviewed rows must not fill other German
    files, and update says what it corrected in the header."""
    shared = SHARED
    first = _translate_shared_sentence(bare_project, l10n,
                                       "Esko Aho a jugé la participation très importante.", "fr")
    # the page the French file belongs to changes too, so update merges it
    asia = bare_project / "source" / f"{ASIA}.html"
    asia.write_text(asia.read_text(encoding="utf-8").replace("</h1>", "</h1>\n<p>A new line here.</p>", 1),
                    encoding="utf-8")
    r = l10n(bare_project, "update", "-l", "de")
    assert f"locales/de/{ASIA}.po: its header says Language: fr, not de" in r.stderr
    other = entry(polib.pofile(str(bare_project / "locales" / "de" / f"{MEDIA}.po")), shared)
    assert other.msgstr == ""
    kept = polib.pofile(str(first))
    assert entry(kept, shared, exact=True).msgstr == "Esko Aho a jugé la participation très importante."
    assert kept.metadata["Language"] == "fr"          # the evidence stays
    assert "language" in l10n(bare_project, "check", "-l", "de", "--format", "json",
                              expect=1).stdout
    # the translator fixes an entry but not the header: still no German memory
    kept.find(SHARED).msgstr = "Esko Aho a jugé la participation essentielle."
    kept.save(str(first))
    l10n(bare_project, "update", "-l", "de")
    other = entry(polib.pofile(str(bare_project / "locales" / "de" / f"{MEDIA}.po")), shared)
    assert other.msgstr == ""
    msgfmt_check(*all_catalogs(bare_project))


def test_site_chrome_is_one_entry_translated_once_for_every_page(project, l10n):
    site = polib.pofile(str(project / "locales" / "de" / "_site.po"))
    agree = entry(site, "I Agree", exact=True)
    assert agree.msgstr == "Ich stimme zu"
    assert {ref for ref, _ in agree.occurrences} == {f"source/{ASIA}.html", f"source/{MEDIA}.html"}
    for slug in (ASIA, MEDIA):
        assert not [e for e in polib.pofile(str(project / "locales" / "de" / f"{slug}.po"))
                    if e.msgid == "I Agree"]


@pytest.mark.parametrize("locale,nplurals,team", [("zh_Hans", 1, "Chinese (Simplified)"),
                                                  ("ar", 6, "Arabic"), ("de", 2, "German")])
def test_po_headers_come_from_babel(bare_project, l10n, locale, nplurals, team):
    l10n(bare_project, "update", "-l", locale)
    po = polib.pofile(str(bare_project / "locales" / locale / f"{ASIA}.po"))
    assert po.metadata["Language"] == locale
    assert po.metadata["Plural-Forms"].startswith(f"nplurals={nplurals};")
    assert po.metadata["Language-Team"].startswith(team)
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    msgfmt_check(*all_catalogs(bare_project))


def test_unknown_locale_is_a_one_line_error(bare_project, l10n):
    r = l10n(bare_project, "update", "-l", "xx_QQ", expect=2)
    assert r.stderr.strip().count("\n") == 0 and "unknown locale 'xx_QQ'" in r.stderr
    assert not (bare_project / "locales").exists()


def test_missing_source_folder(tmp_path, l10n):
    (tmp_path / "pyproject.toml").write_text('[tool.l10n]\nsource_dir = "nowhere"\n')
    r = l10n(tmp_path, "extract", expect=2)
    assert "nowhere: source folder not found" in r.stderr


@pytest.mark.parametrize("content,line,message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, "binary data"),
    (b"   \n", 1, "empty file"),
])
def test_a_bad_page_is_skipped_with_file_and_line_and_the_rest_extracted(bare_project, l10n,
                                                                        content, line, message):
    l10n(bare_project, "extract")
    before = {p: p.read_bytes() for p in (bare_project / "locales").rglob("*.pot")}
    (bare_project / "source" / "broken.html").write_bytes(content)
    page = bare_project / "source" / f"{ASIA}.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Esko Aho thought", "Esko Aho held"),
                    encoding="utf-8")
    r = l10n(bare_project, "extract", expect=1)
    assert f"source/broken.html:{line}: " in r.stderr and message in r.stderr
    assert r.stderr.count("\n") == 1 and "page skipped" in r.stderr
    after = {p: p.read_bytes() for p in (bare_project / "locales").rglob("*.pot")}
    assert set(after) == set(before)                       # no POT for the broken page
    changed = {p.stem for p in after if after[p] != before[p]}
    assert changed == {ASIA}                               # the good edit went through
    assert "Esko Aho held" in pot(bare_project, ASIA).__unicode__()


def test_a_bad_page_leaves_its_po_files_alone_on_update(project, l10n):
    po_path = project / "locales" / "zh_Hans" / f"{ASIA}.po"
    before = po_path.read_bytes()
    (project / "source" / f"{ASIA}.html").write_bytes(b"\x00\x01binary")
    r = l10n(project, "update", "-l", "zh_Hans", expect=1)
    assert f"source/{ASIA}.html" in r.stderr
    assert po_path.read_bytes() == before                  # nothing went obsolete


def test_po_syntax_error_names_file_and_line_and_changes_nothing(project, l10n):
    po_path = project / "locales" / "zh_Hans" / "_site.po"
    lines = po_path.read_text(encoding="utf-8").splitlines()
    target = next(i for i, l in enumerate(lines) if l.startswith('msgstr "我同意"'))
    lines[target] = 'msgstr "我同意'          # unterminated: polib alone would drop the entry
    po_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = project / "source" / f"{ASIA}.html"     # a source change the POT would pick up
    page.write_text(page.read_text(encoding="utf-8").replace("Esko Aho thought", "Esko Aho held"),
                    encoding="utf-8")
    before = {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")}
    r = l10n(project, "update", "-l", "zh_Hans", expect=2)
    assert f"locales/zh_Hans/_site.po:{target + 1}: PO syntax error" in r.stderr
    assert {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")} == before


def test_status_counts(project, l10n):
    data = json.loads(l10n(project, "status", "--format", "json").stdout)
    rows = {(r["locale"], r["page"]): r for r in data["pages"]}
    zh = rows[("zh_Hans", ASIA)]
    assert zh["units"] == zh["reviewed"] == len(pot_entries(project, ASIA))
    de = rows[("de", ASIA)]
    assert de["reviewed"] == 17 and de["untranslated"] == de["units"] - 17 and de["fuzzy"] == 0
    assert rows[("de", "_site")]["reviewed"] == rows[("de", "_site")]["units"] == 13
    assert 0 < de["words_reviewed"] < de["words"]
    text = l10n(project, "status").stdout
    assert "zh_Hans" in text and "100%" in text


def pot_entries(project: Path, slug: str) -> list:
    return [e for e in polib.pofile(str(project / "locales" / "templates" / f"{slug}.pot"))]


def test_update_keeps_what_foreign_po_files_hold(project, l10n, tmp_path):
    """A PO file from another tool: a windows-1252 header, a plural entry,
    an obsolete entry with its previous msgid. Nothing in it may be lost."""
    po_path = project / "locales" / "de" / f"{ASIA}.po"
    text = po_path.read_text(encoding="utf-8")
    text = text.replace("charset=UTF-8", "charset=windows-1252")
    text += ('\n#, fuzzy\nmsgctxt "menu"\nmsgid "One file"\nmsgid_plural "%d files"\n'
             'msgstr[0] "Eine Datei"\nmsgstr[1] "%d Dateien"\n'
             '\n#~| msgid "Old text"\n#~ msgid "Removed text"\n#~ msgstr "Entfernter Text"\n')
    # a windows-1252 file cannot hold the other locales' glossary renderings
    text = "\n".join(l for l in text.split("\n") if l.encode("cp1252", "ignore").decode("cp1252") == l)
    po_path.write_bytes(text.encode("cp1252"))
    l10n(project, "update", "-l", "de")
    po = polib.pofile(str(po_path))
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert next(e for e in po if e.msgid.startswith("Asia-Europe")).msgstr.startswith("Asiatisch-europäische")
    plural = next(e for e in po.obsolete_entries() if e.msgid == "One file")
    assert plural.msgstr_plural == {0: "Eine Datei", 1: "%d Dateien"} and plural.msgctxt == "menu"
    assert next(e for e in po.obsolete_entries() if e.msgid == "Removed text").msgstr == "Entfernter Text"
    msgfmt_check(po_path)


def test_options_override_the_project_settings(bare_project, l10n):
    l10n(bare_project, "--locales-dir", "po", "update", "-l", "de")
    assert (bare_project / "po" / "de" / f"{ASIA}.po").exists()
    assert not (bare_project / "locales").exists()
    r = l10n(bare_project, "--source-locale", "xx_QQ", "extract", expect=2)
    assert "unknown locale 'xx_QQ'" in r.stderr


def test_broken_project_settings_name_file_and_line(bare_project, l10n):
    settings = bare_project / "pyproject.toml"
    settings.write_text(settings.read_text() + "\n[tool.l10n.publish.de\n")
    line = settings.read_text().count("\n")
    r = l10n(bare_project, "status", expect=2)
    assert f"pyproject.toml:{line}: invalid TOML" in r.stderr and r.stderr.count("\n") == 1


def test_errors_name_files_as_the_project_does_wherever_the_command_runs(project, l10n):
    po = project / "locales" / "de" / "_site.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "broken\n', encoding="utf-8")
    lines = po.read_text(encoding="utf-8").count("\n")
    for args in (("update", "-l", "de"), ("status",), ("translate", "-l", "de", "--engine", "pseudo")):
        r = l10n(project, *args, expect=2)
        assert r.stderr.startswith(f"error: locales/de/_site.po:{lines}: PO syntax error"), r
