"""Attacks on update's few-files path (``_update_changed``): every sequence
must leave the same PO files and templates as a from-scratch update."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from test_incremental import ASIA, MEDIA, edit, full_run, snapshot

#: every test twice: with files as fresh as a test makes them, and as old as a
#: newsroom's (see conftest's racy_window)
pytestmark = pytest.mark.usefixtures("racy_window")


def _plain_untranslated(po_path: Path) -> polib.POEntry:
    po = polib.pofile(str(po_path))
    return next(e for e in po if not e.obsolete and not e.msgstr and "<" not in e.msgid
                and "&" not in e.msgid and "paragraph" in (e.comment or ""))


def _set_msgstr(po_path: Path, msgid: str, msgstr: str) -> None:
    po = polib.pofile(str(po_path))
    for e in po:
        if e.msgid == msgid:
            e.msgstr = msgstr
            if "fuzzy" in e.flags:
                e.flags.remove("fuzzy")
    po.save(str(po_path))


def _shared_sentence(project: Path, l10n, locale: str = "de") -> str:
    """A sentence of the asia page, untranslated, copied onto the media page."""
    l10n(project, "update", "-l", locale)
    target = _plain_untranslated(project / "locales" / locale / f"{ASIA}.po")
    edit(project / "source" / f"{MEDIA}.html", "</h1>", f"</h1>\n<p>{target.msgid}</p>")
    l10n(project, "update", "-l", locale)
    return target.msgid


# -- translator's save landing during a run --------------------------------------------

def test_translation_saved_while_the_run_reads_pages_fills_the_other_page(project, l10n,
                                                                          tmp_path, monkeypatch):
    """A translator's save of de/asia.po lands after update fingerprinted it but
    before the run merged asia (its page was edited). The merge keeps the save
    and remember() files its rows as memory, so no later run ever sees the gain:
    the other page's copy of that sentence stays untranslated for good."""
    msgid = _shared_sentence(project, l10n)
    edit(project / "source" / f"{ASIA}.html", "Esko Aho thought", "Esko Aho firmly thought")
    from l10n_tool.steps import update
    original = update.extract

    def extract(*args, **kwargs):
        _set_msgstr(project / "locales" / "de" / f"{ASIA}.po", msgid, "Foto")
        monkeypatch.setattr(update, "extract", original)
        return original(*args, **kwargs)
    monkeypatch.setattr(update, "extract", extract)
    l10n(project, "update", "-l", "de")
    monkeypatch.undo()
    l10n(project, "update", "-l", "de")
    media = polib.pofile(str(project / "locales" / "de" / f"{MEDIA}.po"))
    assert next(e for e in media if e.msgid == msgid).msgstr == "Foto"
    assert snapshot(project) == full_run(project, l10n, tmp_path, "twin", "-l", "de")


def test_a_run_that_failed_after_the_memory_was_committed_loses_the_gain(project, l10n,
                                                                        tmp_path, monkeypatch):
    """The memory refresh is committed before the merges; a merge that then fails
    ends the run, and the next run finds the memory already up to date with the
    translator's save: nothing gained, so the other page is never filled."""
    msgid = _shared_sentence(project, l10n)
    _set_msgstr(project / "locales" / "de" / f"{ASIA}.po", msgid, "Foto")
    from l10n_tool.steps import update
    original = update._merge_one
    calls = []

    def merge_one(project_, state, loc, reuse, slug, path):
        calls.append(slug)
        if slug == MEDIA:
            raise KeyboardInterrupt      # the user presses ^C, or the machine stops
        return original(project_, state, loc, reuse, slug, path)
    monkeypatch.setattr(update, "_merge_one", merge_one)
    try:
        l10n(project, "update", "-l", "de", expect=None)
    except KeyboardInterrupt:
        pass
    assert MEDIA in calls
    monkeypatch.undo()
    l10n(project, "update", "-l", "de")
    media = polib.pofile(str(project / "locales" / "de" / f"{MEDIA}.po"))
    assert next(e for e in media if e.msgid == msgid).msgstr == "Foto"
    assert snapshot(project) == full_run(project, l10n, tmp_path, "twin", "-l", "de")


