"""``l10n translate``: fill a locale's untranslated entries with MT drafts.

Split in three so the CLI can draw its own progress bar and a library user
can drive the run: ``plan`` reads the catalogs and the cache and says how many
units need the engine; ``run`` yields as units finish, each group committed
to the cache first, so every count the caller sees is already on disk;
``write`` puts the drafts into the PO files once, after the run, stopped or
not. Units are deduplicated across pages, and only cache misses reach the
engine, protected (glossary terms and placeholders masked) on the way in and
restored on the way out.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from l10n_tool import catalog
from l10n_tool.glossary import Glossary
from l10n_tool.locales import LocaleInfo
from l10n_tool.mt import drafts
from l10n_tool.mt.cache import MTCache
from l10n_tool.mt.engine import Engine, EngineSpec
from l10n_tool.mt.executors.local import LocalExecutor
from l10n_tool.mt.protect import Batch, protect
from l10n_tool.errors import L10nError
from l10n_tool.project import SITE_SLUG, Project


@dataclass
class Plan:
    locale: LocaleInfo
    identity: str
    catalogs: dict[str, catalog.Catalog]
    entries: dict[str, list[catalog.Entry]]       # msgid → its entries in every page
    keys: dict[str, str]                          # msgid → cache key
    results: dict[str, tuple[str, dict]]          # cache key → (text, notes): cached or finished
    misses: list[str]                             # msgids for the engine, shortest first
    cached: int
    translated: int = 0
    interrupted: bool = False
    started: float = field(default_factory=time.perf_counter)

    @property
    def pending(self) -> int:
        return len(self.entries)

    @property
    def total(self) -> int:
        """Units the engine must translate: the length of a progress bar."""
        return len(self.misses)


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


def _catalogs(project: Project, locale: str) -> dict[str, catalog.Catalog]:
    """Every page's PO file and the site-wide one; a PO file whose page is gone
    is left alone (it is memory for ``update``, not something to publish)."""
    pages = [d.slug for d in project.documents()]
    pos = project.locale_catalogs(locale)
    missing = [slug for slug in pages if slug not in pos]
    if missing:
        raise L10nError(f"no PO file; run `l10n update -l {locale}` first",
                        project.po_path(locale, missing[0]))
    keep = set(pages) | {SITE_SLUG}
    return {slug: po for slug, po in pos.items() if slug in keep}


def plan(project: Project, locale: LocaleInfo, engine: Engine, glossary: Glossary,
         cache: MTCache, refresh: bool = False) -> Plan:
    pos = _catalogs(project, locale.code)
    entries: dict[str, list[catalog.Entry]] = {}
    for po in pos.values():
        for entry in po:
            if drafts.wanted(entry, refresh):
                entries.setdefault(entry.msgid, []).append(entry)
    identity = engine.identity()
    gdigest = glossary.locale_digest(locale.code)
    keys = {msgid: MTCache.key(msgid, locale.code, identity, gdigest) for msgid in entries}
    results = cache.get_many(list(keys.values()))
    misses = sorted((m for m in entries if keys[m] not in results), key=len)
    return Plan(locale, identity, pos, entries, keys, results, misses,
                cached=len(entries) - len(misses))


def run(p: Plan, engine: Engine, glossary: Glossary, cache: MTCache, executor=None,
        spec: EngineSpec | None = None, stop: threading.Event | None = None) -> Iterator[int]:
    """Yield the number of units just finished and committed. Returns when
    every unit is done or, soon after ``stop`` is set, with ``p.interrupted``."""
    stop = stop or threading.Event()
    executor = executor or LocalExecutor()
    batch = Batch([protect(m, glossary, p.locale.code) for m in p.misses])
    for group in executor.run(engine, spec, batch.texts, stop):
        # a unit may be several texts (its sentence and its tagged spans): it is
        # finished, and counted, when the last of them is
        rows = [(p.keys[p.misses[u]], text, {"repairs": repairs, "problems": problems})
                for u, text, repairs, problems in batch.feed(group)]
        if not rows:
            continue
        cache.put_many(rows)
        p.results.update((k, (t, n)) for k, t, n in rows)
        p.translated += len(rows)
        yield len(rows)
    p.interrupted = stop.is_set() and p.translated < p.total


def write(project: Project, p: Plan) -> DraftSummary:
    """Drafts of every finished unit into the PO files, once, whether or not
    the run was stopped; a file is written only if it changed, and a
    translator's save made during the run wins over our drafts."""
    summary = DraftSummary(p.locale.code, p.pending, p.cached, p.translated,
                           interrupted=p.interrupted)
    for msgid, users in p.entries.items():
        done = p.results.get(p.keys[msgid])
        if done is None:
            continue
        text, notes = done
        if notes.get("problems"):
            summary.problems += 1
        for entry in users:
            drafts.apply(entry, text, notes, p.identity)
    with project.build_state() as state:
        for slug, po in p.catalogs.items():
            path = project.po_path(p.locale.code, slug)
            was = project.bytes_read(path)
            if project.save_po(path, po):    # merged with a person's save made meanwhile
                summary.files_written.append(project.rel(path))
                # the drafts are the tool's own change: the next update need not merge it
                state.follow(path, was, {"untranslated": catalog.untranslated_msgids(po)})
    summary.seconds = time.perf_counter() - p.started
    return summary


@contextmanager
def interruptible() -> Iterator[threading.Event]:
    """Ctrl-C sets the returned flag instead of raising wherever the main
    thread happens to be, so the run stops between two commits and the saved
    count is exact; a second Ctrl-C raises KeyboardInterrupt as usual."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def translate_locale(project: Project, locale: LocaleInfo, engine: Engine, glossary: Glossary,
                     cache: MTCache, refresh: bool = False, executor=None,
                     spec: EngineSpec | None = None) -> DraftSummary:
    """The three parts in one call, for library users and benchmarks."""
    p = plan(project, locale, engine, glossary, cache, refresh)
    with interruptible() as stop:
        for _ in run(p, engine, glossary, cache, executor, spec, stop):
            pass
    return write(project, p)
