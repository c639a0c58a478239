"""Benchmark: MT throughput on Ray with 1 and 2 workers, and the driver's ceiling.

Usage (from the project root, with the ray extra installed):

    .venv/bin/python bench/ray.py [--model ../shared/models/translate-en_xx-bench.argosmodel]
                                  [--units 600] [--batch-size 8] [--repeats 3]
                                  [--driver-units 6000]

For the same units (a deterministic sample of the real pages in
../shared/corpus/real-pages/, beam 2, 1 thread per worker), the local executor
with one thread once, then in each repeat, interleaved so that a change of load
hits every row alike:

* plain 1 / plain 2: the engine in 1 and 2 processes of their own, no Ray, each
  taking every other unit: what the machine itself gives two workers split
  naively (each process ends on its own longest batch, since the engine goes
  shortest first);
* ray 1 / ray 2 workers.

A rate is units / wall seconds from the moment every worker has its model
loaded to the last result: start-up is paid once per run, and counting from the
first result instead would leave out the batches already in flight. Each run
also prints the CPU that the rest of the machine used meanwhile ("others", in
cores, from /proc/stat less this benchmark's processes, Ray's included): the
machine is shared, and a ratio measured while others held a core says little.
For Ray it checks each actor: its OMP/MKL thread settings, CTranslate2's inter
threads, and how many of its threads did any work.

Then the executor alone (an engine that only sleeps, so no CPU is shared), and
the driver's own cost per unit: the whole translate step with the pseudo
engine, locally and through Ray; 1 / that cost is the most units/s one driver
can take in, however many workers it has.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# this file's own folder first on sys.path would make `import ray` import this file
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
CORPUS = ROOT.parent / "shared" / "corpus" / "real-pages"
TICK = os.sysconf("SC_CLK_TCK")


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


# -- CPU accounting from /proc ---------------------------------------------------

def machine_busy() -> float:
    """CPU seconds all cores have spent busy since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / TICK        # less idle and iowait


def _stat(path: Path) -> list[str] | None:
    try:
        text = path.read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()                 # fields from the 3rd on


