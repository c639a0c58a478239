"""The site around the pages: switcher, hreflang, indexes and sitemap.

Every link set is computed from one list of published versions, so the
switcher, the ``<link rel=alternate>`` tags and the sitemap always agree and
stay symmetric: a page that is withheld appears in none of them.
"""

from __future__ import annotations

import posixpath
from typing import NamedTuple
from urllib.parse import urljoin

from lxml import etree
from lxml.builder import E

from l10n_tool.locales import LocaleInfo
from l10n_tool.publish import urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
URL_ATTRIBUTES = {"a": ("href",), "area": ("href",), "link": ("href", "imagesrcset"),
                  "img": ("src", "srcset"), "source": ("src", "srcset"), "script": ("src",),
                  "video": ("src", "poster"), "audio": ("src",), "track": ("src",),
                  "iframe": ("src",), "embed": ("src",), "object": ("data",),
                  "input": ("src",)}
SRCSET_ATTRIBUTES = {"srcset", "imagesrcset"}
#: elements whose URL may be a link to another article
LINK_TAGS = {"a", "area"}


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
    """Remove an element but keep the text that follows it."""
    parent = el.getparent()
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _alternates(root, here_path: str, versions: list[Version], default: Version,
                base_url: str) -> None:
    """Canonical and hreflang links, replacing any the source page carried."""
    head = _head(root)
    def ours_to_replace(link) -> bool:
        rels = (link.get("rel") or "").lower().split()
        return "canonical" in rels or ("alternate" in rels and link.get("hreflang") is not None)

    for old in [link for link in root.iter("link") if ours_to_replace(link)]:
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


def decorate_page(root, here: Version, versions: list[Version], base_url: str) -> None:
    """``versions`` of the article, the source version first (the x-default)."""
    _alternates(root, here.path, versions, versions[0], base_url)
    here_dir = posixpath.dirname(here.path)
    targets = [(v.locale, urls.href(v.path, here_dir)) for v in versions]
    _insert_switcher(root, switcher(here.locale, targets))


def rewrite_urls(root, here: Version, article_target, asset_prefix: str = "../") -> None:
    """Point links at the right locale's article, and assets at the site root.

    ``article_target(slug)`` returns the path (from the site root) of that
    article's best published version for this locale, or None if the slug is
    not an article. Only the relative URLs change; see ``urls``.
    """
    here_dir = posixpath.dirname(here.path)
    link = urls.mover(here_dir, article_target, asset_prefix)
    asset = urls.mover(here_dir, article_target, asset_prefix, links=False)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in URL_ATTRIBUTES.get(el.tag, ()):
            value = el.get(attr)
            if not value:
                continue
            if attr in SRCSET_ATTRIBUTES:
                new = urls.rewrite_srcset(value, asset)
            else:
                new = urls.rewrite_url(value, link if el.tag in LINK_TAGS else asset)
            if new != value:
                el.set(attr, new)


def _page(locale: LocaleInfo, title: str, body_children: list) -> etree._Element:
    return E.html(
        E.head(E.meta(charset="utf-8"),
               E.meta(name="viewport", content="width=device-width, initial-scale=1"),
               E.title(title)),
        E.body(*body_children),
        lang=locale.bcp47, dir=locale.direction)


def locale_index(locale: LocaleInfo, site_name: str, pages: list[Version],
                 index_versions: list[LocaleInfo], default: LocaleInfo, base_url: str):
    """The list of a locale's published articles, under their translated titles."""
    items = [E.li(E.a(v.title, href=urls.href(v.path, locale.code))) for v in pages]
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
