"""A 2captcha-python script on capbridge: 300 reCAPTCHA solves from 100 threads, with one
import changed. Run against the local emulator, it prints what the service saw.

    CAPBRIDGE_PROVIDER=http://127.0.0.1:PORT/ CAPBRIDGE_API_KEY=<any 32 characters> python twocaptcha_migration.py

(``capbridge-emulator --port 0`` prints the base URL.) With 2captcha-python itself, 100 threads
submitting at once break the service's limit of 60 ``in.php`` requests in 3 s: most solves
end in ``MAX_USER_TURN``. Through capbridge the same code spreads the submits over time,
polls the tasks in flight together, and every solve succeeds. The emulator keeps the
service's limits and counts every request, so the figures below are the service's view.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict

# The one changed line: was `from twocaptcha import TwoCaptcha, ApiException`.
from capbridge.compat.twocaptcha import ApiException, TwoCaptcha

PROVIDER = os.environ.get("CAPBRIDGE_PROVIDER", "")
KEY = os.environ.get("CAPBRIDGE_API_KEY", "")
SOLVES = 300
THREADS = 100
SITEKEY = "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"
PAGE = "https://www.google.com/recaptcha/api2/demo"


def counters() -> Dict[str, Any]:
    """The emulator's request counters (its admin API)."""
    with urllib.request.urlopen(PROVIDER.rstrip("/") + "/emulator/counters", timeout=10) as r:
        data: Dict[str, Any] = json.loads(r.read())
        return data


def solve_one(solver: TwoCaptcha) -> str:
    """What a 2captcha-python script does in each thread."""
    try:
        result = solver.recaptcha(sitekey=SITEKEY, url=PAGE)
        return "solved" if result.get("code") else "empty"
    except ApiException as e:  # twocaptcha's error codes (MAX_USER_TURN, ERROR_ZERO_BALANCE, ...)
        return str(e)


def main() -> int:
    if not PROVIDER.startswith("http://127.0.0.1") or len(KEY) != 32:
        sys.exit("run against the local emulator: see the docstring")
    solver = TwoCaptcha(KEY, server=PROVIDER)  # the library's defaults: polls every 10 s
    before = counters()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(solve_one, [solver] * SOLVES))
    elapsed = time.monotonic() - started
    after = counters()

    mine_before = before["keys"].get(KEY, {})
    mine_after = after["keys"][KEY]
    submits = mine_after["in_requests"] - mine_before.get("in_requests", 0)
    polls = mine_after["res_requests"] - mine_before.get("res_requests", 0)
    violations = {
        code: n - before["violations"].get(code, 0)
        for code, n in after["violations"].items()
        if n > before["violations"].get(code, 0)
    }
    solved = outcomes.count("solved")
    failures = {o: outcomes.count(o) for o in set(outcomes) if o != "solved"}
    print(f"solved {solved} of {SOLVES} from {THREADS} threads in {elapsed:.1f} s")
    print(f"requests: {submits} in.php + {polls} res.php = {(submits + polls) / SOLVES:.2f} per captcha")
    print(f"limit violations: {violations or 'none'}" + (f"; failures: {failures}" if failures else ""))
    return 0 if solved == SOLVES and not violations else 1


if __name__ == "__main__":
    sys.exit(main())
