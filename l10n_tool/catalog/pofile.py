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

from l10n_tool.catalog.wrap import DEFAULT_WIDTH, MIN_WIDTH, wrap
from l10n_tool.errors import L10nError

_WS = "[ \t\r\f\v]"        # what GNU's lexer skips; other Unicode spaces are junk to it
_BODY = r'"((?:[^"\\]|\\.)*)"'
#: a whole line that is one keyword and its string, or one string: most lines of a file
_KEYWORD = re.compile(rf'{_WS}*(msgctxt|msgid_plural|msgid|msgstr)(?:\[([0-9]+)\])?{_WS}*'
                      rf'{_BODY}{_WS}*\Z')
_CONTINUATION = re.compile(rf'{_WS}*{_BODY}{_WS}*\Z')
#: one token of GNU's lexer (``po-lex.c``): string (group 2 empty if it is not
#: closed on its line), word, number, punctuation, or anything else (junk)
_TOKEN = re.compile(rf'{_WS}*(?:"((?:[^"\\]|\\.)*)("?)|([A-Za-z_$][A-Za-z0-9_$]*)|([0-9]+)'
                    rf'|([\[\]#])|([^ \t\r\f\v]))')
_UNESCAPE = re.compile(r'\\(?:([abfnrtv\\"])|((?:[0-7]{1,3}|x[0-9a-fA-F]{1,2})'
                       r'(?:\\(?:[0-7]{1,3}|x[0-9a-fA-F]{1,2}))*))|\\(.?)')
_BYTE = re.compile(r"\\?(?:x([0-9a-fA-F]{1,2})|([0-7]{1,3}))")
_SIMPLE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
           "\\": "\\", '"': '"'}
_EOT = "context separator <EOT> within string"
#: a CR inside a comment line followed by what would be a PO line of its own:
#: a file with CR-only line ends, which GNU reads as one comment (an empty file)
#: the lines git leaves around a conflict in a file both sides changed
_CONFLICT = frozenset(("<<<<<<<", "|||||||", "=======", ">>>>>>>"))
_SWALLOWED = re.compile(r'\r[ \t\r\f\v]*(?:#|"|msg)')


class _Bad(Exception):
    """A syntax error, at ``line`` when that is not the line being read (an
    entry missing its msgstr is named by its msgid, as msgfmt names it)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _unescape_repl(m: re.Match) -> str:
    if m.group(1):
        return _SIMPLE[m.group(1)]
    if m.group(2):      # octal/hex escapes are bytes of the file's encoding (UTF-8)
        raw = bytes(int(h, 16) if h else int(o, 8) & 0xFF for h, o in _BYTE.findall(m.group(2)))
        if 4 in raw:
            raise _Bad(_EOT)
        return raw.decode("utf-8", errors="replace")
    # msgfmt knows no other escape, \' and \? of C included
    raise _Bad(f"invalid control sequence '\\{m.group(3)}' (a backslash of the text itself is "
               "written \\\\)")


def _unquote(body: str) -> str:
    """A string's value from what is between its quotes."""
    if "\x04" in body:      # msgctxt and msgid are joined with it in a MO file
        raise _Bad(_EOT)
    return _UNESCAPE.sub(_unescape_repl, body) if "\\" in body else body


class _Draft:
    """Fields of the entry being read."""
    __slots__ = ("tcomment", "comment", "occurrences", "flags", "prev", "fields", "plural",
                 "obsolete", "line")

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


def _occurrences(text: str) -> list[tuple[str, str]]:
    out = []
    for ref in text.split():
        name, sep, line = ref.rpartition(":")
        out.append((name, line) if sep and line.isdigit() else (ref, ""))
    return out


def _comment(d: _Draft, line: str) -> None:
    """One comment line (``#`` and what follows it) into the entry it precedes."""
    kind = line[1:2]
    if kind == ",":
        d.flags += [f.strip() for f in line[2:].split(",") if f.strip()]
    elif kind == ":":
        d.occurrences += _occurrences(line[2:])
    elif kind == ".":
        d.comment.append(line[3:] if line[2:3] == " " else line[2:])
    else:
        d.tcomment.append(line[2:] if kind == " " else line[1:])


