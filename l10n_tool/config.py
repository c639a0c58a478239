"""Project settings from ``[tool.l10n]`` in ``pyproject.toml``.

Read once at start-up into a frozen ``Settings``; the CLI applies option
overrides with ``dataclasses.replace`` and passes the result down, so no
module reads configuration on its own.

Every key is checked for its type and allowed values here, because TOML
happily holds ``include_fuzzy = "false"`` (a true string) or ``locales =
"de"`` (a string the code would iterate letter by letter); a wrong value is
one ``pyproject.toml:LINE`` error, never a surprising default or a traceback
somewhere downstream. Sub-tables owned by other layers (extract, check, mt)
are kept raw and parsed by their owners.
"""

from __future__ import annotations

import functools
import re
import tomllib
import urllib.parse
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from l10n_tool.errors import L10nError
from l10n_tool.locales import LocaleInfo, get_locale

SEGMENT_MODES = ("sentences", "paragraphs")


def _close_matches(word: str, known, cutoff: float = 0.6) -> list[str]:
    """The known name closest to a misspelt one, for a hint."""
    import difflib           # only for a misspelt setting: not on every command's start
    return difflib.get_close_matches(word, known, n=1, cutoff=cutoff)


@dataclass(frozen=True)
class PublishPolicy:
    """What a locale needs before its pages go live."""
    min_complete: float = 0.0          # percent of units reviewed
    include_fuzzy: bool = False        # may unreviewed drafts go live?
    required: tuple[str, ...] = ()     # unit kinds that must all be reviewed


@dataclass(frozen=True)
class Settings:
    root: Path
    source_dir: Path
    source_locale: str = "en"
    locales: tuple[str, ...] = ()
    locales_dir: Path = Path("locales")
    glossary: Path = Path("glossary.csv")
    output_dir: Path = Path("public")
    cache_dir: Path = Path(".l10n-cache")
    segment: str = "sentences"
    site_name: str = "l10n_tool site"
    base_url: str = "http://localhost:8000/"
    default_policy: PublishPolicy = PublishPolicy()
    policies: dict[str, PublishPolicy] = field(default_factory=dict)
    #: PO line width for the catalog writer, as msgcat's --width; 0 = no wrapping;
    #: "keep" = the style each file was found in (a team whose tool writes --no-wrap)
    po_wrap: int | str = 79
    #: the glossary was named (in [tool.l10n] or by --glossary), so it must exist;
    #: a project that never mentions one may simply have none
    glossary_explicit: bool = False
    #: [tool.l10n.extract]: selector rules from formats.classify when present, else raw
    extract: Any = field(default_factory=dict)
    #: [tool.l10n.check] and [tool.l10n.mt], parsed by the checks and MT layers
    check: dict = field(default_factory=dict)
    mt: dict = field(default_factory=dict)
    #: pyproject.toml, for messages about the settings themselves
    path: Path | None = None
    #: notes for the user about how a value was read (a locale alias resolved)
    notes: tuple[str, ...] = ()
    #: where each key of pyproject.toml is, for the sub-tables' owners' messages
    lines: "TomlLines | None" = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def templates_dir(self) -> Path:
        return self.locales_dir / "templates"

    def policy(self, locale: str) -> PublishPolicy:
        return self.policies.get(locale, self.default_policy)

    def line(self, *key: str) -> int | None:
        """The pyproject.toml line of a key, e.g. ``line("tool", "l10n", "mt", "beam")``;
        the enclosing table's line when the key is not written out."""
        return self.lines.line(*key) if self.lines is not None else None


# --------------------------------------------------------------------------- TOML lines

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


def _split_key(text: str) -> tuple[str, ...]:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)', text)
    return tuple(a or b or c for a, b, c in parts)


class TomlLines:
    """Where each table and key of a TOML document is, for ``file:line`` messages.

    tomllib keeps no positions, so the text is scanned: table headers set the
    current table, ``key =`` lines (dotted keys included) are recorded under it.
    """

    def __init__(self, text: str):
        self.where: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), start=1):
            m = _HEADER.match(line)
            if m:
                table = _split_key(m.group(1))
                self.where.setdefault(table, number)
                continue
            m = re.match(r'^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\')'
                         r'(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|\'[^\']*\'))*)\s*=', line)
            if m:
                key = table + _split_key(m.group(1))
                for i in range(len(table) + 1, len(key) + 1):
                    self.where.setdefault(key[:i], number)

    def line(self, *key: str) -> int | None:
        """The line of ``key``, else of the nearest enclosing table."""
        while key:
            if key in self.where:
                return self.where[key]
            key = key[:-1]
        return None


