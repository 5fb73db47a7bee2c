"""Every kind of captcha capbridge knows, built with its typed class, solved at once, and the
structured answers printed (GeeTest's values, click points, grid cells, cookies, ...).

    CAPBRIDGE_PROVIDER=2captcha CAPBRIDGE_API_KEY=<your key> python every_kind.py

``CAPBRIDGE_PROVIDER`` is a preset name or a base URL (the local emulator's, for instance:
``capbridge-emulator --port 0`` prints it; a base URL speaks the form protocol and offers
every kind that family knows). A kind the provider does not offer is refused before anything
is sent, with a ``UsageError`` that names the provider and the kind.
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import List

import capbridge

PROVIDER = os.environ.get("CAPBRIDGE_PROVIDER", "")
KEY = os.environ.get("CAPBRIDGE_API_KEY", "")
WAIT = 0.5 if PROVIDER.startswith("http://127.0.0.1") else None

PAGE = "https://example.com/login"
PROXY = "http://user:pass@1.2.3.4:3128"
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

# A picture's first bytes (a 120x40 PNG header) and an mp3's (an ID3 tag and a frame header),
# enough for the local emulator; give real files to a real service.
PNG = b"\x89PNG\r\n\x1a\n" + (13).to_bytes(4, "big") + b"IHDR" + (120).to_bytes(4, "big") + (40).to_bytes(4, "big") + bytes(200)
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + bytes(413)


def every_kind() -> List[capbridge.CaptchaTask]:
    return [
        capbridge.ImageToText(PNG, numeric=1, min_length=4),
        capbridge.RecaptchaV2(PAGE, "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-", invisible=True),
        capbridge.RecaptchaV3(PAGE, "6LfB5_IbAAAAAMCtsjEHEHKqcB9iQocwwxTiihJu", action="login", min_score=0.7),
        capbridge.HCaptcha(PAGE, "10000000-ffff-ffff-ffff-000000000001"),
        capbridge.FunCaptcha(PAGE, "69A21A01-CC7B-B9C6-0F9A-E7FA06677FFC"),
        capbridge.Turnstile(PAGE, "0x4AAAAAAAC3DHQFLr1GavRN", action="login", cdata="session-42"),
        capbridge.CloudflareChallenge(PAGE, PROXY, UA),
        capbridge.GeeTest(PAGE, gt="81388ea1fc187e0c335c0a8907ff2625", challenge="2e2f0f65240058b683cb6ea21c303eea"),
        capbridge.GeeTestV4(PAGE, "e392e1d7fd421dc63325744d5a2b9c73", init_parameters={"riskType": "slide"}),
        capbridge.AmazonWaf(PAGE, website_key="AQIDAHjcYu/GjX+QlghicBgQ/7bFaQZ+m5FKCMDnO+vTbNg96AHMDLodoefdvyOn",
                            iv="CgAHbCe2GgAAAAAj", context="9BUgmlm48F92WUoqv97a49ZuEJJ50TCk9MVr3C7WMtQ0X6flVbufM4n8mjFLmbLV"),
        capbridge.DataDome(PAGE, "https://geo.captcha-delivery.com/captcha/?initialCid=AHrlqAAAAAMA&cid=6QAEcL8Bqwd", UA, PROXY),
        capbridge.MtCaptcha(PAGE, "MTPublic-DemoKey9M"),
        capbridge.FriendlyCaptcha(PAGE, "FCMST5VUMCBOCGQ9"),
        capbridge.Coordinates(PNG, instructions="click the birds"),
        capbridge.Grid(PNG, rows=3, columns=3, instructions="select all squares with buses"),
        capbridge.TextCaptcha("If tomorrow is Saturday, what day is today?", language="en"),
        capbridge.Audio(MP3, "en"),
        capbridge.Rotate(PNG, angle_step=40),
        capbridge.Lemin(PAGE, captcha_id="CROPPED_3dfdd5c_d1872b526b794d83ba3b365eb15a200b", div_id="lemin-cropped-captcha"),
        # What the catalogue does not name: the provider's own fields, sent as given.
        capbridge.Raw({"method": "userrecaptcha", "googlekey": "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-", "pageurl": PAGE}),
    ]


async def main() -> int:
    tasks = every_kind()
    async with capbridge.AsyncClient(PROVIDER, KEY, initial_delay=WAIT, poll_interval=WAIT) as client:
        results = await asyncio.gather(*(client.solve(t) for t in tasks), return_exceptions=True)
    failed = 0
    for task, r in zip(tasks, results):
        if isinstance(r, capbridge.Solution):
            print(f"{task.kind:>20}: {r.answer[:40]!r} data={r.data}")
        elif isinstance(r, capbridge.UsageError):
            print(f"{task.kind:>20}: not offered here: {r}")
        elif isinstance(r, capbridge.CaptchaError):
            print(f"{task.kind:>20}: failed: {r}")
            failed += 1
        else:
            raise r
    return 1 if failed else 0


if __name__ == "__main__":
    if not PROVIDER or not KEY:
        sys.exit("set CAPBRIDGE_PROVIDER and CAPBRIDGE_API_KEY (see the docstring)")
    sys.exit(asyncio.run(main()))
