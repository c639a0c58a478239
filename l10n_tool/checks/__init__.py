"""QA checks over PO files: one small module per check.

Adding a check means writing a module with a rule function and listing its
``CHECK`` in ``REGISTRY`` below; the runner, severities and every report
format pick it up from there.
"""

from l10n_tool.checks import completeness, consistency, glossary, numbers, placeholders

#: Every check, in report order. Entry checks run per reviewed/fuzzy entry.
REGISTRY = (
    glossary.FILE,
    placeholders.CHECK,
    glossary.FIXED,
    glossary.APPROVED,
    numbers.CHECK,
    glossary.CONSISTENCY,
    consistency.CHECK,
    completeness.CHECK,
)
