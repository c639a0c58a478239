"""Issue 14: MT on a Ray cluster. Skipped where Ray is not installed; CI installs
the extra (``pip install -e '.[test,ray]'``).

One local cluster (2 CPUs) for the module: starting Ray costs seconds, and the
CLI joins a running cluster instead of starting its own.
"""

from __future__ import annotations

import shutil
import threading

import polib
import pytest

ray = pytest.importorskip("ray")

from test_mt import ASIA, MEDIA, clear_some  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="error")
    yield
    ray.shutdown()


def drafts(project, locale="zh_Hans") -> dict:
    return {(p.name, e.msgid): (e.msgstr, e.flags, e.tcomment)
            for p in sorted((project / "locales" / locale).glob("*.po"))
            for e in polib.pofile(str(p)) if e.msgid}


def test_ray_output_is_identical_to_a_local_run(cluster, tiny_model, l10n, project, tmp_path):
    l10n(project, "models", "install", str(tiny_model["archive"]))
    for slug in (ASIA, MEDIA):
        clear_some(project / "locales" / "zh_Hans" / f"{slug}.po", every=2)
    other = tmp_path / "other"
    shutil.copytree(project, other)

    local = l10n(project, "translate", "-l", "zh_Hans", "--threads", "1", "--batch-size", "8")
    on_ray = l10n(other, "translate", "-l", "zh_Hans", "--threads", "1", "--batch-size", "8",
                  "--executor", "ray", "--workers", "2")
    assert "on Ray (2 workers)" in on_ray.stdout
    n = local.stdout.split(" pending")[0].split()[-1]
    assert f", {n} translated by argos translate-en_zh-tiny 0.1 beam=2 on Ray" in on_ray.stdout
    assert drafts(project) == drafts(other)
    assert int(n) > 20


def test_a_killed_worker_has_its_units_retried(cluster, tiny_model, l10n, project):
    from l10n_tool.mt.executors.ray import RayExecutor
    from l10n_tool.mt.settings import MTSettings

    l10n(project, "models", "install", str(tiny_model["archive"]))
    texts = sorted({e.msgid for p in (project / "locales" / "zh_Hans").glob("*.po")
                    for e in polib.pofile(str(p)) if e.msgid})
    settings = MTSettings(engine="argos", executor="ray", workers=2,
                          options={"threads": 1, "batch_size": 4, "beam": 2})
    spec = settings.spec("en", "zh")
    engine = spec.create()
    expected = dict(engine.translate(texts))

    def actor_threads(worker) -> tuple:       # nested: Ray sends it by value, not by module
        import os
        return (os.environ.get("OMP_NUM_THREADS"), os.environ.get("MKL_NUM_THREADS"),
                worker.engine.translator.num_translators)

    executor = RayExecutor(settings)
    got: dict[int, str] = {}
    for group in executor.run(engine, spec, texts, threading.Event()):
        if not got:
            # one CTranslate2 thread, whatever OMP/MKL settings Ray or the
            # driver's environment would hand the actor
            assert ray.get(executor.actors[0].__ray_call__.remote(actor_threads)) == ("1", "1", 1)
            ray.kill(executor.actors[0])         # mid-run: its queued batches are lost
        got.update(group)
    assert executor.died == 1
    assert got == expected                     # every unit, each exactly as a local run


def test_more_workers_than_cpus_and_a_worker_without_the_model(cluster, tiny_model, l10n, project):
    """A worker the cluster cannot place yet gets no units (they would wait
    forever); a worker that cannot load its model says why, in one line."""
    from l10n_tool.errors import L10nError
    from l10n_tool.mt.engine import EngineSpec
    from l10n_tool.mt.executors.ray import RayExecutor
    from l10n_tool.mt.settings import MTSettings

    texts = [f"Unit number {i}." for i in range(40)]
    settings = MTSettings(engine="pseudo", executor="ray", workers=3, options={})
    spec = settings.spec("en", "de")
    got = {}
    for group in RayExecutor(settings).run(spec.create(), spec, texts, threading.Event()):
        got.update(group)
    assert got == dict(spec.create().translate(texts))

    l10n(project, "models", "install", str(tiny_model["archive"]))       # en→zh only
    missing = EngineSpec("argos", "en", "de", {"threads": 1})
    with pytest.raises(L10nError, match=r"on a Ray worker: no Argos model for en→de"):
        one = MTSettings(engine="argos", executor="ray", workers=1, options={})
        for _ in RayExecutor(one).run(spec.create(), missing, texts, threading.Event()):
            pass
