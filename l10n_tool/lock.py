"""The project lock: one writing command at a time per project.

Two runs that both read every PO file and write them back (``update`` beside
``translate``) silently revert each other's work, so commands that write
catalogs or the site hold an exclusive ``flock`` on ``<cache_dir>/lock``.
``flock`` belongs to the open file, so a killed run can never leave a stale
lock behind; the file's text only says who holds it, for the busy message.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from l10n_tool.errors import L10nError

LOCK_NAME = "lock"


@dataclass
class ProjectLock:
    path: Path
    command: str
    _fd: int | None = field(default=None, repr=False)

    def acquire(self, wait: bool = False, note=None) -> "ProjectLock":
        """Take the lock, or raise naming the holder (``wait``: block until free,
        first telling ``note`` whom it waits for: a CI log that only stops
        looks like a hang)."""
        folder = self.path.parent
        if folder.exists() and not folder.is_dir():
            raise L10nError("the cache folder is a file; move it away or set cache_dir "
                            "in [tool.l10n]", folder)
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait:
                    raise L10nError(f"project is busy: {holder(self.path)}; try again when "
                                    f"it ends, or queue behind it with `l10n --wait {self.command}`",
                                    self.path) from None
                if note is not None:
                    note(f"waiting for {holder(self.path)} to finish")
                fcntl.flock(fd, fcntl.LOCK_EX)
            info = json.dumps({"pid": os.getpid(), "command": self.command,
                               "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())})
            os.ftruncate(fd, 0)
            os.pwrite(fd, (info + "\n").encode("utf-8"), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        os.close(fd)          # closing the file drops the flock

    def __enter__(self) -> "ProjectLock":
        return self.acquire() if self._fd is None else self

    def __exit__(self, *exc) -> None:
        self.release()


def holder(path: Path) -> str:
    """Who holds the lock, from the lock file: ``l10n update (pid 123, since …)``."""
    try:
        info = json.loads(Path(path).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not isinstance(info, dict) or not info.get("pid"):
        return "another l10n command holds the lock"
    return f"`l10n {info.get('command', '?')}` (pid {info['pid']}) running since {info.get('started', '?')}"


def project_lock(cache_dir: Path, command: str) -> ProjectLock:
    return ProjectLock(Path(cache_dir) / LOCK_NAME, command)
