"""``[tool.l10n.mt]`` and ``[tool.l10n.mt.<engine>]`` plus the CLI, into one
frozen ``MTSettings``.

Precedence is CLI, then the engine's own table, then the common table, then
the engine's defaults. Common keys (``beam``, ``threads``…) go to engines that
declare them and are ignored by the others, so one project file can switch
``engine`` without edits; keys in an engine's own table and ``--option`` must
be that engine's. Errors name the pyproject.toml line, or the CLI option.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from l10n_tool.errors import L10nError
from l10n_tool.mt import engine as engines
from l10n_tool.mt.executors import EXECUTORS

#: Settings of the run, not of an engine.
RUN_KEYS = {"engine": str, "executor": str, "address": str, "workers": int}
#: Engine options that may stand in the common table.
COMMON_OPTIONS = {"beam", "threads", "batch_size", "device"}
DEFAULT_ENGINE = "argos"

@dataclass(frozen=True)
class MTSettings:
    engine: str = DEFAULT_ENGINE
    executor: str = "local"
    #: Ray cluster address; None starts (or joins, via RAY_ADDRESS) one.
    address: str | None = None
    #: Ray actors; 0 means one per ``threads`` CPUs of the cluster.
    workers: int = 0
    options: dict = field(default_factory=dict)

    def spec(self, source: str, target: str) -> engines.EngineSpec:
        return engines.EngineSpec(self.engine, source, target, dict(self.options))


COMMON = "tool.l10n.mt"


class _Where:
    """Lines of ``[tool.l10n.mt]`` keys, for messages."""

    def __init__(self, project_settings):
        self.settings = project_settings
        self.path = project_settings.path

    def line(self, table: str, key: str = "") -> int | None:
        return self.settings.line(*table.split("."), *([key] if key else []))

    def error(self, message: str, table: str, key: str = "") -> L10nError:
        return L10nError(message, self.path, self.line(table, key))


def _run_settings(table: dict, where: _Where) -> dict:
    """The keys of the run (engine, executor…); common engine options are left
    for the engine, anything else is an error."""
    run: dict = {}
    for key, value in table.items():
        if isinstance(value, dict):
            if key not in engines.REGISTRY:
                raise where.error(f"unknown MT engine table [{COMMON}.{key}]"
                                  f"{engines.suggest(key, engines.REGISTRY)}", f"{COMMON}.{key}")
        elif key in RUN_KEYS:
            if not isinstance(value, RUN_KEYS[key]) or isinstance(value, bool):
                raise where.error(f"{key} must be {RUN_KEYS[key].__name__}, not {value!r}",
                                  COMMON, key)
            run[key] = value
        elif key not in COMMON_OPTIONS:
            known = sorted(set(RUN_KEYS) | COMMON_OPTIONS | set(engines.REGISTRY))
            raise where.error(f"unknown setting {key!r} in [{COMMON}]"
                              f"{engines.suggest(key, known)}", COMMON, key)
    return run


def _engine_options(name: str, table: dict, where: _Where, cli_options: dict) -> dict:
    """Common table, then the engine's own table, then the CLI, each value with
    where it came from, parsed by the engine's declared options."""
    declared = {o.name for o in engines.engine_class(name).OPTIONS}
    raw: dict = {k: (v, where.path, where.line(COMMON, k)) for k, v in table.items()
                 if k in COMMON_OPTIONS and k in declared}
    own = f"{COMMON}.{name}"
    raw.update({k: (v, where.path, where.line(own, k)) for k, v in table.get(name, {}).items()})
    raw.update({k: (v, spelling, None) for k, (v, spelling) in cli_options.items()})
    return engines.parse_options(name, raw)


def load(project_settings, engine: str | None = None, executor: str | None = None,
         address: str | None = None, workers: int | None = None,
         cli_options: dict[str, tuple[object, str]] | None = None) -> MTSettings:
    """``project_settings``: the project's ``config.Settings``, which holds
    ``[tool.l10n.mt]`` raw and the line of every key; ``cli_options``: option →
    (value, the CLI spelling, for errors)."""
    table, where = project_settings.mt, _Where(project_settings)
    run = _run_settings(table, where)
    name = engine or run.get("engine", DEFAULT_ENGINE)
    engines.engine_class(name, *(("--engine", None) if engine else
                                 (where.path, where.line(COMMON, "engine"))))
    options = _engine_options(name, table, where, cli_options or {})
    for other, own in table.items():
        # another engine's table is checked too: a typo in [tool.l10n.mt.argos]
        # should not wait to surface until the day the project switches to argos
        if isinstance(own, dict) and other != name:
            _engine_options(other, {other: own}, where, {})
    chosen = executor or run.get("executor", "local")
    if chosen not in EXECUTORS:
        message = (f"unknown executor {chosen!r}{engines.suggest(chosen, EXECUTORS)} "
                   f"(executors: {', '.join(EXECUTORS)})")
        raise L10nError(message, "--executor") if executor else where.error(message, COMMON,
                                                                             "executor")
    workers = workers if workers is not None else run.get("workers", 0)
    if workers < 0:
        raise where.error(f"workers must be 0 or more, not {workers}", COMMON, "workers")
    return MTSettings(engine=name, executor=chosen,
                      address=address or run.get("address") or os.environ.get("RAY_ADDRESS") or None,
                      workers=workers, options=options)


def parse_cli_options(pairs: tuple[str, ...]) -> dict[str, tuple[object, str]]:
    """``--option KEY=VALUE`` → option → (value, spelling)."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise L10nError(f"--option {pair!r}: expected KEY=VALUE")
        out[key.strip().replace("-", "_")] = (value.strip(), f"--option {pair}")
    return out
