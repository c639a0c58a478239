"""Run the engine on a Ray cluster: one actor per worker, each loading the model once.

Units go out in length-sorted batches, exactly the batches a local run would
make, so the output is identical to a local run, longest first, one batch to
each idle actor. Results stream back as they finish
(``ray.wait``), in any order, to the driver, which alone writes the cache and
the PO files. An actor that dies has its batches sent to another one (a
replacement is started when none is left), up to ``MAX_RETRIES`` times per
batch. Ray is an optional extra: ``pip install 'l10n_tool[ray]'``.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from pathlib import Path
from typing import Iterator

from l10n_tool.errors import L10nError
from l10n_tool.mt.engine import Engine, EngineSpec

MAX_RETRIES = 3
POLL_S = 0.1
DEFAULT_BATCH = 32


def _import_ray():
    try:
        import ray
    except ImportError:
        raise L10nError("the ray executor needs Ray: pip install 'l10n_tool[ray]'") from None
    return ray


class _Worker:
    """A Ray actor: builds its engine from the spec where it runs. A failure to
    build it (no model on that node) is kept for ``ready`` to report, since
    Ray would only say that the actor died."""

    def __init__(self, spec: EngineSpec):
        self.engine, self.error = None, None
        try:
            self.engine = spec.create()
            getattr(self.engine, "translator", None)    # an argos model loads now, not mid-batch
        except Exception as exc:  # noqa: BLE001 - reported to the driver as text
            self.error = str(exc)

    def ready(self) -> str | None:
        return self.error

    def translate(self, batch: list[tuple[int, str]]) -> list[tuple[int, str]]:
        return [(batch[j][0], text) for j, text in self.engine.translate([t for _, t in batch])]


def batches(engine: Engine, texts: list[str], size: int) -> list[list[tuple[int, str]]]:
    """The batches a local run makes: stable sort by the engine's own length
    measure (SentencePiece pieces for argos), cut every ``size`` units."""
    lengths = engine.lengths(texts) if hasattr(engine, "lengths") else [len(t) for t in texts]
    order = sorted(range(len(texts)), key=lambda i: lengths[i])
    return [[(i, texts[i]) for i in order[k:k + size]] for k in range(0, len(order), size)]


class RayExecutor:
    def __init__(self, settings):
        self.settings = settings
        self.ray = _import_ray()
        #: live actors (tests kill one to see its units retried elsewhere)
        self.actors: list = []
        self._starting: list = []       # every actor started, to stop them all at the end
        self.workers = 0
        self.died = 0
        #: time.monotonic() when each worker had its model loaded: throughput is
        #: measured from there, since start-up is paid once per run, not per unit
        self.ready_at: list[float] = []

    def describe(self) -> str:
        died = f", {self.died} died and their units were retried" if self.died else ""
        return f"on Ray ({self.workers} workers{died})"

    def _connect(self) -> bool:
        """Joins the cluster at ``address`` (or RAY_ADDRESS), else starts a local
        one; returns whether this call started Ray, so only then it is shut down."""
        ray = self.ray
        if ray.is_initialized():
            return False
        try:
            ray.init(address=self.settings.address, include_dashboard=False,
                     log_to_driver=False, logging_level="warning")
        except (ConnectionError, ValueError, RuntimeError) as exc:
            where = self.settings.address or "a local cluster"
            raise L10nError(f"cannot start or join Ray ({where}): {exc}") from None
        return True

    def _actor_class(self, spec: EngineSpec):
        threads = int(spec.options.get("threads") or 1)
        env = {"PYTHONPATH": os.pathsep.join(
            [str(Path(__file__).resolve().parents[3])] +
            [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])}
        if "ARGOS_PACKAGES_DIR" in os.environ:
            env["ARGOS_PACKAGES_DIR"] = os.environ["ARGOS_PACKAGES_DIR"]
        # CTranslate2's MKL starts MKL_NUM_THREADS threads whatever intra_threads
        # says, and Ray sets only OMP_NUM_THREADS: an actor would use more CPUs
        # than it reserved, inherited from whoever started the cluster
        env["OMP_NUM_THREADS"] = env["MKL_NUM_THREADS"] = str(threads)
        # Ray hides GPUs from actors that do not ask for one
        gpus = 1 if spec.options.get("device") == "cuda" else 0
        return self.ray.remote(num_cpus=threads, num_gpus=gpus, max_restarts=0,
                               max_task_retries=0)(
            _Worker).options(runtime_env={"env_vars": env}), threads, gpus

    def run(self, engine: Engine, spec: EngineSpec, texts: list[str],
            stop: threading.Event) -> Iterator[list[tuple[int, str]]]:
        if not texts:
            return
        if spec is None:
            raise L10nError("the ray executor needs an engine spec to build engines on its workers")
        ray = self.ray
        started = self._connect()
        try:
            yield from self._run(engine, spec, texts, stop)
        finally:
            for actor in self._starting:
                ray.kill(actor)
            self.actors, self._starting = [], []
            if started:
                ray.shutdown()

    def _run(self, engine, spec, texts, stop):
        ray = self.ray
        from ray.exceptions import RayActorError, RayTaskError

        Actor, threads, gpus = self._actor_class(spec)
        resources = ray.cluster_resources()
        if gpus and not resources.get("GPU"):
            raise L10nError("device = cuda, but the Ray cluster has no GPU; use device = cpu "
                            "or auto")
        self.workers = self.settings.workers or max(
            1, int(resources.get("GPU", 0)) if gpus else int(resources.get("CPU", 1)) // threads)
        # an actor gets work only once its model is loaded: one that the cluster
        # cannot place yet (more workers than CPUs) would hold its batches forever
        starting: dict = {}             # ready() ref → actor
        busy: set[int] = set()          # id() of the actors that have a batch

        def start():
            actor = Actor.remote(spec)
            starting[actor.ready.remote()] = actor
            self._starting.append(actor)

        for _ in range(self.workers):
            start()
        # longest first: the last batches to finish are then the short ones, so no
        # worker is left with a long tail while the others idle. One batch per
        # actor, none queued behind it: a padded batch of long units can cost
        # seconds, and one waiting behind it would wait while another actor
        # idles (on the real pages, the first actor ready took the two costliest
        # batches and finished seconds after the other); the gap between two
        # batches, a round trip to the driver, costs about a millisecond
        queue = deque((batch, 0) for batch in reversed(
            batches(engine, texts, int(spec.options.get("batch_size") or DEFAULT_BATCH))))
        in_flight: dict = {}            # ref → (actor, batch, tries)
        failed_starts = 0
        while (queue or in_flight) and not stop.is_set():
            for actor in self.actors:
                if queue and id(actor) not in busy:
                    batch, tries = queue.popleft()
                    in_flight[actor.translate.remote(batch)] = (actor, batch, tries)
                    busy.add(id(actor))
            ready, _ = ray.wait(list(in_flight) + list(starting), num_returns=1, timeout=POLL_S)
            for ref in ready:
                if ref in starting:
                    actor = starting.pop(ref)
                    try:
                        error = ray.get(ref)
                    except RayActorError:
                        failed_starts += 1
                        if failed_starts > self.workers + MAX_RETRIES:
                            raise L10nError(f"Ray workers failed to start {failed_starts} "
                                            "times; giving up") from None
                        self.died += 1
                        if not self.actors and not starting:
                            start()
                        continue
                    if error:
                        raise L10nError(f"on a Ray worker: {error}")
                    self.actors.append(actor)
                    self.ready_at.append(time.monotonic())
                    continue
                actor, batch, tries = in_flight.pop(ref)
                busy.discard(id(actor))
                try:
                    group = ray.get(ref)
                except RayActorError:
                    if any(a is actor for a in self.actors):
                        self.actors = [a for a in self.actors if a is not actor]
                        self.died += 1
                    if not self.actors and not starting:
                        start()         # a replacement only when no worker is left
                    if tries + 1 > MAX_RETRIES:
                        raise L10nError(f"Ray workers died {tries + 1} times on the same batch "
                                        f"of {len(batch)} units; giving up") from None
                    queue.appendleft((batch, tries + 1))
                    continue
                except RayTaskError as exc:
                    cause = getattr(exc, "cause", None)
                    if isinstance(cause, L10nError):
                        raise cause from None
                    raise L10nError(f"MT failed on a Ray worker: {cause or exc}") from None
                yield group
