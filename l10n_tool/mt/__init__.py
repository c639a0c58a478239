"""Machine translation: protection, engines, cache, drafts and model packages."""

#: MT engines: name → "module:class", imported only when one is used (see
#: ``engine.engine_class``), so the CLI's help and a setting's check list
#: them without importing the engine code. A new engine adds one line.
REGISTRY: dict[str, str] = {
    "argos": "l10n_tool.mt.argos:ArgosEngine",
    "bergamot": "l10n_tool.mt.bergamot:BergamotEngine",
    "pseudo": "l10n_tool.mt.engine:Pseudo",
}
