"""Round trip of real pages from empty catalogs: is the rebuilt page the source?

Each page of ``../shared/corpus/real-pages/`` is read, rebuilt with no
translation at all and serialised, twice: as the republished source page,
and as a target-language page where every unit falls back (marked ``lang``).
A third mode "translates" every other unit as its own msgid, so that the
partial rebuild (new elements, span wrappers, sentence joiners) is checked
too. The rebuilt page is parsed again and compared with the source on what a
reader and a browser see: visible text (white space collapsed, but a space
between two CJK sentences counts), the elements, URLs (href, src, srcset…),
ids and names, every other attribute, the doctype, and end tags written for
void elements.

    .venv/bin/python bench/roundtrip.py [PAGES_DIR]

prints one line per page and a total; ``tests/test_roundtrip.py`` asserts on
the same comparison.
"""

from __future__ import annotations

import ast
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from l10n_tool.errors import L10nError  # noqa: E402
from l10n_tool.formats import charset, html  # noqa: E402

PAGES = ROOT.parent / "shared" / "corpus" / "real-pages"

URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "poster", "data", "cite",
                  "background", "longdesc", "usemap", "manifest", "icon", "codebase",
                  "data-src", "data-srcset", "imagesrcset")
#: Attributes the rebuild may legitimately add or change.
CHANGED_ON_PURPOSE = {"lang", "dir"}
INVISIBLE = {"script", "style", "template", "noscript", "head"}
VOID = "|".join(sorted(html.VOID_TAGS))
_VOID_END = re.compile(rf"</({VOID})\s*>", re.I)
_DOCTYPE = re.compile(r"^(?:\s|<!--.*?-->|<\?[^>]*>)*<!doctype", re.I | re.S)
_SPACE = re.compile(r"[ \t\n\r\f]+")


@dataclass
class Result:
    name: str
    units: int = 0
    differences: list[str] = field(default_factory=list)
    error: str | None = None
    wrappers: int = 0          # <span lang> added around fallback text
    marked: int = 0            # existing elements given a lang attribute
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and not self.differences


def _parse(text: str):
    # The tool's own reading (libxml2 plus void elements closed as browsers
    # do, control characters dropped) for both sides, so that a difference is
    # the rebuild's doing, not the parser's. No HTML5 parser is installed.
    return html.parse_html(text, "page")


def _is_wrapper(el) -> bool:
    return el.tag == "span" and list(el.attrib) == ["lang"]


def _visible_text(root) -> str:
    out: list[str] = []

    def visit(el, hidden: bool) -> None:
        hidden = hidden or (isinstance(el.tag, str) and el.tag in INVISIBLE)
        if isinstance(el.tag, str) and not hidden and el.text:
            out.append(el.text)
        for child in el:
            visit(child, hidden)
            if child.tail and not hidden:
                out.append(child.tail)

    visit(root, False)
    title = root.findtext(".//title") or ""
    return _SPACE.sub(" ", title + " " + "".join(out)).strip()


def _first_difference(a: str, b: str) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"…{a[max(0, i - 30):i + 30]!r} became …{b[max(0, i - 30):i + 30]!r}"


def _kids(el) -> list:
    return [c for c in el if isinstance(c.tag, str)]


@dataclass
class _Tally:
    diffs: list = field(default_factory=list)
    wrappers: int = 0
    marked: int = 0


def _same(x, y, tally: _Tally | None) -> bool:
    """Do ``x`` and ``y`` hold the same elements and attributes, once the
    ``<span lang>`` wrappers the rebuild added in ``y`` are unwrapped? With a
    tally, record what differs; without, only answer (for trying a pairing)."""
    ok = True
    ax, ay = _attributes(x), _attributes(y)
    if ax != ay:
        ok = False
        if tally is None:
            return False
        for name in sorted(set(ax) | set(ay)):
            if ax.get(name) != ay.get(name):
                what = ("URL" if name in URL_ATTRIBUTES else
                        "id/name" if name in ("id", "name") else "attribute")
                tally.diffs.append(f"{what} <{x.tag} {name}> line {x.sourceline}: "
                                   f"{ax.get(name)!r} became {ay.get(name)!r}")
    if tally is not None and x.get("lang") is None and y.get("lang") is not None \
            and y.tag != "html":
        tally.marked += 1
    xs, ys = _kids(x), _kids(y)
    i = j = 0
    while i < len(xs) or j < len(ys):
        a = xs[i] if i < len(xs) else None
        b = ys[j] if j < len(ys) else None
        if b is not None and b.tag == "meta" and dict(b.attrib) == {"charset": "utf-8"} and not (
                a is not None and a.tag == "meta" and a.get("charset") is not None):
            j += 1  # a page that declared no charset is given one: it is written as UTF-8
            continue
        if b is not None and b.tag == "head" and (a is None or a.tag != "head") and \
                [dict(k.attrib) for k in _kids(b)] == [{"charset": "utf-8"}]:
            j += 1  # … in a <head> of its own where it had none
            continue
        if b is not None and _is_wrapper(b) and not (
                a is not None and a.tag == "span" and set(a.attrib) <= {"lang"}
                and _same(a, b, None)):
            ys[j:j + 1] = _kids(b)
            if tally is not None:
                tally.wrappers += 1
            continue
        if a is None or b is None or a.tag != b.tag:
            if tally is not None:
                tally.diffs.append(
                    f"elements differ in <{x.tag}> line {x.sourceline}: child #{i} "
                    f"<{getattr(a, 'tag', None)}> (line {getattr(a, 'sourceline', None)}) "
                    f"became <{getattr(b, 'tag', None)}>")
            return False
        ok = _same(a, b, tally) and ok
        if not ok and tally is None:
            return False
        i += 1
        j += 1
    return ok


