"""Merging a fresh template into a locale's PO file, as ``msgmerge --previous`` does.

The decisions are GNU gettext 0.21's (``msgmerge.c``, ``msgl-fsearch.c``),
so a translator who runs msgmerge and one who runs ``l10n update`` get the
same file:

* an exact (msgctxt, msgid) match keeps its translation, translator
  comments and fuzzy state, obsolete (``#~``) entries included: they come
  back to life;
* otherwise the most similar translated entry of the old file (similarity
  over the msgid's UTF-8 bytes, GNU's ``fstrcmp``: matching characters over
  total length, strictly above 0.6) lends its translation as a fuzzy
  suggestion. One old entry may serve several new ones, and an entry that
  stays may serve as well;
* ``#|`` names the msgid the translation was made from: the old entry's
  own ``#|`` if it was fuzzy, else its msgid;
* ``#.``, ``#:`` and flags (``python-format``…) come from the template,
  ``fuzzy`` from the merge;
* an old entry no new one used becomes obsolete; an untranslated one is
  dropped (GNU never writes those);
* the header keeps the PO file's fields and order, with the template's
  ``POT-Creation-Date`` and ``Report-Msgid-Bugs-To``.

Where we go further than msgmerge: exact matches from the locale's other
files (``memory``) fill entries that would stay untranslated, and a
``Plural-Forms`` equivalent to the locale's is kept as the file has it.
"""

from __future__ import annotations

import gettext
import math
from dataclasses import dataclass
from typing import Iterable, Mapping

import polib

from l10n_tool.catalog.io import header
from l10n_tool.catalog.state import key, translations
from l10n_tool.errors import L10nError
from l10n_tool.locales import LocaleInfo, get_locale

#: msgmerge's FUZZY_THRESHOLD: a suggestion must be strictly more similar.
FUZZY_CUTOFF = 0.6
#: msgmerge's bonus for a candidate without msgctxt or with the same one.
_CONTEXT_BONUS = 0.00001
#: GNU indexes character 4-grams; shorter msgids are compared by length band.
_GRAM = 4
_SHORT_BYTES = 3 * 4
_SHORT_MAX = int(_SHORT_BYTES * (2 / FUZZY_CUTOFF - 1))
#: header fields a template decides (``message_merge`` takes them from it)
_FROM_TEMPLATE = ("Report-Msgid-Bugs-To", "POT-Creation-Date")


@dataclass
class MergeResult:
    po: polib.POFile
    kept: int = 0
    new: int = 0
    reused: int = 0        # exact matches from other files of the locale
    fuzzy: int = 0         # changed units matched to their old translation
    obsolete: int = 0
    created: bool = False


class FuzzyIndex:
    """The translated entries of the old file, searched the way
    ``message_fuzzy_index_search`` does: candidates share a character
    4-gram with the msgid (or, for msgids under 4 characters, have a length
    that could reach the cut-off); the best similarity wins, ties going to
    the candidate sharing more 4-grams, then to the earlier one."""

    def __init__(self, entries: Iterable[polib.POEntry]) -> None:
        from rapidfuzz.distance import Indel   # only a merge with changed units needs it
        self.similarity = Indel.normalized_similarity
        self.entries = [e for e in entries if (translations(e) or [""])[0]]
        self.data = [e.msgid.encode("utf-8") for e in self.entries]
        self.grams: dict[str, list[int]] = {}
        self.short: dict[int, list[int]] = {}
        for i, e in enumerate(self.entries):
            for gram in dict.fromkeys(_grams(e.msgid)):
                self.grams.setdefault(gram, []).append(i)
            if len(self.data[i]) <= _SHORT_MAX:
                self.short.setdefault(len(self.data[i]), []).append(i)

    def search(self, msgctxt: str | None, msgid: str) -> polib.POEntry | None:
        if not self.entries:
            return None          # a new file: nothing to suggest, no 4-grams to count
        query = msgid.encode("utf-8")
        if len(msgid) >= _GRAM:
            counts: dict[int, int] = {}
            for gram in _grams(msgid):
                for i in self.grams.get(gram, ()):
                    counts[i] = counts.get(i, 0) + 1
            order = sorted(counts, key=lambda i: (-counts[i], i))
        else:
            low = math.ceil(len(query) / (2 / FUZZY_CUTOFF - 1))
            high = int(len(query) * (2 / FUZZY_CUTOFF - 1))
            order = sorted(i for n in range(low, high + 1) for i in self.short.get(n, ()))
        best, best_weight = None, FUZZY_CUTOFF
        for i in order:
            e = self.entries[i]
            bonus = _CONTEXT_BONUS if e.msgctxt is None or e.msgctxt == msgctxt else 0.0
            cutoff = min(1.0, best_weight - bonus * 1.01)
            weight = self.similarity(query, self.data[i], score_cutoff=cutoff) + bonus
            if weight > best_weight:
                best, best_weight = e, weight
        return best


def _grams(text: str):
    return (text[i:i + _GRAM] for i in range(len(text) - _GRAM + 1))


