"""Benchmark: MT throughput on Ray with 1 and 2 workers, and the driver's ceiling.

Usage (from the project root, with the ray extra installed):

    .venv/bin/python bench/ray.py [--model ../shared/models/translate-en_xx-bench.argosmodel]
                                  [--units 160] [--driver-units 6000]

Prints, for the same units (a deterministic sample of the real pages in
../shared/corpus/real-pages/, beam 2, 1 thread per worker):

* local: the local executor with one thread, the baseline;
* ray 1 / ray 2 workers: units/s measured from the first finished batch to the
  last (actor start-up and model loading are printed apart), and the ratio;
* the driver's own cost per unit: the whole translate step (plan, glossary
  protection, restore, cache commit, PO merge and write) with the pseudo
  engine, which costs nearly nothing, locally and through Ray; 1 / that cost is
  the most units/s one driver can take in, however many workers it has.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# this file's own folder first on sys.path would make `import ray` import this file
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
CORPUS = ROOT.parent / "shared" / "corpus" / "real-pages"


class SleepEngine:
    """A stand-in engine that takes 20 ms of wall time per unit and no CPU: with
    it the benchmark measures the executor's own parallelism and overhead,
    which a machine busy with other work cannot distort."""
    name = "sleep"
    OPTIONS = ()
    SECONDS = 0.02

    @classmethod
    def from_options(cls, source, target, options):
        return cls()

    def identity(self) -> str:
        return "sleep 1"

    def translate(self, texts):
        for i, text in enumerate(texts):
            time.sleep(self.SECONDS)
            yield i, text


def corpus_units() -> list[str]:
    from l10n_tool import formats
    units: set[str] = set()
    for page in sorted(CORPUS.glob("*/source.html")):
        try:
            units |= {u.text for u in formats.for_path(page).read(page, "en", "sentences").units}
        except Exception:  # noqa: BLE001 - a page the reader refuses is not this benchmark's business
            continue
    return sorted(units)


def sample(units: list[str], n: int) -> list[str]:
    step = max(1, len(units) // n)
    return units[::step][:n]


def timed_run(executor, engine, spec, texts) -> tuple[float, float, int, float, float]:
    """(seconds to the first finished group, seconds from it to the last, units
    after it, worker CPU seconds, driver CPU seconds). CPU seconds are taken
    while the last group is in hand, before the executor stops its workers."""
    start, cpu0 = time.perf_counter(), time.process_time()
    first = None
    after = 0
    done = 0
    workers_cpu = 0.0
    for group in executor.run(engine, spec, texts, threading.Event()):
        done += len(group)
        if first is None:
            first = time.perf_counter()
        else:
            after += len(group)
        if done == len(texts) and getattr(executor, "actors", None):
            import ray
            workers_cpu = sum(ray.get([a.cpu_seconds.remote() for a in executor.actors]))
    end = time.perf_counter()
    return first - start, end - first, after, workers_cpu, time.process_time() - cpu0


def driver_project(work: Path, n: int) -> Path:
    """A project of one page with ``n`` distinct real sentences, PO files blank."""
    proj = work / "driver"
    (proj / "source").mkdir(parents=True)
    shutil.copy(ROOT / "glossary.csv", proj / "glossary.csv")
    shutil.copy(ROOT / "pyproject.toml", proj / "pyproject.toml")
    units = corpus_units()
    units = (units * (n // len(units) + 1))[:n]
    body = "\n".join(f"<p>{i}. {u.replace('<', ' ').replace('&', ' and ')}</p>"
                     for i, u in enumerate(units))
    (proj / "source" / "driver.html").write_text(
        f"<!DOCTYPE html><html lang='en'><head><title>Driver</title></head><body><main><article>"
        f"<h1>Driver</h1>{body}</article></main></body></html>", encoding="utf-8")
    return proj


def driver_cost(work: Path, n: int, executor_name: str) -> tuple[int, float]:
    from l10n_tool.config import load_settings, with_overrides
    from l10n_tool.locales import get_locale
    from l10n_tool.mt.cache import MTCache
    from l10n_tool.mt.executors import create
    from l10n_tool.mt.settings import MTSettings
    from l10n_tool.project import Project
    from l10n_tool.steps.translate import translate_locale
    from l10n_tool.steps.update import update

    proj = work / "driver"
    if not proj.exists():
        driver_project(work, n)
    target = get_locale("de")
    update(Project(load_settings(proj)), [target])
    cache_dir = Path(tempfile.mkdtemp(dir=work))
    project = Project(with_overrides(load_settings(proj), cache_dir=cache_dir))
    settings = MTSettings(engine="pseudo", executor=executor_name, workers=2,
                          options={})
    spec = settings.spec("en", "de")
    engine = spec.create()
    executor = create(executor_name, settings)
    start = time.perf_counter()
    with MTCache(cache_dir / "mt.sqlite") as cache:
        summary = translate_locale(project, target, engine, project.glossary(), cache,
                                   executor=executor, spec=spec)
    seconds = time.perf_counter() - start
    for po in (proj / "locales" / "de").glob("*.po"):
        po.unlink()                                   # the next run starts blank again
    return summary.translated, seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(ROOT.parent / "shared/models/translate-en_xx-bench.argosmodel"))
    ap.add_argument("--units", type=int, default=160)
    ap.add_argument("--driver-units", type=int, default=6000)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--repeats", type=int, default=2, help="Ray runs per worker count (medians)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="l10n-bench-ray-"))
    os.environ["ARGOS_PACKAGES_DIR"] = str(work / "packages")
    import ray

    from l10n_tool.mt import models
    from l10n_tool.mt.executors.local import LocalExecutor
    from l10n_tool.mt.executors.ray import RayExecutor
    from l10n_tool.mt.settings import MTSettings

    pkg = models.install(Path(args.model))
    texts = sample(corpus_units(), args.units)
    print(f"model: {pkg.code} {pkg.version} ({pkg.pair}); {len(texts)} units from "
          f"{CORPUS.name}; beam 2, batch {args.batch_size}, 1 thread per worker; "
          f"{len(os.sched_getaffinity(0))} cores here")

    options = {"beam": 2, "threads": 1, "batch_size": args.batch_size, "device": "cpu"}
    rates: dict[str, float] = {}
    settings = MTSettings(engine="argos", executor="local", options=options)
    spec = settings.spec("en", pkg.to_code)
    engine = spec.create()
    head, rest, after, _, _ = timed_run(LocalExecutor(), engine, spec, texts)
    rates["local, 1 thread"] = after / rest
    print(f"local, 1 thread:  first batch after {head:.1f} s, then {after / rest:.2f} units/s")

    # 4 CPU slots whatever the machine: the sleeping engine's 4 workers need no CPU
    ray.init(num_cpus=max(4, len(os.sched_getaffinity(0))), include_dashboard=False, log_to_driver=False,
             logging_level="error")
    measured: dict[int, list[float]] = {1: [], 2: []}
    cpu: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
    for _ in range(args.repeats):                 # interleaved, so load changes hit both
        for workers in (1, 2):
            settings = MTSettings(engine="argos", executor="ray", workers=workers, options=options)
            head, rest, after, wcpu, dcpu = timed_run(RayExecutor(settings), engine, spec, texts)
            measured[workers].append(after / rest)
            cpu[workers].append((wcpu / len(texts), dcpu / len(texts)))
            print(f"ray, {workers} worker{'s' if workers > 1 else ' '}:  start-up and first batch "
                  f"{head:.1f} s, then {after / rest:.2f} units/s; CPU per unit: workers "
                  f"{1e3 * wcpu / len(texts):.0f} ms (model load included), driver "
                  f"{1e3 * dcpu / len(texts):.1f} ms")
    for workers, values in measured.items():
        rates[f"ray, {workers} workers"] = statistics.median(values)
    ratio = rates["ray, 2 workers"] / rates["ray, 1 workers"]
    print(f"\nmedians: 1 worker {rates['ray, 1 workers']:.2f}, 2 workers "
          f"{rates['ray, 2 workers']:.2f} units/s")
    print(f"2 workers vs 1 worker: {ratio:.2f}x (target >= 1.7x)")
    worker_ms = statistics.median(c[0] for c in cpu[1] + cpu[2]) * 1e3
    driver_ms = statistics.median(c[1] for c in cpu[2]) * 1e3
    print(f"CPU per unit (medians): a worker {worker_ms:.0f} ms, the Ray driver {driver_ms:.1f} ms: "
          f"on idle cores N workers give ~N x {1e3 / worker_ms:.2f} units/s, and the driver's "
          f"CPU ({driver_ms / worker_ms:.1%} of a worker's) caps it near "
          f"{worker_ms / driver_ms:.0f} workers")
    print(f"ray 1 worker vs local: {rates['ray, 1 workers'] / rates['local, 1 thread']:.2f}x")

    sleeping: dict[int, float] = {}
    for workers in (1, 2, 4):
        settings = MTSettings(engine="bench.ray:SleepEngine", executor="ray", workers=workers,
                              options={})
        sleep_spec = settings.spec("en", "zh")
        head, rest, after, _, _ = timed_run(RayExecutor(settings), sleep_spec.create(),
                                            sleep_spec, texts * 2)
        sleeping[workers] = after / rest
    print(f"executor alone (an engine that sleeps {1e3 * SleepEngine.SECONDS:.0f} ms per unit, "
          f"ideal {1 / SleepEngine.SECONDS:.0f} units/s per worker): " +
          ", ".join(f"{w} worker{'s' if w > 1 else ''} {r:.1f} units/s ({r / sleeping[1]:.2f}x)"
                    for w, r in sleeping.items()))

    n, secs = driver_cost(work, args.driver_units, "local")
    print(f"\ndriver, whole translate step with the pseudo engine, local: {n} units in "
          f"{secs:.2f} s = {1e3 * secs / n:.3f} ms/unit -> ceiling {n / secs:,.0f} units/s")
    n, secs = driver_cost(work, args.driver_units, "ray")
    print(f"driver, the same through Ray (2 workers, Ray start included): {n} units in "
          f"{secs:.2f} s = {1e3 * secs / n:.3f} ms/unit -> ceiling {n / secs:,.0f} units/s")
    ray.shutdown()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
