"""Issue 5: the published Chinese pages in a real headless Chromium.

Needs Debian's ``chromium`` and ``fonts-noto-cjk`` (``.ci/run`` installs
both). Screenshots are kept in ``test-artifacts/`` (or $L10N_ARTIFACTS).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.parse
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


class Browser:
    """One headless Chromium for the whole test, driven over the DevTools
    protocol with a minimal WebSocket client (stdlib only): each page is a
    navigation in the same tab, not a new browser process."""

    def __init__(self, exe: str, profile: Path):
        self.log = profile.with_suffix(".log")
        with open(self.log, "wb") as log:       # a file: a full pipe would stall Chromium
            self.proc = subprocess.Popen(
                [exe, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
                 "--remote-allow-origins=*", "about:blank"],
                stdout=subprocess.DEVNULL, stderr=log)
        port = self._devtools_port(profile)
        with urllib.request.urlopen(urllib.request.Request(
                f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT"), timeout=30) as r:
            ws_url = json.loads(r.read())["webSocketDebuggerUrl"]
        self.sock = self._connect(ws_url)
        self.ids = 0
        self.call("Page.enable")

    def _devtools_port(self, profile: Path) -> int:
        active = profile / "DevToolsActivePort"
        for _ in range(600):
            if active.exists() and active.read_text().strip():
                return int(active.read_text().split()[0])
            if self.proc.poll() is not None:
                pytest.fail("chromium exited: " + self.log.read_text(errors="replace")[-2000:])
            time.sleep(0.1)
        pytest.fail("chromium did not open its DevTools port")

    @staticmethod
    def _connect(url: str) -> socket.socket:
        parts = urllib.parse.urlsplit(url)
        sock = socket.create_connection((parts.hostname, parts.port), timeout=120)
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall((f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(1)
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            head += chunk
        assert head.startswith(b"HTTP/1.1 101"), head
        return sock

    def _recv_exact(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            data += chunk
        return data

    def _send(self, text: str) -> None:
        payload, mask = text.encode(), os.urandom(4)
        n = len(payload)
        head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 else
                                bytes([0x80 | 127]) + struct.pack(">Q", n))
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _message(self) -> dict:
        data = b""
        while True:
            b0, b1 = self._recv_exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._recv_exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._recv_exact(8))[0]
            data += self._recv_exact(n)
            if b0 & 0x80:                      # FIN: the last fragment
                return json.loads(data)

    def call(self, method: str, wait_event: str | None = None, **params) -> dict:
        self.ids += 1
        self._send(json.dumps({"id": self.ids, "method": method, "params": params}))
        result, seen = None, wait_event is None
        while result is None or not seen:
            msg = self._message()
            if msg.get("id") == self.ids:
                if "error" in msg:
                    raise AssertionError(f"{method}: {msg['error']}")
                result = msg["result"]
            elif wait_event and msg.get("method") == wait_event:
                seen = True
        return result

    def open(self, url: str, size: str = "1000,1400") -> None:
        width, height = (int(x) for x in size.split(","))
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)
        self.call("Page.navigate", "Page.loadEventFired", url=url)

    def screenshot(self, url: str, path: Path, size: str = "1000,1400") -> None:
        self.open(url, size)
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def dom(self, url: str) -> str:
        self.open(url)
        return self.call("Runtime.evaluate", expression="document.documentElement.outerHTML",
                         returnByValue=True)["result"]["value"]

    def close(self) -> None:
        self.sock.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


@pytest.fixture
def browser(chromium, tmp_path):
    b = Browser(chromium, tmp_path / "profile")
    try:
        yield b
    finally:
        b.close()


def ink(png: Path) -> float:
    """Share of pixels that are not background white."""
    from PIL import Image
    img = Image.open(png).convert("L")
    hist = img.histogram()
    return 1 - sum(hist[245:]) / (img.width * img.height)


def test_chinese_pages_render_in_chromium(browser, site, tmp_path):
    from PIL import Image, ImageChops

    base, project = site
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    blank = tmp_path / "blank.png"
    (tmp_path / "blank.html").write_text("<!DOCTYPE html><html><body></body></html>")
    browser.screenshot((tmp_path / "blank.html").as_uri(), blank)

    for slug in (ASIA, MEDIA):
        shot = ARTIFACTS / f"zh_Hans-{slug[:40]}.png"
        browser.screenshot(f"{base}zh_Hans/{slug}.html", shot)
        assert ink(shot) > ink(blank) + 0.02, "the page rendered next to nothing"

        # CJK glyphs, not tofu: the headline drawn large must differ from the same
        # number of private-use characters, which every font draws as .notdef boxes
        dom = html.document_fromstring(browser.dom(f"{base}zh_Hans/{slug}.html"))
        headline = dom.findtext(".//h1")
        assert any("\u4e00" <= c <= "\u9fff" for c in headline)
        pages = {}
        for name, text in (("cjk", headline[:12]), ("tofu", "\ue000" * len(headline[:12]))):
            page = tmp_path / f"{name}.html"
            page.write_text(f'<!DOCTYPE html><html lang="zh-Hans"><meta charset="utf-8"><body>'
                            f'<p style="font-size:64px;margin:20px">{text}</p></body></html>',
                            encoding="utf-8")
            pages[name] = tmp_path / f"{name}.png"
            browser.screenshot(page.as_uri(), pages[name], size="1000,200")
        diff = ImageChops.difference(Image.open(pages["cjk"]).convert("L"),
                                     Image.open(pages["tofu"]).convert("L"))
        assert diff.getbbox() is not None, "CJK text renders as tofu: install fonts-noto-cjk"
        assert ink(pages["cjk"]) > 0.01

        # the language switcher leads to the English version of the same article
        href = dom.xpath("//nav[@class='l10n-switcher']//a[@hreflang='en']/@href")
        assert href == [f"../en/{slug}.html"]
        english = html.document_fromstring(
            browser.dom(urllib.request.urljoin(f"{base}zh_Hans/{slug}.html", href[0])))
        assert english.get("lang") == "en"
        source = html.document_fromstring((project / "source" / f"{slug}.html").read_bytes())
        assert english.findtext(".//h1") == source.findtext(".//h1")
    assert browser.proc.poll() is None, "one Chromium served every page"
