"""Attacks on the incremental fast paths: taking over the generation before
the live one, publishing only the pages that changed, updating only the
files that changed. Each test compares with a from-scratch run or states
precisely what must hold."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from test_incremental import edit, full_run, snapshot
from test_publish import ASIA, MEDIA, set_msgstr
from test_publish_incremental import (assert_as_from_scratch, edit_asset, edit_entry,
                                      edit_page, full_build,
                                      generations, published, site_files,  # noqa: F401
                                      withhold_linked_page)

#: every test twice: with files as fresh as a test makes them, and as old as a
#: newsroom's (see conftest's racy_window)
pytestmark = pytest.mark.usefixtures("racy_window")


def live(project: Path) -> Path:
    return (project / "public").resolve()


def base_of(project: Path) -> Path:
    """The generation the live one names as its base (the next take-over)."""
    marker = json.loads((live(project) / ".l10n-publish").read_text(encoding="utf-8"))
    return project / marker["generation"]["base"]


def comment_po(path: Path) -> None:
    """A translator's comment at the top: the file's fingerprint changes, the
    site it publishes does not."""
    path.write_text("# checked by the desk\n" + path.read_text(encoding="utf-8"),
                    encoding="utf-8")


def workers_on(monkeypatch) -> None:
    from l10n_tool import workers
    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)
    monkeypatch.setenv("L10N_WORKERS", "2")


# -- taking over the generation before the live one

def test_a_file_put_in_a_folder_holding_only_folders_is_never_published(project, l10n):
    """source/static/img/logo.svg: the base generation's static/ holds only
    a folder, so its mtime is not among the base_dirs checked; a person's
    file put there must neither go live nor stop later publishes."""
    img = project / "source" / "static" / "img"
    img.mkdir(parents=True)
    (img / "logo.svg").write_text("<svg/>\n", encoding="utf-8")
    l10n(project, "update", "--all")
    l10n(project, "publish", "--all")
    edit_page(project)
    l10n(project, "publish", "--all")
    base = base_of(project)
    (base / "static" / "notes.txt").write_text("mine", encoding="utf-8")
    edit_entry(project)
    l10n(project, "publish", "--all")
    assert not (project / "public" / "static" / "notes.txt").exists()
    assert (base / "static" / "notes.txt").read_text(encoding="utf-8") == "mine"
    edit_asset(project)
    l10n(project, "publish", "--all")          # not refused for a file publish did not write


@pytest.mark.parametrize("to_folder", [True, False], ids=["file-to-folder", "folder-to-file"])
def test_an_asset_file_replaced_by_a_folder_of_its_name(project, l10n, tmp_path, to_folder):
    """source/downloads was a file and becomes a folder (or the other way):
    with a fresh staging this is a new file; with a taken-over generation the
    old entry is still in the way when the new one is written."""
    src = project / "source" / "downloads"

    def as_file():
        shutil.rmtree(src, ignore_errors=True)
        src.write_text("one file\n", encoding="utf-8")

    def as_folder():
        if src.is_file():
            src.unlink()
        src.mkdir(exist_ok=True)
        (src / "guide.txt").write_text("a guide\n", encoding="utf-8")
    first, then = (as_file, as_folder) if to_folder else (as_folder, as_file)
    first()
    l10n(project, "update", "--all")
    l10n(project, "publish", "--all")
    edit_page(project)
    l10n(project, "publish", "--all")          # the live marker now names a base
    then()
    r = l10n(project, "publish", "--all", expect=None)
    fresh, full = full_build(project, tmp_path, l10n, "--all")
    assert r.exit_code == full.exit_code == 0, (r, full)
    assert site_files(project) == site_files(fresh)


def test_a_page_rendered_again_after_a_wrong_guess_is_the_right_one(published, l10n, tmp_path,
                                                                    monkeypatch):
    """A worker guesses where ASIA's link to MEDIA points from the last
    decision remembered (here one made for another --out: withheld); the
    guess proves wrong and ASIA is rendered again, now exactly the live
    file. In a taken-over generation put() then keeps "the live file",
    which the staging no longer holds: the worker's wrong page goes live."""
    project = published
    edit_asset(project)
    l10n(project, "publish", "--all")          # generation 2: the next one is a take-over
    po = project / "locales" / "zh_Hans" / f"{MEDIA}.po"
    kept = po.read_bytes()
    withhold_linked_page(project)
    l10n(project, "publish", "--all", "--out", str(tmp_path / "elsewhere"))
    po.write_bytes(kept)                       # MEDIA zh live again, as the live site has it
    comment_po(project / "locales" / "zh_Hans" / f"{ASIA}.po")
    workers_on(monkeypatch)
    r = l10n(project, "publish", "--all", expect=None)
    asia = project / "public" / "zh_Hans" / f"{ASIA}.html"
    assert f'href="../en/{MEDIA}.html' not in asia.read_text(encoding="utf-8")
    monkeypatch.setenv("L10N_WORKERS", "1")
    fresh, full = full_build(project, tmp_path, l10n, "--all")
    assert r.exit_code == full.exit_code
    assert site_files(project) == site_files(fresh)