def merge(pot: polib.POFile, po: polib.POFile | None, locale: LocaleInfo,
          project: str, memory: Mapping[tuple, str] | None = None) -> MergeResult:
    """Merge a template into a locale's PO file; nothing translated is dropped."""
    result = MergeResult(po=polib.POFile(), created=po is None)
    out = result.po
    ours = header(locale, project)
    if po is None:
        out.metadata = ours
        old_entries: list[polib.POEntry] = []
    else:
        out.header, out.metadata_is_fuzzy = po.header, po.metadata_is_fuzzy
        out.header_comment = getattr(po, "header_comment", True)
        out.metadata = _merge_header(po.metadata, ours, [
            len(e.msgstr_plural) for e in po if e.msgid_plural and not e.obsolete])
        old_entries = [e for e in po if e.msgid or e.msgctxt]
    for name in _FROM_TEMPLATE:
        if pot.metadata.get(name):
            out.metadata[name] = pot.metadata[name]
    nplurals = _nplurals(out.metadata.get("Plural-Forms", ""))
    old = {}
    for e in old_entries:                   # a live entry wins over an obsolete twin
        if not e.obsolete or key(e) not in old:
            old[key(e)] = e
    index: FuzzyIndex | None = None
    used: set[int] = set()
    def reuse(t: polib.POEntry) -> str | None:
        return memory.get(key(t)) if memory is not None and not t.msgid_plural else None

    for t in pot:
        prev = old.get(key(t))
        if prev is not None:
            entry = _merged(prev, t, False, nplurals)
            result.kept += 1
            if not entry.msgstr and not entry.msgid_plural and (found := reuse(t)):
                entry.msgstr = found
                result.reused += 1
        else:
            found = reuse(t)
            if found:
                entry = _fresh(t, nplurals)
                entry.msgstr = found
                result.reused += 1
            else:
                if index is None:
                    index = FuzzyIndex(old_entries)
                prev = index.search(t.msgctxt, t.msgid)
                if prev is not None:
                    entry = _merged(prev, t, True, nplurals)
                    result.fuzzy += 1
                else:
                    entry = _fresh(t, nplurals)
                    result.new += 1
        if prev is not None:
            used.add(id(prev))
        out.append(entry)

    for e in old_entries:
        if id(e) in used or not (translations(e) or [""])[0]:
            continue                        # used, or nothing a translator wrote
        gone = polib.POEntry(
            msgid=e.msgid, msgstr=e.msgstr, msgid_plural=e.msgid_plural,
            msgstr_plural=dict(e.msgstr_plural), msgctxt=e.msgctxt, obsolete=True,
            tcomment=e.tcomment, flags=list(e.flags),
            previous_msgctxt=e.previous_msgctxt, previous_msgid=e.previous_msgid,
            previous_msgid_plural=e.previous_msgid_plural)
        out.append(gone)
        if not e.obsolete:
            result.obsolete += 1
    return result


def _fresh(t: polib.POEntry, nplurals: int) -> polib.POEntry:
    """A template entry as it enters the PO file, untranslated."""
    return polib.POEntry(
        msgid=t.msgid, msgctxt=t.msgctxt, msgid_plural=t.msgid_plural, msgstr="",
        msgstr_plural={i: "" for i in range(nplurals)} if t.msgid_plural else {},
        occurrences=list(t.occurrences), comment=t.comment,
        flags=[f for f in t.flags if f != "fuzzy"])


def _merged(prev: polib.POEntry, t: polib.POEntry, fuzzy: bool, nplurals: int) -> polib.POEntry:
    """``message_merge``: the template's text, comments and flags; the old
    entry's translation, translator comments and fuzzy state."""
    entry = _fresh(t, nplurals)
    entry.tcomment = prev.tcomment
    was_fuzzy = "fuzzy" in prev.flags
    fuzzy = fuzzy or was_fuzzy
    forms = translations(prev)
    if t.msgid_plural:
        if prev.msgid_plural:
            entry.msgstr_plural = dict(prev.msgstr_plural)
            fuzzy = fuzzy or prev.msgid_plural != t.msgid_plural
        else:                               # one form for every plural form, to review
            entry.msgstr_plural = {i: prev.msgstr for i in range(max(nplurals, 1))}
            fuzzy = True
    else:
        entry.msgstr = forms[0] if forms else ""
        fuzzy = fuzzy or bool(prev.msgid_plural)
    if fuzzy:
        entry.flags.insert(0, "fuzzy")
        if (forms or [""])[0]:
            if was_fuzzy:
                entry.previous_msgctxt = prev.previous_msgctxt
                entry.previous_msgid = prev.previous_msgid
                entry.previous_msgid_plural = prev.previous_msgid_plural
            else:
                entry.previous_msgctxt = prev.msgctxt
                entry.previous_msgid = prev.msgid
                entry.previous_msgid_plural = prev.msgid_plural or None
    return entry


