"""Glossary checks: fixed terms, approved renderings, consistency, the file itself.

Matching follows ``l10n_tool.glossary``: word boundaries in scripts with
spaces, plain substrings in CJK, case-insensitive except for acronyms.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache

from l10n_tool import catalog, markup
from l10n_tool.checks.base import Check
from l10n_tool.checks.finding import Finding, shorten
from l10n_tool.glossary import Term, count_in_target
from l10n_tool.locales import NO_SPACE_LANGUAGES, get_locale

#: The one-letter words Arabic and Hebrew write joined to the next word ("and",
#: "in", "to", "like", "the", "that", "from"): وتشونغتشينغ is "and Chongqing",
#: בצ'ונגצ'ינג "in Chongqing", والـILSTC "and the ILSTC"; the rendering is there.
#: Arabic's article ال drops its alif after ل (ل + الممر = للممر).
PROCLITICS = {"ar": "[وف]?[بكل]?(?:ال)?\u0640?", "he": "[ושכ]?[בכלמה]?[-\u05be]?"}
ARABIC_ARTICLE_AFTER_LAM = "[وف]?لل"


def _count(text: str, rendering: str, locale: str, verbatim: bool) -> int:
    """``count_in_target``, and in right-to-left scripts also the rendering
    written joined to a proclitic, or a Latin term joined to the script's
    letters (وILSTC): only Latin letters or digits touching it make it part of
    another word (NUS is still not in NUSRI)."""
    plain = count_in_target(text, rendering, locale, verbatim)
    pattern = _joined_pattern(rendering, locale, verbatim)
    return plain if pattern is None else max(plain, len(pattern.findall(text)))


@lru_cache(maxsize=4096)
def _joined_pattern(rendering: str, locale: str, verbatim: bool) -> "re.Pattern | None":
    info = get_locale(locale)
    if info.direction != "rtl" or not rendering.strip():
        return None
    case = "" if verbatim or Term(rendering, "fixed").acronym else "(?i)"
    body = r"\s+".join(re.escape(part) for part in rendering.split())
    if rendering[:1].isascii() and rendering[:1].isalnum():
        after = r"(?![A-Za-z0-9])" if rendering[-1:].isascii() and rendering[-1:].isalnum() \
            else r"(?!\w)"
        return re.compile(rf"{case}(?<![A-Za-z0-9]){body}{after}")
    prefix = PROCLITICS.get(info.language)
    if prefix is None:
        return None
    bodies = [f"{prefix}{body}"]
    if info.language == "ar" and rendering.startswith("ال") and len(rendering) > 2:
        bodies.append(ARABIC_ARTICLE_AFTER_LAM + r"\s+".join(
            re.escape(part) for part in rendering[2:].split()))
    return re.compile(rf"{case}(?<!\w)(?:{'|'.join(bodies)})(?!\w)")


def fixed_rule(ctx, entry):
    """Every fixed term in the msgid appears verbatim in the msgstr, as many times."""
    found = ctx.terms(entry.msgid)
    if not found:
        return          # most entries: no term at all
    wanted = Counter(o.term for o in found if o.term.type == "fixed")
    for term, n in wanted.items():
        got = _count(entry.msgstr, term.term, ctx.locale.code, verbatim=True)
        if got != n:
            yield (f"{term.term} ×{n}", f"{term.term} ×{got}",
                   f"fixed term {term.term} must appear verbatim {n}× (found {got}×)")


def approved_rule(ctx, entry):
    """Every translate term in the msgid is rendered with its approved translation."""
    seen = set()
    for occ in ctx.terms(entry.msgid):
        term = occ.term
        approved = term.approved(ctx.locale.code)
        if term.type != "translate" or approved is None or id(term) in seen:
            continue
        seen.add(id(term))      # by identity: hashing a Term hashes its fields
        if _count(entry.msgstr, approved, ctx.locale.code, verbatim=False) == 0:
            yield (approved, shorten(entry.msgstr, 40),
                   f"{term.term} must be rendered as {approved}")


#: Shortest string that counts as a shared rendering. Two CJK characters are
#: too easily shared by chance (两江新区 and 两江开发区 share 两江), so a term
#: whose only agreed rendering is that short is reported: at warning level.
MIN_RENDERING = 3


_WORD = re.compile(r"\w[\w'’-]*")
_BETWEEN_WORDS = re.compile(r"[\s\W]+")


#: A proclitic in front of a word of at least three more letters (see
#: ``PROCLITICS``), for cutting the word the rendering is.
_STRIP_PROCLITIC = {
    "ar": re.compile(r"^(?:[وف]?[بكل]?ال|[وف]?لل|[وف][بكل]?|[بكل])\u0640?(?=\w{3})"),
    "he": re.compile(r"^(?:[ושכ]?[בכלמה]|[ושכ])(?=\w[\w'’]{2})"),
}


def _words(text: str, spaced: bool, language: str = "") -> str:
    """The text as candidates are cut from it: words between single spaces, or
    runs of characters between NULs where the script has no spaces. In Arabic
    and Hebrew the words also follow without their proclitics, after a NUL
    (وتشونغتشينغ and בצ'ונגצ'ינג share تشونغتشينغ and צ'ונגצ'ינג)."""
    if "<" in text:         # without one, there is no placeholder or escape to strip
        text = markup.strip(text)
    if spaced:
        words = _WORD.findall(text)
        line = " " + " ".join(words) + " "
        strip = _STRIP_PROCLITIC.get(language)
        if strip is not None:
            bare = [strip.sub("", w, count=1) for w in words]
            if bare != words:
                line += "\x00 " + " ".join(bare) + " "
        return line
    return _BETWEEN_WORDS.sub("\x00", text)


def _candidates(words: str, spaced: bool) -> set[str]:
    """Every string that could be the term's rendering in a text (given as ``_words``)."""
    if spaced:      # runs of 1 to 4 words; two words and a space are already long enough
        w = words.split()
        out = {word for word in w if len(word) >= MIN_RENDERING}
        for n in range(2, 5):
            out.update(map(" ".join, zip(*(w[k:] for k in range(n)))))
        return {c for c in out if "\x00" not in c}
    return {words[i:i + n] for n in range(MIN_RENDERING, 13) for i in range(len(words) - n + 1)
            if "\x00" not in words[i:i + n]}


