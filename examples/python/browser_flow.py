"""A browser-automation flow with Playwright and asyncio: three browser sessions open a login
page with a reCAPTCHA, capbridge solves each one's captcha and puts the token in the page, the
sessions submit the form, and the site checks each token with the captcha vendor.

    pip install capbridge playwright && playwright install chromium
    CAPBRIDGE_PROVIDER=2captcha CAPBRIDGE_API_KEY=<your key> python browser_flow.py

``CAPBRIDGE_PROVIDER`` is a preset name or a base URL. Against the local emulator
(``capbridge-emulator --port 0`` prints its base URL; any 32 characters make a key), the page
loads the emulator's stand-in widget and the site verifies tokens at the emulator, so nothing
leaves the machine. Against a real service, the page loads Google's widget with Google's
public test key, which works on any domain. ``CAPBRIDGE_CHROMIUM=/usr/bin/chromium`` uses a
Chromium of the system instead of Playwright's own (for machines that cannot download one).

The site is a tiny web server started here on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import os
import sys
import threading
import urllib.parse
import urllib.request
from typing import Any, Dict, List

from playwright.async_api import Browser, async_playwright

import capbridge
from capbridge.browser import prepare, solve_page

# Google's test keys: every token passes its siteverify, on any domain.
SITE_KEY = "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"
SECRET = "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe"

LOGIN_PAGE = """<!doctype html>
<title>Log in</title>
<script src="{widgets}/recaptcha/api.js" async defer></script>
<form method="post" action="/login">
  <input name="user" value="alice"> <input name="password" type="password" value="secret">
  <div class="g-recaptcha" data-sitekey="{key}"></div>
  <button type="submit">Log in</button>
</form>"""


# ---- the site: a login page that checks its reCAPTCHA token with the vendor ----------------


def start_site(widgets: str, verify_url: str) -> http.server.ThreadingHTTPServer:
    class Site(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def answer(self, status: int, body: str) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self.answer(200, LOGIN_PAGE.format(widgets=widgets, key=SITE_KEY))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            token = form.get("g-recaptcha-response", [""])[0]
            # What every site's backend does with the token: ask the vendor.
            fields = urllib.parse.urlencode({"secret": SECRET, "response": token, "sitekey": SITE_KEY}).encode()
            with urllib.request.urlopen(verify_url, data=fields, timeout=30) as r:
                verdict = json.loads(r.read())
            if verdict.get("success"):
                self.answer(200, f"<p id=result>welcome, {form['user'][0]}</p>")
            else:
                self.answer(403, f"<p id=result>captcha refused: {verdict.get('error-codes')}</p>")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# ---- the scraper ---------------------------------------------------------------------------


async def log_in(browser: Browser, client: capbridge.AsyncClient, url: str) -> str:
    page = await browser.new_page()
    try:
        await prepare(page)  # before navigating: sees the widget's render() and execute()
        await page.goto(url)
        await page.wait_for_selector("iframe[title=reCAPTCHA]")
        for found in await solve_page(page, client, timeout=300):
            if found.error is not None:
                raise found.error
            print(f"{found.kind} {found.website_key[:12]}... solved by {found.provider} "
                  f"(task {found.task_id}), token written: {found.filled}")
        async with page.expect_navigation():
            await page.click("button[type=submit]")
        return await page.inner_text("#result")
    finally:
        await page.close()


async def main(provider: str, key: str) -> None:
    local = provider.startswith("http://127.0.0.1")
    # The emulator serves stand-ins of the vendors' widgets and their siteverify.
    widgets = provider.rstrip("/") if local else "https://www.google.com"
    site = start_site(widgets, widgets + "/recaptcha/api/siteverify")
    # The emulator answers within a second; real services get their documented waits
    # (a reCAPTCHA v2 solve polls first after 20 s, then every 5 s).
    wait = 0.2 if local else None
    chromium = os.environ.get("CAPBRIDGE_CHROMIUM")
    flags: List[str] = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--disable-quic"] if chromium else []
    try:
        async with capbridge.AsyncClient(provider, key, initial_delay=wait, poll_interval=wait) as client, \
                async_playwright() as p:
            browser = await p.chromium.launch(executable_path=chromium, args=flags)
            try:
                # Three browser sessions at once, each solving its own captcha.
                pages = [f"http://127.0.0.1:{site.server_address[1]}/login?session={i}" for i in range(3)]
                said: List[str] = await asyncio.gather(*(log_in(browser, client, u) for u in pages))
                for text in said:
                    print("the site says:", text)
                if not all(t.startswith("welcome") for t in said):
                    sys.exit(1)
            finally:
                await browser.close()
    finally:
        site.shutdown()


if __name__ == "__main__":
    env: Dict[str, str] = dict(os.environ)
    provider, key = env.get("CAPBRIDGE_PROVIDER", ""), env.get("CAPBRIDGE_API_KEY", "")
    if not provider or not key:
        sys.exit("set CAPBRIDGE_PROVIDER and CAPBRIDGE_API_KEY (see the docstring)")
    asyncio.run(main(provider, key))
