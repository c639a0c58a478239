"""MT drafts in PO entries: which entries want one, and how a draft is marked.

Every draft is marked ``fuzzy`` with a translator comment naming engine and
model, so it never passes for a reviewed translation; clearing the flag in
Poedit is what makes it one. Reviewed entries are never touched.
"""

from __future__ import annotations

from l10n_tool import catalog


def wanted(entry: catalog.Entry, refresh: bool) -> bool:
    # a plural entry (added by hand: pages give none) has forms, not one msgstr;
    # a draft written into its msgstr was dropped at the save yet counted as done
    if entry.obsolete or entry.msgid_plural:
        return False
    if not entry.msgstr:
        return True
    return refresh and catalog.is_mt_draft(entry)


def apply(entry: catalog.Entry, text: str, notes: dict, provenance: str) -> None:
    kept = [line for line in (entry.tcomment or "").splitlines()
            if not line.startswith((catalog.MT_PREFIX, catalog.MT_PROBLEM_PREFIX))]
    lines = kept + [f"{catalog.MT_PREFIX} {provenance}{catalog.draft_mark(text)}"]
    lines += [f"{catalog.MT_PREFIX} repaired: {r}" for r in notes.get("repairs", [])]
    lines += [f"{catalog.MT_PROBLEM_PREFIX} {p}" for p in _counted(notes.get("problems", []))]
    entry.msgstr = text
    entry.tcomment = "\n".join(lines)
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    entry.previous_msgid = None
    entry.previous_msgctxt = None


def _counted(problems: list[str]) -> list[str]:
    """Each problem once, in order, with how often it happened: a long sentence
    that lost a term 26 times is one line, not 26 the reviewer must scroll past."""
    counts: dict[str, int] = {}
    for p in problems:
        counts[p] = counts.get(p, 0) + 1
    return [p if n == 1 else f"{p} ({n} times)" for p, n in counts.items()]
