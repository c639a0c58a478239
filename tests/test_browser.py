"""Issue 5: the published Chinese pages in a real headless Chromium.

Needs Debian's ``chromium`` and ``fonts-noto-cjk`` (``.ci/run`` installs
both). Screenshots are kept in ``test-artifacts/`` (or $L10N_ARTIFACTS).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from lxml import html

from conftest import REPO

ASIA = "asia-europe-cooperation-bring-development-opportunities-to-chongqing"
MEDIA = "media-delegation-visits-sw-china-for-green-development-along-the-yangtze-river"
ARTIFACTS = Path(os.environ.get("L10N_ARTIFACTS", REPO / "test-artifacts"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--hide-scrollbars", "--force-device-scale-factor=1"]


@pytest.fixture(scope="module")
def chromium():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing; .ci/run installs Debian's chromium package")
        pytest.skip("chromium not installed (apt-get install chromium fonts-noto-cjk)")
    return exe


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def site(project, l10n, tmp_path):
    """The sample site, published and served by `l10n serve` on a free port."""
    l10n(project, "publish", "--all")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "l10n_tool", "-C", str(project), "serve",
                             "--port", str(port)], env=dict(os.environ, PYTHONPATH=str(REPO)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base, timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("l10n serve did not start: " + proc.stderr.read().decode())
        yield base, project
    finally:
        proc.terminate()
        proc.wait(10)


def browse(chromium: str, tmp_path: Path, url: str, screenshot: Path | None = None,
           size: str = "1000,1400") -> str:
    profile = tmp_path / f"profile-{time.monotonic_ns()}"
    args = [chromium, *FLAGS, f"--user-data-dir={profile}", f"--window-size={size}"]
    args += [f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]
    r = subprocess.run(args + [url], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    if screenshot:
        assert screenshot.exists(), r.stderr[-2000:]
    return r.stdout


def ink(png: Path) -> float:
    """Share of pixels that are not background white."""
    from PIL import Image
    img = Image.open(png).convert("L")
    hist = img.histogram()
    return 1 - sum(hist[245:]) / (img.width * img.height)


def test_chinese_pages_render_in_chromium(chromium, site, tmp_path):
    from PIL import Image, ImageChops

    base, project = site
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    blank = tmp_path / "blank.png"
    (tmp_path / "blank.html").write_text("<!DOCTYPE html><html><body></body></html>")
    browse(chromium, tmp_path, (tmp_path / "blank.html").as_uri(), blank)

    for slug in (ASIA, MEDIA):
        shot = ARTIFACTS / f"zh_Hans-{slug[:40]}.png"
        browse(chromium, tmp_path, f"{base}zh_Hans/{slug}.html", shot)
        assert ink(shot) > ink(blank) + 0.02, "the page rendered next to nothing"

        # CJK glyphs, not tofu: the headline drawn large must differ from the same
        # number of private-use characters, which every font draws as .notdef boxes
        dom = html.document_fromstring(browse(chromium, tmp_path, f"{base}zh_Hans/{slug}.html"))
        headline = dom.findtext(".//h1")
        assert any("\u4e00" <= c <= "\u9fff" for c in headline)
        pages = {}
        for name, text in (("cjk", headline[:12]), ("tofu", "\ue000" * len(headline[:12]))):
            page = tmp_path / f"{name}.html"
            page.write_text(f'<!DOCTYPE html><html lang="zh-Hans"><meta charset="utf-8"><body>'
                            f'<p style="font-size:64px;margin:20px">{text}</p></body></html>',
                            encoding="utf-8")
            pages[name] = tmp_path / f"{name}.png"
            browse(chromium, tmp_path, page.as_uri(), pages[name], size="1000,200")
        diff = ImageChops.difference(Image.open(pages["cjk"]).convert("L"),
                                     Image.open(pages["tofu"]).convert("L"))
        assert diff.getbbox() is not None, "CJK text renders as tofu: install fonts-noto-cjk"
        assert ink(pages["cjk"]) > 0.01

        # the language switcher leads to the English version of the same article
        href = dom.xpath("//nav[@class='l10n-switcher']//a[@hreflang='en']/@href")
        assert href == [f"../en/{slug}.html"]
        english = html.document_fromstring(
            browse(chromium, tmp_path, urllib.request.urljoin(f"{base}zh_Hans/{slug}.html", href[0])))
        assert english.get("lang") == "en"
        source = html.document_fromstring((project / "source" / f"{slug}.html").read_bytes())
        assert english.findtext(".//h1") == source.findtext(".//h1")
