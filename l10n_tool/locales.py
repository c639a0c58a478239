"""Locale facts, all from Babel.

Locale codes enter at the CLI and the config, are validated here once, and
everything downstream (PO headers, ``<html lang dir>``, language names in the
switcher, Argos language codes) reads the resulting ``LocaleInfo``.
"""

from __future__ import annotations

import importlib.util
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Iterable, Iterator, Protocol

from l10n_tool.errors import L10nError

if TYPE_CHECKING:
    from babel import Locale

# Babel is imported where a locale's data is read, not here: a run that only
# names its locales (``-l de``, an update after one page was edited) finds
# them by file name and takes their facts from the last run (``seed``),
# 10 ms of each command's start.

#: Pseudo-locales are not in CLDR; they borrow the data of a real base locale.
PSEUDO_LOCALES = {"en_XA": ("en", "English (pseudo-accented)")}

#: Argos Translate's package codes differ from CLDR for a few locales.
ARGOS_CODES = {"zh_Hans": "zh", "zh_Hant": "zt", "pt_BR": "pb", "zh": "zh"}

#: Codes Babel accepts that name no language to translate into: CLDR's root,
#: "undetermined" (Babel makes it en: "-l und" then read "en is the source
#: locale") and the C/POSIX locale of a shell's LANG (en_US_POSIX)
NOT_LANGUAGES = {"root", "und", "c", "posix"}

#: Scripts written without spaces between sentences: joining translated
#: sentences of a block must not insert one.
NO_SPACE_LANGUAGES = {"zh", "ja", "yue", "lo", "km", "my", "th"}


@dataclass(frozen=True)
class LocaleInfo:
    code: str            # canonical CLDR form used for folders: zh_Hans, pt_BR
    bcp47: str           # for html lang and hreflang: zh-Hans, pt-BR
    language: str        # zh
    argos_code: str      # zh
    pseudo: bool = False
    #: the code as given when it was an alias (zh_CN for zh_Hans), for a note
    alias_of: str | None = field(default=None, compare=False)

    # The facts below come from the locale's CLDR data, which costs a load per
    # locale: each is worked out when first asked for, so a command that only
    # compares files (an ``update`` with nothing to merge) never loads it.
    @cached_property
    def direction(self) -> str:          # ltr | rtl
        return "ltr" if self.pseudo else self.babel_locale().text_direction

    @cached_property
    def native_name(self) -> str:        # 中文 (简体)
        if self.pseudo:
            return PSEUDO_LOCALES[self.code][1]
        loc = self.babel_locale()
        return loc.get_display_name(loc) or self.code

    @cached_property
    def english_name(self) -> str:       # Chinese (Simplified)
        if self.pseudo:
            return PSEUDO_LOCALES[self.code][1]
        return self.babel_locale().get_display_name("en") or self.code

    @cached_property
    def og_locale(self) -> str:          # de_DE, zh_CN: Open Graph's language_TERRITORY
        """Its own territory, else CLDR's likely one (ar → ar_EG, ja → ja_JP)."""
        parts = self.code.split("_")
        territory = next((p for p in parts[1:] if p.isupper() or p.isdigit()), None)
        if territory is None:
            from babel.core import get_global
            likely = get_global("likely_subtags")
            full = likely.get(self.code) or likely.get(parts[0]) or ""
            territory = next((p for p in full.split("_")[1:] if p.isupper() or p.isdigit()), None)
        return f"{self.language}_{territory}" if territory else self.language

    @cached_property
    def plural_forms(self) -> str:       # nplurals=1; plural=0;
        from babel.messages.plurals import get_plural     # babel's catalog code: only here
        return get_plural(self.babel_locale()).plural_forms

    def facts(self) -> dict[str, str]:
        """The CLDR facts worked out so far, for ``seed``."""
        return {name: self.__dict__[name] for name in _SEEDED if name in self.__dict__}

    def work_out(self, *names: str) -> None:
        """Work these facts out now: in the parent before workers fork, so that
        the workers share them and ``remembered_facts`` keeps them."""
        for name in names:
            getattr(self, name)

    def seed(self, facts: dict[str, str]) -> None:
        """Take the facts an earlier run worked out with the same Babel, so that
        rendering one page or merging one PO file need not load the locale's
        data again."""
        for name, value in facts.items():
            if name in _SEEDED:
                self.__dict__.setdefault(name, value)     # where cached_property keeps it

    @property
    def sentence_joiner(self) -> str:
        return "" if self.language in NO_SPACE_LANGUAGES else " "

    def babel_locale(self) -> Locale:
        from babel import Locale
        return Locale.parse(PSEUDO_LOCALES[self.code][0] if self.pseudo else self.code)


#: the facts ``LocaleInfo.seed`` takes
_SEEDED = ("direction", "native_name", "english_name", "plural_forms", "og_locale")

#: where ``remembered_facts`` keeps them in a command's memo store
_FACTS_KEY = "locales:facts"


class MemoStore(Protocol):
    def memo(self, key: str, inputs: str) -> dict | None: ...
    def set_memo(self, key: str, inputs: str, data: dict) -> None: ...


