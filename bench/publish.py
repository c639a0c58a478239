"""Benchmark: publishing the 44 real corpus pages, and what a reader sees meanwhile.

Usage: .venv/bin/python bench/publish.py [--runs 5]

Copies ../shared/corpus/real-pages/*/source.html into a temp project with one
locale (de), runs `update`, then times `l10n publish -l de --min-complete 0`:
the first run, a run with nothing changed (prints `up to date`, writes
nothing), and --runs runs that each change one asset. During those runs a
separate process stats public/index.html and public/sitemap.xml in a loop, as a
web server would, and the figures say how often it found either missing
(the old rename-away-then-rename-in swap: thousands per 40 publishes).
Read the figures, not a pass/fail: nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "real-pages"
READER = """
import os, sys
public, stop = sys.argv[1], sys.argv[2]
missing = reads = 0
while not os.path.exists(stop):
    for rel in ("index.html", "sitemap.xml"):
        try:
            os.stat(os.path.join(public, rel))
            reads += 1
        except FileNotFoundError:
            missing += 1
print(missing, reads)
"""


def l10n(project: Path, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "l10n_tool", "-C", str(project), *args],
                       capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(REPO)))
    took = time.perf_counter() - start
    if r.returncode not in (0, 1):
        sys.exit(f"l10n {' '.join(args)} failed:\n{r.stderr}")
    return took, r.stdout.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "site"
        (project / "source").mkdir(parents=True)
        for page in sorted(CORPUS.glob("*/source.html")):
            shutil.copy(page, project / "source" / f"{page.parent.name}.html")
        (project / "pyproject.toml").write_text(
            '[tool.l10n]\nsource_locale = "en"\nlocales = ["de"]\n'
            'base_url = "https://news.example/"\n')
        l10n(project, "update", "-l", "de")
        publish = ("publish", "-l", "de", "--min-complete", "0")
        took, line = l10n(project, *publish)
        print(f"first publish, {len(list(CORPUS.glob('*/source.html')))} pages: {took:.2f} s  ({line})")
        took, line = l10n(project, *publish)
        print(f"nothing changed:            {took:.2f} s  ({line})")
        stop = project / "stop"
        reader = subprocess.Popen([sys.executable, "-c", READER, str(project / "public"),
                                   str(stop)], stdout=subprocess.PIPE, text=True)
        times = []
        for n in range(opts.runs):
            (project / "source" / "counter.txt").write_text(str(n))
            took, line = l10n(project, *publish)
            times.append(took)
        stop.write_text("")
        missing, reads = map(int, reader.communicate(timeout=60)[0].split())
        print(f"one asset changed, {opts.runs} runs:  {min(times):.2f} s best, "
              f"{sum(times) / len(times):.2f} s mean  ({line})")
        print(f"reader during those runs: {reads} stats, {missing} found a file missing")
        gens = sorted(p.name for p in project.iterdir() if p.name.startswith(".public"))
        print(f"folders beside public/ afterwards: {', '.join(gens)}")


if __name__ == "__main__":
    main()
