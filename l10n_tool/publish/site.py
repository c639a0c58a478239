"""The site around the pages: switcher, hreflang, indexes and sitemap.

Every link set is computed from one list of published versions, so the
switcher, the ``<link rel=alternate>`` tags and the sitemap always agree and
stay symmetric: a page that is withheld appears in none of them.
"""

from __future__ import annotations

import posixpath
from typing import NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree
from lxml.builder import E

from l10n_tool.locales import LocaleInfo
from l10n_tool.publish import urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
_URL, _SRCSET, _CSS = urls.url_span, urls.srcset_urls, urls.css_urls
#: per element, the attributes holding URLs and how each value is read. Every
#: URL may name an article (an iframe, a form or a ``<link rel=next>`` as much
#: as an ``<a>``): an article's source file is never published as such, so any
#: reference to it has to go to a locale's version.
URL_ATTRIBUTES: dict[str, dict[str, urls.Finder]] = {
    "a": {"href": _URL}, "area": {"href": _URL}, "link": {"href": _URL, "imagesrcset": _SRCSET},
    "img": {"src": _URL, "srcset": _SRCSET, "longdesc": _URL},
    "source": {"src": _URL, "srcset": _SRCSET}, "script": {"src": _URL, "href": _URL},
    "video": {"src": _URL, "poster": _URL}, "audio": {"src": _URL}, "track": {"src": _URL},
    "iframe": {"src": _URL, "longdesc": _URL}, "frame": {"src": _URL, "longdesc": _URL},
    "embed": {"src": _URL}, "object": {"data": _URL},
    "input": {"src": _URL, "formaction": _URL}, "button": {"formaction": _URL},
    "form": {"action": _URL}, "blockquote": {"cite": _URL}, "q": {"cite": _URL},
    "del": {"cite": _URL}, "ins": {"cite": _URL},
    "body": {"background": _URL}, "table": {"background": _URL}, "tr": {"background": _URL},
    "td": {"background": _URL}, "th": {"background": _URL},
    # SVG (the HTML parser lower-cases its names); <image> outside SVG is an <img>
    "use": {"href": _URL}, "image": {"href": _URL, "src": _URL}, "feimage": {"href": _URL},
    "pattern": {"href": _URL}, "lineargradient": {"href": _URL},
    "radialgradient": {"href": _URL}, "filter": {"href": _URL}, "textpath": {"href": _URL},
    "mpath": {"href": _URL},
    # AMP, the format news sites serve to search engines: its components load
    # what <img>, <video> and <iframe> load
    "amp-img": {"src": _URL, "srcset": _SRCSET}, "amp-anim": {"src": _URL, "srcset": _SRCSET},
    "amp-video": {"src": _URL, "poster": _URL}, "amp-audio": {"src": _URL},
    "amp-iframe": {"src": _URL, "poster": _URL},
}
#: on any element: inline style, SVG's xlink:href, and the attributes lazy
#: loaders read their URL from (only those that always hold one)
ANY_ELEMENT: dict[str, urls.Finder] = {
    "style": _CSS, "xlink:href": _URL, "data-src": _URL, "data-srcset": _SRCSET,
    "data-original": _URL, "data-lazy-src": _URL, "data-lazy-srcset": _SRCSET,
    "data-bg": urls.background_urls,
}
#: what the walk looks up: an element's own URL attributes and the common ones
_FINDERS = {tag: {**ANY_ELEMENT, **own} for tag, own in URL_ATTRIBUTES.items()}
_FINDERS["meta refresh"] = {**ANY_ELEMENT, "content": urls.refresh_url}
#: a stand-in origin for resolving a ``<base href>`` within the site
_SITE = "http://site.invalid/"


class Version(NamedTuple):
    """One published page: a slug in a locale (a tuple: the indexes and the
    sitemap make one per version of every page, 20,000 at 10,000 pages)."""
    locale: LocaleInfo
    slug: str
    title: str

    @property
    def path(self) -> str:
        return f"{self.locale.code}/{self.slug}.html"


def absolute(base_url: str, path: str) -> str:
    """The public URL of a site path, percent-encoded (canonical, hreflang
    and sitemap all come from here, so they agree)."""
    return urljoin(base_url if base_url.endswith("/") else base_url + "/", urls.encode_path(path))


def _head(root) -> etree._Element:
    head = root.find("head")
    if head is None:
        head = etree.Element("head")
        root.insert(0, head)
    return head


def _drop(el) -> None:
    """Remove an element but keep the text that follows it. The line it stood
    on goes too, or the page would keep a blank line for every link removed:
    of the white space on either side, the run after it is kept if it breaks
    the line (it indents what follows), else the run before."""
    parent, prev = el.getparent(), el.getprevious()
    before = (parent.text if prev is None else prev.tail) or ""
    after = el.tail or ""
    ws_before = before[len(before.rstrip(urls.HTML_SPACE)):]
    ws_after = after[:len(after) - len(after.lstrip(urls.HTML_SPACE))]
    if ws_before and ws_after:
        kept = ws_after if "\n" in ws_after else ws_before
        joined = before[:len(before) - len(ws_before)] + kept + after[len(ws_after):]
    else:
        joined = before + after
    if prev is None:
        parent.text = joined or None
    else:
        prev.tail = joined or None
    parent.remove(el)


