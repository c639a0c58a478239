"""The one model of an entry's state, and the one rule for "may this go live".

Every stage (update, translate, check, status, publish) asks these functions
instead of reading PO flags itself, so "reviewed" or "usable" cannot mean
two things in two places. Translators set state in their own tools with the
standard gettext flag (``fuzzy``: Poedit's "Needs work"); MT drafts are fuzzy
entries that carry our ``# mt:`` provenance comment.
"""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass

import polib

from l10n_tool import markup

#: Translator-comment prefix that marks an entry as machine-translated.
MT_PREFIX = "mt:"
#: Translator-comment prefix for problems the MT step could not repair.
MT_PROBLEM_PREFIX = "mt-problem:"

#: Types other layers may name without importing polib.
Entry = polib.POEntry
Catalog = polib.POFile


class State(enum.Enum):
    UNTRANSLATED = "untranslated"
    MT_DRAFT = "mt draft"          # fuzzy, written by our MT step, not yet reviewed or edited
    FUZZY = "fuzzy"                # fuzzy for another reason (msgmerge guess, translator's edit)
    REVIEWED = "reviewed"          # translated, not fuzzy: a person signed it off
    OBSOLETE = "obsolete"          # #~, kept so nothing translated is ever lost

    @property
    def draft(self) -> bool:
        """Translated but not signed off (either kind of fuzzy)."""
        return self in (State.MT_DRAFT, State.FUZZY)


def translations(entry: Entry) -> list[str]:
    """Every msgstr form of the entry (one, or one per plural form)."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def is_translated(entry: Entry) -> bool:
    forms = translations(entry)
    return bool(forms) and all(forms)


def has_mt_provenance(entry: Entry) -> bool:
    return any(line.startswith(MT_PREFIX) for line in (entry.tcomment or "").splitlines())


def draft_mark(text: str) -> str:
    """What the provenance line records of the draft it wrote (`` (draft 1a2b3c4d)``):
    a translator who edits a draft but leaves it "Needs work" has made it
    their own fuzzy translation, which no MT run may overwrite."""
    return f" (draft {hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]})"


_DRAFT_MARK = re.compile(r" \(draft [0-9a-f]{8}\)$")


def _still_ours(entry: Entry) -> bool:
    """The msgstr is the draft the provenance line recorded (or one written
    before drafts were marked: nothing tells it apart)."""
    for line in (entry.tcomment or "").splitlines():
        if line.startswith(MT_PREFIX):
            m = _DRAFT_MARK.search(line)
            if m is not None:
                return m.group(0) == draft_mark(entry.msgstr)
    return True


def state(entry: Entry) -> State:
    if entry.obsolete:
        return State.OBSOLETE
    if not is_translated(entry):
        return State.UNTRANSLATED
    if "fuzzy" in entry.flags:
        return State.MT_DRAFT if has_mt_provenance(entry) and _still_ours(entry) else State.FUZZY
    return State.REVIEWED


def is_reviewed(entry: Entry) -> bool:
    return state(entry) is State.REVIEWED


def is_mt_draft(entry: Entry) -> bool:
    return state(entry) is State.MT_DRAFT


def key(entry: Entry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def untranslated_msgids(po: Catalog) -> list[str]:
    """What a file still lacks: a translation the memory gains for one of these
    is a reason to merge the file again."""
    return [e.msgid for e in po if state(e) is State.UNTRANSLATED]


def reviewed_rows(po: Catalog) -> list[tuple[str | None, str, str]]:
    """(msgctxt, msgid, msgstr) of every reviewed singular entry: what the
    translation memory may reuse elsewhere."""
    return [(e.msgctxt, e.msgid, e.msgstr) for e in po if not e.msgid_plural and is_reviewed(e)]


def live_entries(po: Catalog | None) -> dict[str, Entry]:
    """A catalog's current (not obsolete) entries by msgid; empty without a
    file. Our templates make no msgctxt: an entry with one (added by hand) is
    another message, as msgfmt keeps it apart, and never stands in for ours."""
    if po is None:
        return {}
    return {e.msgid: e for e in po if not e.obsolete and e.msgctxt is None}


@dataclass(frozen=True)
class Usable:
    """The verdict on one entry for one published page."""
    text: str | None               # the msgstr to publish, or None: fall back to source
    problem: str | None = None     # why a translated entry cannot be used (a broken msgstr)


def usable(entry: Entry | None, include_fuzzy: bool, plain_text: bool = False) -> Usable:
    """Whether ``entry`` can go live on a page under a policy.

    The one rule shared by the publish policy (does the page reach its
    threshold, are its required units live?), the page rebuild (which text
    goes in?) and the checks: reviewed, or a draft when the policy allows
    drafts, and with exactly its msgid's placeholders (no markup at all where
    the unit is plain text, such as an attribute).
    """
    if entry is None:
        return Usable(None)
    st = state(entry)
    if st is State.REVIEWED or (include_fuzzy and st.draft):
        why = markup.compare(entry.msgid, entry.msgstr)
        if why is None and plain_text and markup.tags(entry.msgstr):
            why = "markup is not allowed here"
        if why is not None:
            return Usable(None, f"placeholders do not match the msgid ({why})")
        return Usable(entry.msgstr)
    return Usable(None)