@contextmanager
def remembered_facts(store: MemoStore, locales: Iterable[LocaleInfo]) -> Iterator[None]:
    """The locales' CLDR facts as earlier runs worked them out with this Babel,
    and those this run works out kept for the next: a locale's data costs
    more to load (15 ms) than one page to render or one PO file to merge,
    the whole of a run after one page was edited."""
    from l10n_tool.buildstate import digest       # and so the tool's own code
    inputs = digest("locale-facts", _babel_data_version(), *_SEEDED)
    known: dict[str, dict[str, str]] = store.memo(_FACTS_KEY, inputs) or {}
    locales = list(locales)
    for loc in locales:
        loc.seed(known.get(loc.code, {}))
    yield
    now = {loc.code: {**known.get(loc.code, {}), **loc.facts()} for loc in locales}
    if any(known.get(code) != facts for code, facts in now.items()):
        store.set_memo(_FACTS_KEY, inputs, {**known, **now})


@lru_cache(maxsize=None)
def get_locale(code: str, source: str | None = None, line: int | None = None) -> LocaleInfo:
    """Validate ``code`` (``zh_Hans`` or ``zh-Hans``) and return its facts.

    Raises ``L10nError`` naming ``source:line`` when Babel does not know it.
    """
    raw = (code or "").strip().replace("-", "_")
    if raw in PSEUDO_LOCALES:
        base = PSEUDO_LOCALES[raw][0]
        return LocaleInfo(code=raw, bcp47=raw.replace("_", "-"), language=base,
                          argos_code=base, pseudo=True)
    if raw.split("_")[0].split(".")[0].split("@")[0].lower() in NOT_LANGUAGES:
        raise L10nError(f"{code!r} names no language; give one such as de or zh_Hans",
                        source, line)
    data = _babel_data("locale-data", raw + ".dat") if _PLAIN.fullmatch(raw) else None
    if data is not None and os.path.isfile(data):
        # de, pt_BR, zh_Hans: a CLDR locale of its own, which Babel takes as it is
        # (a test holds this to _from_babel for every such file Babel has)
        language = raw.partition("_")[0]
        return LocaleInfo(code=raw, bcp47=raw.replace("_", "-"), language=language,
                          argos_code=ARGOS_CODES.get(raw, language))
    return _from_babel(raw, code, source, line)


def _from_babel(raw: str, code: str, source: str | None, line: int | None) -> LocaleInfo:
    from babel import Locale, UnknownLocaleError
    try:
        loc = Locale.parse(raw)
    except (UnknownLocaleError, ValueError, TypeError):
        raise L10nError(f"unknown locale {code!r} (Babel does not know it)", source, line) from None
    loc = _folder_locale(raw, loc)
    canonical = str(loc)
    parts = [loc.language, loc.script, loc.territory, loc.variant]
    return LocaleInfo(
        alias_of=raw if canonical != raw else None,
        code=canonical,
        bcp47="-".join(p for p in parts if p),
        language=loc.language,
        argos_code=ARGOS_CODES.get(canonical, loc.language),
    )


#: language, script, territory as CLDR's file names spell them: de, pt_BR, zh_Hans
_PLAIN = re.compile(r"[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_[A-Z]{2})?")


@lru_cache(maxsize=1)
def _babel_dir() -> str | None:
    """Babel's package folder, which holds its CLDR data, found without importing Babel."""
    spec = importlib.util.find_spec("babel")
    return spec.submodule_search_locations[0] if spec and spec.submodule_search_locations \
        else None


def _babel_data(*parts: str) -> str | None:
    """A file of Babel's data, or None where no Babel folder is found (and
    the caller asks Babel itself, not a path relative to where it runs)."""
    base = _babel_dir()
    return os.path.join(base, *parts) if base else None


def _babel_data_version() -> str:
    """Which CLDR data Babel has, from its global data file's size and time
    (a Babel upgrade rewrites it), without the 10 ms of importing Babel."""
    path = _babel_data("global.dat")
    try:
        st = os.stat(path) if path is not None else None
    except OSError:
        st = None
    if st is None:
        import babel
        return babel.__version__
    return f"{path}:{st.st_size}:{st.st_mtime_ns}"


def _folder_locale(raw: str, loc: Locale) -> Locale:
    """The shortest code naming what ``raw`` means, so ``zh_CN`` and ``zh_Hans``
    share one folder instead of creating a stray ``zh_Hans_CN/`` beside it.

    Babel expands aliases (zh_CN → zh_Hans_CN, iw → he_IL); a territory that
    the user did not write, or that is only the script's likely default (CN
    for Simplified Chinese, TW for Traditional), is dropped again. Explicit
    regional variants (pt_BR, zh_Hant_HK, zh_Hans_SG) are kept.
    """
    from babel import Locale
    from babel.core import get_global
    given = raw.split("_")
    if loc.territory is None or loc.variant:
        return loc
    if loc.territory not in given[1:]:
        return Locale(loc.language, script=loc.script)
    if loc.script and loc.script not in given[1:]:
        subtags = get_global("likely_subtags")
        full = f"{loc.language}_{loc.script}_{loc.territory}"
        if full in (subtags.get(f"{loc.language}_{loc.script}"), subtags.get(loc.language)):
            return Locale(loc.language, script=loc.script)
    return loc
