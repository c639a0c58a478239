"""HTML pages: read them into units, and rebuild them from translations.

Both directions live here because they must agree exactly: ``render``
re-parses the source and walks it with the same rules as ``read_document``,
so the n-th unit read is the n-th unit rebuilt. Everything the translator
must not touch (attributes, skipped elements, whitespace around blocks)
stays in the page and never enters a msgid.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from lxml import etree, html as lxml_html

from l10n_tool import markup
from l10n_tool.document import Document, Unit
from l10n_tool.errors import L10nError
from l10n_tool.segment import split_sentences

#: Phrasing elements that become paired placeholders <n>…</n>.
INLINE_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn", "em", "font", "i",
    "ins", "label", "mark", "q", "s", "small", "span", "strong", "sub", "sup", "time",
    "u",
}
#: Phrasing elements kept whole as one empty placeholder <n/>: void elements,
#: code-like content and embedded objects.
ATOMIC_TAGS = {
    "br", "wbr", "img", "input", "code", "kbd", "samp", "var", "svg", "math",
    "picture", "video", "audio", "iframe", "object", "embed", "canvas",
    "textarea", "script", "noscript", "template", "style",
}
#: Content that is never translated.
SKIP_TAGS = {"script", "style", "pre", "code", "template", "svg", "math", "noscript",
             "textarea", "iframe", "object", "canvas", "video", "audio", "head"}
#: Of those, elements whose attributes still speak to readers (an iframe's
#: title, a textarea's placeholder, an svg's aria-label) and are translated.
ATTRIBUTES_ONLY_TAGS = {"svg", "math", "textarea", "iframe", "object", "canvas", "video", "audio"}
#: Elements whose text cannot hold child elements, so fallback cannot be marked.
TEXT_ONLY_TAGS = {"title", "option"}

BLOCK_KINDS = {
    "h1": "headline", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
    "h6": "heading", "p": "paragraph", "li": "list item", "td": "table cell",
    "th": "table header", "caption": "caption", "figcaption": "caption",
    "blockquote": "quote", "dt": "term", "dd": "definition", "button": "button",
    "summary": "summary", "legend": "legend", "option": "option", "title": "title",
}
ATTRIBUTES = {"alt": "alt text", "title": "title attribute", "aria-label": "aria label",
              "placeholder": "placeholder"}
META_NAMES = {"description": "meta description", "og:title": "meta title",
              "og:description": "meta description", "twitter:title": "meta title",
              "twitter:description": "meta description"}

#: HTML's collapsible white space: not \s, which would also eat &nbsp; (U+00A0).
HTML_SPACE = " \t\n\r\f"
_WS = re.compile(f"[{HTML_SPACE}]+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


# --------------------------------------------------------------------------- model

@dataclass
class _Sentence:
    unit: Unit
    sep: str                        # whitespace that followed it in the source
    ids: dict[int, int]             # unit-local placeholder id → run-level id


@dataclass
class _Run:
    """A stretch of inline content: the lead text slot plus inline children."""
    parent: etree._Element
    after: Optional[etree._Element]  # block child whose tail leads; None: parent.text
    children: list                   # inline child elements in the run
    elements: dict[int, etree._Element]  # run-level placeholder id → element
    atomic: set[int]
    lead_ws: str
    trail_ws: str
    sentences: list[_Sentence] = field(default_factory=list)
    whole_parent: bool = False


@dataclass
class _Attr:
    element: etree._Element
    attr: str
    unit: Unit


@dataclass
class _Skeleton:
    raw: str
    source: str
    lang: str
    segment: str


# --------------------------------------------------------------------------- parsing

def _decode(data: bytes, path: Path) -> str:
    if not data.strip():
        raise L10nError("empty file, not an HTML page", path, 1)
    if b"\x00" in data[:8192]:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise L10nError("binary data (NUL byte), not an HTML page", path, line)
    m = _CHARSET.search(data[:4096])
    encoding = m.group(1).decode("ascii") if m else "utf-8"
    try:
        return data.decode(encoding)
    except LookupError:
        raise L10nError(f"unknown charset {encoding!r}", path,
                        data[: m.start()].count(b"\n") + 1) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise L10nError(f"invalid {encoding} byte 0x{data[exc.start]:02x}", path, line) from None


def _parse_tree(text: str, path: Path) -> etree._Element:
    # lxml rejects str input that carries an XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise L10nError(f"unparsable HTML: {exc}", path, 1) from None
    if root is None or root.find("body") is None and root.find("head") is None:
        raise L10nError("unparsable HTML: no <html>, <head> or <body>", path, 1)
    if not re.search(r"<\s*(html|head|body|title|p|h[1-6]|div|article)\b", text, re.I):
        raise L10nError("not an HTML page: no html, head, body or block element", path, 1)
    return root


def _no_translate(el) -> bool:
    """Marked by the author as not to be translated, attributes included."""
    return (el.get("translate", "").strip().lower() == "no"
            or "notranslate" in (el.get("class") or "").split())


def _skipped(el) -> bool:
    if not isinstance(el.tag, str):
        return True
    return _no_translate(el) or (el.tag in SKIP_TAGS and el.tag != "head")


class _Walker:
    """Walks a parsed page and yields its runs and attributes in order."""

    def __init__(self, path: Path, lang: str, segment: str):
        self.path = path
        self.lang = lang
        self.segment = segment
        self.items: list = []
        self._inline_memo: dict = {}

    # -- classification
    def is_inline(self, el) -> bool:
        if not isinstance(el.tag, str):
            return True  # comments and PIs sit inside runs untouched
        key = el  # not id(el): lxml proxies are recycled, ids get reused
        if key not in self._inline_memo:
            if el.tag in ATOMIC_TAGS:
                ok = True
            elif el.tag in INLINE_TAGS:
                ok = all(self.is_inline(c) for c in el)
            else:
                ok = False
            self._inline_memo[key] = ok
        return self._inline_memo[key]

    def is_atomic(self, el) -> bool:
        return el.tag in ATOMIC_TAGS or _skipped(el)

    # -- walking
    def walk(self, el) -> None:
        if not isinstance(el.tag, str):
            return
        if el.tag == "head":
            for child in el:
                self.walk_head(child)
            return
        if _skipped(el):
            if el.tag in ATTRIBUTES_ONLY_TAGS and not _no_translate(el):
                self.attributes(el)
            return
        self.attributes(el)
        if el.tag in TEXT_ONLY_TAGS:
            self.text_only(el)
            return
        self.runs(el)

    def walk_head(self, el) -> None:
        if not isinstance(el.tag, str) or _skipped(el):
            return
        if el.tag == "title":
            self.text_only(el)
        elif el.tag == "meta":
            key = (el.get("name") or el.get("property") or "").lower()
            if key in META_NAMES:
                self.attribute(el, "content", META_NAMES[key])

    def attributes(self, el) -> None:
        for attr, kind in ATTRIBUTES.items():
            if attr == "alt" and el.tag not in ("img", "area", "input"):
                continue
            if attr == "placeholder" and el.tag not in ("input", "textarea"):
                continue
            self.attribute(el, attr, kind)

    def attribute(self, el, attr: str, kind: str) -> None:
        value = _WS.sub(" ", el.get(attr) or "").strip(HTML_SPACE)
        if value:
            self.items.append(_Attr(el, attr, Unit(value, kind, el.sourceline or 1)))

    def text_only(self, el) -> None:
        run = _Run(el, None, [], {}, set(), "", "", whole_parent=True)
        self.finish_run(run, el.text or "", el.sourceline or 1)

    def runs(self, el) -> None:
        children = list(el)
        current = _Run(el, None, [], {}, set(), "", "")
        parts: list[str] = [el.text or ""]
        line = el.sourceline or 1
        has_block = False
        for child in children:
            if self.is_inline(child):
                current.children.append(child)
                parts.append(self.inline_markup(current, child))
                parts.append(child.tail or "")
                continue
            has_block = True
            self.finish_run(current, "".join(parts), line)
            self.walk(child)
            current = _Run(el, child, [], {}, set(), "", "")
            parts = [child.tail or ""]
            line = child.sourceline or line
        current.whole_parent = not has_block
        self.finish_run(current, "".join(parts), line)
        for child in children:
            if self.is_inline(child):
                self.inline_attributes(child)

    def inline_attributes(self, el) -> None:
        if not isinstance(el.tag, str) or _no_translate(el):
            return
        if _skipped(el) and el.tag not in ATTRIBUTES_ONLY_TAGS:
            return
        self.attributes(el)
        if el.tag not in ATOMIC_TAGS and not _skipped(el):
            for child in el:
                self.inline_attributes(child)

    def inline_markup(self, run: _Run, el) -> str:
        if not isinstance(el.tag, str):
            return ""
        num = len(run.elements) + 1
        run.elements[num] = el
        if self.is_atomic(el):
            run.atomic.add(num)
            return f"<{num}/>"
        inner = [el.text or ""]
        for child in el:
            inner.append(self.inline_markup(run, child))
            inner.append(child.tail or "")
        return f"<{num}>{''.join(inner)}</{num}>"

    def finish_run(self, run: _Run, raw: str, line: int) -> None:
        if not markup.strip(raw).strip():
            return  # nothing to read: white space, &nbsp; or markup alone
        norm = _WS.sub(" ", raw)
        stripped = norm.strip(HTML_SPACE)
        lead = raw[: len(raw) - len(raw.lstrip(HTML_SPACE))]
        run.lead_ws = lead
        run.trail_ws = raw[len(raw.rstrip(HTML_SPACE)):]
        line += lead.count("\n")
        kind = BLOCK_KINDS.get(run.parent.tag, "text") if run.after is None or \
            run.parent.tag in ("li", "dd", "td", "th", "blockquote") else "text"
        if self.segment == "sentences" and run.parent.tag not in TEXT_ONLY_TAGS:
            pieces = split_sentences(stripped, self.lang)
        else:
            pieces = [(stripped, "")]
        offset = 0
        for text, sep in pieces:
            ids = {t.id: None for t in markup.tags(text)}
            local = {run_id: n for n, run_id in enumerate(ids, start=1)}
            msgid = markup.renumber(text, local)
            notes = tuple(self.atomic_note(run, run_id, n) for run_id, n in local.items()
                          if run_id in run.atomic)
            sent_line = line + stripped[:offset].count("\n")
            unit = Unit(msgid, kind, sent_line, notes)
            run.sentences.append(_Sentence(unit, sep, {n: r for r, n in local.items()}))
            offset += len(text) + len(sep)
        self.items.append(run)

    @staticmethod
    def atomic_note(run: _Run, run_id: int, n: int) -> str:
        el = run.elements[run_id]
        text = _WS.sub(" ", el.text_content() if el.tag not in ("img", "br", "wbr", "input") else "").strip()
        desc = f"<{el.tag}>" + (f" {text[:40]}" if text else "")
        return f"placeholder <{n}/> is {desc}"


def _walk(raw: str, path: Path, lang: str, segment: str):
    root = _parse_tree(raw, path)
    walker = _Walker(path, lang, segment)
    head = root.find("head")
    if head is not None:
        walker.walk(head)
    body = root.find("body")
    if body is not None:
        walker.walk(body)
    _mark_lead(walker.items)
    return root, walker.items


def _mark_lead(items) -> None:
    """The first paragraph after the headline is the lead, a kind of its own."""
    runs = [i for i in items if isinstance(i, _Run)]
    seen_headline = not any(s.unit.kind == "headline" for r in runs for s in r.sentences)
    for run in runs:
        kinds = {s.unit.kind for s in run.sentences}
        if "headline" in kinds:
            seen_headline = True
        elif seen_headline and kinds == {"paragraph"}:
            for s in run.sentences:
                s.unit = Unit(s.unit.text, "lead", s.unit.line, s.unit.notes)
            return


def _units(items) -> list[Unit]:
    out = []
    for item in items:
        if isinstance(item, _Attr):
            out.append(item.unit)
        else:
            out.extend(s.unit for s in item.sentences)
    return out


def read_document(path: Path, lang: str = "en", segment: str = "sentences") -> Document:
    """Read one source page into a Document of units."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise L10nError("no such file", path) from None
    except OSError as exc:
        raise L10nError(f"cannot read: {exc.strerror}", path) from None
    raw = _decode(data, path)
    _, items = _walk(raw, path, lang, segment)
    return Document(slug=path.stem, path=path, units=_units(items),
                    skeleton=_Skeleton(raw, str(path), lang, segment))


