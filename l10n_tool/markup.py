"""The placeholder syntax used in msgids: ``<1>…</1>`` and ``<2/>``.

One module owns it because three stages must agree on it: the HTML reader
that writes it, the publisher that turns it back into elements, and the
checks and MT protection that compare msgid and msgstr.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

TAG_RE = re.compile(r"<(/?)(\d+)(/?)>")


@dataclass(frozen=True)
class Tag:
    id: int
    kind: str      # open | close | empty
    start: int
    end: int

    def __str__(self) -> str:
        return {"open": f"<{self.id}>", "close": f"</{self.id}>", "empty": f"<{self.id}/>"}[self.kind]


def tags(text: str) -> list[Tag]:
    out = []
    for m in TAG_RE.finditer(text):
        closing, num, empty = m.groups()
        if closing and empty:
            continue  # "</1/>" is not a placeholder, leave it as text
        kind = "close" if closing else "empty" if empty else "open"
        out.append(Tag(int(num), kind, m.start(), m.end()))
    return out


def signature(text: str) -> Counter:
    return Counter(str(t) for t in tags(text))


def strip(text: str) -> str:
    """The text a reader sees: placeholders removed."""
    return TAG_RE.sub("", text)


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
    """Parse well-nested placeholder text into a tree (callers check first)."""
    root = Node(None)
    stack = [root]
    pos = 0
    for t in tags(text):
        if t.start > pos:
            stack[-1].children.append(text[pos:t.start])
        pos = t.end
        if t.kind == "empty":
            stack[-1].children.append(Node(t.id, empty=True))
        elif t.kind == "open":
            node = Node(t.id)
            stack[-1].children.append(node)
            stack.append(node)
        else:
            stack.pop()
    if pos < len(text):
        stack[-1].children.append(text[pos:])
    return root


def renumber(text: str, mapping: dict[int, int]) -> str:
    """Rewrite placeholder ids through ``mapping`` (ids not in it are kept)."""
    def sub(m: re.Match) -> str:
        closing, num, empty = m.groups()
        return f"<{closing}{mapping.get(int(num), int(num))}{empty}>"
    return TAG_RE.sub(sub, text)
