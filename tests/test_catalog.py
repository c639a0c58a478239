"""Issue 12/13: ``catalog.merge`` decides as ``msgmerge --previous`` does.

Each case writes a PO/POT pair, runs the real msgmerge and our merge on the
same files, and compares every entry as written (text, fuzzy, ``#|``,
flags, obsolete copies), byte for byte. The header is checked on its own:
we keep the PO file's field order, msgmerge sorts known fields.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, msgfmt_check
from l10n_tool import catalog
from l10n_tool.catalog import pofile
from l10n_tool.catalog.merge import FuzzyIndex, _same_plurals
from l10n_tool.locales import get_locale

HEADER = ('msgid ""\nmsgstr ""\n"Project-Id-Version: t 1\\n"\n{extra}'
          '"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {plural}\\n"\n')


def po_text(body: str, extra: str = "", plural: str = "nplurals=2; plural=n != 1;") -> str:
    return HEADER.format(extra=extra, plural=plural) + "\n" + body


def run_both(tmp_path: Path, po: str, pot: str, locale: str = "de"):
    """(msgmerge's entries, ours, our merged catalog), entries as written."""
    po_path, pot_path = tmp_path / "old.po", tmp_path / "new.pot"
    po_path.write_text(po, encoding="utf-8")
    pot_path.write_text(pot, encoding="utf-8")
    exe = shutil.which("msgmerge")
    assert exe, "msgmerge (Debian package gettext) is required; .ci/run installs it"
    gnu_path = tmp_path / "gnu.po"
    subprocess.run([exe, "--previous", "-q", str(po_path), str(pot_path), "-o", str(gnu_path)],
                   check=True)
    result = catalog.merge(catalog.load(pot_path), catalog.load(po_path), get_locale(locale), "t")
    ours_path = tmp_path / "ours.po"
    catalog.save(result.po, ours_path)
    msgfmt_check(ours_path)
    return entries(gnu_path), entries(ours_path), result


def entries(path: Path) -> list[str]:
    """The file's entries as written, header left out."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    return [b.strip("\n") for b in blocks if 'msgid ""\nmsgstr ""' not in b and b.strip()]


def test_a_new_sentence_like_one_that_stays_gets_its_translation_as_suggestion(tmp_path):
    po = po_text('#: a:1\nmsgid "The quick brown fox jumps over the lazy dog."\n'
                 'msgstr "Der schnelle braune Fuchs springt über den faulen Hund."\n')
    pot = po_text('#: a:1\nmsgid "The quick brown fox jumps over the lazy dog."\nmsgstr ""\n\n'
                  '#: a:2\nmsgid "The quick brown fox jumps over the lazy cat."\nmsgstr ""\n')
    gnu, ours, result = run_both(tmp_path, po, pot)
    assert ours == gnu
    assert (result.kept, result.fuzzy, result.new) == (1, 1, 0)
    assert '#, fuzzy\n#| msgid "The quick brown fox jumps over the lazy dog."' in ours[1]


def test_two_new_headings_like_one_old_heading_both_get_suggestions(tmp_path):
    po = po_text('#: a:1\nmsgid "Cooperation between Asia and Europe"\n'
                 'msgstr "Zusammenarbeit zwischen Asien und Europa"\n')
    pot = po_text('#: a:1\nmsgid "Cooperation between Asia and Europe grows"\nmsgstr ""\n\n'
                  '#: a:2\nmsgid "Cooperation between Asia and Africa"\nmsgstr ""\n')
    gnu, ours, result = run_both(tmp_path, po, pot)
    assert ours == gnu
    assert result.fuzzy == 2 and result.obsolete == 0
    assert all("Zusammenarbeit zwischen Asien und Europa" in e for e in ours)


def test_changed_again_keeps_the_msgid_the_translation_was_made_from(tmp_path):
    po = po_text('#, fuzzy\n#| msgid "An original sentence about trade corridors."\n'
                 'msgid "An edited sentence about trade corridors."\n'
                 'msgstr "Ein Satz über Handelskorridore."\n')
    pot = po_text('msgid "An edited sentence about trade corridors, again."\nmsgstr ""\n')
    gnu, ours, _ = run_both(tmp_path, po, pot)
    assert ours == gnu
    assert '#| msgid "An original sentence about trade corridors."' in ours[0]


def test_flags_come_from_the_template_and_fuzzy_from_the_merge(tmp_path):
    po = po_text('#, python-format\nmsgid "Keep me %s"\nmsgstr "Behalte mich %s"\n\n'
                 'msgid "Plain %d text"\nmsgstr "Klarer %d Text"\n')
    pot = po_text('msgid "Keep me %s"\nmsgstr ""\n\n#, c-format\nmsgid "Plain %d text"\nmsgstr ""\n')
    gnu, ours, result = run_both(tmp_path, po, pot)
    assert ours == gnu
    assert "python-format" not in "".join(ours) and "#, c-format" in ours[1]


def test_obsolete_entries_come_back_and_lend_suggestions(tmp_path):
    po = po_text('msgid "Stays."\nmsgstr "Bleibt."\n\n'
                 '#~ msgid "Back from the dead."\n#~ msgstr "Zurück von den Toten."\n\n'
                 '#~ msgid "An obsolete sentence about the harbour of Hamburg."\n'
                 '#~ msgstr "Ein alter Satz über den Hamburger Hafen."\n\n'
                 '#~ msgid "Obsolete and never used."\n#~ msgstr "Veraltet."\n')
    pot = po_text('msgid "Stays."\nmsgstr ""\n\nmsgid "Back from the dead."\nmsgstr ""\n\n'
                  'msgid "An obsolete sentence about the harbour of Bremen."\nmsgstr ""\n')
    gnu, ours, _ = run_both(tmp_path, po, pot)
    assert ours == gnu
    assert ours[-1].startswith('#~ msgid "Obsolete and never used."')


def test_removed_entries_become_obsolete_and_untranslated_ones_go(tmp_path):
    po = po_text('# translator note\n#. paragraph\n#: a:3\nmsgid "Gone but translated."\n'
                 'msgstr "Weg, aber übersetzt."\n\n'
                 'msgid "Gone and untranslated."\nmsgstr ""\n\n'
                 'msgid "Stays."\nmsgstr "Bleibt."\n')
    pot = po_text('msgid "Stays."\nmsgstr ""\n\nmsgid "Completely different words here."\nmsgstr ""\n')
    gnu, ours, result = run_both(tmp_path, po, pot)
    assert ours == gnu
    assert result.obsolete == 1
    assert ours[-1] == ('# translator note\n#~ msgid "Gone but translated."\n'
                        '#~ msgstr "Weg, aber übersetzt."')


def test_plural_entries_keep_every_form_live_and_obsolete(tmp_path):
    po = po_text('msgid "One page"\nmsgid_plural "%d pages"\nmsgstr[0] "Eine Seite"\n'
                 'msgstr[1] "%d Seiten"\n\n'
                 'msgid "One article"\nmsgid_plural "%d articles"\nmsgstr[0] "Ein Artikel"\n'
                 'msgstr[1] "%d Artikel"\n')
    pot = po_text('msgid "One page"\nmsgid_plural "%d pages"\nmsgstr[0] ""\nmsgstr[1] ""\n\n'
                  'msgid "Something else entirely, unrelated"\nmsgid_plural "Plural of it"\n'
                  'msgstr[0] ""\nmsgstr[1] ""\n')
    gnu, ours, _ = run_both(tmp_path, po, pot)
    assert ours == gnu
    assert 'msgstr[1] "%d Seiten"' in ours[0]
    assert '#~ msgstr[1] "%d Artikel"' in ours[-1]


def test_header_takes_the_template_date_and_keeps_an_equivalent_plural_rule(tmp_path):
    po = po_text('msgid "Stays."\nmsgstr "Bleibt."\n',
                 extra='"POT-Creation-Date: 2020-01-01 00:00+0000\\n"\n')
    pot = po_text('msgid "Stays."\nmsgstr ""\n',
                  extra='"POT-Creation-Date: 2026-02-03 04:05+0000\\n"\n')
    _, _, result = run_both(tmp_path, po, pot)
    meta = result.po.metadata
    assert meta["POT-Creation-Date"] == "2026-02-03 04:05+0000"
    assert meta["Plural-Forms"] == "nplurals=2; plural=n != 1;"       # Weblate's spelling
    assert list(meta)[:3] == ["Project-Id-Version", "POT-Creation-Date", "Content-Type"]


def test_a_wrong_plural_rule_is_replaced():
    assert _same_plurals("nplurals=2; plural=n != 1;", "nplurals=2; plural=(n != 1);")
    assert not _same_plurals("nplurals=2; plural=n > 1;", "nplurals=2; plural=(n != 1);")
    assert not _same_plurals("nplurals=1; plural=0;", "nplurals=2; plural=(n != 1);")


def _edit(rnd: random.Random, text: str) -> str:
    words = text.split(" ")
    i = rnd.randrange(len(words))
    choice = rnd.random()
    if choice < 0.4:
        words[i] = words[i][::-1]
    elif choice < 0.7:
        words.insert(i, rnd.choice(["new", "also", "very", "Chongqing", "2024"]))
    elif len(words) > 2:
        del words[i]
    return " ".join(words)


@pytest.mark.parametrize("seed", range(4))
def test_random_edits_of_real_catalogs_decide_like_msgmerge(tmp_path, seed):
    """Edit, drop and add sentences of the repository's real catalogs; every
    decision (kept, fuzzy from which entry, new, obsolete) as msgmerge's."""
    rnd = random.Random(seed)
    locale = ["de", "zh_Hans"][seed % 2]
    po_path = sorted((REPO / "locales" / locale).glob("*.po"))[seed // 2 % 2]
    po = catalog.load(po_path)
    pot = catalog.load(REPO / "locales" / "templates" / (po_path.stem + ".pot"))
    live = [e for e in pot]
    for e in rnd.sample(live, len(live) // 4):
        e.msgid = _edit(rnd, e.msgid)
    for e in rnd.sample(live, len(live) // 10):
        pot.remove(e)
    for e in rnd.sample(list(pot), 3):
        twin = pofile.parse(pofile.serialize(pot))[0]
        twin.msgid, twin.occurrences = _edit(rnd, e.msgid) + " (bis)", [("x.html", "1")]
        pot.append(twin)
    gnu, ours, result = run_both(tmp_path, pofile.serialize(po), pofile.serialize(pot), locale)
    assert result.fuzzy > 0 and result.kept > 0
    assert ours == gnu


def test_fuzzy_index_prefers_more_similar_and_ignores_untranslated():
    old = catalog.pofile.parse(po_text(
        'msgid "Trade corridor opens in Chongqing"\nmsgstr ""\n\n'
        'msgid "Trade corridor opens in Chengdu"\nmsgstr "Handelskorridor in Chengdu"\n\n'
        'msgid "Rail line opens"\nmsgstr "Bahnlinie eröffnet"\n'))
    index = FuzzyIndex(old)
    assert index.search(None, "Trade corridor opens in Chongqing!").msgstr.endswith("Chengdu")
    assert index.search(None, "Completely unrelated words") is None


def test_update_through_the_cli_matches_msgmerge_on_an_edited_page(project, l10n, tmp_path):
    """What a user does: edit a page, run update; msgmerge on the same old PO
    and new POT decides the same for every entry."""
    slug = "asia-europe-cooperation-bring-development-opportunities-to-chongqing"
    po_path = project / "locales" / "de" / f"{slug}.po"
    l10n(project, "update", "-l", "de")
    old = tmp_path / "old.po"
    shutil.copy(po_path, old)
    page = project / "source" / f"{slug}.html"
    html = page.read_text(encoding="utf-8")
    sentences = re.findall(r"<p>([A-Z][^<]{40,}?\.)", html)[:3]
    assert sentences
    for s in sentences:
        html = html.replace(s, s.replace(" the ", " the new ", 1), 1)
    page.write_text(html, encoding="utf-8")
    l10n(project, "update", "-l", "de")
    pot = project / "locales" / "templates" / f"{slug}.pot"
    gnu = tmp_path / "gnu.po"
    subprocess.run(["msgmerge", "--previous", "-q", str(old), str(pot), "-o", str(gnu)], check=True)
    # update annotates each locale's copy of the template with its glossary terms (#.)
    drop_notes = lambda blocks: [re.sub(r"^#\..*\n", "", b, flags=re.M) for b in blocks]  # noqa: E731
    assert drop_notes(entries(po_path)) == drop_notes(entries(gnu))
    assert "#, fuzzy" in po_path.read_text(encoding="utf-8")


def test_contexts_match_exactly_and_lend_suggestions_across_contexts(tmp_path):
    po = po_text('msgctxt "menu"\nmsgid "Open the trade corridor page"\nmsgstr "Korridorseite öffnen"\n\n'
                 'msgctxt "button"\nmsgid "Open the trade corridor page"\nmsgstr "Öffnen"\n\n'
                 'msgid "Read the full article on the corridor"\nmsgstr "Ganzen Artikel lesen"\n')
    pot = po_text('msgctxt "button"\nmsgid "Open the trade corridor pages"\nmsgstr ""\n\n'
                  'msgctxt "footer"\nmsgid "Open the trade corridor page"\nmsgstr ""\n\n'
                  'msgctxt "link"\nmsgid "Read the full article on the corridor"\nmsgstr ""\n')
    gnu, ours, result = run_both(tmp_path, po, pot)
    assert ours == gnu
    assert result.fuzzy == 3


CORPUS = Path("/work/shared/corpus/real-pages")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not on this machine")
@pytest.mark.parametrize("page, seed", [("youth", 1), ("aktualne", 2), ("seattletimes-1", 3)])
def test_random_edits_of_corpus_catalogs_with_drafts_and_gaps(tmp_path, l10n, page, seed):
    """Real pages in three languages; the old PO has untranslated, fuzzy,
    fuzzy-but-empty and obsolete entries, as a half-done locale has."""
    project = tmp_path / "p"
    (project / "source").mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", project)
    shutil.copy(REPO / "glossary.csv", project)
    shutil.copy(CORPUS / page / "source.html", project / "source" / f"{page}.html")
    l10n(project, "extract")
    pot = catalog.load(project / "locales" / "templates" / f"{page}.pot")
    rnd = random.Random(seed)
    po = pofile.parse(pofile.serialize(pot))
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    for e in po:
        e.msgstr = e.msgid.upper() if rnd.random() < 0.8 else ""
        e.flags += ["fuzzy"] if rnd.random() < 0.15 else []
        e.obsolete = rnd.random() < 0.05
    live = list(pot)
    for e in rnd.sample(live, len(live) // 3):
        e.msgid = _edit(rnd, e.msgid)
    for e in rnd.sample(live, len(live) // 8):
        pot.remove(e)
    seen: set[str] = set()
    for e in list(pot):
        if e.msgid in seen:
            pot.remove(e)
        seen.add(e.msgid)
    gnu, ours, result = run_both(tmp_path, pofile.serialize(po), pofile.serialize(pot))
    assert result.fuzzy > 0
    assert ours == gnu


def test_an_obsolete_copy_keeps_its_format_flag_and_fuzzy(tmp_path):
    po = po_text('#, fuzzy, python-format\n#| msgid "Was %s"\nmsgid "Gone %s"\nmsgstr "Weg %s"\n\n'
                 '#, c-format, range: 1..5\nmsgid "Also gone %d"\nmsgstr "Auch weg %d"\n')
    pot = po_text('msgid "Something unrelated entirely"\nmsgstr ""\n')
    gnu, ours, _ = run_both(tmp_path, po, pot)
    assert ours == gnu
