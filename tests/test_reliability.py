"""Issue 13: nothing lost, ever.

The project lock, a translator's save during a run (in-process at a chosen
moment, and a real concurrent writer beside a subprocess), SIGKILL/SIGINT at
seeded random moments of update, translate and publish, a full or read-only
disk, symlinked PO files, and a seeded fuzz test of the extract → publish
round trip.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import polib
import pytest

from conftest import REPO, all_catalogs, copy_project, msgfmt_check
from l10n_tool import catalog, fsutil
from l10n_tool.catalog import concurrent
from l10n_tool.catalog.concurrent import merge3, save_merged
from l10n_tool.errors import L10nError
from l10n_tool.lock import project_lock

ASIA = "asia-europe-cooperation-bring-development-opportunities-to-chongqing"
REAL_PAGES = Path("/work/shared/corpus/real-pages")
if not REAL_PAGES.is_dir():
    REAL_PAGES = REPO.parent / "shared" / "corpus" / "real-pages"


def lock_path(project: Path) -> Path:
    return project / ".l10n-cache" / "lock"


def cli_subprocess(project: Path, *args: str, **kw) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO), ARGOS_PACKAGES_DIR=str(project / ".argos"))
    return subprocess.Popen([sys.executable, "-c", "from l10n_tool.entry import main; main()",
                             "-C", str(project), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, **kw)


def run_done(project: Path, *args: str) -> None:
    """Run a command to the end; 1 (findings, such as MT problems) still counts as done."""
    r = subprocess.run([sys.executable, "-m", "l10n_tool", "-C", str(project), *args],
                       capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert r.returncode in (0, 1) and "Traceback" not in r.stderr, (args, r.stderr)


def poedit_save(path: Path, edit) -> None:
    """Change entries as an editor does: read the whole file, write it all back."""
    po = polib.pofile(str(path))
    edit(po)
    path.write_text(str(po) + "\n", encoding="utf-8")


def reviewed(project: Path) -> dict[tuple[str, str], str]:
    out = {}
    for path in sorted((project / "locales").glob("*/*.po")):
        for e in catalog.load(path):
            if catalog.is_reviewed(e):
                out[(path.relative_to(project).as_posix(), e.msgid)] = e.msgstr
    return out


def assert_catalogs_sound(project: Path, before: dict, killed: bool = False) -> None:
    """Every catalog parses (ours and msgfmt), no reviewed translation is lost,
    and no temp file is left, unless the run was killed mid-write: then only
    ones named after its (dead) process, which the next run removes."""
    for path in all_catalogs(project):
        catalog.load(path)
    msgfmt_check(*all_catalogs(project))
    after = reviewed(project)
    lost = {k: v for k, v in before.items() if after.get(k) != v}
    assert not lost, f"reviewed translations lost: {list(lost)[:3]}"
    left = [p for p in (project / "locales").rglob("*.tmp")
            if not (killed and (m := fsutil._STAGED.fullmatch(p.name))
                    and not fsutil.process_alive(int(m.group(1))))]
    assert not left


def pages_project(dest: Path, pages: int) -> Path:
    """The sample project plus ``pages`` real articles, so a run takes a moment."""
    copy_project(dest)
    for src in sorted(REAL_PAGES.glob("*/source.html"), key=lambda p: -p.stat().st_size)[:pages]:
        shutil.copy(src, dest / "source" / f"{src.parent.name}.html")
    text = (dest / "pyproject.toml").read_text(encoding="utf-8")
    text = text.replace("[tool.l10n.publish]\nmin_complete = 0", "[tool.l10n.publish]\nmin_complete = 0")
    text = re.sub(r"\[tool\.l10n\.publish\.de\]\nmin_complete = 80", "[tool.l10n.publish.de]\nmin_complete = 0", text)
    (dest / "pyproject.toml").write_text(text, encoding="utf-8")
    return dest


# --------------------------------------------------------------------------- the project lock

def test_busy_project_names_the_holder(project, l10n):
    holder = project_lock(project / ".l10n-cache", "translate").acquire()
    try:
        r = l10n(project, "update", "-l", "de", expect=2)
        line = r.stderr.strip()
        assert line.count("\n") == 0 and "project is busy" in line
        assert f"`l10n translate` (pid {os.getpid()}) running since" in line and "`l10n --wait update`" in line
        # reading commands do not need the lock
        l10n(project, "status")
    finally:
        holder.release()
    l10n(project, "update", "-l", "de")


def test_wait_queues_behind_the_holder(project, l10n):
    holder = project_lock(project / ".l10n-cache", "publish").acquire()
    released = []

    def release():
        time.sleep(0.5)
        released.append(time.monotonic())
        holder.release()
    t = threading.Thread(target=release)
    t.start()
    l10n(project, "--wait", "update", "-l", "de")
    finished = time.monotonic()
    t.join()
    assert released and finished >= released[0]


def test_a_killed_holder_leaves_no_stale_lock(project, l10n):
    code = ("import sys, time; from l10n_tool.lock import project_lock; "
            f"project_lock({str(project / '.l10n-cache')!r}, 'update').acquire(); "
            "print('held', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ, PYTHONPATH=str(REPO)))
    try:
        assert holder.stdout.readline().strip() == "held"
        r = l10n(project, "publish", "--all", expect=2)
        assert f"(pid {holder.pid})" in r.stderr
    finally:
        holder.kill()
        holder.wait()
    l10n(project, "update", "-l", "de")     # the lock died with its process


# --------------------------------------------------------------------------- a translator's save

def po_of(*entries) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr, flags in entries:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=list(flags)))
    return po


def test_three_way_merge_rules(tmp_path):
    base = po_of(("a", "", ()), ("b", "B-mt", ("fuzzy",)), ("c", "C", ()))
    disk = po_of(("a", "A-person", ()), ("b", "B-reviewed", ()), ("c", "C", ()), ("d", "D", ()))
    ours = po_of(("a", "A-mt", ("fuzzy",)), ("b", "B-mt2", ("fuzzy",)), ("c", "C", ()), ("e", "", ()))
    ours.find("b").previous_msgid = "old b"
    assert merge3(ours, base, disk) == 3
    assert ours.find("b").previous_msgid is None      # reviewed: no stale #| left behind
    got = {e.msgid: (e.msgstr, e.flags) for e in ours}
    assert got == {"a": ("A-person", []), "b": ("B-reviewed", []), "c": ("C", []),
                   "d": ("D", []), "e": ("", [])}

    # end to end through a file: an unchanged file is simply written
    path = tmp_path / "x.po"
    path.write_text(str(base), encoding="utf-8")
    data = path.read_bytes()
    mine = po_of(("a", "A-mt", ("fuzzy",)), ("b", "B-mt", ("fuzzy",)), ("c", "C", ()))
    assert save_merged(path, mine, data) == (True, path.read_bytes())
    assert polib.pofile(str(path)).find("a").msgstr == "A-mt"
    assert save_merged(path, mine, path.read_bytes()) == (False, path.read_bytes())


def can_exchange(folder: Path) -> bool:
    a, b = folder / "probe-a", folder / "probe-b"
    a.write_text("a")
    b.write_text("b")
    try:
        return fsutil.exchange(a, b)
    finally:
        a.unlink()
        b.unlink()


class Racer:
    """A person's save at the worst moment of ``save_merged``: just before it
    puts its file in place (``exchange``), ``saves`` times in a row."""

    def __init__(self, path: Path, saves: int, style: str = "rename", exchange=True):
        self.path, self.left, self.style, self.can = path, saves, style, exchange
        self.calls = 0
        self.person = []

    def save(self) -> None:
        self.person.append(po_of(("a", f"A-person-{len(self.person)}", ()), ("b", "", ())))
        text = str(self.person[-1]) + "\n"
        if self.style == "rename":         # Poedit: a new file renamed over the old
            other = self.path.with_name("poedit-save")
            other.write_text(text, encoding="utf-8")
            os.replace(other, self.path)
            return
        # an editor saving in place: truncated before the swap, written just after
        # (in pieces: half of it, then a pause longer than any polling interval)
        fh = open(self.path, "w", encoding="utf-8")
        if self.style == "in place":
            threading.Timer(0.005, lambda: (fh.write(text), fh.close())).start()
            return
        cut = text.index('msgid "b"')
        fh.write(text[:cut])
        fh.flush()
        threading.Timer(0.3, lambda: (fh.write(text[cut:]), fh.close())).start()

    def __call__(self, a, b):
        self.calls += 1
        if self.left:
            self.left -= 1
            self.save()
        return self.can and fsutil.exchange(a, b)


def can_lease(folder: Path) -> bool:
    """Whether this system tells a file open for writing (Linux read leases)."""
    probe = folder / "probe"
    with open(probe, "w") as fh:
        fh.write("x")
        told = concurrent._being_written(probe)
    probe.unlink()
    return told


@pytest.mark.parametrize("style", ["rename", "in place", "in place, in pieces"])
def test_save_in_the_instant_before_the_swap_is_merged(tmp_path, monkeypatch, style):
    if not can_exchange(tmp_path):
        pytest.skip("no renameat2 RENAME_EXCHANGE on this filesystem")
    if style.endswith("pieces") and not can_lease(tmp_path):
        pytest.skip("no file leases here: a pause mid-save cannot be told from its end")
    path = tmp_path / "x.po"
    path.write_text(str(po_of(("a", "", ()), ("b", "", ()))), encoding="utf-8")
    data = path.read_bytes()
    racer = Racer(path, saves=1, style=style)
    monkeypatch.setattr(concurrent, "exchange", racer)
    ours = po_of(("a", "", ()), ("b", "B-mt", ("fuzzy",)))
    assert save_merged(path, ours, data) == (True, path.read_bytes())
    got = polib.pofile(str(path))
    assert (got.find("a").msgstr, got.find("b").msgstr) == ("A-person-0", "B-mt")
    assert racer.calls == 2                       # swapped out, merged, written again
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.po"]


def test_save_before_the_rename_is_merged_where_the_kernel_cannot_swap(tmp_path, monkeypatch):
    path = tmp_path / "x.po"
    path.write_text(str(po_of(("a", "", ()), ("b", "", ()))), encoding="utf-8")
    racer = Racer(path, saves=1, exchange=False)
    monkeypatch.setattr(concurrent, "exchange", racer)
    real_stage = concurrent.stage

    def stage_then_person_saves(*args, **kw):   # while our file is written and synced
        tmp = real_stage(*args, **kw)
        if racer.left:
            racer.left -= 1
            racer.save()
        return tmp
    monkeypatch.setattr(concurrent, "stage", stage_then_person_saves)
    ours = po_of(("a", "", ()), ("b", "B-mt", ("fuzzy",)))
    save_merged(path, ours, path.read_bytes())
    got = polib.pofile(str(path))
    assert (got.find("a").msgstr, got.find("b").msgstr) == ("A-person-0", "B-mt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.po"]


def fresh(path: Path) -> bytes:
    path.write_text(str(po_of(("a", "", ()), ("b", "", ()))), encoding="utf-8")
    return path.read_bytes()


def ours() -> polib.POFile:
    return po_of(("a", "", ()), ("b", "B-mt", ("fuzzy",)))


def msgstrs(folder: Path) -> dict[str, str]:
    """Entry a's msgstr in each file of the folder, by name."""
    return {p.name: polib.pofile(str(p)).find("a").msgstr for p in folder.iterdir()}