def tree_cpu(root: int) -> dict[int, float]:
    """CPU seconds of ``root`` and of each process below it (Ray's services and
    workers are descendants of the driver that started them), those that have
    ended and were waited for included (they count in their parent's)."""
    parent, cpu = {}, {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and (f := _stat(proc / "stat")):
            parent[int(proc.name)] = int(f[1])
            cpu[int(proc.name)] = sum(map(int, f[11:15])) / TICK
    mine, grew = {root}, True
    while grew:
        more = {p for p, pp in parent.items() if pp in mine} - mine
        mine |= more
        grew = bool(more)
    return {p: cpu[p] for p in mine if p in cpu}


def thread_cpu(pid: int) -> list[float]:
    """CPU seconds of each of a process's threads, busiest first."""
    found = [_stat(t / "stat") for t in Path(f"/proc/{pid}/task").iterdir()]
    return sorted(((int(f[11]) + int(f[12])) / TICK for f in found if f), reverse=True)


class Window:
    """Wall and CPU between two moments: this process tree's and everyone else's."""

    def __init__(self):
        self.t, self.busy, self.ours = time.monotonic(), machine_busy(), tree_cpu(os.getpid())
        self.driver = time.process_time()

    def close(self) -> None:
        self.wall = time.monotonic() - self.t
        self.driver = time.process_time() - self.driver
        # per process: one that ended meanwhile (the last run's actors) takes
        # its CPU with it, which must not count as ours going down
        self.ours = sum(c - self.ours.get(p, 0.0) for p, c in tree_cpu(os.getpid()).items())
        self.others = max(0.0, machine_busy() - self.busy - self.ours) / self.wall
        self.load = os.getloadavg()[0]

    def __str__(self) -> str:
        return f"others {self.others:.2f} cores, load {self.load:.1f}"


# -- the runs ----------------------------------------------------------------------

def actor_facts(worker) -> dict:
    """Run on an actor (``__ray_call__``): what it was really given."""
    return {"pid": os.getpid(), "inter": worker.engine.translator.num_translators,
            "env": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")}}


def ray_run(executor, engine, spec, texts, cpu: list) -> tuple[float, str]:
    """(units/s from every worker ready to the last result, what the actors did);
    appends to ``cpu`` (worker CPU s/unit, driver CPU s/unit, Ray's services in cores)."""
    import ray
    window = Window()
    done = 0
    for group in executor.run(engine, spec, texts, threading.Event()):
        done += len(group)
        if done == len(texts):
            # now, not after the loop: the actors are stopped then, and a
            # stopped actor's CPU is not added to its parent's (the raylet's)
            end = time.monotonic()
            facts = ray.get([a.__ray_call__.remote(actor_facts) for a in executor.actors])
            threads = [thread_cpu(f["pid"]) for f in facts]
            window.close()
    ready, n = executor.ready_at, len(texts)
    # Ray's own processes (raylet, GCS, agents, idle workers) cost time, not units
    services = (window.ours - window.driver - sum(map(sum, threads))) / window.wall
    cpu.append((sum(t[0] for t in threads) / n, window.driver / n, services))
    fact = (f"ready {ready[-1] - window.t:.1f} s after start ({1e3 * (ready[-1] - ready[0]):.0f} ms "
            f"apart); {window}; driver {1e3 * window.driver / n:.1f} ms CPU/unit, Ray's services "
            f"{services:.2f} cores; actors: {facts[0]['env']}, inter threads "
            f"{[f['inter'] for f in facts]}, their 3 busiest threads "
            f"{[[round(c, 1) for c in t[:3]] for t in threads]} s")
    return n / (end - ready[-1]), fact


PLAIN = """
import json, sys, time
sys.path.insert(0, {root!r})
from l10n_tool.mt.engine import EngineSpec
texts = json.loads(sys.stdin.readline())
engine = EngineSpec("argos", "en", {target!r}, {options!r}).create()
engine.translator
print("ready", flush=True)
sys.stdin.readline()
start = time.monotonic()
for _ in engine.translate(texts):
    pass
print(time.monotonic() - start, flush=True)
"""


def plain_run(workers: int, texts: list[str], target: str, options: dict) -> tuple[float, str]:
    """Units/s of ``workers`` processes, each with its share of the units,
    started together once every one has its model loaded."""
    code = PLAIN.format(root=str(ROOT), target=target, options=options)
    procs = [subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for _ in range(workers)]
    for k, proc in enumerate(procs):
        proc.stdin.write(json.dumps(texts[k::workers]) + "\n")
        proc.stdin.flush()
    for proc in procs:
        assert proc.stdout.readline() == "ready\n"
    window = Window()
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        proc.wait()
    window.close()
    slowest = max(float(proc.stdout.read()) for proc in procs)
    return len(texts) / slowest, str(window)


def local_run(engine, spec, texts) -> tuple[float, str]:
    from l10n_tool.mt.executors.local import LocalExecutor
    engine.translator
    window = Window()
    for _ in LocalExecutor().run(engine, spec, texts, threading.Event()):
        pass
    window.close()
    return len(texts) / window.wall, str(window)


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


def driver_cost(work: Path, n: int, executor_name: str, batch: int) -> tuple[int, float, float]:
    """(units, wall seconds, this process's CPU seconds) of the translate step."""
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
                          options={"batch_size": batch})      # Ray's cost is per batch
    spec = settings.spec("en", "de")
    engine = spec.create()
    executor = create(executor_name, settings)
    start, cpu = time.perf_counter(), time.process_time()
    with MTCache(cache_dir / "mt.sqlite") as cache:
        summary = translate_locale(project, target, engine, project.glossary(), cache,
                                   executor=executor, spec=spec)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    for po in (proj / "locales" / "de").glob("*.po"):
        po.unlink()                                   # the next run starts blank again
    return summary.translated, seconds, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(ROOT.parent / "shared/models/translate-en_xx-bench.argosmodel"))
    ap.add_argument("--units", type=int, default=600)
    ap.add_argument("--driver-units", type=int, default=6000)
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="l10n-bench-ray-"))
    os.environ["ARGOS_PACKAGES_DIR"] = str(work / "packages")
    import ray

    from l10n_tool.mt import models
    from l10n_tool.mt.executors.ray import RayExecutor
    from l10n_tool.mt.settings import MTSettings

    pkg = models.install(Path(args.model))
    texts = sample(corpus_units(), args.units)
    print(f"model: {pkg.code} {pkg.version} ({pkg.pair}); {len(texts)} units from "
          f"{CORPUS.name}; beam 2, batch {args.batch_size}, 1 thread per worker; "
          f"{len(os.sched_getaffinity(0))} cores here", flush=True)

    options = {"beam": 2, "threads": 1, "batch_size": args.batch_size, "device": "cpu"}
    spec = MTSettings(engine="argos", executor="local", options=options).spec("en", pkg.to_code)
    engine = spec.create()
    # 4 CPU slots whatever the machine: the sleeping engine's 4 workers need no CPU
    ray.init(num_cpus=max(4, len(os.sched_getaffinity(0))), include_dashboard=False,
             log_to_driver=False, logging_level="error")

    cpu: dict[int, list] = {1: [], 2: []}

    def on_ray(workers):
        settings = MTSettings(engine="argos", executor="ray", workers=workers, options=options)
        return ray_run(RayExecutor(settings), engine, spec, texts, cpu[workers])

    local, facts = local_run(engine, spec, texts)
    print(f"local, 1 thread: {local:.2f} units/s; {facts}", flush=True)
    rows = {
        "plain, 1 process": lambda: plain_run(1, texts, pkg.to_code, options),
        "plain, 2 processes": lambda: plain_run(2, texts, pkg.to_code, options),
        "ray, 1 worker": lambda: on_ray(1),
        "ray, 2 workers": lambda: on_ray(2),
    }
    rates: dict[str, list[float]] = {name: [] for name in rows}
    for repeat in range(args.repeats):
        print(f"\nrepeat {repeat + 1}:", flush=True)
        for name, measure in rows.items():
            rate, facts = measure()
            rates[name].append(rate)
            print(f"  {name + ':':20} {rate:6.2f} units/s; {facts}", flush=True)
        print(f"  ratios: ray 2/1 {rates['ray, 2 workers'][-1] / rates['ray, 1 worker'][-1]:.2f}x, "
              f"plain 2/1 {rates['plain, 2 processes'][-1] / rates['plain, 1 process'][-1]:.2f}x",
              flush=True)

    median = {name: statistics.median(values) for name, values in rates.items()}
    print("\nmedians: " + ", ".join(f"{name} {rate:.2f}" for name, rate in median.items()))
    ray_ratios = [two / one for one, two in zip(rates["ray, 1 worker"], rates["ray, 2 workers"])]
    plain_ratios = [two / one for one, two in zip(rates["plain, 1 process"],
                                                  rates["plain, 2 processes"])]
    print(f"2 workers vs 1, per repeat: ray {', '.join(f'{r:.2f}x' for r in ray_ratios)} "
          f"(target >= 1.7x); plain processes {', '.join(f'{r:.2f}x' for r in plain_ratios)}")
    print(f"ray 1 worker vs local: {median['ray, 1 worker'] / local:.2f}x")
    one, two = (statistics.median(c[0] for c in cpu[w]) for w in (1, 2))
    driver = statistics.median(c[1] for c in cpu[2])
    services = statistics.median(c[2] for c in cpu[2])
    cores = len(os.sched_getaffinity(0))
    best = min(2 / two, (cores - services) / (two + driver))
    print(f"CPU per unit (medians; a worker's busiest thread): 1 worker {1e3 * one:.0f} ms, 2 workers "
          f"{1e3 * two:.0f} ms (+{two / one - 1:.0%}: two busy cores slow each other), the "
          f"driver {1e3 * driver:.1f} ms; Ray's services {services:.2f} cores. So on {cores} idle "
          f"cores, 1 worker would do {1 / one:.1f} units/s and 2 at most "
          f"{best:.1f} ({best * one:.2f}x): "
          "a projection from CPU time, not a measurement")

    sleeping: dict[int, tuple[float, float]] = {}
    for workers in (1, 2, 4):
        settings = MTSettings(engine="bench.ray:SleepEngine", executor="ray", workers=workers,
                              options={"batch_size": args.batch_size})
        sleep_spec = settings.spec("en", "zh")
        executor = RayExecutor(settings)
        end = None
        for _ in executor.run(sleep_spec.create(), sleep_spec, texts * 2, threading.Event()):
            end = time.monotonic()
        # actors that start far apart leave a range: the last one ready may find
        # most of the work done, the first one had the rest to itself for a while
        sleeping[workers] = tuple(2 * len(texts) / (end - executor.ready_at[k]) for k in (0, -1))
    print(f"\nexecutor alone (an engine that sleeps {1e3 * SleepEngine.SECONDS:.0f} ms per unit, "
          f"ideal {1 / SleepEngine.SECONDS:.0f} units/s per worker; from the first / last worker "
          "ready): " + ", ".join(
              f"{w} worker{'s' if w > 1 else ''} {a:.1f}/{b:.1f} units/s "
              f"({a / sleeping[1][0]:.2f}x/{b / sleeping[1][0]:.2f}x)"
              for w, (a, b) in sleeping.items()))

    for name in ("local", "ray"):
        n, secs, cpu = driver_cost(work, args.driver_units, name, args.batch_size)
        print(f"driver, whole translate step with the pseudo engine, {name}"
              f"{' (2 workers, their start included)' if name == 'ray' else ''}: {n} units in "
              f"{secs:.2f} s; the driver's CPU {1e3 * cpu / n:.3f} ms/unit -> one driver core "
              f"takes in at most {n / cpu:,.0f} units/s")
    ray.shutdown()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