# The grammar of ``po-gram-gen.y``, one state per place in an entry; ``_KW``
# states wait for the string after a keyword. An entry is complete in _STR
# and _FORM: whatever cannot continue it starts the next one.
(_START, _PCTXT_KW, _PCTXT, _PID_KW, _PID, _PPL_KW, _PPL, _CTXT_KW, _CTXT, _ID_KW, _ID,
 _PL_KW, _PL, _STR_KW, _STR, _FORM_KW, _FORM_IDX, _FORM_CLOSE, _FORM_STR_KW, _FORM) = range(20)

#: what each state waits for, for the message when something else comes
_EXPECTED = {
    _START: "msgid or msgctxt to begin an entry", _PCTXT_KW: "a string after #| msgctxt",
    _PCTXT: "#| msgid after #| msgctxt", _PID_KW: "a string after #| msgid",
    _PID: "msgid after #| msgid", _PPL_KW: "a string after #| msgid_plural",
    _PPL: "msgid after #| msgid_plural", _CTXT_KW: "a string after msgctxt",
    _CTXT: "msgid after msgctxt", _ID_KW: "a string after msgid", _ID: "msgstr after msgid",
    _PL_KW: "a string after msgid_plural", _PL: "msgstr[0] after msgid_plural",
    _STR_KW: "a string after msgstr",
    _FORM_KW: "'[' after msgstr", _FORM_IDX: "a number after msgstr[",
    _FORM_CLOSE: "']' after the plural form's number", _FORM_STR_KW: "a string after msgstr[n]",
}
#: the string field each ``_KW`` state fills, and the state after it
_FILLS = {_PCTXT_KW: ("pstr", "prev", "msgctxt", _PCTXT),
          _PID_KW: ("pstr", "prev", "msgid", _PID),
          _PPL_KW: ("pstr", "prev", "msgid_plural", _PPL),
          _CTXT_KW: ("str", "fields", "msgctxt", _CTXT), _ID_KW: ("str", "fields", "msgid", _ID),
          _PL_KW: ("str", "fields", "msgid_plural", _PL),
          _STR_KW: ("str", "fields", "msgstr", _STR)}
#: the keywords and punctuation each state takes, and the state they lead to
_NEXT = {(_PCTXT, "#| msgid"): _PID_KW, (_PID, "#| msgid_plural"): _PPL_KW,
         (_PID, "msgctxt"): _CTXT_KW, (_PPL, "msgctxt"): _CTXT_KW,
         (_PID, "msgid"): _ID_KW, (_PPL, "msgid"): _ID_KW, (_CTXT, "msgid"): _ID_KW,
         (_ID, "msgstr"): _STR_KW, (_ID, "msgid_plural"): _PL_KW,
         (_PL, "msgstr"): _FORM_KW, (_FORM, "msgstr"): _FORM_KW,
         (_STR_KW, "["): _FORM_IDX, (_FORM_KW, "["): _FORM_IDX,     # the first: no msgid_plural
         (_FORM_IDX, "num"): _FORM_CLOSE, (_FORM_CLOSE, "]"): _FORM_STR_KW}
#: states a further string continues (a field's next line)
_STRINGS = frozenset((_CTXT, _ID, _PL, _STR, _FORM))
_PREV_STRINGS = frozenset((_PCTXT, _PID, _PPL))
#: keywords as the lexer returns them: inside ``#|`` they name the previous msgid's fields
_WORDS = {"msgid": "msgid", "msgid_plural": "msgid_plural", "msgstr": "msgstr",
          "msgctxt": "msgctxt", "domain": "domain"}
_PREV_WORDS = {"msgid": "#| msgid", "msgid_plural": "#| msgid_plural", "msgctxt": "#| msgctxt"}


def _found(kind: str, value) -> str:
    """A token as an error message names it: a string by its start, so that a
    line of a megabyte never becomes a message of one."""
    if kind in ("str", "pstr"):
        text = value if len(value) <= 40 else value[:40] + "…"
        return f"the string {text!r}"
    if kind == "num":
        return f"'{value}'"
    if kind in ("[", "]"):
        return f"'{kind}'"
    return kind


