"""One localised page: PO entries substituted into the source page.

Decides, per unit, whether a msgstr may go live (reviewed, or fuzzy when the
policy allows, and with exactly the placeholders of its msgid). Anything
else falls back to the source text, and a broken msgstr is reported with
the PO file and line so the translator can find it.
"""

from __future__ import annotations

import unicodedata

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
    if not is_source and locale.direction != source.direction:
        _turn_directions(root, locale, source.direction)
    return root, [problems[k] for k in sorted(problems)]


#: the bidi classes of a strong character of each direction
_STRONG = {"rtl": frozenset({"R", "AL"}), "ltr": frozenset({"L"})}


def _turn_directions(root, locale: LocaleInfo, wrong: str) -> None:
    """A ``dir`` the source page set for its own language (``<div dir="ltr">``
    around an English article) over text now in a right-to-left translation
    would lay the Arabic out left to right: where the element is in the
    target language and holds its text, it takes the target's direction. One
    holding none (a ``<pre dir="ltr">`` of code) or marked as another language
    (the English fallback's span) keeps its own."""
    for el in root.iter(etree.Element):
        if (el.get("dir") or "").strip().lower() != wrong:
            continue
        if _speaks(el, locale) and _holds_script(el, locale):
            el.set("dir", locale.direction)


def _lang(el) -> str | None:
    """The primary language subtag of the element's own lang (or xml:lang)."""
    lang = el.get("lang", el.get("{http://www.w3.org/XML/1998/namespace}lang"))
    return None if lang is None else lang.strip().replace("_", "-").split("-")[0].lower()


def _speaks(el, locale: LocaleInfo) -> bool:
    """Whether the element's language (its own ``lang`` or its nearest
    ancestor's) is the locale's."""
    for node in (el, *el.iterancestors()):
        lang = _lang(node)
        if lang is not None:
            return lang == locale.language
    return False


def _holds_script(el, locale: LocaleInfo) -> bool:
    """Whether text of the element outside parts marked as another language
    has a strong character of the locale's direction."""
    strong = _STRONG[locale.direction]

    def has(text) -> bool:
        return bool(text) and any(unicodedata.bidirectional(ch) in strong for ch in text)

    stack = [el]        # not recursive: pages nest up to 2048 deep
    while stack:
        node = stack.pop()
        if has(node.text):
            return True
        for child in node:
            if has(child.tail):
                return True
            if isinstance(child.tag, str) and _lang(child) in (None, locale.language):
                stack.append(child)
    return False
