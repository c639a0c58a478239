"""Reading and writing PO/POT files.

Loading turns every syntax and encoding problem into a ``file:line`` error,
so a translator's broken save is a one-line message and never a traceback.
Saving writes what GNU gettext writes (``pofile``, ``wrap``), so a file that
msgcat, msgmerge, Poedit or Weblate saved comes back byte-identical when
nothing changed; it is atomic and skips files whose content (dates aside)
did not change.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from pathlib import Path

import polib

from l10n_tool import __version__
from l10n_tool.catalog import pofile, wrap
from l10n_tool.errors import L10nError
from l10n_tool.fsutil import read_input, write_atomic
from l10n_tool.locales import LocaleInfo

_DATE_HEADER = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*"$', re.M)
#: a line of a string field as GNU writes it: prefix, keyword (none on a
#: continuation line), and what is between the quotes
_STRING_LINE = re.compile(r'(#~\| |#~ |#\| |)(?:(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) )?'
                          r'"(.*)"\Z')

#: How catalogs are wrapped unless the caller says otherwise: msgcat's default.
#: ``0``/``None`` writes every string on one line (``msgcat --no-wrap``);
#: ``KEEP`` follows the style the file on disk was found in.
DEFAULT_WIDTH = wrap.DEFAULT_WIDTH
KEEP = "keep"


def load(path: Path) -> polib.POFile:
    """Read a PO/POT file, turning every syntax problem into an L10nError."""
    return loads(read_input(path, "PO file"), path)


def loads(data: bytes, path: Path) -> polib.POFile:
    """Parse a PO file's bytes as ``load`` would, errors naming ``path``: for
    bytes already read, which may no longer be what the file holds."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # Notepad's "Unicode": no gettext tool reads it (every charset they take is ASCII's superset)
        raise L10nError("the file is UTF-16 (it starts with a UTF-16 byte order mark): gettext "
                        "tools read PO files in UTF-8 or another ASCII-based charset; save it "
                        "as UTF-8", path, 1)
    # the header names the charset; legacy files may use another than UTF-8
    m = re.search(rb"charset=([\w.-]+)", data[:4096])
    charset = m.group(1).decode("ascii") if m and m.group(1).upper() != b"CHARSET" else "utf-8"
    utf8 = charset.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")
    try:
        if not utf8 and not data.isascii():
            _not_utf8(data, charset, path, data[: m.start()].count(b"\n") + 1)
        text = data.decode(charset).lstrip("\ufeff")
    except LookupError:             # no such codec, or one that is no text encoding (base64)
        raise L10nError(f"unknown charset {charset!r}", path,
                        data[: m.start()].count(b"\n") + 1) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise L10nError(f"not valid {charset}" if not utf8 else "not UTF-8", path,
                        line) from None
    po = pofile.parse(text, path)
    po.fpath = str(path)
    # read past here, as editors do, but msgfmt 0.21 refuses it (1:2: syntax error):
    # a save writes the file without it, and ``check`` reports it (po-syntax)
    po.bom = data[:3] == b"\xef\xbb\xbf"
    return po