# --------------------------------------------------------------------------- typed reading

class _Reader:
    def __init__(self, path: Path, lines: TomlLines):
        self.path = path
        self.lines = lines
        self.notes: list[str] = []

    def error(self, key: tuple[str, ...], message: str) -> L10nError:
        return L10nError(message, self.path, self.lines.line(*key))

    def unknown(self, table: dict, known: set[str], where: tuple[str, ...],
                skip: Callable[[str, Any], bool] = lambda k, v: False) -> None:
        for name in table:
            if name in known or skip(name, table[name]):
                continue
            close = _close_matches(name, sorted(known), cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else \
                f" (known: {', '.join(sorted(known))})"
            raise self.error(where + (name,),
                             f"unknown setting {name!r} in [{'.'.join(where)}]{hint}")

    def string(self, table: dict, name: str, default: str, where: tuple[str, ...],
               allowed: tuple[str, ...] = ()) -> str:
        value = table.get(name, default)
        if not isinstance(value, str):
            raise self.error(where + (name,), f"{name} must be a string (in quotes), "
                             f"not {_describe(value)}")
        if allowed and value not in allowed:
            raise self.error(where + (name,), f"{name} must be one of "
                             f"{', '.join(map(repr, allowed))}, not {value!r}")
        return value

    def boolean(self, table: dict, name: str, default: bool, where: tuple[str, ...]) -> bool:
        value = table.get(name, default)
        if not isinstance(value, bool):
            hint = f" (write {value.lower()} without quotes)" \
                if isinstance(value, str) and value.lower() in ("true", "false") else ""
            raise self.error(where + (name,), f"{name} must be true or false, "
                             f"not {_describe(value)}{hint}")
        return value

    def number(self, table: dict, name: str, default: float, where: tuple[str, ...],
               low: float, high: float | None, integer: bool = False) -> float:
        value = table.get(name, default)
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            raise self.error(where + (name,), f"{name} must be {'an integer' if integer else 'a number'}"
                             f", not {_describe(value)}")
        if value != value or value < low or (high is not None and value > high):   # NaN too
            bounds = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
            raise self.error(where + (name,), f"{name} must be {bounds}, not {value!r}")
        return value

    def strings(self, table: dict, name: str, default: tuple, where: tuple[str, ...],
                example: str) -> tuple[str, ...]:
        value = table.get(name, default)
        if isinstance(value, str):
            items = ", ".join('"%s"' % v.strip() for v in value.split(",") if v.strip())
            raise self.error(where + (name,), f"{name} must be a list, e.g. {name} = "
                             f"[{items or example}], not the string {value!r}")
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise self.error(where + (name,), f"{name} must be a list of strings, "
                             f"not {_describe(value)}")
        return tuple(value)

    def table(self, table: dict, name: str, where: tuple[str, ...]) -> dict:
        value = table.get(name, {})
        if not isinstance(value, dict):
            raise self.error(where + (name,), f"{name} must be a table "
                             f"([{'.'.join(where + (name,))}]), not {_describe(value)}")
        return value

    def locale(self, code: str, key: tuple[str, ...]) -> LocaleInfo:
        info = get_locale(code, str(self.path), self.lines.line(*key))
        if info.alias_of:
            self.notes.append(f"{self.path.name}: locale {code!r} is {info.code}; "
                              f"using locales/{info.code}/")
        return info


def _describe(value: Any) -> str:
    kind = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)
    shown = repr(value) if not isinstance(value, dict) else "{…}"
    return f"{kind} ({shown[:40]})"


# --------------------------------------------------------------------------- the tables

_PUBLISH_KEYS = {"min_complete", "include_fuzzy", "required"}
_TOP_KEYS = {"source_dir", "source_locale", "locales", "locales_dir", "glossary", "output_dir",
             "cache_dir", "segment", "site_name", "base_url", "po_wrap",
             "publish", "extract", "check", "mt"}


