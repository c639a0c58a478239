"""PO loading and saving cost: ours (one pass, dict duplicate check) against
polib with its duplicate check (quadratic), on generated catalogs.

    .venv/bin/python bench/po_load.py [ENTRIES ...]

Prints seconds per load and save; no pass/fail.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import polib

from l10n_tool import catalog

WORDS = ("the corridor trade port rail logistics Chongqing Europe cooperation development "
         "国际 陆海 贸易 新通道 合作 发展 2023 4,500 TEU").split()


def generate(n: int, seed: int = 1) -> polib.POFile:
    rnd = random.Random(seed)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8",
                   "Plural-Forms": "nplurals=1; plural=0;"}
    for i in range(n):
        text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(4, 40)))
        po.append(polib.POEntry(msgid=f"{i} {text}", msgstr=text[::-1] if i % 3 else "",
                                comment="paragraph", occurrences=[(f"source/p{i % 97}.html", str(i))],
                                flags=["fuzzy"] if i % 5 == 0 else []))
    return po


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"n{n}.po"
            po = generate(n)
            save = timed(lambda: catalog.save(po, path))
            mb = path.stat().st_size / 1e6
            ours = timed(lambda: catalog.load(path))
            line = f"{n:>7} entries {mb:6.1f} MB  load {ours:6.2f} s  save {save:6.2f} s"
            if n <= 8000:
                theirs = timed(lambda: polib.pofile(str(path), check_for_duplicates=True))
                line += f"  polib(check_for_duplicates) {theirs:6.2f} s"
            print(line, flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 8000, 40000])
