"""Merging a fresh template into a locale's PO file, as ``msgmerge --previous`` does.

Nothing translated is ever dropped: an entry whose text left the template
becomes obsolete (``#~``) with every field a translator wrote.
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass
from typing import Iterable

import polib

from l10n_tool.catalog.io import header
from l10n_tool.catalog.state import is_reviewed, is_translated, key
from l10n_tool.locales import LocaleInfo

#: msgmerge's similarity cut-off for fuzzy matches.
FUZZY_CUTOFF = 0.6

@dataclass
class MergeResult:
    po: polib.POFile
    kept: int = 0
    new: int = 0
    reused: int = 0        # exact matches from other files of the locale
    fuzzy: int = 0         # changed units matched to their old translation
    obsolete: int = 0
    created: bool = False


def translation_memory(pos: Iterable[polib.POFile]) -> dict[tuple, str]:
    """Reviewed translations of a locale, for exact-match reuse."""
    memory: dict[tuple, str] = {}
    for po in pos:
        for entry in po:
            if is_reviewed(entry):
                memory.setdefault(key(entry), entry.msgstr)
    return memory


def _copy_template_entry(t: polib.POEntry) -> polib.POEntry:
    return polib.POEntry(msgid=t.msgid, msgctxt=t.msgctxt, msgstr="",
                         occurrences=list(t.occurrences), comment=t.comment, flags=[])


def merge(pot: polib.POFile, po: polib.POFile | None, locale: LocaleInfo,
          project: str, memory: dict[tuple, str] | None = None) -> MergeResult:
    """Merge a template into a locale's PO file; nothing translated is dropped."""
    result = MergeResult(po=polib.POFile(wrapwidth=78), created=po is None)
    out = result.po
    if po is None:
        out.metadata = header(locale, project)
        old_entries: list[polib.POEntry] = []
    else:
        out.metadata = dict(po.metadata)
        for name, value in header(locale, project).items():
            if name in ("Language", "Plural-Forms", "Content-Type") or name not in out.metadata:
                out.metadata[name] = value
        out.metadata_is_fuzzy = po.metadata_is_fuzzy
        old_entries = [e for e in po if e.msgid or e.msgctxt]
    old = {key(e): e for e in old_entries}
    memory = memory or {}
    used: set[tuple] = set()
    pending: list[polib.POEntry] = []
    for t in pot:
        entry = _copy_template_entry(t)
        prev = old.get(key(t))
        if prev is not None:
            used.add(key(t))
            entry.msgstr = prev.msgstr
            entry.flags = [f for f in prev.flags]
            entry.tcomment = prev.tcomment
            if "fuzzy" in entry.flags:
                entry.previous_msgid = prev.previous_msgid
                entry.previous_msgctxt = prev.previous_msgctxt
            result.kept += 1
            if not entry.msgstr and key(t) in memory:
                entry.msgstr = memory[key(t)]
                result.reused += 1
        elif key(t) in memory:
            entry.msgstr = memory[key(t)]
            result.reused += 1
        else:
            pending.append(entry)
            result.new += 1
        out.append(entry)

    candidates = [e for e in old_entries if key(e) not in used and e.msgstr]
    for entry, source in _fuzzy_pairs(pending, candidates):
        used.add(key(source))
        entry.msgstr = source.msgstr
        entry.tcomment = source.tcomment
        entry.flags = ["fuzzy"] + [f for f in source.flags if f != "fuzzy"]
        entry.previous_msgid = source.msgid
        entry.previous_msgctxt = source.msgctxt
        result.fuzzy += 1
        result.new -= 1

    for e in old_entries:
        translated = is_translated(e) or any(e.msgstr_plural.values())
        if key(e) in used or not (translated or e.tcomment):
            continue
        gone = copy.copy(e)     # every field a translator wrote, plural forms included
        gone.obsolete, gone.occurrences, gone.comment = True, [], ""
        out.append(gone)
        if not e.obsolete:
            result.obsolete += 1
    return result


def _fuzzy_pairs(pending, candidates):
    """One-to-one best matches above the cut-off, best first (like msgmerge)."""
    scored = []
    for i, entry in enumerate(pending):
        for j, cand in enumerate(candidates):
            sm = difflib.SequenceMatcher(None, entry.msgid, cand.msgid, autojunk=False)
            if sm.real_quick_ratio() < FUZZY_CUTOFF or sm.quick_ratio() < FUZZY_CUTOFF:
                continue
            ratio = sm.ratio()
            if ratio >= FUZZY_CUTOFF:
                scored.append((ratio, -i, -j, i, j))
    scored.sort(reverse=True)
    taken_i: set[int] = set()
    taken_j: set[int] = set()
    for _, _, _, i, j in scored:
        if i in taken_i or j in taken_j:
            continue
        taken_i.add(i)
        taken_j.add(j)
        yield pending[i], candidates[j]