def _not_utf8(data: bytes, charset: str, path: Path, line: int) -> None:
    """Refuse a file whose header names a legacy charset over UTF-8 bytes (a
    header copied from an old file, an editor that re-encoded and left it):
    decoded as the header says, every accented letter would be written back
    and published as mojibake. Text in a legacy charset is almost never valid
    UTF-8 once it holds a byte above 127, so this tells the two apart."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    sample = next((c for c in text if ord(c) > 127 and c != "\ufeff"), "\ufeff")
    seen_as = sample.encode("utf-8").decode(charset, errors="replace")
    raise L10nError(f"the header says charset={charset} but the file is UTF-8 ({sample!r} would "
                    f"read as {seen_as!r}): change the header to charset=UTF-8, or save the "
                    f"file as {charset}", path, line)


def _strip_dates(text: str) -> str:
    return _DATE_HEADER.sub("", text)


def found_width(text: str) -> int:
    """The width a file was wrapped at, so that ``keep`` writes an unchanged
    file back byte for byte whatever width msgcat, msgmerge or Poedit used.

    Every line break GNU made (or did not make) says something about the
    width: a line that could have broken fits it, and a break was made
    because the next piece would not have. ``wrap.field_widths`` turns each
    string into the interval of widths that write it so, ``#:`` lines give
    theirs, and the answer lies in all of them: 79 when it can, else 0
    (``--no-wrap``) when nothing was broken for want of room although a line
    is wider than 79, else the smallest width that fits. A field no width
    writes (one a person re-wrapped by hand) says nothing; a long line typed
    into a wrapped file is outvoted by the breaks around it."""
    inf = math.inf
    lo = lo_broken = ref_lo = 0            # lo_broken: from fields that were broken only
    hi = ref_hi = inf
    field: tuple[str, str, list[str], str] | None = None
    refs: list[str] = []
    no_wrap = False
    if "\r" in text:
        text = text.replace("\r\n", "\n")        # the same layout, whatever the line ends
    for line in text.split("\n") + [""]:     # the empty line ends the last field
        m = _STRING_LINE.match(line) if line[:1] in ('"', "m", "#") else None
        if m is not None and m.group(2) is None and field is not None and m.group(1) == field[0]:
            field[2].append(m.group(3))
            continue
        if field is not None:
            prefix, name, texts, first = field
            if not no_wrap and (len(texts) > 1 or
                                (len(first) if first.isascii() else wrap.width(first)) > lo):
                found = wrap.field_widths(name, texts, prefix)
                if found is not None:
                    lo = max(lo, found[0])
                    if found[1] < inf:
                        lo_broken, hi = max(lo_broken, found[0]), min(hi, found[1])
            field = None
        if m is not None and m.group(2) is not None:
            field = (m.group(1), m.group(2), [m.group(3)], line)
            continue
        if line.startswith("#:"):
            refs.append(line)
            continue
        if refs:
            low, high = _reference_widths(refs)
            ref_lo, ref_hi = max(ref_lo, low), min(ref_hi, high)
            refs = []
        if not line:
            no_wrap = False                # the next entry
        elif line.startswith("#,"):
            no_wrap = no_wrap or "no-wrap" in (f.strip() for f in line[2:].split(","))
    for strings_lo, refs_lo, refs_hi in ((lo, ref_lo, ref_hi), (lo_broken, ref_lo, ref_hi),
                                         (lo, 0, inf), (lo_broken, 0, inf)):
        low, high = max(strings_lo, refs_lo, wrap.MIN_WIDTH), min(hi, refs_hi)
        if low <= DEFAULT_WIDTH <= high:
            return DEFAULT_WIDTH
        if hi == inf and refs_lo <= DEFAULT_WIDTH <= refs_hi:
            return 0
        if low <= high:
            return low
    return DEFAULT_WIDTH


def _reference_widths(lines: list[str]) -> tuple[int, float]:
    """The widths at which ``#:`` lines break where these do (``pofile``
    breaks them before a reference that would pass the page, counting
    characters; a line of one reference may be wider)."""
    lo, hi = 0, math.inf
    refs = [line[2:].split() for line in lines]
    for n, (line, these) in enumerate(zip(lines, refs)):
        if len(these) > 1:
            lo = max(lo, len(line))
        if n + 1 < len(refs) and refs[n + 1]:
            hi = min(hi, len(line) + len(refs[n + 1][0]))
    return lo, hi


def save(po: polib.POFile, path: Path, width: int | str | None = DEFAULT_WIDTH) -> bool:
    """Write atomically, always as UTF-8, exactly as GNU msgcat would at this
    ``width``; skip when only the date headers would change."""
    path = Path(path)
    try:
        old = path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        old = None
    except IsADirectoryError:
        raise L10nError("is a folder, not a PO file", path) from None
    text = render(po, old, width)
    return text is not None and write_atomic(path, text)


def render(po: polib.POFile, old: str | None, width: int | str | None = DEFAULT_WIDTH,
           always: bool = False) -> str | None:
    """The text ``save`` writes over ``old`` (the file's text, None if there is
    none or it is not UTF-8), or None when only the date headers would change
    (unless ``always``)."""
    content_type = po.metadata.get("Content-Type", "")
    if "charset=utf-8" not in content_type.lower():
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    if width == KEEP:
        width = found_width(old) if old is not None else DEFAULT_WIDTH
    text = pofile.serialize(po, width)
    if not always and old is not None and _strip_dates(old) == _strip_dates(text):
        return None
    return text


def header(locale: LocaleInfo | None, project: str) -> dict[str, str]:
    """Header fields as Babel's catalog writes them (``pybabel init``), field
    for field and in its order; built here because Babel's catalog loads the
    locale's CLDR data, which a run merging one PO file would load for this
    alone (the facts come seeded, ``locales.remembered_facts``)."""
    headers = {
        "Project-Id-Version": f"{project or 'PROJECT'} {__version__}",
        "Report-Msgid-Bugs-To": "EMAIL@ADDRESS",
        "POT-Creation-Date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z"),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
    }
    if locale:
        headers["Language"] = locale.code
        headers["Language-Team"] = f"{locale.english_name} <{locale.code}@li.org>"
        headers["Plural-Forms"] = locale.plural_forms
    else:
        headers["Language-Team"] = "LANGUAGE <LL@li.org>"
    headers.update({"MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                    "Content-Transfer-Encoding": "8bit",
                    "Generated-By": f"l10n_tool {__version__}"})
    return headers