# --------------------------------------------------------------------------- rebuild

Lookup = Callable[[Unit], Optional[str]]


def _build(node: markup.Node, run: _Run, ids: dict[int, int]) -> list:
    out: list = []
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
            continue
        original = run.elements[ids.get(child.id, child.id)]
        if child.empty or ids.get(child.id, child.id) in run.atomic:
            el = copy.deepcopy(original)
        else:
            el = etree.Element(original.tag, attrib=dict(original.attrib))
            _fill(el, _build(child, run, ids))
        el.tail = None
        out.append(el)
    return out


def _fill(el, nodes: list) -> None:
    """Append text and elements to ``el`` after its current content."""
    for node in nodes:
        if isinstance(node, str):
            if len(el):
                el[-1].tail = (el[-1].tail or "") + node
            else:
                el.text = (el.text or "") + node
        else:
            el.append(node)


def _span(lang: str, nodes: list):
    span = etree.Element("span", lang=lang)
    _fill(span, nodes)
    return span


def _rebuild_run(run: _Run, lookup: Lookup, joiner: str, fallback_lang: Optional[str]) -> None:
    chosen = []
    for s in run.sentences:
        text = lookup(s.unit)
        ok = text is not None and markup.compare(s.unit.text, text) is None
        chosen.append((text if ok else s.unit.text, not ok, s))
    all_fallback = all(fb for _, fb, _ in chosen)
    mark_parent = (fallback_lang and all_fallback and run.whole_parent
                   and run.parent.tag not in TEXT_ONLY_TAGS)
    wrap = fallback_lang and not mark_parent and run.parent.tag not in TEXT_ONLY_TAGS
    nodes: list = []
    pending_fb: list = []
    for i, (text, fallback, s) in enumerate(chosen):
        built = _build(markup.parse(text), run, s.ids)
        nxt_fallback = chosen[i + 1][1] if i + 1 < len(chosen) else None
        if i + 1 == len(chosen):
            sep = ""
        elif joiner == "" and not fallback and not nxt_fallback:
            sep = ""
        else:
            sep = s.sep or " "
        if fallback and wrap:
            pending_fb.extend(built)
            if nxt_fallback:
                pending_fb.append(sep)
                continue
            nodes.append(_span(fallback_lang, pending_fb))
            pending_fb = []
            nodes.append(sep)
        else:
            nodes.extend(built)
            nodes.append(sep)
    if mark_parent:
        run.parent.set("lang", fallback_lang)
    nodes = [run.lead_ws] + nodes + [run.trail_ws]
    _replace_run(run, nodes)


