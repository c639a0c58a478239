"""Benchmark: publishing the 44 real corpus pages, and what a reader sees meanwhile;
with --pages N, also incremental publishing of a generated N-page site.

Usage: .venv/bin/python bench/publish.py [--runs 5] [--pages 1000] [--repeat 3]

Copies ../shared/corpus/real-pages/*/source.html into a temp project with one
locale (de), runs `update`, then times `l10n publish -l de --min-complete 0`:
the first run, a run with nothing changed (prints `up to date`, writes
nothing), and --runs runs that each change one asset. During those runs a
separate process stats public/index.html and public/sitemap.xml in a loop, as a
web server would, and the figures say how often it found either missing
(the old rename-away-then-rename-in swap: thousands per 40 publishes).

With --pages N, a site from ``bench/scale.py``'s generator (one German locale,
every entry reviewed) is published from scratch (seconds and peak memory),
then with nothing changed, one page edited (``update`` + ``publish``, as a
newsroom would run them) and one PO entry edited; each edited site is
compared file by file with a publish from a copy without ``.l10n-cache``.
Read the figures, not a pass/fail: nothing here asserts.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import statistics
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
    if reads == 2:
        print("reading", flush=True)     # the caller starts publishing now
print(missing, reads)
"""


def start_reader(public: Path, stop: Path) -> subprocess.Popen:
    """The reader, once it is reading: started on a busy machine, it could
    otherwise miss every publish it is meant to watch."""
    reader = subprocess.Popen([sys.executable, "-c", READER, str(public), str(stop)],
                              stdout=subprocess.PIPE, text=True)
    assert reader.stdout.readline() == "reading\n"
    return reader


def l10n(project: Path, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "l10n_tool", "-C", str(project), *args],
                       capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(REPO)))
    took = time.perf_counter() - start
    if r.returncode not in (0, 1):
        sys.exit(f"l10n {' '.join(args)} failed:\n{r.stderr}")
    return took, r.stdout.strip().splitlines()[-1]


def timed(project: Path, *args: str) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MiB) and last output line of one command."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "l10n_tool", "-C", str(project), *args],
                                stdout=out, stderr=err, env=dict(os.environ, PYTHONPATH=str(REPO)))
        _, status, usage = os.wait4(proc.pid, 0)
        took = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode not in (0, 1):
            sys.exit(f"l10n {' '.join(args)} failed:\n{err.read()}")
        return took, usage.ru_maxrss // 1024, (out.read().strip().splitlines() or [""])[-1]


def same_site(a: Path, b: Path) -> bool:
    """Both public/ folders hold the same files with the same bytes."""
    def files(root: Path) -> list[str]:
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    names = files(a)
    if names != files(b):
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


def from_scratch_copy(site: Path, dest: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(site, dest, symlinks=True, ignore=lambda d, names: [
        n for n in names if n in (".l10n-cache", "public") or n.startswith(".public.")])
    return dest


def generated(pages: int, repeat: int) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    import scale
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        scale.generate(site, pages)
        l10n(site, "update", "-l", "de")
        scale.fake_translations(site / "locales" / "de")
        l10n(site, "update", "-l", "de")          # the build state learns the translations
        pub = ("publish", "-l", "de")
        took, rss, line = timed(site, *pub)
        print(f"{pages} pages, from scratch:           {took:6.2f} s, peak {rss} MiB  ({line})")
        samples = [timed(site, *pub)[0] for _ in range(repeat)]
        line = timed(site, *pub)[2]
        print(f"nothing changed, publish:           {statistics.median(samples):6.2f} s  ({line})")
        samples = [timed(site, "update", "-l", "de")[0] + timed(site, *pub)[0]
                   for _ in range(repeat)]
        print(f"nothing changed, update + publish:  {statistics.median(samples):6.2f} s")
        samples = []
        for k in range(repeat):
            scale.edit_pages(site, [k])
            samples.append(timed(site, "update", "-l", "de")[0] + timed(site, *pub)[0])
        print(f"one page edited, update + publish:  {statistics.median(samples):6.2f} s")
        samples = []
        for k in range(repeat):
            po = site / "locales" / "de" / f"article-{pages - 1 - k:05d}.po"
            text = po.read_text(encoding="utf-8")
            po.write_text(text.replace('msgstr "DE ', 'msgstr "DE (neu) ', 1), encoding="utf-8")
            took, _, line = timed(site, *pub)
            samples.append(took)
        print(f"one PO entry edited, publish:       {statistics.median(samples):6.2f} s  ({line})")
        fresh = from_scratch_copy(site, Path(tmp) / "fresh")
        timed(fresh, *pub)
        print("incremental site identical to a full build: "
              f"{'yes' if same_site(site / 'public', fresh / 'public') else 'NO'}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pages", type=int, default=0, help="also a generated site of N pages")
    ap.add_argument("--repeat", type=int, default=3, help="medians of this many runs")
    opts = ap.parse_args()
    if opts.pages:
        generated(opts.pages, opts.repeat)
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
        reader = start_reader(project / "public", stop)
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
