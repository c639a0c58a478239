"""Counts of reviewed, draft and untranslated units and words."""

from __future__ import annotations

import re
from dataclasses import dataclass

import polib

from l10n_tool import markup
from l10n_tool.catalog.state import State, state


def words(text: str) -> int:
    return len(re.findall(r"\w+", markup.strip(text)))

@dataclass
class Stats:
    total: int = 0
    reviewed: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    words_total: int = 0
    words_reviewed: int = 0
    words_fuzzy: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.reviewed / self.total if self.total else 100.0

    def as_dict(self) -> dict:
        return {"units": self.total, "reviewed": self.reviewed, "fuzzy": self.fuzzy,
                "untranslated": self.untranslated, "words": self.words_total,
                "words_reviewed": self.words_reviewed, "words_fuzzy": self.words_fuzzy,
                "percent_reviewed": round(self.percent, 1)}


def stats(po: polib.POFile) -> Stats:
    s = Stats()
    for entry in po:
        st = state(entry)
        if st is State.OBSOLETE:
            continue
        n = words(entry.msgid)
        s.total += 1
        s.words_total += n
        if st is State.REVIEWED:
            s.reviewed += 1
            s.words_reviewed += n
        elif st.draft:
            s.fuzzy += 1
            s.words_fuzzy += n
        else:
            s.untranslated += 1
    return s