class _Parser:
    """GNU's grammar over GNU's tokens, fed one line at a time: keywords and
    strings may share a line or spread over several as msgfmt allows, a
    comment only stands before an entry, and every problem is named at the
    line msgfmt names (or, for a syntax error, the line of the token)."""

    def __init__(self) -> None:
        self.draft = _Draft()
        self.entries: list[_Draft] = []
        self.number = 0
        self.state = _START
        self.obsolete = False       # of the entry's first keyword: every token must agree
        self.store: tuple[dict, object] | None = None     # the field a string continues
        self.index = 0              # the plural form being read
        self.keyword_line = 0       # of its msgstr

    def line(self, line: str) -> None:
        """One line: the common shapes by one match, anything else token by token."""
        if line[:7] in _CONFLICT:
            raise _Bad(f"a merge conflict marker ({line[:7]}): keep one side of the "
                       "conflict and delete the marker lines")
        obsolete = previous = False
        body = line
        if line[:1] == "#":
            kind = line[1:2]
            if kind == "~":
                obsolete = True
                body = line[2:]
                if body[:1] == "|":
                    previous, body = True, body[1:]
            elif kind == "|":
                previous, body = True, line[2:]
            else:
                self.comment(line)
                return
        m = _KEYWORD.match(body)
        if m:
            word, index, value = m.groups()
            self.token(self.keyword(word, previous), None, obsolete)
            if index is not None:
                self.token("[", None, obsolete)
                self.token("num", index, obsolete)
                self.token("]", None, obsolete)
            self.token("pstr" if previous else "str", _unquote(value), obsolete)
            return
        m = _CONTINUATION.match(body)
        if m:
            self.token("pstr" if previous else "str", _unquote(m.group(1)), obsolete)
            return
        self.tokens(body, obsolete, previous)

    def tokens(self, line: str, obsolete: bool, previous: bool) -> None:
        pos = 0
        while True:
            m = _TOKEN.match(line, pos)
            if m is None:
                return                              # only whitespace left
            pos = m.end()
            string, closed, word, number, punct, junk = m.groups()
            if string is not None:
                if not closed:
                    raise _Bad("end-of-line within string")
                self.token("pstr" if previous else "str", _unquote(string), obsolete)
            elif word is not None:
                try:
                    kind = self.keyword(word, previous)
                except _Bad as exc:
                    if pos - len(word) > 0 and line[:pos - len(word)].rstrip(" \t\f\v\r")[-1:] == '"':
                        # a word right after a string: most often a quote typed into the text
                        raise _Bad(f'{exc} (a double quote inside the text is written \\")') \
                            from None
                    raise
                self.token(kind, None, obsolete)
            elif number is not None:
                self.token("num", number, obsolete)
            elif punct == "#":                      # the lexer reads # anywhere on a line
                after = line[pos:pos + 1]
                if after == "~":
                    obsolete, pos = True, pos + 1
                    if line[pos:pos + 1] == "|":
                        previous, pos = True, pos + 1
                elif after == "|":
                    previous, pos = True, pos + 1
                else:
                    self.comment(line[m.start(5):])
                    return
            elif punct:
                self.token(punct, None, obsolete)
            else:
                raise _Bad(f"{junk!r} outside a string")

    @staticmethod
    def keyword(word: str, previous: bool) -> str:
        kind = (_PREV_WORDS if previous else _WORDS).get(word)
        if kind is None:
            raise _Bad(f'keyword "{word}" unknown')
        return kind

    def comment(self, line: str) -> None:
        if "\r" in line and _SWALLOWED.search(line):
            raise _Bad("a lone CR line end (old Mac) inside a comment: gettext reads what "
                       "follows, to the next LF, as part of it; save the file with LF line ends")
        state = self.state
        if state != _START:
            if state == _STR or state == _FORM:
                self.finish()
            else:
                self.incomplete(f"a comment inside an entry, where {_EXPECTED[state]} "
                                f"should be (comments go above its #| and msgid lines)")
        _comment(self.draft, line)

    def incomplete(self, syntax_error: str):
        """An entry cut short: what msgfmt reports for it, at the line it names."""
        d, state = self.draft, self.state
        if state == _ID:
            raise _Bad("missing 'msgstr' section", d.line)
        if state == _PL:
            raise _Bad("missing 'msgstr[]' section", d.line)
        raise _Bad(syntax_error)

    def unexpected(self, kind: str, value) -> _Bad:
        if self.state == _FORM_KW and kind == "str":
            return _Bad("after msgid_plural, msgstr needs the plural form's "
                        "number (msgstr[0], msgstr[1]…)")
        if self.state == _START and kind in ("str", "pstr"):
            return _Bad(f"{_found(kind, value)} outside an entry")
        return _Bad(f"expected {_EXPECTED[self.state]}, found {_found(kind, value)}")

    def token(self, kind: str, value, obsolete: bool) -> None:
        state = self.state
        if state == _START:
            self.begin(kind, value, obsolete)
            return
        d = self.draft
        fills = _FILLS.get(state)
        after = _NEXT.get((state, kind))
        if fills is not None and kind == fills[0] or state == _FORM_STR_KW and kind == "str" \
                or kind == "str" and state in _STRINGS or kind == "pstr" and state in _PREV_STRINGS:
            pass
        elif after is None:
            if state == _STR or state == _FORM:       # complete: this begins the next entry
                self.finish()
                self.begin(kind, value, obsolete)
                return
            if state == _ID or state == _PL:
                self.incomplete("")
            raise self.unexpected(kind, value)
        if obsolete != self.obsolete:
            raise _Bad("inconsistent use of #~ (part of the entry is marked obsolete and "
                       "part is not)")
        if after is not None:
            self.state = after
            if after == _ID_KW:
                d.line = self.number
            elif after == _STR_KW or after == _FORM_KW:
                self.keyword_line = self.number
            elif after == _FORM_CLOSE:
                self.plural_index(value)
        elif fills is not None:
            _, where, name, self.state = fills
            store = getattr(d, where)
            store[name] = value
            self.store = (store, name)
        elif state == _FORM_STR_KW:
            d.plural[self.index] = value
            self.store, self.state = (d.plural, self.index), _FORM
        else:
            store, name = self.store
            store[name] += value

    def plural_index(self, number: str) -> None:
        """``msgstr[n]``: the forms count from 0, one after the other."""
        index, expected = int(number), len(self.draft.plural)
        if index != expected:
            if not expected:
                raise _Bad(f"first plural form has nonzero index (msgstr[{number}]; the forms "
                           f"count from msgstr[0])", self.keyword_line)
            raise _Bad(f"plural form has wrong index (msgstr[{number}] where msgstr[{expected}] "
                       f"belongs)", self.keyword_line)
        self.index = index

    def begin(self, kind: str, value, obsolete: bool) -> None:
        """The first keyword of an entry."""
        self.obsolete = obsolete
        if kind == "msgid":
            self.draft.line, self.state = self.number, _ID_KW
        elif kind == "msgctxt":
            self.state = _CTXT_KW
        elif kind == "#| msgid":
            self.state = _PID_KW
        elif kind == "#| msgctxt":
            self.state = _PCTXT_KW
        elif kind == "domain":
            raise _Bad("'domain' directives are not supported: one PO file per domain")
        else:
            raise self.unexpected(kind, value)

    def finish(self) -> None:
        """The entry is complete."""
        d = self.draft
        if self.state == _FORM and "msgid_plural" not in d.fields:
            raise _Bad("missing 'msgid_plural' section", d.line)
        d.obsolete = self.obsolete
        self.entries.append(d)
        self.draft, self.state, self.store = _Draft(), _START, None

    def end(self) -> None:
        state = self.state
        if state == _STR or state == _FORM:
            self.finish()
        elif state != _START:       # comments after the last entry belong to none, as in GNU
            self.incomplete(f"expected {_EXPECTED[state]}, found the end of the file")


