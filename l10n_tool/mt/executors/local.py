"""Run the engine in this process, on a worker thread.

The thread is what lets Ctrl-C stop a run within a poll interval: the main
thread waits on a queue with a timeout and checks the stop flag, while the
engine may block for a whole batch inside native code. Once stopped, the
thread is abandoned after the unit it is on (a daemon, so exit never waits for
it beyond what the engine itself needs to finish its batch).
"""

from __future__ import annotations

import queue
import threading
from typing import Iterator

from l10n_tool.errors import L10nError
from l10n_tool.mt.engine import Engine, EngineSpec

POLL_S = 0.05
_DONE = object()


class LocalExecutor:
    def __init__(self, settings=None):
        self.settings = settings

    def describe(self) -> str:
        return ""

    def run(self, engine: Engine, spec: EngineSpec, texts: list[str],
            stop: threading.Event) -> Iterator[list[tuple[int, str]]]:
        if not texts:
            return
        results: queue.Queue = queue.Queue()
        abandoned = threading.Event()       # the caller stopped reading (an error upstream)

        def work():
            try:
                for item in engine.translate(texts):
                    if stop.is_set() or abandoned.is_set():
                        break
                    results.put(item)
            except L10nError as exc:
                results.put((_DONE, exc))
                return
            except Exception as exc:  # noqa: BLE001 - a native engine's failure, for the user
                results.put((_DONE, L10nError(f"MT engine {engine.identity()} failed: {exc}")))
                return
            results.put((_DONE, None))

        thread = threading.Thread(target=work, name="l10n-mt", daemon=True)
        thread.start()
        try:
            yield from self._collect(results, stop)
        finally:
            abandoned.set()

    @staticmethod
    def _collect(results: queue.Queue, stop: threading.Event) -> Iterator[list[tuple[int, str]]]:
        while True:
            try:
                group = [results.get(timeout=POLL_S)]
            except queue.Empty:
                if stop.is_set():
                    return
                continue
            while True:                     # whatever else has finished meanwhile
                try:
                    group.append(results.get_nowait())
                except queue.Empty:
                    break
            finished = [g for g in group if g[0] is not _DONE]
            end = [g[1] for g in group if g[0] is _DONE]
            if finished:
                yield finished
            if end and end[0] is not None:
                raise end[0]
            if end:
                return
