"""Atomic file output.

Every file the tool writes goes through here, so an interrupted run never
leaves a half-written PO file or page behind: readers see the old file or
the new one, nothing in between.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike, data: str | bytes) -> bool:
    """Write ``data`` to ``path`` via a temp file and ``os.replace``.

    Returns False (and touches nothing) when the file already holds exactly
    this content, so that unchanged outputs keep their mtime and incremental
    consumers (make, rsync, the publish step) see no change.
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == raw:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            shutil.copymode(path, tmp)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def replace_dir(staging: Path, target: Path) -> None:
    """Swap a fully built ``staging`` folder in place of ``target``.

    Two renames on one filesystem: the old tree is moved aside first and only
    deleted once the new one is in place, so a failure leaves one complete
    tree at ``target``.
    """
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.replace(target, old)
    try:
        os.replace(staging, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
