"""Engines by name, each declaring and parsing its own options.

Engines know nothing of PO files, glossaries, caching or where they run;
the translate step does all of that around them, so a new engine is one
class with ``name``, ``OPTIONS`` and ``from_options`` plus one line in
``l10n_tool.mt.REGISTRY``. Registry entries are import paths, so listing or
validating engines never imports CTranslate2 (or anything else heavy).

The contract is out-of-order on purpose: ``translate`` yields
``(index, text)`` as each unit finishes, so a batched, threaded or
distributed engine never holds finished work back behind a slow unit.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Protocol

from l10n_tool.errors import L10nError
from l10n_tool.mt import REGISTRY

#: The one default beam size: 2 keeps nearly all of beam 4's quality at ~60% of its time.
DEFAULT_BEAM = 2


class Engine(Protocol):
    def identity(self) -> str:
        """Engine, model, version and decoding settings: anything that changes
        output. It keys the cache and is the provenance written on every draft."""

    def translate(self, texts: list[str]) -> Iterator[tuple[int, str]]:
        """Yield ``(index into texts, translation)`` as each unit finishes."""


@dataclass(frozen=True)
class Option:
    """One engine setting, valid in ``[tool.l10n.mt]``, ``[tool.l10n.mt.<engine>]``
    and ``--option KEY=VALUE``; parsing it here gives every source the same rules."""
    name: str
    type: type
    default: Any
    help: str = ""
    choices: tuple = ()
    min: int | None = None
    max: int | None = None

    def parse(self, value: Any) -> Any:
        """Raises ValueError with a message fit for the user."""
        if isinstance(value, str) and self.type is not str:
            if self.type is bool:
                if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError(f"{self.name} must be true or false, not {value!r}")
                value = value.lower() in ("true", "1", "yes")
            else:
                try:
                    value = self.type(value)
                except ValueError:
                    raise ValueError(f"{self.name} must be {self.type.__name__}, "
                                     f"not {value!r}") from None
        if self.type is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError(f"{self.name} must be an integer, not {value!r}")
        if not isinstance(value, self.type):
            raise ValueError(f"{self.name} must be {self.type.__name__}, not {value!r}")
        if self.choices and value not in self.choices:
            raise ValueError(f"{self.name} must be one of {', '.join(map(str, self.choices))}, "
                             f"not {value!r}")
        if self.min is not None and value < self.min or self.max is not None and value > self.max:
            raise ValueError(f"{self.name} must be between {self.min} and {self.max}, not {value}")
        return value


class EngineClass(Protocol):
    name: str
    OPTIONS: tuple[Option, ...]

    @classmethod
    def from_options(cls, source: str, target: str, options: dict) -> Engine:
        """``source``/``target`` are Argos language codes; ``options`` are parsed."""


def suggest(word: str, known: Iterable[str]) -> str:
    import difflib          # for a mistyped name only
    close = difflib.get_close_matches(word, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def engine_class(name: str, path=None, line: int | None = None) -> EngineClass:
    """By registry name, or ``module:Class`` for an engine outside this package
    (a plugin, a benchmark's stand-in) that follows the same contract."""
    if ":" in name and name not in REGISTRY:
        module, _, attr = name.partition(":")
        try:
            return getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as exc:
            raise L10nError(f"cannot load MT engine {name!r}: {exc}", path, line) from None
    if name not in REGISTRY:
        raise L10nError(f"unknown MT engine {name!r}{suggest(name, REGISTRY)} "
                        f"(engines: {', '.join(sorted(REGISTRY))})", path, line)
    module, _, attr = REGISTRY[name].partition(":")
    return getattr(importlib.import_module(module), attr)


@dataclass(frozen=True)
class EngineSpec:
    """Everything needed to build an engine anywhere: in this process or in a
    Ray actor on another machine, which is why it is plain, picklable data."""
    name: str
    source: str
    target: str
    options: dict = field(default_factory=dict)

    def create(self) -> Engine:
        return engine_class(self.name).from_options(self.source, self.target, dict(self.options))


def parse_options(name: str, raw: dict[str, tuple[Any, Any, int | None]]) -> dict:
    """``raw``: option → (value, where it came from, line). Unknown or invalid
    options are one-line errors at their source; missing ones get defaults."""
    cls = engine_class(name)
    declared = {o.name: o for o in cls.OPTIONS}
    out = {o.name: o.default for o in cls.OPTIONS}
    for key, (value, where, line) in raw.items():
        option = declared.get(key)
        if option is None:
            known = ", ".join(sorted(declared)) or "none"
            raise L10nError(f"unknown option {key!r} for MT engine {name!r}"
                            f"{suggest(key, declared)} (options: {known})", where, line)
        try:
            out[key] = option.parse(value)
        except ValueError as exc:
            raise L10nError(f"MT engine {name!r}: {exc}", where, line) from None
    return out


class InOrder:
    """Adapts an engine whose ``translate`` returns plain strings in input order."""

    def __init__(self, engine):
        self.engine = engine

    def identity(self) -> str:
        return self.engine.identity()

    def translate(self, texts: list[str]) -> Iterator[tuple[int, str]]:
        return enumerate(self.engine.translate(texts))


class Pseudo:
    """Registry entry for pseudo-localisation (``mt/pseudo.py``), which takes no options."""
    name = "pseudo"
    OPTIONS: tuple[Option, ...] = ()

    @classmethod
    def from_options(cls, source: str, target: str, options: dict) -> Engine:
        from l10n_tool.mt.pseudo import PseudoEngine
        return InOrder(PseudoEngine())
