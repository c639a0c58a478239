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
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
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


#: white space that normalising turns into one plain space: a run of two or
#: more, or one character other than the plain space (``\s`` is ``str.isspace``)
_RUN = re.compile(r"\s{2,}|[^\S ]")


def _normalise(text: str) -> tuple[str, "list[int] | range"]:
    """Lower-case, whitespace runs as one space; and, for each character of the
    result, its index in ``text`` (so matches map back to the original)."""
    # capital sigma is the one letter whose str.lower() depends on its
    # neighbours (final ς), and "İ" lowers to two: then letter by letter, below
    if "\u03a3" not in text:
        low = text.lower()
        if len(low) == len(text):
            # every white space but the plain space is a separator or control
            # character, so a printable text has none: a scan in C, where _RUN
            # took a third of the time of matching a sentence
            if (text.isprintable() and "  " not in text) or _RUN.search(low) is None:
                return low, range(len(text))   # the common case: nothing moves
            return _collapse(low)
    return _by_letter(text)


def _by_letter(text: str) -> tuple[str, list[int]]:
    """``_normalise``'s rule itself, one character at a time."""
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


def _collapse(text: str) -> tuple[str, list[int]]:
    """``_normalise`` of a text that lower-case leaves letter for letter: only
    white space moves, so the work is per run of it, not per character."""
    where: list[int] = []
    done = 0
    for run in _RUN.finditer(text):
        where.extend(range(done, run.start() + 1))
        done = run.end()
    where.extend(range(done, len(text)))
    return _RUN.sub(" ", text), where


def _after_suffix(text: str, end: int) -> int | None:
    """Where a match ending at ``end`` stops once a possessive or plural suffix
    is taken (as ``SUFFIX`` would, greedily); None if a word goes on."""
    if end >= len(text):
        return end
    ch = text[end]
    if ch not in "'’es":        # no suffix can start here: asked of every candidate
        return None if ch.isalnum() or ch == "_" else end
    for suffix in ("'s", "’s", "es", "s", ""):
        if text.startswith(suffix, end):
            stop = end + len(suffix)
            if stop >= len(text) or not _is_word(text[stop]):
                return stop
    return None


