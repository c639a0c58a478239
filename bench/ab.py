"""Two versions of l10n_tool side by side, in the same minutes.

    .venv/bin/python bench/ab.py --old COMMIT [--pages 10000] [--rounds 6]

The machine this project runs on changes speed by up to 2× within an hour,
so a figure from one run of ``bench/scale.py`` cannot tell a 20% gain. This
generates one site (``scale.py``'s generator, fake reviewed translations),
settles a copy for each version (the code at ``--old``, checked out with
``git worktree`` under a temporary folder, and this checkout), then runs each
round ``update`` + ``publish`` once with each version in turn, first with
nothing changed, then after one page edited, and prints each sample and the
medians. A settled 10,000-page site takes some minutes per version to build.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # noqa: E402

REPO = scale.REPO


def step(site: Path, code: Path, *args: str) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one command."""
    seconds, usage = scale.run_usage([*scale.L10N, "-C", str(site), *args],
                                     env={**scale.ENV, "PYTHONPATH": str(code)})
    return seconds, usage.ru_utime + usage.ru_stime


def both(site: Path, code: Path) -> tuple[float, float]:
    (w1, c1) = step(site, code, "update", "-l", "de")
    (w2, c2) = step(site, code, "publish", "-l", "de")
    return w1 + w2, c1 + c2


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", required=True, help="the commit to compare this checkout with")
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=6)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old = tmp / "old"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "-q", "--detach", str(old),
                        args.old], check=True)
        try:
            codes = {"old": old, "new": REPO}
            for code in codes.values():
                subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "l10n_tool")],
                               check=True, env=scale.ENV)
            base = tmp / "site"
            scale.generate(base, args.pages)
            step(base, REPO, "extract")
            step(base, REPO, "update", "-l", "de")
            scale.fake_translations(base / "locales" / "de")
            shutil.rmtree(base / ".l10n-cache")
            sites = {}
            for name, code in codes.items():
                site = sites[name] = tmp / f"site-{name}"
                shutil.copytree(base, site, symlinks=True)
                for _ in range(2):      # settle: the second run finds what the first left
                    both(site, code)
            for what in ("nothing changed", "one page edited"):
                samples: dict[str, list[tuple[float, float]]] = {name: [] for name in codes}
                for k in range(args.rounds):
                    for name, code in codes.items():
                        if what != "nothing changed":
                            scale.edit_pages(sites[name], [k])
                        samples[name].append(both(sites[name], code))
                print(f"{args.pages} pages, {what}: update + publish, {args.rounds} rounds "
                      "(wall; CPU, user + system)", flush=True)
                for name in codes:
                    label = f"{name} ({args.old})" if name == "old" else "new (this checkout)"
                    wall, cpu = zip(*samples[name])
                    print(f"  {label:<24} median {statistics.median(wall):.2f} s, CPU "
                          f"{statistics.median(cpu):.2f} s; wall samples "
                          f"{', '.join(f'{x:.2f}' for x in wall)}", flush=True)
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old)],
                           check=False)


if __name__ == "__main__":
    main()