def parse(text: str, path=None) -> polib.POFile:
    """Parse PO text; every problem is an ``L10nError`` at its line.

    A file laid out as gettext writes it takes ``_read_entries``, one regular
    expression per entry: `l10n check` reads every catalog of a site, and this
    is most of what it does. Anything else (a CR, odd spacing, a syntax error)
    is read token by token, which knows every case msgfmt knows and names the
    line of a problem; both give the same entries for the files the first
    accepts."""
    entries = _read_entries(text) if "\r" not in text and "\x04" not in text else None
    if entries is None:
        entries = _read_lines(text, path)
    po = polib.POFile(wrapwidth=DEFAULT_WIDTH)
    _build(po, entries, path)
    return po


def _read_lines(text: str, path=None) -> list[_Draft]:
    parser = _Parser()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    try:
        for parser.number, raw in enumerate(lines, start=1):
            if raw:
                parser.line(raw[:-1] if raw.endswith("\r") else raw)
        parser.end()
    except _Bad as exc:
        raise L10nError(f"PO syntax error: {exc}", path, exc.line or parser.number) from None
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
_PLURAL_FORM = re.compile(r'(?:#~ )?msgstr\[([0-9]+)\] ("[^\n]*"(?:\n(?:#~ )?"[^\n]*")*)\n')


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
                _comment_block(d, comments, bool(prefix))
            if msgctxt is not None:
                d.fields["msgctxt"] = _joined(msgctxt, prefix)
            d.fields["msgid"] = _joined(msgid, prefix)
            if plural is not None:
                d.fields["msgid_plural"] = _joined(plural, prefix)
                for index, value in _PLURAL_FORM.findall(forms):
                    if int(index) != len(d.plural):
                        return None     # forms out of order: the line reader names the line
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


