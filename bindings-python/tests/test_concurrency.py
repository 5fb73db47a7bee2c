"""Blocking and asyncio at scale, cancellation, Ctrl-C, events and logging."""

from __future__ import annotations

import asyncio
import decimal
import json
import logging
import os
import signal
import threading
import time
from typing import Any, List

import pytest

import capbridge
from conftest import FAST, HELD, KEY, UNLIMITED, Emulator, eventually, eventually_async, fresh_key

V2 = capbridge.RecaptchaV2("https://example.com/login", "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-")


def test_a_thousand_concurrent_async_solves(make_emulator: Any) -> None:
    emu = make_emulator("--no-limits", "--delay-ms", "50-150")

    async def main() -> List[capbridge.Solution]:
        async with capbridge.AsyncClient(emu.url, KEY, limits=UNLIMITED, **FAST) as c:
            return await asyncio.gather(*(c.solve(V2) for _ in range(1000)))

    t = time.perf_counter()
    sols = asyncio.run(main())
    print(f"1000 async solves in {time.perf_counter() - t:.1f} s")  # shown, not checked
    assert len(sols) == 1000 and len({s.task_id for s in sols}) == 1000
    assert all(s.answer.startswith("03AG") for s in sols)
    c = emu.counters()
    assert c["tasks_accepted"] == 1000


def test_async_verbs_and_mixed_failures(emulator: Emulator) -> None:
    emulator.rule(when={"sitekey": "unsolvable"}, result_error="ERROR_CAPTCHA_UNSOLVABLE")
    # Pending until let go: "not ready" is then what the service says, not a race.
    emulator.rule(when={"sitekey": "held"}, delay_ms=int(HELD))

    async def main() -> None:
        async with capbridge.AsyncClient(emulator.url, KEY, **FAST) as c:
            results = await asyncio.gather(
                c.solve(V2), c.solve(capbridge.RecaptchaV2("https://example.com/", "unsolvable")), return_exceptions=True
            )
            assert isinstance(results[0], capbridge.Solution)
            assert isinstance(results[1], capbridge.UnsolvableError) and results[1].task_id
            task_id = await c.submit(capbridge.RecaptchaV2("https://example.com/", "held"))
            assert await c.result(task_id) is None
            assert emulator.finish() == 1
            s = await c.result(task_id)
            assert s is not None and s.task_id == task_id
            await c.report(task_id, True)
            balance = await c.balance()
            assert isinstance(balance, decimal.Decimal) and 9 < balance < 10
            waited = await c.wait(await c.submit(V2))
            assert waited.answer.startswith("03AG")
            with pytest.raises(capbridge.InvalidTaskError):
                await c.solve(capbridge.RecaptchaV2("nope", "k"))
        with pytest.raises(capbridge.UsageError):
            await c.balance()

    asyncio.run(main())


def test_cancelling_an_asyncio_solve_stops_its_polling(make_emulator: Any) -> None:
    emu = make_emulator("--delay-ms", HELD)

    def polls() -> int:
        n: int = emu.counters()["polls"]
        return n

    async def main() -> None:
        async with capbridge.AsyncClient(emu.url, KEY, **FAST) as c:
            task = asyncio.ensure_future(c.solve(V2))
            await eventually_async("two polls", lambda: polls() >= 2)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            # A poll already on the wire may still land; after it, none. (Waiting can only
            # give a poll the engine should not send the time to show up.)
            before = polls()
            await asyncio.sleep(0.3)
            assert polls() <= before + 1
            # asyncio.wait_for cancels the same way.
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(c.solve(V2), 0.1)
            before = polls()
            await asyncio.sleep(0.3)
            assert polls() <= before + 1

    asyncio.run(main())


def test_blocking_solves_from_eight_threads_run_in_parallel(make_emulator: Any) -> None:
    emu = make_emulator("--delay-ms", HELD)
    client = capbridge.Client(emu.url, KEY, limits={"submit_interval": 0.001, "submit_window": 0.03},
                              initial_delay=0.02, poll_interval=0.05)
    out: List[Any] = []

    def work() -> None:
        out.append(client.solve(V2))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for th in threads:
        th.start()
    # All eight are waiting for their answers at once: a solve that held the GIL while it
    # waited would keep the other threads from ever submitting theirs.
    eventually("eight tasks submitted from eight threads", lambda: emu.counters()["tasks_accepted"] == 8)
    emu.finish()
    for th in threads:
        th.join()
    assert len(out) == 8 and all(isinstance(s, capbridge.Solution) for s in out)


