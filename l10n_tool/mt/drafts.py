"""MT drafts in PO entries: which entries want one, and how a draft is marked.

Every draft is marked ``fuzzy`` with a translator comment naming engine and
model, so it never passes for a reviewed translation; clearing the flag in
Poedit is what makes it one. Reviewed entries are never touched.
"""

from __future__ import annotations

from l10n_tool import catalog


def wanted(entry: catalog.Entry, refresh: bool) -> bool:
    if entry.obsolete:
        return False
    if not entry.msgstr:
        return True
    return refresh and catalog.is_mt_draft(entry)


def apply(entry: catalog.Entry, text: str, notes: dict, provenance: str) -> None:
    kept = [line for line in (entry.tcomment or "").splitlines()
            if not line.startswith((catalog.MT_PREFIX, catalog.MT_PROBLEM_PREFIX))]
    lines = kept + [f"{catalog.MT_PREFIX} {provenance}{catalog.draft_mark(text)}"]
    lines += [f"{catalog.MT_PREFIX} repaired: {r}" for r in notes.get("repairs", [])]
    lines += [f"{catalog.MT_PROBLEM_PREFIX} {p}" for p in notes.get("problems", [])]
    entry.msgstr = text
    entry.tcomment = "\n".join(lines)
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    entry.previous_msgid = None
    entry.previous_msgctxt = None
