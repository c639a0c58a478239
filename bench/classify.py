"""Article vs chrome classification against Mozilla Readability's extraction.

For each page of the real-pages corpus, ``expected.html`` is the article
Readability extracts from ``source.html``: its text and the reader-facing
attributes it kept (alt, title, aria-label) are the article's words.
Words are compared as bags
(multisets of lower-cased word tokens; CJK: one token per character):

* precision: share of the words in the page's own catalog (scope article,
  each distinct msgid once, as in a PO file) that are article words;
* recall: share of article words that are in a catalog at all (article or
  chrome scope), i.e. not hidden or dropped; text in <pre>/<code>/<svg>,
  which is never a unit by design, counts as kept;
* in page (a symptom, not a target): share of article words that reached
  the page's own catalog rather than the site-wide one.

Units come from the real extraction path, ``formats.get("html").read``.
Until the HTML reader asks the classifier, ``--direct`` (and the fallback
when the reader's units carry no scope) walks the tree here instead.

    .venv/bin/python bench/classify.py [--corpus DIR] [--direct] [-v]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import html as lxml_html  # noqa: E402

from l10n_tool import markup  # noqa: E402
from l10n_tool.formats import classify as cls  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "real-pages"

_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")
#: Text a reader never gets as prose, in the ground truth or in our walk.
_UNREAD = {"script", "style", "noscript", "template", "svg", "math", "pre", "code",
           "textarea", "iframe", "object", "canvas", "video", "audio", "head"}


_INVISIBLE = {"script", "style", "noscript", "template", "head"}


def words(text: str) -> Counter:
    return Counter(t.lower() for t in _TOKEN.findall(text))


def _read_attributes(el) -> list[str]:
    """Attribute text a reader meets (alt, tooltips), which the HTML reader extracts too."""
    return [el.get(a) for a in ("title", "aria-label", "placeholder", "alt")
            if el.get(a) and (a != "alt" or el.tag in ("img", "area", "input"))]


def _text_words(root, unread: bool = False) -> Counter:
    """Words of the text a reader sees (``unread``: shown but never translated, like code)."""
    bag: Counter = Counter()
    stack = [(root, False)]
    while stack:
        el, under = stack.pop()
        if not isinstance(el.tag, str):
            continue
        if el.tag in _INVISIBLE:
            continue
        under = under or el.tag in _UNREAD
        if under == unread and el.text:
            bag += words(el.text)
        if not unread:
            bag += words(" ".join(_read_attributes(el)))
        for child in el:
            stack.append((child, under))
            if under == unread and child.tail:
                bag += words(child.tail)
    return bag


def _parse_source(source: Path):
    """The page as the reader parses it (its charset decoder when there is one)."""
    data = source.read_bytes()
    try:
        from l10n_tool.formats.charset import decode
        text = decode(data, source).text
    except ImportError:
        text = data.decode("utf-8", errors="replace")
    return lxml_html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))


def expected_words(path: Path) -> Counter:
    # Readability writes its output as UTF-8 with no charset declaration.
    return _text_words(lxml_html.fromstring(path.read_text(encoding="utf-8")))


def untranslatable_words(source: Path) -> Counter:
    """Words in <pre>, <code>, <svg>…: never a unit by design, so not a classification miss."""
    root = _parse_source(source)
    body = root.find("body")
    return _text_words(body, unread=True) if body is not None else Counter()


@dataclass
class PageScore:
    name: str
    precision: float
    recall: float
    article_words: int      # words in the page's own catalog
    truth_words: int        # words in expected.html
    mode: str
    in_page: float          # share of article words in the page's own catalog
    classify_ms: float      # classify() alone on the parsed page
    elements: int


def _units_real(source: Path):
    from l10n_tool import formats
    doc = formats.get("html").read(source, "en", "paragraphs")
    return [(markup.strip(u.text), u.scope) for u in doc.units]


def _units_direct(source: Path):
    """Walk the tree here: each text node belongs to the element that holds it."""
    from lxml import etree
    root = _parse_source(source)
    c = cls.classify(root, None)
    out = []
    head = root.find("head")
    if head is not None:
        for el in head:
            if el.tag == "title" and el.text:
                out.append((el.text, c.scope(el)))
            elif el.tag == "meta" and (el.get("name") or el.get("property") or "").lower() in (
                    "description", "og:title", "og:description", "twitter:title",
                    "twitter:description"):
                out.append((el.get("content") or "", c.scope(el)))
    body = root.find("body")
    if body is None:
        return out

    def visit(el):
        if not isinstance(el.tag, str) or el.tag in _UNREAD or c.hidden(el):
            return
        if el.text:
            out.append((el.text, c.scope(el)))
        out.extend((value, c.scope(el)) for value in _read_attributes(el))
        for child in el:
            visit(child)
            if child.tail:
                out.append((child.tail, c.scope(el)))
    sys.setrecursionlimit(20000)
    visit(body)
    del etree
    return out


def reader_classifies() -> bool:
    from l10n_tool.formats import html
    return "classify" in Path(html.__file__).read_text(encoding="utf-8")


def score_page(folder: Path, direct: bool = False) -> PageScore:
    truth = expected_words(folder / "expected.html")
    mode = "direct" if direct else "reader"
    units = _units_direct(folder / "source.html") if direct else \
        _units_real(folder / "source.html")
    article: Counter = Counter()
    everything: Counter = Counter()
    in_catalog: set = set()
    article_occurrences: Counter = Counter()
    for text, scope in units:
        bag = words(text)
        everything += bag
        if scope == cls.ARTICLE:
            article_occurrences += bag
        msgid = " ".join(text.split())
        # A catalog holds each msgid once: <title> and og:title are one entry.
        if scope == cls.ARTICLE and msgid not in in_catalog:
            in_catalog.add(msgid)
            article += bag
    n_article = sum(article.values())
    n_truth = sum(truth.values())
    matched = sum((article & truth).values())
    precision = matched / n_article if n_article else (1.0 if not n_truth else 0.0)
    # Code and preformatted text are never units, by design: kept, not lost.
    kept = everything + untranslatable_words(folder / "source.html")
    recall = sum((kept & truth).values()) / n_truth if n_truth else 1.0
    root = _parse_source(folder / "source.html")
    t0 = time.perf_counter()
    cls.classify(root, None)
    ms = (time.perf_counter() - t0) * 1000
    # Not a target, a symptom: article text sent to the site-wide catalog.
    in_page = sum((article_occurrences & truth).values()) / n_truth if n_truth else 1.0
    return PageScore(folder.name, precision, recall, n_article, n_truth, mode, in_page, ms,
                     sum(1 for _ in root.iter()))


def run(corpus: Path = CORPUS, direct: bool | None = None) -> list[PageScore]:
    if direct is None:
        direct = not reader_classifies()
    return [score_page(f, direct) for f in sorted(corpus.iterdir())
            if (f / "source.html").is_file() and (f / "expected.html").is_file()]


def means(scores: list[PageScore]) -> tuple[float, float]:
    n = len(scores) or 1
    return sum(s.precision for s in scores) / n, sum(s.recall for s in scores) / n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--direct", action="store_true", default=None,
                    help="walk the tree here instead of through the HTML reader")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    scores = run(args.corpus, args.direct)
    elapsed = time.perf_counter() - t0
    print(f"{'page':42} {'precision':>9} {'recall':>7} {'art.words':>9} {'truth':>6} "
          f"{'in page':>7} {'elements':>8} {'classify':>9}")
    for s in scores:
        print(f"{s.name:42} {s.precision:9.1%} {s.recall:7.1%} {s.article_words:9} "
              f"{s.truth_words:6} {s.in_page:7.1%} {s.elements:8} {s.classify_ms:7.1f}ms")
    p, r = means(scores)
    mode = scores[0].mode if scores else "-"
    in_page = sum(s.in_page for s in scores) / (len(scores) or 1)
    print(f"{'mean over ' + str(len(scores)) + ' pages (' + mode + ')':42} {p:9.1%} {r:7.1%} "
          f"{'':9} {'':6} {in_page:7.1%}")
    n_el = sum(s.elements for s in scores)
    ms = sum(s.classify_ms for s in scores)
    print(f"classify: {ms:.0f} ms for {n_el} elements ({1000 * ms / max(n_el, 1):.1f} µs each); "
          f"whole run {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
