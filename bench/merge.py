"""``catalog.merge`` against ``msgmerge --previous`` on the same generated
catalog with a share of its sentences edited, removed and added.

    .venv/bin/python bench/merge.py [ENTRIES] [EDITED_PERCENT]

Prints seconds for each and whether the entries came out identical.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

from l10n_tool import catalog
from l10n_tool.catalog import pofile
from l10n_tool.locales import get_locale

WORDS = ("the corridor trade port rail logistics Chongqing Europe cooperation development "
         "freight train container terminal customs digital platform province investment").split()


def sentence(rnd: random.Random) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(6, 30))).capitalize() + "."


def main(n: int = 2000, percent: float = 10.0) -> None:
    rnd = random.Random(5)
    meta = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    po, pot = polib.POFile(), polib.POFile()
    po.metadata, pot.metadata = dict(meta), dict(meta)
    texts = list(dict.fromkeys(sentence(rnd) for _ in range(n)))
    for i, t in enumerate(texts):
        po.append(polib.POEntry(msgid=t, msgstr=t.upper(), occurrences=[("p.html", str(i))]))
    for i, t in enumerate(texts):
        r = rnd.random() * 100
        if r < percent / 2:
            words = t.split()
            words[rnd.randrange(len(words))] = rnd.choice(WORDS)
            t = " ".join(words) + " (edited)"
        elif r < percent * 0.75:
            continue
        pot.append(polib.POEntry(msgid=t, msgstr="", occurrences=[("p.html", str(i))]))
        if r > 100 - percent / 4:
            pot.append(polib.POEntry(msgid=sentence(rnd), msgstr="", occurrences=[("p.html", str(i))]))
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "old.po").write_text(pofile.serialize(po), encoding="utf-8")
        (d / "new.pot").write_text(pofile.serialize(pot), encoding="utf-8")
        t0 = time.perf_counter()
        subprocess.run(["msgmerge", "--previous", "-q", str(d / "old.po"), str(d / "new.pot"),
                        "-o", str(d / "gnu.po")], check=True)
        gnu = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = catalog.merge(catalog.load(d / "new.pot"), catalog.load(d / "old.po"),
                               get_locale("de"), "bench")
        catalog.save(result.po, d / "ours.po")
        ours = time.perf_counter() - t0

        def body(name: str) -> list[str]:
            return (d / name).read_text(encoding="utf-8").split("\n\n")[1:]
        same = body("gnu.po") == body("ours.po")
    print(f"{len(po)} entries, {percent:g}% edited: msgmerge {gnu:.2f} s, "
          f"l10n_tool load+merge+save {ours:.2f} s ({result.fuzzy} fuzzy, {result.obsolete} "
          f"obsolete, {result.new} new); entries identical: {same}")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(int(args[0]) if args else 2000, float(args[1]) if len(args) > 1 else 10.0)