# -- hand-edited templates and PO files --------------------------------------------------

def test_a_hand_edited_template_is_made_again(project, l10n, tmp_path):
    l10n(project, "update", "--all")
    pot = project / "locales" / "templates" / f"{ASIA}.pot"
    edit(pot, 'msgid "Esko Aho speaks', 'msgid "Someone speaks')
    l10n(project, "update", "--all")
    assert "Someone speaks" not in pot.read_text(encoding="utf-8")
    assert snapshot(project) == full_run(project, l10n, tmp_path, "twin")


def test_a_hand_edited_template_and_its_page_edited(project, l10n, tmp_path):
    l10n(project, "update", "--all")
    edit(project / "locales" / "templates" / f"{MEDIA}.pot", 'msgid "', 'msgid "X', )
    edit(project / "source" / f"{MEDIA}.html", "Yangtze", "Yangtze River")
    l10n(project, "update", "--all")
    assert snapshot(project) == full_run(project, l10n, tmp_path, "twin")


def test_translator_edits_of_every_kind_in_a_row(project, l10n, tmp_path):
    """msgstr changed, emptied, fuzzy flag removed, entry deleted, header language
    changed and changed back: after each, the same files as a full run."""
    l10n(project, "update", "--all")
    zh = project / "locales" / "zh_Hans" / f"{ASIA}.po"
    de = project / "locales" / "de" / f"{MEDIA}.po"

    def step(path, change, name):
        po = polib.pofile(str(path))
        change(po)
        po.save(str(path))
        l10n(project, "update", "--all")
        assert snapshot(project) == full_run(project, l10n, tmp_path, name), name

    def first(po, pred):
        return next(e for e in po if not e.obsolete and pred(e))

    step(zh, lambda po: setattr(first(po, lambda e: e.msgstr and "fuzzy" not in e.flags),
                                "msgstr", "改了"), "changed")
    step(zh, lambda po: setattr(first(po, lambda e: e.msgstr and "fuzzy" not in e.flags),
                                "msgstr", ""), "emptied")
    step(de, lambda po: setattr(first(po, lambda e: not e.msgstr), "msgstr", "Neu"), "added")

    def unfuzzy(po):
        e = first(po, lambda e: "fuzzy" in e.flags or not e.msgstr)
        e.msgstr = e.msgstr or "Geprüft"
        if "fuzzy" in e.flags:
            e.flags.remove("fuzzy")
    step(de, unfuzzy, "unfuzzy")
    step(zh, lambda po: po.remove(first(po, lambda e: bool(e.msgstr))), "deleted")
    step(de, lambda po: po.metadata.__setitem__("Language", "fr"), "french")
    step(de, lambda po: po.metadata.__setitem__("Language", "de"), "german")


def test_a_whole_po_file_deleted_then_put_back(project, l10n, tmp_path):
    l10n(project, "update", "--all")
    de = project / "locales" / "de" / f"{ASIA}.po"
    saved = de.read_bytes()
    de.unlink()
    l10n(project, "update", "--all")
    assert snapshot(project) == full_run(project, l10n, tmp_path, "gone")
    de.write_bytes(saved)
    l10n(project, "update", "--all")
    assert snapshot(project) == full_run(project, l10n, tmp_path, "back")


def test_a_deleted_template_is_made_again(project, l10n, tmp_path):
    l10n(project, "update", "--all")
    (project / "locales" / "templates" / f"{ASIA}.pot").unlink()
    l10n(project, "update", "--all")
    assert (project / "locales" / "templates" / f"{ASIA}.pot").exists()
    assert snapshot(project) == full_run(project, l10n, tmp_path, "twin")


# -- locale subsets, drafts, pages ---------------------------------------------------------

