"""Plain data passed between the stages.

A ``Document`` is what a format reader makes of one source page: its units
in document order plus an opaque skeleton that only the same format module
can turn back into a page. Nothing here knows HTML or gettext.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Unit:
    """One translatable string: a sentence, a whole block, or an attribute."""
    text: str                      # msgid, inline markup as <1>…</1> and <2/>
    kind: str                      # headline, heading, paragraph, caption, alt text…
    line: int                      # line in the source file, for #: references
    notes: tuple[str, ...] = ()    # extracted comments for translators
    #: "article": the page's own catalog; "chrome": site template text (menus,
    #: footers, share widgets), one site-wide catalog translated once for every page
    scope: str = "article"


@dataclass
class Document:
    slug: str
    path: Path                     # the source file
    units: list[Unit]
    skeleton: Any = field(default=None, repr=False)
    format: str = "html"           # the name in l10n_tool.formats.REGISTRY
    #: what the reader noticed but could work around (a wrong declared charset)
    warnings: list[str] = field(default_factory=list)
