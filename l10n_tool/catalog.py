"""Gettext catalogs: templates, per-locale PO files, merging and statistics.

The only module that touches polib. Merging follows ``msgmerge --previous``
so translators see what they are used to, with one addition: text already
translated in another PO file of the same locale (site chrome shared by all
pages) is filled in as an exact match.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import polib
from babel.messages.catalog import Catalog

from l10n_tool import __version__, markup
from l10n_tool.document import Document
from l10n_tool.errors import L10nError
from l10n_tool.fsutil import write_atomic
from l10n_tool.locales import LocaleInfo

#: msgmerge's similarity cut-off for fuzzy matches.
FUZZY_CUTOFF = 0.6
#: Translator-comment prefix that marks an entry as machine-translated.
MT_PREFIX = "mt:"
#: Translator-comment prefix for problems the MT step could not repair.
MT_PROBLEM_PREFIX = "mt-problem:"

_DATE_HEADER = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*"$', re.M)
_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(
    rf'^(?:#~\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_STRING}\s*$')


# --------------------------------------------------------------------------- entries

def key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def is_reviewed(entry: polib.POEntry) -> bool:
    """Translated and not fuzzy: a human has signed it off."""
    return bool(entry.msgstr) and "fuzzy" not in entry.flags and not entry.obsolete


def is_mt_draft(entry: polib.POEntry) -> bool:
    """Still an unreviewed machine draft: fuzzy and with MT provenance."""
    return ("fuzzy" in entry.flags and bool(entry.msgstr)
            and any(line.startswith(MT_PREFIX) for line in (entry.tcomment or "").splitlines()))


def live_entries(po: polib.POFile | None) -> dict[str, polib.POEntry]:
    """A page's current (not obsolete) entries by msgid; empty when it has no PO file."""
    return {e.msgid: e for e in po if not e.obsolete} if po is not None else {}


def words(text: str) -> int:
    return len(re.findall(r"\w+", markup.strip(text)))


# --------------------------------------------------------------------------- I/O

def _lint(text: str, path: Path) -> None:
    """Reject what polib would silently drop, such as an unterminated string."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith("#~")):
            continue
        if stripped.startswith("#~") and (not stripped[2:].strip() or stripped.startswith("#~|")):
            continue  # a bare "#~", or an obsolete entry's previous msgid
        if not _PO_LINE.match(stripped):
            raise L10nError(f"PO syntax error: {stripped[:60]!r}", path, number)


def load(path: Path) -> polib.POFile:
    """Read a PO/POT file, turning every syntax problem into an L10nError."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise L10nError("no such file", path) from None
    # the header names the charset; legacy files may use another than UTF-8
    m = re.search(rb"charset=([\w.-]+)", data[:4096])
    charset = m.group(1).decode("ascii") if m and m.group(1).upper() != b"CHARSET" else "utf-8"
    try:
        text = data.decode(charset).lstrip("\ufeff")
    except LookupError:
        raise L10nError(f"unknown charset {charset!r}", path,
                        data[: m.start()].count(b"\n") + 1) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise L10nError(f"not valid {charset}" if charset.lower().replace("-", "") != "utf8"
                        else "not UTF-8", path, line) from None
    _lint(text, path)
    try:
        po = polib.pofile(text, check_for_duplicates=True)
    except (OSError, ValueError) as exc:
        m = re.search(r"line (\d+)", str(exc))
        msg = re.sub(r"\s*\(line \d+\)", "", str(exc)).replace("in po file ", "")
        raise L10nError(f"PO syntax error: {msg.strip()}", path,
                        int(m.group(1)) if m else None) from None
    po.fpath = str(path)
    _msgid_lines(po, text)
    return po


def _msgid_lines(po: polib.POFile, text: str) -> None:
    """Point every entry's ``linenum`` at its ``msgid`` line, where editors and
    msgfmt point; polib's own value lands somewhere in the comment block."""
    lines = text.splitlines()
    for entry in po:
        i = max(0, (entry.linenum or 1) - 2)
        while i < len(lines) and not lines[i].lstrip("#~ ").startswith("msgid "):
            i += 1
        if i < len(lines):
            entry.linenum = i + 1


def _strip_dates(text: str) -> str:
    return _DATE_HEADER.sub("", text)


def save(po: polib.POFile, path: Path) -> bool:
    """Write atomically, always as UTF-8; skip when only the date headers would change."""
    content_type = po.metadata.get("Content-Type", "")
    if "charset=utf-8" not in content_type.lower():
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    text = str(po) + "\n" if not str(po).endswith("\n") else str(po)
    try:
        if _strip_dates(path.read_text(encoding="utf-8")) == _strip_dates(text):
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    return write_atomic(path, text)


def _header(locale: LocaleInfo | None, project: str) -> dict[str, str]:
    """Header fields, as Babel would write them for this locale."""
    catalog = Catalog(locale=locale.babel_locale() if locale else None,
                      project=project, version=__version__)
    headers = dict(catalog.mime_headers)
    headers["Generated-By"] = f"l10n_tool {__version__}"
    headers["Content-Type"] = "text/plain; charset=UTF-8"
    if locale:
        headers["Language"] = locale.code
        headers["Language-Team"] = f"{locale.english_name} <{locale.code}@li.org>"
        headers["Plural-Forms"] = locale.plural_forms
    return headers


# --------------------------------------------------------------------------- templates

