"""Glossary checks: fixed terms, approved renderings, consistency, the file itself.

Matching follows ``l10n_tool.glossary``: word boundaries in scripts with
spaces, plain substrings in CJK, case-insensitive except for acronyms.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from l10n_tool import catalog, markup
from l10n_tool.checks.base import Check
from l10n_tool.checks.finding import Finding, shorten
from l10n_tool.glossary import count_in_target
from l10n_tool.locales import NO_SPACE_LANGUAGES


def fixed_rule(ctx, entry):
    """Every fixed term in the msgid appears verbatim in the msgstr, as many times."""
    wanted = Counter(o.term for o in ctx.terms(entry.msgid) if o.term.type == "fixed")
    for term, n in wanted.items():
        got = count_in_target(entry.msgstr, term.term, ctx.locale.code, verbatim=True)
        if got != n:
            yield (f"{term.term} ×{n}", f"{term.term} ×{got}",
                   f"fixed term {term.term} must appear verbatim {n}× (found {got}×)")


def approved_rule(ctx, entry):
    """Every translate term in the msgid is rendered with its approved translation."""
    seen = set()
    for occ in ctx.terms(entry.msgid):
        term = occ.term
        approved = term.approved(ctx.locale.code)
        if term.type != "translate" or approved is None or term in seen:
            continue
        seen.add(term)
        if count_in_target(entry.msgstr, approved, ctx.locale.code, verbatim=False) == 0:
            yield (approved, shorten(entry.msgstr, 40),
                   f"{term.term} must be rendered as {approved}")


#: Shortest string that counts as a shared rendering. Two CJK characters are
#: too easily shared by chance (两江新区 and 两江开发区 share 两江), so a term
#: whose only agreed rendering is that short is reported: at warning level.
MIN_RENDERING = 3


def _words(text: str, spaced: bool) -> str:
    """The text as candidates are cut from it: words between single spaces, or
    runs of characters between NULs where the script has no spaces."""
    text = markup.strip(text)
    if spaced:
        return " " + " ".join(re.findall(r"\w[\w'’-]*", text)) + " "
    return re.sub(r"[\s\W]+", "\x00", text)


def _candidates(words: str, spaced: bool) -> set[str]:
    """Every string that could be the term's rendering in a text (given as ``_words``)."""
    if spaced:
        w = words.split()
        grams = (" ".join(w[i:i + n]) for n in range(1, 5) for i in range(len(w) - n + 1))
        return {g for g in grams if len(g) >= MIN_RENDERING}
    return {words[i:i + n] for n in range(MIN_RENDERING, 13) for i in range(len(words) - n + 1)
            if "\x00" not in words[i:i + n]}


def _shared(items: list[str], spaced: bool) -> set[str]:
    """The candidates every text has: those of the first, kept while each other
    text contains them as whole words (``_candidates`` of each, without building it)."""
    shared = _candidates(items[0], spaced)
    for words in items[1:]:
        shared = {c for c in shared if (f" {c} " if spaced else c) in words}
        if not shared:
            break
    return shared


def consistency_summary(ctx, f):
    """Each reviewed entry with a translate term that has no approved rendering
    for the locale: [[term numbers], msgid, msgstr, line]."""
    out = []
    for entry in f.po:
        if not catalog.is_reviewed(entry):
            continue
        terms = sorted({ctx.term_number(o.term) for o in ctx.terms(entry.msgid)
                        if o.term.type == "translate" and o.term.approved(ctx.locale.code) is None})
        if terms:
            out.append([terms, entry.msgid, entry.msgstr, entry.linenum])
    return out


def consistency_rule(ctx, summaries):
    """Terms with no approved rendering yet, rendered differently across entries:
    each entry that lacks the most common rendering is reported."""
    uses = defaultdict(list)
    for path, entries in summaries:
        for terms, msgid, msgstr, line in entries:
            for number in terms:
                uses[number].append((path, msgid, msgstr, line))
    for number, items in uses.items():
        if len(items) < 2:
            continue
        term = ctx.glossary.terms[number]
        # a term's verdict changes only when one of its entries does: remembered by them
        rows = ctx.remember(f"glossary-consistency:{ctx.locale.code}:{term.term}", (number, items),
                            lambda: [f.as_dict() for f in _term_findings(ctx, term, items)])
        yield from (Finding.of(**row) for row in rows)


def _term_findings(ctx, term, items):
    spaced = ctx.locale.language not in NO_SPACE_LANGUAGES
    words = {msgstr: _words(msgstr, spaced) for _, _, msgstr, _ in items}
    if _shared([words[msgstr] for _, _, msgstr, _ in items], spaced):
        return          # one rendering everywhere: the usual case, and a cheap one
    sets = [_candidates(words[msgstr], spaced) for _, _, msgstr, _ in items]
    counts = Counter(c for s in sets for c in s)
    best = max(counts.items(), key=lambda kv: (kv[1], len(kv[0])))[0] if counts else ""
    for (path, msgid, msgstr, line), found in zip(items, sets):
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
