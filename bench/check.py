"""Benchmark: `l10n check` over many catalogs, against Translate Toolkit's pofilter.

Usage: .venv/bin/python bench/check.py [--pages 1000] [--runs 3] [--pofilter auto|PATH|none]

Builds a site of N pages in a temp folder from the sample project: source
pages are hard links to the two sample articles (check only lists their
names), and each page's German catalog is the sample's German catalog with
every entry reviewed (the sample's translation where there is one, else the
msgid), each page's text made distinct. Times the whole `l10n check -l de`
command (Python start-up included): with --no-cache (every catalog read and
checked, the fair comparison), with nothing changed since the last check, and
with one catalog edited; then pofilter (every default filter) on the same
folder when it is installed: `--pofilter auto` looks for it in PATH and in
/tmp/ttk-venv/bin or /tmp/ttk/bin, the folder of a throwaway venv made with
`python3 -m venv /tmp/ttk-venv && /tmp/ttk-venv/bin/pip install translate-toolkit`
(never the project's venv). Read the ratio, not the seconds, on a busy machine.
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


def build_site(work: Path, pages: int) -> int:
    import polib

    (work / "source").mkdir()
    out = work / "locales" / "de"
    out.mkdir(parents=True)
    shutil.copy(ROOT / "glossary.csv", work / "glossary.csv")
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (work / "pyproject.toml").write_text(text.replace('locales = ["zh_Hans", "de"]',
                                                      'locales = ["de"]'), encoding="utf-8")
    samples = [polib.pofile(str(p)) for p in sorted((ROOT / "locales" / "de").glob("*.po"))
               if (ROOT / "source" / f"{p.stem}.html").exists()]
    entries = 0
    for i in range(pages):
        po = samples[i % len(samples)]
        page = ROOT / "source" / f"{Path(po.fpath).stem}.html"
        slug = f"page-{i:05d}-{page.stem[:40]}"
        os.link(page, work / "source" / f"{slug}.html")
        mark = "".join("bcdfghjklmnpqrstvwxz"[int(d)] for d in str(i))
        copy = polib.POFile(wrapwidth=78)
        copy.metadata = dict(po.metadata)
        for e in po:
            if e.obsolete:
                continue
            # every page's text differs (a real site's does): no check can reuse a verdict;
            # the mark is letters, so that only the sample's own numbers are numbers
            msgid = f"{e.msgid} ({mark})"
            copy.append(polib.POEntry(msgid=msgid, msgstr=f"{e.msgstr} ({mark})" if e.msgstr else msgid,
                                      comment=e.comment, occurrences=e.occurrences))
        (out / f"{slug}.po").write_text(str(copy), encoding="utf-8")
        entries += len(copy)
    return entries


def find_pofilter(choice: str) -> str | None:
    if choice == "none":
        return None
    if choice != "auto":
        return choice
    return shutil.which("pofilter") or next(
        (str(p) for p in [Path("/tmp/ttk-venv/bin/pofilter"), Path("/tmp/ttk/bin/pofilter"),
                          Path("/tmp/h4/ttk/bin/pofilter")]
         if p.exists()), None)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pofilter", default="auto")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="l10n-bench-check-"))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    base = [sys.executable, "-m", "l10n_tool", "-C", str(work), "check", "-l", "de",
            "--format", "json"]

    def command(*extra: str) -> float:
        """Seconds for the whole command, Python start-up included; median of --runs."""
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            r = subprocess.run([*base, *extra], env=env, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            if r.returncode not in (0, 1):
                raise SystemExit(f"l10n check failed ({r.returncode}): {r.stderr.strip()}")
        return statistics.median(times)

    try:
        entries = build_site(work, args.pages)
        cold = command("--no-cache")
        r = subprocess.run(base, env=env, capture_output=True, text=True)       # fills the memo
        findings = r.stdout.count('"check":')
        warm = command()
        edited = sorted((work / "locales" / "de").glob("*.po"))[args.pages // 2]
        text = edited.read_text(encoding="utf-8")
        one = []
        for i in range(args.runs):
            edited.write_text(text.replace('msgstr "', f'msgstr "{i} ', 1), encoding="utf-8")
            start = time.perf_counter()
            subprocess.run(base, env=env, capture_output=True)
            one.append(time.perf_counter() - start)
        one_edit = statistics.median(one)
        print(f"pages: {args.pages}, catalogs: {args.pages} (de), entries: {entries}, "
              f"findings: {findings}; whole commands incl. start-up, median of {args.runs}")
        print(f"l10n check --no-cache (every catalog read and checked): {cold:.2f} s "
              f"({entries / cold:,.0f} entries/s)")
        print(f"l10n check, nothing changed since the last check:  {warm:.2f} s")
        print(f"l10n check, one catalog edited:                     {one_edit:.2f} s")
        pofilter = find_pofilter(args.pofilter)
        if pofilter is None:
            print("pofilter: " + ("skipped" if args.pofilter == "none"
                                  else "not installed (see --pofilter)") + "; no ratio")
            return
        start = time.perf_counter()
        r = subprocess.run([pofilter, "--progress=none", "-i", str(work / "locales" / "de"),
                            "-o", str(work / "pofilter-out")], capture_output=True, text=True)
        theirs = time.perf_counter() - start
        written = len(list((work / "pofilter-out").glob("*.po")))
        print(f"pofilter, default filters (one run, {written} reports written): {theirs:.2f} s")
        print(f"ratio pofilter / l10n check: cold {theirs / cold:.1f}x, nothing changed "
              f"{theirs / warm:.1f}x, one catalog edited {theirs / one_edit:.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
