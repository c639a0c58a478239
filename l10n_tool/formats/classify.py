"""Article vs site chrome, and what a reader never sees.

A news page is one article wrapped in site furniture (menus, footers, cookie
banners, share bars, related-links lists). Translators should get the
article in the page's own catalog and the furniture once, in the site-wide
catalog; text nobody sees (``display:none``, ``<template>``, tracking
pixels) should not reach them at all. Text a reader sees only after a click
(a closed ``<dialog>``, ``<details>``) or that only screen readers skip
(``aria-hidden``) is seen, so it is translated. The format reader asks this
module once per page, then asks each element in O(1): everything is decided
up front, in one pass over the tree, so the walker pays nothing per unit.

The article is found the way Mozilla Readability finds it (paragraph text,
commas, link density, class-name hints), because its output is our ground
truth and because it works on pages whose markup says nothing; markup that
does say something (``itemprop=articleBody``, ``<article>``) and the
project's own CSS selectors come first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from lxml import etree

from l10n_tool.errors import L10nError

ARTICLE = "article"
CHROME = "chrome"


# --------------------------------------------------------------------------- settings

@dataclass(frozen=True)
class ExtractRules:
    """``[tool.l10n.extract]``: CSS selectors that override detection.

    ``article`` names the article container; ``include`` is always article
    (even inside a nav or aside); ``exclude`` is never queued and is copied
    through untouched, like hidden content.
    """
    article: Optional[str] = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


def _compile(selector: str, key: str, path) -> Any:
    from lxml.cssselect import CSSSelector
    try:
        from cssselect import SelectorError
    except ImportError:  # pragma: no cover - cssselect is a dependency
        SelectorError = Exception
    try:
        return CSSSelector(selector, translator="html")
    except (SelectorError, ValueError, TypeError, etree.XPathError) as exc:
        raise L10nError(f"[tool.l10n.extract] {key}: bad CSS selector {selector!r}: {exc}",
                        path) from None


def rules_from_table(table: dict, path=None) -> ExtractRules:
    """Validate ``[tool.l10n.extract]`` once, where the user can be told the file."""
    if table is None:
        return ExtractRules()
    if not isinstance(table, dict):
        raise L10nError("[tool.l10n.extract] must be a table", path)
    known = {"article", "include", "exclude"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise L10nError(f"[tool.l10n.extract] unknown key {unknown[0]!r}; known: "
                        f"{', '.join(sorted(known))}", path)
    article = table.get("article")
    if article is not None:
        if not isinstance(article, str) or not article.strip():
            raise L10nError("[tool.l10n.extract] article must be a CSS selector string", path)
        _compile(article, "article", path)
        article = article.strip()
    lists = {}
    for key in ("include", "exclude"):
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(
                isinstance(v, str) and v.strip() for v in value):
            raise L10nError(f"[tool.l10n.extract] {key} must be a list of CSS selector strings",
                            path)
        for v in value:
            _compile(v, key, path)
        lists[key] = tuple(v.strip() for v in value)
    return ExtractRules(article, lists["include"], lists["exclude"])


# --------------------------------------------------------------------------- result

@dataclass
class Classification:
    """Per-element answers, precomputed: ``hidden`` and ``scope`` are O(1)."""
    _hidden: set = field(default_factory=set, repr=False)
    _scope: dict = field(default_factory=dict, repr=False)
    #: the elements chosen as the article's container(s), for benchmarks and debugging
    containers: list = field(default_factory=list, repr=False)

    def hidden(self, el) -> bool:
        """Never shown to a reader (or excluded by the project): copied through, never queued."""
        return el in self._hidden

    def scope(self, el) -> str:
        """``"article"`` (the page's own catalog) or ``"chrome"`` (the site catalog)."""
        found = self._scope.get(el)
        if found is not None:
            return found
        # An element made after classification (or a foreign one): ask its ancestors.
        for anc in el.iterancestors():
            found = self._scope.get(anc)
            if found is not None:
                return found
        return ARTICLE if not self.containers else CHROME


# --------------------------------------------------------------------------- hidden

_STYLE_HIDDEN = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))\s*(?:!important)?\s*(?:;|$)",
    re.I)
