"""A translator saving while the tool saves the same PO file, for a while.

One process saves like an editor every 50-150 ms, each save adding one
translation to its whole buffer: renamed over the file as Poedit does
(``rename``), written in place in one write (``in-place``), or in place in
two writes with a pause between them (``pieces``, a slow disk or a busy
machine). This process meanwhile reads the file, adds a machine draft and
saves it through ``save_merged`` as ``update`` and ``translate`` do.

After each of our saves, the editor's last finished save must be in the file
(unless a newer one is being written): a lost save would otherwise hide
behind the next, which holds the same translations. Prints, per run, the
saves on each side, the saves refused with an error (nothing written), the
editor's saves found missing after one of ours, and those missing at the end.

    .venv/bin/python bench/concurrent_saves.py [--saves 40] [--runs 2] [--pause 0.05]
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


def catalog_text(strings: dict[str, str]) -> str:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr in strings.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    return str(po) + "\n"


def empty(saves: int) -> dict[str, str]:
    return {f"a{i}": "" for i in range(saves)} | {f"b{i}": "" for i in range(saves)}


def editor(path: Path, style: str, saves: int, pause: float, done, seed: int) -> None:
    rnd = random.Random(seed)
    buffer = empty(saves)
    for k in range(saves):
        buffer[f"a{k}"] = f"person {k}"
        text = catalog_text(buffer)
        if style == "rename":
            other = path.with_name("editor-save")
            other.write_text(text, encoding="utf-8")
            os.replace(other, path)
        elif style == "in-place":
            path.write_text(text, encoding="utf-8")
        else:
            cut = text.index(f'msgid "a{k}"')        # the new translation comes last
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text[:cut])
                fh.flush()
                time.sleep(pause)
                fh.write(text[cut:])
        done.value = k + 1
        time.sleep(0.05 + rnd.random() * 0.1)


def whole(path: Path, saves: int) -> polib.POFile | None:
    """The file once no in-place save is half written (or None)."""
    for _ in range(200):
        try:
            po = polib.pofile(path.read_text(encoding="utf-8"))
            if po.find(f"b{saves - 1}") is not None:
                return po
        except (OSError, ValueError, IOError):
            pass
        time.sleep(0.005)
    return None


def run(folder: Path, style: str, saves: int, pause: float, seed: int) -> tuple[int, int, set, int]:
    path = folder / f"{style}-{seed}.po"
    path.write_text(catalog_text(empty(saves)), encoding="utf-8")
    done = mp.Value("i", 0)
    proc = mp.Process(target=editor, args=(path, style, saves, pause, done, seed))
    proc.start()
    rnd = random.Random(seed)
    ours = refused = 0
    missing: set[int] = set()
    while proc.is_alive():
        base = path.read_bytes()
        try:
            po = loads(base, path)
        except L10nError:
            continue                  # read in the middle of an in-place save
        entry = po.find(f"b{ours % saves}")
        if entry is None or po.find(f"b{saves - 1}") is None:
            continue
        entry.msgstr = f"draft {ours}"
        time.sleep(rnd.random() * 0.03)            # the run's work between read and write
        finished = done.value
        try:
            save_merged(path, po, base)
        except L10nError:
            refused += 1
        ours += 1
        if finished:
            got = whole(path, saves)
            kept = got is not None and got.find(f"a{finished - 1}").msgstr == f"person {finished - 1}"
            if not kept and done.value == finished:    # no newer save to explain it
                missing.add(finished - 1)
    proc.join()
    final = polib.pofile(str(path))
    lost = sum(final.find(f"a{k}").msgstr != f"person {k}" for k in range(saves))
    return ours, refused, missing, lost


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--saves", type=int, default=40, help="the editor's saves per run")
    ap.add_argument("--runs", type=int, default=2, help="runs per save style")
    ap.add_argument("--pause", type=float, default=0.05,
                    help="seconds between the two writes of a 'pieces' save")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for style in ("rename", "in-place", "pieces"):
            for seed in range(args.runs):
                ours, refused, missing, lost = run(Path(tmp), style, args.saves, args.pause, seed)
                print(f"{style:8} run {seed}: editor saved {args.saves}, we saved {ours} "
                      f"({refused} refused); editor's saves missing after ours: "
                      f"{len(missing)}; missing at the end: {lost}")


if __name__ == "__main__":
    main()
