"""What a hostile or broken server and odd input must not do to a Python user (issue 10's
findings, as they show in Python): huge durations refused before anything is sent, broken
proxy escapes refused, replies that are not UTF-8 and empty answers as service errors with the
task id, JSON numbers read by value, and secrets a server echoes never shown back."""

from __future__ import annotations

import asyncio
import pickle
import urllib.parse
from typing import Any, Dict, List

import pytest

import capbridge
from conftest import FAST, Emulator, fresh_key

URL = "https://example.com/login"
SITEKEY = "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-"
V2 = capbridge.RecaptchaV2(URL, SITEKEY)
HUGE = [1e19, 1e20, float("inf"), float("nan"), -1]
DURATIONS = ["timeout", "initial_delay", "poll_interval", "request_timeout"]


def fast_without(*names: str) -> Dict[str, Any]:
    return {k: v for k, v in FAST.items() if k not in names}


@pytest.mark.parametrize("option", DURATIONS)
def test_huge_durations_are_refused_naming_the_option_before_anything_is_sent(emulator: Emulator,
                                                                              option: str) -> None:
    for value in HUGE:
        for cls in (capbridge.Client, capbridge.AsyncClient):
            with pytest.raises(capbridge.UsageError) as e:
                cls(emulator.url, fresh_key(), **{option: value}, **fast_without(option))
            assert e.value.option == option, str(e.value)
            assert str(e.value).startswith(f"{cls.__name__}(...): {option}: "), str(e.value)
        with capbridge.Client(emulator.url, fresh_key(), **FAST) as c:
            with pytest.raises(capbridge.UsageError) as e:
                c.solve(V2, **{option: value})
            assert e.value.option == option and str(e.value).startswith(f"Client.solve(...): {option}: "), str(e.value)
            with pytest.raises(capbridge.UsageError) as e:
                c.wait("72000000001", **{option: value})
            assert e.value.option == option, str(e.value)
            if option in ("timeout", "request_timeout"):
                with pytest.raises(capbridge.UsageError) as e:
                    c.submit(V2, **{option: value})
                assert e.value.option == option, str(e.value)

        async def per_call_async() -> None:
            async with capbridge.AsyncClient(emulator.url, fresh_key(), **FAST) as ac:
                with pytest.raises(capbridge.UsageError) as e:
                    await ac.solve(V2, **{option: value})
                assert e.value.option == option and str(e.value).startswith(f"AsyncClient.solve(...): {option}: ")

        asyncio.run(per_call_async())
    assert emulator.counters()["requests"] == 0, "nothing was sent"
    # The client still works afterwards.
    with capbridge.Client(emulator.url, fresh_key(), **FAST) as c:
        assert c.solve(V2).answer.startswith("03AG")


def test_a_proxy_with_broken_escapes_is_an_invalid_task() -> None:
    for proxy in ["http://user:p%zz@1.2.3.4:80", "http://us%4@1.2.3.4:80", "http://user:pass%@1.2.3.4:80"]:
        with pytest.raises(capbridge.InvalidTaskError) as e:
            capbridge.RecaptchaV2(URL, SITEKEY, proxy=proxy)
        assert e.value.field == "proxy" and str(e.value).startswith("RecaptchaV2(...): proxy: "), str(e.value)
    assert capbridge.RecaptchaV2(URL, SITEKEY, proxy="http://user:p%40ss@1.2.3.4:80").proxy is not None


def test_a_reply_that_is_not_utf8_is_a_service_error_with_the_task_id(emulator: Emulator) -> None:
    emulator.fault(fault="non_utf8", endpoint="res")
    with capbridge.Client(emulator.url, fresh_key(), **FAST) as c:
        with pytest.raises(capbridge.ServiceError) as e:
            c.solve(V2)
    assert e.value.task_id is not None and e.value.code == "NOT_UTF8", repr(e.value)
    assert "\ufffd" not in str(e.value)


@pytest.mark.parametrize("body", ["OK|", '{"status":1,"request":""}'])
def test_an_empty_answer_is_a_service_error_with_the_task_id(emulator: Emulator, body: str) -> None:
    emulator.fault(fault="reply", endpoint="res", status=200, body=body)
    with capbridge.Client(emulator.url, fresh_key(), **FAST) as c:
        with pytest.raises(capbridge.ServiceError) as e:
            c.solve(V2)
    assert e.value.task_id is not None and e.value.task_id in str(e.value), repr(e.value)