def _replaced(link, published: set[str]) -> bool:
    """Is this a link the site's own canonical and hreflang set stands in for?

    Every version gets a canonical of its own: a translation's canonical must
    be itself (one naming another language tells search engines to drop it),
    and alternates only count between canonical URLs, so the source version's
    must be the URL the hreflang set and the sitemap give it. An author's
    alternate in a language this page is not published in (a French edition
    hosted elsewhere) still describes the page and stays, as does a feed.
    """
    rels = (link.get("rel") or "").lower().split()
    if "canonical" in rels:
        return True
    lang = link.get("hreflang")
    if "alternate" not in rels or lang is None:
        return False
    if (link.get("type") or "text/html").strip().lower() not in ("text/html",
                                                                 "application/xhtml+xml"):
        return False
    return lang.strip().lower().replace("_", "-") in published


def _alternates(root, here_path: str, versions: list[Version], default: Version,
                base_url: str) -> None:
    """Canonical and hreflang links, replacing the source page's (see ``_replaced``)."""
    head = _head(root)
    published = {v.locale.bcp47.lower() for v in versions} | {"x-default"}
    for old in [link for link in root.iter("link") if _replaced(link, published)]:
        _drop(old)           # anywhere: real pages put them in <body> too
    links = [E.link(rel="canonical", href=absolute(base_url, here_path))]
    links += [E.link(rel="alternate", hreflang=v.locale.bcp47, href=absolute(base_url, v.path))
              for v in versions]
    links.append(E.link(rel="alternate", hreflang="x-default",
                        href=absolute(base_url, default.path)))
    indent = head[-1].tail if len(head) else "\n"
    for link in links:
        if len(head):
            head[-1].tail = indent
        link.tail = "\n"
        head.append(link)


def switcher(current: LocaleInfo, targets: list[tuple[LocaleInfo, str]]) -> etree._Element:
    """A list of the other language versions, each named in its own script."""
    items = []
    for loc, href in targets:
        if loc.code == current.code:
            items.append(E.li(E.span(loc.native_name, lang=loc.bcp47, dir=loc.direction,
                                     **{"aria-current": "true"})))
        else:
            items.append(E.li(E.a(loc.native_name, href=href, hreflang=loc.bcp47,
                                  lang=loc.bcp47, dir=loc.direction, rel="alternate")))
    return E.nav(E.ul(*items), {"class": "l10n-switcher", "aria-label": "Language"})


def _insert_switcher(root, nav) -> None:
    body = root.find("body")
    if body is None:
        body = etree.SubElement(root, "body")
    nav.tail = body.text
    body.text = "\n"
    body.insert(0, nav)


def _resolved_against(root, page_dir: str) -> tuple[etree._Element | None, str | None]:
    """(The ``<base>`` in effect, the site folder the page's relative URLs
    resolve against), for a page in ``page_dir``.

    As browsers read it: the first ``<base>`` with an ``href``, anywhere in
    the page. Its folder is None when it lies off the site (an absolute,
    scheme- or root-relative base: the page's URLs then mean the same in any
    folder). A base of only a query or fragment resolves like the page itself.
    """
    base = next((b for b in root.iter("base") if b.get("href") is not None), None)
    if base is None:
        return None, page_dir
    href = base.get("href").strip(urls.HTML_SPACE)
    if urls.is_relative_path(href):
        path = urlsplit(urljoin(_SITE + (page_dir + "/" if page_dir else ""), href)).path
        return base, posixpath.dirname(unquote(path)[1:])
    if urls.split(href)[0]:
        return base, None
    return None, page_dir


def _language_of(value: str) -> str:
    return value.strip().replace("-", "_").split("_")[0].lower()


def _retag_metadata(root, here: LocaleInfo, source: LocaleInfo) -> None:
    """The page's own statements of its language, where they name the source's:
    ``og:locale`` (what social networks show the card in) and the
    ``Content-Language`` header a ``<meta http-equiv>`` stands in for. An
    ``og:locale:alternate`` naming this version's language goes (the page is it)."""
    for meta in list(root.iter("meta")):
        prop = (meta.get("property") or meta.get("name") or "").strip().lower()
        equiv = (meta.get("http-equiv") or "").strip().lower()
        content = meta.get("content")
        if content is None:
            continue
        if prop == "og:locale" and _language_of(content) == source.language:
            meta.set("content", here.og_locale)
        elif prop == "og:locale:alternate" and _language_of(content) == here.language:
            _drop(meta)
        elif equiv == "content-language" and _language_of(content) == source.language:
            meta.set("content", here.bcp47)


