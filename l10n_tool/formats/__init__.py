"""Source formats: one reader/writer contract, one registry.

A format reads a source file into a ``Document`` (units + an opaque
skeleton) and rebuilds a localised page from it; nothing outside the format's
own module knows its markup. Publish, extract and the checks reach a format
only through ``for_path`` / ``get`` here, so a new format is one module plus
one line in ``REGISTRY``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from l10n_tool.document import Document, Unit
from l10n_tool.errors import L10nError

#: lookup(unit) → the msgstr to publish, or None to keep the source text.
Lookup = Callable[[Unit], Optional[str]]


@dataclass(frozen=True)
class SourceFormat:
    name: str
    suffixes: tuple[str, ...]
    #: read(path, lang, segment, rules) → Document; rules: [tool.l10n.extract] or None
    read: Callable[..., Document]
    #: render(document, lookup, lang_attr=, direction=, joiner=, fallback_lang=) → page tree
    render: Callable[..., Any]
    #: serialize(page tree) → the page's text
    serialize: Callable[[Any], str]
    #: every unit kind the reader produces (for validating publish policies)
    kinds: frozenset[str]
    #: kinds whose text may hold no markup at all (attributes, <title>)
    plain_text_kinds: frozenset[str]


def _html() -> SourceFormat:
    from l10n_tool.formats import html
    return SourceFormat("html", (".html", ".htm"), html.read_document, html.render,
                        html.serialize, html.KINDS, html.PLAIN_TEXT_KINDS)


#: name → factory (formats import their parser only when used)
REGISTRY: dict[str, Callable[[], SourceFormat]] = {"html": _html}
#: the suffixes of registered formats, where known without loading them: listing
#: a source folder (every command does) then imports no parser
SUFFIXES: dict[str, tuple[str, ...]] = {"html": (".html", ".htm")}


def _suffixes(name: str) -> tuple[str, ...]:
    factory = REGISTRY[name]
    return SUFFIXES[name] if factory is _html else factory().suffixes


def get(name: str) -> SourceFormat:
    try:
        return REGISTRY[name]()
    except KeyError:
        raise L10nError(f"unknown source format {name!r}; known: {', '.join(REGISTRY)}") from None


def suffixes() -> tuple[str, ...]:
    return tuple(s for name in REGISTRY for s in _suffixes(name))


def for_path(path: Path) -> SourceFormat:
    suffix = Path(path).suffix.lower()
    for name in REGISTRY:
        if suffix in _suffixes(name):
            return get(name)
    raise L10nError(f"no source format reads {suffix or 'files without a suffix'}", path)


def all_kinds() -> frozenset[str]:
    return frozenset().union(*(get(n).kinds for n in REGISTRY))


def unknown_kinds(kinds) -> list[str]:
    """The names in ``kinds`` that no source format produces (a policy's typo)."""
    return sorted(set(kinds) - all_kinds())


def plain_text_kinds() -> frozenset[str]:
    return frozenset().union(*(get(n).plain_text_kinds for n in REGISTRY))
