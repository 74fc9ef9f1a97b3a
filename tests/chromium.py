"""A page in headless Chromium at a given width, through the DevTools protocol over a pipe.

Plain ``chromium --headless --window-size=390,…`` lays the page out at least 500 px wide (the
smallest window it makes) and crops the screenshot, so a phone-width check needs device-metrics
emulation. The protocol runs over ``--remote-debugging-pipe`` (file descriptors 3 and 4, JSON
messages ended by NUL): no port, no extra package.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """The first Chromium or Chrome binary on PATH, or None."""
    return next((p for p in map(shutil.which, NAMES) if p), None)


class Browser:
    """One headless Chromium; ``open(url, width, height)`` gives what a reader's screen shows."""

    def __init__(self, binary: str, timeout: float = 60):
        self.timeout, self._id, self._buffer = timeout, 0, b""
        self._profile = tempfile.mkdtemp(prefix="lawreport-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def fds():  # the browser reads commands on fd 3 and writes answers on fd 4
            os.dup2(to_browser_r, 1000)  # out of the way first: a pipe end may itself be 3 or 4
            os.dup2(from_browser_w, 1001)
            os.dup2(1000, 3)
            os.dup2(1001, 4)

        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--remote-debugging-pipe", "--no-first-run", "--no-default-browser-check",
             f"--user-data-dir={self._profile}", "about:blank"],
            preexec_fn=fds, pass_fds=(3, 4),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_browser_r)
        os.close(from_browser_w)

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def _receive(self) -> dict:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError(f"Chromium did not answer within {self.timeout} s")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(
        self, url: str, width: int, height: int, top: int = 0, probe: str = "null"
    ) -> tuple[bytes, dict]:
        """Load ``url`` in a ``width`` × ``height`` viewport (a phone's when width < 600: meta
        viewport honoured, touch) once every font it declares has loaded and been laid out; return the screenshot as PNG and the
        page's measurements (scroll and client width, scroll height). ``top``: the screenshot
        shows the page from this many px down; ``probe``: a JavaScript expression whose
        (JSON) value comes back as ``measured["probe"]``."""
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        try:
            self._send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
                session,
            )
            self._send("Page.navigate", {"url": url}, session)
            measure = (
                "new Promise(r => { const go = () => Promise.all([...document.fonts].map("
                "f => f.load().catch(() => null))).then(() => document.fonts.ready).then(() =>"
                " requestAnimationFrame(() => r(JSON.stringify("
                "{scrollWidth: document.documentElement.scrollWidth, clientWidth:"
                " document.documentElement.clientWidth, innerWidth: window.innerWidth,"
                " scrollHeight: document.documentElement.scrollHeight, href: location.href,"
                f" probe: ({probe})}}))));"
                " document.readyState === 'complete' ? go() : addEventListener('load', go); })"
            )
            deadline = time.monotonic() + self.timeout
            while True:  # the navigation may not have committed yet: ask until the page answers
                value = self._send(
                    "Runtime.evaluate",
                    {"expression": measure, "awaitPromise": True, "returnByValue": True},
                    session,
                )["result"].get("value")
                href = json.loads(value)["href"] if value else "about:blank"
                if href.startswith("chrome-error:"):
                    raise RuntimeError(f"Chromium could not open {url}")
                if href != "about:blank":
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{url} did not load within {self.timeout} s")
                time.sleep(0.2)
            shot = {"format": "png"}
            if top:
                clip = {"x": 0, "y": top, "width": width, "height": height, "scale": 1}
                shot.update(clip=clip, captureBeyondViewport=True)
            png = self._send("Page.captureScreenshot", shot, session)["data"]
            return base64.b64decode(png), json.loads(value)
        finally:
            self._send("Target.closeTarget", {"targetId": target})

    def close(self) -> None:
        try:
            self._send("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        shutil.rmtree(self._profile, ignore_errors=True)
