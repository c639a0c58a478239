"""Relative URLs moved one folder down, and nothing else touched.

A published page lives in ``<locale>/``, one level below the source pages,
so its relative asset URLs need a ``../`` and its links to other articles
must point at the right locale's version. Everything else in an attribute
value stays byte-for-byte: browsers strip surrounding whitespace, accept
non-ASCII and odd characters as written, and a "normalised" URL (``%20`` for
a trailing space, percent-encoded anchors, ``./`` dropped, a cut ``srcset``)
is a different, often broken one. So the rewriting works on spans of the
original string and replaces only the path it has to change: each kind of
value (a URL, a ``srcset``, a style sheet, a refresh) has a finder of the
spans that are URLs, and ``rewrite_spans`` does the rest.
"""

from __future__ import annotations

import posixpath
import re
from typing import Callable, Optional
from urllib.parse import quote, unquote

#: ASCII whitespace as the HTML spec defines it (what browsers strip from URLs)
HTML_SPACE = " \t\n\r\f"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")

#: rewrite(url) → the new URL, or None to keep it as written
Rewrite = Callable[[str], Optional[str]]
#: finder(value) → the (start, end) spans of the URLs in an attribute or text
Finder = Callable[[str], list[tuple[int, int]]]

#: Style sheet tokens that matter for URLs. Comments and strings are matched
#: whole so that a ``url(`` inside them is never taken for one; a string is a
#: URL only right after ``@import``.
_CSS = re.compile(r"""
    (?=[/uU"'@])                    # (only where a token can start: much faster)
    (?:
      /\*.*?(?:\*/|\Z)
    | (?<![\w-])url\(\s*(?:(?P<uq>["'])(?P<us>(?:\\.|(?!(?P=uq))[^\\\n])*)(?P=uq)
                      |(?P<u>(?:\\.|[^\s"'()\\])+))
    | (?P<imp>@import\s*)?(?P<q>["'])(?P<s>(?:\\.|(?!(?P=q))[^\\\n])*)(?P<closed>(?P=q))?
    )""", re.I | re.S | re.X)


