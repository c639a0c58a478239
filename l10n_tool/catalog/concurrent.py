"""Saving a catalog without losing what a person saved meanwhile.

``update`` and ``translate`` read every PO file at the start and write at the
end; a translator may save the same file in Poedit in between. The project
lock cannot stop an editor, so at write time the file is read again: when its
bytes differ from what the command read, the three versions are merged per
entry (keyed by msgctxt + msgid). What a person changed on disk (msgstr,
plural forms, flags, translator comments) wins, always; the command's own
changes apply everywhere else. A file that no longer parses is left alone
and reported, since overwriting it would drop the person's save.
"""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path

import polib

from l10n_tool.catalog.io import DEFAULT_WIDTH, loads, render
from l10n_tool.errors import L10nError
from l10n_tool.fsutil import exchange, rename_new, stage

#: what a translator edits; everything else (msgid, #. comments, references,
#: previous msgid, obsolete state) comes from the command
PERSON_FIELDS = ("msgstr", "msgstr_plural", "flags", "tcomment")

#: a file that changed under us is read every POLL_S until the save is whole:
#: unchanged for QUIET_S and open for writing nowhere; after SETTLE_MAX_S of
#: that not happening it is left alone
POLL_S = 0.02
QUIET_S = 0.1
SETTLE_MAX_S = 10.0


def _key(entry: polib.POEntry) -> tuple:
    return entry.msgctxt, entry.msgid


def _person(entry: polib.POEntry | None) -> tuple | None:
    if entry is None:
        return None
    return (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())),
            tuple(entry.flags), (entry.tcomment or "").strip(), entry.obsolete)


def _read(path: Path, shown: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise L10nError("a folder where a PO file should be", shown) from None
    except OSError as exc:
        raise L10nError(f"cannot read: {exc.strerror or exc}", shown) from None


def _being_written(path: Path) -> bool:
    """Whether some process has the file open for writing (Linux then refuses
    a read lease); False where that cannot be told: not Linux, not the file's
    owner, a filesystem without leases."""
    try:
        import fcntl
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except (ImportError, OSError):
        return False
    try:
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_RDLCK)
    except (OSError, AttributeError) as exc:
        return getattr(exc, "errno", None) == errno.EAGAIN
    else:
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)
        return False
    finally:
        os.close(fd)


def _settled(path: Path, expected: bytes | None, shown: Path) -> bytes | None:
    """The file's bytes. When they are not ``expected`` (someone saved) or the
    file is open for writing, they are taken only once the save is whole: not
    empty, unchanged for QUIET_S and open for writing nowhere. An editor that
    saves in place truncates the file first and may write it in pieces."""
    data = _read(path, shown)
    if data == expected and not _being_written(path):
        return data
    start = quiet = time.monotonic()
    while True:
        time.sleep(POLL_S)
        again = _read(path, shown)
        now = time.monotonic()
        if again != data:
            data, quiet = again, now
        elif data is None or data and now - quiet >= QUIET_S and not _being_written(path):
            return data
        if now - start >= SETTLE_MAX_S:
            raise L10nError("is being written by another program; left as it is, run again",
                            shown)


def _text(data: bytes | None) -> str | None:
    """The file's text as ``save`` compares it: newlines read as Python reads
    text, so a CRLF file with nothing to change is left as it is."""
    try:
        text = data.decode("utf-8") if data is not None else None
    except UnicodeDecodeError:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n") if text is not None else None


def merge3(ours: polib.POFile, base: polib.POFile | None, disk: polib.POFile) -> int:
    """Apply the person's changes (``base`` → ``disk``) onto ``ours`` in place.

    Returns how many entries took the person's version.
    """
    base_by = {_key(e): e for e in base} if base is not None else {}
    ours_by = {_key(e): e for e in ours}
    taken = 0
    for d in disk:
        k = _key(d)
        b = base_by.get(k)
        if _person(d) == _person(b):
            continue                          # the person did not touch it
        o = ours_by.get(k)
        if o is None:
            if b is None:                     # a person's new entry: keep it
                ours.append(d)
                taken += 1
            continue                          # dropped by the command on purpose
        for name in PERSON_FIELDS:
            value = getattr(d, name)
            setattr(o, name, dict(value) if isinstance(value, dict) else
                    list(value) if isinstance(value, list) else value)
        if "fuzzy" not in d.flags:            # reviewed: the #| hint has served its purpose
            o.previous_msgid, o.previous_msgid_plural, o.previous_msgctxt = (
                d.previous_msgid, d.previous_msgid_plural, d.previous_msgctxt)
        taken += 1
    base_meta = base.metadata if base is not None else {}
    for name, value in disk.metadata.items():
        if base_meta.get(name) != value and name in ("Last-Translator", "Language-Team",
                                                      "PO-Revision-Date", "X-Generator"):
            ours.metadata[name] = value
    return taken