def test_locale_subsets_in_turn_with_edits_between(project, l10n, tmp_path):
    l10n(project, "update", "-l", "de")
    edit(project / "source" / f"{ASIA}.html", "Esko Aho thought", "Esko Aho firmly thought")
    l10n(project, "update", "--all")
    edit(project / "source" / f"{MEDIA}.html", "Yangtze", "Yangtze River")
    l10n(project, "update", "-l", "zh_Hans")
    zh = project / "locales" / "zh_Hans" / f"{ASIA}.po"
    po = polib.pofile(str(zh))
    next(e for e in po if not e.obsolete and e.msgstr and "fuzzy" not in e.flags).msgstr = ""
    po.save(str(zh))
    l10n(project, "update", "-l", "de")
    l10n(project, "update", "--all")
    assert snapshot(project) == full_run(project, l10n, tmp_path, "twin")


def test_pseudo_drafts_then_a_page_edit(project, l10n, tmp_path):
    l10n(project, "update", "--all")
    l10n(project, "translate", "-l", "de", "--engine", "pseudo")
    l10n(project, "update", "--all")
    edit(project / "source" / f"{ASIA}.html", "Esko Aho thought", "Esko Aho firmly thought")
    l10n(project, "update", "--all")
    assert snapshot(project) == full_run(project, l10n, tmp_path, "twin")


def test_a_page_made_unreadable_then_fixed(project, l10n, tmp_path):
    l10n(project, "update", "--all")
    page = project / "source" / f"{MEDIA}.html"
    good = page.read_bytes()
    page.write_bytes(b"\x00\x01binary")
    l10n(project, "update", "--all", expect=1)
    page.write_bytes(good.replace(b"Yangtze", b"Yangtze River"))
    l10n(project, "update", "--all")
    assert snapshot(project) == full_run(project, l10n, tmp_path, "twin")


def test_chrome_edited_then_put_back(project, l10n, tmp_path):
    l10n(project, "update", "--all")
    page = project / "source" / f"{ASIA}.html"
    old = "<li><a href=\"about.html\">About Us</a></li>"
    new = "<li><a href=\"about.html\">About the paper</a></li>"
    edit(page, old, new)
    l10n(project, "update", "--all")
    assert snapshot(project) == full_run(project, l10n, tmp_path, "one")
    edit(page, new, old)
    l10n(project, "update", "--all")
    assert snapshot(project) == full_run(project, l10n, tmp_path, "two")


def test_glossary_edited_and_state_deleted(project, l10n, tmp_path):
    l10n(project, "update", "--all")
    with open(project / "glossary.csv", "a", encoding="utf-8") as f:
        f.write("Esko Aho,fixed,,,a person's name\n")
    l10n(project, "update", "--all", expect=None)
    assert snapshot(project) == full_run(project, l10n, tmp_path, "gloss")
    shutil.rmtree(project / ".l10n-cache")
    edit(project / "source" / f"{ASIA}.html", "Esko Aho thought", "Esko Aho firmly thought")
    l10n(project, "update", "--all", expect=None)
    assert snapshot(project) == full_run(project, l10n, tmp_path, "nostate")


def test_a_po_file_arriving_during_the_run_is_seen_next_time(project, l10n, tmp_path,
                                                             monkeypatch):
    l10n(project, "update", "--all")
    edit(project / "source" / f"{ASIA}.html", "Esko Aho thought", "Esko Aho firmly thought")
    de = project / "locales" / "de" / f"{MEDIA}.po"
    saved = de.read_bytes()
    de.unlink()
    from l10n_tool.steps import update
    original = update._merge

    def merge(project_, state, loc, todo, run):
        if loc.code == "de" and not de.exists():
            de.write_bytes(saved)              # restored from a backup meanwhile
        return original(project_, state, loc, todo, run)
    monkeypatch.setattr(update, "_merge", merge)
    l10n(project, "update", "--all")
    monkeypatch.undo()
    l10n(project, "update", "--all")
    assert snapshot(project) == full_run(project, l10n, tmp_path, "twin")