def srcset_urls(value: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the image URLs in a ``srcset`` value,
    following the HTML spec's parsing algorithm: a URL is a run of
    non-whitespace (so it may contain commas), trailing commas end the
    candidate, and descriptors run to the next comma outside parentheses."""
    spans = []
    i, n = 0, len(value)
    while True:
        while i < n and (value[i] in HTML_SPACE or value[i] == ","):
            i += 1
        if i >= n:
            return spans
        start = i
        while i < n and value[i] not in HTML_SPACE:
            i += 1
        end = i
        if value[end - 1] == ",":
            while end > start and value[end - 1] == ",":
                end -= 1
            spans.append((start, end))
            continue
        spans.append((start, end))
        depth = 0                    # descriptors: up to a comma outside parentheses
        while i < n:
            c = value[i]
            if c == "(":
                depth += 1
            elif c == ")" and depth:
                depth -= 1
            elif c == "," and not depth:
                i += 1
                break
            i += 1


def url_span(value: str) -> list[tuple[int, int]]:
    """The URL of a URL attribute: browsers strip the whitespace around it, so
    that whitespace is no part of the URL and stays as written."""
    core = value.strip(HTML_SPACE)
    if not core:
        return []
    start = len(value) - len(value.lstrip(HTML_SPACE))
    return [(start, start + len(core))]


def css_urls(text: str) -> list[tuple[int, int]]:
    """The spans of the URLs a style sheet or ``style`` attribute loads:
    ``url(…)`` quoted or not, and ``@import "…"``. Text inside a comment or a
    string (``content: "url(x)"``) loads nothing, so it is never touched."""
    lower = text.lower()
    if "url(" not in lower and "@import" not in lower:
        return []
    spans = []
    for m in _CSS.finditer(text):
        for group in ("us", "u"):
            if m.group(group) is not None:
                spans.append(m.span(group))
        if m.group("imp") is not None and m.group("closed") is not None:
            spans.append(m.span("s"))
    return [(a, b) for a, b in spans if b > a]


def background_urls(value: str) -> list[tuple[int, int]]:
    """A lazy-loaded background (``data-bg``): a URL, or CSS as libraries
    also accept it (``url(a.png)``)."""
    return css_urls(value) if "url(" in value.lower() else url_span(value)


def refresh_url(content: str) -> list[tuple[int, int]]:
    """The URL of a ``<meta http-equiv="refresh">`` content (``5; url=a.html``,
    ``0;'a.html'``), found as the HTML spec's declarative refresh steps read
    it: none when the value is not a refresh the browser would follow."""
    n = len(content)
    i = len(content) - len(content.lstrip(HTML_SPACE))
    digits = i
    while i < n and content[i].isascii() and content[i].isdigit():
        i += 1
    if i == digits and (i >= n or content[i] != "."):
        return []
    while i < n and (content[i] == "." or content[i].isascii() and content[i].isdigit()):
        i += 1
    if i < n:
        if content[i] not in HTML_SPACE + ";,":
            return []
        i = _skip_space(content, i)
        if i < n and content[i] in ";,":
            i = _skip_space(content, i + 1)
    if i >= n:
        return []
    start = i
    if content[i:i + 3].lower() == "url":
        j = _skip_space(content, i + 3)
        if j < n and content[j] == "=":
            i = start = _skip_space(content, j + 1)
    end = n
    if i < n and content[i] in "'\"":
        start = i + 1
        close = content.find(content[i], start)
        end = n if close < 0 else close
    core = content[start:end].rstrip(HTML_SPACE)
    return [(start, start + len(core))] if core else []


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in HTML_SPACE:
        i += 1
    return i


def rewrite_spans(value: str, spans: list[tuple[int, int]], rewrite: Rewrite) -> str:
    """``value`` with the URLs at ``spans`` rewritten: only they change, so
    descriptors, CSS and a refresh's delay stay as the author wrote them."""
    out, last = [], 0
    for start, end in spans:
        new = rewrite(value[start:end])
        if new is not None:
            out += [value[last:start], new]
            last = end
    return "".join(out) + value[last:] if out else value


def rewrite_srcset(value: str, rewrite: Rewrite) -> str:
    return rewrite_spans(value, srcset_urls(value), rewrite)


def rewrite_url(value: str, rewrite: Rewrite) -> str:
    """``value`` with its URL (surrounding whitespace kept) rewritten."""
    return rewrite_spans(value, url_span(value), rewrite)


def split(url: str) -> tuple[str, str]:
    """``url`` as (path, the rest: ``?query#fragment`` exactly as written)."""
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return url[:cut], url[cut:]


def is_relative_path(url: str) -> bool:
    """A path-relative URL: no scheme, no host, not from the site root, and
    with a path (``#top`` and ``?q`` stay on the same page)."""
    path, _ = split(url)
    return bool(path) and not _SCHEME.match(url) and not path.startswith(("/", "\\"))


def mover(here_dir: str, article_target: Callable[[str], Optional[str]],
          asset_prefix: str | None = "../", links: bool = True, from_dir: str = "") -> Rewrite:
    """A rewrite for one page moved to ``here_dir`` (e.g. ``zh_Hans``).

    A link to ``<slug>.html`` (or ``.htm``, ``.HTML``) in the source folder
    whose ``article_target(slug)`` is known becomes a link to that target (a
    path from the site root); any other relative URL that stays inside the
    source folder gets ``asset_prefix`` (None: kept). URLs climbing out of
    the source folder are kept.

    ``from_dir`` and ``here_dir`` are the site folders relative URLs resolve
    against in the source page and in the published one: the source folder
    and the locale's, unless a ``<base href>`` says otherwise (then both are
    its folder, and only article links change).
    """
    def rewrite(url: str) -> str | None:
        if not is_relative_path(url):
            return None
        path, rest = split(url)
        folder, name = posixpath.split(path)
        stem, ext = posixpath.splitext(name)
        if links and ext.lower() in (".html", ".htm") and \
                posixpath.normpath(posixpath.join(from_dir, folder or ".")) == ".":
            target = article_target(unquote(stem))
            if target is not None:
                where = href(posixpath.dirname(target), here_dir)
                prefix = "" if where == "." else where + "/"
                # the target's suffix, not the link's: old.htm and Report.HTML
                # are published as .html, and a case-sensitive server would
                # 404. The stem stays as written (it names the slug already,
                # however it is encoded).
                return prefix + stem + posixpath.splitext(target)[1] + rest
        if asset_prefix is None or posixpath.normpath(path).startswith(".."):
            return None
        return asset_prefix + path + rest
    return rewrite


def encode_path(path: str) -> str:
    """A site path as a URL path: what a browser sends for a link to it
    (spaces, ``%``, ``?``, ``#`` and non-ASCII percent-encoded as UTF-8)."""
    return quote(path, safe="/!$&'()*+,;=:@~-._")


def href(path: str, here_dir: str = "") -> str:
    """The link from a page in ``here_dir`` to the site path ``path``.

    Relative, so the site works under any base URL, and encoded like the
    absolute URLs (``encode_path``): a page named ``a#b.html`` must be linked
    as ``a%23b.html``, or the browser asks for ``a`` with a fragment.
    """
    return encode_path(posixpath.relpath(path, here_dir or "."))
