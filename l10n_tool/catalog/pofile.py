"""Our own PO reader and writer around polib's entry objects.

polib's parser splits its input with ``str.splitlines()``, so a U+2028,
U+0085 or U+001C inside a msgid (which GNU writes raw, and msgfmt accepts)
breaks the file in two; its duplicate check is quadratic; its writer wraps
unlike GNU. This module reads line by line on ``\\n`` only, in one pass,
remembering each entry's ``msgid`` line, and writes what GNU gettext 0.21
writes (see ``wrap``). The objects stay ``polib.POFile``/``POEntry`` so
the rest of the catalog layer works on the same model.
"""

from __future__ import annotations

import re

import polib

from l10n_tool.catalog.wrap import DEFAULT_WIDTH, wrap
from l10n_tool.errors import L10nError

_KEYWORD = re.compile(
    r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s*("(?:[^"\\]|\\.)*")\s*$')
_CONTINUATION = re.compile(r'"(?:[^"\\]|\\.)*"\s*$')
_UNESCAPE = re.compile(r'\\(?:([abfnrtv\\"\'?])|((?:[0-7]{1,3}|x[0-9a-fA-F]{1,2})'
                       r'(?:\\(?:[0-7]{1,3}|x[0-9a-fA-F]{1,2}))*))|\\(.?)')
_BYTE = re.compile(r"\\?(?:x([0-9a-fA-F]{1,2})|([0-7]{1,3}))")
_SIMPLE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
           "\\": "\\", '"': '"', "'": "'", "?": "?"}


class _Bad(Exception):
    pass


def _unescape_repl(m: re.Match) -> str:
    if m.group(1):
        return _SIMPLE[m.group(1)]
    if m.group(2):      # octal/hex escapes are bytes of the file's encoding (UTF-8)
        raw = bytes(int(h, 16) if h else int(o, 8) & 0xFF for h, o in _BYTE.findall(m.group(2)))
        return raw.decode("utf-8", errors="replace")
    raise _Bad(f"invalid escape sequence '\\{m.group(3)}'")


def _unquote(quoted: str) -> str:
    body = quoted.strip()[1:-1]
    return _UNESCAPE.sub(_unescape_repl, body) if "\\" in body else body


class _Draft:
    """Fields of the entry being read."""
    __slots__ = ("tcomment", "comment", "occurrences", "flags", "prev", "fields", "plural",
                 "obsolete", "line", "field")

    def __init__(self) -> None:
        self.tcomment: list[str] = []
        self.comment: list[str] = []
        self.occurrences: list[tuple[str, str]] = []
        self.flags: list[str] = []
        self.prev: dict[str, str] = {}
        self.fields: dict[str, str] = {}
        self.plural: dict[int, str] = {}
        self.obsolete = False
        self.line = 0            # the msgid line
        self.field: tuple | None = None

    @property
    def has_msgstr(self) -> bool:
        return "msgstr" in self.fields or bool(self.plural)


def _occurrences(text: str) -> list[tuple[str, str]]:
    out = []
    for ref in text.split():
        name, sep, line = ref.rpartition(":")
        out.append((name, line) if sep and line.isdigit() else (ref, ""))
    return out