def _policy(r: _Reader, table: dict, base: PublishPolicy, where: tuple[str, ...]) -> PublishPolicy:
    r.unknown(table, _PUBLISH_KEYS, where, skip=lambda k, v: isinstance(v, dict) and
              where == ("tool", "l10n", "publish"))
    required = r.strings(table, "required", base.required, where, '"title"')
    unknown = ()
    if "required" in table and required:      # the formats are imported only when asked
        from l10n_tool import formats
        unknown = formats.unknown_kinds(required)
    if unknown:
        hints = [_close_matches(k, formats.all_kinds()) for k in unknown]
        hint = "; ".join(f"did you mean {h[0]!r}?" for h in hints if h)
        raise r.error(where + ("required",), f"required: unknown unit kind(s) {', '.join(unknown)}"
                      f"{'; ' + hint if hint else ''} (known: {', '.join(sorted(formats.all_kinds()))})")
    return PublishPolicy(
        min_complete=float(r.number(table, "min_complete", base.min_complete, where, 0, 100)),
        include_fuzzy=r.boolean(table, "include_fuzzy", base.include_fuzzy, where),
        required=required,
    )


def _po_wrap(r: _Reader, table: dict, where: tuple[str, ...]) -> int | str:
    if table.get("po_wrap") == "keep":
        return "keep"
    if isinstance(table.get("po_wrap"), str):
        raise r.error(where + ("po_wrap",), f"po_wrap must be a width (79, 0 for no wrapping) "
                      f"or \"keep\", not {_describe(table['po_wrap'])}")
    return int(r.number(table, "po_wrap", 79, where, 0, None, integer=True))