#: Never rendered, whatever their content.
_NEVER_RENDERED = {"template", "script", "style"}


def _own_hidden(el) -> bool:
    tag = el.tag
    if tag in _NEVER_RENDERED:
        return True
    if el.get("hidden") is not None and el.get("hidden", "").lower() != "until-found":
        return True
    style = el.get("style")
    if style and _STYLE_HIDDEN.search(style):
        return True
    if tag == "input" and (el.get("type") or "").lower() == "hidden":
        return True
    if tag == "img":
        if _tiny(el.get("width")) and _tiny(el.get("height")):
            return True  # a tracking pixel
        if not (el.get("alt") or "").strip() and any(a.tag == "noscript"
                                                    for a in el.iterancestors()):
            return True  # a no-script beacon: nothing for a reader
    return False


def _revealed_by_script(el, body, page_text: int) -> bool:
    """A hidden wrapper of the whole page is shown by a script (anti-flicker, app shells)."""
    if el.tag in ("html", "body", "head"):
        return True
    if el.tag in _NEVER_RENDERED or page_text < 1000:
        return False
    return _visible_length(el) > 0.8 * page_text


def _visible_length(el) -> int:
    return sum(len(t) - t.count(" ") - t.count("\n") - t.count("\t")
               for t in el.itertext()) if el is not None else 0


def _tiny(value: Optional[str]) -> bool:
    if value is None:
        return False
    m = re.match(r"\s*(\d+)", value)
    return bool(m) and int(m.group(1)) <= 1


# --------------------------------------------------------------------------- scoring

_UNLIKELY = re.compile(
    r"-ad-|ai2html|banner|breadcrumb|combx|comment|community|cover-wrap|disqus|extra|footer|"
    r"gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|"
    r"sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|cookie|consent|"
    r"newsletter|subscribe|share|sharing|promo|outbrain|taboola|signup|paywall", re.I)
_MAYBE = re.compile(r"and|article|body|column|content|main|mathjax|shadow", re.I)
_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story",
    re.I)
_NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|"
    r"masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|"
    r"sponsor|shopping|tags|widget", re.I)
#: Class/id words of site furniture inside an article container.
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|related|newsletter|subscri|signup|cookie|consent|"
    r"gdpr|comment|disqus|breadcrumb|promo|advert|sponsor|outbrain|taboola|recommend|"
    r"paywall|addthis|sharethis|more-stories|read-more|author-bio|modal|popup|lightbox)"
    r"|(?:^|[\s_-])(?:ads?|tags|print|follow|toolbar)(?:$|[\s_-])", re.I)
_FURNITURE_TAGS = {"nav", "aside", "form", "footer", "header", "menu", "select", "button"}
_ROLE_FURNITURE = {"navigation", "banner", "contentinfo", "complementary", "search",
                   "dialog", "alertdialog", "menu", "menubar", "toolbar"}
_BLOCKS = {"address", "article", "aside", "blockquote", "details", "dialog", "dd", "div",
           "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
           "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "p",
           "pre", "section", "table", "ul"}
_SCORED = {"p", "td", "pre", "section", "h2", "h3", "h4", "h5", "h6"}
_WS = re.compile(r"\s+")


def _class_id(el) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _class_weight(el) -> int:
    weight = 0
    for value in (el.get("class"), el.get("id")):
        if value:
            if _NEGATIVE.search(value):
                weight -= 25
            if _POSITIVE.search(value):
                weight += 25
    return weight


