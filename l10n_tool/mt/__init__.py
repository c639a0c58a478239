"""Machine translation: protection, engines, cache, drafts and model packages."""
