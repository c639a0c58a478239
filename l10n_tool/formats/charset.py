"""Bytes of a source page → text, the way a browser would pick the charset.

Real pages lie about their charset: a page declaring ``gb2312`` is often
UTF-8 or GBK, an ``iso-8859-1`` page holds windows-1252 quotes. Browsers
follow the WHATWG order (BOM, then the ``<meta>`` declaration, then a guess),
and so do we, so that what we extract is what the reader saw. When the
declaration cannot be right we still read the page, with a detector, and
say so in a warning (the steps print it with the page's name) instead of
failing the whole run.

This is the one decoder for source pages; PO files are decoded by
``catalog.io`` under gettext's own rules.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import webencodings
from webencodings.labels import LABELS

from l10n_tool.errors import L10nError

#: How far into the file a declaration counts (the HTML spec prescans 1024
#: bytes; real pages put long comments and scripts first, so look further).
PRESCAN = 32768

_META = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)

#: Two rules of the HTML parser's prescan on top of the label table: a
#: ``<meta>`` was read as ASCII, so it cannot have meant UTF-16, and
#: x-user-defined (a trick for binary data over XHR) means windows-1252 in a page.
_IN_A_PAGE = {"utf-16le": "utf-8", "utf-16be": "utf-8", "x-user-defined": "windows-1252"}

#: The WHATWG encoding of the labels browsers refuse to decode (iso-2022-kr,
#: hz-gb-2312, iso-2022-cn): their escape sequences can turn harmless bytes into
#: markup, so a browser shows such a page as one replacement character.
REFUSED = "replacement"

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass
class Decoded:
    text: str
    encoding: str                   # the Python codec actually used
    declared: Optional[str] = None  # the page's own label, if any
    warnings: list[str] = field(default_factory=list)


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def declared(data: bytes) -> tuple[Optional[str], int]:
    """The charset label the page declares, and its byte offset (or None, 0)."""
    head = data[:PRESCAN]
    m = _XML_DECL.match(head) or _META.search(head)
    if not m:
        return None, 0
    return m.group(1).decode("ascii").lower(), m.start()


def codec_for(label: str) -> Optional[str]:
    """The Python codec of the encoding a browser reads ``label`` as,
    ``REFUSED``, or None for a label browsers do not know (they ignore it).

    Only the WHATWG Encoding Standard's labels count, never Python's own
    codec names: a browser shows a page labelled ``utf-7`` or
    ``unicode_escape`` as the plain bytes it holds, so decoding
    ``+ADw-script+AD4-`` through Python's codec would publish a live
    ``<script>`` the reader never saw. The table also gives the web's
    supersets (``iso-8859-1`` is windows-1252, ``gb2312`` is GBK).
    """
    encoding = webencodings.lookup(label)
    if encoding is None:
        return None
    meant = _IN_A_PAGE.get(encoding.name)
    if meant is not None:
        encoding = webencodings.lookup(meant)
    return REFUSED if encoding.name == REFUSED else encoding.codec_info.name


def _guessable() -> set[str]:
    """The codecs a guess may name: those of the WHATWG encodings, as a
    browser's own detector picks among them, and never one of Python's
    others (utf_7, hz), whose decoding no reader sees."""
    return {codec_for(name) for name in set(LABELS.values())} - {None, REFUSED}


#: The WHATWG "suggested default encoding" for pages in a language: what a
#: browser in that locale would assume, the tie-breaker between guesses.
_LOCALE_DEFAULT = {
    "zh": "gbk", "ja": "cp932", "ko": "cp949", "th": "cp874", "vi": "cp1258",
    "ru": "cp1251", "uk": "cp1251", "bg": "cp1251", "sr": "cp1251", "mk": "cp1251",
    "be": "cp1251", "kk": "cp1251", "pl": "cp1250", "cs": "cp1250", "sk": "cp1250",
    "hu": "cp1250", "sl": "cp1250", "hr": "cp1250", "ro": "cp1250", "el": "cp1253",
    "tr": "cp1254", "az": "cp1254", "he": "cp1255", "ar": "cp1256", "fa": "cp1256",
    "ur": "cp1256", "lt": "cp1257", "lv": "cp1257", "et": "cp1257",
}
#: How much worse (charset-normalizer's "chaos", 0-1) the locale's default may
#: read than the detector's favourite and still win: on a short page several
#: single-byte charsets read almost equally well.
_TIE = 0.1


def _detect(data: bytes, lang: Optional[str]) -> Optional[str]:
    from charset_normalizer import from_bytes
    allowed = _guessable()
    matches = [m for m in from_bytes(data, cp_isolation=sorted(allowed))
               if codecs.lookup(m.encoding).name in allowed]
    preferred = _LOCALE_DEFAULT.get((lang or "").split("_")[0].split("-")[0].lower(), "cp1252")
    if not matches:
        try:
            data.decode(preferred)
        except UnicodeDecodeError:
            return None
        return preferred
    best = min(m.chaos for m in matches)
    for m in matches:
        if codecs.lookup(m.encoding).name == codecs.lookup(preferred).name and m.chaos <= best + _TIE:
            return m.encoding
    return min(matches, key=lambda m: m.chaos).encoding


def _mostly_utf8(data: bytes) -> Optional[tuple[str, int]]:
    """A UTF-8 page with a few stray bytes (one pasted windows-1252 quote) is
    read as browsers read it, with replacement characters, rather than
    re-guessed: a guess would garble every other non-ASCII letter. None when
    the invalid bytes outnumber the valid multi-byte characters."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7f and ch != "\ufffd")
    return (text, bad) if good > bad else None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode(data: bytes, path: Path | str, lang: Optional[str] = None) -> Decoded:
    """Decode a page, or raise ``L10nError`` when it is not text at all.

    ``lang``, the page's language, breaks ties between charsets that read
    equally well, as a browser's locale does.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise L10nError(f"invalid {encoding} byte 0x{data[len(bom) + exc.start]:02x} "
                                f"after a {encoding} byte-order mark", path,
                                _line(data, len(bom) + exc.start)) from None
            if "\x00" in text:
                raise L10nError("binary data (NUL character), not an HTML page", path,
                                text.count("\n", 0, text.index("\x00")) + 1)
            return Decoded(text, encoding)
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise L10nError("binary data (NUL byte), not an HTML page", path, _line(data, offset))
    label, offset = declared(data)
    codec = codec_for(label) if label else None
    if codec == REFUSED:
        raise L10nError(f"declares charset {label}, which browsers refuse to show (a reader "
                        "sees one replacement character); save it as UTF-8", path,
                        _line(data, offset))
    if codec is not None:
        is_utf8 = codec == "utf-8"
        if not is_utf8 and not data.isascii() and _is_utf8(data):
            # Valid UTF-8 with non-ASCII bytes is next to impossible by chance
            # in a legacy charset: the declaration is stale (a CMS switched).
            return Decoded(data.decode("utf-8"), "utf-8", label, [
                f"declares charset {label} (line {_line(data, offset)}) but is UTF-8; "
                "read as UTF-8"])
        try:
            return Decoded(data.decode(codec), codec, label)
        except UnicodeDecodeError as exc:
            why = (f"declares charset {label} (line {_line(data, offset)}) but byte "
                   f"0x{data[exc.start]:02x} at line {_line(data, exc.start)} is not {label}")
            if is_utf8:
                mostly = _mostly_utf8(data)
                if mostly is not None:
                    return Decoded(mostly[0], "utf-8", label, [
                        f"{why}; read as UTF-8 with {mostly[1]} bad byte(s) replaced by �"])
    elif label:
        why = f"declares unknown charset {label!r} (line {_line(data, offset)})"
    else:
        if _is_utf8(data):
            return Decoded(data.decode("utf-8"), "utf-8")
        why = "declares no charset and is not UTF-8"
        mostly = _mostly_utf8(data)
        if mostly is not None:
            return Decoded(mostly[0], "utf-8", None, [
                f"declares no charset; read as UTF-8 with {mostly[1]} bad byte(s) replaced by �"])
    guess = _detect(data, lang)
    if guess is None:
        raise L10nError(f"{why}, and no charset reads it", path, _line(data, offset))
    text = data.decode(guess, errors="replace")
    return Decoded(text, guess, label, [f"{why}; read as {guess} (detected)"])
