"""Fixtures of the browser suite: one headless Chromium for the whole run (Debian's, driven
over the DevTools protocol by Playwright's async and sync APIs), the real emulator serving the
stand-in widgets and siteverify, and the site: the page matrix of tests/browser/pages, whose
forms post back here and are verified through the emulator's siteverify."""

from __future__ import annotations

import asyncio
import http.server
import json
import os
import pathlib
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from typing import Any, Awaitable, Dict, Iterator, List, Optional, TypeVar

import pytest
from playwright.async_api import Browser, Playwright, async_playwright

REPO = pathlib.Path(__file__).resolve().parents[2]
PAGES = REPO / "tests" / "browser" / "pages"
MANIFEST: Dict[str, Any] = {k: v for k, v in json.loads((PAGES / "pages.json").read_text()).items() if not k.startswith("_")}

CHROMIUM = os.environ.get("CAPBRIDGE_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling Google, which a closed
# network refuses (and which no test wants).
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Tests reach no host but this machine: a page's other hosts fail at once.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]

T = TypeVar("T")


def fresh_key() -> str:
    return secrets.token_hex(16)


def emulator_binary() -> str:
    path = os.environ.get("CAPBRIDGE_EMULATOR")
    if path:
        return path
    subprocess.run(["cargo", "build", "-q", "-p", "capbridge-emulator"], cwd=REPO, check=True)
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return str(target / "debug" / "capbridge-emulator")


class Emulator:
    """A running `capbridge-emulator` process (solves take 50 to 150 ms)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [emulator_binary(), "--port", "0", "--delay-ms", "50-150"], stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        assert self.url.startswith("http://127.0.0.1:"), self.url
        self.origin = self.url.rstrip("/")

    def admin(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + "emulator/" + path, data=data, method=method)
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def verify(self, vendor: str, fields: Dict[str, str]) -> Dict[str, Any]:
        """What the site's backend does: asks the vendor (here the emulator) about a token."""
        path = {"recaptcha": "recaptcha/api/siteverify", "hcaptcha": "hcaptcha/siteverify",
                "turnstile": "turnstile/v0/siteverify"}[vendor]
        req = urllib.request.Request(self.url + path, data=urllib.parse.urlencode(fields).encode(), method="POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            reply: Dict[str, Any] = json.loads(r.read())
            return reply

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Site:
    """The test's own web site on 127.0.0.1: serves the pages (also under a second origin,
    `localhost`, for cross-origin frames) and verifies every form that posts back."""

    def __init__(self, emulator: Emulator) -> None:
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def reply(self, status: int, body: str, kind: str = "text/html; charset=utf-8") -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                path = urllib.parse.urlsplit(self.path).path
                name = path.removeprefix("/pages/")
                file = PAGES / name
                if not path.startswith("/pages/") or "/" in name or not file.is_file():
                    return self.reply(404, "not found", "text/plain")
                kind = "text/javascript" if name.endswith(".js") else "text/html; charset=utf-8"
                self.reply(200, site.render(file.read_text()), kind)

            def do_POST(self) -> None:
                name = urllib.parse.urlsplit(self.path).path.removeprefix("/submit/")
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
                verdict = site.judge(name, form)
                site.verdicts.append(verdict)
                body = json.dumps(verdict, indent=1)
                self.reply(200 if verdict["accepted"] else 403,
                           f"<!doctype html><title>{name}</title><h1>{'Accepted' if verdict['accepted'] else 'Refused'}</h1>"
                           f"<pre id=\"verdict\">{body}</pre>")

        self.emulator = emulator
        self.verdicts: List[Dict[str, Any]] = []
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.other = f"http://localhost:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def render(self, text: str) -> str:
        return text.replace("{{EMU}}", self.emulator.origin).replace("{{OTHER}}", self.other)

    def judge(self, name: str, form: Dict[str, List[str]]) -> Dict[str, Any]:
        """The site's verdict on a posted form: each check of the page's `verify` list."""
        # The framed form (inner.html) serves both iframe pages.
        specs = MANIFEST["iframe-same"]["verify"] if name == "inner" else MANIFEST.get(name, {}).get("verify")
        checks = []
        for spec in specs or []:
            values = form.get(spec["field"], [])
            index = spec.get("index", 0)
            token = values[index] if index < len(values) else ""
            reply = self.emulator.verify(spec["vendor"], {
                "secret": "the-site-secret", "response": token, "sitekey": spec["sitekey"], "remoteip": "127.0.0.1",
            })
            ok = bool(reply.get("success"))
            for field in ("action", "cdata"):
                if field in spec and reply.get(field) != spec[field]:
                    ok = False
            checks.append({"field": spec["field"], "index": index, "ok": ok, "reply": reply})
        return {"page": name, "accepted": bool(checks) and all(c["ok"] for c in checks), "checks": checks}

    def url(self, path: str) -> str:
        return self.origin + path

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Chromium:
    """Debian's Chromium, headless, with a fresh profile, its DevTools endpoint on a free port."""

    def __init__(self) -> None:
        if not os.path.exists(CHROMIUM):
            pytest.fail(f"no Chromium at {CHROMIUM} (tests/run-browser installs Debian's chromium)")
        self.dir = tempfile.mkdtemp(prefix="capbridge-chromium-")
        self.log = open(os.path.join(self.dir, "chromium.log"), "wb")
        self.proc = subprocess.Popen(
            [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={self.dir}/profile", "--remote-debugging-port=0", "about:blank"],
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        # Chromium writes the port it chose into the profile once it listens.
        active = pathlib.Path(self.dir, "profile", "DevToolsActivePort")
        for _ in range(600):
            if active.exists() and len(active.read_text().splitlines()) >= 2:
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        lines = active.read_text().splitlines() if active.exists() else []
        if len(lines) < 2:
            self.stop()
            pytest.fail(f"Chromium did not start: {pathlib.Path(self.dir, 'chromium.log').read_text()[-2000:]}")
        self.endpoint = f"http://127.0.0.1:{lines[0]}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=20)
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class Portal:
    """An event loop on a thread of its own, holding Playwright's async API connected to the
    run's Chromium; tests hand it coroutines."""

    def __init__(self, endpoint: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="browser-tests-loop", daemon=True)
        self.thread.start()

        async def connect() -> Any:
            pw = await async_playwright().start()
            return pw, await pw.chromium.connect_over_cdp(endpoint)

        self.playwright: Playwright
        self.browser: Browser
        self.playwright, self.browser = self.run(connect(), 120)

    def run(self, coro: Awaitable[T], timeout: float = 300) -> T:
        async def wrapped() -> T:
            return await coro

        return asyncio.run_coroutine_threadsafe(wrapped(), self.loop).result(timeout)

    def close(self) -> None:
        async def stop() -> None:
            await self.browser.close()
            await self.playwright.stop()

        try:
            self.run(stop(), 60)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    e = Emulator()
    yield e
    e.stop()


@pytest.fixture(scope="session")
def site(emulator: Emulator) -> Iterator[Site]:
    s = Site(emulator)
    yield s
    s.stop()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Chromium]:
    c = Chromium()
    yield c
    c.stop()


@pytest.fixture(scope="session")
def portal(chromium: Chromium) -> Iterator[Portal]:
    p = Portal(chromium.endpoint)
    yield p
    p.close()

