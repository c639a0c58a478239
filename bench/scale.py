"""Newsroom scale: our steps against Translate Toolkit's on generated sites.

    .venv/bin/python bench/scale.py [--pages 1000] [--ttk DIR] [--repeat 3]

Generates a site of N article pages from the two seed articles (each page's
article text made unique, the site chrome shared, as on a real news site),
one German locale with fake reviewed translations, then times, in one run:

* from scratch: ``l10n extract`` + ``update`` + ``publish`` against
  ``html2po`` + ``pot2po`` + ``po2html``;
* nothing changed, and one page edited: ``update`` + ``publish`` against
  the same Translate Toolkit steps with ``-S`` (skip unchanged outputs);
* 10% of pages edited: ``update`` against ``pot2po`` and ``msgmerge``;
* ``check`` against ``pofilter``; ``status`` against ``pocount``;

and prints seconds, ratios and our peak memory. Translate Toolkit lives in
its own virtual environment (``--ttk``, default ``$TTK_VENV`` or
``/tmp/ttk-venv``: ``python3 -m venv /tmp/ttk-venv && /tmp/ttk-venv/bin/pip
install translate-toolkit``); without it only our figures are printed.
Medians of ``--repeat`` runs for the quick cases, one run from scratch.
The machine may be busy: read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
L10N = [sys.executable, "-m", "l10n_tool"]
#: both tools run as installed: with compiled bytecode (pip compiles Translate
#: Toolkit's; ours, an editable install, is compiled below), whatever the shell says
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one command; it must succeed (exit 0 or 1)."""
    seconds, usage = run_usage(cmd, cwd)
    return seconds, usage.ru_maxrss // 1024


def run_usage(cmd: list[str], cwd: Path | None = None, env: dict | None = None):
    """Wall seconds and the resource usage of one command (``ENV`` unless
    ``env``); it must succeed (exit 0 or 1)."""
    with tempfile.TemporaryFile() as err:    # a file, not a pipe: a chatty tool can't block
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err,
                                env=ENV if env is None else env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            err.seek(0)
            raise SystemExit(f"{' '.join(map(str, cmd))} failed ({code}): "
                             f"{err.read().decode(errors='replace')[-500:]}")
    return seconds, usage


def generate(site: Path, pages: int) -> None:
    (site / "source").mkdir(parents=True)
    shutil.copytree(REPO / "source" / "images", site / "source" / "images")
    shutil.copy(REPO / "source" / "site.css", site / "source" / "site.css")
    shutil.copy(REPO / "glossary.csv", site / "glossary.csv")
    (site / "pyproject.toml").write_text(
        '[tool.l10n]\nsource_dir = "source"\nlocales = ["de"]\nglossary = "glossary.csv"\n'
        'site_name = "Bench News"\nbase_url = "https://news.example/"\n', encoding="utf-8")
    seeds = [p.read_text(encoding="utf-8") for p in sorted((REPO / "source").glob("*.html"))]
    for i in range(pages):
        html = seeds[i % len(seeds)]
        # article text unique per page; chrome (header, nav, footer) shared
        html = re.sub(r"(<p>)(?!By continuing)([^<]{20,}?)(</p>)",
                      lambda m: f"{m.group(1)}{m.group(2)} Report {i}.{m.group(3)}", html)
        html = re.sub(r"(<h1[^>]*>)(.*?)(</h1>)", rf"\g<1>\g<2>, part {i}\g<3>", html, count=1)
        (site / "source" / f"article-{i:05d}.html").write_text(html, encoding="utf-8")


def fake_translations(folder: Path) -> None:
    """Every entry reviewed: 'DE ' + the msgid keeps placeholders and numbers valid."""
    import polib
    for path in folder.glob("*.po"):
        po = polib.pofile(str(path))
        for e in po:
            if not e.obsolete and e.msgid:
                e.msgstr = "DE " + e.msgid
                if "fuzzy" in e.flags:
                    e.flags.remove("fuzzy")
        po.save(str(path))


