"""Reading and writing PO/POT files.

Loading turns every syntax and encoding problem into a ``file:line`` error,
so a translator's broken save is a one-line message and never a traceback.
Saving writes what GNU gettext writes (``pofile``, ``wrap``), so a file that
msgcat, msgmerge, Poedit or Weblate saved comes back byte-identical when
nothing changed; it is atomic and skips files whose content (dates aside)
did not change.
"""

from __future__ import annotations

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
_STRING_LINE = re.compile(r'^(?:#~\|? |#\| )?(?:msg\w+(?:\[\d+\])? )?"(.*)"$')

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
    po = pofile.parse(text, path)
    po.fpath = str(path)
    return po


def _strip_dates(text: str) -> str:
    return _DATE_HEADER.sub("", text)


def found_width(text: str) -> int:
    """The wrapping a file was written with: 0 when a string line is wider than
    msgcat's page although it could break there, at a space or in CJK text
    (so it was saved with ``--no-wrap``), else the default. A wrapped file
    may still hold a wide line: one word (a URL) longer than the page."""
    for line in text.split("\n"):
        if len(line) > DEFAULT_WIDTH and wrap.width(line) > DEFAULT_WIDTH:
            m = _STRING_LINE.match(line)
            if m and (re.search(r" \S", m.group(1)) or wrap.width(m.group(1)) > len(m.group(1))):
                return 0            # spaces or CJK: GNU would have broken this line
    return DEFAULT_WIDTH


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


