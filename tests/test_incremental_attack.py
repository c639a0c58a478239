"""Attacks on the build state and on publish's output folder: an incremental
run must give what a run from scratch gives, and publish must never delete
or overwrite what it did not write."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from test_publish import ASIA, MEDIA


def _published_copy(project: Path, l10n, dest: Path) -> Path:
    """The project's site as an older version of publish left it: a real
    folder, no marker."""
    l10n(project, "publish", "--all")
    shutil.copytree(project / "public", dest)       # follows the link: a real folder
    (dest / ".l10n-publish").unlink()
    return dest


def test_an_old_site_folder_holding_a_persons_own_pages_is_refused(project, l10n, tmp_path):
    """A folder that looks like a site from before the marker, but holds a
    page of a person's own (at the top, or in a folder that is no locale),
    is not publish's: taking it for one made it the previous generation,
    deleted two publishes later."""
    for mine in ("about.html", "drafts/mine.html", "zh_Hans/notes.html"):
        out = _published_copy(project, l10n, tmp_path / "old-site")
        (out / mine).parent.mkdir(exist_ok=True)
        (out / mine).write_text("<p>my own page</p>")
        r = l10n(project, "publish", "--all", "--out", str(out), expect=2)
        assert "refusing to publish here" in r.stderr and mine in r.stderr, r
        assert not out.is_symlink() and (out / mine).read_text() == "<p>my own page</p>"
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".old-site.")]
        shutil.rmtree(out)
    # the site as the older version wrote it, and nothing else, is still migrated
    out = _published_copy(project, l10n, tmp_path / "old-site")
    l10n(project, "publish", "--all", "--out", str(out))
    assert out.is_symlink() and (out / "zh_Hans" / f"{ASIA}.html").is_file()


def test_empty_folders_in_the_output_folder_are_not_swept_away(project, l10n, tmp_path):
    """A folder holding only empty folders (a skeleton a person made) was
    taken for an empty one: published over, set aside and deleted by the
    next run."""
    out = tmp_path / "webroot"
    (out / "css" / "themes").mkdir(parents=True)
    (out / "js").mkdir()
    r = l10n(project, "publish", "--all", "--out", str(out), expect=2)
    assert "refusing to publish here" in r.stderr and "css/themes/" in r.stderr, r
    l10n(project, "publish", "--all", "--out", str(out), expect=2)
    assert (out / "css" / "themes").is_dir() and (out / "js").is_dir() and not out.is_symlink()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".webroot")] == []


def test_a_published_file_deleted_by_hand_is_put_back_even_if_its_folder_is_left_empty(
        project, l10n):
    l10n(project, "publish", "--all")
    images = sorted((project / "public" / "images").iterdir())
    for p in images:
        p.unlink()                                   # images/ now empty in the live site
    (project / "public" / "zh_Hans" / f"{MEDIA}.html").unlink()
    l10n(project, "publish", "--all")
    assert sorted(p.name for p in (project / "public" / "images").iterdir()) == \
        [p.name for p in images]
    assert (project / "public" / "zh_Hans" / f"{MEDIA}.html").is_file()


def test_an_unreadable_folder_in_the_output_is_refused(project, l10n, tmp_path, monkeypatch):
    """What a folder that cannot be listed holds is unknown: os.walk skipped
    it silently, so its parent counted as empty and was published over."""
    import l10n_tool.publish.build as build
    out = tmp_path / "webroot"
    (out / "private").mkdir(parents=True)
    real_walk = os.walk

    def walk(top, onerror=None, **kw):        # as a non-root user sees a mode-000 folder
        for entry in real_walk(top, onerror=onerror, **kw):
            if entry[0].endswith("private"):
                err = PermissionError(13, "Permission denied", entry[0])
                if onerror is not None:
                    onerror(err)
                continue
            yield entry
    monkeypatch.setattr(build.os, "walk", walk)
    r = l10n(project, "publish", "--all", "--out", str(out), expect=2)
    assert "refusing to publish here" in r.stderr and "private" in r.stderr, r
    assert (out / "private").is_dir() and not out.is_symlink()
