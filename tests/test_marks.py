"""Stat marks: how a run on a 10,000-page site tells the few files that
changed from the rest without a look at their records or their content, and
keeps the source folder's listing while the folder's own stat is as it was."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from l10n_tool import buildstate
from l10n_tool.buildstate import BuildState, joint_mark

#: the racy window these tests use: a file changed longer ago than this is "old"
WINDOW = 50 * 10**6


@pytest.fixture
def short_window(monkeypatch):
    monkeypatch.setattr(buildstate, "_RACY_NS", WINDOW)


def _age() -> None:
    """Let every file written so far become older than the racy window."""
    time.sleep(2 * WINDOW / 1e9)


def test_a_mark_holds_while_the_stat_does_and_a_fresh_file_never_matches(
        tmp_path, short_window):
    page = tmp_path / "page.html"
    page.write_text("one")
    missing = os.fspath(tmp_path / "gone.html")
    with BuildState(tmp_path / "state.sqlite") as state:
        fresh = state.marks([os.fspath(page), missing])
    assert fresh[os.fspath(page)] < 0 and fresh[missing] == 0   # changed just now: not trusted
    _age()
    with BuildState(tmp_path / "state.sqlite") as state:
        first = state.marks([os.fspath(page)])[os.fspath(page)]
    with BuildState(tmp_path / "state.sqlite") as state:
        again = state.marks([os.fspath(page)])[os.fspath(page)]
    assert first > 0 and first == again and first != fresh[os.fspath(page)]
    page.write_text("two")                          # same size: the mtime and ctime tell
    with BuildState(tmp_path / "state.sqlite") as state:
        assert state.marks([os.fspath(page)])[os.fspath(page)] != first
    _age()
    with BuildState(tmp_path / "state.sqlite") as state:
        later = state.marks([os.fspath(page)])[os.fspath(page)]
    assert later > 0 and later != first


def test_two_fresh_files_marked_by_two_runs_never_look_alike(tmp_path):
    """The racy rule as git has it: a file changed within the window of the
    run's stat gets a mark of that run's own; the next run, however soon,
    sees a different one and looks at the file."""
    page = tmp_path / "page.html"
    page.write_text("one")
    marks = []
    for _ in range(3):
        with BuildState(tmp_path / "state.sqlite") as state:
            marks.append(state.marks([os.fspath(page)])[os.fspath(page)])
    assert len(set(marks)) == 3 and all(m < 0 for m in marks)
    assert joint_mark([5, marks[0]]) == marks[0] and joint_mark([5, 7]) == joint_mark([5, 7])
    assert joint_mark([5, 7]) != joint_mark([7, 5]) and joint_mark([5, 7]) > 0


def test_an_unchanged_mark_keeps_the_fingerprint_without_reading_file_or_records(
        tmp_path, short_window, monkeypatch):
    files = [tmp_path / f"p{i}.po" for i in range(300)]     # more than are asked one by one
    for i, f in enumerate(files):
        f.write_text(f"entry {i}")
    paths = [os.fspath(f) for f in files]
    _age()
    with BuildState(tmp_path / "state.sqlite") as state:
        fps, marks = state.fingerprints(paths)
    reads = []
    real = buildstate.content_sha
    monkeypatch.setattr(buildstate, "content_sha", lambda data: reads.append(data) or real(data))
    files[7].write_text("entry 7, revised")
    with BuildState(tmp_path / "state.sqlite") as state:
        again, new_marks = state.fingerprints(paths, (fps, marks))
        assert state._files is None                  # no record of the 299 others loaded
    assert reads == [b"entry 7, revised"]
    assert again[paths[7]] != fps[paths[7]] and new_marks[paths[7]] != marks[paths[7]]
    assert {p: again[p] for p in paths if p != paths[7]} == \
        {p: fps[p] for p in paths if p != paths[7]}
    # the same answer as a run that had nothing to go by
    with BuildState(tmp_path / "other.sqlite") as state:
        assert state.fingerprints(paths)[0] == again


def test_a_file_saved_after_its_mark_was_taken_has_moved(tmp_path, short_window):
    """A translator's save landing after the run took the file's mark (not
    its fingerprint: the mark was the last run's) is seen as a move, so what
    it adds to the memory is left for the next run."""
    po = tmp_path / "de.po"
    po.write_text("one")
    _age()
    with BuildState(tmp_path / "state.sqlite") as state:
        fps, marks = state.fingerprints([os.fspath(po)])
    with BuildState(tmp_path / "state.sqlite") as state:
        state.fingerprints([os.fspath(po)], (fps, marks))
        assert not state.moved(po)
        po.write_text("one, saved by a translator")
        assert state.moved(po)


def _project(tmp_path: Path):
    from l10n_tool.config import load_settings
    from l10n_tool.project import Project
    root = tmp_path / "site"
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["de"]\n')
    for name in ("a.html", "b.html"):
        (root / "source" / name).write_text("<p>Some words here.</p>")
    return root, Project(load_settings(root))


def test_the_source_listing_is_kept_while_the_folder_is_as_it_was(tmp_path, short_window,
                                                                  monkeypatch):
    from l10n_tool.project import Project
    root, project = _project(tmp_path)
    listed = []
    real = Project._source_entries
    monkeypatch.setattr(Project, "_source_entries", lambda self: listed.append(1) or real(self))

    def names() -> list[str]:
        with BuildState(root / ".l10n-cache" / "state.sqlite") as state:
            return project.pages(state).names
    _age()
    assert names() == ["a.html", "b.html"] and names() == ["a.html", "b.html"]
    assert len(listed) == 1                          # the second run kept the first's listing
    (root / "source" / "b.html").write_text("<p>Edited in place.</p>")
    assert names() == ["a.html", "b.html"] and len(listed) == 1
    for change in (lambda: (root / "source" / "c.html").write_text("<p>New.</p>"),
                   lambda: (root / "source" / "a.html").unlink(),
                   lambda: os.replace(root / "source" / "b.html", root / "source" / "d.html"),
                   lambda: (root / "source" / "index.html").write_text("<p>Home.</p>")):
        change()
        want = sorted(p.name for p in (root / "source").iterdir())
        assert names()[:len(want)] == [n for n in want if n != "index.html"]
        _age()
        assert names() == [n for n in want if n != "index.html"]
    with BuildState(root / ".l10n-cache" / "state.sqlite") as state:
        assert "index.html" in str(project.pages(state).problems)


def test_a_listing_with_a_symlinked_page_is_made_every_time(tmp_path, short_window):
    """A link's target can change while the folder stays as it was: a page
    that now points out of the project must be refused on the next run."""
    root, project = _project(tmp_path)
    (root / "shared.html").write_text("<p>Shared words.</p>")
    (tmp_path / "outside.html").write_text("<p>Not ours.</p>")
    (root / "source" / "link.html").symlink_to(root / "shared.html")
    _age()
    with BuildState(root / ".l10n-cache" / "state.sqlite") as state:
        assert "link.html" in project.pages(state).names
    (root / "shared.html").unlink()
    (root / "shared.html").symlink_to(tmp_path / "outside.html")   # the folder is untouched
    _age()
    with BuildState(root / ".l10n-cache" / "state.sqlite") as state:
        pages = project.pages(state)
    assert "link.html" not in pages.names
    assert "outside the project" in str(pages.problems)