def _attributes(el) -> dict:
    attrs = {k: v for k, v in el.attrib.items() if k not in CHANGED_ON_PURPOSE}
    if el.tag == "meta":  # the charset declaration is rewritten to utf-8 on purpose
        attrs.pop("charset", None)
        if (el.get("http-equiv") or "").lower() == "content-type":
            attrs.pop("content", None)
    return attrs


def _loose(text: str) -> str:
    return _SPACE.sub("", text)


def compare(source: str, output: str, src=None, loose: bool = False) -> tuple[list[str], int, int]:
    """Differences between a source page and its rebuild (both as text).

    ``src``: the source already parsed (it is only read). ``loose``: for a
    page rebuilt from translations that are the msgids themselves, where white
    space may differ (sentence joiner, collapsed attribute values) but not a
    character more or less. Returns (differences, wrappers added, existing
    elements marked with lang).
    """
    diffs: list[str] = []
    src = _parse(source) if src is None else src
    out = _parse(output)
    a, b = _visible_text(src), _visible_text(out)
    if (_loose(a) != _loose(b)) if loose else (a != b):
        diffs.append("visible text: " + _first_difference(a, b))
    tally = _Tally()
    _same(src, out, tally)
    diffs += [d for d in tally.diffs if not (loose and _loose_equal(d))]
    ends = len(_VOID_END.findall(output)) - len(_VOID_END.findall(source))
    if ends > 0:
        diffs.append(f"{ends} new end tags for void elements")
    had, has = (bool(t.getroottree().docinfo.doctype) for t in (src, out))
    if had != has or has and not _DOCTYPE.match(output):
        diffs.append("doctype " + ("dropped" if had else "added" if has else "not first"))
    return diffs, tally.wrappers, tally.marked


def _loose_equal(diff: str) -> bool:
    m = re.match(r"attribute <\S+ \S+> line \S+: ('.*'|\".*\") became ('.*'|\".*\")$", diff, re.S)
    return bool(m) and _loose(ast.literal_eval(m.group(1))) == _loose(ast.literal_eval(m.group(2)))


#: mode → (fallback language, translate every other unit as its own msgid)
MODES = {"source": (None, False), "fallback": ("en", False), "partial": ("en", True)}


def _every_other():
    count = [0]

    def lookup(unit):
        count[0] += 1
        return unit.text if count[0] % 2 else None
    return lookup


def roundtrip_modes(path: Path, modes=("source", "fallback")) -> list[Result]:
    """Read → render → serialize → compare, for one page, once per mode:
    ``source`` (the republished source page), ``fallback`` (a locale with an
    empty catalog), ``partial`` (every other unit "translated" as itself)."""
    name = path.parent.name if path.name == "source.html" else path.stem
    start = time.perf_counter()
    try:
        doc = html.read_document(path)
        source = charset.decode(path.read_bytes(), path).text
        src = _parse(source)
    except L10nError as exc:
        return [Result(name, error=str(exc), seconds=time.perf_counter() - start) for _ in modes]
    read = time.perf_counter() - start
    results = []
    for mode in modes:
        fallback_lang, partial = MODES[mode]
        start = time.perf_counter()
        result = Result(name, units=len(doc.units))
        lookup = _every_other() if partial else (lambda unit: None)
        try:
            output = html.serialize(html.render(doc, lookup, fallback_lang=fallback_lang))
            result.differences, result.wrappers, result.marked = compare(source, output, src,
                                                                         loose=partial)
        except L10nError as exc:
            result.error = str(exc)
        result.seconds = read + time.perf_counter() - start
        results.append(result)
    return results


def roundtrip(path: Path, fallback_lang: str | None = None) -> Result:
    return roundtrip_modes(path, ("source" if fallback_lang is None else "fallback",))[0]


def pages(folder: Path = PAGES) -> list[Path]:
    return sorted(folder.glob("*/source.html"))


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else PAGES
    bad = 0
    total = time.perf_counter()
    wrappers = marked = 0
    for path in pages(folder):
        for mode, r in zip(MODES, roundtrip_modes(path, tuple(MODES))):
            bad += not r.ok
            if mode == "fallback":
                wrappers += r.wrappers
                marked += r.marked
            status = "ok" if r.ok else ("ERROR " + r.error if r.error else
                                        f"{len(r.differences)} differences")
            print(f"{r.name:40} {mode:8} units={r.units:5} wrappers={r.wrappers:4} "
                  f"marked={r.marked:4} {r.seconds * 1000:6.0f} ms  {status}")
            for d in r.differences[:5]:
                print(f"    {d}")
    print(f"{len(pages(folder))} pages × {len(MODES)} modes, {bad} results not exact; from empty "
          f"catalogs, fallback marked with lang on {marked} existing elements and {wrappers} "
          f"added spans; "
          f"{time.perf_counter() - total:.1f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
