"""The options of issue 23 from Python: ``callback_listen`` (an answer pushed to this client's
own receiver, with no poll reaching the emulator), ``adaptive_waits`` (accepted, and the
first wait the events name), ``callback_url`` and ``shared_limits`` as a list of a Redis
Cluster's node URLs (accepted; refused when not texts). Decided from the events, the
emulator's counters and the answers."""

from __future__ import annotations

from typing import Any, List

import pytest

import capbridge
from conftest import Emulator, fresh_key

V2 = capbridge.RecaptchaV2("https://example.com/login", "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-")


def pushed_solves(emulator: Emulator, key: str, n: int, **options: Any) -> List[capbridge.SolveEvent]:
    """`n` solves, one after another, each pushed to the client's own receiver; their
    ``polled`` events."""
    events: List[capbridge.SolveEvent] = []
    with capbridge.Client("2captcha", key, base_url=emulator.url, callback_listen="127.0.0.1:0",
                          timeout=60.0, on_event=events.append, **options) as c:
        for _ in range(n):
            s = c.solve(V2)
            assert s.answer == emulator.task(s.task_id)["answer"]
    return [e for e in events if e.step == "polled"]


def test_pushed_answers_reach_the_caller_with_no_poll_and_teach_the_first_wait(emulator: Emulator) -> None:
    key = fresh_key()
    polled = pushed_solves(emulator, key, 11)
    # Each solve: one polled event, ready and pushed; no poll reached the emulator.
    assert [(e.ready, e.pushed) for e in polled] == [(True, True)] * 11, [str(e) for e in polled]
    assert emulator.counters()["keys"][key]["res_requests"] == 0
    # Learned waits (on by default) count each push: after 10, the first wait is learned.
    assert [e.first_wait for e in polled] == ["documented"] * 10 + ["learned"]


def test_adaptive_waits_off_keeps_the_documented_first_wait(emulator: Emulator) -> None:
    polled = pushed_solves(emulator, fresh_key(), 11, adaptive_waits=False)
    assert [(e.pushed, e.first_wait) for e in polled] == [(True, "documented")] * 11
    # The user's initial_delay wins, and the events say so.
    events: List[capbridge.SolveEvent] = []
    with capbridge.Client(emulator.url, fresh_key(), initial_delay=0.02, poll_interval=0.02,
                          timeout=10.0, on_event=events.append) as c:
        c.solve(V2)
    assert {e.first_wait for e in events if e.step == "polled"} == {"user"}
    with pytest.raises(capbridge.UsageError) as e:
        capbridge.Client(emulator.url, fresh_key(), adaptive_waits="no")  # type: ignore[arg-type]
    assert e.value.option == "adaptive_waits"


def test_shared_limits_takes_a_list_of_cluster_nodes_and_callback_url_a_text() -> None:
    nodes = ["redis://127.0.0.1:7000/", "redis://127.0.0.1:7001/", "redis://127.0.0.1:7002/"]
    # Made without a connection (the link connects in the background).
    with capbridge.Client("2captcha", fresh_key(), shared_limits=nodes,
                          callback_url="https://cb.example.com/capbridge/"):
        pass
    with capbridge.Client("2captcha", fresh_key(), shared_limits=tuple(nodes)):
        pass
    with pytest.raises(capbridge.UsageError) as e:
        capbridge.Client("2captcha", fresh_key(), shared_limits=[1, 2])  # type: ignore[list-item]
    assert e.value.option is not None and e.value.option.startswith("shared_limits")
