"""Benchmark: what merging with a translator's concurrent save costs at write time.

Usage (from the project root):

    .venv/bin/python bench/concurrency.py [--pages 44] [--runs 5]

Builds a project from the shared corpus's real pages (``update -l de``), then
times ``Project.save_po`` on its largest catalog in three cases: the file is
as the run read it (plain save), a person saved one entry meanwhile (re-read,
three-way merge, write), and the project lock's acquire + release. Prints the
medians in milliseconds and the catalog's entry count.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpus" / "real-pages"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=44)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    import polib
    from click.testing import CliRunner
    from l10n_tool.cli import cli
    from l10n_tool.config import load_settings
    from l10n_tool.lock import project_lock
    from l10n_tool.project import Project

    tmp = Path(tempfile.mkdtemp(prefix="bench-concurrent-"))
    try:
        (tmp / "source").mkdir()
        shutil.copy(ROOT / "glossary.csv", tmp / "glossary.csv")
        (tmp / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["de"]\n', encoding="utf-8")
        for src in sorted(CORPUS.glob("*/source.html"))[: args.pages]:
            shutil.copy(src, tmp / "source" / f"{src.parent.name}.html")
        r = CliRunner().invoke(cli, ["-C", str(tmp), "update", "-l", "de"])
        if r.exit_code not in (0, 1):
            sys.exit(f"update failed: {r.output}")
        path = max((tmp / "locales" / "de").glob("*.po"), key=lambda p: p.stat().st_size)

        def one(person_saves: bool) -> float:
            project = Project(load_settings(tmp))
            pos = project.locale_catalogs("de")
            po = pos[path.stem]
            target = next(e for e in po if not e.obsolete)
            target.msgstr = f"ours {time.perf_counter()}"
            if person_saves:
                disk = polib.pofile(str(path))
                e = next(e for e in disk if not e.obsolete and e.msgid != target.msgid)
                e.msgstr = f"person {time.perf_counter()}"
                path.write_text(str(disk) + "\n", encoding="utf-8")
            start = time.perf_counter()
            project.save_po(path, po)
            return time.perf_counter() - start

        plain = statistics.median(one(False) for _ in range(args.runs))
        merged = statistics.median(one(True) for _ in range(args.runs))

        def locked() -> float:
            start = time.perf_counter()
            project_lock(tmp / ".l10n-cache", "bench").acquire().release()
            return time.perf_counter() - start
        lock = statistics.median(locked() for _ in range(args.runs * 20))
        entries = len(polib.pofile(str(path)))
        print(f"catalog: {path.name}, {entries} entries, {path.stat().st_size / 1024:.0f} KiB")
        print(f"save, file unchanged since read: {plain * 1000:.1f} ms")
        print(f"save, person saved meanwhile (re-read + 3-way merge): {merged * 1000:.1f} ms")
        print(f"project lock acquire + release: {lock * 1000:.2f} ms")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
