"""Remembered check results, so a rerun of `l10n check` redoes only what changed.

CI runs the check on every push and a newsroom site has thousands of
catalogs, of which a push touches a few. Results live in the project's build
state (``l10n_tool.buildstate``: content fingerprints, recomputed only when a
file's size or mtime changed), as JSON, never pickles (the cache folder of a
checked-out branch is not trusted code):

* per catalog, its ``FileResult`` (entry count, entry and file checks'
  findings, the summaries cross-file checks combine), valid while the file,
  whether its page exists, the glossary, ``--min-complete``, the chosen
  checks and severities, and the checks' code are as they were: a rerun
  reads only the catalogs that changed;
* per locale, the cross-file findings, valid while every catalog of the
  locale is as it was too.

The memo is best-effort: a cache folder that cannot be opened or written
(a read-only CI checkout) only means a full run.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import babel

from l10n_tool.buildstate import BuildState, digest
from l10n_tool.checks.base import Check
from l10n_tool.checks.finding import Finding
from l10n_tool.checks.runner import FileResult
from l10n_tool.errors import L10nError

#: Code whose change changes what a check reports, beyond each rule's own module.
_PACKAGE = Path(__file__).resolve().parent
_SHARED = [_PACKAGE.parent / "markup.py", _PACKAGE.parent / "glossary.py",
           _PACKAGE.parent / "locales.py", _PACKAGE.parent / "catalog" / "state.py",
           _PACKAGE.parent / "catalog" / "stats.py",
           # the reader: a stricter one may refuse a file it read before
           _PACKAGE.parent / "catalog" / "pofile.py", _PACKAGE.parent / "catalog" / "io.py"]


def _code_digest(chosen: list[tuple[Check, str]]) -> str:
    files = set(_PACKAGE.glob("*.py")) | set(_SHARED)
    for check, _ in chosen:
        code = getattr(check.rule, "__code__", None)
        if code is not None:
            files.add(Path(code.co_filename))
    h = hashlib.sha256()
    for path in sorted(files):
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"?")
    return h.hexdigest()


def _dump(findings: list[Finding]) -> list[dict]:
    return [f.as_dict() for f in findings]


def _load(rows: list[dict]) -> list[Finding]:
    return [Finding.of(**row) for row in rows]


class CheckMemo:
    def __init__(self, state: BuildState | None, env: str = ""):
        self.state, self.env = state, env
        self._rows: dict[str, dict[str, tuple[str, str]]] = {}
        self._inputs: dict[str, dict[str, str]] = {}

    @classmethod
    def open(cls, cache_dir: Path, glossary: Path, chosen: list[tuple[Check, str]]) -> "CheckMemo":
        try:
            state = BuildState(Path(cache_dir) / "state.sqlite")
        except L10nError:
            return cls(None)
        env = digest("check", babel.__version__, state.fingerprint(glossary),
                     sorted((c.id, sev, c.scope) for c, sev in chosen), _code_digest(chosen))
        return cls(state, env)

    def fingerprint(self, path: Path) -> str | None:
        """None (nothing to reuse) for a file that cannot be read: a folder in
        its place, no permission; reading it then says what is wrong."""
        try:
            return self.state.fingerprint(path) if self.state else None
        except OSError:
            return None

    def _get(self, key: str, inputs: str) -> dict | None:
        if self.state is None:
            return None
        try:
            return self.state.memo(key, inputs)
        except (sqlite3.Error, ValueError):
            return None

    def _get_of(self, prefix: str, key: str, inputs: str) -> dict | None:
        """``_get`` for one of many keys under ``prefix``: every row under it is
        read with the first, in one query, not one query per catalog."""
        rows = self._rows.get(prefix)
        if rows is None and self.state is not None:
            try:
                rows = self.state.memos(prefix)
            except sqlite3.Error:
                rows = {}
            self._rows[prefix] = rows
        row = (rows or {}).get(key)
        if row is None or row[0] != inputs:
            return None
        try:
            return json.loads(row[1])
        except ValueError:
            return None

    def _set(self, key: str, inputs: str, data: dict) -> None:
        if self.state is None:
            return
        try:
            self.state.set_memo(key, inputs, data)
        except sqlite3.Error:
            self.close()
            self.state = None

    # -- one catalog's share: entry and file checks, summaries for the locale checks
    def file_inputs(self, locale: str, rel: str, fingerprint: str | None, orphaned: bool,
                    min_complete: float | None) -> str | None:
        """What a catalog's share was computed from (None: the file is gone, nothing to reuse)."""
        if self.state is None or fingerprint is None:
            return None
        return digest(self.env, locale, rel, fingerprint, orphaned, min_complete)

    def file(self, locale: str, rel: str, inputs: str | None) -> FileResult | None:
        if inputs is None:
            return None
        data = self._get_of(f"check:{locale}:", f"check:{locale}:{rel}", inputs)
        try:
            return FileResult.from_json(data) if data else None
        except (KeyError, TypeError):
            return None

    # Each locale check's summary of a catalog is kept apart, by check: a run
    # whose locales are all unchanged never reads them, and one that combines
    # them reads one check's at a time, each as its rule asks for it (10,000
    # catalogs' summaries, read at once, were most of a check's memory).
    def has_summaries(self, locale: str, rel: str, inputs: str | None, ids: list[str]) -> bool:
        if inputs is None or self.state is None:
            return False
        for cid in ids:
            prefix = f"check-summary:{locale}:{cid}:"
            known = self._inputs.get(prefix)
            if known is None:
                try:
                    known = self._inputs[prefix] = self.state.memo_inputs(prefix)
                except sqlite3.Error:
                    known = self._inputs[prefix] = {}
            if known.get(prefix + rel) != inputs:
                return False
        return True

    def summaries_of(self, locale: str, cid: str):
        """``(rel, inputs) → summary`` for one check of a locale: its rows read
        in one query when first asked, each decoded once and let go."""
        prefix = f"check-summary:{locale}:{cid}:"
        rows: dict | None = None

        def get(rel: str, inputs: str | None):
            nonlocal rows
            if rows is None:
                try:
                    rows = self.state.memos(prefix) if self.state is not None else {}
                except sqlite3.Error:
                    rows = {}
            row = rows.pop(prefix + rel, None)
            if row is None or row[0] != inputs:
                raise L10nError("the check's remembered summaries changed while it ran; "
                                "run it again", self.state.path if self.state else None)
            return json.loads(row[1])["s"]
        return get

    def put_file(self, locale: str, rel: str, inputs: str | None, result: FileResult) -> None:
        if inputs is None:
            return
        self._set(f"check:{locale}:{rel}", inputs, result.as_json())
        for cid, summary in (result.summaries or {}).items():
            self._set(f"check-summary:{locale}:{cid}:{rel}", inputs, {"s": summary})

    # -- one locale's cross-file checks
    def locale_inputs(self, locale: str, files: list[tuple[str, str | None]],
                      pages: set[str] | None, min_complete: float | None) -> str:
        return digest(self.env, locale, files, sorted(pages) if pages is not None else None,
                      min_complete)

    def locale(self, locale: str, inputs: str) -> list[Finding] | None:
        data = self._get(f"check-locale:{locale}", inputs)
        return _load(data["findings"]) if data else None

    def put_locale(self, locale: str, inputs: str, findings: list[Finding]) -> None:
        self._set(f"check-locale:{locale}", inputs, {"findings": _dump(findings)})

    # -- a locale check's costly part, by what it was computed from
    def remember(self, key: str, inputs, compute):
        """``compute()``'s JSON result, reused while ``inputs`` are as they were."""
        digested = digest(self.env, inputs)
        data = self._get("check-part:" + key, digested)
        if data is not None:
            return data["value"]
        value = json.loads(json.dumps(compute(), ensure_ascii=False))
        self._set("check-part:" + key, digested, {"value": value})
        return value

    def close(self) -> None:
        if self.state is None:
            return
        try:
            self.state.close()
        except sqlite3.Error:
            pass
        self.state = None