class _Parser:
    """One pass over the lines; ``draft`` is the entry being read."""

    def __init__(self, path) -> None:
        self.path = path
        self.draft = _Draft()
        self.entries: list[_Draft] = []
        self.number = 0

    def flush(self) -> None:
        d = self.draft
        if d.fields or d.plural:
            if not d.has_msgstr:
                raise L10nError("PO syntax error: msgid without msgstr", self.path, d.line)
            if d.plural and "msgid_plural" not in d.fields:
                raise L10nError("PO syntax error: msgstr[n] without msgid_plural", self.path,
                                d.line)
            self.entries.append(d)
        self.draft = _Draft()

    def line(self, line: str) -> None:
        if line.startswith("#~"):
            rest = line[2:]
            previous = rest.startswith("|")
            body = (rest[1:] if previous else rest).strip()
            if body:
                self.content(body, previous, True)
            return
        if line.startswith("#"):
            if self.draft.has_msgstr:
                self.flush()
            d, kind = self.draft, line[1:2]
            if kind == "|":
                self.content(line[2:].strip(), True, False)
            elif kind == ",":
                d.flags += [f.strip() for f in line[2:].split(",") if f.strip()]
            elif kind == ":":
                d.occurrences += _occurrences(line[2:])
            elif kind == ".":
                d.comment.append(line[3:] if line.startswith("#. ") else line[2:])
            else:
                d.tcomment.append(line[2:] if line.startswith("# ") else line[1:])
            return
        body = line.strip()
        if body:
            self.content(body, False, False)

    def content(self, body: str, previous: bool, obsolete: bool) -> None:
        """One keyword or continuation line."""
        d = self.draft
        if body.startswith('"'):
            if d.field is None:
                raise _Bad(f"unexpected string {body[:60]!r}")
            if not _CONTINUATION.match(body):
                raise _Bad(f"bad string {body[:60]!r}")
            store, name = d.field
            store[name] += _unquote(body)
            return
        m = _KEYWORD.match(body)
        if not m:
            raise _Bad(repr(body[:60]))
        keyword, index, quoted = m.group(1), m.group(2), m.group(3)
        if previous:
            if keyword not in ("msgctxt", "msgid", "msgid_plural"):
                raise _Bad(f"{keyword} in a previous-msgid comment")
            if d.has_msgstr:
                self.flush()
                d = self.draft
            d.prev[keyword] = _unquote(quoted)
            d.field = (d.prev, keyword)
            return
        starts_entry = keyword == "msgctxt" or keyword == "msgid"
        if starts_entry and (d.has_msgstr or keyword in d.fields
                             or (keyword == "msgctxt" and "msgid" in d.fields)):
            if not d.has_msgstr:
                raise _Bad("msgid without msgstr")
            self.flush()
            d = self.draft
        if keyword.startswith("msgstr") and "msgid" not in d.fields:
            raise _Bad(f"{keyword} without msgid")
        if keyword == "msgid":
            d.line = self.number
        d.obsolete = obsolete
        value = _unquote(quoted)
        if index is not None:
            d.plural[int(index)] = value
            d.field = (d.plural, int(index))
        else:
            if keyword in d.fields:
                raise _Bad(f"duplicate {keyword}")
            d.fields[keyword] = value
            d.field = (d.fields, keyword)


def parse(text: str, path=None) -> polib.POFile:
    """Parse PO text; every problem is an ``L10nError`` at its line.

    A file laid out as gettext writes it takes ``_read_entries``, one regular
    expression per entry: `l10n check` reads every catalog of a site, and this
    is most of what it does. Anything else (a CR, odd spacing, a syntax error)
    is read line by line, which knows every case and names the line of a
    problem; both give the same entries for the files the first accepts."""
    entries = _read_entries(text) if "\r" not in text else None
    if entries is None:
        entries = _read_lines(text, path)
    po = polib.POFile(wrapwidth=DEFAULT_WIDTH)
    _build(po, entries, path)
    return po


