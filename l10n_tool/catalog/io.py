"""Reading and writing PO/POT files.

Loading turns every syntax and encoding problem into a ``file:line`` error,
so a translator's broken save is a one-line message and never a traceback.
Saving is atomic and skips files whose content (dates aside) did not change.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
from babel.messages.catalog import Catalog as BabelCatalog

from l10n_tool import __version__
from l10n_tool.errors import L10nError
from l10n_tool.fsutil import write_atomic
from l10n_tool.locales import LocaleInfo

_DATE_HEADER = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*"$', re.M)
_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(
    rf'^(?:#~\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_STRING}\s*$')



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


def header(locale: LocaleInfo | None, project: str) -> dict[str, str]:
    """Header fields, as Babel would write them for this locale."""
    catalog = BabelCatalog(locale=locale.babel_locale() if locale else None,
                      project=project, version=__version__)
    headers = dict(catalog.mime_headers)
    headers["Generated-By"] = f"l10n_tool {__version__}"
    headers["Content-Type"] = "text/plain; charset=UTF-8"
    if locale:
        headers["Language"] = locale.code
        headers["Language-Team"] = f"{locale.english_name} <{locale.code}@li.org>"
        headers["Plural-Forms"] = locale.plural_forms
    return headers