def template(document: Document, source_ref: str, project: str,
             annotate=None) -> polib.POFile:
    """Build the POT for one document.

    ``annotate(text)`` may return extra extracted comments for a unit (the
    glossary terms it uses); same-text units share one entry.
    """
    pot = polib.POFile(wrapwidth=78)
    pot.metadata = _header(None, project)
    by_key: dict[str, polib.POEntry] = {}
    for unit in document.units:
        entry = by_key.get(unit.text)
        if entry is None:
            notes = list(unit.notes) + list(annotate(unit.text) if annotate else [])
            entry = polib.POEntry(msgid=unit.text, msgstr="", occurrences=[],
                                  comment="\n".join([unit.kind] + notes))
            by_key[unit.text] = entry
            pot.append(entry)
        else:
            kinds = entry.comment.split("\n")
            if unit.kind not in kinds[0].split(", "):
                kinds[0] = f"{kinds[0]}, {unit.kind}"
                entry.comment = "\n".join(kinds)
        ref = (source_ref, str(unit.line))
        if ref not in entry.occurrences:
            entry.occurrences.append(ref)
    return pot


# --------------------------------------------------------------------------- merge

@dataclass
class MergeResult:
    po: polib.POFile
    kept: int = 0
    new: int = 0
    reused: int = 0        # exact matches from other files of the locale
    fuzzy: int = 0         # changed units matched to their old translation
    obsolete: int = 0
    created: bool = False


def translation_memory(pos: Iterable[polib.POFile]) -> dict[tuple, str]:
    """Reviewed translations of a locale, for exact-match reuse."""
    memory: dict[tuple, str] = {}
    for po in pos:
        for entry in po:
            if is_reviewed(entry):
                memory.setdefault(key(entry), entry.msgstr)
    return memory


def _copy_template_entry(t: polib.POEntry) -> polib.POEntry:
    return polib.POEntry(msgid=t.msgid, msgctxt=t.msgctxt, msgstr="",
                         occurrences=list(t.occurrences), comment=t.comment, flags=[])


def merge(pot: polib.POFile, po: polib.POFile | None, locale: LocaleInfo,
          project: str, memory: dict[tuple, str] | None = None) -> MergeResult:
    """Merge a template into a locale's PO file; nothing translated is dropped."""
    result = MergeResult(po=polib.POFile(wrapwidth=78), created=po is None)
    out = result.po
    if po is None:
        out.metadata = _header(locale, project)
        old_entries: list[polib.POEntry] = []
    else:
        out.metadata = dict(po.metadata)
        for name, value in _header(locale, project).items():
            if name in ("Language", "Plural-Forms", "Content-Type") or name not in out.metadata:
                out.metadata[name] = value
        out.metadata_is_fuzzy = po.metadata_is_fuzzy
        old_entries = [e for e in po if e.msgid or e.msgctxt]
    old = {key(e): e for e in old_entries}
    memory = memory or {}
    used: set[tuple] = set()
    pending: list[polib.POEntry] = []
    for t in pot:
        entry = _copy_template_entry(t)
        prev = old.get(key(t))
        if prev is not None:
            used.add(key(t))
            entry.msgstr = prev.msgstr
            entry.flags = [f for f in prev.flags]
            entry.tcomment = prev.tcomment
            if "fuzzy" in entry.flags:
                entry.previous_msgid = prev.previous_msgid
                entry.previous_msgctxt = prev.previous_msgctxt
            result.kept += 1
            if not entry.msgstr and key(t) in memory:
                entry.msgstr = memory[key(t)]
                result.reused += 1
        elif key(t) in memory:
            entry.msgstr = memory[key(t)]
            result.reused += 1
        else:
            pending.append(entry)
            result.new += 1
        out.append(entry)

    candidates = [e for e in old_entries if key(e) not in used and e.msgstr]
    for entry, source in _fuzzy_pairs(pending, candidates):
        used.add(key(source))
        entry.msgstr = source.msgstr
        entry.tcomment = source.tcomment
        entry.flags = ["fuzzy"] + [f for f in source.flags if f != "fuzzy"]
        entry.previous_msgid = source.msgid
        entry.previous_msgctxt = source.msgctxt
        result.fuzzy += 1
        result.new -= 1

    for e in old_entries:
        translated = e.msgstr or any(e.msgstr_plural.values())
        if key(e) in used or not (translated or e.tcomment):
            continue
        gone = copy.copy(e)     # every field a translator wrote, plural forms included
        gone.obsolete, gone.occurrences, gone.comment = True, [], ""
        out.append(gone)
        if not e.obsolete:
            result.obsolete += 1
    return result


def _fuzzy_pairs(pending, candidates):
    """One-to-one best matches above the cut-off, best first (like msgmerge)."""
    scored = []
    for i, entry in enumerate(pending):
        for j, cand in enumerate(candidates):
            sm = difflib.SequenceMatcher(None, entry.msgid, cand.msgid, autojunk=False)
            if sm.real_quick_ratio() < FUZZY_CUTOFF or sm.quick_ratio() < FUZZY_CUTOFF:
                continue
            ratio = sm.ratio()
            if ratio >= FUZZY_CUTOFF:
                scored.append((ratio, -i, -j, i, j))
    scored.sort(reverse=True)
    taken_i: set[int] = set()
    taken_j: set[int] = set()
    for _, _, _, i, j in scored:
        if i in taken_i or j in taken_j:
            continue
        taken_i.add(i)
        taken_j.add(j)
        yield pending[i], candidates[j]


# --------------------------------------------------------------------------- stats

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
        if entry.obsolete:
            continue
        n = words(entry.msgid)
        s.total += 1
        s.words_total += n
        if is_reviewed(entry):
            s.reviewed += 1
            s.words_reviewed += n
            continue
        if entry.msgstr:
            s.fuzzy += 1
            s.words_fuzzy += n
        else:
            s.untranslated += 1
    return s