def test_a_publish_whose_inputs_changed_but_not_its_output_touches_nothing(published, l10n):
    """A translator's comment changes a PO file's fingerprint, not the site:
    publish says "up to date", and must leave the live generation live and
    the previous one in place (write(): "nothing at all is touched when
    nothing changed"). _finish's shortcut compares the marker as a dict,
    where the policy's ``required`` is a tuple in this run's and a list in
    the JSON read back, so it never matches: the base is taken over and a
    new, identical generation goes live."""
    project = published
    edit_asset(project)
    l10n(project, "publish", "--all")
    before, was_live = sorted(generations(project)), live(project)
    previous = base_of(project)
    comment_po(project / "locales" / "zh_Hans" / f"{ASIA}.po")
    r = l10n(project, "publish", "--all")
    assert "up to date" in r.stdout
    assert live(project) == was_live
    assert sorted(generations(project)) == before
    assert previous.is_dir() and (previous / ".l10n-publish").is_file()


def test_a_killed_take_over_leaves_nothing_behind(published, l10n, tmp_path):
    """A publish SIGKILLed just after taking the base over leaves it as a
    staging folder of a dead process; the next publishes make the site
    afresh, then take over again, byte for byte a full build."""
    project = published
    edit_page(project)
    l10n(project, "publish", "--all")
    base = base_of(project)
    os.rename(base, project / ".public.staging-999999999")    # what the killed run left
    for step in (edit_entry, edit_asset):
        step(project)
        r = l10n(project, "publish", "--all")
        assert_as_from_scratch(project, tmp_path, l10n, r, step.__name__)
        assert not (project / ".public.staging-999999999").exists()
        assert len(generations(project)) == 2


def test_a_live_file_deleted_by_hand_that_the_base_lacks(published, l10n, tmp_path):
    """A file of the live generation that differs from the base's is deleted
    by hand: bringing the base up to date cannot link it, and the site must
    still come out as a full build."""
    project = published
    edit_page(project)
    l10n(project, "publish", "--all")
    (project / "public" / "en" / f"{ASIA}.html").unlink()
    edit_entry(project)
    r = l10n(project, "publish", "--all")
    assert_as_from_scratch(project, tmp_path, l10n, r)
    edit_asset(project)
    l10n(project, "publish", "--all")
    fresh, _ = full_build(project, tmp_path, l10n, "--all")
    assert site_files(project) == site_files(fresh)


def test_a_live_file_edited_in_place_is_put_back_in_a_taken_over_generation(published, l10n,
                                                                            tmp_path):
    """Edited in place, the file is the base's too (a hard link): a partial
    publish must neither adopt it nor leave it in the next generation."""
    project = published
    edit_page(project)
    l10n(project, "publish", "--all")
    page = project / "public" / "zh_Hans" / f"{MEDIA}.html"
    with open(page, "ab") as f:
        f.write(b"<!-- defaced -->")
    for step in (edit_entry, lambda p: comment_po(p / "locales" / "de" / f"{ASIA}.po")):
        step(project)
        l10n(project, "publish", "--all")
        fresh, _ = full_build(project, tmp_path, l10n, "--all")
        assert site_files(project) == site_files(fresh)


