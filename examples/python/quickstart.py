"""capbridge from Python: one solve of each kind, blocking and asyncio, printing each step.

    CAPBRIDGE_PROVIDER=2captcha CAPBRIDGE_API_KEY=<your key> python quickstart.py

``CAPBRIDGE_PROVIDER`` is a preset name or a base URL (the local emulator's, for instance:
``capbridge-emulator --port 0`` prints it).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys

import capbridge

PROVIDER = os.environ.get("CAPBRIDGE_PROVIDER", "")
KEY = os.environ.get("CAPBRIDGE_API_KEY", "")
LOCAL = PROVIDER.startswith("http://127.0.0.1")
# The emulator answers within a second; real services get their documented waits (a
# reCAPTCHA v2 solve polls first 20 s after the submit, then every 5 s).
WAIT = 0.5 if LOCAL else None

TASKS = [
    capbridge.RecaptchaV2("https://www.google.com/recaptcha/api2/demo", "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"),
    capbridge.HCaptcha("https://accounts.hcaptcha.com/demo", "10000000-ffff-ffff-ffff-000000000001"),
    capbridge.Turnstile("https://example.com/", "1x00000000000000000000AA"),
]


def blocking() -> None:
    with capbridge.Client(PROVIDER, KEY, initial_delay=WAIT, poll_interval=WAIT) as client:
        print(f"balance: {client.balance()}")  # a decimal.Decimal, exactly as the service wrote it
        solution = client.solve(TASKS[0], on_event=lambda e: print("  ", e))
        print(f"blocking: {solution.answer[:50]}... (task {solution.task_id})")


async def concurrent() -> None:
    async with capbridge.AsyncClient(PROVIDER, KEY, initial_delay=WAIT, poll_interval=WAIT) as client:
        results = await asyncio.gather(*(client.solve(t) for t in TASKS), return_exceptions=True)
        for task, r in zip(TASKS, results):
            if isinstance(r, capbridge.Solution):
                print(f"asyncio: {task.kind}: {r.answer[:40]}... user agent: {r.user_agent}")
            elif isinstance(r, capbridge.CaptchaError):
                print(f"asyncio: {task.kind} failed: {r} (retryable: {r.retryable}, task: {r.task_id})")
            else:
                raise r


if __name__ == "__main__":
    if not PROVIDER or not KEY:
        sys.exit("set CAPBRIDGE_PROVIDER and CAPBRIDGE_API_KEY (see the docstring)")
    logging.basicConfig(level=logging.WARNING)
    blocking()
    asyncio.run(concurrent())
