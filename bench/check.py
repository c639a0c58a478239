"""Benchmark: `l10n check` on both articles in three locales.

Usage: .venv/bin/python bench/check.py [--runs 5]

Copies the sample project, adds a third locale (fr, filled by the pseudo
engine so every entry is checked), then times the whole check in-process
(median of --runs) and the whole command including Python start-up.
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from click.testing import CliRunner
    from l10n_tool.cli import cli

    work = Path(tempfile.mkdtemp(prefix="l10n-bench-check-"))
    for name in ("source", "locales", "glossary.csv", "pyproject.toml"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, work / name)
    run = CliRunner().invoke
    assert run(cli, ["-C", str(work), "update", "-l", "fr"]).exit_code == 0
    assert run(cli, ["-C", str(work), "translate", "-l", "fr", "--engine", "pseudo"]).exit_code == 0
    argv = ["-C", str(work), "check", "-l", "zh_Hans", "-l", "de", "-l", "fr", "--format", "json"]

    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        r = run(cli, argv)
        times.append(time.perf_counter() - start)
    entries = r.stdout.count('"check"')
    cmd = [sys.executable, "-m", "l10n_tool", *argv]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    whole = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True)
        whole.append(time.perf_counter() - start)
    shutil.rmtree(work, ignore_errors=True)
    print(f"pages: 2, locales: 3 (zh_Hans, de, fr), findings: {entries}")
    print(f"check in-process, median of {args.runs}: {statistics.median(times):.3f} s")
    print(f"whole command incl. start-up, median of {args.runs}: {statistics.median(whole):.3f} s")


if __name__ == "__main__":
    main()
