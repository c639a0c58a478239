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
import re
from pathlib import Path

import polib

from l10n_tool.catalog.io import DEFAULT_WIDTH, load, save
from l10n_tool.errors import L10nError

#: what a translator edits; everything else (msgid, #. comments, references,
#: previous msgid, obsolete state) comes from the command
PERSON_FIELDS = ("msgstr", "msgstr_plural", "flags", "tcomment")


def _key(entry: polib.POEntry) -> tuple:
    return entry.msgctxt, entry.msgid


def _person(entry: polib.POEntry | None) -> tuple | None:
    if entry is None:
        return None
    return (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())),
            tuple(entry.flags), (entry.tcomment or "").strip(), entry.obsolete)


def _parse(data: bytes) -> polib.POFile:
    m = re.search(rb"charset=([\w.-]+)", data[:4096])
    charset = m.group(1).decode("ascii") if m and m.group(1).upper() != b"CHARSET" else "utf-8"
    return polib.pofile(data.decode(charset, errors="replace").lstrip("\ufeff"))


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
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


def save_merged(path: str | os.PathLike, ours: polib.POFile, base: bytes | None,
                width: int | str | None = DEFAULT_WIDTH, attempts: int = 3) -> bool:
    """Write ``ours`` to ``path`` without losing a save made since ``base`` was read.

    ``base`` is the file's bytes when the command read it (None: it did not
    exist). A symlinked PO file is written through the link, so the target
    is updated and the link stays a link. ``width`` is the catalog writer's
    (``po_wrap``). Returns whether the file changed.
    """
    target = Path(os.path.realpath(path))
    for _ in range(attempts):
        disk_bytes = _read(target)
        if disk_bytes is not None and disk_bytes != base:
            try:
                disk = load(target)
            except L10nError as exc:
                raise L10nError(f"changed on disk during this run and no longer parses "
                                f"({exc.message}); left as it is", exc.path, exc.line) from None
            merge3(ours, _parse(base) if base else None, disk)
            base = disk_bytes
        # the merge took a moment: if the file moved again, merge that save too
        if _read(target) == disk_bytes:
            return save(ours, target, width)
    return save(ours, target, width)
