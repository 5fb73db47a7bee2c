"""Blocking and asyncio at scale, cancellation, Ctrl-C, events and logging."""

from __future__ import annotations

import asyncio
import decimal
import logging
import os
import signal
import threading
import time
from typing import Any, List

import pytest

import capbridge
from conftest import FAST, KEY, UNLIMITED, Emulator, fresh_key

V2 = capbridge.RecaptchaV2("https://example.com/login", "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-")


def test_a_thousand_concurrent_async_solves(make_emulator: Any) -> None:
    emu = make_emulator("--no-limits", "--delay-ms", "50-150")

    async def main() -> List[capbridge.Solution]:
        async with capbridge.AsyncClient(emu.url, KEY, limits=UNLIMITED, **FAST) as c:
            return await asyncio.gather(*(c.solve(V2) for _ in range(1000)))

    t = time.perf_counter()
    sols = asyncio.run(main())
    took = time.perf_counter() - t
    assert len(sols) == 1000 and len({s.task_id for s in sols}) == 1000
    assert all(s.answer.startswith("03AG") for s in sols)
    c = emu.counters()
    assert c["tasks_accepted"] == 1000
    assert took < 30, took


def test_async_verbs_and_mixed_failures(emulator: Emulator) -> None:
    emulator.rule(when={"sitekey": "unsolvable"}, result_error="ERROR_CAPTCHA_UNSOLVABLE")

    async def main() -> None:
        async with capbridge.AsyncClient(emulator.url, KEY, **FAST) as c:
            results = await asyncio.gather(
                c.solve(V2), c.solve(capbridge.RecaptchaV2("https://example.com/", "unsolvable")), return_exceptions=True
            )
            assert isinstance(results[0], capbridge.Solution)
            assert isinstance(results[1], capbridge.UnsolvableError) and results[1].task_id
            task_id = await c.submit(V2)
            assert await c.result(task_id) is None
            await asyncio.sleep(0.1)
            s = await c.result(task_id)
            assert s is not None and s.task_id == task_id
            await c.report(task_id, True)
            balance = await c.balance()
            assert isinstance(balance, decimal.Decimal) and 9 < balance < 10
            waited = await c.wait(await c.submit(V2), timeout=5)
            assert waited.answer.startswith("03AG")
            with pytest.raises(capbridge.InvalidTaskError):
                await c.solve(capbridge.RecaptchaV2("nope", "k"))
        with pytest.raises(capbridge.UsageError):
            await c.balance()

    asyncio.run(main())


def test_cancelling_an_asyncio_solve_stops_its_polling(make_emulator: Any) -> None:
    emu = make_emulator("--delay-ms", "60000")

    async def main() -> None:
        async with capbridge.AsyncClient(emu.url, KEY, **FAST) as c:
            task = asyncio.ensure_future(c.solve(V2))
            await asyncio.sleep(0.2)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await asyncio.sleep(0.05)  # a poll already on the wire may still land
            polls = emu.counters()["polls"]
            assert polls >= 2
            await asyncio.sleep(0.2)
            assert emu.counters()["polls"] == polls
            # asyncio.wait_for cancels the same way.
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(c.solve(V2), 0.1)
            await asyncio.sleep(0.05)
            polls = emu.counters()["polls"]
            await asyncio.sleep(0.2)
            assert emu.counters()["polls"] == polls

    asyncio.run(main())


def test_blocking_solves_from_eight_threads_run_in_parallel(make_emulator: Any) -> None:
    emu = make_emulator("--delay-ms", "300")
    client = capbridge.Client(emu.url, KEY, limits={"submit_interval": 0.001, "submit_window": 0.03}, initial_delay=0.3, poll_interval=0.05)
    out: List[Any] = []

    def work() -> None:
        out.append(client.solve(V2))

    t = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    took = time.perf_counter() - t
    assert len(out) == 8 and all(isinstance(s, capbridge.Solution) for s in out)
    # Eight 0.3 s solves in parallel, not 2.4 s in a row: the GIL is released while waiting.
    assert took < 1.5, took


def test_ctrl_c_stops_a_blocking_solve(make_emulator: Any) -> None:
    emu = make_emulator("--delay-ms", "60000")
    client = capbridge.Client(emu.url, KEY, **FAST)
    threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
    t = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        client.solve(V2)
    assert time.perf_counter() - t < 2
    time.sleep(0.05)
    polls = emu.counters()["polls"]
    time.sleep(0.2)
    assert emu.counters()["polls"] == polls


