"""QA checks over PO files: one small module per check.

Adding a check means writing a module with a rule function and a ``Check``
(id, default severity, one-line title; see ``base``), and listing it in
``REGISTRY`` below; ``--list``, ``--select``/``--ignore``, severity settings,
the runner and every report format pick it up from there.
"""

from l10n_tool.checks import (completeness, consistency, discovery, format_strings, glossary,
                              language, markup_text, newlines, numbers, placeholders, plurals, syntax)

#: Every check, in report order.
REGISTRY = (
    glossary.FILE,
    discovery.UNCONFIGURED,
    syntax.CHECK,
    discovery.ORPHANED,
    language.CHECK,
    placeholders.CHECK,
    markup_text.CHECK,
    plurals.CHECK,
    format_strings.CHECK,
    newlines.CHECK,
    glossary.FIXED,
    glossary.APPROVED,
    numbers.CHECK,
    glossary.CONSISTENCY,
    consistency.CHECK,
    completeness.UNTRANSLATED,
    completeness.FUZZY,
)
