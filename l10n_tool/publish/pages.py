"""One localised page: PO entries substituted into the source page.

Decides, per unit, whether a msgstr may go live (reviewed, or fuzzy when the
policy allows, and with exactly the placeholders of its msgid). Anything
else falls back to the source text, and a broken msgstr is reported with
the PO file and line so the translator can find it.
"""

from __future__ import annotations

from lxml import etree

from l10n_tool import catalog
from l10n_tool.document import Document, Unit
from l10n_tool import formats
from l10n_tool.locales import LocaleInfo
from l10n_tool.problems import Problem
from l10n_tool.publish.policy import verdicts


def localise(doc: Document, po: catalog.Catalog | None, po_path: str, locale: LocaleInfo,
             source: LocaleInfo, include_fuzzy: bool, site_po: catalog.Catalog | None = None,
             site_po_path: str = "", article_verdict=None, site_verdict=None
             ) -> tuple[etree._Element, list[Problem]]:
    """The page in ``locale``: article units from the page's catalog ``po``,
    site chrome (``unit.scope == "chrome"``) from the locale's site catalog.
    ``article_verdict``/``site_verdict`` (from ``policy.verdicts``) share the
    verdicts the decision already worked out."""
    fmt = formats.get(doc.format)
    indexes = {"article": (article_verdict or verdicts(po, include_fuzzy), po_path),
               "chrome": (site_verdict or verdicts(site_po, include_fuzzy), site_po_path)}
    problems: dict[tuple[str, int], Problem] = {}

    def lookup(unit: Unit) -> str | None:
        judge, path = indexes.get(unit.scope, indexes["article"])
        verdict = judge(unit.text, unit.kind in fmt.plain_text_kinds)
        if verdict.problem:
            line = judge.line(unit.text)
            problems.setdefault((path, line), Problem(
                f"{verdict.problem}; source text used instead", path, line, code="page"))
        return verdict.text

    is_source = locale.code == source.code
    root = fmt.render(doc, (lambda unit: None) if is_source else lookup,
                      lang_attr=locale.bcp47, direction=locale.direction,
                      joiner=locale.sentence_joiner,
                      fallback_lang=None if is_source else source.bcp47)
    return root, [problems[k] for k in sorted(problems)]