class Glossary:
    """Terms and a matcher linear in the text's length, whatever the glossary's size.

    One Aho–Corasick automaton (pyahocorasick) over the *heads* of the case- and
    space-normalised terms (a term up to its first space) finds every place a
    term may start in one pass; the whole term is then one dictionary look-up
    per length of the terms sharing that head, and each candidate is held to
    the rules above (boundaries, suffix, case for acronyms). Overlaps are
    resolved leftmost-longest, exactly as one alternation regex of all terms,
    longest first, would: real term bases hold tens of thousands of terms, and
    that regex was quadratic in practice. Heads, not whole terms, because every
    command pays for building the automaton, by the characters it holds:
    20,000 multi-word terms share a few thousand first words, and an automaton
    of whole terms took longer to build than extracting two pages.

    A glossary that ``parse`` read makes its Term objects only when asked (a
    match, or ``terms``): extracting a few pages meets a handful of 20,000
    terms, and building the rest was a third of the glossary's load.
    """

    def __init__(self, terms: list[Term]):
        self._list: list[Term] | None = terms
        self._rows: _Rows | None = None
        self._made: dict[int, Term] = dict(enumerate(terms))
        self._index([_normalise(t.term)[0] for t in terms])

    @classmethod
    def _of_rows(cls, rows: _Rows) -> Glossary:
        glossary = cls.__new__(cls)
        glossary._list, glossary._rows, glossary._made = None, rows, {}
        glossary._index(rows.keys())
        return glossary

    @property
    def terms(self) -> list[Term]:
        if self._list is None:
            self._list = [self._term(i) for i in range(len(self._rows.terms))]
        return self._list

    def _term(self, i: int) -> Term:
        """The i-th term, one object however often and from whichever thread it is
        asked for: the checks number terms by identity."""
        t = self._made.get(i)
        if t is None:
            t = self._made.setdefault(i, self._rows.term(i))
        return t

    def _index(self, keys: list[str]) -> None:
        found: dict[str, int | tuple[int, ...]] = dict(zip(keys, range(len(keys))))
        if len(found) != len(keys):      # terms with the same normalised form
            found = {}
            for i, k in enumerate(keys):
                prior = found.get(k)
                found[k] = i if prior is None else (prior, i) if type(prior) is int else (*prior, i)
        found.pop("", None)              # an empty term matches nowhere
        self._keys = found
        self._automaton = None
        if not found:
            return
        import ahocorasick

        # head → the lengths of its terms; a plain int while there is one (most
        # heads): no set or list per head for the garbage collector to walk
        heads: dict[str, int | tuple[int, ...]] = {}
        get = heads.get
        for k in found:
            space = k.find(" ", 1)
            head = k if space < 0 else k[:space]
            prior = get(head)
            heads[head] = (len(k) if prior is None else (prior, len(k)) if type(prior) is int
                           else (*prior, len(k)))
        automaton = ahocorasick.Automaton()
        add = automaton.add_word
        for head, lengths in heads.items():
            add(head, (len(head),
                       (lengths,) if type(lengths) is int else tuple(sorted({*lengths}))))
        automaton.make_automaton()
        self._automaton = automaton

    def find(self, text: str) -> list[Occurrence]:
        """Occurrences of terms in source text, leftmost first, longest term wins, no overlaps."""
        if self._automaton is None or not text:
            return []
        norm, where = _normalise(text)
        keys, made, size = self._keys, self._made, len(norm)
        candidates = []
        for last, (head, lengths) in self._automaton.iter(norm):
            first = last - head + 1
            start = where[first]
            if start > 0:
                before = text[start - 1]
                if before.isalnum() or before == "_":
                    continue
            # a term longer than its head goes on with a space (lengths ascend)
            spaced = last + 1 < size and norm[last + 1] == " "
            for length in lengths:
                if length > head and not spaced or first + length > size:
                    break
                hit = keys.get(norm[first:first + length])
                if hit is None:
                    continue
                end = where[first + length - 1] + 1
                stop = _after_suffix(text, end)
                if stop is None:
                    continue
                for i in (hit,) if type(hit) is int else hit:
                    t = made.get(i) or self._term(i)
                    if not t.acronym or " ".join(text[start:end].split()) == t.term:
                        # longest first, then in the glossary's order (as a stable
                        # sort by length would have it)
                        candidates.append((start, -len(t.term), i, stop, t))
        candidates.sort()       # (start, length, number) is unique: no two Terms compared
        out, reached = [], 0
        for start, _, _, stop, term in candidates:
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


class _Rows:
    """A clean glossary file's rows as ``_parse_clean`` left them, until a row is
    asked for as a Term: lists of strings, and per row one tuple of strings,
    which the garbage collector stops tracking at its first look."""

    def __init__(self, locales: list[str], note: bool):
        self.locales = locales
        self.note = note
        self.terms: list[str] = []     # white space normalised
        self.types: list[str] = []     # validated
        self.lines: list[int] = []
        #: the raw cells: term, type, one per locale, and the note if there is one
        self.cells: list[tuple[str, ...]] = []

    def term(self, i: int) -> Term:
        cells = self.cells[i]
        translations = {}
        for loc, cell in zip(self.locales, cells[2:]):
            if value := " ".join(cell.split()):      # a line break typed in a cell is a space
                translations[loc] = value
        return Term(self.terms[i], self.types[i], translations,
                    cells[-1].strip() if self.note else "", self.lines[i])

    def keys(self) -> list[str]:
        """``_normalise(term)[0]`` of each term, lower-cased in one call: a term
        read from the file has one space between words and no line break, so
        only capital sigma and a letter that lowers to two ("İ") need
        ``_normalise``'s letter-by-letter way."""
        joined = "\n".join(self.terms)
        low = joined.lower()
        if len(low) == len(joined) and "\u03a3" not in joined:
            return low.split("\n")
        return [_normalise(t)[0] for t in self.terms]


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
    text = _text(path)
    delimiter = _delimiter(text)
    clean = _parse_clean(text, delimiter)
    if clean is not None:
        return clean, []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = _header(next(reader))
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


def _header(row: list[str]) -> list[str]:
    """Header cells, the column names ours whatever their case (Excel users
    write ``Term,Type,Note``); locale columns are read by ``get_locale``."""
    cells = [h.strip() for h in row]
    return [h.lower() if h.lower() in ("term", "type", "note") else h for h in cells]


