"""Atomic file output.

Every file the tool writes goes through here, so an interrupted run never
leaves a half-written PO file or page behind: readers see the old file or
the new one, nothing in between.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
import unicodedata
from pathlib import Path

from l10n_tool.errors import L10nError


def read_input(path: str | os.PathLike, what: str = "file") -> bytes:
    """A user's input file as bytes; a missing file, a folder in its place or
    an OS error is one ``path: reason`` error naming what was expected."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise L10nError("no such file", path) from None
    except IsADirectoryError:
        raise L10nError(f"a folder where a {what} should be", path) from None
    except OSError as exc:
        raise L10nError(f"cannot read: {exc.strerror or exc}", path) from None


def files_by_name(folder: Path, suffix: str) -> list[Path]:
    """A folder's entries whose name ends with ``suffix`` (``.po``), hidden
    ones left out as a shell glob leaves them, in name order."""
    return [folder / name for name in names_in(folder, suffix)]


def names_in(folder: str | os.PathLike, suffix: str) -> list[str]:
    """The names ``files_by_name`` lists: one directory read and no stat, as
    a locale folder of a 10,000-page site is listed by several steps of
    every run."""
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries
                          if e.name.endswith(suffix) and not e.name.startswith("."))
    except OSError:            # no such folder (yet), or not one: nothing in it
        return []


def write_atomic(path: str | os.PathLike, data: str | bytes) -> bool:
    """Write ``data`` to ``path`` via a temp file and ``os.replace``.

    Returns False (and touches nothing) when the file already holds exactly
    this content, so that unchanged outputs keep their mtime and incremental
    consumers (make, rsync, the publish step) see no change.
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if _special(path):
        return _write_through(path, raw)
    if path.is_symlink():
        # write through to the link's target: replacing the link itself with a
        # regular file would silently detach a file the user shares elsewhere
        path = Path(os.path.realpath(path))
    try:
        if path.read_bytes() == raw:
            return False
        replacing = True
    except FileNotFoundError:
        replacing = False
    except OSError:                 # unreadable, a folder: the write below says why
        replacing = True
    tmp = stage(path, raw, replacing)
    try:
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise L10nError(f"cannot write: {exc.strerror or exc}", path) from None
        raise
    return True


def _special(path: Path) -> bool:
    """A device, a pipe or a socket (``-o /dev/stdout``, ``-o >(gzip)``): written
    to as it is, never read first (a pipe would hang, /dev/full never ends) and
    never renamed over (as root, that would replace /dev/null)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _write_through(path: Path, raw: bytes) -> bool:
    try:
        with open(path, "wb") as fh:
            fh.write(raw)
    except OSError as exc:
        raise L10nError(f"cannot write: {exc.strerror or exc}", path) from None
    return True


def stage(path: Path, raw: bytes, replacing: bool = True) -> Path:
    """``raw`` in a hidden temp file beside ``path``, with ``path``'s mode,
    ready to be renamed over it; the caller renames or removes it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # the pid in the name: a run killed before its rename leaves a file the
        # next one can tell is nobody's (``sweep``)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                                    dir=path.parent)
    except OSError as exc:          # read-only folder, disk full: name the file we meant
        raise L10nError(f"cannot write: {exc.strerror or exc}", path) from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            if replacing:
                # on disk before the rename, so a power cut cannot leave an empty
                # file where a translator's work was; a file that is new holds
                # nothing to lose, and a first run writes thousands of them
                fh.flush()
                os.fsync(fh.fileno())
        if replacing:
            shutil.copymode(path, tmp)
        else:
            os.chmod(tmp, 0o644)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise L10nError(f"cannot write: {exc.strerror or exc}", path) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


_STAGED = re.compile(r"\..+\.(\d+)\.[A-Za-z0-9_]+\.tmp")


def sweep(folder: str | os.PathLike) -> None:
    """Remove the temp files that runs killed mid-write (SIGKILL, a power cut)
    left in ``folder``: ``stage`` names them after their process, so a file
    whose process is gone was either that run's output, never put in place,
    or the file it replaced, whose content it had merged. (A person's save
    swapped out in the very instant a run was killed is the one case such a
    file held something else; a run that fails any other way keeps and names
    it, see ``catalog.concurrent``.)"""
    try:
        with os.scandir(folder) as entries:
            stale = [e.path for e in entries if (m := _STAGED.fullmatch(e.name))
                     and not process_alive(int(m.group(1)))]
    except OSError:
        return
    for path in stale:
        try:
            os.unlink(path)
        except OSError:
            pass


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:      # someone else's: alive
        return True
    return True


def _renameat2():
    """glibc's ``renameat2``, or None where it is missing."""
    import ctypes          # only when a file is swapped: a millisecond off every start
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


def _rename2(a: Path, b: Path, flags: int) -> bool:
    """``renameat2(a, b, flags)``: False where the kernel, filesystem or a
    sandbox cannot do it (not Linux; ENOSYS, EINVAL, ENOTSUP; EPERM from a
    seccomp filter), an OSError otherwise."""
    fn = _renameat2()
    if fn is None:
        return False
    at_fdcwd = -100
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), flags) == 0:
        return True
    import ctypes
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), str(a))


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step, so nobody ever sees either missing.

    Returns False where that cannot be done here; the caller then falls back
    to renames. (EPERM counts: a real permission problem shows in the fallback.)
    """
    return _rename2(a, b, 2)            # RENAME_EXCHANGE


def rename_new(a: Path, b: Path) -> bool:
    """Rename ``a`` to ``b`` only if ``b`` does not exist (FileExistsError if
    it does), in one step; False where that cannot be done here."""
    return _rename2(a, b, 1)            # RENAME_NOREPLACE


def point_symlink(link: Path, target: str) -> None:
    """Make ``link`` a symlink to ``target`` with one rename.

    A reader resolving ``link`` sees the old target or the new one, never
    nothing. When ``link`` is still a real folder (a site written before
    sites were symlinked), it is exchanged with the new link atomically where
    the kernel allows, and the old folder is left beside it under the name
    the temporary link had; the caller decides what happens to it.
    """
    tmp = link.with_name(f".{link.name}.link-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    try:
        if link.is_symlink() or not link.exists():
            os.replace(tmp, link)
        elif not exchange(tmp, link):
            aside = link.with_name(f".{link.name}.aside-{os.getpid()}")
            os.rename(link, aside)
            os.rename(tmp, link)
            os.rename(aside, tmp)
    except BaseException:
        if tmp.is_symlink():
            tmp.unlink()
        raise


def printable(text: str) -> str:
    """``text`` as one line of valid UTF-8: a file name's undecodable bytes
    (which Python holds as surrogates) and control characters escaped, so a
    problem about the name can be printed, and printed on one line."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(c.encode("unicode_escape").decode("ascii") if _is_control(c) else c
                   for c in text)


def _is_control(c: str) -> bool:
    return unicodedata.category(c) in ("Cc", "Zl", "Zp")


def bad_name(name: str) -> str | None:
    """Why a source file cannot have this name, or None. A page's name goes
    into PO references, the build state and the site's URLs, an asset's into
    the site, all UTF-8 and line-based, so a name that is neither is refused
    before anything is read."""
    if name.isprintable():      # the common case, without a look at each character
        return None
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8; rename it"
    if any(_is_control(c) for c in name):
        return "file name holds a control character (a line break, a tab); rename it"
    return None
