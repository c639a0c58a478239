"""What the last run read and wrote, so each step redoes only what changed.

A newsroom site has thousands of pages and a run touches a few. Every input
file gets a content fingerprint (SHA-256, recomputed only when its size,
mtime, ctime or inode changed, as git's index does: ctime, which no tool
can set back, sees a file restored with its old mtime; and a stat taken
within a timestamp's resolution of the file's last change is not trusted
next time); every output records the digest of the
inputs it was made from. A step skips an output whose recorded digest still
matches and whose file is as it was written (or as a translator saved it).

The translation memory lives here too: the reviewed translations of every PO
file of a locale, refreshed from the files that changed, so reuse across
pages never needs every PO file loaded.

One sqlite file under the cache folder. Losing it is harmless: the next run
is a full run and writes the same files.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import marshal
import os
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Callable, Iterable, Iterator

from l10n_tool import __version__
from l10n_tool.errors import L10nError

_SCHEMA = """
DROP TABLE IF EXISTS files;
CREATE TABLE IF NOT EXISTS stats (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER,
                                  ctime INTEGER, ino INTEGER, sha TEXT);
CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY, inputs TEXT, sha TEXT, data TEXT);
CREATE TABLE IF NOT EXISTS tm_files (locale TEXT, path TEXT, sha TEXT, PRIMARY KEY (locale, path));
CREATE TABLE IF NOT EXISTS tm (locale TEXT, ctx TEXT, msgid TEXT, msgstr TEXT, path TEXT);
CREATE INDEX IF NOT EXISTS tm_key ON tm (locale, msgid);
CREATE INDEX IF NOT EXISTS tm_path ON tm (locale, path);
"""


#: the version of ``_SCHEMA`` a state file has (sqlite's user_version)
_SCHEMA_VERSION = 2


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """The release plus the package's own files: an upgraded (or edited)
    tool must not trust what an older one recorded."""
    return code_digest(Path(__file__).resolve().parent, __version__)


def code_digest(package: Path, version: str) -> str:
    """A digest of the code files under ``package`` by path, size and mtime:
    the test CPython trusts a ``.pyc`` with, and a stat of 80 files (0.3 ms)
    where reading them took 5 ms of every command's start. Installing,
    checking out or editing a file gives it a new mtime."""
    h = hashlib.sha256(version.encode())
    for rel, size, mtime in sorted(_code_files(os.fspath(package), "")):
        h.update(f"{rel}\0{size}\0{mtime}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:16]


def _code_files(folder: str, rel: str) -> Iterator[tuple[str, int, int]]:
    with os.scandir(folder) as entries:
        for e in entries:
            if e.is_dir(follow_symlinks=False):
                if e.name != "__pycache__" and not e.name.startswith("."):
                    yield from _code_files(e.path, f"{rel}{e.name}/")
            elif e.name.endswith((".py", ".json")):
                st = e.stat()
                yield f"{rel}{e.name}", st.st_size, st.st_mtime_ns


@functools.lru_cache(maxsize=1)
def _seeded(version: str) -> "hashlib._Hash":
    return hashlib.sha256(version.encode())


def digest(*parts: object) -> str:
    """One digest of several inputs (strings, numbers, None), order-sensitive."""
    h = _seeded(code_version()).copy()        # a step digests each of 10,000 pages
    h.update(("\x1f" + "\x1f".join(map(str, parts)) if parts else "")
             .encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def content_sha(data: bytes) -> str:
    """A file's fingerprint from its bytes: what ``fingerprint`` records."""
    return hashlib.sha256(data).hexdigest()