#: the previous msgid's fields in the order ``po-gram-gen.y`` takes them
_PREV_ORDER = {None: ("msgctxt", "msgid"), "msgctxt": ("msgid",), "msgid": ("msgid_plural",)}


def _comment_block(d: _Draft, block: str, obsolete: bool) -> None:
    """Comment lines, as ``_Parser.line`` reads them (``_Bad`` where it would
    fail): ``#|`` lines last, all ``#|`` for a live entry or ``#~|`` for an
    obsolete one, msgctxt, msgid and msgid_plural in that order."""
    field = None
    for line in block[:-1].split("\n"):
        kind = line[1:2]
        if kind == "|" or kind == "~":
            if (kind == "~") != obsolete:
                raise _Bad(line)
            body = line[3:] if kind == "~" else line[2:]
            m = _CONTINUATION.match(body)
            if m:
                if field is None:
                    raise _Bad(body)
                d.prev[field] += _unquote(m.group(1))
                continue
            m = _KEYWORD.match(body)
            if not m or m.group(2) is not None or m.group(1) not in _PREV_ORDER[field]:
                raise _Bad(body)
            field = m.group(1)
            d.prev[field] = _unquote(m.group(3))
        elif field is not None:
            raise _Bad(line)                # a comment after the previous msgid
        else:
            _comment(d, line)
    if field == "msgctxt":
        raise _Bad(block)


def _build(po: polib.POFile, entries: list[_Draft], path) -> None:
    """Entries into ``po``; duplicates found with one dict, in linear time.

    Every GNU tool refuses a file holding one (msgctxt, msgid) twice, an
    obsolete copy or a second header included, so a file that passes here
    is one msgmerge, msgcat and msgfmt read too."""
    seen: dict[tuple, int] = {}
    header_done = False
    for d in entries:
        line = d.line
        f = d.fields
        msgid, msgctxt = f["msgid"], f.get("msgctxt")
        k = (msgctxt, msgid)
        first = seen.get(k)
        if first is not None:
            raise L10nError(f"duplicate message definition (first defined at line {first})",
                            path, line)
        seen[k] = line
        if f.get("msgid_plural") == "":
            # msgfmt takes it, but every reader with a plural test (polib, ours, Poedit's
            # "has plural") sees a singular entry: its forms would be lost at the next save
            raise L10nError("PO syntax error: empty msgid_plural (an entry with plural forms "
                            "needs the plural's source text)", path, line)
        if not header_done and msgid == "" and msgctxt is None and not d.obsolete:
            header_done = True
            po.header = "\n".join(d.tcomment)
            po.header_comment = bool(d.tcomment)
            po.header_line = line       # its msgid "": where a finding about the header points
            po.metadata_is_fuzzy = ["fuzzy"] if "fuzzy" in d.flags else 0
            po.metadata = _metadata(f.get("msgstr", ""))
            continue
        po.append(polib.POEntry(
            msgid=msgid, msgstr=f.get("msgstr", ""), msgid_plural=f.get("msgid_plural", ""),
            msgstr_plural=dict(d.plural), msgctxt=msgctxt, obsolete=d.obsolete,
            occurrences=d.occurrences, comment="\n".join(d.comment),
            tcomment="\n".join(d.tcomment), flags=d.flags,
            previous_msgctxt=d.prev.get("msgctxt"), previous_msgid=d.prev.get("msgid"),
            previous_msgid_plural=d.prev.get("msgid_plural"), linenum=line))


def _metadata(msgstr: str) -> dict[str, str]:
    """Header fields by name; a field given twice is what its first line says,
    as every GNU tool reads it (a second Plural-Forms a person added below the
    first changes nothing for msgfmt, so it must change nothing here)."""
    meta: dict[str, str] = {}
    for line in msgstr.split("\n"):
        name, sep, value = line.partition(":")
        if sep:
            meta.setdefault(name.strip(), value[1:] if value.startswith(" ") else value)
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
    page = max(width, MIN_WIDTH) if width else DEFAULT_WIDTH
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
