"""``[tool.l10n.check]``: which checks run, and at what severity.

```toml
[tool.l10n.check]
select = ["placeholders", "numbers"]   # default: every registered check
ignore = ["consistency"]
[tool.l10n.check.severity]
numbers = "warning"
```

Check ids are validated against the registry here, once, with a close-match
suggestion, so a typo in CI configuration is a one-line error naming the
line of pyproject.toml instead of a check that silently never runs.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from l10n_tool.checks.base import SEVERITIES, Check
from l10n_tool.errors import L10nError

KEYS = ("select", "ignore", "severity")
SECTION = "tool.l10n.check"


@dataclass(frozen=True)
class CheckSettings:
    select: tuple[str, ...] | None = None     # None: every registered check
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)


def registry() -> tuple[Check, ...]:
    # looked up at call time, so a check added to REGISTRY (a plugin, a test) counts
    from l10n_tool import checks
    return tuple(checks.REGISTRY)


def unknown_id(check_id: str, known) -> str:
    """The message for a check id nobody registered, with the nearest real one."""
    close = difflib.get_close_matches(check_id, list(known), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else "; see `l10n check --list`"
    return f"unknown check {check_id!r}{hint}"


def _line_of(path: Path | None, pattern: str) -> int | None:
    """The line of the check section that matches ``pattern`` (tomllib keeps no lines)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines() if path else []
    except (OSError, UnicodeDecodeError):
        return None
    inside = False
    for number, line in enumerate(lines, start=1):
        header = re.match(r"\s*\[\s*([^\]]+?)\s*\]", line)
        if header and not line.lstrip().startswith("[["):
            inside = header.group(1).replace('"', "").startswith(SECTION)
            continue
        if inside and re.search(pattern, line):
            return number
    return None


def parse(table: dict, path: Path | None = None) -> CheckSettings:
    """Validate the raw ``[tool.l10n.check]`` table read from ``path``."""
    if not isinstance(table, dict):
        raise L10nError(f"[{SECTION}] must be a table", path, _line_of(path, r"."))
    known = {c.id for c in registry()}
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise L10nError(f"unknown setting {unknown[0]!r} in [{SECTION}]; known: {', '.join(KEYS)}",
                        path, _line_of(path, rf"^\s*\"?{re.escape(unknown[0])}\"?\s*="))

    def ids(key: str) -> tuple[str, ...] | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise L10nError(f"{key} in [{SECTION}] must be a list of check ids", path,
                            _line_of(path, rf"^\s*{key}\s*="))
        for v in value:
            if v not in known:
                raise L10nError(unknown_id(v, known), path,
                                _line_of(path, rf"[\"']{re.escape(v)}[\"']"))
        return tuple(dict.fromkeys(value))

    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise L10nError(f"severity in [{SECTION}] must be a table of check id = severity", path,
                        _line_of(path, r"^\s*severity\s*="))
    for check_id, level in severity.items():
        where = _line_of(path, rf"^\s*\"?{re.escape(check_id)}\"?\s*=|{re.escape(check_id)}\s*=")
        if check_id not in known:
            raise L10nError(unknown_id(check_id, known), path, where)
        if level not in SEVERITIES:
            raise L10nError(f"severity of {check_id} must be one of {', '.join(SEVERITIES)}, "
                            f"not {level!r}", path, where)
    return CheckSettings(ids("select"), ids("ignore") or (), dict(severity))


def read(pyproject: Path) -> CheckSettings:
    """``[tool.l10n.check]`` straight from a pyproject.toml (absent: the defaults)."""
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return CheckSettings()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise L10nError(f"invalid TOML: {exc}", pyproject, int(m.group(1)) if m else None) from None
    return parse(data.get("tool", {}).get("l10n", {}).get("check", {}), pyproject)


def choose(conf: CheckSettings, select: tuple[str, ...] = (),
           ignore: tuple[str, ...] = ()) -> list[tuple[Check, str]]:
    """The checks to run, each with its severity, in registry order.

    What the command line names is the most specific wish: ``--select``
    replaces the configured selection and exclusions, ``--ignore`` adds to
    them."""
    checks = registry()
    known = {c.id for c in checks}
    for check_id in (*select, *ignore):
        if check_id not in known:
            raise L10nError(unknown_id(check_id, known))
    if select:
        chosen = set(select) - set(ignore)
    else:
        chosen = set(conf.select or known) - set(conf.ignore) - set(ignore)
    return [(c, conf.severity.get(c.id, c.severity)) for c in checks if c.id in chosen]
