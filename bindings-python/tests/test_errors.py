"""Every exception class, provoked against the emulator, and the shared reply vectors replayed
as the service's replies."""

from __future__ import annotations

import builtins
import json
import pickle
import socket
from typing import Any, Dict

import pytest

import capbridge
from conftest import FAST, KEY, VECTORS, Emulator, fresh_key, image

V2 = capbridge.RecaptchaV2("https://example.com/login", "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-")


def v2(sitekey: str) -> capbridge.RecaptchaV2:
    return capbridge.RecaptchaV2("https://example.com/login", sitekey)


def test_hierarchy() -> None:
    assert issubclass(capbridge.TimeoutError, builtins.TimeoutError)
    assert issubclass(capbridge.TimeoutError, capbridge.CaptchaError)
    assert issubclass(capbridge.InvalidTaskError, ValueError)
    assert issubclass(capbridge.UsageError, ValueError)
    for name in ("InvalidTaskError", "AuthError", "BalanceError", "RateLimitError", "ProxyError",
                 "UnsolvableError", "NotFoundError", "ReportError", "TimeoutError", "NetworkError",
                 "ServiceError", "CancelledError", "UsageError"):
        assert issubclass(getattr(capbridge, name), capbridge.CaptchaError), name


def test_invalid_task_auth_balance(emulator: Emulator) -> None:
    with capbridge.Client(emulator.url, KEY, **FAST) as c:
        with pytest.raises(capbridge.InvalidTaskError) as e:
            c.solve(capbridge.RecaptchaV2("ftp://x", "k"))
        assert (e.value.kind, e.value.field, e.value.code) == ("invalid_task", "website_url", None)
        emulator.rule(submit_error="ERROR_PAGEURL", times=1)
        with pytest.raises(capbridge.InvalidTaskError) as e:
            c.solve(V2)
        assert e.value.code == "ERROR_PAGEURL"

    key = fresh_key()
    emulator.account(key, exists=False)
    with capbridge.Client(emulator.url, key, **FAST) as c:
        with pytest.raises(capbridge.AuthError) as e:
            c.solve(V2)
        assert (e.value.code, e.value.retryable) == ("ERROR_KEY_DOES_NOT_EXIST", False)
        with pytest.raises(capbridge.AuthError) as e:
            c.balance()
        assert str(e.value).startswith("auth [ERROR_KEY_DOES_NOT_EXIST]: not sent")

    key = fresh_key()
    emulator.account(key, balance=0)
    with capbridge.Client(emulator.url, key, **FAST) as c:
        with pytest.raises(capbridge.BalanceError) as e:
            c.solve(V2)
        assert e.value.retry_after == 60.0


def test_rate_limit_proxy_unsolvable_not_found_report_service(emulator: Emulator) -> None:
    emulator.rule(when={"sitekey": "limit"}, submit_error="ERROR: 1001")
    emulator.rule(when={"sitekey": "badproxy"}, submit_error="ERROR_BAD_PROXY")
    emulator.rule(when={"sitekey": "unsolvable"}, result_error="ERROR_CAPTCHA_UNSOLVABLE")
    emulator.rule(when={"sitekey": "newcode"}, submit_error="ERROR_SOMETHING_NEW")
    with capbridge.Client(emulator.url, fresh_key(), **FAST) as c:
        with pytest.raises(capbridge.RateLimitError) as e:
            c.solve(v2("limit"))
        assert (e.value.code, e.value.retry_after, e.value.retryable) == ("ERROR: 1001", 600.0, True)
    with capbridge.Client(emulator.url, fresh_key(), **FAST) as c:
        with pytest.raises(capbridge.ProxyError) as e:
            c.solve(v2("badproxy"))
        assert e.value.field == "proxy"
        with pytest.raises(capbridge.UnsolvableError) as e:
            c.solve(v2("unsolvable"))
        assert e.value.task_id is not None and e.value.retryable
        unsolved = e.value.task_id
        with pytest.raises(capbridge.NotFoundError) as e:
            c.result("123")
        assert (e.value.code, e.value.task_id) == ("ERROR_WRONG_CAPTCHA_ID", "123")
        with pytest.raises(capbridge.ReportError):
            c.report(unsolved, False)
        with pytest.raises(capbridge.ServiceError) as e:
            c.solve(v2("newcode"))
        assert e.value.code == "ERROR_SOMETHING_NEW"


