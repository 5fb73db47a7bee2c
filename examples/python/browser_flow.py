"""A browser-automation flow with asyncio: open a login page, read its reCAPTCHA site key,
solve the captcha through capbridge, put the token into the form, submit the form.

    CAPBRIDGE_PROVIDER=http://127.0.0.1:PORT/ CAPBRIDGE_API_KEY=<any 32 characters> python browser_flow.py

``CAPBRIDGE_PROVIDER`` is the local emulator's base URL (``capbridge-emulator --port 0``
prints it) or, against a real service, a preset name such as ``2captcha``. The "site" is a
tiny login page served here on 127.0.0.1, and the "browser" fetches and posts with asyncio
streams, so nothing needs installing. With Playwright the same four steps read::

    await page.goto(url)
    site_key = await page.get_attribute(".g-recaptcha", "data-sitekey")
    solution = await client.solve(capbridge.RecaptchaV2(page.url, site_key))
    await page.evaluate("t => document.getElementById('g-recaptcha-response').value = t", solution.answer)
    await page.click("button[type=submit]")
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import urllib.parse
from typing import Dict, Tuple

import capbridge

SITE_KEY = "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-"
LOGIN_PAGE = f"""<!doctype html>
<form method="post" action="/login">
  <input name="user"><input name="password" type="password">
  <div class="g-recaptcha" data-sitekey="{SITE_KEY}"></div>
  <textarea id="g-recaptcha-response" name="g-recaptcha-response"></textarea>
  <button type="submit">Log in</button>
</form>"""


# ---- the site: a login page that wants a reCAPTCHA token ----------------------------------

async def site(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    request = await reader.readuntil(b"\r\n\r\n")
    method = request.decode().split(" ")[0]
    found = re.search(rb"(?i)content-length: *(\d+)", request)
    length = int(found.group(1)) if found else 0
    form = urllib.parse.parse_qs((await reader.readexactly(length)).decode()) if length else {}
    if method == "GET":
        status, body = "200 OK", LOGIN_PAGE
    elif form.get("g-recaptcha-response", [""])[0].startswith("03A"):
        status, body = "200 OK", f"welcome, {form['user'][0]}"
    else:
        status, body = "403 Forbidden", "captcha not solved"
    writer.write(f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}".encode())
    await writer.drain()
    writer.close()


# ---- the browser: just enough of one to load a page and submit a form ----------------------

async def http(url: str, form: Dict[str, str] | None = None) -> Tuple[int, str]:
    u = urllib.parse.urlsplit(url)
    reader, writer = await asyncio.open_connection(u.hostname, u.port)
    body = urllib.parse.urlencode(form or {})
    head = (f"POST {u.path} HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}"
            if form is not None else f"GET {u.path} HTTP/1.1")
    writer.write(f"{head}\r\nHost: {u.netloc}\r\nConnection: close\r\n\r\n{body}".encode())
    reply = (await reader.read()).decode()
    writer.close()
    status = int(reply.split(" ")[1])
    return status, reply.split("\r\n\r\n", 1)[1]


async def log_in(client: capbridge.AsyncClient, page_url: str) -> str:
    _, html = await http(page_url)                                              # page.goto
    match = re.search(r'class="g-recaptcha" data-sitekey="([^"]+)"', html)     # read the site key
    if match is None:
        raise RuntimeError("no reCAPTCHA on the page")
    solution = await client.solve(capbridge.RecaptchaV2(page_url, match.group(1)))
    print(f"token for {page_url}: {solution.answer[:32]}... (task {solution.task_id})")
    status, text = await http(urllib.parse.urljoin(page_url, "/login"), {        # fill in, submit
        "user": "alice", "password": "secret", "g-recaptcha-response": solution.answer,
    })
    if status != 200:
        raise RuntimeError(f"the site refused the login: {status} {text}")
    return text


async def main(provider: str, key: str) -> None:
    server = await asyncio.start_server(site, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    local = provider.startswith("http://127.0.0.1")
    # The emulator answers within a second; real services get their documented waits
    # (a reCAPTCHA v2 solve polls first after 20 s, then every 5 s).
    wait = 0.5 if local else None
    async with server, capbridge.AsyncClient(provider, key, initial_delay=wait, poll_interval=wait) as client:
        # Three browser sessions at once, each solving its own captcha.
        pages = [f"http://127.0.0.1:{port}/login?session={i}" for i in range(3)]
        for text in await asyncio.gather(*(log_in(client, p) for p in pages)):
            print("site says:", text)


if __name__ == "__main__":
    provider, key = os.environ.get("CAPBRIDGE_PROVIDER", ""), os.environ.get("CAPBRIDGE_API_KEY", "")
    if not provider or not key:
        sys.exit("set CAPBRIDGE_PROVIDER and CAPBRIDGE_API_KEY (see the docstring)")
    asyncio.run(main(provider, key))
