"""Project settings from ``[tool.l10n]`` in ``pyproject.toml``.

Read once at start-up into a frozen ``Settings``; the CLI applies option
overrides with ``dataclasses.replace`` and passes the result down, so no
module reads configuration on its own.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from l10n_tool.errors import L10nError
from l10n_tool.locales import get_locale

SEGMENT_MODES = ("sentences", "paragraphs")


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

    @property
    def templates_dir(self) -> Path:
        return self.locales_dir / "templates"

    def policy(self, locale: str) -> PublishPolicy:
        return self.policies.get(locale, self.default_policy)


def _policy(table: dict, base: PublishPolicy, where: str) -> PublishPolicy:
    unknown = set(table) - {"min_complete", "include_fuzzy", "required"}
    if unknown:
        raise L10nError(f"unknown publish setting(s) {sorted(unknown)} in [{where}]")
    try:
        return PublishPolicy(
            min_complete=float(table.get("min_complete", base.min_complete)),
            include_fuzzy=bool(table.get("include_fuzzy", base.include_fuzzy)),
            required=tuple(table.get("required", base.required)),
        )
    except (TypeError, ValueError) as exc:
        raise L10nError(f"bad publish setting in [{where}]: {exc}") from None


def load_settings(root: Path | None = None) -> Settings:
    """Read ``pyproject.toml`` in ``root`` (default: the current folder)."""
    root = (root or Path.cwd()).resolve()
    path = root / "pyproject.toml"
    table: dict = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            m = re.search(r"line (\d+)", str(exc))
            raise L10nError(f"invalid TOML: {exc}", path, int(m.group(1)) if m else None) from None
        table = data.get("tool", {}).get("l10n", {})
    publish = dict(table.pop("publish", {}))
    known = {"source_dir", "source_locale", "locales", "locales_dir", "glossary",
             "output_dir", "cache_dir", "segment", "site_name", "base_url"}
    unknown = set(table) - known
    if unknown:
        raise L10nError(f"unknown setting(s) {sorted(unknown)} in [tool.l10n]", path)
    per_locale = {k: v for k, v in publish.items() if isinstance(v, dict)}
    default_policy = _policy({k: v for k, v in publish.items() if k not in per_locale},
                             PublishPolicy(), "tool.l10n.publish")
    policies = {get_locale(k, str(path)).code: _policy(v, default_policy, f"tool.l10n.publish.{k}")
                for k, v in per_locale.items()}
    settings = Settings(
        root=root,
        source_dir=root / table.get("source_dir", "source"),
        source_locale=get_locale(table.get("source_locale", "en"), str(path)).code,
        locales=tuple(get_locale(c, str(path)).code for c in table.get("locales", [])),
        locales_dir=root / table.get("locales_dir", "locales"),
        glossary=root / table.get("glossary", "glossary.csv"),
        output_dir=root / table.get("output_dir", "public"),
        cache_dir=root / table.get("cache_dir", ".l10n-cache"),
        segment=table.get("segment", "sentences"),
        site_name=table.get("site_name", "l10n_tool site"),
        base_url=table.get("base_url", "http://localhost:8000/"),
        default_policy=default_policy,
        policies=policies,
    )
    if settings.segment not in SEGMENT_MODES:
        raise L10nError(f"segment must be one of {SEGMENT_MODES}, not {settings.segment!r}", path)
    return settings


def with_overrides(settings: Settings, **changes) -> Settings:
    """Apply CLI options; ``None`` means 'not given'."""
    changes = {k: v for k, v in changes.items() if v is not None}
    return replace(settings, **changes) if changes else settings