def test_a_file_that_never_stops_changing_loses_no_save(tmp_path, monkeypatch):
    if not can_exchange(tmp_path):
        pytest.skip("no renameat2 RENAME_EXCHANGE on this filesystem")
    path = tmp_path / "x.po"
    racer = Racer(path, saves=3)                  # one in the instant of every attempt
    monkeypatch.setattr(concurrent, "exchange", racer)
    with pytest.raises(L10nError, match="kept changing while this run saved it; left as it is"
                       ) as err:
        save_merged(path, ours(), fresh(path), attempts=3)
    found = msgstrs(tmp_path)
    assert found.pop("x.po") == "A-person-2"      # the newest save back in place
    assert sorted(found.values()) == ["A-person-0", "A-person-1"]      # the others kept
    assert all(name in str(err.value) for name in found)              # and named

    # one more save in the very instant the newest is put back: kept too, and named
    for name in found:
        (tmp_path / name).unlink()
    racer.left = 4
    with pytest.raises(L10nError, match="kept changing") as err:
        save_merged(path, ours(), path.read_bytes(), attempts=3)
    found = msgstrs(tmp_path)
    assert found.pop("x.po") == "A-person-5"
    assert sorted(found.values()) == ["A-person-3", "A-person-4", "A-person-6"]
    assert all(name in str(err.value) for name in found)


