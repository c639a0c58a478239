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

import os
import time
from pathlib import Path

import polib

from l10n_tool.catalog.io import DEFAULT_WIDTH, loads, render
from l10n_tool.errors import L10nError
from l10n_tool.fsutil import exchange, stage

#: what a translator edits; everything else (msgid, #. comments, references,
#: previous msgid, obsolete state) comes from the command
PERSON_FIELDS = ("msgstr", "msgstr_plural", "flags", "tcomment")

#: a file that changed under us is read every SETTLE_S until two reads agree
SETTLE_S = 0.02
SETTLE_READS = 50


def _key(entry: polib.POEntry) -> tuple:
    return entry.msgctxt, entry.msgid


def _person(entry: polib.POEntry | None) -> tuple | None:
    if entry is None:
        return None
    return (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())),
            tuple(entry.flags), (entry.tcomment or "").strip(), entry.obsolete)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise L10nError("a folder where a PO file should be", path) from None
    except OSError as exc:
        raise L10nError(f"cannot read: {exc.strerror or exc}", path) from None


def _settled(path: Path, expected: bytes | None) -> bytes | None:
    """The file's bytes; when they are not ``expected`` (someone saved), read
    until two reads agree, since an editor that saves in place truncates the
    file first and writes it after."""
    data = _read(path)
    for _ in range(SETTLE_READS):
        if data == expected:
            break
        time.sleep(SETTLE_S)
        again = _read(path)
        if again == data and data:   # empty: truncated, the save not yet written
            break
        data = again
    return data


def _text(data: bytes | None) -> str | None:
    try:
        return data.decode("utf-8") if data is not None else None
    except UnicodeDecodeError:
        return None


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


def _take_person(ours: polib.POFile, base: bytes | None, disk: bytes, path: Path) -> None:
    """merge3 of two byte versions of ``path``: what changed from ``base`` to ``disk``."""
    try:
        saved = loads(disk, path)
    except L10nError as exc:
        raise L10nError(f"changed on disk during this run and no longer parses "
                        f"({exc.message}); left as it is", exc.path, exc.line) from None
    merge3(ours, loads(base, path) if base else None, saved)


def save_merged(path: str | os.PathLike, ours: polib.POFile, base: bytes | None,
                width: int | str | None = DEFAULT_WIDTH,
                attempts: int = 10) -> tuple[bool, bytes | None]:
    """Write ``ours`` to ``path`` without losing a save made since ``base`` was read.

    ``base`` is the file's bytes when the command read it (None: it did not
    exist). Returns whether the file changed, and the bytes it now holds
    that ``ours`` accounts for: the ``base`` of a later save.

    The new file is swapped in with the old in one step (``renameat2``
    RENAME_EXCHANGE), so the file it replaced is still in hand: if that is
    not what was read and merged, a person saved in the instant between, and
    their save is merged and written again. Nothing a person saved is
    replaced unseen. Where the kernel cannot swap, the file is read once more
    just before the rename, which leaves a window of microseconds. A symlinked
    PO file is written through the link. ``width`` is ``po_wrap``.
    """
    target = Path(os.path.realpath(path))
    seen = base                  # the file's bytes as `ours` accounts for them
    displaced: list[Path] = []   # people's saves swapped out, merged, not yet on disk
    for _ in range(attempts):
        disk = _settled(target, seen)
        if disk != seen and disk is not None:
            _take_person(ours, seen, disk, target)
        seen = disk
        text = render(ours, _text(disk), width)
        if text is None:
            _drop(displaced)
            return False, disk
        raw = text.encode("utf-8")
        tmp = stage(target, raw, replacing=disk is not None)
        try:
            if disk is None:
                if not _create(tmp, target):
                    continue             # someone made the file meanwhile: merge it
            elif _read(target) != disk:  # saved while we wrote (an fsync is slow): merge it
                continue
            elif not exchange(tmp, target):
                os.replace(tmp, target)  # the read above was microseconds ago
            else:
                swapped_out = _settled(tmp, disk)
                if swapped_out != disk:  # a save landed between the read and the swap
                    displaced.append(tmp)
                    tmp = None
                    try:
                        _take_person(ours, disk, swapped_out, target)
                    except L10nError as exc:
                        raise _put_back(displaced.pop(), target, raw, exc) from None
                    seen = raw
                    continue
        except OSError as exc:
            raise L10nError(f"cannot write: {exc.strerror or exc}", target) from None
        finally:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
        _drop(displaced)
        return True, raw
    error = L10nError("kept changing while this run saved it; left as it is, run again", target)
    if displaced:
        # an editor saves its whole buffer, so the last save holds the earlier ones
        last = displaced.pop()
        _drop(displaced)
        raise _put_back(last, target, raw, error)
    raise error


def _create(tmp: Path, target: Path) -> bool:
    """Put a new file in place unless one appeared meanwhile (False)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        return False
    except OSError:                # no hard links on this filesystem
        if target.exists():
            return False
        os.replace(tmp, target)
    return True


def _put_back(saved: Path, target: Path, ours: bytes, error: L10nError) -> L10nError:
    """Swap a person's save we cannot merge back into place; the error to raise."""
    if exchange(saved, target) and _read(saved) == ours:
        saved.unlink()
        return error
    return L10nError(f"{error.message}; that save is kept in {saved.name}", error.path, error.line)


def _drop(paths: list[Path]) -> None:
    for p in paths:
        p.unlink(missing_ok=True)
