"""A translator saving while the tool saves the same PO file, for a while.

One process saves like an editor (a whole buffer, renamed over the file as
Poedit does or written in place as many text editors do) every 50-150 ms,
each save adding one translation. This process meanwhile reads the file,
adds a machine draft and saves it through ``save_merged`` as ``update`` and
``translate`` do, as fast as it can. At the end every translation the person
saved must be in the file. Prints the saves on each side and the person's
translations lost.

    .venv/bin/python bench/concurrent_saves.py [--saves 60] [--runs 3]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from l10n_tool.catalog import loads                      # noqa: E402
from l10n_tool.catalog.concurrent import save_merged     # noqa: E402
from l10n_tool.errors import L10nError                   # noqa: E402


def catalog_of(strings) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr in strings:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    return po


def person(path: Path, style: str, saves: int, seed: int) -> None:
    rnd = random.Random(seed)
    buffer = {f"a{i}": "" for i in range(saves)} | {f"b{i}": "" for i in range(saves)}
    for k in range(saves):
        buffer[f"a{k}"] = f"person {k}"
        text = str(catalog_of(buffer.items())) + "\n"
        if style == "rename":
            other = path.with_name("editor-save")
            other.write_text(text, encoding="utf-8")
            os.replace(other, path)
        else:
            path.write_text(text, encoding="utf-8")
        time.sleep(0.05 + rnd.random() * 0.1)


def run(folder: Path, style: str, saves: int, seed: int) -> tuple[int, int, int]:
    path = folder / f"{style}-{seed}.po"
    path.write_text(str(catalog_of([(f"a{i}", "") for i in range(saves)]
                                   + [(f"b{i}", "") for i in range(saves)])), encoding="utf-8")
    editor = mp.Process(target=person, args=(path, style, saves, seed))
    editor.start()
    ours = errors = 0
    while editor.is_alive():
        base = path.read_bytes()
        try:
            po = loads(base, path)
        except L10nError:
            continue                  # read in the middle of an in-place save
        entry = po.find(f"b{ours % saves}")
        if entry is None:
            continue
        entry.msgstr = f"draft {ours}"
        try:
            save_merged(path, po, base)
        except L10nError:
            errors += 1
        ours += 1
    editor.join()
    final = polib.pofile(str(path))
    lost = sum(final.find(f"a{k}").msgstr != f"person {k}" for k in range(saves))
    return ours, errors, lost


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--saves", type=int, default=60, help="the person's saves per run")
    ap.add_argument("--runs", type=int, default=3, help="runs per save style")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for style in ("rename", "in-place"):
            for seed in range(args.runs):
                ours, errors, lost = run(Path(tmp), style, args.saves, seed)
                print(f"{style:8} run {seed}: person saved {args.saves}, we saved {ours} "
                      f"({errors} refused), person's translations lost: {lost}")


if __name__ == "__main__":
    main()
