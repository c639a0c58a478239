"""HTML pages: read them into units, and rebuild them from translations.

Both directions live here because they must agree exactly: ``render``
re-parses the source and walks it with the same rules as ``read_document``,
so the n-th unit read is the n-th unit rebuilt. Everything the translator
must not touch (attributes, skipped elements, whitespace around blocks)
stays in the page and never enters a msgid.

The rebuild is lossless by construction rather than by care: a run of text
whose sentences all fall back is never rebuilt at all, only marked, so the
source page republished from empty catalogs is the parsed source; and the
page is written by our own serializer, because libxml2's percent-encodes
``href``/``name`` values, writes end tags for HTML5 void elements and adds a
doctype, and lxml refuses attribute names browsers accept (``@click``).
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import re
import sys
from bisect import bisect_left
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional

from lxml import etree, html as lxml_html

from l10n_tool import markup
from l10n_tool.document import Document, Unit
from l10n_tool.errors import L10nError
from l10n_tool.fsutil import read_input
from l10n_tool.formats import charset
from l10n_tool.locales import get_locale
from l10n_tool.segment import split_sentences

#: Phrasing elements that become paired placeholders <n>…</n> (``tt``, ``big``,
#: ``strike``, ``acronym`` and ``nobr`` are obsolete ones pages still carry).
INLINE_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn", "em", "font", "i",
    "ins", "label", "mark", "q", "s", "small", "span", "strong", "sub", "sup", "time",
    "u", "tt", "big", "strike", "acronym", "nobr",
}
#: Phrasing elements kept whole as one empty placeholder <n/>: void elements,
#: code-like content and embedded objects. A ``<ruby>`` pairs its base with
#: an annotation (a reading) that a translation cannot keep apart, and on an
#: English page it quotes a foreign word, which a translation quotes as is;
#: a ``<select>`` in a sentence is one control there, its options a list of
#: labels, each its own unit (words of the sentence they are not); outside
#: running text it is a block (``TEXT_LEVEL_TAGS``), its options units as well.
ATOMIC_TAGS = {
    "br", "wbr", "img", "input", "code", "kbd", "samp", "var", "svg", "math",
    "picture", "video", "audio", "iframe", "object", "embed", "canvas",
    "textarea", "script", "noscript", "template", "style", "ruby", "select",
}
#: Phrasing elements that are also used as blocks of their own (a row of
#: buttons, a custom element holding a card): paired placeholders where they
#: sit in running text, their own units where they stand alone. Custom and
#: other unknown elements (``my-widget``, Word's ``st1:place``) count as these.
TEXT_LEVEL_TAGS = {"button", "meter", "progress", "output", "select"}
#: Content that is never translated (``xmp`` and ``plaintext`` are raw text,
#: shown as written, like a script's source).
SKIP_TAGS = {"script", "style", "pre", "code", "template", "svg", "math", "noscript",
             "textarea", "iframe", "object", "canvas", "video", "audio", "head", "xmp",
             "plaintext"}
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
#: ``<input type=…>`` whose ``value`` is the label a reader sees on it.
BUTTON_INPUTS = {"submit", "button", "reset"}
ATTRIBUTES = {"alt": "alt text", "title": "title attribute", "aria-label": "aria label",
              "placeholder": "placeholder"}
META_NAMES = {"description": "meta description", "og:title": "meta title",
              "og:description": "meta description", "twitter:title": "meta title",
              "twitter:description": "meta description"}

#: HTML's collapsible white space: not \s, which would also eat &nbsp; (U+00A0).
HTML_SPACE = " \t\n\r\f"
_WS = re.compile(f"[{HTML_SPACE}]+")

#: HTML5 void elements: no content, no end tag (libxml2 knows only HTML 4's).
VOID_TAGS = frozenset({"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame",
                       "hr", "img", "input", "keygen", "link", "meta", "param", "source",
                       "track", "wbr"})
#: Elements whose content is raw text, written back unescaped.
RAW_TEXT_TAGS = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes",
                           "plaintext"})
#: Comments that are instructions to a server (SSI, ESI): content, not notes.
_DIRECTIVE = re.compile(r"^\s*(#|esi\b)", re.I)
_LETTER = re.compile(r"[^\W\d_]")
#: Line separators gettext tools and editors read as line breaks: a space in a msgid.
_LINE_BREAKS = re.compile("[\u2028\u2029\x85]")
#: Characters XML (so lxml) cannot hold and gettext tools choke on: dropped from
#: msgids and msgstrs. A run that falls back keeps them, untouched, on the page.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")


_DIRTY = re.compile(f"{_LINE_BREAKS.pattern}|{_UNSAFE.pattern}")


def _clean(text: str) -> str:
    if not _DIRTY.search(text):
        return text              # nearly all text: one scan, no copies
    return _UNSAFE.sub("", _LINE_BREAKS.sub(" ", text))


def _collapse(text: str) -> str:
    return _WS.sub(" ", text)


def _offsets_after(text: str, marks, transform) -> list[int]:
    """Where each of the ascending offsets ``marks`` into ``text`` lands in
    ``transform(text)`` (``_clean``, or ``_collapse``: white space that runs
    across a mark is still one space), in one pass over the text."""
    out, total, prev, joined = [], 0, 0, False
    for at in marks:
        piece = transform(text[prev:at])
        if transform is _collapse:
            if joined and piece[:1] == " ":
                piece = piece[1:]
            if piece:
                joined = piece[-1] == " "
        total += len(piece)
        prev = at
        out.append(total)
    return out


# --------------------------------------------------------------------------- model

@dataclass
class _Sentence:
    unit: Optional[Unit]            # None: no letters ("640", "0:46"), kept as it is
    text: str                       # msgid-form text, run-level placeholder ids
    sep: str                        # whitespace that followed it in the source
    ids: dict[int, int]             # unit-local placeholder id → run-level id
    #: comments in it (kept out of its msgid): (run-level id, run-level id of
    #: the inline element holding it or None, offset into ``text``)
    comments: tuple = ()


@dataclass
class _Run:
    """A stretch of inline content: the lead text slot plus inline children."""
    parent: etree._Element
    after: Optional[etree._Element]  # block child whose tail leads; None: parent.text
    children: list                   # inline child nodes in the run (comments included)
    elements: dict[int, etree._Element]  # run-level placeholder id → element
    atomic: set[int]
    lead_ws: str
    trail_ws: str
    sentences: list[_Sentence] = field(default_factory=list)
    whole_parent: bool = False
    comments: list = field(default_factory=list)  # comments kept out of the msgids
    #: for each of ``comments``: its run-level id, and where it sits (the
    #: index into the run's parts it came before)
    comment_at: list = field(default_factory=list)
    #: elements whose head ends the run (``_Walker.head_end``) → their first
    #: block; they stay where they are, holding their blocks
    opened: dict = field(default_factory=dict)


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
    rules: object = None
    #: the tree and items as read, kept pristine: each render works on a copy,
    #: so a page published in five languages is parsed and walked once
    parsed: Optional[tuple] = field(default=None, compare=False, repr=False)


class _Everything:
    """Classification when no classifier is installed: all article, nothing hidden."""

    def hidden(self, el) -> bool:
        return False

    def scope(self, el) -> str:
        return "article"


def _classify(root, rules):
    try:
        module = importlib.import_module("l10n_tool.formats.classify")
    except ImportError:
        return _Everything()
    classify = getattr(module, "classify", None)
    return classify(root, rules) if classify is not None else _Everything()


# --------------------------------------------------------------------------- parsing

def _decode(data: bytes, path: Path, lang: str) -> charset.Decoded:
    if not data.strip():
        raise L10nError("empty file, not an HTML page", path, 1)
    return charset.decode(data, path, lang)


def move_void_content(root) -> None:
    """Give void elements the DOM browsers build: their 'content' is siblings.

    libxml2 knows HTML 4's void elements only, so ``<source>``, ``<track>``
    and ``<wbr>`` swallow what follows them; text inside a ``<wbr>`` would
    vanish into an atomic placeholder.
    """
    for el in list(root.iter(*VOID_TAGS)):
        if el.text is None and not len(el):
            continue
        text, tail, kids = el.text or "", el.tail or "", list(el)
        el.text = None
        el.tail = text
        anchor = el
        for kid in kids:
            anchor.addnext(kid)  # moves kid with its own tail
            anchor = kid
        anchor.tail = (anchor.tail or "") + tail if anchor is not el else text + tail


_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}))")


def _may_hold_controls(text: str) -> bool:
    """Cheap test that spares ``scrub`` its walk over every node of clean pages."""
    if _UNSAFE.search(text):
        return True
    for m in _CHAR_REF.finditer(text):
        n = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        if n < 0x110000 and _UNSAFE.match(chr(n)):
            return True
    return False


def scrub(root) -> None:
    """Drop the control characters lxml can parse but never set again.

    libxml2 keeps ``&#x1c;`` or a raw vertical tab in the tree, but lxml
    refuses to assign text holding them, and gettext tools choke on them; they
    are invisible on a page, so the page is read without them.
    """
    for node in root.iter():
        if node.text and _UNSAFE.search(node.text):
            node.text = _UNSAFE.sub("", node.text)
        if node.tail and _UNSAFE.search(node.tail):
            node.tail = _UNSAFE.sub("", node.tail)


#: Markup, scanned just enough to find void start tags outside comments, raw
#: text and attribute values.
_MARKUP_SCAN = re.compile(
    r"""<!--.*?(?:-->|\Z)"""
    r"""|<(script|style|textarea|title|xmp|noembed|noframes|iframe|plaintext)\b"""
    r"""(?:[^>"']|"[^"]*"|'[^']*')*>.*?(?:</\1\s*>|\Z)"""
    r"""|<(?:bgsound|embed|keygen|source|track|wbr)\b(?:[^>"']|"[^"]*"|'[^']*')*>"""
    r"""|</br(?=[\s/>])[^>]*>"""
    r"""|<[a-zA-Z](?:[^>"']|"[^"]*"|'[^']*')*>""", re.I | re.S)
_UNKNOWN_VOID = re.compile(r"<(?:bgsound|embed|keygen|source|track|wbr)\b", re.I)
_END_BR = re.compile(r"</br(?=[\s/>])", re.I)
_NEEDS_FIXING = re.compile(f"{_UNKNOWN_VOID.pattern}|{_END_BR.pattern}", re.I)


def _close_voids(text: str) -> str:
    """Write ``<source …>`` as ``<source … />`` before libxml2 sees it, and
    ``</br>`` as ``<br>``.

    libxml2 only knows HTML 4's void elements; it parses an unknown one as a
    container that swallows what follows (``<p><wbr>text <p>`` nests the
    second paragraph), unless the tag is self-closed. And it drops a
    ``</br>``, which browsers read as a line break (the HTML spec says so):
    ``Line one</br>Line two`` would be published on one line, its words run
    together in the msgid.
    """
    def sub(m: re.Match) -> str:
        tag = m.group()
        if m.group(1) is None:
            if _END_BR.match(tag):
                return "<br" + "\n" * tag.count("\n") + ">"  # the lines after it stay
            if _UNKNOWN_VOID.match(tag) and not tag.endswith("/>"):
                return tag[:-1] + " />"
        return tag
    return _MARKUP_SCAN.sub(sub, text) if _NEEDS_FIXING.search(text) else text


#: Start tags of the two elements a browser has one of, whatever the page says.
_ROOT_TAG = re.compile(r"<(html|body)(?=[\s/>])", re.I)


def _tag_attributes(tag: str, name: str) -> list[tuple[str, str]]:
    """The attributes of the start tag ``tag`` (of ``html`` or ``body``), as
    libxml2 reads them (bare names, duplicates, unquoted values)."""
    html = tag if name == "html" else "<html>" + tag
    try:
        parsed = lxml_html.document_fromstring(html + "</html>")
    except (etree.ParserError, ValueError):
        return []
    el = parsed if name == "html" else parsed.find("body")
    return list(el.items()) if el is not None else []


def adopt_root_attributes(root, text: str) -> None:
    """Give ``<html>`` and ``<body>`` the attributes of every start tag of
    theirs in the page, as browsers do.

    A browser that meets a ``<body>`` tag once the body is open (an
    ``<iframe>`` or loose text in ``<head>`` opened it, as in pages saved
    from news sites) adds the tag's attributes the body lacks; so does a
    second ``<html>`` tag. libxml2 drops them, and the published page would
    lose the body's ``class`` that its style sheet lays the page out by.
    Tags inside comments, scripts and other raw text are no tags.
    """
    body = root.find("body")
    found = [(m.group(1).lower(), m.start()) for m in _ROOT_TAG.finditer(text)]
    if not found:
        return
    def missing(name: str, tag: str) -> list:
        el = root if name == "html" else body
        if el is None:
            return []
        return [(k, v) for k, v in _tag_attributes(tag, name) if el.get(k) is None]
    quick = [(name, _MARKUP_SCAN.match(text, start)) for name, start in found]
    if not any(m is not None and missing(name, m.group()) for name, m in quick):
        return                     # every attribute is there already: the usual page
    for m in _MARKUP_SCAN.finditer(text):   # tags only, outside comments and raw text
        tag = m.group()
        head = _ROOT_TAG.match(tag)
        if head is None:
            continue
        name = head.group(1).lower()
        el = root if name == "html" else body
        for key, value in missing(name, tag):
            try:
                el.set(key, value)
            except ValueError:     # a name lxml refuses (``@click``): kept out, as before
                pass


def adopt_late_content(root) -> None:
    """Give content after ``</body>`` or ``</html>`` to the body, as browsers do.

    libxml2 leaves it beside the body (after ``</body>``) or in a second
    ``<html>`` beside the root (after ``</html>``), where nothing reads it and
    the serializer cannot write it: the page would lose text a reader sees
    at its end. Comments before the first late content stay where they are:
    a browser keeps them out of the body too.
    """
    body = root.find("body")
    if body is None:
        return
    late: list = []                  # text and nodes, in document order (tails move along)
    if body.tail and body.tail.strip(HTML_SPACE):
        late.append(body.tail)
        body.tail = None
    for node in list(body.itersiblings()):
        if not late and not isinstance(node.tag, str):
            if node.tail and node.tail.strip(HTML_SPACE):
                late.append(node.tail)
                node.tail = None
            continue
        late.append(node)
    for extra in list(root.itersiblings()):
        if isinstance(extra.tag, str):
            late += [extra.text or ""] + list(extra)
            extra.text = None
    _fill(body, late)


def parse_html(text: str, path) -> etree._Element:
    """The page's tree as this format reads it (also for comparing pages)."""
    # lxml rejects str input that carries an XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    parser = lxml_html.HTMLParser(huge_tree=True, default_doctype=False)
    try:
        root = lxml_html.document_fromstring(_close_voids(text), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise L10nError(f"unparsable HTML: {exc}", path, 1) from None
    for err in parser.error_log:
        if "Excessive depth" in err.message:
            raise L10nError("elements nested deeper than the HTML parser's limit of 2048; "
                            "the page cannot be rebuilt faithfully", path, err.line or 1)
    if root is None or root.find("body") is None and root.find("head") is None:
        raise L10nError("unparsable HTML: no <html>, <head> or <body>", path, 1)
    if not re.search(r"<\s*(html|head|body|title|p|h[1-6]|div|article)\b", text, re.I):
        raise L10nError("not an HTML page: no html, head, body or block element", path, 1)
    if _may_hold_controls(text):
        scrub(root)
    move_void_content(root)
    adopt_late_content(root)
    adopt_root_attributes(root, text)
    return root


def _declared_lang(el) -> Optional[str]:
    """The language an element says it is in (``lang``, which HTML prefers,
    else XHTML's ``xml:lang``); None where it says nothing."""
    value = el.get("lang")
    return el.get("xml:lang") if value is None else value


def names_language(tag: Optional[str], language: str) -> bool:
    """Does the BCP 47 ``tag`` name ``language`` (a primary subtag: ``en``)?
    ``en-GB`` and ``EN`` do; ``de`` does not."""
    primary = (tag or "").strip().replace("_", "-").split("-")[0].lower()
    return bool(primary) and primary == language.lower()


def _foreign(el, source: str) -> bool:
    """Written in another language than the source, by the author's own
    ``lang``: a German quotation in an English article is not English to
    translate from. The page-level ``<html>``/``<body>`` declaration does not
    count: the project's source locale says what the pages are written in,
    and a template's stale ``lang`` must not empty a whole catalog."""
    if el.tag in ("html", "body"):
        return False
    tag = _declared_lang(el)
    if tag is None or not tag.strip(HTML_SPACE) or tag.strip(HTML_SPACE).lower() == "und":
        return False                      # empty or "undetermined": says nothing
    return not names_language(tag, source)


def _translate_no(el) -> Optional[bool]:
    """The element's own ``translate`` setting: True for ``translate="no"``
    (or Google's ``class="notranslate"``), False for ``translate="yes"``,
    None where it inherits its parent's."""
    value = el.get("translate", "").strip().lower()
    if value == "no" or "notranslate" in (el.get("class") or "").split():
        return True
    return False if value == "yes" else None


def _no_translate(el, source: str) -> bool:
    """Marked by the author as not to be translated, attributes included:
    ``translate="no"``, ``class="notranslate"``, or another language's ``lang``."""
    return _translate_no(el) is True or _foreign(el, source)


def _name(tag: str) -> str:
    """The HTML name of a tag: an XHTML page's ``svg:svg`` is an ``<svg>``
    (libxml2's HTML parser keeps the prefix as part of the name)."""
    if ":" in tag:
        local = tag.rpartition(":")[2].lower()
        if local in ("svg", "math"):
            return local
    return tag


def _text_level(tag: str) -> bool:
    """A phrasing element that may also stand alone (``TEXT_LEVEL_TAGS``);
    a name HTML does not know (a custom ``my-widget``, a prefixed
    ``st1:place``) is one too, as browsers lay unknown elements out inline."""
    return tag in TEXT_LEVEL_TAGS or "-" in tag or ":" in tag


def _phrasing(node) -> bool:
    """Could sit in a line of text: comments, phrasing and unknown elements."""
    if not isinstance(node.tag, str):
        return True
    tag = _name(node.tag)
    return tag in INLINE_TAGS or tag in ATOMIC_TAGS or _text_level(tag)


def _skipped(el, source: str) -> bool:
    if not isinstance(el.tag, str):
        return True
    return _no_translate(el, source) or (_name(el.tag) in SKIP_TAGS and el.tag != "head")


def _is_directive(node) -> bool:
    return node.tag is etree.Comment and bool(_DIRECTIVE.match(node.text or ""))


def _has_letters(text: str) -> bool:
    # placeholders and their escapes are made of digits and punctuation only
    return _LETTER.search(text) is not None


#: a query string (``a=b&c=d``, two fields at least) or percent-encoded text
_QUERY = re.compile(r"[^\s=&]+=[^\s&]*(?:&[^\s=&]+=[^\s&]*)+")
_ENCODED = re.compile(r"%[0-9A-Fa-f]{2}")


def _machine_text(value: str) -> bool:
    """An attribute value that is data for a program, not words for a reader:
    Wikipedia's COinS ``<span class="Z3988" title="ctx_ver=Z39.88-2004&rft…">``
    put a 300-character query string into the translators' queue. No space
    and a query's shape, or several percent escapes."""
    return " " not in value and (_QUERY.fullmatch(value) is not None
                                 or len(_ENCODED.findall(value)) >= 2)


class _LineCounter:
    """Source line of an offset into a run's collapsed text (one space per
    stretch of white space in ``raw``), for the ``#:`` reference of each
    sentence. Only the stretches holding a newline move the line: their
    collapsed offsets are found once, when a sentence after the first asks
    (the first starts where the run does), and each sentence is a bisection."""

    def __init__(self, raw: str, start: int, line: int):
        self.raw, self.start, self.line = raw, start, line
        self.offsets: list[int] | None = None   # collapsed offset of each stretch with newlines
        self.lines: list[int] = [line]          # the line after the first k of them

    def at(self, offset: int) -> int:
        if offset <= 0:
            return self.line
        if self.offsets is None:
            self.offsets, removed = [], 0
            for m in _WS.finditer(self.raw, self.start) if "\n" in self.raw else ():
                newlines = m.group().count("\n")
                if newlines:
                    self.offsets.append(m.start() - self.start - removed)
                    self.lines.append(self.lines[-1] + newlines)
                removed += m.end() - m.start() - 1
        return self.lines[bisect_left(self.offsets, offset)]


class _Walker:
    """Walks a parsed page and yields its runs and attributes in order."""

    def __init__(self, path: Path, lang: str, segment: str, classes=None):
        self.path = path
        self.lang = lang
        self.segment = segment
        self.classes = classes or _Everything()
        self.items: list = []
        self._inline_memo: dict = {}
        self._beside_memo: dict = {}
        self._words_memo: dict = {}
        #: elements whose head (text before their first block) went into the
        #: run of their parent, and that first block: their own runs start there
        self.heads: dict = {}

    # -- classification
    def is_inline(self, el) -> bool:
        if not isinstance(el.tag, str):
            return True  # comments and PIs sit inside runs
        key = el  # not id(el): lxml proxies are recycled, ids get reused
        if key not in self._inline_memo:
            tag = _name(el.tag)
            if _text_level(tag):
                ok = self.in_running_text(el) and (
                    tag in ATOMIC_TAGS or not self.has_words(el) or
                    all(self.is_inline(c) for c in el))
            elif tag in ATOMIC_TAGS:
                ok = True
            elif tag in INLINE_TAGS:
                ok = all(self.is_inline(c) for c in el)
            else:
                ok = False
            self._inline_memo[key] = ok
        return self._inline_memo[key]

    def in_running_text(self, el) -> bool:
        """Are there words of its parent's own beside ``el``, in its line?
        ``Press the <button>Save</button> button`` is one sentence; a row of
        buttons, a button beside a link, or a custom element alone between
        blocks is not: each is a unit of its own, with no placeholder around
        it. Inline elements around ``el`` are looked through."""
        node = el
        while True:
            parent = node.getparent()
            if parent is None:
                return False
            if self.letters_beside(parent, node):
                return True
            tag = _name(parent.tag)
            if tag not in INLINE_TAGS and not _text_level(tag):
                return False
            node = parent

    def letters_beside(self, parent, node) -> bool:
        """Letters in the loose text of ``parent`` (its own words, in no
        child element) in the stretch between blocks that holds ``node``.
        Decided by tag alone, once per parent, so no child asks another."""
        memo = self._beside_memo.get(parent)
        if memo is None:
            memo = {}
            group: list = []
            found = bool(_LETTER.search(parent.text or ""))
            for child in parent:
                if not _phrasing(child):
                    memo.update((g, found) for g in group)
                    group, found = [], bool(_LETTER.search(child.tail or ""))
                    continue
                group.append(child)
                found = found or bool(_LETTER.search(child.tail or ""))
            memo.update((g, found) for g in group)
            self._beside_memo[parent] = memo
        return memo.get(node, False)

    def is_atomic(self, el) -> bool:
        tag = _name(el.tag)
        return tag in ATOMIC_TAGS or _skipped(el, self.lang) or self.classes.hidden(el) or \
            _text_level(tag) and not self.has_words(el)

    def has_words(self, el) -> bool:
        """Text to translate inside ``el``, outside content kept whole. A
        custom element without any (MathJax's ``<mjx-container>``, an icon)
        is kept whole itself: its markup is no words of the sentence."""
        found = self._words_memo.get(el)
        if found is None:
            found = False
            stack = [el]
            while stack and not found:
                node = stack.pop()
                if node is not el and node.tail and _LETTER.search(node.tail):
                    found = True
                elif isinstance(node.tag, str) and (node is el or not (
                        _name(node.tag) in ATOMIC_TAGS or _skipped(node, self.lang) or
                        self.classes.hidden(node))):
                    found = bool(node.text and _LETTER.search(node.text))
                    stack.extend(node)
            self._words_memo[el] = found
        return found

    def head_end(self, el):
        """The first block of an inline element that holds blocks, when the
        text before it (its head) has letters, else None.

        libxml2 stretches an unclosed ``<a>`` over the blocks that follow it
        (``<p>Read <a href=…>the story <p>…``): its head is the end of the
        sentence it started in, and is read with that sentence."""
        if not isinstance(el.tag, str) or _name(el.tag) not in INLINE_TAGS or \
                self.is_atomic(el):
            return None
        letters = bool(_LETTER.search(el.text or ""))
        for child in el:
            if not self.is_inline(child):
                if letters or self.head_end(child) is not None:
                    return child
                return None
            if not letters and isinstance(child.tag, str) and not self.is_atomic(child):
                letters = any(_LETTER.search(t) for t in child.itertext())
            letters = letters or bool(_LETTER.search(child.tail or ""))
        return None

    # -- walking
    def walk(self, root) -> None:
        """Walk ``root`` in document order, with a stack of our own rather than
        Python's, so that a page nested 2000 deep (libxml2's limit) is read."""
        stack = [self.visit(root)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
            else:
                stack.append(self.visit(child))

    def visit(self, el) -> Iterator:
        """Read ``el``'s own text and attributes; yield each block child to visit."""
        if not isinstance(el.tag, str) or self.classes.hidden(el) and el.tag != "noscript":
            return
        if el.tag == "head":
            for child in el:
                self.walk_head(child)
            return
        if _skipped(el, self.lang):
            if _no_translate(el, self.lang):
                yield from self.reenabled(el)
            else:
                self.nested_attributes(el)
            return
        self.attributes(el)
        if el.tag in TEXT_ONLY_TAGS:
            self.text_only(el)
            return
        yield from self.runs(el)

    def walk_head(self, el) -> None:
        if not isinstance(el.tag, str) or _skipped(el, self.lang):
            return
        if el.tag == "title":
            self.text_only(el)
        elif el.tag == "meta":
            key = (el.get("name") or el.get("property") or "").lower()
            if key in META_NAMES:
                self.attribute(el, "content", META_NAMES[key])

    def attributes(self, el) -> None:
        if el.tag == "input" and (el.get("type") or "").strip().lower() in BUTTON_INPUTS:
            self.attribute(el, "value", "button")    # the button's label
        for attr, kind in ATTRIBUTES.items():
            if attr == "alt" and el.tag not in ("img", "area", "input", "amp-img", "amp-anim"):
                continue
            if attr == "placeholder" and el.tag not in ("input", "textarea"):
                continue
            self.attribute(el, attr, kind)

    def nested_attributes(self, el) -> None:
        """Attributes inside content kept whole: an iframe's title, the alt of an
        ``<img>`` in ``<picture>`` or ``<noscript>``, an svg's aria-label."""
        if _name(el.tag) in ATTRIBUTES_ONLY_TAGS or el.tag in ("picture", "noscript"):
            self.attributes(el)
        if el.tag in ("picture", "noscript", "video", "audio", "object"):
            # <noscript> is never rendered while scripts run, but it is the
            # picture a reader without scripts (or a crawler) gets: its alt counts.
            inside_noscript = el.tag == "noscript"
            for child in el.iter():
                if child is el or not isinstance(child.tag, str) or \
                        _no_translate(child, self.lang):
                    continue
                if self.classes.hidden(child) and not inside_noscript:
                    continue
                self.attributes(child)

    def attribute(self, el, attr: str, kind: str) -> None:
        value = _WS.sub(" ", _clean(el.get(attr) or "")).strip(HTML_SPACE)
        if value and _has_letters(markup.escape(value)) and not _machine_text(value):
            unit = Unit(markup.escape(value), kind, el.sourceline or 1,
                        scope=self.classes.scope(el))
            self.items.append(_Attr(el, attr, unit))

    def text_only(self, el) -> None:
        run = _Run(el, None, [], {}, set(), "", "", whole_parent=True)
        self.finish_run(run, markup.escape(el.text or ""), line=el.sourceline or 1)

    def runs(self, el) -> Iterator:
        children = list(el)
        current = _Run(el, None, [], {}, set(), "", "")
        parts: list = [el.text or ""]   # literal text and markup.Tag placeholders
        line = el.sourceline or 1
        has_block = False
        head_end = self.heads.get(el)
        if head_end is not None:
            parts = [""]                # the head was read with the parent's run
        for child in children:
            if head_end is not None:
                if child is not head_end:
                    continue
                head_end = None
            elif self.is_inline(child):
                current.children.append(child)
                self.inline_markup(current, child, parts)
                parts.append(child.tail or "")
                continue
            has_block = True
            if _LETTER.search(parts[0]) or \
                    any(_LETTER.search(c.tail or "") for c in current.children):
                self.open_head(current, child, parts)     # the run has words of its own
            self.finish_run(current, *self.assembled(current, parts), line=line)
            yield child
            current = _Run(el, child, [], {}, set(), "", "")
            parts = [child.tail or ""]
            line = child.sourceline or line
        current.whole_parent = not has_block
        self.finish_run(current, *self.assembled(current, parts), line=line)
        reenabled: list = []
        for child in children:
            if self.is_inline(child):
                reenabled += self.inline_attributes(child)
        yield from reenabled

    def inline_attributes(self, el) -> list:
        """Read the attributes inside an inline element; returns the elements
        in its kept-as-is parts that are given back to translation
        (``reenabled``), each to be read as a run of its own."""
        if not isinstance(el.tag, str) or self.classes.hidden(el) and el.tag != "noscript":
            return []
        if _no_translate(el, self.lang):
            return self.reenabled(el)
        if _name(el.tag) in ATOMIC_TAGS or _skipped(el, self.lang):
            if _skipped(el, self.lang) or el.tag == "picture":
                self.nested_attributes(el)
            else:
                self.attributes(el)
            if el.tag == "select":        # its options and groups: units of their own
                return [child for child in el if isinstance(child.tag, str)]
            return []
        self.attributes(el)
        return [found for child in el for found in self.inline_attributes(child)]

    def reenabled(self, el) -> list:
        """The outermost elements under ``el`` (kept as is by its author) that
        are to be translated again: ``translate`` is inherited and the nearest
        setting wins, so ``translate="yes"`` inside ``translate="no"`` is
        translated (HTML spec), and so is the source language's ``lang``
        inside another language's. Raw and code content (``SKIP_TAGS``) and
        hidden content stay skipped whatever they say."""
        if _name(el.tag) in SKIP_TAGS:
            return []
        found: list = []
        own = _translate_no(el)
        stack = [(child, bool(own), _foreign(el, self.lang)) for child in reversed(el)]
        while stack:
            node, no, foreign = stack.pop()
            if not isinstance(node.tag, str) or _name(node.tag) in SKIP_TAGS or \
                    self.classes.hidden(node):
                continue
            own = _translate_no(node)
            no = no if own is None else own
            if _declared_lang(node) is not None:
                foreign = _foreign(node, self.lang)
            if not no and not foreign:
                found.append(node)
                continue
            stack += [(child, no, foreign) for child in reversed(node)]
        return found

    def open_head(self, run: _Run, el, parts: list) -> None:
        """Read the head of ``el``, a block child that ends ``run``, as a
        paired placeholder at the run's end, when it has one (``head_end``);
        an element that starts its own head's first block is read along."""
        end = self.head_end(el)
        if end is None:
            return
        num = len(run.elements) + 1
        run.elements[num] = el
        run.opened[el] = end
        self.heads[el] = end
        parts.append(markup.Tag(num, "open", 0, 0))
        parts.append(el.text or "")
        for child in el:
            if child is end:
                break
            self.inline_markup(run, child, parts)
            parts.append(child.tail or "")
        self.open_head(run, end, parts)
        parts.append(markup.Tag(num, "close", 0, 0))

    def inline_markup(self, run: _Run, el, parts: list) -> None:
        """Append ``el`` to ``parts`` as placeholders around its literal text."""
        if not isinstance(el.tag, str) and not _is_directive(el):
            num = len(run.elements) + 1   # an id of its own, in no msgid: it keeps its place
            run.elements[num] = el
            run.atomic.add(num)
            run.comments.append(el)
            run.comment_at.append((num, len(parts)))
            return
        num = len(run.elements) + 1
        run.elements[num] = el
        if not isinstance(el.tag, str) or self.is_atomic(el):
            run.atomic.add(num)
            parts.append(markup.Tag(num, "empty", 0, 0))
            return
        parts.append(markup.Tag(num, "open", 0, 0))
        parts.append(el.text or "")
        for child in el:
            self.inline_markup(run, child, parts)
            parts.append(child.tail or "")
        parts.append(markup.Tag(num, "close", 0, 0))

    @staticmethod
    def assembled(run: _Run, parts: list) -> tuple:
        """The run's msgid-form text, and the offset into it of each comment."""
        if not run.comment_at:
            return markup.assemble(parts), ()
        return markup.assemble(parts, [at for _, at in run.comment_at])

    def finish_run(self, run: _Run, raw: str, marks=(), line: int = 1) -> None:
        dirty = _DIRTY.search(raw) is not None
        if dirty and marks:
            marks = _offsets_after(raw, marks, _clean)
        raw = _clean(raw) if dirty else raw
        if not _has_letters(raw):
            return  # nothing to read: white space, numbers, &nbsp; or markup alone
        norm = _WS.sub(" ", raw)
        stripped = norm.strip(HTML_SPACE)
        lead = raw[: len(raw) - len(raw.lstrip(HTML_SPACE))]
        if marks:
            skip = 1 if lead else 0     # the one space the leading white space became
            marks = [min(max(o - skip, 0), len(stripped))
                     for o in _offsets_after(raw, marks, _collapse)]
        run.lead_ws = lead
        run.trail_ws = raw[len(raw.rstrip(HTML_SPACE)):]
        line += lead.count("\n")
        kind = BLOCK_KINDS.get(run.parent.tag, "text") if run.after is None or \
            run.parent.tag in ("li", "dd", "td", "th", "blockquote") else "text"
        if self.segment == "sentences" and run.parent.tag not in TEXT_ONLY_TAGS:
            pieces = split_sentences(stripped, self.lang)
        else:
            pieces = [(stripped, "")]
        scope = self.classes.scope(run.parent)
        if scope == "article" and run.children and self.chrome_only(run):
            scope = "chrome"
        offset = 0
        lines = _LineCounter(raw, len(lead), line)
        holders = {el: n for n, el in run.elements.items()} if marks else {}
        placed = [(n, holders.get(run.elements[n].getparent()), at)
                  for (n, _), at in zip(run.comment_at, marks)]
        for i, (text, sep) in enumerate(pieces):
            end = offset + len(text) + len(sep)
            last = i + 1 == len(pieces)
            mine = tuple((n, holder, min(at - offset, len(text))) for n, holder, at in placed
                         if offset <= at and (at < end or last))
            ids = {t.id: None for t in markup.tags(text)}
            local = {run_id: n for n, run_id in enumerate(ids, start=1)}
            unit = None
            if _has_letters(text):
                notes = tuple(self.atomic_note(run, run_id, n) for run_id, n in local.items()
                              if run_id in run.atomic)
                unit = Unit(markup.renumber(text, local), kind, lines.at(offset), notes, scope)
            run.sentences.append(_Sentence(unit, text, sep, {n: r for r, n in local.items()},
                                           mine))
            offset += len(text) + len(sep)
        self.items.append(run)

    def chrome_only(self, run: _Run) -> bool:
        """All the run's words are in site furniture: an ad's "Supported by"
        label, a share link, alone in an article block (the unit goes where
        its words belong, not where its block is)."""
        if _LETTER.search(_slot_text(run)) or \
                any(_LETTER.search(c.tail or "") for c in run.children):
            return False
        found = False
        for child in run.children:
            if isinstance(child.tag, str) and self.has_words(child):
                if self.classes.scope(child) != "chrome":
                    return False
                found = True
        return found

    def atomic_note(self, run: _Run, run_id: int, n: int) -> str:
        el = run.elements[run_id]
        if not isinstance(el.tag, str):
            return f"placeholder <{n}/> is a server directive <!--{(el.text or '').strip()[:40]}-->"
        if el.tag == "select":       # its options, told apart
            text = " | ".join(_WS.sub(" ", option.text_content()).strip()
                              for option in el.iter("option"))
        else:
            text = _WS.sub(" ", el.text_content() if el.tag not in VOID_TAGS else "").strip()
        said = f' lang="{_WS.sub(" ", _clean(_declared_lang(el))).strip()[:20]}"' \
            if _foreign(el, self.lang) else ""
        desc = f"<{el.tag}{said}>" + (f" {text[:40]}" if text else "")
        hidden = " (hidden on the page)" if self.classes.hidden(el) else ""
        return f"placeholder <{n}/> is {desc}{hidden}"


#: Python frames enough to read and rebuild a page nested as deep as libxml2
#: parses (2048 elements; inline ones are read and rebuilt recursively, a few
#: frames a level): an old page with an unclosed <font> on each of 400 lines
#: nests that deep.
_FRAMES = 2048 * 5 + 1000


@contextmanager
def _deep_pages():
    old = sys.getrecursionlimit()
    if old < _FRAMES:
        sys.setrecursionlimit(_FRAMES)
    try:
        yield
    finally:
        if old < _FRAMES:
            sys.setrecursionlimit(old)


def _walk(raw: str, path: Path, lang: str, segment: str, rules=None):
    root = parse_html(raw, path)
    walker = _Walker(path, lang, segment, _classify(root, rules))
    try:
        with _deep_pages():
            for part in ("head", "body"):
                el = root.find(part)
                if el is not None:
                    walker.walk(el)
    except RecursionError:
        raise L10nError("elements nested too deeply to read", path, 1) from None
    _mark_lead(walker.items)
    return root, walker.items


def _mark_lead(items) -> None:
    """The first paragraph after the headline is the lead, a kind of its own."""
    runs = [i for i in items if isinstance(i, _Run)]
    kinds_of = lambda run: {s.unit.kind for s in run.sentences if s.unit is not None}  # noqa: E731
    seen_headline = not any("headline" in kinds_of(r) for r in runs)
    for run in runs:
        kinds = kinds_of(run)
        if "headline" in kinds:
            seen_headline = True
        elif seen_headline and kinds == {"paragraph"}:
            for s in run.sentences:
                if s.unit is not None:
                    s.unit = dataclasses.replace(s.unit, kind="lead")
            return


def _units(items) -> list[Unit]:
    out = []
    for item in items:
        if isinstance(item, _Attr):
            out.append(item.unit)
        else:
            out.extend(s.unit for s in item.sentences if s.unit is not None)
    return out


def read_document(path: Path, lang: str = "en", segment: str = "sentences",
                  rules=None) -> Document:
    """Read one source page into a Document of units.

    ``rules`` are the ``[tool.l10n.extract]`` selectors, passed on to the
    classifier that decides article, chrome and hidden content.
    """
    path = Path(path)
    data = read_input(path, "page")
    decoded = _decode(data, path, lang)
    root, items = _walk(decoded.text, path, lang, segment, rules)
    return Document(slug=path.stem, path=path, units=_units(items),
                    skeleton=_Skeleton(decoded.text, str(path), lang, segment, rules,
                                       (root, items)),
                    warnings=list(decoded.warnings))


# --------------------------------------------------------------------------- rebuild

Lookup = Callable[[Unit], Optional[str]]


def _shallow_copy(el):
    """``el`` with its attributes exactly as parsed and no content.

    Not ``Element(tag, attrib)``: lxml refuses names such as ``@click``.
    """
    out = copy.deepcopy(el)
    for child in list(out):
        out.remove(child)
    out.text = None
    out.tail = None
    return out


def _build(node: markup.Node, run: _Run, ids: dict[int, int],
           retag: Optional[Callable] = None) -> list:
    """The nodes of ``node`` (a parsed msgstr or msgid); ``retag`` is given
    each element rebuilt around translated words."""
    out: list = []
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
            continue
        run_id = ids.get(child.id, child.id)
        original = run.elements[run_id]
        if original in run.opened:
            el = original      # it holds its blocks: only its head is rebuilt
            if retag is not None:
                retag(el)
            _refill_head(el, _build(child, run, ids, retag), run.opened)
        elif child.empty or run_id in run.atomic:
            # the element itself, not a copy: a run inside it (translate="yes"
            # within translate="no") is rebuilt after this one, in this element
            el = original
            el.tail = None
        else:
            el = _shallow_copy(original)
            if retag is not None:
                retag(el)
            _fill(el, _build(child, run, ids, retag))
        out.append(el)
    return out


def _refill_head(el, nodes: list, opened: dict) -> None:
    """Put ``nodes`` in place of the head of ``el``, an element holding
    blocks (``_Run.opened``), before its first block."""
    end = opened[el]
    for child in list(el):
        if child is end:
            break
        el.remove(child)
    el.text = None
    nodes = _tuck(nodes, opened)
    index, last, texts = 0, None, []
    for node in nodes:
        if isinstance(node, str):
            texts.append(node)
            continue
        _set_slot(el, None, last, "".join(texts))
        texts = []
        if node is not end:
            el.insert(index, node)
        index += 1
        last = node
    if last is None or last not in opened:
        _set_slot(el, None, last, "".join(texts))


def _tuck(nodes: list, opened: dict) -> list:
    """``nodes`` up to the first element holding blocks (``_Run.opened``);
    what follows it goes into it, at the end of its head.

    Its tail is the text after its blocks, so nothing of the sentence may
    follow it there: a translation that moves words after a link which runs
    on over the next paragraphs puts them in the link, before those
    paragraphs, as the source's own words after it already are."""
    for i, node in enumerate(nodes):
        if not isinstance(node, str) and node in opened:
            if i + 1 < len(nodes):
                _append_head(node, nodes[i + 1:], opened)
            return nodes[:i + 1]
    return nodes


def _append_head(el, nodes: list, opened: dict) -> None:
    end = opened[el]
    if end in opened:                 # its head ends with the head of its first block
        _append_head(end, nodes, opened)
        return
    index = el.index(end)
    for node in nodes:
        if isinstance(node, str):
            if index:
                el[index - 1].tail = (el[index - 1].tail or "") + node
            else:
                el.text = (el.text or "") + node
        else:
            el.insert(index, node)
            index += 1


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


def _alone(nodes: list):
    """The one element among ``nodes`` when the rest is white space (or
    comments), else None."""
    elements = [n for n in nodes if not isinstance(n, str) and isinstance(n.tag, str)]
    text = "".join(n for n in nodes if isinstance(n, str))
    if len(elements) == 1 and not text.strip(HTML_SPACE) and isinstance(elements[0].tag, str) \
            and elements[0].tag not in VOID_TAGS | ATOMIC_TAGS:
        return elements[0]
    return None


def _set_mark(el, mark: dict) -> None:
    """Give ``el`` the fallback's ``lang`` (and ``dir``), unless it says its own."""
    if el.get("lang") is None:
        for name, value in mark.items():
            if el.get(name) is None:
                el.set(name, value)


def _mark(nodes: list, mark: dict, opened: dict, speaking: set) -> list:
    """Mark fallback text: on its own element where it has one, else a span.

    An element holding blocks (``_Run.opened``) ends the sentence and stays
    where it is: it is marked itself (and added to ``speaking``), the text
    before it gets a span."""
    for i, node in enumerate(nodes):
        if not isinstance(node, str) and node in opened:
            _set_mark(node, mark)
            speaking.add(node)
            before = nodes[:i]
            if any(not isinstance(n, str) or n.strip(HTML_SPACE) for n in before):
                before = _mark(before, mark, opened, speaking)
            return before + nodes[i:]
    el = _alone(nodes)
    if el is not None:
        _set_mark(el, mark)
        return nodes
    span = etree.Element("span", attrib=mark)
    _fill(span, nodes)
    return [span]


#: White space that may stand between sentences in a text spaced like the
#: locale's (not an ideographic space: that spaces CJK text).
_SENTENCE_SPACES = " \u00a0\u2009\u202f"


def _separator(s: _Sentence, fallback: bool, next_fallback: bool, joiner: str) -> str:
    """Source white space between two source sentences (none between CJK
    sentences), the locale's joiner between two translated ones."""
    if fallback and next_fallback:
        return s.sep
    if not fallback and not next_fallback:
        # a no-break space the author put after a full stop (". That")
        # stays, where the locale spaces its sentences too
        return s.sep if joiner == " " and s.sep and not s.sep.strip(_SENTENCE_SPACES) \
            else joiner
    return s.sep or joiner


def _rebuild_run(run: _Run, chosen: list, joiner: str, mark: Optional[dict],
                 retag: Optional[Callable]) -> set:
    """Returns the existing elements now marked as the source language."""
    marking = mark and run.parent.tag not in TEXT_ONLY_TAGS
    speaking: set = set()
    nodes: list = []
    pending: list = []
    for i, (text, fallback, s) in enumerate(chosen):
        node, ids = _with_comments(s, text, run)
        built = _build(node, run, ids, None if fallback else retag)
        last = i + 1 == len(chosen)
        next_fallback = not last and chosen[i + 1][1]
        sep = "" if last else _separator(s, fallback, next_fallback, joiner)
        if fallback and marking and s.unit is not None:
            pending.extend(built)
            if next_fallback and chosen[i + 1][2].unit is not None:
                pending.append(sep)
                continue
            nodes.extend(_mark(pending, mark, run.opened, speaking))
            pending = []
            nodes.append(sep)
        else:  # translated, or no letters ("12:30"): in no language, never marked
            nodes.extend(built)
            nodes.append(sep)
    placed = {run.elements[n] for s in run.sentences for n, _, _ in s.comments}
    for comment in run.comments:
        if comment not in placed:
            kept = copy.deepcopy(comment)
            kept.tail = None
            nodes.append(kept)
    _replace_run(run, [run.lead_ws] + nodes + [run.trail_ws])
    return speaking


#: Placeholder ids, in no msgid or msgstr, of the comments put back into a
#: sentence (``_with_comments``).
_COMMENT_IDS = 10 ** 9


def _with_comments(s: _Sentence, text: str, run: _Run) -> tuple:
    """The parsed ``text`` of sentence ``s``, its comments put back, and the
    placeholder ids to build it with.

    Comments are no words of the msgid, but they are the page's: a
    framework's markers (``<!-- react-text -->``, Knockout's ``<!-- ko -->``),
    a conditional comment, a note. Where ``text`` is the source's own (a
    fallback, or a translation that kept every word) each goes back exactly
    where it was; in a translation, at the end of the element that held it,
    so that no comment leaves its element.
    """
    if not s.comments:
        return markup.parse(text), s.ids
    ids = dict(s.ids)
    tokens = []
    for k, (n, _, _) in enumerate(s.comments):
        ids[_COMMENT_IDS + k] = n
        tokens.append(f"<{_COMMENT_IDS + k}/>")
    local = {r: n for n, r in s.ids.items()}
    if text == markup.renumber(s.text, local):
        marked = s.text
        for k in reversed(range(len(s.comments))):     # from the end: earlier offsets hold
            at = s.comments[k][2]
            marked = marked[:at] + tokens[k] + marked[at:]
        marked = markup.renumber(marked, local)
        if markup.strip(marked) == markup.strip(text) and \
                markup.signature(marked) == markup.signature(text) + Counter(tokens) and \
                markup.nesting_problem(marked) is None:
            return markup.parse(marked), ids
    root = markup.parse(text)
    holders: dict = {}
    stack = [root]
    while stack:
        for child in stack.pop().children:
            if isinstance(child, markup.Node):
                holders[child.id] = child
                stack.append(child)
    for k, (_, holder, _) in enumerate(s.comments):
        target = holders.get(local.get(holder)) if holder is not None else None
        if target is None or target.empty:
            target = root
        target.children.append(markup.Node(_COMMENT_IDS + k, empty=True))
    return root, ids


def _slot_text(run: _Run) -> str:
    return (run.parent.text if run.after is None else run.after.tail) or ""


def _mark_in_place(run: _Run, mark: dict):
    """Mark a run that stays as it is, in an element that also holds
    translated text or attributes: an inline element holding the run alone
    gets ``lang``; otherwise a span is wrapped around the original nodes, so
    nothing inside changes. An element holding blocks whose head ends the
    run (``_Run.opened``) stays as it is and is marked itself. Returns the
    existing elements whose ``lang`` now speaks for the run."""
    parent = run.parent
    if run.whole_parent and parent.tag in TEXT_ONLY_TAGS:
        _set_mark(parent, mark)
        return [parent]
    speaking = []
    for el in run.opened:
        if el.getparent() is parent:     # the outermost: it holds the others' heads
            _set_mark(el, mark)
            speaking.append(el)
    slot = _slot_text(run)
    if not slot.strip(HTML_SPACE) and len(run.children) == 1:
        only = run.children[0]
        tail = only.tail or ""
        if isinstance(only.tag, str) and not tail.strip(HTML_SPACE) and \
                only.tag not in ATOMIC_TAGS | VOID_TAGS:
            _set_mark(only, mark)
            return speaking + [only]
    span = etree.Element("span", attrib=mark)
    slot = _clean(slot)  # lxml cannot move text holding control characters
    lead = slot[: len(slot) - len(slot.lstrip(HTML_SPACE))]
    if run.children:
        last = run.children[-1]
        tail = _clean(last.tail or "")
        inner_tail = tail.rstrip(HTML_SPACE)
        trail = tail[len(inner_tail):]
        last.tail = inner_tail
        span.text = slot[len(lead):]
        _set_slot(parent, run.after, None, lead)
        index = parent.index(run.children[0])
        parent.insert(index, span)
        for child in run.children:
            span.append(child)
        span.tail = trail
    else:
        body = slot[len(lead):]
        inner = body.rstrip(HTML_SPACE)
        span.text = inner
        span.tail = body[len(inner):]
        _set_slot(parent, run.after, None, lead)
        parent.insert(0 if run.after is None else parent.index(run.after) + 1, span)
    return speaking


def _replace_run(run: _Run, nodes: list) -> None:
    parent = run.parent
    for child in run.children:
        if child.getparent() is parent:    # an atomic one may be in its new place already
            parent.remove(child)
    nodes = _tuck(nodes, run.opened)
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
    if last is None or last not in run.opened:  # its tail is the next run's text
        _set_slot(parent, run.after, last, "".join(texts))


def _set_slot(parent, after, last, text: str) -> None:
    if last is not None:
        last.tail = text
    elif after is not None:
        after.tail = text
    else:
        parent.text = text


def _choose(run: _Run, lookup: Lookup) -> Optional[list]:
    """Each sentence's text to publish, and whether it is the source's
    (fallback); None when the whole run stays source text, untouched."""
    # every sentence looked up first: a run with no usable translation (every
    # run of the source-language page) is left before any text is renumbered
    texts = [lookup(s.unit) if s.unit is not None else None for s in run.sentences]
    oks = [text is not None and markup.compare(s.unit.text, text) is None
           for s, text in zip(run.sentences, texts)]
    if not any(oks):
        return None
    # run-level ids for the source text; the msgstr uses the unit's own
    return [(_clean(text) if ok else markup.renumber(s.text, {r: n for n, r in s.ids.items()}),
             not ok, s) for s, text, ok in zip(run.sentences, texts, oks)]


def _with_ancestors(elements: list) -> set:
    """``elements`` and every element holding one of them."""
    out: set = set()
    for el in elements:
        while el is not None and el not in out:
            out.add(el)
            el = el.getparent()
    return out


def _mark_fallback(runs: list, mixed: set, mark: dict) -> set:
    """Mark source text left on a translated page without changing its elements.

    A run's own element gets ``lang`` when it holds no translation: a
    paragraph, or a ``<div>`` whose loose text sits beside untranslated
    blocks. Only a run that shares its element with translated text or a
    translated attribute (``mixed``: those and their ancestors) needs a
    marking of its own (``_mark_in_place``). Returns the elements of
    ``mixed`` whose own ``lang`` now says the source language.
    """
    speaking: set = set()
    for run in runs:
        if run.parent in mixed:
            speaking.update(_mark_in_place(run, mark))
        else:
            _set_mark(run.parent, mark)
    return speaking


def _retagger(source: str, target: str) -> Callable:
    """Make an element's ``lang``/``xml:lang`` that names the source language
    name the target: it now holds translated words, and a ``lang="en-GB"``
    around German would have screen readers and hyphenation read it as
    English. Another language's tag is the author's and stays."""
    def retag(el) -> None:
        for name in ("lang", "xml:lang"):
            value = el.get(name)
            if value is not None and value != target and names_language(value, source):
                el.set(name, target)
    return retag


_CONTENT_CHARSET = re.compile(r"(charset\s*=\s*)[\"']?[^\s;\"']*[\"']?", re.I)


def _declare_utf8(root) -> None:
    """The page is written as UTF-8, so its declaration must say so.

    A page that declared nothing (its server sent the charset) gets
    ``<meta charset="utf-8">``: a static host sends none, and a browser would
    read the UTF-8 as windows-1252.
    """
    declared = False
    for meta in root.iter("meta"):
        if meta.get("charset") is not None:
            declared = True
            if meta.get("charset").strip().lower() != "utf-8":
                meta.set("charset", "utf-8")
        if (meta.get("http-equiv") or "").strip().lower() == "content-type":
            content = meta.get("content") or ""
            fixed = _CONTENT_CHARSET.sub(lambda m: m.group(1) + "utf-8", content)
            declared = declared or fixed != content or "utf-8" in content.lower()
            if fixed != content:
                meta.set("content", fixed)
    if not declared:
        head = root.find("head")
        if head is None:
            head = etree.Element("head")
            root.insert(0, head)
        meta = etree.Element("meta", charset="utf-8")
        meta.tail = head.text
        head.text = None
        head.insert(0, meta)


def _fallback_mark(fallback_lang: Optional[str], direction: Optional[str]) -> Optional[dict]:
    """Attributes for source text left on a page: its ``lang``, and its ``dir``
    when that differs from the page's (English inside an Arabic page)."""
    if not fallback_lang:
        return None
    mark = {"lang": fallback_lang}
    if direction:
        try:
            own = get_locale(fallback_lang).direction
        except L10nError:
            own = None
        if own and own != direction:
            mark["dir"] = own
    return mark


def render(document: Document, lookup: Lookup, lang_attr: Optional[str] = None,
           direction: Optional[str] = None, joiner: str = " ",
           fallback_lang: Optional[str] = None) -> etree._Element:
    """Rebuild ``document`` with translations from ``lookup``.

    ``lookup`` returns a msgstr or None; a None, or a msgstr whose
    placeholders do not match, falls back to the source text, marked with
    ``fallback_lang`` when that is given (a translated page; then a ``lang``
    of the source language on translated text becomes ``lang_attr``).
    Returns the page's root element for the publisher to decorate and
    ``serialize``.
    """
    sk: _Skeleton = document.skeleton
    if sk.parsed is not None:
        root, items = _copy_parsed(*sk.parsed)     # the very tree its units came from
    else:
        root, items = _walk(sk.raw, Path(sk.source), sk.lang, sk.segment, sk.rules)
        if _units(items) != document.units:
            raise L10nError("source changed while publishing; run `l10n extract` again",
                            sk.source)
    mark = _fallback_mark(fallback_lang, direction)
    try:
        with _deep_pages():
            return _render(sk, root, items, lookup, lang_attr, direction, joiner, mark)
    except RecursionError:
        raise L10nError("elements nested too deeply to rebuild", sk.source, 1) from None


def _render(sk: _Skeleton, root, items: list, lookup: Lookup, lang_attr: Optional[str],
            direction: Optional[str], joiner: str, mark: Optional[dict]) -> etree._Element:
    retag = _retagger(sk.lang, lang_attr) if mark and lang_attr else None
    translated: list = []   # elements now holding translated text
    untouched: list = []    # runs left entirely in the source language
    runs_done: list = []    # elements whose runs hold translated text
    for item in items:
        if isinstance(item, _Attr):
            text = lookup(item.unit)
            if text is not None and not markup.tags(text):
                if text != item.unit.text:  # the same words: the value as written, spaces and all
                    item.element.set(item.attr, _clean(markup.unescape(text)))
                translated.append(item.element)
    rebuilds: list = []
    for item in items:
        if isinstance(item, _Run):
            chosen = _choose(item, lookup)
            if chosen is None:
                untouched.append(item)
            else:
                rebuilds.append((item, chosen))
                translated.append(item.parent)
                runs_done.append(item.parent)
    # the elements holding translations, found before any rebuild adds the
    # spans that mark English sentences (those are not to be retagged)
    mixed = _with_ancestors(translated) if mark else set()
    marked: set = set()    # existing elements the rebuilds marked as the source's
    for run, chosen in rebuilds:
        marked |= _rebuild_run(run, chosen, joiner, mark, retag)
    if mark:
        speaking = _mark_fallback(untouched, mixed, mark) | marked
        if retag is not None:
            for el in mixed - speaking:
                if not _no_translate(el, sk.lang):     # kept as is, lang and all
                    retag(el)
            retag(root)     # its lang is the page's, below; an xml:lang must agree
    _declare_utf8(root)
    if lang_attr:
        root.set("lang", lang_attr)
        if retag is not None:
            _claim_translations(runs_done, lang_attr, sk.lang)
    if direction:
        root.set("dir", direction)
    return root


def _claim_translations(parents: list, target: str, source: str) -> None:
    """Translated text inside an element still saying the source language
    gets a ``lang`` of its own: a run given back to translation
    (``translate="yes"``) inside English kept as is, or inside the span
    that marks the English sentence around it."""
    for el in parents:
        holder = next((a for a in el.iterancestors() if a.get("lang") is not None), None) \
            if el.get("lang") is None else el
        if holder is not None and names_language(holder.get("lang"), source) and \
                holder.get("lang") != target:
            el.set("lang", target)


def _copy_parsed(root, items: list) -> tuple:
    """A fresh copy of a page's tree, and its items pointing into the copy."""
    copy_root = copy.deepcopy(root.getroottree()).getroot()
    twin = dict(zip(root.iter(), copy_root.iter()))
    out: list = []
    for item in items:
        if isinstance(item, _Attr):
            out.append(_Attr(twin[item.element], item.attr, item.unit))
            continue
        out.append(dataclasses.replace(
            item, parent=twin[item.parent], after=twin.get(item.after),
            children=[twin[c] for c in item.children],
            elements={n: twin[e] for n, e in item.elements.items()},
            comments=[twin[c] for c in item.comments],
            opened={twin[e]: twin[end] for e, end in item.opened.items()}))
    return copy_root, out


# --------------------------------------------------------------------------- writing

_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", '"': "&quot;"})


def _start_tag(el) -> str:
    parts = [el.tag]
    for name, value in el.items():
        parts.append(f'{name}="{value.translate(_ATTR_ESCAPES)}"')
    return "<" + " ".join(parts) + ">"


def _node(node, out: list, raw: bool) -> None:
    """Write a comment or PI (``raw``: inside a raw-text element)."""
    if node.tag is etree.Comment:
        out.append(f"<!--{node.text or ''}-->")
    elif node.tag is etree.PI:
        out.append(f"<?{node.target} {node.text or ''}>" if node.text else f"<?{node.target}>")
    elif node.tag is etree.Entity:
        out.append(node.text or "")


def _write(root, out: list) -> None:
    """Iteratively, so that a page nested 2000 deep does not exhaust the stack."""
    # stack of (element, raw-text context); None marks "write the end tag of the next"
    stack: list = [(root, False, False)]
    while stack:
        el, raw, closing = stack.pop()
        if closing:
            if el.tag not in VOID_TAGS:
                out.append(f"</{el.tag}>")
            if el.tail:
                out.append(el.tail if raw else el.tail.translate(_TEXT_ESCAPES))
            continue
        if not isinstance(el.tag, str):
            _node(el, out, raw)
            if el.tail:
                out.append(el.tail if raw else el.tail.translate(_TEXT_ESCAPES))
            continue
        out.append(_start_tag(el))
        inner_raw = el.tag in RAW_TEXT_TAGS
        if el.text:
            out.append(el.text if inner_raw else el.text.translate(_TEXT_ESCAPES))
        if el.tag == "plaintext":
            return   # the rest of the file is its text: an end tag would be shown as text
        stack.append((el, raw, True))
        for child in reversed(el):
            stack.append((child, inner_raw, False))


def serialize(root: etree._Element) -> str:
    """The page as HTML text, to be written as UTF-8.

    A parsed page keeps exactly the doctype it had (none if none); a page the
    publisher built itself (no source line) gets ``<!DOCTYPE html>``.
    """
    out: list[str] = []
    doctype = root.getroottree().docinfo.doctype
    if not doctype and root.sourceline is None:
        doctype = "<!DOCTYPE html>"
    if doctype:
        out.append(doctype + "\n")
    for node in reversed(list(root.itersiblings(preceding=True))):
        _node(node, out, False)
        out.append("\n")
    _write(root, out)
    for node in root.itersiblings():
        if isinstance(node.tag, str):
            continue          # a second <html>, emptied into the body when read
        out.append("\n")
        _node(node, out, False)
    return "".join(out).rstrip("\n") + "\n"


#: Kinds whose text lands in an attribute or a text-only element: no markup at all.
PLAIN_TEXT_KINDS = frozenset(ATTRIBUTES.values()) | frozenset(META_NAMES.values()) | \
    {BLOCK_KINDS[t] for t in TEXT_ONLY_TAGS}

#: Every unit kind this reader produces, for validating publish policies.
KINDS = frozenset(BLOCK_KINDS.values()) | frozenset(ATTRIBUTES.values()) | \
    frozenset(META_NAMES.values()) | {"lead", "text"}