def test_a_newer_save_in_place_is_never_replaced_by_an_older_one(tmp_path, monkeypatch):
    """Save 0 is swapped out at the first attempt, save 1 lands before the second's
    swap, and the attempts run out: save 1 stays, save 0 is kept beside."""
    if not can_exchange(tmp_path):
        pytest.skip("no renameat2 RENAME_EXCHANGE on this filesystem")
    path = tmp_path / "x.po"
    racer = Racer(path, saves=1)
    monkeypatch.setattr(concurrent, "exchange", racer)
    real_stage, stages = concurrent.stage, []

    def stage_then_second_save(*args, **kw):
        stages.append(1)
        tmp = real_stage(*args, **kw)
        if len(stages) == 2:
            racer.save()
        return tmp
    monkeypatch.setattr(concurrent, "stage", stage_then_second_save)
    with pytest.raises(L10nError, match="kept changing") as err:
        save_merged(path, ours(), fresh(path), attempts=2)
    found = msgstrs(tmp_path)
    assert found.pop("x.po") == "A-person-1"
    assert list(found.values()) == ["A-person-0"] and next(iter(found)) in str(err.value)


def test_an_interrupted_save_puts_the_persons_save_back(tmp_path, monkeypatch):
    """Ctrl-C while a save swapped out is being merged: it goes back in place."""
    if not can_exchange(tmp_path):
        pytest.skip("no renameat2 RENAME_EXCHANGE on this filesystem")
    path = tmp_path / "x.po"
    monkeypatch.setattr(concurrent, "exchange", Racer(path, saves=1))

    def interrupted(*args):
        raise KeyboardInterrupt
    monkeypatch.setattr(concurrent, "_take_person", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_merged(path, ours(), fresh(path))
    assert msgstrs(tmp_path) == {"x.po": "A-person-0"}


def test_a_folder_put_in_place_at_the_swap_is_put_back(tmp_path, monkeypatch):
    if not can_exchange(tmp_path):
        pytest.skip("no renameat2 RENAME_EXCHANGE on this filesystem")
    path = tmp_path / "x.po"
    data = fresh(path)

    calls = []

    def folder_then_swap(a, b):
        calls.append(a)
        if len(calls) == 1:
            path.unlink()
            path.mkdir()
        return fsutil.exchange(a, b)
    monkeypatch.setattr(concurrent, "exchange", folder_then_swap)
    with pytest.raises(L10nError, match="a folder where a PO file should be$") as err:
        save_merged(path, ours(), data)
    assert os.fspath(err.value.path) == os.fspath(path) and path.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.po"]


def test_a_save_at_the_swap_that_changed_only_its_dates_is_kept(tmp_path, monkeypatch):
    if not can_exchange(tmp_path):
        pytest.skip("no renameat2 RENAME_EXCHANGE on this filesystem")
    path = tmp_path / "x.po"
    data = fresh(path)

    def dated_save_then_swap(a, b):
        if not path.with_name("saved").exists():
            po = polib.pofile(str(path))
            po.metadata["PO-Revision-Date"] = "2026-12-01 10:00+0000"
            path.with_name("saved").write_text(str(po), encoding="utf-8")
            os.replace(path.with_name("saved"), path)
            path.with_name("saved").mkdir()          # done once
        return fsutil.exchange(a, b)
    monkeypatch.setattr(concurrent, "exchange", dated_save_then_swap)
    mine = ours()
    assert save_merged(path, mine, data) == (True, path.read_bytes())
    got = polib.pofile(str(path))
    assert got.metadata["PO-Revision-Date"] == "2026-12-01 10:00+0000"
    assert got.find("b").msgstr == "B-mt"


def test_a_file_renamed_away_at_the_swap_is_made_again(tmp_path, monkeypatch):
    """An editor that keeps a backup renames the file away before writing its save."""
    if not can_exchange(tmp_path):
        pytest.skip("no renameat2 RENAME_EXCHANGE on this filesystem")
    path = tmp_path / "x.po"
    data = fresh(path)
    backup = tmp_path / "x.po~"

    def renamed_then_swap(a, b):
        if not backup.exists():
            os.rename(path, backup)
        return fsutil.exchange(a, b)
    monkeypatch.setattr(concurrent, "exchange", renamed_then_swap)
    assert save_merged(path, ours(), data)[0]
    assert backup.read_bytes() == data
    assert polib.pofile(str(path)).find("b").msgstr == "B-mt"


def test_an_empty_file_is_never_taken_for_a_save(tmp_path):
    """Truncated, and the save written 1.5 s later: the run waits for it."""
    path = tmp_path / "x.po"
    data = fresh(path)
    path.write_text("")
    person = str(po_of(("a", "A-person", ()), ("b", "", ())))
    writer = threading.Timer(1.5, lambda: path.write_text(person, encoding="utf-8"))
    writer.start()
    save_merged(path, ours(), data)
    writer.join()
    got = polib.pofile(str(path))
    assert (got.find("a").msgstr, got.find("b").msgstr) == ("A-person", "B-mt")


def test_a_save_in_place_that_pauses_is_read_whole(tmp_path):
    """Half the file written, then a pause far longer than the polling: the run
    waits while the editor holds the file open."""
    if not can_lease(tmp_path):
        pytest.skip("no file leases here: a pause mid-save cannot be told from its end")
    path = tmp_path / "x.po"
    data = fresh(path)
    text = str(po_of(("a", "A-person", ()), ("b", "", ()), ("c", "C-person", ())))
    cut = text.index('msgid "b"')
    fh = open(path, "w", encoding="utf-8")
    fh.write(text[:cut])
    fh.flush()
    writer = threading.Timer(0.4, lambda: (fh.write(text[cut:]), fh.close()))
    writer.start()
    save_merged(path, ours(), data)
    writer.join()
    got = polib.pofile(str(path))
    assert [got.find(m).msgstr for m in "abc"] == ["A-person", "B-mt", "C-person"]


def test_a_save_being_written_in_place_is_read_whole(tmp_path):
    """The file is empty (truncated) when the run reads it, the save lands 50 ms later."""
    path = tmp_path / "x.po"
    path.write_text(str(po_of(("a", "", ()), ("b", "", ()))), encoding="utf-8")
    data = path.read_bytes()
    fh = open(path, "w", encoding="utf-8")
    person = str(po_of(("a", "A-person", ()), ("b", "", ())))
    writer = threading.Timer(0.05, lambda: (fh.write(person), fh.close()))
    writer.start()
    save_merged(path, po_of(("a", "", ()), ("b", "B-mt", ("fuzzy",))), data)
    writer.join()
    got = polib.pofile(str(path))
    assert (got.find("a").msgstr, got.find("b").msgstr) == ("A-person", "B-mt")


def test_save_during_update_survives(project, l10n, monkeypatch):
    """A person saves the PO file after update read it and before it writes."""
    po_path = project / "locales" / "de" / f"{ASIA}.po"
    untranslated = next(e.msgid for e in polib.pofile(str(po_path)) if not e.msgstr and not e.obsolete)
    reviewed_id = next(e.msgid for e in polib.pofile(str(po_path)) if e.translated())
    src = project / "source" / f"{ASIA}.html"
    src.write_text(src.read_text(encoding="utf-8").replace(
        "</body>", "<p>A brand new closing sentence.</p></body>"), encoding="utf-8")
    real_merge = catalog.merge
    edited = []

    def merge_then_person_saves(*args, **kw):
        if not edited:
            def edit(po):
                po.find(untranslated).msgstr = "Von Hand übersetzt."
                po.find(reviewed_id).msgstr = "Korrigiert."
                po.find(reviewed_id).tcomment = "checked by the desk"
            poedit_save(po_path, edit)
            edited.append(True)
        return real_merge(*args, **kw)
    monkeypatch.setattr(catalog, "merge", merge_then_person_saves)
    l10n(project, "update", "-l", "de")
    po = polib.pofile(str(po_path))
    assert po.find(untranslated).msgstr == "Von Hand übersetzt."
    assert po.find(reviewed_id).msgstr == "Korrigiert."
    assert "checked by the desk" in po.find(reviewed_id).tcomment
    assert po.find("A brand new closing sentence.") is not None      # update's own change
    msgfmt_check(po_path)


def test_save_beside_a_running_translate_subprocess_survives(tmp_path):
    """A real concurrent writer: Poedit-style whole-file saves while translate runs."""
    project = pages_project(tmp_path / "big", pages=8)
    run_done(project, "update", "-l", "de")
    po_path = project / "locales" / "de" / f"{ASIA}.po"
    untranslated = [e.msgid for e in polib.pofile(str(po_path)) if not e.msgstr and not e.obsolete]
    proc = cli_subprocess(project, "translate", "-l", "de", "--engine", "pseudo")
    deadline = time.monotonic() + 30
    while not (lock_path(project).exists() and lock_path(project).read_text()) \
            and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    saved = []
    for msgid in untranslated[:5]:          # several saves while it runs
        if proc.poll() is not None:
            break
        def edit(po, msgid=msgid):
            # the run may have drafted it already: typing a translation clears
            # "Needs work" (fuzzy) in Poedit, so the person's save is reviewed
            entry = po.find(msgid)
            entry.msgstr = f"Person: {msgid[:20]}"
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        poedit_save(po_path, edit)
        saved.append(msgid)
        time.sleep(0.15)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode in (0, 1) and "Traceback" not in err, err
    assert saved, "translate finished before the first save; make the project bigger"
    po = polib.pofile(str(po_path))
    for msgid in saved:
        entry = po.find(msgid)
        assert entry.msgstr == f"Person: {msgid[:20]}" and "fuzzy" not in entry.flags
    # the run's drafts landed in the files the person left alone
    others = [p for p in (project / "locales" / "de").glob("*.po") if p != po_path]
    assert any(catalog.is_mt_draft(e) for p in others for e in polib.pofile(str(p)))
    msgfmt_check(po_path)


def test_symlinked_po_file_is_written_through_the_link(project, l10n):
    po = project / "locales" / "de" / f"{ASIA}.po"
    elsewhere = project.parent / "shared-translations" / "asia.po"
    elsewhere.parent.mkdir()
    shutil.move(po, elsewhere)
    po.symlink_to(elsewhere)
    src = project / "source" / f"{ASIA}.html"
    src.write_text(src.read_text(encoding="utf-8").replace(
        "</body>", "<p>Linked catalogs get this too.</p></body>"), encoding="utf-8")
    l10n(project, "update", "-l", "de")
    assert po.is_symlink() and po.resolve() == elsewhere.resolve()
    assert polib.pofile(str(elsewhere)).find("Linked catalogs get this too.") is not None


# --------------------------------------------------------------------------- interruption

@pytest.fixture(scope="module")
def interrupt_base(tmp_path_factory) -> Path:
    base = pages_project(tmp_path_factory.mktemp("interrupt") / "base", pages=3)
    run_done(base, "update", "--all")
    # a translator translated some entries: these must survive everything below
    for path in sorted((base / "locales" / "de").glob("*.po"))[:3]:
        def review(po):
            for e in [e for e in po if not e.msgstr and not e.obsolete][:10]:
                e.msgstr = "Geprüft: " + e.msgid     # placeholders kept
        poedit_save(path, review)
    return base


def site_complete(out: Path) -> None:
    """Readers see a whole site: the picker, the sitemap and every page it lists."""
    if not out.exists():
        return
    assert (out / "index.html").is_file() and (out / "sitemap.xml").is_file()
    for url in re.findall(r"<loc>([^<]+)</loc>", (out / "sitemap.xml").read_text(encoding="utf-8")):
        rel = re.sub(r"^[a-z]+://[^/]+/", "", url)
        from urllib.parse import unquote
        assert (out / unquote(rel)).is_file(), rel


def perturb(project: Path, command: str, trial: int) -> None:
    """Give the next run real work: new source text, or drafts to make again."""
    if command == "translate":
        for path in sorted((project / "locales" / "de").glob("*.po")):
            def blank(po):
                for e in po:
                    if catalog.is_mt_draft(e):
                        e.msgstr, e.tcomment = "", ""
                        e.flags.remove("fuzzy")
            poedit_save(path, blank)
        return
    for path in sorted((project / "source").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("</body>", f"<p>Added in trial {trial}.</p></body>", 1),
                        encoding="utf-8")


@pytest.mark.parametrize("command", [
    ("update", "--all"),
    ("translate", "-l", "de", "--engine", "pseudo"),
    ("publish", "--all"),
])
def test_interrupted_at_random_moments(interrupt_base, tmp_path, command):
    rng = random.Random(f"l10n-13-{command[0]}")     # seeded: the same moments every run
    project = tmp_path / "p"
    shutil.copytree(interrupt_base, project, symlinks=True)
    if command[0] == "publish":
        run_done(project, "publish", "--all")
    before = reviewed(project)
    for trial in range(3):
        sig = (signal.SIGKILL, signal.SIGINT)[trial % 2]
        perturb(project, command[0], trial)
        proc = cli_subprocess(project, *command)
        time.sleep(rng.uniform(0.3, 2.0))
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
        if sig == signal.SIGINT:
            assert "Traceback" not in err, err
            assert proc.returncode in (0, 1, 130, -signal.SIGINT), (proc.returncode, err)
        assert_catalogs_sound(project, before, killed=sig == signal.SIGKILL)
        site_complete(project / "public")
    # and the next run finishes the job
    done = cli_subprocess(project, *command)
    out, err = done.communicate(timeout=120)
    assert done.returncode in (0, 1), err
    assert "Traceback" not in err
    assert_catalogs_sound(project, before)
    site_complete(project / "public")


# --------------------------------------------------------------------------- a full disk

@pytest.fixture
def small_disk(tmp_path):
    """A tiny tmpfs (root only); skipped where mounting is not allowed."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)],
                       capture_output=True)
    if r.returncode != 0:
        pytest.skip("cannot mount a tmpfs here; the fault-injecting tests in test_config cover it")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def fill(disk: Path, leave: int) -> None:
    """Fill the filesystem until only about ``leave`` bytes are free."""
    st = os.statvfs(disk)
    free = st.f_bavail * st.f_frsize
    with open(disk / "filler", "wb") as fh:
        try:
            fh.write(b"\0" * max(0, free - leave))
        except OSError:
            pass


def test_disk_full_and_read_only_are_one_line_errors(small_disk, l10n):
    project = small_disk / "site"
    copy_project(project)
    shutil.rmtree(project / "source" / "images", ignore_errors=True)
    for path in (project / "source").glob("*.html"):
        path.write_text(path.read_text(encoding="utf-8").replace(
            "</body>", "<p>One more sentence for the disk test.</p></body>"), encoding="utf-8")
    (project / "locales" / "templates").mkdir(exist_ok=True)
    before = reviewed(project)
    project_lock(project / ".l10n-cache", "test").acquire().release()
    fill(small_disk, 0)
    for args in (("update", "-l", "de"), ("translate", "-l", "de", "--engine", "pseudo"),
                 ("publish", "--all"), ("check", "--all", "-o", str(project / "report.json"), "--format", "json")):
        r = l10n(project, *args, expect=None)
        assert r.exit_code == 2, (args, r)
        lines = r.stderr.strip().splitlines()
        assert lines and lines[-1].startswith("error: ") and "Traceback" not in r.stderr, r
        assert "No space left on device" in r.stderr or "disk is full" in r.stderr, r
    assert_catalogs_sound(project, before)
    (small_disk / "filler").unlink()
    # the failed commands ran in this process: what their tracebacks still hold
    # (a sqlite statement keeps its database open) goes before the remount, as it
    # goes with a real command's process
    import gc
    del r
    gc.collect()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        r = l10n(project, "update", "-l", "de", expect=2)
        assert "Read-only file system" in r.stderr and "Traceback" not in r.stderr
        assert ".tmp" not in r.stderr                # the file meant, not our temp file
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)


# --------------------------------------------------------------------------- extract → publish fuzz

from html import escape  # noqa: E402

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

_TEXT = st.text(alphabet=st.sampled_from(list("abcXYZ éß中文&<>\"'0123.,!?;:-\u2028\u2029\u0085\t")),
                min_size=1, max_size=24).filter(lambda t: t.strip())
_INLINE = st.one_of(
    _TEXT.map(escape),
    st.tuples(st.sampled_from(["em", "strong", "a", "code", "span", "b"]), _TEXT).map(
        lambda t: f'<{t[0]}{" href=" + chr(34) + "other.html" + chr(34) if t[0] == "a" else ""}>'
                  f"{escape(t[1])}</{t[0]}>"),
    st.just("<br>"),
    st.just("&nbsp;"),
    _TEXT.map(lambda t: f'<span translate="no">{escape(t)}</span>'),
    st.tuples(_TEXT, _TEXT).map(lambda t: f'<a href="x.html">{escape(t[0])} <em>{escape(t[1])}</em></a>'),
)
_BLOCK = st.tuples(st.sampled_from(["p", "h2", "h3", "blockquote", "li"]),
                   st.lists(_INLINE, min_size=1, max_size=5)).map(
    lambda b: (f"<ul><li>{' '.join(b[1])}</li></ul>" if b[0] == "li"
               else f"<{b[0]}>{' '.join(b[1])}</{b[0]}>"))
_PAGE = st.tuples(_TEXT, _TEXT, st.lists(_BLOCK, min_size=1, max_size=6)).map(
    lambda p: ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
               f"<title>{escape(p[0])}</title>\n</head>\n<body>\n<h1>{escape(p[1])}</h1>\n"
               + "\n".join(p[2]) + "\n</body>\n</html>\n"))


def visible_text(path: Path) -> str:
    import lxml.html
    root = lxml.html.parse(str(path)).getroot()
    for node in root.xpath('//script|//style|//template|//nav[@class="l10n-switcher"]'):
        node.drop_tree()
    return re.sub(r"\s+", " ", root.find("body").text_content()).strip()


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "site"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "glossary.csv", root / "glossary.csv")
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nlocales = ["de"]\nbase_url = "https://example.org/"\n'
        "[tool.l10n.publish]\nmin_complete = 0\n", encoding="utf-8")
    return root


@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(page=_PAGE)
def test_fuzz_extract_publish_round_trip_keeps_the_text(fuzz_project, page):
    from click.testing import CliRunner
    from l10n_tool.cli import cli

    for old in ("locales", "public", ".l10n-cache"):
        shutil.rmtree(fuzz_project / old, ignore_errors=True)
    (fuzz_project / "source" / "page.html").write_text(page, encoding="utf-8")
    for args in (("update", "-l", "de"), ("publish", "--all")):
        r = CliRunner().invoke(cli, ["-C", str(fuzz_project), *args])
        assert r.exit_code == 0, (args, r.output, page)
    msgfmt_check(*all_catalogs(fuzz_project))
    want = visible_text(fuzz_project / "source" / "page.html")
    for locale in ("en", "de"):
        assert visible_text(fuzz_project / "public" / locale / "page.html") == want, (locale, page)


def test_models_install_on_a_full_disk_is_one_line(small_disk, l10n, tiny_model, monkeypatch):
    packages = small_disk / "packages"
    packages.mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    fill(small_disk, 0)
    r = l10n(small_disk, "models", "install", str(tiny_model["folder"]), expect=2)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in r.stderr, r
    (small_disk / "filler").unlink()
    assert not [p for p in packages.rglob("*") if p.is_file()]     # nothing half-installed


@pytest.mark.parametrize("delay", [0.2, 0.4, 0.6])
def test_ctrl_c_during_start_up_is_one_line(project, delay):
    """SIGINT while the command is still importing or reading its settings."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-c", "from l10n_tool.entry import main; main()",
                             "-C", str(project), "update", "--all"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert "Traceback" not in err, err
    if proc.returncode == 130:
        assert err.strip().splitlines()[-1] == "error: interrupted", err
    else:       # before Python's handler existed, or after the run finished
        assert proc.returncode in (-signal.SIGINT, 0), (proc.returncode, err)


def test_a_crlf_file_with_nothing_to_change_is_left_as_it_is(tmp_path):
    path = tmp_path / "x.po"
    po = po_of(("a", "A", ()), ("b", "B", ()))
    path.write_bytes(str(po).encode().replace(b"\n", b"\r\n"))
    data = path.read_bytes()
    assert save_merged(path, po, data) == (False, data)
    assert path.read_bytes() == data


def test_temp_files_of_a_killed_run_are_removed_by_the_next(project, l10n):
    """A run killed between writing its temp file and renaming it (SIGKILL, a
    power cut) leaves the file; the next run that writes there removes it, and
    leaves a live process's alone."""
    folder = project / "locales" / "de"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = folder / f".{ASIA}.po.{dead.pid}.k3j2h1_a.tmp"
    stale.write_text("half a file")
    live = folder / f".{ASIA}.po.{os.getpid()}.zz99yy88.tmp"
    live.write_text("being written")
    page = project / "source" / f"{ASIA}.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<p>New.</p></body>"),
                    encoding="utf-8")
    l10n(project, "update", "-l", "de")
    assert not stale.exists() and live.exists()
    live.unlink()
