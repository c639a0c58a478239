"""The placeholder syntax used in msgids: ``<1>…</1>`` and ``<2/>``.

One module owns it because every stage must agree on it: the HTML reader
that writes it, the publisher that turns it back into elements, the checks
and MT protection that compare msgid and msgstr.

For translators
---------------
``<1>…</1>`` is a link or emphasis around some words, ``<2/>`` a line break,
an image or code kept whole. Keep each one, move it where the grammar needs
it.

Source text can itself contain something that looks like a placeholder (a
manual saying "type <1> to open"). So that it can never be mistaken for
markup, it is written with a backslash in front: ``\\<1>``, ``\\</2>``,
``\\<3/>`` are the literal text ``<1>``, ``</2>``, ``<3/>``. Copy them as they
are; the page shows them without the backslash. Only a backslash right
before such a token is special: a literal backslash there is doubled
(``\\\\<1>`` is a backslash followed by placeholder ``<1>``); every other
backslash (``C:\\temp``) is plain text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterator, Union

#: A placeholder-shaped token and the backslashes right before it.
TOKEN_RE = re.compile(r"(\\*)<(/?)(\d+)(/?)>")
#: Kept for callers that match bare tokens; does not know about escapes.
TAG_RE = re.compile(r"<(/?)(\d+)(/?)>")


@dataclass(frozen=True)
class Tag:
    id: int
    kind: str      # open | close | empty
    start: int     # at the "<" (escaping backslashes before it are text)
    end: int

    def __str__(self) -> str:
        return {"open": f"<{self.id}>", "close": f"</{self.id}>", "empty": f"<{self.id}/>"}[self.kind]


def _scan(text: str) -> Iterator[Union[str, Tag]]:
    """Literal text (escapes resolved) and placeholders, in order."""
    pos = 0
    literal: list[str] = []
    for m in TOKEN_RE.finditer(text):
        slashes, closing, num, empty = m.groups()
        if closing and empty:
            continue  # "</1/>" is not a placeholder, so it needs no escape either
        n = len(slashes)
        token_at = m.start() + n
        literal.append(text[pos:m.start()] + "\\" * (n // 2))
        if n % 2:      # escaped: literal token
            literal.append(text[token_at:m.end()])
        else:
            yield "".join(literal)
            literal = []
            kind = "close" if closing else "empty" if empty else "open"
            yield Tag(int(num), kind, token_at, m.end())
        pos = m.end()
    literal.append(text[pos:])
    yield "".join(literal)


def escape(text: str) -> str:
    """Literal text → msgid text: placeholder-shaped tokens get a backslash."""
    def sub(m: re.Match) -> str:
        slashes, closing, num, empty = m.groups()
        if closing and empty:
            return m.group()
        return "\\" * (2 * len(slashes) + 1) + m.group()[len(slashes):]
    return TOKEN_RE.sub(sub, text)


def assemble(parts, marks=None):
    """Msgid text from literal strings and ``Tag`` placeholders, in order.

    The one way to write a msgid from source text: besides escaping tokens,
    a literal backslash right before a placeholder must be doubled too, which
    only the writer that knows what comes next can do.

    With ``marks`` (ascending indices into ``parts``), returns the text and
    the offset into it of each mark: where something kept out of the text
    (a comment) sat, right before ``parts[index]``.
    """
    out: list[str] = []
    literal: list[str] = []
    done = 0                      # length of out
    literal_len, plain = 0, True  # of literal; plain: no "<", so escape keeps its length
    offsets: list[int] = []
    pending = iter(marks or ())
    mark = next(pending, None)
    for i, part in enumerate(parts):
        while mark is not None and mark <= i:
            offsets.append(done + (literal_len if plain else len(escape("".join(literal)))))
            mark = next(pending, None)
        if isinstance(part, Tag):
            text = escape("".join(literal))
            bare = text.rstrip("\\")
            piece = bare + "\\" * (2 * (len(text) - len(bare))) + str(part)
            out.append(piece)
            done += len(piece)
            literal, literal_len, plain = [], 0, True
        else:
            literal.append(part)
            literal_len += len(part)
            plain = plain and "<" not in part
    out.append(escape("".join(literal)))
    text = "".join(out)
    if marks is None:
        return text
    while mark is not None:
        offsets.append(len(text))
        mark = next(pending, None)
    return text, offsets


def unescape(text: str) -> str:
    """Msgid text with no placeholders → the literal text a reader sees."""
    return strip(text)


# Text without "<" has no placeholder and no escape (escapes only come before
# tokens): most sentences of an article, asked about by every stage.

def tags(text: str) -> list[Tag]:
    if "<" not in text:
        return []
    return [t for t in _scan(text) if isinstance(t, Tag)]


def signature(text: str) -> Counter:
    return Counter(str(t) for t in tags(text))


def strip(text: str) -> str:
    """The text a reader sees: placeholders removed, escapes resolved."""
    if "<" not in text:
        return text
    return "".join(t for t in _scan(text) if isinstance(t, str))


def nesting_problem(text: str) -> str | None:
    """Return why the placeholders of ``text`` are not well nested, or None."""
    stack: list[int] = []
    for t in tags(text):
        if t.kind == "open":
            stack.append(t.id)
        elif t.kind == "close":
            if not stack:
                return f"{t} closes nothing"
            if stack[-1] != t.id:
                return f"{t} closes <{stack[-1]}>"
            stack.pop()
    if stack:
        return f"<{stack[-1]}> is never closed"
    return None


def compare(msgid: str, msgstr: str) -> str | None:
    """Why ``msgstr`` cannot stand in for ``msgid``'s markup, or None if it can."""
    if "<" not in msgid and "<" not in msgstr:
        return None
    want, got = signature(msgid), signature(msgstr)
    if want != got:
        missing = sorted((want - got).elements())
        extra = sorted((got - want).elements())
        parts = []
        if missing:
            parts.append("missing " + " ".join(missing))
        if extra:
            parts.append("unexpected " + " ".join(extra))
        return "; ".join(parts)
    return nesting_problem(msgstr)


@dataclass
class Node:
    """A parsed placeholder span: ``id`` None for the root."""
    id: int | None
    empty: bool = False
    children: list = None  # list[str | Node]

    def __post_init__(self):
        if self.children is None:
            self.children = []


def parse(text: str) -> Node:
    """Parse well-nested placeholder text into a tree (callers check first).

    Text children are literal text, escapes resolved: what the page shows.
    """
    root = Node(None)
    stack = [root]
    for t in _scan(text):
        if isinstance(t, str):
            if t:
                stack[-1].children.append(t)
        elif t.kind == "empty":
            stack[-1].children.append(Node(t.id, empty=True))
        elif t.kind == "open":
            node = Node(t.id)
            stack[-1].children.append(node)
            stack.append(node)
        elif len(stack) > 1:
            stack.pop()
    return root


def renumber(text: str, mapping: dict[int, int]) -> str:
    """Rewrite placeholder ids through ``mapping`` (ids not in it are kept)."""
    def sub(m: re.Match) -> str:
        slashes, closing, num, empty = m.groups()
        if len(slashes) % 2 or (closing and empty):
            return m.group()
        return f"{slashes}<{closing}{mapping.get(int(num), int(num))}{empty}>"
    return TOKEN_RE.sub(sub, text)
