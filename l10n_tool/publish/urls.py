"""Relative URLs moved one folder down, and nothing else touched.

A published page lives in ``<locale>/``, one level below the source pages,
so its relative asset URLs need a ``../`` and its links to other articles
must point at the right locale's version. Everything else in an attribute
value stays byte-for-byte: browsers strip surrounding whitespace, accept
non-ASCII and odd characters as written, and a "normalised" URL (``%20`` for
a trailing space, percent-encoded anchors, ``./`` dropped, a cut ``srcset``)
is a different, often broken one. So the rewriting works on spans of the
original string and replaces only the path it has to change.
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


def rewrite_srcset(value: str, rewrite: Rewrite) -> str:
    out, last = [], 0
    for start, end in srcset_urls(value):
        new = rewrite(value[start:end])
        if new is not None:
            out += [value[last:start], new]
            last = end
    return "".join(out) + value[last:] if out else value


def rewrite_url(value: str, rewrite: Rewrite) -> str:
    """``value`` with its URL (surrounding whitespace kept) rewritten."""
    core = value.strip(HTML_SPACE)
    if not core:
        return value
    new = rewrite(core)
    if new is None:
        return value
    lead = value[:len(value) - len(value.lstrip(HTML_SPACE))]
    return lead + new + value[len(lead) + len(core):]


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
          asset_prefix: str = "../", links: bool = True) -> Rewrite:
    """A rewrite for one page moved to ``here_dir`` (e.g. ``zh_Hans``).

    A same-folder link to ``<slug>.html`` (or ``.htm``, ``.HTML``) whose
    ``article_target(slug)`` is known becomes a link to that target (a path
    from the site root); any other relative URL that stays inside the source
    folder gets ``asset_prefix``. URLs climbing out of the source folder are
    kept.
    """
    def rewrite(url: str) -> str | None:
        if not is_relative_path(url):
            return None
        path, rest = split(url)
        folder, name = posixpath.split(path)
        stem, ext = posixpath.splitext(name)
        if links and ext.lower() in (".html", ".htm") and posixpath.normpath(folder or ".") == ".":
            target = article_target(unquote(stem))
            if target is not None:
                where = href(posixpath.dirname(target), here_dir)
                prefix = "" if where == "." else where + "/"
                # the target's suffix, not the link's: old.htm and Report.HTML
                # are published as .html, and a case-sensitive server would
                # 404. The stem stays as written (it names the slug already,
                # however it is encoded).
                return prefix + stem + posixpath.splitext(target)[1] + rest
        if posixpath.normpath(path).startswith(".."):
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
