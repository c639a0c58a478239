"""A persistent MT cache outside the PO files.

Keyed by source text, target locale, engine identity (model, version,
decoding settings), the glossary's content for that locale and the version
of the protection around the engine (``protect.VERSION``), so changing any of
them re-translates, and nothing else does. Units are committed as
they finish, in whatever order that is: an interrupted run loses only the
units still in flight. Every sqlite or OS failure becomes an ``L10nError``
naming the cache file, because the user can fix it (delete a corrupt cache,
free the path) and a traceback would not say so.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from l10n_tool.errors import L10nError
from l10n_tool.mt.protect import VERSION as PROTECT_VERSION


class MTCache:
    def __init__(self, path: Path):
        self.path = path
        if path.parent.exists() and not path.parent.is_dir():
            raise L10nError("the MT cache folder is a file; move it away or set cache_dir in "
                            "[tool.l10n]", path.parent)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise L10nError(f"cannot create the MT cache folder: {exc.strerror}", path.parent) from None
        with self._errors():
            self.db = sqlite3.connect(str(path))
            self.db.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a commit per finished batch costs no fsync, and a crash
            # can lose only the last commits, never corrupt the file.
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("CREATE TABLE IF NOT EXISTS mt (key TEXT PRIMARY KEY, text TEXT, notes TEXT)")
            self.db.commit()

    @contextmanager
    def _errors(self):
        try:
            yield
        except sqlite3.DatabaseError as exc:
            hint = ("; it is only a cache: delete it to start afresh"
                    if "not a database" in str(exc) or "malformed" in str(exc) else "")
            raise L10nError(f"MT cache: {exc}{hint}", self.path) from None
        except OSError as exc:
            raise L10nError(f"MT cache: {exc.strerror or exc}", self.path) from None

    @staticmethod
    def key(source: str, locale: str, engine: str, glossary: str) -> str:
        # a draft is kept as protect.restore made it: when that changes what it
        # writes (a symbol now kept), the old drafts must not come back from the
        # cache on --refresh-drafts
        return hashlib.sha256("\x1f".join((source, locale, engine, glossary,
                                            f"protect {PROTECT_VERSION}"))
                              .encode()).hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, tuple[str, dict]]:
        out = {}
        with self._errors():
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                rows = self.db.execute(
                    f"SELECT key, text, notes FROM mt WHERE key IN ({','.join('?' * len(chunk))})",
                    chunk)
                out.update({k: (t, json.loads(n)) for k, t, n in rows})
        return out

    def put_many(self, items: list[tuple[str, str, dict]]) -> None:
        with self._errors():
            self.db.executemany("INSERT OR REPLACE INTO mt VALUES (?, ?, ?)",
                                [(k, t, json.dumps(n, ensure_ascii=False)) for k, t, n in items])
            self.db.commit()

    def count(self) -> int:
        with self._errors():
            return self.db.execute("SELECT COUNT(*) FROM mt").fetchone()[0]

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "MTCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
