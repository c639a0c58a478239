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


def load(project_settings, engine: str | None = None, executor: str | None = None,
         address: str | None = None, workers: int | None = None,
         cli_options: dict[str, tuple[object, str]] | None = None) -> MTSettings:
    """``project_settings``: the project's ``config.Settings``, which holds
    ``[tool.l10n.mt]`` raw and the line of every key; ``cli_options``: option →
    (value, the CLI spelling, for errors)."""
    table, path = project_settings.mt, project_settings.path

    def line(t: str, key: str = "") -> int | None:
        return project_settings.line(*t.split("."), *([key] if key else []))

    common = "tool.l10n.mt"
    run: dict = {}
    for key, value in table.items():
        if isinstance(value, dict):
            continue
        if key in RUN_KEYS:
            if not isinstance(value, RUN_KEYS[key]) or isinstance(value, bool):
                raise L10nError(f"{key} must be {RUN_KEYS[key].__name__}, not {value!r}",
                                path, line(common, key))
            run[key] = value
        elif key not in COMMON_OPTIONS:
            known = sorted(set(RUN_KEYS) | COMMON_OPTIONS | set(engines.REGISTRY))
            raise L10nError(f"unknown setting {key!r} in [tool.l10n.mt]"
                            f"{engines.suggest(key, known)}", path, line(common, key))
    name = engine or run.get("engine", DEFAULT_ENGINE)
    where_engine = ("--engine", None) if engine else (path, line(common, "engine"))
    engine_cls = engines.engine_class(name, *where_engine)
    for key, value in table.items():
        if isinstance(value, dict) and key not in engines.REGISTRY:
            raise L10nError(f"unknown MT engine table [tool.l10n.mt.{key}]"
                            f"{engines.suggest(key, engines.REGISTRY)}", path, line(f"{common}.{key}"))
    declared = {o.name for o in engine_cls.OPTIONS}
    raw: dict = {k: (v, path, line(common, k)) for k, v in table.items()
                 if k in COMMON_OPTIONS and k in declared}
    own = f"{common}.{name}"
    raw.update({k: (v, path, line(own, k)) for k, v in table.get(name, {}).items()})
    raw.update({k: (v, spelling, None) for k, (v, spelling) in (cli_options or {}).items()})
    options = engines.parse_options(name, raw)

    chosen = executor or run.get("executor", "local")
    if chosen not in EXECUTORS:
        where = ("--executor", None) if executor else (path, line(common, "executor"))
        raise L10nError(f"unknown executor {chosen!r}{engines.suggest(chosen, EXECUTORS)} "
                        f"(executors: {', '.join(EXECUTORS)})", *where)
    workers = workers if workers is not None else run.get("workers", 0)
    if workers < 0:
        raise L10nError(f"workers must be 0 or more, not {workers}", path, line(common, "workers"))
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