def test_ctrl_c_stops_a_blocking_solve(make_emulator: Any) -> None:
    emu = make_emulator("--delay-ms", HELD)
    client = capbridge.Client(emu.url, KEY, **FAST)

    def interrupt_once_polling() -> None:
        eventually("the task polled", lambda: emu.counters()["polls"] >= 1)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt_once_polling, daemon=True).start()
    # Without the interrupt it would wait for the deadline (a minute) and fail as a timeout.
    with pytest.raises(KeyboardInterrupt):
        client.solve(V2)
    # A poll already on the wire may still land; after it, none.
    polls = emu.counters()["polls"]
    time.sleep(0.3)
    assert emu.counters()["polls"] <= polls + 1


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
    # Every field by name, as a JSON log line takes it.
    fields = [n for n in dir(capbridge.SolveEvent) if not n.startswith("_") and n != "to_dict"]
    d = retry.to_dict()
    assert sorted(d) == sorted(fields)
    assert all(d[n] == getattr(retry, n) for n in fields)
    assert json.loads(json.dumps(d)) == d
    assert KEY not in json.dumps([e.to_dict() for e in seen])

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
    emu = make_emulator("--delay-ms", HELD)

    def polled(task_id: Any) -> bool:
        return int(emu.task(str(task_id))["polls"]) >= 1

    async def main() -> None:
        key = fresh_key()
        c = capbridge.AsyncClient(emu.url, key, **FAST)
        solves = [asyncio.ensure_future(c.solve(V2)) for _ in range(5)]
        balance = asyncio.ensure_future(c.balance())
        await eventually_async("five tasks submitted and polled",
                               lambda: len(emu.task_ids(key)) == 5 and all(polled(i) for i in emu.task_ids(key)))
        await balance
        held = await c.submit(V2)
        late = asyncio.ensure_future(c.wait(held, timeout=30))
        await eventually_async("the waited task polled", lambda: polled(held))
        await c.aclose()
        results = await asyncio.gather(*solves, late, return_exceptions=True)
        for r in results:
            assert isinstance(r, capbridge.SolveCancelledError), repr(r)
            assert r.kind == "cancelled" and r.task_id is not None, repr(r)
        assert len({r.task_id for r in results}) == 6
        polls = emu.counters()["polls"]
        await asyncio.sleep(0.3)
        assert emu.counters()["polls"] <= polls + 6, "polling stopped (a poll per task may have been on the wire)"
        with pytest.raises(capbridge.UsageError):
            await c.solve(V2)

        # Leaving `async with` does the same.
        key2 = fresh_key()
        async with capbridge.AsyncClient(emu.url, key2, **FAST) as c2:
            inflight = asyncio.ensure_future(c2.solve(V2))
            await eventually_async("the task submitted and polled",
                                   lambda: len(emu.task_ids(key2)) == 1 and polled(emu.task_ids(key2)[0]))
        with pytest.raises(capbridge.SolveCancelledError) as e:
            await inflight
        assert e.value.task_id is not None

    asyncio.run(main())


def test_closing_a_blocking_client_cancels_the_solves_of_other_threads(make_emulator: Any) -> None:
    emu = make_emulator("--delay-ms", HELD)
    key = fresh_key()
    outcomes: List[BaseException] = []

    def polled(task_id: Any) -> bool:
        return int(emu.task(str(task_id))["polls"]) >= 1

    def worker(call: Any) -> None:
        try:
            call()
        except BaseException as e:  # noqa: BLE001: the outcome is what the test reads
            outcomes.append(e)

    c = capbridge.Client(emu.url, key, **FAST)
    held = c.submit(V2)
    threads = [threading.Thread(target=worker, args=(lambda: c.solve(V2, timeout=120),)) for _ in range(3)]
    threads.append(threading.Thread(target=worker, args=(lambda: c.wait(held, timeout=120),)))
    for t in threads:
        t.start()
    eventually("four tasks submitted and polled",
               lambda: len(emu.task_ids(key)) == 4 and all(polled(i) for i in emu.task_ids(key)))
    c.close()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a solve went on after close()"
    assert len(outcomes) == 4
    for r in outcomes:
        assert isinstance(r, capbridge.SolveCancelledError), repr(r)
        assert r.task_id is not None, repr(r)
    assert len({r.task_id for r in outcomes if isinstance(r, capbridge.CaptchaError)}) == 4
    with pytest.raises(capbridge.UsageError):
        c.solve(V2)

    # Leaving `with` while a worker solves does the same.
    key2 = fresh_key()
    with capbridge.Client(emu.url, key2, **FAST) as c2:
        t = threading.Thread(target=worker, args=(lambda: c2.solve(V2, timeout=120),))
        t.start()
        eventually("the task submitted and polled",
                   lambda: len(emu.task_ids(key2)) == 1 and polled(emu.task_ids(key2)[0]))
    t.join(60)
    assert not t.is_alive() and isinstance(outcomes[-1], capbridge.SolveCancelledError)


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


def test_one_async_client_used_by_many_event_loops_frees_each_loop_s_channel(emulator: Emulator) -> None:
    # The common way sync code drives an async client: `asyncio.run(...)` per call. What a
    # loop's channel holds (a socket pair, a pump) must go with the loop, not pile up until
    # `close()`: 500 runs used to exhaust a 1024-descriptor limit.
    import gc

    def open_fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    client = capbridge.AsyncClient(emulator.url, KEY, **FAST)
    try:
        asyncio.run(client.balance())
        gc.collect()
        before = open_fds()
        for _ in range(40):
            assert asyncio.run(client.solve(V2)).answer
        gc.collect()
        grown = open_fds() - before
        assert grown <= 2, f"{grown} descriptors more after 40 event loops"
        assert len(client._channels) <= 1, len(client._channels)
    finally:
        client.close()


def test_loops_without_add_reader_let_go_of_their_channel_and_helper_thread(emulator: Emulator) -> None:
    # The helper thread of a loop without add_reader holds the loop weakly and ends once the
    # loop is closed, so that neither it nor the loop's channel outlives the loop.
    import gc

    client = capbridge.AsyncClient(emulator.url, KEY, **FAST)
    try:
        def helpers() -> int:
            return sum(t.name == "capbridge-asyncio-waker" for t in threading.enumerate())

        before = helpers()
        for _ in range(10):
            loop = NoReaderLoop()
            try:
                assert loop.run_until_complete(client.solve(V2)).answer
            finally:
                loop.close()
        del loop
        gc.collect()
        eventually("the helper threads ended", lambda: helpers() <= before)
        gc.collect()
        assert len(client._channels) <= 1, len(client._channels)
    finally:
        client.close()
