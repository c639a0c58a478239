"""Issues 9, 10, 12: relative URLs moved for the locale folder, nothing else touched."""

from __future__ import annotations

import pytest
from lxml import html

from l10n_tool.locales import get_locale
from l10n_tool.publish import site, urls

ARTICLES = {"media", "mobilität"}


def target(slug: str) -> str | None:
    return f"en/{slug}.html" if slug in ARTICLES else None


LINK = urls.mover("zh_Hans", target)
ASSET = urls.mover("zh_Hans", target, links=False)


@pytest.mark.parametrize("value, expected", [
    ("img/a.png", "../img/a.png"),
    ("./img/a.png", ".././img/a.png"),
    ("img/a.png?v=2#x", "../img/a.png?v=2#x"),
    ("img/a b.png", "../img/a b.png"),                   # no %20 invented
    ("img/ä.png", "../img/ä.png"),                       # non-ASCII as written
    ("media.html", "../en/media.html"),                  # an article: the best version
    ("media.html#top ", "../en/media.html#top "),        # trailing space kept, not %20
    ("  media.html", "  ../en/media.html"),
    ("mobilit%C3%A4t.html", "../en/mobilit%C3%A4t.html"),
    ("other.html", "../other.html"),                     # not an article: an asset
    ("sub/media.html", "../sub/media.html"),             # only same-folder links are articles
    ("#show-mobilität", "#show-mobilität"),              # anchors untouched
    ("?page=2", "?page=2"),
    ("/abs/path.png", "/abs/path.png"),
    ("//cdn.example.com/x.js", "//cdn.example.com/x.js"),
    ("https://example.com/a?b=1&c=2", "https://example.com/a?b=1&c=2"),
    ("mailto:a@example.com", "mailto:a@example.com"),
    ("data:image/png;base64,AAAA", "data:image/png;base64,AAAA"),
    ("javascript:void(0)", "javascript:void(0)"),
    ("../outside.png", "../outside.png"),                # climbs out of source/: kept
    ("", ""),
    ("   ", "   "),
])
def test_rewrite_url(value, expected):
    assert urls.rewrite_url(value, LINK) == expected


def test_srcset_is_parsed_per_the_html_spec():
    value = ("https://img.example.com/w_320,h_200/a.jpg 320w, "
             "img/b,c.jpg 640w,img/d.jpg   2x ,, img/e.jpg,, img/f.jpg (max-width: 10px, x) 3x, g,h.jpg")
    spans = [value[a:b] for a, b in urls.srcset_urls(value)]
    assert spans == ["https://img.example.com/w_320,h_200/a.jpg", "img/b,c.jpg", "img/d.jpg",
                     "img/e.jpg", "img/f.jpg", "g,h.jpg"]
    assert urls.rewrite_srcset(value, ASSET) == (
        "https://img.example.com/w_320,h_200/a.jpg 320w, "
        "../img/b,c.jpg 640w,../img/d.jpg   2x ,, ../img/e.jpg,, ../img/f.jpg (max-width: 10px, x) 3x, "
        "../g,h.jpg")


@pytest.mark.parametrize("value", ["", " , ", "https://a.example/x.jpg 1x",
                                   "data:image/gif;base64,R0lGOD,lhAQ 1x"])
def test_srcset_without_relative_urls_is_untouched(value):
    assert urls.rewrite_srcset(value, ASSET) == value


def test_encode_path_is_what_a_browser_sends():
    assert urls.encode_path("en/my page.html") == "en/my%20page.html"
    assert urls.encode_path("de/mobilität.html") == "de/mobilit%C3%A4t.html"
    assert urls.encode_path("en/a#b?c%.html") == "en/a%23b%3Fc%25.html"
    assert site.absolute("https://news.example/site", "en/my page.html") == \
        "https://news.example/site/en/my%20page.html"


def test_rewrite_urls_on_a_page_with_odd_attributes():
    page = html.document_fromstring(
        '<html xml:lang="de"><body>'
        '<a href="media.html " @click="go()" rel:gt_act="x" x-on:click="y">M</a>'
        '<a name="show-mobilität" href="#show-mobilität">anchor</a>'
        '<picture><source srcset="img/a,1.webp 1x, img/b.webp 2x"><img src="img/c.png" '
        'srcset="img/c.png 1x" alt="c"></picture>'
        '<link rel="preload" imagesrcset="img/p.png 1x, img/q.png 2x">'
        '<object data="media/x.svg"></object><area href="media.html">'
        '</body></html>')
    here = site.Version(get_locale("zh_Hans"), "page", "t")
    site.rewrite_urls(page, here, target)
    a = page.xpath("//a")
    assert a[0].get("href") == "../en/media.html "
    assert a[0].get("@click") == "go()" and a[0].get("rel:gt_act") == "x"
    assert a[1].get("href") == "#show-mobilität" and a[1].get("name") == "show-mobilität"
    assert page.find(".//source").get("srcset") == "../img/a,1.webp 1x, ../img/b.webp 2x"
    assert page.find(".//img").get("srcset") == "../img/c.png 1x"
    assert page.find(".//img").get("src") == "../img/c.png"
    assert page.find(".//link").get("imagesrcset") == "../img/p.png 1x, ../img/q.png 2x"
    assert page.find(".//object").get("data") == "../media/x.svg"
    assert page.find(".//area").get("href") == "../en/media.html"
    assert page.get("xml:lang") == "de"
