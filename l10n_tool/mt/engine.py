"""The engine protocol: a batch of protected strings in, strings out.

Engines know nothing of PO files, glossaries or caching; the drafts step
does all of that around them, so a new engine is one small class.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Protocol


class Engine(Protocol):
    def identity(self) -> str:
        """Engine, model, version and decoding settings: anything that changes
        output. It keys the cache and is the provenance written on every draft."""

    #: How many finished units the drafts step commits to the cache at a time.
    chunk_size: int

    def translate(self, texts: list[str]) -> Iterable[str]:
        """Translate units; results come back in order, as soon as each is done."""


ENGINES = ("argos", "pseudo")


def create(name: str, source_code: str, target_code: str, beam_size: int = 2,
           threads: int = 0, batch_size: int = 32) -> Engine:
    """The one way to get an engine: by name, for an Argos language pair."""
    if name == "pseudo":
        from l10n_tool.mt.pseudo import PseudoEngine
        return PseudoEngine()
    from l10n_tool.mt import models
    from l10n_tool.mt.argos import ArgosEngine, PivotEngine
    chain = [ArgosEngine(p.path, beam_size=beam_size, threads=threads, max_batch_size=batch_size)
             for p in models.route(source_code, target_code)]
    return chain[0] if len(chain) == 1 else PivotEngine(*chain)