def decorate_page(root, here: Version, versions: list[Version], base_url: str) -> None:
    """``versions`` of the article, the source version first (the x-default).

    The switcher is relative like every link the site writes, except on a
    page whose ``<base>`` lies off the site: there only an absolute URL
    reaches the other versions.
    """
    _alternates(root, here.path, versions, versions[0], base_url)
    if here.locale.code != versions[0].locale.code:
        _retag_metadata(root, here.locale, versions[0].locale)
    _, folder = _resolved_against(root, posixpath.dirname(here.path))
    targets = [(v.locale, absolute(base_url, v.path) if folder is None else urls.href(v.path, folder))
               for v in versions]
    _insert_switcher(root, switcher(here.locale, targets))


def rewrite_urls(root, here: Version, article_target, asset_prefix: str = "../") -> None:
    """Point links at the right locale's article, and assets at the site root.

    ``article_target(slug)`` returns the path (from the site root) of that
    article's best published version for this locale, or None if the slug is
    not an article. Only the relative URLs change; see ``urls``. Under a
    ``<base href>`` the page's URLs resolve against the base, wherever the
    page lives, so they stay as written: a base inside the site is moved
    instead, and only links that resolve to an article change.
    """
    here_dir = posixpath.dirname(here.path)
    base, folder = _resolved_against(root, "")
    rewrite = urls.mover(here_dir, article_target, asset_prefix)
    if base is not None:
        if folder is None:
            return
        base.set("href", urls.rewrite_url(base.get("href"), urls.mover(
            here_dir, article_target, asset_prefix, links=False)))
        rewrite = urls.mover(folder, article_target, None, from_dir=folder)
    for el in root.iter(etree.Element):
        if el is base:
            continue
        tag = el.tag
        if tag == "meta" and (el.get("http-equiv") or "").strip().lower() == "refresh":
            tag = "meta refresh"
        finders = _FINDERS.get(tag, ANY_ELEMENT)
        for attr in el.keys():
            find = finders.get(attr)
            value = find and el.get(attr)
            if value:
                new = urls.rewrite_spans(value, find(value), rewrite)
                if new != value:
                    el.set(attr, new)
        if tag == "style" and el.text:
            el.text = urls.rewrite_spans(el.text, urls.css_urls(el.text), rewrite)


def _page(locale: LocaleInfo, title: str, body_children: list) -> etree._Element:
    return E.html(
        E.head(E.meta(charset="utf-8"),
               E.meta(name="viewport", content="width=device-width, initial-scale=1"),
               E.title(title)),
        E.body(*body_children),
        lang=locale.bcp47, dir=locale.direction)


def locale_index(locale: LocaleInfo, site_name: str, pages: list[Version],
                 index_versions: list[LocaleInfo], default: LocaleInfo, base_url: str,
                 source_titles: dict[str, str] | None = None):
    """The list of a locale's published articles, under their translated titles.

    ``source_titles`` (slug → the source version's title) tells which titles
    fell back to the source's: those are marked as the source language, with
    its direction, as the page marks its own fallback text (an English title
    in an Arabic list reads right to left otherwise: "?Why")."""
    source_titles = source_titles or {}
    items = []
    for v in pages:
        link = E.a(v.title, href=urls.href(v.path, locale.code))
        if locale.code != default.code and source_titles.get(v.slug) == v.title:
            link.set("lang", default.bcp47)
            if default.direction != locale.direction:
                link.set("dir", default.direction)
        items.append(E.li(link))
    root = _page(locale, site_name, [E.main(E.h1(site_name), E.ul(*items))])
    path = f"{locale.code}/index.html"
    versions = [Version(loc, "index", site_name) for loc in index_versions]
    _alternates(root, path, versions, Version(default, "index", site_name), base_url)
    _insert_switcher(root, switcher(locale, [(v.locale, urls.href(v.path, locale.code))
                                             for v in versions]))
    return root


def root_index(site_name: str, locales: list[LocaleInfo]):
    """The language picker: every language named in its own script (source first)."""
    items = [E.li(E.a(loc.native_name, href=urls.href(f"{loc.code}/index.html"),
                      hreflang=loc.bcp47, lang=loc.bcp47, dir=loc.direction))
             for loc in locales]
    return _page(locales[0], site_name, [E.main(E.h1(site_name),
                                                E.ul(*items, {"class": "l10n-languages"}))])


def sitemap(groups: list[list[Version]], base_url: str) -> bytes:
    """``sitemap.xml`` with an ``xhtml:link`` alternate set on every URL; each
    group is one article's versions, the source version (x-default) first."""
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
    for group in groups:
        for v in group:
            url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
            etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = absolute(base_url, v.path)
            for alt in group:
                etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate",
                                 hreflang=alt.locale.bcp47, href=absolute(base_url, alt.path))
            etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate",
                             hreflang="x-default", href=absolute(base_url, group[0].path))
    return etree.tostring(urlset, xml_declaration=True, encoding="UTF-8", pretty_print=True)