def test_a_status_written_as_a_float_is_solved(emulator: Emulator) -> None:
    emulator.fault(fault="reply", endpoint="res", status=200, body='{"status":1.0,"request":"tok"}')
    with capbridge.Client(emulator.url, fresh_key(), **FAST) as c:
        s = c.solve(V2)
    assert s.answer == "tok"


# ---- secrets echoed back --------------------------------------------------------------------

PASSWORD = "p@ss w0rd!"


def leaks(text: str, key: str) -> List[str]:
    spellings = [key, key[:12], key[20:], PASSWORD, "p%40ss", "p@ss", "w0rd",
                 urllib.parse.quote(PASSWORD, safe=""), urllib.parse.quote_plus(PASSWORD)]
    return [s for s in spellings if s in text]


def error_texts(e: capbridge.CaptchaError) -> str:
    return " | ".join([str(e), repr(e), str(e.code), e.message, repr(e.args),
                       repr(pickle.dumps(e)), repr(pickle.loads(pickle.dumps(e)).__dict__)])


@pytest.mark.parametrize("proxy", [
    "http://user:p%40ss%20w0rd%21@1.2.3.4:3128",
    {"type": "HTTP", "host": "1.2.3.4", "port": 3128, "login": "user", "password": PASSWORD},
    {"type": "HTTP", "uri": "user:p%40ss%20w0rd%21@1.2.3.4:3128"},
])
def test_a_server_echoing_the_request_never_shows_the_key_or_proxy_password(emulator: Emulator,
                                                                             proxy: Any) -> None:
    key = fresh_key()
    events: List[capbridge.SolveEvent] = []
    task = capbridge.RecaptchaV2(URL, SITEKEY, proxy=proxy)
    assert not leaks(repr(task), key), repr(task)
    # Submits, polls and the balance all get the request back verbatim (form-encoded body,
    # query, headers).
    emulator.fault(fault="echo")
    with capbridge.Client(emulator.url, key, **fast_without("timeout", "retry"), timeout=3.0, on_event=events.append,
                          retry={"base_delay": 0.01, "max_delay": 0.05}) as c:
        with pytest.raises(capbridge.CaptchaError) as e:
            c.solve(task)
        with pytest.raises(capbridge.CaptchaError) as b:
            c.balance()
        with pytest.raises(capbridge.CaptchaError) as r:
            c.result("72000000001")
    echoed = emulator.counters()["faults_injected"]
    assert echoed >= 3, echoed
    for err in (e.value, b.value, r.value):
        text = error_texts(err)
        assert not leaks(text, key), (leaks(text, key), text)
    assert events, "the solve had events"
    texts = " | ".join(str(ev) + repr(ev) + str(ev.message) + str(ev.code) for ev in events)
    assert not leaks(texts, key), (leaks(texts, key), texts)
    # The echo did reach the error (the request line and body, masked).
    assert "in.php" in str(e.value) or "in.php" in texts, str(e.value)


def test_a_proxy_password_with_a_raw_at_sign_is_masked_whole(emulator: Emulator) -> None:
    task = capbridge.RecaptchaV2(URL, SITEKEY, proxy="http://u:p@ss@1.2.3.4:80")
    assert "ss@" not in repr(task) and "p@ss" not in repr(task), repr(task)
    assert "1.2.3.4:80" in repr(task)
    key = fresh_key()
    emulator.fault(fault="echo")
    events: List[capbridge.SolveEvent] = []
    with capbridge.Client(emulator.url, key, **fast_without("timeout", "retry"), timeout=2.0, on_event=events.append,
                          retry={"base_delay": 0.01, "max_delay": 0.05}) as c:
        with pytest.raises(capbridge.CaptchaError) as e:
            c.solve(task)
    text = error_texts(e.value) + " | ".join(str(ev) + repr(ev) for ev in events)
    for secret in ("p@ss", "p%40ss", "ss@1.2.3.4", "ss%401.2.3.4", key):
        assert secret not in text, (secret, text)
