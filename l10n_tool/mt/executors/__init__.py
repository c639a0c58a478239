"""Where an engine runs: in this process (``local``) or on a Ray cluster (``ray``).

An executor takes protected texts and yields groups of ``(index, text)`` as
they finish, in any order, and returns promptly once ``stop`` is set; the
translate step commits each group to the cache, so no executor needs to know
about caching, PO files or interruption beyond that flag.
"""

from __future__ import annotations

import importlib
import threading
from typing import Iterator, Protocol

from l10n_tool.mt.engine import Engine, EngineSpec

#: name → "module:class". A new executor adds one line.
EXECUTORS: dict[str, str] = {
    "local": "l10n_tool.mt.executors.local:LocalExecutor",
    "ray": "l10n_tool.mt.executors.ray:RayExecutor",
}


class Executor(Protocol):
    def run(self, engine: Engine, spec: EngineSpec, texts: list[str],
            stop: threading.Event) -> Iterator[list[tuple[int, str]]]:
        """Groups of finished units; ``engine`` is the driver's own instance
        (local runs use it, distributed ones rebuild engines from ``spec``)."""

    def describe(self) -> str:
        """A few words for the summary line: where the units were translated."""


def create(name: str, settings) -> Executor:
    """``settings``: the run's ``MTSettings`` (address, workers, engine options)."""
    module, _, attr = EXECUTORS[name].partition(":")
    return getattr(importlib.import_module(module), attr)(settings)