def edit_pages(site: Path, which: list[int]) -> None:
    for i in which:
        page = site / "source" / f"article-{i:05d}.html"
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace(f" Report {i}.", f" Report {i}, revised.", 1), encoding="utf-8")


class Ttk:
    def __init__(self, venv: Path, site: Path):
        self.bin, self.site = venv / "bin", site

    @staticmethod
    def available(venv: Path) -> bool:
        return (venv / "bin" / "html2po").exists()

    def html2po(self, skip: bool = False):
        return run([str(self.bin / "html2po"), "-P", *(["-S"] if skip else []),
                    "source", "ttk/templates"], self.site)

    def pot2po(self, skip: bool = False):
        return run([str(self.bin / "pot2po"), *(["-S"] if skip else []), "-t", "ttk/de",
                    "ttk/templates", "ttk/de-new"], self.site)

    def po2html(self, skip: bool = False):
        return run([str(self.bin / "po2html"), *(["-S"] if skip else []), "-t", "source",
                    "ttk/de", "ttk/public"], self.site)

    def settle(self) -> None:
        """pot2po wrote ttk/de-new: make it the locale folder for the next step."""
        shutil.rmtree(self.site / "ttk" / "de", ignore_errors=True)
        os.replace(self.site / "ttk" / "de-new", self.site / "ttk" / "de")


def floor(site: Path) -> str:
    """What any update + publish costs before it does work of its own: a
    process start with our imports (twice: two commands), and a stat of
    every file the two depend on, which is how a run learns what changed
    (update: pages, templates and PO files; publish: pages, PO files and
    every file of the live site, a hand-edited one to put back)."""
    start, _ = run([sys.executable, "-c", "import l10n_tool.cli"])
    live = os.fspath((site / "public").resolve())
    served = [f"{d}/{f}" for d, _, names in os.walk(live) for f in names]
    pages = [os.fspath(p) for p in (site / "source").glob("*.html")]
    pots = [os.fspath(p) for p in (site / "locales" / "templates").glob("*.pot")]
    pos = [os.fspath(p) for p in (site / "locales").glob("*/*.po")]
    files = [*pages, *pots, *pos, *pages, *pos, *served]
    t0 = time.perf_counter()
    for path in files:
        os.stat(path)
    t1 = time.perf_counter()
    return (f"floor: 2 process starts {2 * start:.2f} s; {len(files)} stats {t1 - t0:.2f} s; "
            f"together {2 * start + t1 - t0:.2f} s")


