"""Fixtures: the real emulator binary on 127.0.0.1, scripted over its admin API, and clients
with millisecond waits.

The suite runs on small, busy machines, so a test decides from what happened, never from how
fast: it waits for the emulator to show a state (``eventually``) instead of sleeping a guess,
holds tasks pending until it lets them go (``Emulator.finish``), and moves the emulator's
clock (``Emulator.advance``) instead of sleeping through a window. The only clocks left are
guards against a hang (``HANG``)."""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import secrets
import subprocess
import time
import urllib.request
from typing import Any, Callable, Dict, Iterator, Optional

import pytest

import capbridge

REPO = pathlib.Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"
KEY = "1abc234de56fab7c89012d34e56fa7b8"

# How long a step may take before a test calls it hung: far beyond what any load makes of a
# step that takes milliseconds. It turns a hang into a failure with a name; it is not a speed.
HANG = 60.0

# An emulator solve delay no test outlives: such tasks are pending until ``Emulator.finish``.
HELD = "3600000"


def eventually(what: str, check: Callable[[], bool], within: float = HANG) -> None:
    """Waits until ``check()`` holds (checking every 10 ms); fails naming ``what`` after
    ``within`` seconds."""
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {within} s: {what}")
        time.sleep(0.01)


async def eventually_async(what: str, check: Callable[[], bool], within: float = HANG) -> None:
    """``eventually`` for coroutines: the event loop goes on while it waits."""
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {within} s: {what}")
        await asyncio.sleep(0.01)


def fresh_key() -> str:
    """A key no client of this process has used (clients of one key share its limits and
    its guard, which remembers refusals)."""
    return secrets.token_hex(16)


def emulator_binary() -> str:
    path = os.environ.get("CAPBRIDGE_EMULATOR")
    if path:
        return path
    subprocess.run(["cargo", "build", "-q", "-p", "capbridge-emulator"], cwd=REPO, check=True)
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return str(target / "debug" / "capbridge-emulator")


class Emulator:
    """A running `capbridge-emulator` process."""

    def __init__(self, binary: str, *args: str) -> None:
        self.proc = subprocess.Popen([binary, "--port", "0", *args], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()
        assert self.url.startswith("http://127.0.0.1:"), self.url

    def admin(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + "emulator/" + path, data=data, method=method)
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def counters(self) -> Dict[str, Any]:
        return self.admin("GET", "counters")

    def rule(self, **rule: Any) -> None:
        self.admin("POST", "rules", rule)

    def fault(self, **fault: Any) -> None:
        self.admin("POST", "faults", fault)

    def clear_faults(self) -> None:
        self.admin("DELETE", "faults")

    def account(self, key: str, **fields: Any) -> None:
        self.admin("POST", "accounts", {"key": key, **fields})

    def task(self, task_id: str) -> Dict[str, Any]:
        return self.admin("GET", f"tasks/{task_id}")

    def task_ids(self, key: str) -> Any:
        return self.admin("GET", f"tasks?key={key}")["ids"]

    def finish(self) -> int:
        """Solves every pending task now; how many there were."""
        finished: int = self.admin("POST", "finish")["finished"]
        return finished

    def advance(self, ms: int) -> None:
        """Moves the emulator's clock ahead: its waits and windows see ``ms`` more passed."""
        self.admin("POST", "advance", {"ms": ms})

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def emulator_bin() -> str:
    return emulator_binary()


@pytest.fixture
def make_emulator(emulator_bin: str) -> Iterator[Any]:
    started = []

    def make(*args: str) -> Emulator:
        e = Emulator(emulator_bin, *args)
        started.append(e)
        return e

    yield make
    for e in started:
        e.stop()


@pytest.fixture
def emulator(make_emulator: Any) -> Emulator:
    return make_emulator("--delay-ms", "20")


FAST: Dict[str, Any] = dict(
    initial_delay=0.02,
    poll_interval=0.02,
    timeout=HANG,  # a guard: tests that mean a deadline give their own
    retry={"base_delay": 0.01, "max_delay": 0.1},
)

# A base URL's limits lifted (the emulator started with --no-limits lifts its own).
UNLIMITED: capbridge.Limits = {
    "submit_interval": 0, "submits_per_window": 10**9, "polls_per_task": 10**12,
    "poll_allowance": 10**12, "no_slot_wait": 0, "rate_limit_wait": 0, "zero_balance_wait": 0,
}

# Every text a user may see must name things as written in Python: no Rust or serde words.
RUST_WORDS = ("::", "serde", "struct ", "Vec<", "Option<", "u32", "u64", "usize", "f64", "i64",
              "Deserialize", "invalid type:", "Provider::", "Duration", "Builder", "cargo")


# ... and values in Python's words, not JSON's ("True or False", "a dict", "None").
JSON_WORDS = ("true or false", "an object", "null", "boolean", "an array")


def plain_python_words(text: str) -> bool:
    return not any(w in text for w in RUST_WORDS) and not any(w in text for w in JSON_WORDS)


@pytest.fixture
def client(emulator: Emulator) -> Iterator[capbridge.Client]:
    with capbridge.Client(emulator.url, KEY, **FAST) as c:
        yield c


def image(name: str) -> bytes:
    return (VECTORS / "images" / name).read_bytes()
