"""Shared limits (``shared_limits="redis://..."``): when Redis does not answer, solves go on
with this process's own limits, and the user hears of it: a WARNING on the ``capbridge``
logger and a ``shared_limits`` event to the client's ``on_event``; when Redis answers again,
an INFO line and an event with ``shared=True``."""

from __future__ import annotations

import asyncio
import logging
import shutil
import socket
import subprocess
import tempfile
import threading
from typing import Any, Iterator, List

import pytest

import capbridge
from conftest import FAST, Emulator, eventually, fresh_key

V2 = capbridge.RecaptchaV2("https://example.com/login", "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-")


def free_port() -> int:
    """A 127.0.0.1 port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def shared_records(caplog: Any, level: int) -> List[logging.LogRecord]:
    return [r for r in caplog.records
            if r.name == "capbridge" and r.levelno == level and "shared limits" in r.getMessage()]


class SilentServer:
    """A port that accepts connections and never answers (a Redis that hangs)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"redis://127.0.0.1:{self.sock.getsockname()[1]}/0"

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def silent_redis() -> Iterator[str]:
    server = SilentServer()
    yield server.url
    server.close()


def check_fallback(emulator: Emulator, caplog: Any, redis_url: str) -> None:
    events: List[capbridge.SolveEvent] = []
    threads: List[int] = []

    def on_event(e: capbridge.SolveEvent) -> None:
        if e.step == "shared_limits":
            events.append(e)
            threads.append(threading.get_ident())

    with caplog.at_level(logging.INFO, logger="capbridge"):
        with capbridge.Client(emulator.url, fresh_key(), shared_limits=redis_url, on_event=on_event, **FAST) as c:
            s = c.solve(V2)
            assert s.answer.startswith("03AG")
            eventually("a WARNING on the capbridge logger", lambda: bool(shared_records(caplog, logging.WARNING)))
            eventually("the shared_limits event", lambda: bool(events))
    warning = shared_records(caplog, logging.WARNING)[0].getMessage()
    assert redis_url in warning and "does not answer" in warning, warning
    e = events[0]
    assert (e.step, e.shared, e.solve_id, e.task_id, e.task_kind) == ("shared_limits", False, 0, None, None)
    assert e.message is not None and e.message in str(e) and "does not answer" in e.message
    assert repr(e).startswith("<SolveEvent ")
    assert threads[0] != threading.get_ident(), "delivered on capbridge's thread, not a solve's"
    assert emulator.counters()["tasks_accepted"] == 1


def test_redis_that_hangs_is_a_warning_and_solves_go_on(emulator: Emulator, caplog: Any, silent_redis: str) -> None:
    check_fallback(emulator, caplog, silent_redis)


def test_redis_with_nothing_listening_is_a_warning_and_solves_go_on(emulator: Emulator, caplog: Any) -> None:
    check_fallback(emulator, caplog, f"redis://127.0.0.1:{free_port()}/0")


def test_the_async_client_logs_the_fallback_too(emulator: Emulator, caplog: Any, silent_redis: str) -> None:
    redis_url = silent_redis

    async def main() -> str:
        async with capbridge.AsyncClient(emulator.url, fresh_key(), shared_limits=redis_url, **FAST) as c:
            return (await c.solve(V2)).answer

    with caplog.at_level(logging.INFO, logger="capbridge"):
        assert asyncio.run(main()).startswith("03AG")
        eventually("a WARNING on the capbridge logger", lambda: bool(shared_records(caplog, logging.WARNING)))


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_redis_answering_again_is_info_and_shared_true(emulator: Emulator, caplog: Any) -> None:
    silent = SilentServer()  # hangs first; then a real Redis takes its port
    port = silent.sock.getsockname()[1]
    events: List[capbridge.SolveEvent] = []
    with caplog.at_level(logging.INFO, logger="capbridge"), tempfile.TemporaryDirectory() as tmp:
        with capbridge.Client(emulator.url, fresh_key(), shared_limits=silent.url,
                              on_event=lambda e: events.append(e) if e.step == "shared_limits" else None,
                              **FAST) as c:
            assert c.solve(V2).answer
            eventually("the fall back", lambda: any(e.shared is False for e in events))
            silent.close()
            redis = subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", tmp],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                eventually("Redis answering again", lambda: any(e.shared is True for e in events))
                assert c.solve(V2).answer
            finally:
                redis.terminate()
                redis.wait(timeout=10)
    states = [e.shared for e in events]
    states = [x for i, x in enumerate(states) if i == 0 or states[i - 1] != x]  # a repeat is allowed
    assert states[:2] == [False, True], states
    assert shared_records(caplog, logging.WARNING) and shared_records(caplog, logging.INFO)
    info = shared_records(caplog, logging.INFO)[0].getMessage()
    assert "answers again" in info, info
