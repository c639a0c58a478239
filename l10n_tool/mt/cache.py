"""A persistent MT cache outside the PO files.

Keyed by source text, target locale, engine identity (model, version,
decoding settings) and the glossary's content for that locale, so changing
any of them re-translates, and nothing else does. Each batch is committed as
it completes: an interrupted run loses at most the batch in flight.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path


class MTCache:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path))
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS mt (key TEXT PRIMARY KEY, text TEXT, notes TEXT)")
        self.db.commit()

    @staticmethod
    def key(source: str, locale: str, engine: str, glossary: str) -> str:
        return hashlib.sha256("\x1f".join((source, locale, engine, glossary)).encode()).hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, tuple[str, dict]]:
        out = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            rows = self.db.execute(
                f"SELECT key, text, notes FROM mt WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            out.update({k: (t, json.loads(n)) for k, t, n in rows})
        return out

    def put_many(self, items: list[tuple[str, str, dict]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO mt VALUES (?, ?, ?)",
                            [(k, t, json.dumps(n, ensure_ascii=False)) for k, t, n in items])
        self.db.commit()

    def close(self) -> None:
        self.db.close()
