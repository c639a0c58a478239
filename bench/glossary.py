"""Extraction time with a huge glossary against our 10-term one.

    .venv/bin/python bench/glossary.py [N_TERMS]

Builds glossaries of ours and of N (default 20,000) terms — real-looking
multi-word names plus acronyms — and times (1) glossary matching over every
unit of the two articles, best of 3, (2) reading each glossary's CSV file
(`parse`, what every command pays once), best of 3, and (3) the whole
`l10n extract` command in a copy of the project with each glossary, median of 3.
Target (issue 14): extract with N terms at most 1.5x its time with ours.
"""

from __future__ import annotations

import csv
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from l10n_tool.formats import get  # noqa: E402
from l10n_tool.glossary import Glossary, Term, parse  # noqa: E402


def huge(n: int, base: list[Term]) -> Glossary:
    rng = random.Random(7)
    syllables = ["chong", "qing", "lian", "jiang", "corr", "idor", "trade", "port", "zone", "belt",
                 "inno", "vation", "river", "sea", "land", "rail", "hub", "bank", "park", "city"]
    terms, seen = list(base), {t.term.casefold() for t in base}
    while len(terms) < n:
        if rng.random() < 0.3:
            term = "".join(rng.choice("ABCDEFGHKLMNPRSTUXZ") for _ in range(rng.randint(3, 6)))
        else:
            term = " ".join("".join(rng.choice(syllables) for _ in range(rng.randint(1, 3))).title()
                            for _ in range(rng.randint(1, 4)))
        if term.casefold() not in seen:
            seen.add(term.casefold())
            terms.append(Term(term, "fixed" if term.isupper() else "translate"))
    return Glossary(terms)


def timed(glossary: Glossary, texts: list[str]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for text in texts:
            glossary.find(text)
        best = min(best, time.perf_counter() - start)
    return best


def project_with(glossary: Glossary, workdir: Path) -> Path:
    project = workdir / f"site-{len(glossary.terms)}"
    shutil.copytree(REPO / "source", project / "source")
    shutil.copy(REPO / "pyproject.toml", project / "pyproject.toml")
    with open(project / "glossary.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["term", "type", "zh_Hans", "de", "note"])
        for t in glossary.terms:
            w.writerow([t.term, t.type, t.translations.get("zh_Hans", ""),
                        t.translations.get("de", ""), t.note])
    return project


def load_seconds(project: Path) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        parse(project / "glossary.csv")
        best = min(best, time.perf_counter() - start)
    return best


def extract_seconds(project: Path) -> float:
    times = []
    for _ in range(3):
        shutil.rmtree(project / "locales", ignore_errors=True)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "l10n_tool", "-C", str(project), "extract"],
                       check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    html = get("html")
    texts = [u.text for p in sorted((REPO / "source").glob("*.html")) for u in html.read(p).units]
    ours, _ = parse(REPO / "glossary.csv")
    start = time.perf_counter()
    big = huge(n, ours.terms)
    build = time.perf_counter() - start
    small_t, big_t = timed(ours, texts), timed(big, texts)
    print(f"units: {len(texts)}")
    print(f"glossary {len(ours.terms):>6} terms: {small_t * 1000:8.2f} ms")
    print(f"glossary {len(big.terms):>6} terms: {big_t * 1000:8.2f} ms  (built in {build:.2f} s)")
    print(f"matching ratio: {big_t / small_t:.2f}x")
    with tempfile.TemporaryDirectory() as tmp:
        small_p, big_p = project_with(ours, Path(tmp)), project_with(big, Path(tmp))
        print(f"glossary.csv read, {len(ours.terms)} terms: {load_seconds(small_p) * 1000:.1f} ms; "
              f"{len(big.terms)} terms: {load_seconds(big_p) * 1000:.1f} ms")
        small_e, big_e = extract_seconds(small_p), extract_seconds(big_p)
    print(f"l10n extract, {len(ours.terms)} terms: {small_e:.2f} s; {len(big.terms)} terms: "
          f"{big_e:.2f} s; ratio {big_e / small_e:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
