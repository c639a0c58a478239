"""Attacks on the build state and on publish's output folder: an incremental
run must give what a run from scratch gives, and publish must never delete
or overwrite what it did not write."""

from __future__ import annotations

import os
import shutil
import time
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


def test_an_empty_folder_made_in_the_live_site_does_not_stop_publishing(project, l10n):
    """A folder someone made in a published generation (certbot's webroot
    leaves .well-known/acme-challenge/ behind) holds nothing to lose: publish
    goes on, and the old generation is still cleaned away in time."""
    l10n(project, "publish", "--all")
    (project / "public" / ".well-known" / "acme-challenge").mkdir(parents=True)
    (project / "public" / "zh_Hans" / "tmp").mkdir()
    page = project / "source" / f"{ASIA}.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", "</h1><p>One more line.</p>", 1),
                    encoding="utf-8")
    for _ in range(3):
        l10n(project, "publish", "--all")
        page.write_text(page.read_text(encoding="utf-8").replace("One more", "And one more", 1),
                        encoding="utf-8")
    generations = [p.name for p in project.iterdir() if p.name.startswith(".public.")]
    assert len(generations) == 2, generations          # the live one and the one before
    # a folder holding a file of someone's is still refused
    (project / "public" / "zh_Hans" / "mine.txt").write_text("mine", encoding="utf-8")
    assert "zh_Hans/mine.txt" in l10n(project, "publish", "--all", expect=2).stderr


def test_a_cache_folder_around_the_source_folder_keeps_the_assets(project, l10n):
    """cache_dir = "." holds source/: its subfolders are assets, not the cache
    (images went missing from the site); a link to the cache folder itself
    still is not published."""
    conf = project / "pyproject.toml"
    conf.write_text(conf.read_text(encoding="utf-8").replace('cache_dir = ".l10n-cache"',
                                                             'cache_dir = "."', 1), encoding="utf-8")
    (project / "source" / "root").symlink_to("..")
    r = l10n(project, "publish", "--all")
    images = sorted(p.name for p in (project / "source" / "images").iterdir())
    assert images and sorted(p.name for p in (project / "public" / "images").iterdir()) == images
    assert not (project / "public" / "root").exists() and "source/root" in r.stderr
    assert not list((project / "public").rglob("state.sqlite"))


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


