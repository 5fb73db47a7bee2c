"""A client made before the process forks keeps working in the child: `os.fork`, and a
`multiprocessing` pool (fork start method) whose workers inherit the client."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
import sys
from typing import Any, List, Optional, Tuple

import pytest

import capbridge
from conftest import FAST, KEY, Emulator

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

V2 = capbridge.RecaptchaV2("https://example.com/login", "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-")
CLIENT: Optional[capbridge.Client] = None


def in_child(work: Any) -> Tuple[int, bytes]:
    """Runs `work()` in a forked child; returns its exit code and the pickled result."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 0
        try:
            out = pickle.dumps(work())
        except BaseException as e:  # noqa: BLE001 - reported to the parent
            out, code = pickle.dumps(e), 1
        os.write(w, out)
        os.close(w)
        os._exit(code)
    os.close(w)
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.close(r)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), data


def test_os_fork_child_solves_with_the_parents_clients(emulator: Emulator) -> None:
    client = capbridge.Client(emulator.url, KEY, **FAST)
    parent = client.solve(V2)  # the parent's engine is running when the process forks
    aclient = capbridge.AsyncClient(emulator.url, KEY, **FAST)

    async def parent_async() -> capbridge.Solution:
        return await aclient.solve(V2)

    asyncio.run(parent_async())

    def work() -> List[capbridge.Solution]:
        async def child_async() -> capbridge.Solution:
            return await aclient.solve(V2)

        return [client.solve(V2), client.solve(V2), asyncio.run(child_async())]

    code, data = in_child(work)
    got = pickle.loads(data)
    assert code == 0, repr(got)
    assert all(isinstance(s, capbridge.Solution) for s in got)
    assert len({s.task_id for s in got} | {parent.task_id}) == 4
    # The parent's client still works after the fork.
    assert client.solve(V2).answer.startswith("03AG")
    client.close()
    aclient.close()


def solve_in_worker(i: int) -> Tuple[int, str, str]:
    assert CLIENT is not None
    s = CLIENT.solve(V2)
    return os.getpid(), s.task_id, s.answer


def test_a_multiprocessing_pool_inherits_a_client(emulator: Emulator) -> None:
    global CLIENT
    CLIENT = capbridge.Client(emulator.url, KEY, **FAST)
    CLIENT.solve(V2)  # the engine runs in the parent before the pool forks
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(3) as pool:
        results = pool.map(solve_in_worker, range(9))
    assert len({task_id for _, task_id, _ in results}) == 9
    assert len({pid for pid, _, _ in results}) >= 2
    assert all(answer.startswith("03AG") for _, _, answer in results)
    assert CLIENT.solve(V2).answer.startswith("03AG")
    CLIENT.close()
    CLIENT = None


def test_errors_and_solutions_cross_process_boundaries(emulator: Emulator) -> None:
    client = capbridge.Client(emulator.url, KEY, **FAST)

    def work() -> Any:
        try:
            client.result("1")
        except capbridge.CaptchaError as e:
            return e
        return None

    code, data = in_child(work)
    err = pickle.loads(data)
    assert code == 0 and isinstance(err, capbridge.NotFoundError) and err.task_id == "1", repr(err)
    assert sys.modules["capbridge"] is capbridge