def _delimiter(text: str) -> str:
    """``,`` as the README says, or what a spreadsheet saved instead: Excel
    writes ``;`` where the decimal mark is a comma (German, French, Portuguese
    settings) and a tab for "Unicode Text". Told by the header line: the one
    separator that splits it into the columns ``term`` and ``type``."""
    first = text.split("\n", 1)[0]
    for delimiter in (",", ";", "\t"):
        try:
            names = _header(next(csv.reader([first], delimiter=delimiter)))
        except (StopIteration, csv.Error):
            continue
        if "term" in names and "type" in names:
            return delimiter
    return ","


def _parse_clean(text: str, delimiter: str = ",") -> Glossary | None:
    """The glossary of a file without a single problem, or None: then ``parse``
    reads it again row by row to say what is wrong. Every command loads the
    glossary, and with each row through ``_term`` and the duplicate
    bookkeeping a term base of 20,000 rows cost more than extracting two
    pages; these are the same rules, with only the work a clean row needs."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = _header(next(reader))
    except (StopIteration, csv.Error):
        return None
    problems: list[str] = []
    c = _columns(header, lambda message, line: problems.append(message))
    if c is None or problems:
        return None
    rows = _Rows(list(c.locales.values()), c.note is not None)
    terms, types, lines, cells = rows.terms, rows.types, rows.lines, rows.cells
    pick = itemgetter(c.term, c.type, *c.locales, *([c.note] if c.note is not None else []))
    width = len(header)
    try:
        for row in reader:
            if len(row) != width:
                if not any(cell.strip() for cell in row):
                    continue                  # a blank row
                if len(row) > width:
                    return None
                row = row + [""] * (width - len(row))
            picked = pick(row)
            term = " ".join(picked[0].split())
            if not term:
                if any(cell.strip() for cell in row):
                    return None               # an empty term
                continue                      # a blank row
            kind = picked[1]
            if kind not in TYPES:
                kind = kind.strip().lower()
                if kind not in TYPES:
                    return None
            terms.append(term)
            types.append(kind)
            lines.append(reader.line_num)
            cells.append(picked)
    except csv.Error:
        return None
    # parse's bookkeeping (acronyms by their exact form, besides every term by
    # its casefold) flags a term exactly when an earlier one has its casefold:
    # an acronym's exact form has capitals, which no casefold has. Terms hold
    # no line break, so one casefold of them all splits back term by term.
    if len(set("\n".join(terms).casefold().split("\n"))) != len(terms):
        return None
    return Glossary._of_rows(rows)


def check_file(path: Path) -> None:
    """A glossary that exists must be a file to read: a FIFO or a device
    (/dev/zero) is read to its end, which never comes (/dev/null is no terms)."""
    path = Path(path)
    if path.exists() and not path.is_file() and not path.is_dir() \
            and os.path.realpath(path) != os.devnull:
        raise L10nError("glossary is not a regular file", path)


def _text(path: Path) -> str:
    check_file(path)
    data = read_input(path, "glossary CSV file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode Text" and "UTF-16 CSV": UTF-16 with its byte-order mark
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise L10nError("glossary is not valid UTF-16", path,
                            data[: exc.start].decode("utf-16", "replace").count("\n") + 1) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise L10nError("glossary is not UTF-8 (save it as \"CSV UTF-8\")", path,
                        data[: exc.start].count(b"\n") + 1) from None


@dataclass(frozen=True)
class _Columns:
    term: int
    type: int
    note: int | None
    locales: dict[int, str]


def _columns(header: list[str], problem) -> _Columns | None:
    for name in ("term", "type", "note"):
        if header.count(name) > 1:
            problem(f"column {name!r} appears twice", 1)
            return None
    missing = [c for c in ("term", "type") if c not in header]
    named = ", ".join(repr(h) for h in header[:6] if h) or "nothing"
    for name in missing:
        # the header as read says why: another language ('Begriff'), another separator
        problem(f"missing column {name!r} (the first line names {named})", 1)
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
    return Term(term, kind, {loc: " ".join(row[i].split()) for i, loc in c.locales.items()
                             if row[i].strip()},
                row[c.note].strip() if c.note is not None else "", line)


def load(path: Path) -> Glossary:
    """Read a glossary, raising on its first problem."""
    glossary, problems = parse(path)
    if problems:
        first = problems[0]
        raise L10nError(f"glossary: {first.message}", path, first.line)
    return glossary