def test_events_reach_callbacks_and_the_logger_without_the_key(emulator: Emulator, caplog: Any) -> None:
    emulator.fault(fault="http500", endpoint="res", count=1)
    seen: List[capbridge.SolveEvent] = []
    threads = set()

    def cb(e: capbridge.SolveEvent) -> None:
        seen.append(e)
        threads.add(threading.get_ident())

    proxy = "http://user:hunter2pw@1.2.3.4:3128"
    with caplog.at_level(logging.DEBUG, logger="capbridge"):
        with capbridge.Client(emulator.url, KEY, debug_dump=True, **FAST) as c:
            s = c.solve(capbridge.RecaptchaV2("https://example.com/", "6Le-wvk", proxy=proxy), on_event=cb)
    steps = [e.step for e in seen]
    assert steps[0] == "submitting" and steps[1] == "submitted" and steps[-1] == "solved"
    assert "retrying" in steps and "polled" in steps
    retry = next(e for e in seen if e.step == "retrying")
    assert (retry.stage, retry.error_kind, retry.code) == ("poll", "service", "HTTP 500")
    assert all(e.task_id == s.task_id for e in seen[1:])
    assert threads == {threading.get_ident()}, "callbacks run on the calling thread"
    text = caplog.text + "".join(repr(e) + str(e) for e in seen)
    assert "solved" in caplog.text
    assert KEY not in text and "hunter2pw" not in text

    # Async: callbacks run on the event loop's thread.
    loop_threads = set()

    async def main() -> None:
        async with capbridge.AsyncClient(emulator.url, KEY, **FAST,
                                         on_event=lambda e: loop_threads.add(threading.get_ident())) as ac:
            await ac.solve(capbridge.RecaptchaV2("https://example.com/", "6Le-wvk"))

    asyncio.run(main())
    assert loop_threads == {threading.get_ident()}


def test_a_failing_callback_does_not_end_the_solve(emulator: Emulator, caplog: Any) -> None:
    def bad(e: capbridge.SolveEvent) -> None:
        raise RuntimeError("callback bug")

    with capbridge.Client(emulator.url, fresh_key(), **FAST) as c:
        assert c.solve(V2, on_event=bad).answer
    assert "callback bug" in caplog.text


def test_closing_an_async_client_cancels_each_solve_with_its_task_id(make_emulator: Any) -> None:
    emu = make_emulator("--delay-ms", "60000")

    async def main() -> None:
        c = capbridge.AsyncClient(emu.url, fresh_key(), **FAST)
        solves = [asyncio.ensure_future(c.solve(V2)) for _ in range(5)]
        balance = asyncio.ensure_future(c.balance())
        await asyncio.sleep(0.4)  # submitted and polling
        await balance
        late = asyncio.ensure_future(c.wait(await c.submit(V2), timeout=30))
        await asyncio.sleep(0.05)
        await c.aclose()
        results = await asyncio.gather(*solves, late, return_exceptions=True)
        for r in results:
            assert isinstance(r, capbridge.SolveCancelledError), repr(r)
            assert r.kind == "cancelled" and r.task_id is not None, repr(r)
        assert len({r.task_id for r in results}) == 6
        polls = emu.counters()["polls"]
        await asyncio.sleep(0.2)
        assert emu.counters()["polls"] == polls, "polling stopped"
        with pytest.raises(capbridge.UsageError):
            await c.solve(V2)

        # Leaving `async with` does the same.
        async with capbridge.AsyncClient(emu.url, fresh_key(), **FAST) as c2:
            inflight = asyncio.ensure_future(c2.solve(V2))
            await asyncio.sleep(0.3)
        with pytest.raises(capbridge.SolveCancelledError) as e:
            await inflight
        assert e.value.task_id is not None

    asyncio.run(main())


class NoReaderLoop(asyncio.SelectorEventLoop):
    """An event loop without add_reader, like Windows' proactor loop."""

    def add_reader(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError


def test_loops_without_add_reader_are_served_by_a_helper_thread(emulator: Emulator) -> None:
    async def main() -> List[capbridge.Solution]:
        async with capbridge.AsyncClient(emulator.url, KEY, **FAST) as c:
            return await asyncio.gather(*(c.solve(V2) for _ in range(20)))

    loop = NoReaderLoop()
    try:
        sols = loop.run_until_complete(main())
    finally:
        loop.close()
    assert len({s.task_id for s in sols}) == 20
