"""The glossary: fixed terms and approved translations.

Matching rules, in one place because extraction comments, MT protection and
the checks must find exactly the same occurrences:

* A term written in capitals and digits only (ILSTC, TEU, BRI) is an acronym
  and matches case-sensitively; any other term matches case-insensitively.
* Source text (and msgstrs in scripts with spaces) match on word boundaries,
  and a term followed by a possessive or plural suffix ('s, ’s, s, es) still
  counts: "TEUs", "Chongqing's".
* In msgstrs of scripts without spaces (Chinese, Japanese, Thai…) a term is a
  plain substring, since there are no word boundaries to match on; only a
  Latin term may not touch further Latin letters or digits (NUS is not found
  in NUSRI, but is found in 由NUS承办).
* Where terms overlap, the longest wins: "Chongqing Liangjiang Collaborative
  Innovation Zone" is one term, not "Chongqing" plus the rest.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from l10n_tool.errors import L10nError
from l10n_tool.fsutil import read_input
from l10n_tool.locales import NO_SPACE_LANGUAGES, get_locale
from l10n_tool.problems import Problem

TYPES = ("fixed", "translate")
_ACRONYM = re.compile(r"[A-Z0-9&.\-]+")
_HAS_LETTER = re.compile(r"[A-Z]")
SUFFIX = r"(?:['’]s|es|s)?"


@dataclass(frozen=True)
class Term:
    term: str
    type: str
    translations: dict = field(default_factory=dict, hash=False, compare=False)
    note: str = ""
    line: int = 0

    #: capitals and digits only (ILSTC, TEU): matched case-sensitively
    acronym: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # worked out once here, not behind cached_property's lock: a term base
        # of 20,000 terms asks it of every term at load
        object.__setattr__(self, "acronym", _ACRONYM.fullmatch(self.term) is not None
                           and _HAS_LETTER.search(self.term) is not None)

    def approved(self, locale: str) -> str | None:
        """The form a msgstr must use: verbatim for fixed terms."""
        if self.type == "fixed":
            return self.term
        return self.translations.get(locale) or None

    def describe(self) -> str:
        """The ``#.`` comment translators see. The same in the POT and in every
        PO file (every locale's approved rendering), so a translator who runs
        msgmerge with the template and our ``update`` never flip it back and forth."""
        if self.type == "fixed":
            text = f"glossary: {self.term} (fixed)"
        elif self.translations:
            renderings = ", ".join(f"{v} ({k})" for k, v in sorted(self.translations.items()))
            text = f"glossary: {self.term} = {renderings}"
        else:
            text = f"glossary: {self.term} (translate; no approved rendering yet)"
        return text + (f" — {self.note}" if self.note else "")


@dataclass(frozen=True)
class Occurrence:
    term: Term
    start: int
    end: int


def _term_regex(text: str, case_sensitive: bool, boundaries: bool) -> str:
    body = r"\s+".join(re.escape(part) for part in text.split())
    if not case_sensitive:
        body = f"(?i:{body})"
    if boundaries:
        return rf"(?<!\w){body}{SUFFIX}(?!\w)"
    # no word boundaries in CJK text, but a Latin term still may not sit inside
    # a longer Latin word: NUS is not in NUSRI
    before = r"(?<![A-Za-z0-9])" if text[:1].isascii() and text[:1].isalnum() else ""
    after = r"(?![A-Za-z0-9])" if text[-1:].isascii() and text[-1:].isalnum() else ""
    return f"{before}{body}{after}"


def _is_word(ch: str) -> bool:
    """Python's regex ``\\w``: letters, digits and the underscore."""
    return ch.isalnum() or ch == "_"


#: what makes characters move when normalised: white space other than one
#: plain space (``\s`` is ``str.isspace``), and capital sigma, the one letter
#: whose ``str.lower()`` depends on its neighbours (final ς)
_MOVES = re.compile("[^\\S ]|  |\u03a3")


def _normalise(text: str) -> tuple[str, "list[int] | range"]:
    """Lower-case, whitespace runs as one space; and, for each character of the
    result, its index in ``text`` (so matches map back to the original)."""
    if not _MOVES.search(text):
        low = text.lower()
        if len(low) == len(text):       # no letter lowered to two ("İ")
            return low, range(len(text))   # the common case: nothing moves
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space:
                out.append(" ")
                where.append(i)
            space = True
            continue
        space = False
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
        where.append(i)
    return "".join(out), where


def _after_suffix(text: str, end: int) -> int | None:
    """Where a match ending at ``end`` stops once a possessive or plural suffix
    is taken (as ``SUFFIX`` would, greedily); None if a word goes on."""
    for suffix in ("'s", "’s", "es", "s", ""):
        if text.startswith(suffix, end):
            stop = end + len(suffix)
            if stop >= len(text) or not _is_word(text[stop]):
                return stop
    return None


class Glossary:
    """Terms and a matcher linear in the text's length, whatever the glossary's size.

    One Aho–Corasick automaton (pyahocorasick) over the case- and
    space-normalised terms finds every candidate in one pass; each candidate
    is then held to the rules above (boundaries, suffix, case for acronyms)
    and overlaps are resolved leftmost-longest, exactly as one alternation
    regex of all terms, longest first, would: real term bases hold tens of
    thousands of terms, and that regex was quadratic in practice.
    """

    def __init__(self, terms: list[Term]):
        self.terms = terms
        self._rank = {id(t): i for i, t in enumerate(sorted(terms, key=lambda t: -len(t.term)))}
        self._automaton = None
        if terms:
            import ahocorasick

            by_key: dict[str, list[Term]] = {}
            for t in terms:
                by_key.setdefault(_normalise(t.term)[0], []).append(t)
            automaton = ahocorasick.Automaton()
            for k, ts in by_key.items():
                automaton.add_word(k, (len(k), ts))
            automaton.make_automaton()
            self._automaton = automaton

    def find(self, text: str) -> list[Occurrence]:
        """Occurrences of terms in source text, leftmost first, longest term wins, no overlaps."""
        if self._automaton is None or not text:
            return []
        norm, where = _normalise(text)
        candidates = []
        for last, (length, terms) in self._automaton.iter(norm):
            start, end = where[last - length + 1], where[last] + 1
            if start > 0 and _is_word(text[start - 1]):
                continue
            stop = _after_suffix(text, end)
            if stop is None:
                continue
            for t in terms:
                if not t.acronym or " ".join(text[start:end].split()) == t.term:
                    candidates.append((start, self._rank[id(t)], stop, t))
        candidates.sort(key=lambda c: (c[0], c[1]))
        out, reached = [], 0
        for start, _, stop, term in candidates:
            if start >= reached:
                out.append(Occurrence(term, start, stop))
                reached = stop
        return out

    def locale_digest(self, locale: str) -> str:
        """Hash of what the glossary says for one locale, for MT cache keys."""
        h = hashlib.sha256()
        for t in sorted(self.terms, key=lambda t: t.term):
            h.update(f"{t.term}\x1f{t.type}\x1f{t.approved(locale) or ''}\x1e".encode())
        return h.hexdigest()[:16]


def count_in_target(text: str, rendering: str, locale: str, verbatim: bool) -> int:
    """How often ``rendering`` occurs in ``text``, a msgstr of ``locale``."""
    return len(_target_pattern(rendering, locale, verbatim).findall(text))


@lru_cache(maxsize=4096)
def _target_pattern(rendering: str, locale: str, verbatim: bool) -> re.Pattern:
    """Compiled once per rendering: the checks ask about the same few for every
    entry of a site."""
    spaced = get_locale(locale).language not in NO_SPACE_LANGUAGES
    case_sensitive = verbatim or Term(rendering, "fixed").acronym
    return re.compile(_term_regex(rendering, case_sensitive, spaced))


def parse(path: Path) -> tuple[Glossary, list[Problem]]:
    """Read and validate a glossary, returning every problem found (the
    ``glossary-file`` check reports them all; other commands stop at the first)."""
    path = Path(path)
    if not path.exists():
        return Glossary([]), []
    reader = csv.reader(io.StringIO(_text(path)))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return Glossary([]), []
    problems: list[Problem] = []

    def problem(message: str, line: int) -> None:
        problems.append(Problem(message, str(path), line, "error", "glossary-file"))

    columns = _columns(header, problem)
    if columns is None:
        return Glossary([]), problems
    terms: list[Term] = []
    seen: dict[str, Term] = {}
    try:
        for row in reader:
            t = _term(row, header, columns, reader.line_num, problem)
            if t is None:
                continue
            fold = t.term if t.acronym else t.term.casefold()
            other = seen.get(fold) or seen.get(t.term.casefold())
            if other is not None:
                problem(f"{t.term!r} is both a fixed and a translate term (line {other.line})"
                        if other.type != t.type else
                        f"duplicate term {t.term!r} (first at line {other.line})", t.line)
                continue
            seen[fold] = t
            seen.setdefault(t.term.casefold(), t)
            terms.append(t)
    except csv.Error as exc:
        problem(f"CSV error: {exc}", reader.line_num)
    return Glossary(terms), problems


def _text(path: Path) -> str:
    data = read_input(path, "glossary CSV file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise L10nError("glossary is not UTF-8", path, data[: exc.start].count(b"\n") + 1) from None


@dataclass(frozen=True)
class _Columns:
    term: int
    type: int
    note: int | None
    locales: dict[int, str]


def _columns(header: list[str], problem) -> _Columns | None:
    missing = [c for c in ("term", "type") if c not in header]
    for name in missing:
        problem(f"missing column {name!r}", 1)
    if missing:
        return None
    locales: dict[int, str] = {}
    for i, name in enumerate(header):
        if name in ("term", "type", "note") or not name:
            continue
        try:
            code = get_locale(name).code
        except L10nError:
            problem(f"unknown locale column {name!r}", 1)
            continue
        if code in locales.values():
            problem(f"locale column {name!r} appears twice", 1)
            continue
        locales[i] = code
    return _Columns(header.index("term"), header.index("type"),
                    header.index("note") if "note" in header else None, locales)


def _term(row: list[str], header: list[str], c: _Columns, line: int, problem) -> Term | None:
    """One CSV row as a term, or None (a blank row, or a problem reported)."""
    if not any(cell.strip() for cell in row):
        return None
    if len(row) > len(header):
        problem(f"{len(row)} columns, header has {len(header)}", line)
        return None
    row = row + [""] * (len(header) - len(row))
    term = " ".join(row[c.term].split())
    kind = row[c.type].strip().lower()
    if not term:
        problem("empty term", line)
        return None
    if kind not in TYPES:
        problem(f"bad type {row[c.type]!r} for {term!r} (expected one of {', '.join(TYPES)})", line)
        return None
    return Term(term, kind, {loc: row[i].strip() for i, loc in c.locales.items() if row[i].strip()},
                row[c.note].strip() if c.note is not None else "", line)


def load(path: Path) -> Glossary:
    """Read a glossary, raising on its first problem."""
    glossary, problems = parse(path)
    if problems:
        first = problems[0]
        raise L10nError(f"glossary: {first.message}", path, first.line)
    return glossary