def test_timeout_keeps_the_task_id_and_is_a_builtin_timeout(make_emulator: Any) -> None:
    emu = make_emulator("--delay-ms", "400")
    with capbridge.Client(emu.url, KEY, **FAST) as c:
        with pytest.raises(TimeoutError) as e:  # the builtin catches it too
            c.solve(V2, timeout=0.15)
        err = e.value
        assert isinstance(err, capbridge.TimeoutError)
        assert err.task_id is not None and err.kind == "timeout"
        import time
        time.sleep(0.4)
        s = c.result(err.task_id)
        assert s is not None and s.task_id == err.task_id


def test_network_usage_and_closed_clients() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with capbridge.Client(f"http://127.0.0.1:{port}/", KEY, retry=capbridge.RetryPolicy(base_delay=0.005)) as c:
        with pytest.raises(capbridge.NetworkError) as e:
            c.balance()
        assert KEY not in str(e.value) and KEY not in repr(e.value)
    with pytest.raises(capbridge.UsageError):
        capbridge.Client("no-such-provider", KEY)
    with pytest.raises(capbridge.UsageError):
        capbridge.Client("2captcha", KEY, limits=capbridge.Limits.unlimited())
    with pytest.raises(capbridge.UsageError):
        capbridge.Client("2captcha", KEY, timeout=-1)
    c = capbridge.Client("2captcha", KEY)
    c.close()
    with pytest.raises(capbridge.UsageError):
        c.balance()
    with pytest.raises(capbridge.UsageError):
        capbridge.Client("2captcha", KEY).solve("not a task")  # type: ignore[arg-type]


def test_errors_pickle_with_their_fields(emulator: Emulator) -> None:
    with capbridge.Client(emulator.url, KEY, **FAST) as c:
        with pytest.raises(capbridge.NotFoundError) as e:
            c.result("99")
    back = pickle.loads(pickle.dumps(e.value))
    assert type(back) is capbridge.NotFoundError
    assert (back.kind, back.code, back.task_id, str(back)) == (e.value.kind, e.value.code, "99", str(e.value))


# ---- the shared reply vectors, replayed as the service's replies -------------------------

REPLIES = [c for c in json.loads((VECTORS / "replies.json").read_text())["cases"] if c["call"] != "batch"]


def expect_error(err: capbridge.CaptchaError, want: Dict[str, Any]) -> None:
    assert err.kind == want["kind"], str(err)
    if "code" in want:
        assert err.code == want["code"], str(err)
    if "retryable" in want:
        assert err.retryable == want["retryable"], str(err)


@pytest.mark.parametrize("case", REPLIES, ids=lambda c: c["name"])
def test_reply_vectors(emulator: Emulator, case: Dict[str, Any]) -> None:
    endpoint = "in" if case["call"] == "submit" else "res"
    emulator.fault(fault="reply", endpoint=endpoint, status=case["status"], body=case["body"])
    want = case["expect"]
    with capbridge.Client(emulator.url, fresh_key(), timeout=0.4, **{k: v for k, v in FAST.items() if k != "timeout"}) as c:
        call = {
            "submit": lambda: c.submit(capbridge.ImageToText(image("captcha.png"))),
            "poll": lambda: c.result("2122988149"),
            "balance": lambda: c.balance(),
            "report": lambda: c.report("2122988149", True),
        }[case["call"]]
        if "error" in want:
            with pytest.raises(capbridge.CaptchaError) as e:
                call()
            err = e.value
            code = want["error"].get("code", "")
            if case["call"] == "submit" and err.kind == "timeout":
                # The engine retries a submit's transient faults (and pauses on MAX_USER_TURN)
                # until the deadline, then names the last failure.
                assert want["error"].get("retryable") or code == "MAX_USER_TURN", str(err)
                assert code in str(err), str(err)
            elif case["call"] == "submit" and code in ("EMPTY", "TRUNCATED"):
                # A reply that may hide a created task: resubmitted only as the policy allows.
                assert err.kind == "network" and "may have created a task" in str(err), str(err)
            else:
                expect_error(err, want["error"])
        else:
            got = call()
            if "task_id" in want:
                assert got == want["task_id"]
            elif "ready" in want:
                assert got is not None and got.answer == want["ready"]["answer"]
                for k in ("user_agent", "resp_key"):
                    if k in want["ready"]:
                        assert getattr(got, k) == want["ready"][k]
            elif "not_ready" in want:
                assert got is None
            elif "balance" in want:
                assert got == want["balance"]
            else:
                assert got is None
