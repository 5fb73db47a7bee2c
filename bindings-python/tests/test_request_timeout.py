"""A call's own ``request_timeout``: it bounds the call's submits and the polls of its task,
whatever the client's is. A submit or a poll stalls for an hour behind a client whose request
timeout is the hour; the call still ends, with the answer or the task id, and its events name
the timed-out request. Decided from the events, never from how long it took."""

from __future__ import annotations

import asyncio
from typing import List

import capbridge
from conftest import FAST, Emulator, fresh_key

V2 = capbridge.RecaptchaV2("https://example.com/login", "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-")
HOUR = 3600.0


def stall_once(emulator: Emulator, endpoint: str) -> None:
    emulator.fault(fault="slow", endpoint=endpoint, delay_ms=int(HOUR * 1000), count=1)


def timed_out(events: List[capbridge.SolveEvent], stage: str) -> bool:
    return any(e.step == "retrying" and e.stage == stage and "timed out" in (e.message or "")
               for e in events)


def test_a_solve_s_request_timeout_bounds_its_stalled_submit(emulator: Emulator) -> None:
    events: List[capbridge.SolveEvent] = []
    stall_once(emulator, "in")
    with capbridge.Client(emulator.url, fresh_key(), request_timeout=HOUR, **FAST) as c:
        s = c.solve(V2, request_timeout=0.3, on_event=events.append)
    assert s.answer == emulator.task(s.task_id)["answer"]
    assert timed_out(events, "submit"), [str(e) for e in events]


def test_a_wait_s_request_timeout_bounds_its_stalled_poll(emulator: Emulator) -> None:
    events: List[capbridge.SolveEvent] = []
    with capbridge.Client(emulator.url, fresh_key(), request_timeout=HOUR, batch_polling=False,
                          **FAST) as c:
        task_id = c.submit(V2)
        # Set before the first poll of the wait: nothing races it.
        stall_once(emulator, "res")
        s = c.wait(task_id, request_timeout=0.3, on_event=events.append)
    assert s.answer == emulator.task(task_id)["answer"]
    assert timed_out(events, "poll"), [str(e) for e in events]


def test_async_submit_takes_its_own_request_timeout(emulator: Emulator) -> None:
    events: List[capbridge.SolveEvent] = []
    key = fresh_key()

    async def go() -> str:
        async with capbridge.AsyncClient(emulator.url, key, request_timeout=HOUR,
                                         on_event=events.append, **FAST) as c:
            return await c.submit(V2, request_timeout=0.3)

    stall_once(emulator, "in")
    task_id = asyncio.run(go())
    # The stalled submit created a task too (the emulator processes it): two, this one among them.
    assert task_id in [str(i) for i in emulator.task_ids(key)]
    assert timed_out(events, "submit"), [str(e) for e in events]
