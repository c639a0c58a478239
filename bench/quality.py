"""Benchmark: MT draft quality on the real Bergamot tiny en→pt model.

Usage (from the project root, with ``pip install -e '.[bergamot]'``):

    .venv/bin/python bench/quality.py [--corpus-units 1500] [--glued]

Units: every unit of the pages in source/ (through ``l10n_tool.formats``) and
up to ``--corpus-units`` units of the English pages in
../shared/corpus/real-pages/ (the first ones of each page in turn, so every
page contributes). Each goes through the same path as ``l10n translate``:
``protect`` → engine → ``restore``. Printed per set: residue (tokens or
debris left in drafts; target 0), fixed glossary terms kept (target 100%),
tagged units whose placeholders are exact (target 100%), tag invariance (mean
chrF of the tag-stripped draft against the model's own translation of the
tag-stripped source; target ≥ 0.85), multi-word inner spans translated
(target ≥ 90%; also over the spans left once names are set aside, that is
spans the model keeps unchanged even when translating them alone), units
whose numbers are all kept, and seconds.

``--glued`` also measures the old way (every tag a token glued to its words,
``X1XPrivacy PolicyX2X``) on the tagged units, for comparison.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/ itself off the path: a module named like a standard one would shadow the standard library's package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from l10n_tool import formats, markup  # noqa: E402
from l10n_tool.glossary import load as load_glossary  # noqa: E402
from l10n_tool.mt import protect, quality  # noqa: E402
from l10n_tool.mt.bergamot import BergamotEngine  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "real-pages"
LOCALE = "pt_BR"


def article_units() -> list[str]:
    out: list[str] = []
    for path in sorted((ROOT / "source").glob("*.html")):
        out += [u.text for u in formats.for_path(path).read(path).units]
    return list(dict.fromkeys(out))


def corpus_units(limit: int) -> list[str]:
    pages = []
    for folder in sorted(CORPUS.iterdir()) if CORPUS.is_dir() else []:
        meta = folder / "expected-metadata.json"
        lang = json.loads(meta.read_text(encoding="utf-8")).get("lang") if meta.exists() else None
        if lang and not str(lang).lower().startswith("en"):
            continue
        try:
            doc = formats.for_path(folder / "source.html").read(folder / "source.html")
        except Exception as exc:  # noqa: BLE001 - a page we cannot read is skipped, and said
            print(f"skipped {folder.name}: {exc}", file=sys.stderr)
            continue
        pages.append([u.text for u in doc.units if re.search(r"[A-Za-z]{2}", u.text)
                      and not re.search(r"[\u3000-\u9fff\uac00-\ud7af]", u.text)])
    out: list[str] = []
    seen: set[str] = set()
    depth = 0
    while len(out) < limit and any(depth < len(p) for p in pages):
        for p in pages:
            if depth < len(p) and p[depth] not in seen and len(out) < limit:
                seen.add(p[depth])
                out.append(p[depth])
        depth += 1
    return out


def glued(msgid: str) -> str:
    """The old protection: each tag a token glued to the words it touches."""
    return re.sub(r"\s{2,}", " ", markup.TAG_RE.sub(lambda m: f"X{m.group(2)}X", msgid)).strip()


def run(name: str, units: list[str], engine, glossary, with_glued: bool) -> None:
    started = time.perf_counter()
    protected = [protect.protect(m, glossary, LOCALE) for m in units]
    drafts = {u: (text, problems) for u, text, _, problems in protect.translate(engine, protected)}
    mt_seconds = time.perf_counter() - started
    tagged = [i for i, m in enumerate(units) if markup.tags(m)]
    plain = dict(zip(tagged, (t for _, t in sorted(
        engine.translate([markup.strip(units[i]) for i in tagged]))))) if tagged else {}
    kept_alone = quality.names(engine, units)
    report = quality.Report()
    for i, msgid in enumerate(units):
        text, problems = drafts[i]
        report.add(glossary, LOCALE, msgid, text, problems, plain.get(i), kept_alone)
    print(f"== {name}: {len(units)} units, {sum(len(p.texts) for p in protected)} texts to MT, "
          f"{mt_seconds:.1f} s")
    for key, value in report.figures().items():
        print(f"  {key:26} {value:.3f}" if isinstance(value, float) else f"  {key:26} {value}")
    for example in report.examples[:5]:
        print("  e.g. " + example.replace("\n", "\n       "))
    if with_glued and tagged:
        outs = dict(engine.translate([glued(units[i]) for i in tagged]))
        scores = [quality.chrf(markup.strip(re.sub(r"X\s?\d+\s?X", " ", outs[k])), plain[i])
                  for k, i in enumerate(tagged)]
        print(f"  glued tokens, for comparison: invariance {sum(scores) / len(scores):.3f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus-units", type=int, default=1500)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--glued", action="store_true")
    args = ap.parse_args()
    engine = BergamotEngine.from_options("en", "pt", {"model": "", "threads": args.threads})
    glossary = load_glossary(ROOT / "glossary.csv")
    print(f"engine: {engine.identity()}")
    run("articles (source/*.html)", article_units(), engine, glossary, args.glued)
    run("real pages (../shared/corpus/real-pages, English)", corpus_units(args.corpus_units),
        engine, glossary, args.glued)


if __name__ == "__main__":
    main()