def _replace_run(run: _Run, nodes: list) -> None:
    parent = run.parent
    for child in run.children:
        parent.remove(child)
    index = 0 if run.after is None else parent.index(run.after) + 1
    texts: list[str] = []
    last = None
    for node in nodes:
        if isinstance(node, str):
            texts.append(node)
            continue
        _set_slot(parent, run.after, last, "".join(texts))
        texts = []
        parent.insert(index, node)
        index += 1
        last = node
    _set_slot(parent, run.after, last, "".join(texts))


def _set_slot(parent, after, last, text: str) -> None:
    if last is not None:
        last.tail = text
    elif after is not None:
        after.tail = text
    else:
        parent.text = text


def render(document: Document, lookup: Lookup, lang_attr: Optional[str] = None,
           direction: Optional[str] = None, joiner: str = " ",
           fallback_lang: Optional[str] = None) -> etree._Element:
    """Rebuild ``document`` with translations from ``lookup``.

    ``lookup`` returns a msgstr or None; a None, or a msgstr whose
    placeholders do not match, falls back to the source text, marked with
    ``fallback_lang`` when that is given. Returns the page's root element for
    the publisher to decorate and ``serialize``.
    """
    sk: _Skeleton = document.skeleton
    root, items = _walk(sk.raw, Path(sk.source), sk.lang, sk.segment)
    if _units(items) != document.units:
        raise L10nError("source changed while publishing; run `l10n extract` again", sk.source)
    for item in items:
        if isinstance(item, _Attr):
            text = lookup(item.unit)
            if text is not None and not markup.tags(text):
                item.element.set(item.attr, text)
    for item in items:
        if isinstance(item, _Run):
            _rebuild_run(item, lookup, joiner, fallback_lang)
    if lang_attr:
        root.set("lang", lang_attr)
    if direction:
        root.set("dir", direction)
    return root


def serialize(root: etree._Element) -> str:
    # The whole tree, as utf-8 bytes: serialising the root element alone makes
    # libxml2 drop <meta http-equiv="Content-Type">.
    doctype = root.getroottree().docinfo.doctype or "<!DOCTYPE html>"
    data = etree.tostring(root.getroottree(), method="html", encoding="utf-8", doctype=doctype)
    return data.decode("utf-8").rstrip("\n") + "\n"


#: Kinds whose text lands in an attribute or a text-only element: no markup at all.
PLAIN_TEXT_KINDS = frozenset(ATTRIBUTES.values()) | frozenset(META_NAMES.values()) | \
    {BLOCK_KINDS[t] for t in TEXT_ONLY_TAGS}

#: Every unit kind this reader produces, for validating publish policies.
KINDS = frozenset(BLOCK_KINDS.values()) | frozenset(ATTRIBUTES.values()) | \
    frozenset(META_NAMES.values()) | {"lead", "text"}