class _Texts:
    """Visible text and link text per element, computed once bottom-up."""

    def __init__(self, body, hidden: set):
        self.text: dict = {}
        self.link: dict = {}
        self.commas: dict = {}
        self.hidden = hidden
        self._fill(body)

    def _fill(self, root) -> None:
        # Iterative post-order: real pages nest deeper than Python's recursion limit.
        stack = [(root, False)]
        while stack:
            el, done = stack.pop()
            if not done:
                stack.append((el, True))
                for child in el:
                    if isinstance(child.tag, str) and child not in self.hidden:
                        stack.append((child, False))
                continue
            own = len(_WS.sub(" ", el.text or "").strip())
            commas = (el.text or "").count(",")
            text, link = own, 0
            for child in el:
                tail = child.tail or ""
                text += len(_WS.sub(" ", tail).strip())
                commas += tail.count(",") + tail.count("，") + tail.count("、")
                if isinstance(child.tag, str) and child in self.text:
                    text += self.text[child]
                    link += self.link[child]
                    commas += self.commas[child]
            if el.tag == "a":
                link = text
            self.text[el] = text
            self.link[el] = link
            self.commas[el] = commas

    def density(self, el) -> float:
        t = self.text.get(el, 0)
        return self.link.get(el, 0) / t if t else 0.0