def _take_person(ours: polib.POFile, base: bytes | None, disk: bytes, shown: Path) -> None:
    """merge3 of two byte versions of the file: what changed from ``base`` to ``disk``."""
    try:
        saved = loads(disk, shown)
    except L10nError as exc:
        raise L10nError(f"changed on disk during this run and no longer parses "
                        f"({exc.message}); left as it is", exc.path, exc.line) from None
    merge3(ours, loads(base, shown) if base else None, saved)


def save_merged(path: str | os.PathLike, ours: polib.POFile, base: bytes | None,
                width: int | str | None = DEFAULT_WIDTH,
                attempts: int = 10) -> tuple[bool, bytes | None]:
    """Write ``ours`` to ``path`` without losing a save made since ``base`` was read.

    ``base`` is the file's bytes when the command read it (None: it did not
    exist). Returns whether the file changed, and the bytes it now holds
    that ``ours`` accounts for: the ``base`` of a later save.

    The new file is staged and synced first, the file read once more, and
    the new one swapped in with the old in one step (``renameat2``
    RENAME_EXCHANGE), so the file it replaced is still in hand: if that is
    not what was merged, a person saved in the instant between, and their
    save is merged and written again. A person's save swapped out is deleted
    only once it is merged into a file in place; if the run fails or is
    interrupted first, it is put back (or kept beside, and named). Where the
    kernel cannot swap, the read just before the rename leaves microseconds.
    A symlinked PO file is written through the link. ``width`` is ``po_wrap``.
    """
    shown = Path(path)
    target = Path(os.path.realpath(path))
    seen = base                  # the file's bytes as `ours` accounts for them
    placed: bytes | None = None  # what the last swap put in place
    displaced: list[Path] = []   # people's saves swapped out, merged, not yet in place
    try:
        for _ in range(attempts):
            disk = _settled(target, seen, shown)
            if disk != seen and disk is not None:
                _take_person(ours, seen, disk, shown)
            seen = disk
            # a person's save merged after a swap is written even if only its dates differ
            text = render(ours, _text(disk), width, always=bool(displaced))
            if text is None:
                return False, disk
            raw = text.encode("utf-8")
            tmp: Path | None = None
            try:
                tmp = stage(target, raw, replacing=disk is not None)
                if disk is None:
                    if not _create(tmp, target):
                        continue             # someone made the file meanwhile: merge it
                elif _read(target, shown) != disk or _being_written(target):
                    continue                 # saved while we wrote (an fsync is slow): merge it
                else:
                    try:
                        swapped = exchange(tmp, target)
                    except FileNotFoundError:
                        continue             # renamed away this instant (an editor's backup)
                    if not swapped:
                        os.replace(tmp, target)   # the read above was microseconds ago
                    else:
                        placed = raw
                        displaced.append(tmp)     # owned there before it is let go here
                        aside, tmp = tmp, None
                        swapped_out = _settled(aside, disk, shown)
                        if swapped_out != disk:   # a save landed between the read and the swap
                            _take_person(ours, disk, swapped_out, shown)
                            seen = raw
                            continue
                        _drop([displaced.pop()])  # what was merged: nobody's save
            finally:
                if tmp is not None and tmp not in displaced:
                    tmp.unlink(missing_ok=True)
            _drop(displaced)                 # merged into the file now in place
            return True, raw
        raise L10nError("kept changing while this run saved it; left as it is, run again", shown)
    except BaseException as exc:
        kept = _restore(displaced, target, placed)
        if isinstance(exc, OSError):
            exc = L10nError(f"cannot write: {exc.strerror or exc}", shown)
        if isinstance(exc, L10nError):
            if kept:
                exc = L10nError(f"{exc.message}; a save swapped out meanwhile is kept in "
                                f"{', '.join(kept)}", exc.path, exc.line)
            raise exc from None
        raise


def _create(tmp: Path, target: Path) -> bool:
    """Put a new file in place unless one appeared meanwhile (False)."""
    try:
        os.link(tmp, target)
        return True
    except FileExistsError:
        return False
    except OSError:                # no hard links on this filesystem (FAT, some FUSE)
        pass
    try:
        if rename_new(tmp, target):
            return True
    except FileExistsError:
        return False
    if target.exists():            # neither: microseconds between this look and the rename
        return False
    os.replace(tmp, target)
    return True


def _restore(displaced: list[Path], target: Path, placed: bytes | None) -> list[str]:
    """After a failure: the newest person's save this call swapped out goes back
    in place if the file still holds what the call put there. Returns the
    saves kept beside instead (never deleted: they may hold a person's work)."""
    kept = [p.name for p in displaced]
    if not displaced or placed is None:
        return kept
    newest = displaced[-1]
    try:
        if target.read_bytes() == placed and exchange(newest, target):
            if newest.read_bytes() == placed:
                newest.unlink()
                kept.pop()
            # else: a save landed on ours in that instant; it stays beside, named
    except OSError:
        pass
    return kept


def _drop(paths: list[Path]) -> None:
    """Delete what is merged into the file in place: best effort, as the save
    itself is done (a file left over is swept by a later run)."""
    for p in paths:
        try:
            p.unlink()
        except OSError:
            pass
    paths.clear()