def test_many_publishes_with_workers_and_subsets(published, l10n, tmp_path, monkeypatch):
    """Take-overs in a row with workers, a -l subset, a withheld page going
    live again and a title change: every result is a full build's."""
    project = published
    workers_on(monkeypatch)
    po = project / "locales" / "zh_Hans" / f"{MEDIA}.po"
    kept = po.read_bytes()
    steps = [(edit_page, ()), (withhold_linked_page, ()), (lambda p: po.write_bytes(kept), ()),
             (edit_entry, ("-l", "zh_Hans")),
             (lambda p: set_msgstr(po, "Media Delegation Visits SW China", "媒体代表团走进西南"),
              ()),
             (edit_asset, ())]
    for n, (step, args) in enumerate(steps):
        step(project)
        r = l10n(project, "publish", *(args or ("--all",)), expect=None)
        with monkeypatch.context() as serial:
            serial.setenv("L10N_WORKERS", "1")
            fresh, full = full_build(project, tmp_path, l10n, "--all")
        if not args:
            assert site_files(project) == site_files(fresh), n
            assert r.exit_code == full.exit_code, n
        assert len(generations(project)) == 2, n


# -- publishing only the pages that changed

def test_a_page_changed_after_a_withheld_one_went_live_again(published, l10n, tmp_path):
    """Partial publishes after whole ones and back: a page withheld, then
    live again, then a plain edit (a partial build) on a taken-over
    generation."""
    project = published
    po = project / "locales" / "zh_Hans" / f"{MEDIA}.po"
    kept = po.read_bytes()
    for step in (withhold_linked_page, lambda p: po.write_bytes(kept), edit_entry,
                 lambda p: comment_po(p / "locales" / "de" / f"{MEDIA}.po")):
        step(project)
        r = l10n(project, "publish", "--all")
        assert_as_from_scratch(project, tmp_path, l10n, r)


def test_build_state_deleted_between_take_overs(published, l10n, tmp_path):
    project = published
    edit_page(project)
    l10n(project, "publish", "--all")
    shutil.rmtree(project / ".l10n-cache")
    edit_entry(project)
    r = l10n(project, "publish", "--all")
    assert_as_from_scratch(project, tmp_path, l10n, r)


# -- updating only the files that changed

def test_update_a_translation_removed_and_a_page_edited(project, l10n, tmp_path):
    """A translator empties an entry (the memory loses it, nothing gained)
    while the article changes: the few-files update equals a full one, and
    the next no-op run reports the same."""
    l10n(project, "update", "--all")
    de = project / "locales" / "zh_Hans" / f"{MEDIA}.po"
    import polib
    po = polib.pofile(str(de))
    entry = next(e for e in po if e.msgstr and not e.obsolete and "<" not in e.msgid)
    entry.msgstr = ""
    po.save(str(de))
    edit(project / "source" / f"{ASIA}.html", "Esko Aho thought", "Esko Aho firmly thought")
    first = l10n(project, "update", "--all")
    assert snapshot(project) == full_run(project, l10n, tmp_path, "twin1")
    again = l10n(project, "update", "--all")
    assert again.stdout.splitlines()[-1:] == first.stdout.splitlines()[-1:] or \
        "up to date" in again.stdout


def test_update_subset_then_all_after_a_page_edit(project, l10n, tmp_path):
    """-l merges one locale's files for an edited page; the next run for all
    locales must still merge the other locale's file of that page."""
    l10n(project, "update", "--all")
    edit(project / "source" / f"{ASIA}.html", "Esko Aho thought", "Esko Aho firmly thought")
    l10n(project, "update", "-l", "zh_Hans")
    edit(project / "source" / f"{MEDIA}.html", "Yangtze", "Yangtze River", )
    l10n(project, "update", "--all")
    assert snapshot(project) == full_run(project, l10n, tmp_path, "twin2")
