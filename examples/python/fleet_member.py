"""One Python member of a fleet sharing one API key (run by the fleet driver, ``fleet``).

    python fleet_member.py --provider 2captcha --base-url http://127.0.0.1:PORT/ --api-key KEY \
        --solves 100 --clients 2 [--shared-limits redis://127.0.0.1:6379/0] [--timeout-s 300] [--name NAME]

``clients`` asyncio clients in this process, ``solves`` reCAPTCHA v2 solves at once spread over
them; every client keeps the key's limits in Redis with the other members (Rust, Node, other
Python processes) when ``--shared-limits`` is given. Prints one JSON line when done:
``{"member", "lang", "solved", "failed", "errors": {kind: count}, "elapsed_s"}``, the same
as the Rust and Node members.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import logging
import os
import sys
import time
from typing import Any, Dict

import capbridge

TASK = capbridge.RecaptchaV2("https://example.com/login", "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-")


async def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--provider", required=True)
    p.add_argument("--base-url", default=None)
    p.add_argument("--api-key", required=True)
    p.add_argument("--solves", type=int, required=True)
    p.add_argument("--clients", type=int, default=2)
    p.add_argument("--shared-limits", default=None)
    p.add_argument("--timeout-s", type=float, default=300.0)
    p.add_argument("--name", default=f"python-{os.getpid()}")
    a = p.parse_args()
    # Warnings (Redis away, Redis back) go to stderr.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    options: Dict[str, Any] = dict(
        initial_delay=0.5,
        poll_interval=0.5,
        request_timeout=10.0,
        timeout=a.timeout_s,
    )
    if a.base_url:
        options["base_url"] = a.base_url
    if a.shared_limits:
        # A Redis Cluster's nodes (comma-separated on the command line) go as a list: the
        # list form of the option, against the real cluster CI's fleet runs on.
        nodes = a.shared_limits.split(",")
        options["shared_limits"] = nodes if len(nodes) > 1 else a.shared_limits
    clients = [capbridge.AsyncClient(a.provider, a.api_key, **options) for _ in range(a.clients)]
    started = time.monotonic()
    results = await asyncio.gather(
        *(clients[i % len(clients)].solve(TASK) for i in range(a.solves)),
        return_exceptions=True,
    )
    errors: collections.Counter[str] = collections.Counter()
    for r in results:
        if isinstance(r, capbridge.CaptchaError):
            errors[r.kind] += 1
            print(f"{a.name}: {r}", file=sys.stderr)
        elif isinstance(r, BaseException):
            errors["exception"] += 1
            print(f"{a.name}: {r!r}", file=sys.stderr)
    for c in clients:
        await c.aclose()
    failed = sum(errors.values())
    print(
        json.dumps(
            {
                "member": a.name,
                "lang": "python",
                "solved": a.solves - failed,
                "failed": failed,
                "errors": dict(errors),
                "elapsed_s": time.monotonic() - started,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    asyncio.run(main())