def _initial_score(el, weigh_classes: bool) -> float:
    tag = el.tag
    score = {"div": 5, "pre": 3, "td": 3, "blockquote": 3, "address": -3, "ol": -3,
             "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "form": -3, "h1": -5,
             "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5}.get(tag, 0)
    return score + (_class_weight(el) if weigh_classes else 0)


def _unlikely(el) -> bool:
    ci = _class_id(el)
    if el.get("role") in _ROLE_FURNITURE:
        return True
    if el.tag in ("body", "a", "article", "main"):
        return False
    return bool(_UNLIKELY.search(ci)) and not _MAYBE.search(ci)


#: Readability's retries: when the article found is short, class names misled it.
_ATTEMPTS = ((True, True), (False, True), (False, False))
#: Below this many characters an article found is suspect.
_SHORT_ARTICLE = 500


def _best_candidate(body, texts: _Texts) -> tuple[Optional[Any], dict]:
    best: tuple = (None, {})
    for strip_unlikely, weigh_classes in _ATTEMPTS:
        top, final = _top_candidate(body, texts, strip_unlikely, weigh_classes)
        if top is None or top is body or top.tag == "html":
            continue  # nothing scored: the whole page is no answer
        if texts.text.get(top, 0) >= _SHORT_ARTICLE:
            return top, final
        if best[0] is None or texts.text.get(top, 0) > texts.text.get(best[0], 0):
            best = (top, final)
    return best


def _top_candidate(body, texts: _Texts, strip_unlikely: bool = True,
                   weigh_classes: bool = True) -> tuple[Optional[Any], dict]:
    scores: dict = {}
    skip: set = set()
    for el in body.iter():
        if not isinstance(el.tag, str) or el not in texts.text:
            continue
        parent = el.getparent()
        if parent in skip or strip_unlikely and _unlikely(el) and el.tag not in ("html", "body"):
            skip.add(el)
            continue
        tag = el.tag
        if tag in _SCORED or (tag == "div" and not any(
                isinstance(c.tag, str) and c.tag in _BLOCKS for c in el)):
            n = texts.text[el]
            if n < 25:
                continue
            content = 1 + texts.commas[el] + min(n // 100, 3)
            for level, anc in enumerate(el.iterancestors()):
                if level >= 5 or not isinstance(anc.tag, str):
                    break
                if anc not in scores:
                    scores[anc] = _initial_score(anc, weigh_classes)
                div = 1 if level == 0 else 2 if level == 1 else level * 3
                scores[anc] += content / div
    final = {el: score * (1 - texts.density(el)) for el, score in scores.items()}
    ranked = sorted(final, key=final.get, reverse=True)[:5]
    if not ranked:
        return None, final
    return _refine(ranked, final, body, texts), final


def _refine(ranked: list, final: dict, body, texts: _Texts):
    """Readability's climb: content split over sibling blocks unites in their ancestor."""
    top = ranked[0]
    top_score = final[top] or 1e-9
    # Several near-best candidates under one ancestor: the ancestor is the article.
    alternatives = [set(c.iterancestors()) for c in ranked[1:]
                    if final[c] / top_score >= 0.75]
    if len(alternatives) >= 3:
        anc = top.getparent()
        while anc is not None and anc is not body:
            if sum(anc in a for a in alternatives) >= 3:
                top = anc
                break
            anc = anc.getparent()
    # A parent scoring higher than its child holds more of the content.
    anc, last = top.getparent(), final.get(top, 0)
    threshold = last / 3
    while anc is not None and anc is not body:
        if anc in final:
            if final[anc] < threshold:
                break
            if final[anc] > last:
                # ...unless what it adds is mostly links (teasers, menus) or
                # dwarfs the candidate (the whole page scoring a hair higher).
                if texts.density(anc) <= max(texts.density(top) + 0.1, 0.33) and \
                        texts.text.get(anc, 0) <= 3 * texts.text.get(top, 0):
                    top = anc
                break
            last = final[anc]
        anc = anc.getparent()
    # An only child stands for its parent.
    anc = top.getparent()
    while anc is not None and anc is not body and \
            sum(1 for c in anc if isinstance(c.tag, str)) == 1:
        top, anc = anc, anc.getparent()
    return top


def _with_siblings(top, final: dict, texts: _Texts) -> list:
    """Readability's sibling pass: the article often spans several sibling blocks."""
    parent = top.getparent()
    if parent is None:
        return [top]
    threshold = max(10.0, final.get(top, 0) * 0.2)
    chosen = []
    top_class = top.get("class")
    for sib in parent:
        if not isinstance(sib.tag, str) or sib not in texts.text:
            continue
        if sib is top:
            chosen.append(sib)
            continue
        bonus = final.get(top, 0) * 0.2 if top_class and sib.get("class") == top_class else 0
        if final.get(sib, -1e9) + bonus >= threshold:
            chosen.append(sib)
        elif sib.tag == "p":
            n = texts.text[sib]
            d = texts.density(sib)
            if n > 80 and d < 0.25 or 0 < n <= 80 and d == 0 and \
                    re.search(r"\.( |$)", _WS.sub(" ", sib.text_content())):
                chosen.append(sib)
    return chosen


def _semantic(body, texts: _Texts) -> Optional[Any]:
    """Markup that names the article body (schema.org ``articleBody``).

    Pages repeat it on teasers of other stories, so the longest one wins;
    ``<article>`` alone proves little (39 of them on one NYT page) and is
    left to the scoring, then used to widen its answer.
    """
    bodies = [el for el in body.iter() if isinstance(el.tag, str)
              and "articleBody" in (el.get("itemprop") or "").split()
              and texts.text.get(el, 0) >= 200]
    return max(bodies, key=lambda el: texts.text[el], default=None)


def _semantic_wrapper(containers: list, texts: _Texts) -> list:
    """The <article> around the text body holds its headline, standfirst and lead image."""
    inner = containers[0]
    size = sum(texts.text.get(c, 0) for c in containers)
    start = inner if len(containers) == 1 else inner.getparent()
    if start is None or any(c.getparent() is not start for c in containers[1:]):
        return containers
    for anc in ([start] if start is not inner else []) + list(start.iterancestors()):
        if anc.tag in ("body", "html"):
            break
        if anc.tag == "article" or anc.get("role") == "article":
            if texts.text.get(anc, 0) <= 1.5 * size + 500:
                return [anc]
            break
    return containers


# --------------------------------------------------------------------------- furniture

#: Class modifiers that describe a block's extras, not the block ("has-shares").
_MODIFIER = ("has-", "with-", "no-", "is-")


def _furniture_name(el) -> bool:
    """A class or id naming site furniture: ``share-bar``, ``jp-relatedposts``.

    Ids made from a heading (``sharing-with-a-single-developer``) name prose,
    and BEM modifiers (``fig--has-shares``) describe a block's extras, so
    neither counts.
    """
    tokens = (el.get("class") or "").split()
    ident = el.get("id") or ""
    if ident and len(re.split(r"[-_]", ident)) <= 3:
        tokens.append(ident)
    for token in tokens:
        if token.lower().startswith(_MODIFIER):
            continue
        if _FURNITURE.search(token.split("--")[0]):
            return True
    return False


#: Furniture tags that are also phrasing content, used inside sentences.
_CONTROLS = {"select", "button"}
_LETTERS = re.compile(r"[^\W\d_]")


def _in_sentence(el) -> bool:
    """Words of its own parent's around it: a control in a line of text."""
    parent = el.getparent()
    if parent is None:
        return False
    return bool(_LETTERS.search(parent.text or "")) or any(
        _LETTERS.search(child.tail or "") for child in parent)


def _furniture(el, texts: _Texts, limit: float) -> bool:
    """Site furniture inside the article container: share bars, related links, forms.

    Nothing holding more than ``limit`` characters of text is furniture,
    whatever its name: ASP.NET pages wrap the whole page in one <form>, and
    a class like ``has-comments`` on a wrapper says nothing about its text.
    """
    if texts.text.get(el, 0) > limit:
        return False
    tag = el.tag
    if tag in _CONTROLS and _in_sentence(el):
        return False   # "press <button>Save</button> to keep it": words of the sentence
    if tag == "header":
        # An article's header holds its headline; the site's holds the menu.
        if el.find(".//nav") is not None or next(el.iter("h1", "h2"), None) is None:
            return True
    elif tag in _FURNITURE_TAGS:
        return True
    if el.get("role") in _ROLE_FURNITURE:
        return True
    if _furniture_name(el) and (texts.text.get(el, 0) < 1000 or texts.density(el) > 0.3):
        return True  # a long, plain-text block is prose, whatever it is called
    if tag in ("ul", "ol", "div", "section", "table") and texts.text.get(el, 0):
        # A block that is mostly links (a related-stories list) is furniture.
        if texts.density(el) > 0.65 and texts.text[el] < 1000:
            return True
    return False


def _select(root, selectors: Iterable[str]) -> list:
    out = []
    for sel in selectors:
        out.extend(_compile(sel, "selector", None)(root))
    return out


# --------------------------------------------------------------------------- entry point

def classify(root, rules: Optional[ExtractRules] = None) -> Classification:
    """Decide, for every element of a page, whether it is hidden and whose catalog it feeds."""
    rules = rules or ExtractRules()
    result = Classification()
    hidden = result._hidden
    body = root.find("body") if root.tag == "html" else root
    if body is None:
        body = root

    excluded = set(_select(root, rules.exclude)) if rules.exclude else set()
    included = set(_select(root, rules.include)) if rules.include else set()

    # 1. hidden: own attributes, then inherited.
    page_text = _visible_length(body)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        parent = el.getparent()
        if parent is not None and parent in hidden or el in excluded:
            hidden.add(el)
        elif _own_hidden(el) and not _revealed_by_script(el, body, page_text):
            hidden.add(el)

    texts = _Texts(body, hidden)

    # 2. the article container(s)
    containers: list = []
    if rules.article:
        containers = [e for e in _select(root, [rules.article]) if e not in hidden]
    if not containers:
        sem = _semantic(body, texts)
        if sem is not None:
            containers = [sem]
    if not containers:
        top, final = _best_candidate(body, texts)
        if top is not None:
            containers = _with_siblings(top, final, texts)
            containers = _semantic_wrapper(containers, texts)
    result.containers = containers

    # 3. scope of every element
    scope = result._scope
    in_container = set()
    for c in containers:
        for el in c.iter():
            if isinstance(el.tag, str):
                in_container.add(el)
    # Furniture is small next to the article it sits in.
    limit = 0.4 * max((texts.text.get(c, 0) for c in containers),
                      default=texts.text.get(body, 0))
    in_included: set = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        parent = el.getparent()
        if el in included or parent in in_included:
            in_included.add(el)
            scope[el] = ARTICLE
        elif el.tag == "head" or (parent is not None and parent.tag == "head"):
            scope[el] = ARTICLE  # title, meta description, og:title describe the article
        elif el in in_container or not containers:
            if parent is not None and scope.get(parent) == CHROME and el not in containers:
                scope[el] = CHROME
            elif el not in containers and el is not body and _furniture(el, texts, limit):
                scope[el] = CHROME
            else:
                scope[el] = ARTICLE
        else:
            scope[el] = CHROME
    if not (rules.article and containers):
        _headline(body, result, texts)
    return result


_BYLINE = re.compile(r"byline|dateline|(?:^|[\s_-])author(?:$|[\s_-])", re.I)


def _in_furniture(el) -> bool:
    return any(a.tag in ("nav", "footer", "aside", "form")
               or a.get("role") in _ROLE_FURNITURE for a in el.iterancestors())


def _mark(el, scope: dict) -> None:
    """Make ``el`` article, and what it holds but site furniture (a share bar
    or a menu inside a dateline): that stays as it was."""
    stack = [el]
    while stack:
        sub = stack.pop()
        if sub is not el and (sub.tag in ("nav", "aside", "form", "menu") or
                              sub.get("role") in _ROLE_FURNITURE or _furniture_name(sub)):
            continue
        scope[sub] = ARTICLE
        stack.extend(c for c in sub if isinstance(c.tag, str))


#: a word; kana, CJK ideographs and Hangul syllables one character each
_CJK_FIRST = "\u3040"
_WORD = r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W_]+"
#: the same for text without those scripts: the CJK ranges alone take 3 ms
#: to compile, a part of every command's start on a site that has none
_PLAIN_WORD = re.compile(r"[^\W_]+")


def _word_list(text: str) -> list[str]:
    plain = not text or max(text) < _CJK_FIRST
    words = _PLAIN_WORD.findall(text) if plain else re.findall(_WORD, text)
    return [w.lower() for w in words]


def _title_words(body) -> set:
    """Words of the page's own idea of its title: <title>, og:title."""
    root = body.getroottree().getroot()
    head = root.find("head")
    found: set = set()
    if head is None:
        return found
    for el in head:
        if el.tag == "title":
            found.update(_word_list(el.text_content()))
        elif el.tag == "meta" and (el.get("property") or el.get("name") or "").lower() in (
                "og:title", "twitter:title"):
            found.update(_word_list(el.get("content") or ""))
    return found


def _headline(body, result: Classification, texts: _Texts) -> None:
    """The article's h1 and byline often sit above its container: still the article."""
    scope = result._scope
    if not any(scope.get(h) == ARTICLE for h in body.iter("h1")):
        title = _title_words(body)
        # The <main> or <article> the text body sits in holds its headline.
        wrappers = {a for c in result.containers for a in c.iterancestors()
                    if a.tag in ("main", "article") or a.get("role") in ("main", "article")}
        best, best_overlap = None, 0.0
        for h in body.iter("h1"):
            if h in result._hidden or not texts.text.get(h, 0) or _in_furniture(h):
                continue
            if wrappers and any(a in wrappers for a in h.iterancestors()):
                best, best_overlap = h, 1.0
                break
            own = set(_word_list(h.text_content()))
            # A section name ("Health Center") is not the headline: it must echo the title.
            overlap = len(own & title) / len(own) if own and title else 0.0
            if overlap > best_overlap:
                best, best_overlap = h, overlap
        if best is not None and best_overlap >= 0.5:
            _mark(best, scope)
    for el in body.iter():
        if not isinstance(el.tag, str) or scope.get(el) == ARTICLE or el in result._hidden:
            continue
        marker = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("rel"),
                                        el.get("itemprop"))))
        if marker and _BYLINE.search(marker) and 0 < texts.text.get(el, 0) <= 200 \
                and texts.density(el) < 1 and not _in_furniture(el):
            _mark(el, scope)