def _extract_rules(r: _Reader, table: dict) -> Any:
    """Selector rules via the classify helper when that module is installed; its
    errors get the line of the key they name (else of the table). No table:
    the default rules, without loading the classifier for commands that never
    read a page."""
    if not table:
        return {}
    from l10n_tool.formats.classify import rules_from_table
    try:
        return rules_from_table(table, r.path)
    except L10nError as exc:
        if exc.line is not None:
            raise
        where = ("tool", "l10n", "extract")
        named = [k for k in table if f"'{k}'" in exc.message or f'"{k}"' in exc.message] or \
            [k for k in table if re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", exc.message)]
        raise r.error(where + tuple(named[:1]), exc.message) from None


def find_project(root: Path | None = None) -> Path:
    """The folder holding ``pyproject.toml``: ``root`` itself, or the current folder.

    No search upwards: ``-C DIR`` or the current folder is the project, so a
    command never writes into a parent folder the user did not mean.
    """
    root = (root or Path.cwd()).resolve()
    if not (root / "pyproject.toml").is_file():
        raise L10nError(f"no pyproject.toml with [tool.l10n] in {root}")
    return root


def load_settings(root: Path | None = None) -> Settings:
    """Read ``pyproject.toml`` in ``root`` (default: the current folder)."""
    root = find_project(root)
    path = root / "pyproject.toml"
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise L10nError("not UTF-8", path, path.read_bytes()[: exc.start].count(b"\n") + 1) from None
    if text.startswith("\ufeff"):
        # Notepad's "UTF-8 with BOM": tomllib (and so pip) stops at its first byte
        raise L10nError("starts with a byte-order mark (BOM), which TOML does not allow; "
                        "save it as UTF-8 without BOM", path, 1)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise L10nError(f"invalid TOML: {exc}", path, int(m.group(1)) if m else None) from None
    lines = TomlLines(text)
    r = _Reader(path, lines)
    tool = data.get("tool", {})
    if not isinstance(tool, dict) or not isinstance(tool.get("l10n"), dict):
        raise L10nError(f"no pyproject.toml with [tool.l10n] in {root}")
    table = tool["l10n"]
    top = ("tool", "l10n")
    r.unknown(table, _TOP_KEYS, top)

    publish = r.table(table, "publish", top)
    pub = top + ("publish",)
    default_policy = _policy(r, publish, PublishPolicy(), pub)
    policies = {}
    for name, value in publish.items():
        if isinstance(value, dict):
            policies[r.locale(name, pub + (name,)).code] = _policy(r, value, default_policy,
                                                                    pub + (name,))

    def folder(name: str, default: str, what: str = "a folder") -> Path:
        value = r.string(table, name, default, top)
        if not value.strip() or "\0" in value:
            raise r.error(top + (name,), f"{name} must name {what}, not {value!r}")
        # "~/sites/news" is the home folder, as a shell reads it: taken as written,
        # publish made a folder named "~" in the project (one `rm -rf ~` from a disaster)
        return root / Path(value).expanduser()

    locales = []
    for code in r.strings(table, "locales", (), top, '"de"'):
        info = r.locale(code, top + ("locales",))
        if info.code not in locales:
            locales.append(info.code)
    glossary = folder("glossary", "glossary.csv", "a CSV file")
    segment = r.string(table, "segment", "sentences", top, SEGMENT_MODES)
    extract = r.table(table, "extract", top)
    settings = Settings(
        root=root,
        source_dir=folder("source_dir", "source"),
        source_locale=r.locale(r.string(table, "source_locale", "en", top),
                               top + ("source_locale",)).code,
        locales=tuple(locales),
        locales_dir=folder("locales_dir", "locales"),
        glossary=glossary,
        glossary_explicit="glossary" in table,
        output_dir=folder("output_dir", "public"),
        cache_dir=folder("cache_dir", ".l10n-cache"),
        segment=segment,
        site_name=r.string(table, "site_name", "l10n_tool site", top),
        base_url=r.string(table, "base_url", "http://localhost:8000/", top),
        default_policy=default_policy,
        policies=policies,
        po_wrap=_po_wrap(r, table, top),
        extract=_extract_rules(r, extract),
        check=dict(r.table(table, "check", top)),
        mt=dict(r.table(table, "mt", top)),
        path=path,
        notes=tuple(r.notes),
        lines=lines,
    )
    if settings.source_locale in settings.locales:
        raise r.error(top + ("locales",), f"{settings.source_locale} is the source locale; "
                      "it cannot be a target in locales")
    _check_layout(r, settings)
    for code in policies:
        if code not in settings.locales:
            r.notes.append(f"{path.name}: [tool.l10n.publish.{code}] is for a locale not in "
                           f"`locales`; it applies only with -l {code}")
    return replace(settings, notes=tuple(r.notes))


def _check_layout(r: "_Reader", s: Settings) -> None:
    """Folders that must stay apart, and a base URL that is one."""
    top = ("tool", "l10n")
    problem = layout_problem(s)
    if problem is not None:
        raise r.error(top + (problem[0],), problem[1])
    url = urllib.parse.urlsplit(s.base_url)
    if url.scheme not in ("http", "https") or not url.netloc:
        raise r.error(top + ("base_url",), f"base_url must be an http(s) URL such as "
                      f"\"https://news.example/\", not {s.base_url!r}")


def layout_problem(s: Settings) -> tuple[str, str] | None:
    """(setting, message) when folders that must stay apart overlap: asked of
    the settings file and again once ``--source-dir`` or ``--locales-dir``
    changed them."""
    src, loc = s.source_dir.resolve(), s.locales_dir.resolve()
    if loc == src or loc.is_relative_to(src) or src.is_relative_to(loc):
        return ("locales_dir", "locales_dir and source_dir must be separate folders: pages and "
                "assets in source_dir are published, catalogs must not be")
    cache = s.cache_dir.resolve()
    for name, folder, why in (("source_dir", src, "pages and assets in it are published"),
                              ("locales_dir", loc, "it holds the catalogs"),
                              ("output_dir", s.output_dir.resolve(),
                               "each publish replaces it with a new generation")):
        if cache == folder or cache.is_relative_to(folder):
            # in source/, publish put the build state (all translation memory) and the
            # lock on the web site
            return "cache_dir", f"cache_dir must be outside {name}: {why}"
    return None


def with_overrides(settings: Settings, **changes) -> Settings:
    """Apply CLI options; ``None`` means 'not given'."""
    changes = {k: v for k, v in changes.items() if v is not None}
    return replace(settings, **changes) if changes else settings