def _same_size_same_mtime(path: Path, old: str, new: str) -> None:
    """Edit ``path`` keeping its size and putting its mtime back (``touch -r``,
    ``cp -p``, ``rsync -a``, an archive unpacked over the project)."""
    st = path.stat()
    data = path.read_bytes()
    assert len(old.encode()) == len(new.encode()) and old.encode() in data
    path.write_bytes(data.replace(old.encode(), new.encode(), 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


def test_an_edit_keeping_size_and_mtime_is_seen_by_every_step(project, l10n):
    """The fingerprint trusted a file whose size and mtime were as recorded,
    so a restored or copied file (mtime kept) went unseen: publish said `up
    to date` with the old translation live, status counted the old states.
    The inode and ctime (which no tool can set back) now count too."""
    po = project / "locales" / "zh_Hans" / f"{MEDIA}.po"
    l10n(project, "update", "--all")
    l10n(project, "publish", "--all")
    l10n(project, "status")
    _same_size_same_mtime(po, "媒体代表团走进中国西南", "记者代表团走进中国西南")
    r = l10n(project, "publish", "--all")
    assert "up to date" not in r.stdout, r
    page = (project / "public" / "zh_Hans" / f"{MEDIA}.html").read_text(encoding="utf-8")
    assert "记者代表团走进中国西南" in page and "媒体代表团走进中国西南" not in page
    # a reviewed entry made fuzzy by hand, same size: status and update see it
    before = l10n(project, "status").stdout
    _same_size_same_mtime(po, "\n#. lead\n", "\n#,fuzzy\n")
    assert l10n(project, "status").stdout != before


def test_a_file_changed_in_the_tick_it_was_fingerprinted_is_read_again(tmp_path, monkeypatch):
    """A save landing within the file system's timestamp resolution of the
    moment a run hashed the file gets the same size, mtime and ctime: such a
    fingerprint is not trusted by the next run (git's racy-clean rule); one
    taken long after the file's last change is."""
    import time
    from l10n_tool import buildstate
    fresh, old = tmp_path / "fresh.po", tmp_path / "old.po"
    for p in (fresh, old):
        p.write_text("one")
    real_stat = os.stat
    now = time.time_ns()

    class Stat:
        def __init__(self, path, when):
            st = real_stat(path)
            self.st_size, self.st_ino = st.st_size, 1234
            self.st_mtime_ns = self.st_ctime_ns = when
    fake = {os.fspath(fresh): now, os.fspath(old): now - 3600 * 10**9}
    monkeypatch.setattr(buildstate.os, "stat",
                        lambda p, *a, **k: Stat(p, fake[os.fspath(p)]) if os.fspath(p) in fake
                        else real_stat(p, *a, **k))
    with buildstate.BuildState(tmp_path / "state.sqlite") as state:
        one = {p: state.fingerprint(p) for p in (fresh, old)}
    for p in (fresh, old):
        p.write_text("two")                       # same size; the fake stat is unchanged
    with buildstate.BuildState(tmp_path / "state.sqlite") as state:
        assert state.fingerprint(fresh) == buildstate.content_sha(b"two")
        assert state.fingerprint(old) == one[old]      # trusted: not read again


def test_a_file_with_a_future_mtime_is_trusted_once_its_change_is_old(tmp_path, monkeypatch):
    """An unzipped file, or one copied with its times from a machine whose clock is
    ahead, has an mtime in the future: the racy-clean rule goes by ctime, which the
    kernel sets, or every run would read such a file again, forever."""
    from l10n_tool import buildstate
    path = tmp_path / "page.html"
    path.write_text("one")
    later = time.time() + 86400
    os.utime(path, (later, later))
    real_stat = os.stat
    changed = time.time_ns() - 3600 * 10**9

    class Stat:                        # the change itself an hour old
        def __init__(self, st):
            self.st_size, self.st_ino, self.st_mtime_ns = st.st_size, st.st_ino, st.st_mtime_ns
            self.st_ctime_ns = changed
    monkeypatch.setattr(buildstate.os, "stat", lambda p, *a, **k: Stat(real_stat(p, *a, **k))
                        if os.fspath(p) == os.fspath(path) else real_stat(p, *a, **k))
    reads = []
    real_sha = buildstate.content_sha
    monkeypatch.setattr(buildstate, "content_sha", lambda data: reads.append(1) or real_sha(data))
    for _ in range(3):
        with buildstate.BuildState(tmp_path / "state.sqlite") as state:
            state.fingerprint(path)
    assert len(reads) == 1


def test_an_asset_link_to_the_site_or_the_cache_is_not_published(project, l10n, tmp_path):
    """``source/mirror -> ../public`` copied the live site into the new one,
    which held the one before: every publish wrote it all again, one level
    deeper, and never was up to date. A link to the build cache put the
    translation memory on the web. Both are the tool's own folders: skipped
    with a warning, like a link out of the project."""
    (project / "source" / "mirror").symlink_to("../public")
    (project / "source" / "cache").symlink_to("../.l10n-cache")
    (project / "source" / "state.sqlite").symlink_to("../.l10n-cache/state.sqlite")
    l10n(project, "publish", "--all")
    r = l10n(project, "publish", "--all")
    assert "up to date" in r.stdout, r
    for name in ("mirror", "cache", "state.sqlite"):
        assert not (project / "public" / name).exists()
        assert f"warning: source/{name}: symlink to " in r.stderr, r
    assert "points into the published site" in r.stderr and "into the build cache" in r.stderr
    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, symlinks=True, ignore=shutil.ignore_patterns(
        ".l10n-cache", "public", ".public.*"))
    l10n(fresh, "publish", "--all")
    assert sorted(_names(fresh / "public")) == sorted(_names(project / "public"))


def _names(folder: Path) -> list[str]:
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*")]


def test_a_live_site_whose_marker_was_deleted_says_what_to_do(project, l10n):
    """Refused (the marker is what proves the files are publish's), but not
    as a symlink 'publish did not make': it did, and the line says how to
    start afresh."""
    l10n(project, "publish", "--all")
    (project / "public" / ".l10n-publish").unlink()
    live = os.readlink(project / "public")
    r = l10n(project, "publish", "--all", expect=2)
    assert f"it links to {live}, whose .l10n-publish marker is gone" in r.stderr, r
    assert "remove the public link" in r.stderr and r.stderr.count("\n") == 1
    (project / "public").unlink()
    l10n(project, "publish", "--all")
    assert (project / live).is_dir()               # not ours any more: never deleted


def test_a_changed_tool_reads_the_translation_memory_again(tmp_path, monkeypatch):
    """The memory was kept under each PO file's bare content hash, so a new
    version of the tool (another rule for which entries are reviewed) kept
    the rows an older one chose until each file happened to change."""
    from l10n_tool import buildstate
    files = [tmp_path / f"{n}.po" for n in "ab"]
    for p in files:
        p.write_text(p.name)
    read = []

    def refresh():
        with buildstate.BuildState(tmp_path / "state.sqlite") as state:
            state.refresh_memory("de", files, lambda p: read.append(p.name) or [(None, "x", "y")])
    refresh()
    refresh()
    assert read == ["a.po", "b.po"]                     # same tool: not read again
    buildstate.code_version.cache_clear()
    monkeypatch.setattr(buildstate, "__version__", "9.9.9")
    try:
        refresh()
    finally:
        buildstate.code_version.cache_clear()
    assert read == ["a.po", "b.po"] * 2


def test_workers_of_a_killed_run_stop_with_it(tmp_path):
    """SIGKILL of a run left its forked workers running: they went on
    writing files for a run that was gone, holding the project lock."""
    import signal
    import subprocess
    import sys
    import time
    from conftest import REPO
    pids = tmp_path / "pids"
    pids.mkdir()
    code = ("import os, time; from l10n_tool import workers\n"
            "def work(n):\n"
            f"    open(os.path.join({str(pids)!r}, str(os.getpid())), 'w').close()\n"
            "    time.sleep(30)\n"
            "workers.fan_out(work, list(range(4)), workers=2, minimum=1)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=str(REPO)))
    deadline = time.monotonic() + 20
    while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    started = [int(p.name) for p in pids.iterdir()]
    assert len(started) == 2
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(pid) for pid in started):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in started)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
