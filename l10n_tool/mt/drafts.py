"""Fill a locale's untranslated entries with machine-translated drafts.

Every draft is marked ``fuzzy`` with a translator comment naming engine and
model, so it never passes for a reviewed translation; clearing the flag in
Poedit is what makes it one. Reviewed entries are never touched. Units are
deduplicated across pages, looked up in the cache, and only the misses go to
the engine, shortest first, and finished units are committed to the cache a
chunk at a time: an interrupted run loses at most the units in flight.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from l10n_tool import catalog
from l10n_tool.glossary import Glossary
from l10n_tool.locales import LocaleInfo
from l10n_tool.mt.cache import MTCache
from l10n_tool.mt.protect import protect, restore
from l10n_tool.project import Project


@dataclass
class DraftSummary:
    locale: str
    pending: int = 0
    cached: int = 0
    translated: int = 0
    problems: int = 0
    seconds: float = 0.0
    files_written: list[str] = field(default_factory=list)
    interrupted: bool = False


def _wanted(entry: catalog.Entry, refresh: bool) -> bool:
    if entry.obsolete:
        return False
    if not entry.msgstr:
        return True
    return refresh and catalog.is_mt_draft(entry)


def _apply(entry: catalog.Entry, text: str, notes: dict, provenance: str) -> None:
    kept = [line for line in (entry.tcomment or "").splitlines()
            if not line.startswith((catalog.MT_PREFIX, catalog.MT_PROBLEM_PREFIX))]
    lines = kept + [f"{catalog.MT_PREFIX} {provenance}"]
    lines += [f"{catalog.MT_PREFIX} repaired: {r}" for r in notes.get("repairs", [])]
    lines += [f"{catalog.MT_PROBLEM_PREFIX} {p}" for p in notes.get("problems", [])]
    entry.msgstr = text
    entry.tcomment = "\n".join(lines)
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    entry.previous_msgid = None
    entry.previous_msgctxt = None


def _commit(cache: MTCache, rows: list, results: dict, summary: DraftSummary, progress) -> None:
    """Finished units go to the cache (and count as done) one chunk at a time."""
    if not rows:
        return
    cache.put_many(rows)
    for key, text, notes in rows:
        results[key] = (text, notes)
    summary.translated += len(rows)
    if progress:
        progress(len(rows))
    rows.clear()


def translate_locale(project: Project, locale: LocaleInfo, engine, glossary: Glossary,
                     cache: MTCache, refresh: bool = False,
                     progress: Callable[[int], None] | None = None,
                     on_total: Callable[[int], None] | None = None) -> DraftSummary:
    summary = DraftSummary(locale.code)
    started = time.perf_counter()
    pos = project.catalogs(locale.code, required=True)
    entries: dict[str, list[catalog.Entry]] = {}    # msgid → its entries in every page
    for po in pos.values():
        for entry in po:
            if _wanted(entry, refresh):
                entries.setdefault(entry.msgid, []).append(entry)
    summary.pending = len(entries)
    identity = engine.identity()
    gdigest = glossary.locale_digest(locale.code)
    keys = {msgid: MTCache.key(msgid, locale.code, identity, gdigest) for msgid in entries}
    results = cache.get_many(list(keys.values()))
    summary.cached = sum(1 for k in keys.values() if k in results)
    misses = sorted((m for m in entries if keys[m] not in results), key=len)
    if on_total:
        on_total(len(misses))
    rows: list = []
    try:
        protected = {m: protect(m, glossary, locale.code) for m in misses}
        outputs = engine.translate([protected[m].text for m in misses])
        for msgid, out in zip(misses, outputs):
            text, repairs, problems = restore(protected[msgid], out)
            notes = {"repairs": repairs, "problems": problems}
            rows.append((keys[msgid], text, notes))
            if len(rows) >= engine.chunk_size:
                _commit(cache, rows, results, summary, progress)
        _commit(cache, rows, results, summary, progress)
    except KeyboardInterrupt:
        summary.interrupted = True
        _commit(cache, rows, results, summary, progress)   # finished units are kept
    finally:
        for msgid, users in entries.items():
            if keys[msgid] not in results:
                continue
            text, notes = results[keys[msgid]]
            if notes.get("problems"):
                summary.problems += 1
            for entry in users:
                _apply(entry, text, notes, identity)
        for slug, po in pos.items():
            path = project.po_path(locale.code, slug)
            if catalog.save(po, path):
                summary.files_written.append(project.rel(path))
        summary.seconds = time.perf_counter() - started
    return summary