class BuildState:
    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(self.path), timeout=30)
            # the script only when the file lacks it: run every time, it writes
            # (and syncs) a journal, 35 ms of every command
            if self.db.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA_VERSION:
                self.db.executescript(_SCHEMA + f"PRAGMA user_version = {_SCHEMA_VERSION};")
            self._files = {row[0]: row[1:] for row in self.db.execute(
                "SELECT path, size, mtime, ctime, ino, sha FROM stats")}
        except FileExistsError:
            raise L10nError("the cache folder is a file; remove it", self.path.parent) from None
        except (OSError, sqlite3.Error) as exc:
            raise L10nError(f"build state unusable ({exc}); delete it to start afresh",
                            self.path) from None
        self._dirty: dict[str, tuple[int, int, int, int, str]] = {}
        self._outputs: dict[str, tuple] | None = None
        self._asked = 0               # outputs looked up one by one so far
        #: fingerprints taken in this run: each step asks for a file's several
        #: times (a template is an output of extract and an input of update),
        #: and 10,000 pages make each stat count; a file this run writes is
        #: taken again when recorded
        self._seen: dict[str, str | None] = {}
        #: the outputs this run recorded (so a step can tell its own new files
        #: from ones that appeared while it ran)
        self.recorded_now: set[str] = set()

    # -- fingerprints
    def fingerprint(self, path: Path | str) -> str | None:
        """The file's content hash, or None when it does not exist."""
        key = os.fspath(path)
        try:
            return self._seen[key]
        except KeyError:
            pass
        sha = self._seen[key] = self._take(key)
        return sha

    def input_fingerprint(self, path: Path | str) -> str | None:
        """An input's fingerprint for a digest of what a step depends on; a
        folder or unreadable file in its place gets a mark instead, and the
        step that reads it reports what is wrong."""
        try:
            return self.fingerprint(path)
        except OSError as exc:
            return f"unreadable: {exc.errno}"

    def refingerprint(self, path: Path | str) -> str | None:
        """The fingerprint of a file this run has just written."""
        self._seen.pop(os.fspath(path), None)
        return self.fingerprint(path)

    def _take(self, key: str) -> str | None:
        try:
            st = os.stat(key)
        except (FileNotFoundError, NotADirectoryError):
            return None
        seen = _stat_key(st)
        known = self._dirty.get(key) or self._files.get(key)
        if known and known[:4] == seen:
            return known[4]
        with open(key, "rb") as f:
            sha = content_sha(f.read())
        self._dirty[key] = (*seen, sha)
        return sha

    # -- outputs
    def output(self, path: Path) -> "Record | None":
        """(inputs digest, file hash when written, data) recorded for an output."""
        key = os.fspath(path)
        if self._outputs is None and self._asked < _FEW:
            # a run that looks at a few pages asks for a few records, one by one
            self._asked += 1
            row = self.db.execute(f"SELECT inputs, sha, {_SMALL_DATA} FROM outputs WHERE path = ?",
                                  (key,)).fetchone()
        else:
            if self._outputs is None:    # one query for the whole run, not one per file
                # small data comes with it; big data (a PO file's untranslated msgids,
                # a page's chrome) only when asked for: 10,000 pages hold 50 MB of it
                # (by key range, not NOT LIKE: a scan would also read every memo's
                # data, hundreds of MB for 10,000 pages; a blob's length is in its header)
                self._outputs = {p: (i, h, d) for p, i, h, d in self.db.execute(
                    f"SELECT path, inputs, sha, {_SMALL_DATA} FROM outputs "
                    "WHERE path < 'memo:' OR path >= 'memo;'")}
            row = self._outputs.get(key)
        if row is None:
            return None
        return Record(row[0], row[1], row[2] if row[2] is not None else lambda: self._data(key))

    def _data(self, key: str) -> str | None:
        row = self.db.execute("SELECT data FROM outputs WHERE path = ?", (key,)).fetchone()
        return row[0] if row else None

    def fresh(self, path: Path, inputs: str) -> bool:
        """The output was made from these inputs and is on disk as it was written."""
        known = self.output(path)
        return known is not None and known.inputs == inputs and known.sha is not None \
            and self.fingerprint(path) == known.sha

    def record(self, path: Path, inputs: str, data: dict | None = None) -> None:
        row = (os.fspath(path), inputs, self.refingerprint(path),
               json.dumps(data or {}, ensure_ascii=False))
        self.recorded_now.add(row[0])
        self.db.execute("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?)", row)
        if self._outputs is not None:
            self._outputs[row[0]] = row[1:]

    def follow(self, path: Path, was: bytes | None, data: dict) -> None:
        """Record a file as a later step of the workflow left it (translate's
        drafts), if until then it was what was recorded: the next update then
        knows it for the tool's own and does not merge it again. A file someone
        else had changed stays as recorded, so that update merges it."""
        known = self.output(path)
        if known is not None and was is not None and known.sha == content_sha(was):
            self.record(path, known.inputs, data)

    def forget(self, path: Path) -> None:
        self.db.execute("DELETE FROM outputs WHERE path = ?", (os.fspath(path),))
        if self._outputs is not None:
            self._outputs.pop(os.fspath(path), None)

    # -- memoised results (stats of a file, …), keyed by what they were computed from
    def memo(self, key: str, inputs: str) -> dict | None:
        row = self.memo_row(key)
        return json.loads(row[1]) if row and row[0] == inputs else None

    def memo_row(self, key: str) -> tuple[str, str] | None:
        """(inputs, data as JSON) remembered under ``key``, whatever the inputs."""
        return self.db.execute("SELECT inputs, data FROM outputs WHERE path = ?",
                               ("memo:" + key,)).fetchone()

    def blob(self, key: str) -> tuple[str, object] | None:
        """(inputs, value) of a big memo of plain data (a run's summary of
        every file of a 10,000-page site), whatever its inputs; None when
        there is none, or it was written by another Python."""
        row = self.memo_row("blob:" + key)
        if row is None or not isinstance(row[1], bytes):
            return None
        try:
            return row[0], marshal.loads(row[1])
        except (ValueError, EOFError, TypeError):
            return None

    def set_blob(self, key: str, inputs: str, value: object) -> None:
        """Remember ``value`` (dicts, lists, strings, numbers) in marshal's
        format: a tenth of the time JSON takes for a few megabytes, every run."""
        self.db.execute("INSERT OR REPLACE INTO outputs VALUES (?, ?, NULL, ?)",
                        ("memo:blob:" + key, inputs, marshal.dumps(value)))

    def fingerprints(self, paths: Iterable[str]) -> dict[str, str]:
        """Path → a short form of each input's fingerprint (see
        ``input_fingerprint``), for a run to compare with the last one's."""
        out = {}
        seen, dirty, files, stat = self._seen, self._dirty, self._files, os.stat
        for path in paths:           # 30,000 files at 10,000 pages: _take, inlined
            sha = seen.get(path)
            if sha is None and path not in seen:
                try:
                    st = stat(path)
                    known = dirty.get(path) or files.get(path)
                    if known and known[:4] == _stat_key(st):
                        sha = seen[path] = known[4]
                    else:
                        sha = self.input_fingerprint(path)
                except OSError:
                    sha = self.input_fingerprint(path)
            out[path] = str(sha)[:24]
        return out

    def memos(self, prefix: str) -> dict[str, tuple[str, str]]:
        """Every memo whose key starts with ``prefix``: key → (inputs, data as
        JSON, decoded by the caller when it needs it). One query instead of
        one per page, for a step that checks thousands of memos."""
        low = "memo:" + prefix
        rows = self.db.execute("SELECT path, inputs, data FROM outputs WHERE path >= ? AND path < ?",
                               (low, low + "\U0010ffff"))
        return {path[5:]: (inputs, data) for path, inputs, data in rows}

    def memo_inputs(self, prefix: str) -> dict[str, str]:
        """Key → inputs of every memo under ``prefix``, without their data."""
        low = "memo:" + prefix
        rows = self.db.execute("SELECT path, inputs FROM outputs WHERE path >= ? AND path < ?",
                               (low, low + "\U0010ffff"))
        return {path[5:]: inputs for path, inputs in rows}

    def set_memo(self, key: str, inputs: str, data: dict) -> None:
        self.db.execute("INSERT OR REPLACE INTO outputs VALUES (?, ?, NULL, ?)",
                        ("memo:" + key, inputs, json.dumps(data, ensure_ascii=False)))

    # -- translation memory
    def refresh_memory(self, locale: str, paths: Iterable[Path],
                       reviewed: Callable[[Path], Iterable[tuple[str | None, str, str]]],
                       complete: bool = True) -> set[str]:
        """Bring the locale's memory up to date with its PO files (``complete``:
        ``paths`` are all of them, and a file not among them is gone);
        returns the msgids whose translation was added or changed since the
        last run."""
        if not complete:
            paths = list(paths)
            known = {}
            for path in paths:
                row = self.db.execute("SELECT sha FROM tm_files WHERE locale = ? AND path = ?",
                                      (locale, os.fspath(path))).fetchone()
                if row is not None:
                    known[os.fspath(path)] = row[0]
        else:
            known = dict(self.db.execute("SELECT path, sha FROM tm_files WHERE locale = ?",
                                         (locale,)))
        gained: set[str] = set()
        seen = set()
        for path in paths:
            key = os.fspath(path)
            seen.add(key)
            sha = _memory_key(self.fingerprint(path))
            if known.get(key) == sha:
                continue
            before = self.memory_rows(locale, key)
            rows = [(c or "", m, s) for c, m, s in reviewed(path)]
            gained.update(m for c, m, s in rows if before.get((c, m)) != s)
            self._store_memory(locale, key, sha, rows)
        for key in set(known) - seen:
            self.db.execute("DELETE FROM tm WHERE locale = ? AND path = ?", (locale, key))
            self.db.execute("DELETE FROM tm_files WHERE locale = ? AND path = ?", (locale, key))
        return gained

    def memory_rows(self, locale: str, path: Path | str) -> dict[tuple[str, str], str]:
        """(msgctxt, msgid) → msgstr: what the memory holds of one PO file."""
        return {(c, m): s for c, m, s in self.db.execute(
            "SELECT ctx, msgid, msgstr FROM tm WHERE locale = ? AND path = ?",
            (locale, os.fspath(path)))}

    def pending_gain(self, locale: str) -> set[str]:
        """Msgids the locale's memory gained that some run has not yet merged
        into the other PO files (it was interrupted, or a translator saved a
        file while it ran)."""
        row = self.memo_row("update:gained:" + locale)
        return set(json.loads(row[1]).get("msgids", ())) if row else set()

    def set_pending_gain(self, locale: str, msgids: set[str]) -> None:
        if msgids:
            self.set_memo("update:gained:" + locale, "", {"msgids": sorted(msgids)})
        else:
            self.forget("memo:update:gained:" + locale)

    def moved(self, path: Path | str) -> bool:
        """The file changed since this run took its fingerprint: a person
        saved it meanwhile."""
        key = os.fspath(path)
        if key not in self._seen:
            return False
        try:
            st = os.stat(key)
        except OSError:
            return self._seen[key] is not None
        known = self._dirty.get(key) or self._files.get(key)
        return known is None or known[:4] != _stat_key(st)

    def remember(self, locale: str, path: Path, rows: Iterable[tuple[str | None, str, str]]) -> None:
        """Record what a PO file we just wrote holds, so the next run need not read it."""
        self._store_memory(locale, os.fspath(path), _memory_key(self.refingerprint(path)),
                           [(c or "", m, s) for c, m, s in rows])

    def _store_memory(self, locale: str, key: str, sha: str | None, rows: list) -> None:
        self.db.execute("DELETE FROM tm WHERE locale = ? AND path = ?", (locale, key))
        self.db.executemany("INSERT INTO tm VALUES (?, ?, ?, ?, ?)",
                            [(locale, c, m, s, key) for c, m, s in rows])
        self.db.execute("INSERT OR REPLACE INTO tm_files VALUES (?, ?, ?)", (locale, key, sha))

    def memory(self, locale: str) -> "Memory":
        return Memory(self.db, locale)

    @contextlib.contextmanager
    def memory_reader(self, locale: str) -> Iterator["Memory"]:
        """The locale's memory as last committed, on a connection of its own:
        a forked worker must never use the connection it inherited."""
        try:
            db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        except sqlite3.Error as exc:
            raise L10nError(f"build state unusable ({exc}); delete it to start afresh",
                            self.path) from None
        try:
            yield Memory(db, locale)
        finally:
            db.close()

    # -- lifetime
    def commit(self) -> None:
        if self._dirty:
            # racily clean (as git calls it): a file changed within the file
            # system's timestamp resolution of now may change again with the
            # same stat; its hash is kept but not trusted, so the next run
            # reads it once more. By ctime alone: the kernel sets it at every
            # change, and an mtime from the future (an unzipped file, a copy from
            # a machine whose clock is ahead) would be "recent" run after run
            racy = time.time_ns() - _RACY_NS
            rows = [(p, size, mtime if ctime < racy else -1, ctime, ino, sha)
                    for p, (size, mtime, ctime, ino, sha) in self._dirty.items()]
            self.db.executemany("INSERT OR REPLACE INTO stats VALUES (?, ?, ?, ?, ?, ?)", rows)
            self._files.update((row[0], row[1:]) for row in rows)
            self._dirty.clear()
        self.db.commit()

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self.db.close()

    def __enter__(self) -> "BuildState":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if kind is None:
            self.close()
        else:   # a failed run records nothing it did not finish
            self.db.rollback()
            self.db.close()


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    """What a recorded fingerprint is trusted on: size, mtime, ctime, inode."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _memory_key(sha: str | None) -> str | None:
    """What the memory records a PO file under: its content and the code
    that chose its reviewed rows (a tool whose idea of "reviewed" changed
    must read every file again)."""
    return None if sha is None else digest("memory", sha)


#: a file's stat that close to the moment it was recorded (the coarsest
#: timestamps in common use, FAT's and some network file systems', are 2 s)
#: may not tell a later change from the content hashed
_RACY_NS = 2 * 10**9

#: recorded data up to this many characters is read with the outputs, in bulk
_BULK = 512
#: an output's data in the columns read with it: only when small
_SMALL_DATA = f"CASE WHEN length(CAST(data AS BLOB)) <= {_BULK} THEN data END"
#: outputs looked up one by one before all are read at once (one query for
#: all of a 10,000-page site's costs what a few thousand single ones do)
_FEW = 256


class Record:
    """What was recorded for an output: its inputs digest, the file's hash
    when written, and the step's data (read and decoded only when asked for:
    a run over thousands of unchanged outputs never needs most of it)."""

    __slots__ = ("inputs", "sha", "_raw", "_data")

    def __init__(self, inputs: str, sha: str | None, raw: "str | Callable[[], str | None] | None"):
        self.inputs, self.sha, self._raw, self._data = inputs, sha, raw, None

    @property
    def data(self) -> dict:
        if self._data is None:
            raw = self._raw() if callable(self._raw) else self._raw
            self._data = json.loads(raw or "{}")
        return self._data


#: one memory lookup, by msgid's index, named: for ORDER BY path sqlite would
#: otherwise walk the locale's whole memory in path order (0.1 s a lookup at
#: 10,000 pages, once per new entry)
_LOOKUP = ("SELECT msgstr FROM tm INDEXED BY tm_key WHERE locale = ? AND msgid = ? AND ctx = ? "
           "ORDER BY path LIMIT 1")


class Memory(Mapping):
    """(msgctxt, msgid) → a reviewed msgstr of the locale, from the first PO
    file in path order that has one, as the catalog merge expects."""

    def __init__(self, db: sqlite3.Connection, locale: str):
        self.db, self.locale = db, locale

    def __getitem__(self, key: tuple) -> str:
        ctx, msgid = key
        row = self.db.execute(_LOOKUP, (self.locale, msgid, ctx or "")).fetchone()
        if row is None:
            raise KeyError(key)
        return row[0]

    def __iter__(self) -> Iterator[tuple]:
        for ctx, msgid in self.db.execute("SELECT DISTINCT ctx, msgid FROM tm WHERE locale = ?",
                                          (self.locale,)):
            yield (ctx or None, msgid)

    def empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM tm WHERE locale = ? LIMIT 1",
                               (self.locale,)).fetchone() is None

    def __len__(self) -> int:
        return self.db.execute("SELECT COUNT(DISTINCT ctx || char(31) || msgid) FROM tm "
                               "WHERE locale = ?", (self.locale,)).fetchone()[0]
