"""URLs a published page must get right once it lives in ``public/<locale>/``.

Each test builds a small project on disk, goes through the CLI (``update``,
``publish``) and reads ``public/`` as a browser would: a URL resolves against
the page's ``<base href>`` when it has one, else against the page's own URL,
and must name a file that exists.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from lxml import html

from test_publish_links import BASE, make_project

PAGE = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{0}</title>{1}'
        '</head><body><h1>{0}</h1>{2}</body></html>')
OTHER = PAGE.format("Other", "", "<p>The other article.</p>")
URL_NAMES = ("href", "src", "data-src", "xlink:href", "action", "formaction", "cite", "data-bg")


def add_files(project: Path, *names: str) -> None:
    for name in names:
        path = project / "source" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"asset " + name.encode())


def publish(project: Path, l10n) -> Path:
    l10n(project, "update", "--all")
    l10n(project, "publish", "--all")
    return project / "public"


def fetched(public: Path, page: Path, url: str) -> Path | None:
    """The file a browser asks for at ``url`` on ``page``; None if off the site."""
    here = BASE + page.relative_to(public).as_posix()
    root = html.parse(str(page)).getroot()
    base = next((b.get("href") for b in root.iter("base") if b.get("href") is not None), None)
    if base is not None:
        here = urljoin(here, base.strip())
    url = urljoin(here, url.strip())
    if not url.startswith(BASE):
        return None
    return public / unquote(urlsplit(url).path[len(urlsplit(BASE).path):])


def page_urls(page: Path) -> list[str]:
    """Every URL of the page's elements (the first candidate of a srcset)."""
    out = []
    for el in html.parse(str(page)).getroot().iter():
        if not isinstance(el.tag, str):
            continue
        out += [el.get(name) for name in URL_NAMES if el.get(name) and el.tag != "base"]
        if el.get("data-srcset"):
            out.append(el.get("data-srcset").split()[0])
    return out


def assert_all_resolve(public: Path, page: Path) -> list[str]:
    on_site = [u for u in page_urls(page) if fetched(public, page, u) is not None]
    for url in on_site:
        assert fetched(public, page, url).is_file(), f"{page.relative_to(public)}: {url!r}"
    return on_site


MISSED = PAGE.format(
    "Missed URLs",
    '\n<meta http-equiv="refresh" content="300; url=img/a.png">'
    '\n<style>.hero { background: url(img/a.png) } /* url(img/gone.png) */ '
    '@import "site.css"; .f { filter: url(#blur) }</style>',
    '<p style="background:url(\'img/a.png\')">A lazy <img src="img/a.png" data-src="img/a.png" '
    'data-srcset="img/a.png 2x" alt="lazy"> image.</p>'
    '<p>An icon <svg><use href="img/sprite.svg#i"></use><use xlink:href="img/sprite.svg#i">'
    '</use><image href="img/a.png"></image></svg> here.</p>'
    '<div data-bg="img/a.png"><p>A lazy background.</p></div>'
    '<iframe src="other.html" title="Embedded article"></iframe>'
    '<form action="other.html"><button formaction="other.html">Send it</button></form>'
    '<blockquote cite="other.html">A quoted line.</blockquote>')


def test_every_url_a_browser_loads_is_moved_for_the_locale_folder(tmp_path, l10n):
    project = make_project(tmp_path, {"page.html": MISSED, "other.html": OTHER})
    add_files(project, "img/a.png", "img/sprite.svg", "site.css")
    public = publish(project, l10n)
    for locale in ("en", "de"):
        page = public / locale / "page.html"
        text = page.read_text(encoding="utf-8")
        assert len(assert_all_resolve(public, page)) >= 14
        assert ("<style>.hero { background: url(../img/a.png) } /* url(img/gone.png) */ "
                '@import "../site.css"; .f { filter: url(#blur) }</style>') in text
        assert 'style="background:url(\'../img/a.png\')"' in text
        assert 'content="300; url=../img/a.png"' in text
        assert 'data-srcset="../img/a.png 2x"' in text and 'data-bg="../img/a.png"' in text
        # a frame, a form, a quotation of an article: the locale's version, as a link
        root = html.parse(str(page)).getroot()
        for el, attr in ((root.find(".//iframe"), "src"), (root.find(".//form"), "action"),
                         (root.find(".//button"), "formaction"),
                         (root.find(".//blockquote"), "cite")):
            assert el.get(attr) == "other.html"
            assert fetched(public, page, el.get(attr)) == public / locale / "other.html"


