"""Gettext catalogs: the only layer that touches polib.

``state`` is the one model of an entry's state and the one "usable on a
published page" rule; ``io`` reads and writes PO files; ``template`` builds
POTs from documents; ``merge`` follows ``msgmerge --previous``; ``stats``
counts. Other layers import what they need from here.
"""

from l10n_tool.catalog.io import DEFAULT_WIDTH, KEEP, header, load, loads, save
from l10n_tool.catalog.merge import MergeResult, merge, other_language
from l10n_tool.catalog.state import (MT_PREFIX, MT_PROBLEM_PREFIX, Catalog, Entry, State, Usable,
                                     draft_mark, is_mt_draft, is_reviewed, is_translated, key, live_entries, reviewed_rows,
                                     untranslated_msgids,
                                     state, translations, usable)
from l10n_tool.catalog.stats import Stats, stats, words
from l10n_tool.catalog.template import template

__all__ = ["DEFAULT_WIDTH", "KEEP", "MT_PREFIX", "MT_PROBLEM_PREFIX", "Catalog", "Entry", "MergeResult", "State", "Stats",
           "Usable", "draft_mark", "header", "is_mt_draft", "is_reviewed", "is_translated", "key",
           "live_entries", "load", "loads", "other_language", "reviewed_rows", "merge", "save", "state", "stats", "template",
           "translations", "untranslated_msgids", "usable", "words"]