def _read_lines(text: str, path=None) -> list[_Draft]:
    parser = _Parser(path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    try:
        for parser.number, raw in enumerate(lines, start=1):
            parser.line(raw[:-1] if raw.endswith("\r") else raw)
        parser.flush()
    except _Bad as exc:
        raise L10nError(f"PO syntax error: {exc}", path, parser.number) from None
    return parser.entries


_STRING = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'       # one quoted line, unrolled: no per-character alternation
#: A string of one or more lines, each line after the first with the entry's prefix (group 2).
_LINES = rf"{_STRING}(?:\n\2{_STRING})*"
#: One entry exactly as gettext writes it: comment lines (``#|``/``#~|`` previous
#: msgids among them), then keyword lines, all with ``#~ `` or none; blank lines before.
_ENTRY = re.compile(
    r"\n*((?:#(?:[^~\n][^\n]*)?\n|#~\|[^\n]*\n)*)((?:#~ )?)"
    rf"(?:msgctxt ({_LINES})\n\2)?msgid ({_LINES})\n"
    rf"(?:\2msgid_plural ({_LINES})\n((?:\2msgstr\[[0-9]+\] {_LINES}\n)+)|\2msgstr ({_LINES})\n)")
_FORM = re.compile(r'(?:#~ )?msgstr\[([0-9]+)\] ("[^\n]*"(?:\n(?:#~ )?"[^\n]*")*)\n')


def _read_entries(text: str) -> list[_Draft] | None:
    """The entries of a file in gettext's own layout, or None for any other file."""
    if text and not text.endswith("\n"):
        text += "\n"
    entries, pos, end, line, counted = [], 0, len(text), 1, 0
    match = _ENTRY.match
    try:
        while pos < end:
            m = match(text, pos)
            if m is None:       # blank lines at the end, or something only lines can read
                return None if text[pos:].strip("\n") else entries
            comments, prefix, msgctxt, msgid, plural, forms, msgstr = m.groups()
            d = _Draft()
            if comments:
                _comment_block(d, comments)
            if msgctxt is not None:
                d.fields["msgctxt"] = _joined(msgctxt, prefix)
            d.fields["msgid"] = _joined(msgid, prefix)
            if plural is not None:
                d.fields["msgid_plural"] = _joined(plural, prefix)
                for index, value in _FORM.findall(forms):
                    d.plural[int(index)] = _joined(value, prefix)
            else:
                d.fields["msgstr"] = _joined(msgstr, prefix)
            d.obsolete = bool(prefix)
            start = m.start(4)
            line += text.count("\n", counted, start)
            counted = start
            d.line = line
            entries.append(d)
            pos = m.end()
    except _Bad:
        return None
    return entries


def _joined(lines: str, prefix: str) -> str:
    """A string's value from its quoted lines (as ``_LINES`` matched them)."""
    body = lines[1:-1]
    if "\\" not in body and "\n" not in body:
        return body         # one line, no escapes: most strings
    pieces = body.split(f'"\n{prefix}"')
    return "".join(_UNESCAPE.sub(_unescape_repl, p) if "\\" in p else p for p in pieces)


def _comment_block(d: _Draft, block: str) -> None:
    """Comment lines, as ``_Parser.line`` reads them (``_Bad`` where it would fail)."""
    field = None
    for line in block[:-1].split("\n"):
        kind = line[1:2]
        if kind == ".":
            d.comment.append(line[3:] if line[2:3] == " " else line[2:])
        elif kind == ":":
            d.occurrences += _occurrences(line[2:])
        elif kind == ",":
            d.flags += [f.strip() for f in line[2:].split(",") if f.strip()]
        elif kind == "|" or kind == "~":
            body = (line[3:] if kind == "~" else line[2:]).strip()
            if body.startswith('"'):
                if field is None or not _CONTINUATION.match(body):
                    raise _Bad(body)
                d.prev[field] += _unquote(body)
                continue
            m = _KEYWORD.match(body)
            if not m or m.group(1) not in ("msgctxt", "msgid", "msgid_plural"):
                raise _Bad(body)
            field = m.group(1)
            d.prev[field] = _unquote(m.group(3))
        else:
            d.tcomment.append(line[2:] if kind == " " else line[1:])


def _build(po: polib.POFile, entries: list[_Draft], path) -> None:
    """Entries into ``po``; duplicates found with one dict, in linear time."""
    seen: dict[tuple, int] = {}
    header_done = False
    for d in entries:
        line = d.line
        f = d.fields
        msgid, msgctxt = f["msgid"], f.get("msgctxt")
        if not header_done and msgid == "" and msgctxt is None and not d.obsolete:
            header_done = True
            if not po and not seen:
                po.header = "\n".join(d.tcomment)
                po.header_comment = bool(d.tcomment)
                po.metadata_is_fuzzy = ["fuzzy"] if "fuzzy" in d.flags else 0
                po.metadata = _metadata(f.get("msgstr", ""))
                continue
        k = (msgctxt, msgid, d.obsolete)
        first = seen.get(k)
        if first is not None and not d.obsolete:
            raise L10nError(f"duplicate message definition (first defined at line {first})",
                            path, line)
        seen.setdefault(k, line)
        po.append(polib.POEntry(
            msgid=msgid, msgstr=f.get("msgstr", ""), msgid_plural=f.get("msgid_plural", ""),
            msgstr_plural=dict(d.plural), msgctxt=msgctxt, obsolete=d.obsolete,
            occurrences=d.occurrences, comment="\n".join(d.comment),
            tcomment="\n".join(d.tcomment), flags=d.flags,
            previous_msgctxt=d.prev.get("msgctxt"), previous_msgid=d.prev.get("msgid"),
            previous_msgid_plural=d.prev.get("msgid_plural"), linenum=line))


def _metadata(msgstr: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for line in msgstr.split("\n"):
        name, sep, value = line.partition(":")
        if sep:
            meta[name.strip()] = value[1:] if value.startswith(" ") else value
    return meta


# ----------------------------------------------------------------- writing

def _comment_lines(mark: str, text: str | None) -> list[str]:
    if not text:
        return []
    return [f"{mark} {line}" if line else mark for line in text.split("\n")]


def _reference_lines(occurrences, width: int | None) -> list[str]:
    """``#:`` lines; GNU wraps these at the page width even under ``--no-wrap``."""
    if not occurrences:
        return []
    page = width or DEFAULT_WIDTH
    lines, current, column = [], "#:", 2
    for name, line in occurrences:
        ref = f"{name}:{line}" if line else name
        if column > 2 and column + len(ref) + 1 > page:
            lines.append(current)
            current, column = "#:", 2
        current += " " + ref
        column += len(ref) + 1
    lines.append(current)
    return lines


def _flags(entry: polib.POEntry) -> list[str]:
    """``#,`` as GNU prints it: ``fuzzy`` first and only on a translated entry
    (a fuzzy empty msgstr means nothing), never ``wrap``, which is the default;
    an obsolete entry keeps no range."""
    flags = entry.flags
    if not flags:
        return []
    first = entry.msgstr_plural[min(entry.msgstr_plural)] if entry.msgid_plural and \
        entry.msgstr_plural else entry.msgstr
    fuzzy = "fuzzy" in flags and (bool(first) or entry.obsolete)
    rest = [f for f in flags if f not in ("fuzzy", "wrap")
            and not (entry.obsolete and f.startswith("range:"))]
    ordered = list(dict.fromkeys((["fuzzy"] if fuzzy else []) + rest))
    return ["#, " + ", ".join(ordered)] if ordered else []


def entry_lines(entry: polib.POEntry, width: int | None = DEFAULT_WIDTH) -> list[str]:
    """One entry as GNU writes it (``message_print`` / ``message_print_obsolete``)."""
    w = None if "no-wrap" in entry.flags else width
    prefix = "#~ " if entry.obsolete else ""
    prev = "#~| " if entry.obsolete else "#| "
    out = _comment_lines("#", entry.tcomment) + _comment_lines("#.", entry.comment)
    out += _reference_lines(entry.occurrences, width) + _flags(entry)
    for name, value in (("msgctxt", entry.previous_msgctxt), ("msgid", entry.previous_msgid),
                        ("msgid_plural", entry.previous_msgid_plural)):
        if value is not None:
            out += wrap(name, value, prev, w)
    if entry.msgctxt is not None:
        out += wrap("msgctxt", entry.msgctxt, prefix, w)
    out += wrap("msgid", entry.msgid, prefix, w)
    if entry.msgid_plural:
        out += wrap("msgid_plural", entry.msgid_plural, prefix, w)
        forms = entry.msgstr_plural or {0: ""}
        for n in sorted(forms):
            out += wrap(f"msgstr[{n}]", forms[n], prefix, w)
    else:
        out += wrap("msgstr", entry.msgstr, prefix, w)
    return out


def header_lines(po: polib.POFile, width: int | None = DEFAULT_WIDTH) -> list[str]:
    """The header entry. A catalog we create gets the lone ``#`` polib always
    wrote, so files written before this module stay byte-identical."""
    out = _comment_lines("#", po.header)
    if not out and getattr(po, "header_comment", True):
        out = ["#"]
    if po.metadata_is_fuzzy:
        out.append("#, fuzzy")
    out.append('msgid ""')
    body = "".join(f"{name}: {value}\n" for name, value in po.metadata.items())
    return out + wrap("msgstr", body, "", width)


def serialize(po: polib.POFile, width: int | None = DEFAULT_WIDTH) -> str:
    """The whole file: header, live entries, then obsolete ones, as GNU orders them."""
    blocks = []
    if po.metadata or po.header:
        blocks.append(header_lines(po, width))
    blocks += [entry_lines(e, width) for e in po if not e.obsolete]
    # GNU never writes an untranslated obsolete entry: there is nothing to keep
    blocks += [entry_lines(e, width) for e in po
               if e.obsolete and (e.msgstr_plural[min(e.msgstr_plural)] if e.msgid_plural
                                  and e.msgstr_plural else e.msgstr)]
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