def median(fn, repeat: int) -> float:
    samples = [fn() for _ in range(repeat)]
    print(f"  samples: {', '.join(f'{x:.2f}' for x in samples)}", flush=True)
    return statistics.median(samples)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ttk", type=Path, default=Path(os.environ.get("TTK_VENV", "/tmp/ttk-venv")))
    args = ap.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "l10n_tool")],
                   check=True, env=ENV)
    peak = 0
    rows: list[tuple[str, float, float | None]] = []

    steps: list[str] = []              # from scratch, each step's figures

    def ours(*cmd: str) -> float:
        nonlocal peak
        seconds, rss = run(L10N + ["-C", str(site), *cmd])
        peak = max(peak, rss)
        steps.append(f"{cmd[0]} {seconds:.1f} s ({rss} MiB)")
        return seconds

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        generate(site, args.pages)
        ttk = Ttk(args.ttk, site) if Ttk.available(args.ttk) else None
        (site / "ttk").mkdir()
        print(f"{args.pages} pages, locale de; Translate Toolkit: {args.ttk if ttk else 'not found'}")

        # from scratch
        t_ours = ours("extract") + ours("update", "-l", "de")
        fake_translations(site / "locales" / "de")
        shutil.rmtree(site / ".l10n-cache")           # the translations changed every file
        t_pub = ours("publish", "-l", "de")
        print(f"  ours from scratch: {', '.join(steps)}", flush=True)
        t_ttk = None
        if ttk:
            t1, _ = ttk.html2po()
            (site / "ttk" / "de").mkdir(parents=True)
            t2, _ = ttk.pot2po()
            ttk.settle()
            fake_translations(site / "ttk" / "de")
            t3, _ = ttk.po2html()
            t_ttk = t1 + t2 + t3
        rows.append(("from scratch: extract + update + publish", t_ours + t_pub, t_ttk))
        # settle: the fake translations changed every PO file; one full cycle records them
        ours("update", "-l", "de")
        ours("publish", "-l", "de")

        # nothing changed
        t = median(lambda: ours("update", "-l", "de") + ours("publish", "-l", "de"), args.repeat)
        tt = median(lambda: ttk.html2po(True)[0] + ttk.pot2po(True)[0] + ttk.po2html(True)[0],
                    args.repeat) if ttk else None
        rows.append(("nothing changed: update + publish", t, tt))

        # one page edited
        samples = []
        for k in range(args.repeat):
            edit_pages(site, [k])
            samples.append(ours("update", "-l", "de") + ours("publish", "-l", "de"))
        print(f"  samples: {', '.join(f'{x:.2f}' for x in samples)}", flush=True)
        t = statistics.median(samples)
        tt = None
        if ttk:
            samples = []
            for k in range(args.repeat):
                samples.append(ttk.html2po(True)[0] + ttk.pot2po(True)[0] + ttk.po2html(True)[0])
            tt = statistics.median(samples)
        rows.append(("one page edited: update + publish", t, tt))
        print(f"  {floor(site)}", flush=True)

        # 10% edited: update
        edit_pages(site, list(range(args.repeat, args.repeat + args.pages // 10)))
        t = ours("update", "-l", "de")
        tt = None
        if ttk:
            ttk.html2po()
            tt, _ = ttk.pot2po()
            ttk.settle()
            msgmerge = shutil.which("msgmerge")
            if msgmerge:
                start = time.perf_counter()
                for pot in sorted((site / "ttk" / "templates").glob("*.pot")):
                    po = site / "ttk" / "de" / (pot.stem + ".po")
                    subprocess.run([msgmerge, "-q", "--previous", "-U", str(po), str(pot)], check=True)
                rows.append(("10% edited: update (vs msgmerge)", t, time.perf_counter() - start))
        rows.append(("10% edited: update (vs pot2po)", t, tt))

        # check, status
        t = median(lambda: ours("check", "-l", "de", "--no-cache"), args.repeat)
        tt = median(lambda: run([str(ttk.bin / "pofilter"), "ttk/de", "ttk/pofilter-out"], site)[0],
                    args.repeat) if ttk else None
        rows.append(("check, every catalog read (vs pofilter)", t, tt))
        ours("check", "-l", "de")
        rows.append(("check, nothing changed", median(lambda: ours("check", "-l", "de"),
                                                      args.repeat), None))
        edit_pages(site, [args.pages - 1])
        ours("update", "-l", "de")
        rows.append(("check after one page edited", ours("check", "-l", "de"), None))
        t = median(lambda: ours("status", "-l", "de"), args.repeat)
        tt = median(lambda: run([str(ttk.bin / "pocount"), "ttk/de"], site)[0], args.repeat) \
            if ttk else None
        rows.append(("status vs pocount", t, tt))

    print(f"{'step':<44} {'l10n_tool':>10} {'TTK':>10} {'TTK/ours':>9}")
    for name, t, tt in rows:
        ratio = f"{tt / t:8.1f}x" if tt else "        -"
        print(f"{name:<44} {t:>9.2f}s {tt if tt is not None else float('nan'):>9.2f}s {ratio}")
    print(f"our peak memory: {peak} MiB")


if __name__ == "__main__":
    main()
