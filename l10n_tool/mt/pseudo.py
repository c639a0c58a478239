"""Deterministic pseudo-localisation, like podebug or Android's en-XA.

Accented letters show untranslated strings at a glance, ~30% padding shows
layouts that break when text grows, and brackets show truncation. Protection
tokens, e-mail addresses and URLs pass through untouched (a real model must
keep them too, and an accented address is no address), so the glossary and
placeholder path is exercised exactly as with a real model, in milliseconds.
"""

from __future__ import annotations

import math
import re

from l10n_tool.mt.protect import EMAIL_RE, TOKEN_RE, URL_RE

#: Text that is copied, not accented.
KEEP_RE = re.compile("|".join(f"(?:{r.pattern})" for r in (TOKEN_RE, EMAIL_RE, URL_RE)))

ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ")
EXPANSION = 0.3
PAD = "~"


class PseudoEngine:
    chunk_size = 32

    def identity(self) -> str:
        return "pseudo 1"

    def translate(self, texts: list[str]):
        return (self._one(t) for t in texts)

    @staticmethod
    def _one(text: str) -> str:
        out, pos, letters = [], 0, 0
        for m in KEEP_RE.finditer(text):
            chunk = text[pos:m.start()]
            letters += sum(c.isalpha() for c in chunk)
            out.append(chunk.translate(ACCENTS))
            out.append(m.group())
            pos = m.end()
        chunk = text[pos:]
        letters += sum(c.isalpha() for c in chunk)
        out.append(chunk.translate(ACCENTS))
        pad = PAD * math.ceil(letters * EXPANSION)
        return f"[{''.join(out)} {pad}]" if pad else f"[{''.join(out)}]"

