"""Templates: one POT per source page (its article units) and one for the
site (every page's chrome units), one entry per distinct text."""

from __future__ import annotations

import polib

from l10n_tool.catalog.io import header
from typing import Iterable

from l10n_tool.document import Unit


def template(units: Iterable[tuple[Unit, str]], project: str, annotate=None) -> polib.POFile:
    """Build a POT from ``(unit, source file)`` pairs, in order.

    ``annotate(text)`` may return extra extracted comments for a unit (the
    glossary terms it uses); same-text units share one entry, with every
    place they occur as a ``#:`` reference.
    """
    pot = polib.POFile(wrapwidth=78)
    pot.metadata = header(None, project)
    by_key: dict[str, polib.POEntry] = {}
    seen: dict[str, set] = {}       # each entry's references, for a site's chrome: 10,000 of them
    for unit, source_ref in units:
        entry = by_key.get(unit.text)
        if entry is None:
            notes = list(unit.notes) + list(annotate(unit.text) if annotate else [])
            entry = polib.POEntry(msgid=unit.text, msgstr="", occurrences=[],
                                  comment="\n".join([unit.kind] + notes))
            by_key[unit.text] = entry
            seen[unit.text] = set()
            pot.append(entry)
        else:
            kinds = entry.comment.split("\n")
            if unit.kind not in kinds[0].split(", "):
                kinds[0] = f"{kinds[0]}, {unit.kind}"
                entry.comment = "\n".join(kinds)
        ref = (source_ref, str(unit.line))
        if ref not in seen[unit.text]:
            seen[unit.text].add(ref)
            entry.occurrences.append(ref)
    return pot