def _merge_header(found: dict[str, str], ours: dict[str, str],
                  forms: list[int] = ()) -> dict[str, str]:
    """The PO file's header as it was, with what only we know filled in:
    missing fields, our locale's Language and Plural-Forms where the file's
    say something else, and UTF-8 (we always write UTF-8). A Language naming
    our locale another way (``zh_CN`` for ``zh_Hans``, ``de_DE`` for ``de``:
    what Poedit writes for the translator's pick) stays as it is, as msgmerge
    keeps it, or each save and update would flip it back and forth. One naming
    another language or script (``fr`` in ``de/``, ``zh_TW`` in ``zh_Hans/``)
    stays too: it is the evidence that the file holds another language, which
    the ``language`` check reports and the memory leaves out until a person
    corrects the header."""
    out = dict(found)
    for name, value in ours.items():
        if name not in out:
            out[name] = value
        elif name == "Language" and _locale_name(out[name]) != _locale_name(value) \
                and not _same_locale(out[name], value) \
                and same_language(out[name], value) is not False:
            out[name] = value
        elif name == "Plural-Forms" and not _same_plurals(out[name], value) \
                and not _own_valid_rule(out[name], forms):
            out[name] = value
        elif name == "Content-Type" and "charset=utf-8" not in out[name].lower():
            out[name] = value
    return out


def _locale_name(code: str) -> str:
    return code.strip().replace("-", "_").lower()


def _same_locale(found: str, ours: str) -> bool:
    """Whether a Language value names our locale: the same code once Babel has
    resolved aliases, or the same once each is filled out with CLDR's likely
    script and territory (``de_DE`` is what ``de`` means, ``zh_Hant_TW`` what
    ``zh_Hant`` means; ``de_AT`` or ``sr_Latn`` is another locale)."""
    try:
        a, b = get_locale(found.strip()), get_locale(ours)
    except L10nError:
        return False            # not a code Babel knows: ours replaces it
    if a.code == b.code:
        return True
    return not (a.pseudo or b.pseudo) and _likely(a.code) == _likely(b.code)


def same_language(found: str, ours: str) -> bool | None:
    """Whether a Language value names our locale's language in our locale's
    script, CLDR's likely script filled in (``de_AT`` for ``de`` does,
    ``zh_TW``, Traditional, for ``zh_Hans`` does not, nor ``fr``); None when
    it is no code Babel knows."""
    try:
        a, b = get_locale(found.strip()), get_locale(ours)
    except L10nError:
        return None
    if a.code == b.code or a.pseudo or b.pseudo:
        return a.code == b.code or a.language == b.language
    return _likely(a.code)[:2] == _likely(b.code)[:2]


def other_language(po, locale: str) -> str | None:
    """The header's Language when it names another language or script than
    ``locale`` (a French catalog saved into ``de/``): such a file's reviewed
    rows are not this locale's translations, whatever the folder says."""
    value = ((po.metadata.get("Language") if po is not None else None) or "").strip()
    return value if value and same_language(value, locale) is False else None


def _likely(code: str) -> tuple:
    """(language, script, territory, variant) with CLDR's likely subtags
    filled in where the code leaves them out (the lookup order of UTS #35)."""
    from babel.core import get_global, parse_locale    # only for two codes that differ
    language, territory, script, variant = parse_locale(code)
    subtags = get_global("likely_subtags")
    for parts in ((language, script, territory), (language, territory), (language, script),
                  (language,)):
        if all(parts):
            full = subtags.get("_".join(parts))
            if full:
                _, likely_territory, likely_script, _ = parse_locale(full)
                return language, script or likely_script, territory or likely_territory, variant
    return language, script, territory, variant


def _nplurals(plural_forms: str) -> int:
    for part in plural_forms.split(";"):
        name, _, value = part.partition("=")
        if name.strip() == "nplurals" and value.strip().isdigit():
            return int(value)
    return 2


def _plural_function(plural_forms: str):
    for part in plural_forms.split(";"):
        name, _, value = part.partition("=")
        if name.strip() == "plural":
            try:
                return gettext.c2py(value.strip())
            except (ValueError, SyntaxError):
                return None
    return None


def _own_valid_rule(found: str, forms: list[int]) -> bool:
    """A file's own plural rule that is valid and that its plural entries
    follow (``forms``: how many each has): kept, as msgmerge keeps it. CLDR
    and the tools disagree for some languages (Hebrew: 2, 3 or 4 forms, by
    CLDR version and tool), and rewriting the header to ours at each update
    flipped it back and forth with each translator's save."""
    n = _nplurals(found)
    f = _plural_function(found)
    if f is None or "nplurals" not in found or any(k != n for k in forms):
        return False
    try:
        return all(0 <= f(x) < n for x in range(0, 1001))
    except (ValueError, ZeroDivisionError, TypeError):
        return False


def _same_plurals(found: str, ours: str) -> bool:
    """Equivalent rules (Weblate's ``plural=n != 1;`` is GNU's ``plural=(n != 1);``)."""
    if found.split() == ours.split():
        return True
    a, b = _plural_function(found), _plural_function(ours)
    if a is None or b is None or _nplurals(found) != _nplurals(ours):
        return False
    return all(a(n) == b(n) for n in list(range(0, 1001)) + [10 ** k + d for k in range(3, 8)
                                                             for d in (0, 1, 2, 5, 11, 21)])
