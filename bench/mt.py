"""Benchmark: our MT path against argostranslate and raw CTranslate2.

Usage (from the project root, after the README's set-up):

    .venv/bin/python bench/mt.py [--model ../shared/models/translate-en_xx-bench.argosmodel] [--runs 3]

Prints seconds and units per second for each path (medians of --runs), the
ratios, and last the line ``speedup vs naive: N.Nx`` (our defaults against
argostranslate's). All paths translate the same units: the distinct msgids of
every page in source/. Everything runs in this process except the cached
rerun, which goes through the real ``l10n`` command to include start-up.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(ROOT.parent / "shared/models/translate-en_xx-bench.argosmodel"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-naive", action="store_true", help="skip the slow argostranslate run")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="l10n-bench-"))
    os.environ["ARGOS_PACKAGES_DIR"] = str(work / "packages")
    os.environ.setdefault("ARGOS_CHUNK_TYPE", "SPACY")  # offline sentence splitting for argos
    from l10n_tool.config import load_settings, with_overrides
    from l10n_tool.locales import get_locale
    from l10n_tool.mt import models
    from l10n_tool.mt.cache import MTCache
    from l10n_tool.mt.engine import EngineSpec
    from l10n_tool.steps.translate import translate_locale
    from l10n_tool.project import Project
    from l10n_tool.steps.update import update

    pkg = models.install(Path(args.model))
    target = get_locale("zh_Hans")
    print(f"model: {pkg.code} {pkg.version} ({pkg.pair}) on {os.cpu_count()} cores")

    # a scratch copy of the project with empty PO files
    proj = work / "proj"
    proj.mkdir()
    for name in ("source", "glossary.csv", "pyproject.toml"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, proj / name)
    project = Project(load_settings(proj))
    update(project, [target])
    blank = {p: p.read_bytes() for p in (proj / "locales" / target.code).glob("*.po")}
    units = sorted({u.text for d in project.documents() for u in d.units})
    print(f"units: {len(units)} distinct msgids from {len(project.documents())} pages")

    def reset():
        for p, data in blank.items():
            p.write_bytes(data)

    def ours(beam: int):
        def run():
            reset()
            cache_dir = Path(tempfile.mkdtemp(dir=work))
            p = Project(with_overrides(load_settings(proj), cache_dir=cache_dir))
            engine = EngineSpec("argos", "en", target.argos_code, {"beam": beam}).create()
            cache = MTCache(cache_dir / "mt.sqlite")
            translate_locale(p, target, engine, p.glossary(), cache)
            cache.close()
        return run

    import ctranslate2
    import sentencepiece
    sp = sentencepiece.SentencePieceProcessor(model_file=str(pkg.path / "sentencepiece.model"))
    pieces = sp.encode(units, out_type=str)

    def raw(beam: int):
        def run():
            # the configuration of the measurements in shared/models/README.md
            tr = ctranslate2.Translator(str(pkg.path / "model"), device="cpu", intra_threads=os.cpu_count())
            res = tr.translate_batch(pieces, beam_size=beam, max_batch_size=32, batch_type="examples")
            [sp.decode(r.hypotheses[0]) for r in res]
        return run

    results: dict[str, float] = {}
    if not args.skip_naive:
        def naive():
            import argostranslate.translate as at
            for u in units:
                at.translate(u, "en", "zh")
        naive()  # warm-up: loads the model and spaCy once, as a long-running process would
        results["argostranslate per unit (beam 4)"] = timed(naive, args.runs)
    results["raw ct2 batch, beam 4"] = timed(raw(4), args.runs)
    results["raw ct2 batch, beam 2"] = timed(raw(2), args.runs)
    results["l10n translate, defaults (beam 2)"] = timed(ours(2), args.runs)
    results["l10n translate, beam 4"] = timed(ours(4), args.runs)

    # fully cached rerun through the real command: cache warm, PO files blank again
    cache_dir = work / "warm-cache"
    cli = [sys.executable, "-m", "l10n_tool", "-C", str(proj), "translate", "-l", target.code]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    settings_file = proj / "pyproject.toml"
    settings_file.write_text(settings_file.read_text().replace(
        'cache_dir = ".l10n-cache"', f'cache_dir = "{cache_dir}"'))
    reset()
    subprocess.run(cli, env=env, check=True, capture_output=True)

    def cached():
        reset()
        subprocess.run(cli, env=env, check=True, capture_output=True)
    results["cached rerun (l10n translate, whole command)"] = timed(cached, args.runs)

    n = len(units)
    width = max(map(len, results))
    print(f"\n{'path':<{width}}  {'seconds':>8}  {'units/s':>8}")
    for name, secs in results.items():
        print(f"{name:<{width}}  {secs:>8.2f}  {n / secs:>8.1f}")
    ours2 = results["l10n translate, defaults (beam 2)"]
    ours4 = results["l10n translate, beam 4"]
    print(f"\nours beam 4 vs raw ct2 beam 4: {ours4 / results['raw ct2 batch, beam 4']:.2f}x the time")
    print(f"ours beam 2 vs raw ct2 beam 2: {ours2 / results['raw ct2 batch, beam 2']:.2f}x the time")
    shutil.rmtree(work, ignore_errors=True)
    if "argostranslate per unit (beam 4)" in results:
        print(f"speedup vs naive: {results['argostranslate per unit (beam 4)'] / ours2:.1f}x")


if __name__ == "__main__":
    main()