def _any_shared(items: list[str], spaced: bool) -> bool:
    """Whether every text has one candidate in common: one of the first text's,
    tried against each other text as whole words (``_candidates`` of each, without
    building it). A candidate not shared fails at once, mostly on the second text,
    so one shared rendering costs about one look per text."""
    rest = items[1:]
    for c in _candidates(items[0], spaced):
        needle = f" {c} " if spaced else c
        if all(needle in words for words in rest):
            return True
    return False


def consistency_summary(ctx, f):
    """Each reviewed entry with a translate term that has no approved rendering
    for the locale: [[term numbers], msgid, msgstr, line, the msgstr's words].
    The words are cut here, once per text, so that a rerun after one catalog
    changed does not cut every other catalog's again."""
    out = []
    for entry, st in zip(f.po, f.states):
        if st is not catalog.State.REVIEWED or entry.msgid_plural:
            continue        # a plural entry's msgstr is empty: no rendering to compare
        key = ("glossary-consistency", entry.msgid, entry.msgstr)
        row = ctx.cache.get(key)
        if row is None:
            row = ctx.cache[key] = _summary_row(ctx, entry)
        if row:
            out.append([row[0], row[1], row[2], entry.linenum, row[3]])
    return out


def _summary_row(ctx, entry) -> tuple:
    found = ctx.terms(entry.msgid)
    if not found:
        return ()
    terms = sorted({ctx.term_number(o.term) for o in found
                    if o.term.type == "translate" and o.term.approved(ctx.locale.code) is None})
    if not terms:
        return ()
    return (terms, entry.msgid, entry.msgstr,
            _words(entry.msgstr, ctx.locale.language not in NO_SPACE_LANGUAGES,
                   ctx.locale.language))


def consistency_rule(ctx, summaries):
    """Terms with no approved rendering yet, rendered differently across entries:
    each entry that lacks the most common rendering is reported."""
    uses = defaultdict(list)
    for path, entries in summaries:
        for row in entries:
            for number in row[0]:
                uses[number].append((path, row))
    spaced = ctx.locale.language not in NO_SPACE_LANGUAGES
    for number, items in uses.items():
        if len(items) < 2 or _any_shared([row[4] for _, row in items], spaced):
            continue    # one rendering everywhere: the usual case, cheaper than remembering
        term = ctx.glossary.terms[number]
        # a term's verdict changes only when one of its entries does: remembered by them
        rows = ctx.remember(f"glossary-consistency:{ctx.locale.code}:{term.term}", (number, items),
                            lambda: [f.as_dict() for f in _term_findings(ctx, term, items, spaced)])
        yield from (Finding.of(**row) for row in rows)


def _term_findings(ctx, term, items, spaced: bool):
    """Each entry without the term's most common rendering (there is no shared one)."""
    sets = [_candidates(row[4], spaced) for _, row in items]
    counts = Counter()
    for found in sets:
        counts.update(found)
    best = max(counts.items(), key=lambda kv: (kv[1], len(kv[0])))[0] if counts else ""
    for (path, (_, msgid, msgstr, line, _)), found in zip(items, sets):
        if best in found:
            continue
        yield Finding.of("glossary-consistency", "warning", ctx.locale.code, path, line,
                         shorten(msgid), best, shorten(msgstr, 40),
                         f"{term.term} is rendered differently here than in {counts[best]} "
                         f"other entries; approve one in the glossary (most common: {best!r})")


def file_rule(ctx):
    """The glossary itself is valid."""
    for p in ctx.glossary_problems:
        yield Finding.of("glossary-file", "error", "*", ctx.glossary_path, p.line or 0, "",
                         "a valid glossary row", p.message, p.message)


FIXED = Check("glossary-fixed", "error",
              "every fixed term appears verbatim, as many times as in the msgid",
              fixed_rule, "entry", fixed_rule.__doc__)
APPROVED = Check("glossary-approved", "error",
                 "every translate term uses its approved rendering for the locale",
                 approved_rule, "entry", approved_rule.__doc__)
CONSISTENCY = Check("glossary-consistency", "warning",
                    "a term with no approved rendering yet, rendered in different ways",
                    consistency_rule, "locale", consistency_rule.__doc__, consistency_summary)
FILE = Check("glossary-file", "error",
             "glossary valid: known types, locale columns, no duplicates",
             file_rule, "project", file_rule.__doc__)