def test_a_refresh_to_an_article_goes_to_the_locale_version(tmp_path, l10n):
    project = make_project(tmp_path, {
        "moved.html": PAGE.format("Moved", '<meta http-equiv="Refresh" content="0;URL=\'old.htm\'">',
                                  "<p>This page has moved.</p>"),
        "old.htm": OTHER})
    public = publish(project, l10n)
    for locale in ("en", "de"):
        text = (public / locale / "moved.html").read_text(encoding="utf-8")
        assert 'content="0;URL=\'old.html\'"' in text


def test_a_base_off_the_site_keeps_the_page_urls_and_the_switcher_is_absolute(tmp_path, l10n):
    body = ('<p>An image <img src="logo.png" alt="Logo"> and <a href="other.html">a link</a>.'
            '</p><p style="background:url(bg.png)">Styled.</p>')
    project = make_project(tmp_path, {
        "cdn.html": PAGE.format("CDN", '<base href="https://cdn.example.com/assets/">', body),
        "news.html": PAGE.format("News", '<base href="/news/">', body),
        "other.html": OTHER})
    public = publish(project, l10n)
    for slug, base in (("cdn", "https://cdn.example.com/assets/"), ("news", "/news/")):
        for locale, other in (("en", "de"), ("de", "en")):
            page = public / locale / f"{slug}.html"
            text = page.read_text(encoding="utf-8")
            # resolved against the base, as in the source page: nothing to move
            assert f'<base href="{base}">' in text
            assert '<img src="logo.png"' in text and '<a href="other.html">' in text
            assert 'style="background:url(bg.png)"' in text
            switch = html.parse(str(page)).getroot().xpath(
                "//nav[@class='l10n-switcher']//a/@href")
            assert switch == [f"{BASE}{other}/{slug}.html"]
            assert fetched(public, page, switch[0]).is_file()


def test_a_relative_base_is_moved_and_article_links_resolve_from_it(tmp_path, l10n):
    project = make_project(tmp_path, {
        "moved.html": PAGE.format("Under media", '<base href="media/">',
                                  '<p><img src="a.png" alt="A"> and <a href="../other.html">'
                                  'the other article</a>.</p>'),
        "dot.html": PAGE.format("Under dot", '<base href=".">',
                                '<p><img src="img/a.png" alt="A"> and <a href="other.html">'
                                'the other article</a>.</p>'),
        "other.html": OTHER})
    add_files(project, "media/a.png", "img/a.png")
    public = publish(project, l10n)
    for locale in ("en", "de"):
        moved, dot = public / locale / "moved.html", public / locale / "dot.html"
        moved_text, dot_text = (p.read_text(encoding="utf-8") for p in (moved, dot))
        assert '<base href="../media/">' in moved_text and '<img src="a.png"' in moved_text
        assert f'<a href="../{locale}/other.html">' in moved_text
        assert '<base href="../.">' in dot_text and '<img src="img/a.png"' in dot_text
        assert f'<a href="{locale}/other.html">' in dot_text
        for page in (moved, dot):
            urls = assert_all_resolve(public, page)
            assert len(urls) >= 4, urls        # the image, the link, the switcher's
            assert public / locale / "other.html" in {fetched(public, page, u) for u in urls}


OWN = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Own alternates</title>
<link rel="canonical" href="https://news.example.com/2024/oh.html">
<link rel="alternate" hreflang="fr" href="https://fr.news.example.com/2024/oh.html">
<link rel="alternate" hreflang="de" href="https://de.news.example.com/2024/oh.html">
<link rel="alternate" hreflang="x-default" href="https://news.example.com/2024/oh.html">
<link rel="alternate" type="application/rss+xml" hreflang="en" href="feed.xml" title="RSS">
</head><body><h1>Own alternates</h1><p>The French edition is hosted elsewhere.</p></body></html>
"""


def test_the_authors_alternates_for_other_languages_stay_and_no_blank_line_is_left(tmp_path,
                                                                                    l10n):
    project = make_project(tmp_path, {"oh.html": OWN})
    add_files(project, "feed.xml")
    public = publish(project, l10n)
    for locale in ("en", "de"):
        text = (public / locale / "oh.html").read_text(encoding="utf-8")
        head = text[text.index("</title>"):text.index("</head>")]
        assert head.startswith(
            '</title>\n'
            '<link rel="alternate" hreflang="fr" href="https://fr.news.example.com/2024/oh.html">\n'
            '<link rel="alternate" type="application/rss+xml" hreflang="en" href="../feed.xml" '
            'title="RSS">\n'
            f'<link rel="canonical" href="{BASE}{locale}/oh.html">\n'), head
        assert "\n\n" not in head
        # the author's canonical, x-default and German alternate: replaced by the site's
        assert "https://news.example.com/2024/" not in text and "de.news.example" not in text
        assert head.count('hreflang="x-default"') == 1 and head.count('rel="canonical"') == 1
        assert f'hreflang="de" href="{BASE}de/oh.html"' in head
