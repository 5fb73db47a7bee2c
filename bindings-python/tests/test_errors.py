"""Every exception class, provoked against the emulator, and the shared reply vectors replayed
as the service's replies."""

from __future__ import annotations

import asyncio
import builtins
import decimal
import inspect
import json
import pickle
import socket
from typing import Any, Dict

import pytest

import capbridge
from conftest import FAST, HELD, KEY, VECTORS, Emulator, fresh_key, image, plain_python_words

V2 = capbridge.RecaptchaV2("https://example.com/login", "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-")


def v2(sitekey: str) -> capbridge.RecaptchaV2:
    return capbridge.RecaptchaV2("https://example.com/login", sitekey)


def test_hierarchy() -> None:
    assert issubclass(capbridge.SolveTimeoutError, builtins.TimeoutError)
    assert issubclass(capbridge.SolveTimeoutError, capbridge.CaptchaError)
    assert not issubclass(capbridge.SolveCancelledError, asyncio.CancelledError)
    assert issubclass(capbridge.InvalidTaskError, ValueError)
    assert issubclass(capbridge.UsageError, ValueError)
    for name in ("InvalidTaskError", "AuthError", "BalanceError", "RateLimitError", "ProxyError",
                 "UnsolvableError", "NotFoundError", "ReportError", "SolveTimeoutError", "NetworkError",
                 "ServiceError", "SolveCancelledError", "UsageError"):
        assert issubclass(getattr(capbridge, name), capbridge.CaptchaError), name
    # The fields are kept as given: the Python layer changes none of the core's values.
    assert capbridge.RateLimitError("x", retryable=False, retry_after=5.0).retry_after == 5.0
    assert capbridge.RateLimitError("x", retryable=True, retry_after=5.0).retry_after == 5.0


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
        assert str(e.value).startswith("auth [ERROR_KEY_DOES_NOT_EXIST]: "), str(e.value)

    key = fresh_key()
    emulator.account(key, balance=0)
    with capbridge.Client(emulator.url, key, **FAST) as c:
        with pytest.raises(capbridge.BalanceError) as e:
            c.solve(V2)
        # The core's rule (core/src/error: retry_after only when retryable), as the core
        # applied it: a zero balance is not retryable and has no retry_after.
        assert e.value.retryable is False and e.value.retry_after is None
        assert e.value.code == "ERROR_ZERO_BALANCE"


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


def test_timeout_keeps_the_task_id_and_wait_collects_it(make_emulator: Any) -> None:
    emu = make_emulator("--delay-ms", HELD)
    with capbridge.Client(emu.url, KEY, **FAST) as c:
        # The task is pending until let go; its submit goes out at once, long before the
        # deadline of a second.
        with pytest.raises(TimeoutError) as e:  # the builtin catches it too
            c.solve(V2, timeout=1.0)
        err = e.value
        assert isinstance(err, capbridge.SolveTimeoutError)
        assert err.task_id is not None and err.kind == "timeout" and err.retryable
        assert emu.finish() == 1
        s = c.wait(err.task_id)  # through the engine: polls until the answer
        assert s.task_id == err.task_id and s.answer.startswith("03AG")
        with pytest.raises(capbridge.SolveTimeoutError) as e2:
            c.wait(c.submit(V2), timeout=0.1)
        assert e2.value.task_id is not None


def test_network_usage_and_closed_clients() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with capbridge.Client(f"http://127.0.0.1:{port}/", KEY, retry={"base_delay": 0.005}) as c:
        with pytest.raises(capbridge.NetworkError) as e:
            c.balance()
        assert KEY not in str(e.value) and KEY not in repr(e.value)
    with pytest.raises(capbridge.UsageError) as u:
        capbridge.Client("no-such-provider", KEY)
    assert u.value.option == "provider"
    with pytest.raises(capbridge.UsageError) as u:
        capbridge.Client("2captcha", KEY, limits={"submit_interval": 0})
    assert u.value.option == "limits"
    with pytest.raises(capbridge.UsageError) as u:
        capbridge.Client("2captcha", KEY, timeout=-1)
    assert u.value.option == "timeout" and not u.value.retryable and u.value.retry_after is None
    assert "option='timeout'" in repr(u.value)
    c = capbridge.Client("2captcha", KEY)
    c.close()
    with pytest.raises(capbridge.UsageError) as u:
        c.balance()
    assert "Client.close() was called" in str(u.value)
    # Entering a closed client refuses at once, as a closed file does.
    with pytest.raises(capbridge.UsageError):
        with c:
            pass
    ac = capbridge.AsyncClient("2captcha", KEY)
    ac.close()

    async def enter() -> None:
        async with ac:
            pass

    with pytest.raises(capbridge.UsageError):
        asyncio.run(enter())


def test_errors_pickle_with_their_fields(emulator: Emulator) -> None:
    with capbridge.Client(emulator.url, KEY, **FAST) as c:
        with pytest.raises(capbridge.NotFoundError) as e:
            c.result("99")
    back = pickle.loads(pickle.dumps(e.value))
    assert type(back) is capbridge.NotFoundError
    assert (back.kind, back.code, back.task_id, str(back)) == (e.value.kind, e.value.code, "99", str(e.value))
    with pytest.raises(capbridge.UsageError) as u:
        capbridge.Client("2captcha", KEY, timeout="soon")  # type: ignore[arg-type]
    back2 = pickle.loads(pickle.dumps(u.value))
    assert (type(back2), back2.option, str(back2)) == (capbridge.UsageError, "timeout", str(u.value))
    for kind, cls in [("rate_limited", capbridge.RateLimitError), ("timeout", capbridge.SolveTimeoutError)]:
        err = cls("m", kind=kind, code="C", retryable=True, retry_after=3.0, task_id="7", field="f", option="o")
        b = pickle.loads(pickle.dumps(err))
        assert (type(b), b.kind, b.code, b.retryable, b.retry_after, b.task_id, b.field, b.option) == (
            cls, kind, "C", True, 3.0, "7", "f", "o")


def test_retryable_and_retry_after_agree_for_every_reply_vector(emulator: Emulator) -> None:
    seen = 0
    for case in REPLIES:
        if case["call"] == "submit":
            continue
        emulator.fault(fault="reply", endpoint="res", status=case["status"], body=case["body"], count=1)
        with capbridge.Client(emulator.url, fresh_key(), timeout=0.4, retry={"base_delay": 0.01, "max_delay": 0.05},
                              initial_delay=0.02, poll_interval=0.02) as c:
            try:
                {"poll": lambda: c.result("2122988149"), "balance": c.balance,
                 "report": lambda: c.report("2122988149", True)}[case["call"]]()
            except capbridge.CaptchaError as e:
                seen += 1
                assert (e.retry_after is None) or e.retryable, repr(e)
        emulator.clear_faults()
    assert seen > 5


# ---- the shared reply vectors, replayed as the service's replies -------------------------

# Replies the emulator can send as text (bodies that are not UTF-8 are the core's own codec
# tests' business); batch replies are the engine's.
REPLIES = [c for c in json.loads((VECTORS / "replies.json").read_text())["cases"]
           if c["call"] != "batch" and "body" in c]


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
    # A submit whose fault is retried until the deadline ends by a short one; every other
    # case ends by its reply, and gets the long deadline (a guard) so that no slow machine
    # turns its answer into a timeout.
    retried = case["call"] == "submit" and (want.get("error", {}).get("retryable")
                                            or want.get("error", {}).get("code") == "MAX_USER_TURN")
    timeout = 0.4 if retried else FAST["timeout"]
    with capbridge.Client(emulator.url, fresh_key(), timeout=timeout,
                          **{k: v for k, v in FAST.items() if k != "timeout"}) as c:
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
                assert retried, str(err)
                # It names the last failure, if the machine made an attempt before the
                # deadline (the emulator says whether it served the fault).
                if emulator.counters()["faults_injected"] > 0:
                    assert code in str(err), str(err)
            elif case["call"] == "submit" and (code in ("EMPTY", "TRUNCATED") or err.kind == "network"):
                # A reply that may hide a created task (empty, cut off, a fault page, a reply
                # the protocol does not define): resubmitted only as the policy allows, then
                # a network error that says so.
                assert want["error"]["kind"] in ("service", "network"), str(err)
                assert err.kind == "network" and "may have created a task" in str(err), str(err)
                assert 'retry["unknown_submit_retries"]' in str(err), str(err)
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
                assert isinstance(got, decimal.Decimal) and str(got) == want["balance"]
            else:
                assert got is None


def test_wrong_python_types_name_the_argument(emulator: Emulator) -> None:
    with capbridge.Client(emulator.url, KEY, **FAST) as c:
        for call, name in [
            (lambda: c.result(3.5), "task_id"),  # type: ignore[arg-type]
            (lambda: c.wait(None), "task_id"),  # type: ignore[arg-type]
            (lambda: c.report("1", "yes"), "good"),  # type: ignore[arg-type]
            (lambda: c.solve(V2, timeout="soon"), "timeout"),  # type: ignore[arg-type]
            (lambda: capbridge.Client(emulator.url, KEY, max_concurrent_requests=2**80), "max_concurrent_requests"),
            (lambda: capbridge.Client(emulator.url, KEY, limits={"submits_per_window": 2**80}), "limits.submits_per_window"),
            (lambda: capbridge.Client(emulator.url, KEY, retry=[1, 2]), "retry"),  # type: ignore[arg-type]
        ]:
            with pytest.raises(capbridge.UsageError) as e:
                call()
            assert e.value.option == name, str(e.value)
            assert plain_python_words(str(e.value)), str(e.value)
        with pytest.raises(capbridge.NotFoundError):
            c.result(99)  # an int id is an id


def test_zero_balance_at_a_json_preset_follows_the_core_rule(emulator: Emulator) -> None:
    key = fresh_key()
    emulator.account(key, balance=0)
    with capbridge.Client("capsolver", key, base_url=emulator.url + "capsolver/", **FAST) as c:
        with pytest.raises(capbridge.BalanceError) as e:
            c.solve(V2)
    assert (e.value.code, e.value.retryable, e.value.retry_after) == ("ERROR_ZERO_BALANCE", False, None), repr(e.value)


def test_a_misspelled_option_names_the_public_class_and_the_nearest_option() -> None:
    for cls in (capbridge.Client, capbridge.AsyncClient):
        name = cls.__name__
        with pytest.raises(TypeError) as e:
            cls("2captcha", KEY, tiemout=3)  # type: ignore[call-arg]
        text = str(e.value)
        assert text.startswith(f"{name}(...): "), text
        assert "'tiemout'" in text and "did you mean 'timeout'?" in text, text
        assert "_ClientBase" not in text and "__init__" not in text, text
        with pytest.raises(TypeError) as e:
            cls("2captcha", KEY, shared_limit="redis://x")  # type: ignore[call-arg]
        assert "did you mean 'shared_limits'?" in str(e.value), str(e.value)
        # Another library's milliseconds get the duration meant and its unit: `timeout=` with
        # the same number would wait a thousand times longer.
        for given, meant in (("timeout_ms", "timeout"), ("pollIntervalMs", "poll_interval"), ("timeoutMS", "timeout")):
            with pytest.raises(TypeError) as e:
                cls("2captcha", KEY, **{given: 5000})
            assert f"did you mean {meant!r}? It takes seconds" in str(e.value), str(e.value)
        with pytest.raises(TypeError) as e:
            cls("2captcha", KEY, zzzz=1)  # type: ignore[call-arg]
        assert str(e.value).startswith(f"{name}(...): unexpected keyword argument 'zzzz'"), str(e.value)
        with pytest.raises(TypeError) as e:
            cls("2captcha", KEY, 30)  # type: ignore[misc]
        assert str(e.value).startswith(f"{name}(...): ") and "_ClientBase" not in str(e.value), str(e.value)
    # help() still shows the real options.
    assert "timeout" in inspect.signature(capbridge.Client).parameters


def test_a_misspelled_keyword_of_a_verb_names_the_nearest_one(emulator: Emulator) -> None:
    """``solve``, ``submit``, ``wait`` (and ``aclose``) word a misspelled keyword as the
    constructor does, another library's milliseconds included, where Python's own error names
    no fix; refused before anything is sent, the verbs keeping their signatures."""
    seconds = "It takes seconds (or a datetime.timedelta), not milliseconds"
    with capbridge.Client(emulator.url, KEY, **FAST) as c:
        for call, want in [
            (lambda: c.solve(V2, timeout_ms=5000), f"Client.solve(...): unexpected keyword argument 'timeout_ms'; "
                                                   f"did you mean 'timeout'? {seconds}"),
            (lambda: c.solve(V2, poll_intervall=1), "Client.solve(...): unexpected keyword argument 'poll_intervall'; "
                                                    "did you mean 'poll_interval'?"),
            (lambda: c.wait("1", pollIntervalMs=500), f"Client.wait(...): unexpected keyword argument "
                                                      f"'pollIntervalMs'; did you mean 'poll_interval'? {seconds}"),
            (lambda: c.submit(V2, requestTimeoutMs=5), f"Client.submit(...): unexpected keyword argument "
                                                       f"'requestTimeoutMs'; did you mean 'request_timeout'? {seconds}"),
            # submit() has no polling options: it says where they go.
            (lambda: c.submit(V2, poll_interval=1), "Client.submit(...): unexpected keyword argument 'poll_interval': "
                                                    "submit() does not poll; give it to Client.wait() (or Client.solve())"),
            (lambda: c.solve(V2, zzzz=1), "Client.solve(...): unexpected keyword argument 'zzzz' "
                                          "(see help(capbridge.Client.solve))"),
        ]:
            with pytest.raises(TypeError) as e:
                call()  # type: ignore[call-arg]
            assert str(e.value) == want

    async def main() -> None:
        async with capbridge.AsyncClient(emulator.url, KEY, **FAST) as ac:
            with pytest.raises(TypeError) as e:
                await ac.solve(V2, timeoutMs=5000)  # type: ignore[call-arg]
            assert str(e.value) == (f"AsyncClient.solve(...): unexpected keyword argument 'timeoutMs'; "
                                    f"did you mean 'timeout'? {seconds}")
            with pytest.raises(TypeError) as e:
                await ac.submit(V2, initial_delay=1)  # type: ignore[call-arg]
            assert str(e.value).startswith("AsyncClient.submit(...): unexpected keyword argument 'initial_delay': "
                                           "submit() does not poll; give it to AsyncClient.wait()"), str(e.value)
            with pytest.raises(TypeError) as e:
                await ac.wait("1", timout=3)  # type: ignore[call-arg]
            assert str(e.value).endswith("'timout'; did you mean 'timeout'?"), str(e.value)
        with pytest.raises(TypeError) as e:
            await ac.aclose(grace_s=1)  # type: ignore[call-arg]
        assert str(e.value) == "AsyncClient.aclose(...): unexpected keyword argument 'grace_s'; did you mean 'grace'?"

    asyncio.run(main())
    assert emulator.counters()["requests"] == 0, "refused before anything was sent"
    # The verbs are still what they were to help(), to annotations and to callers telling the
    # clients apart (capbridge.browser checks that the async client's solve is a coroutine).
    for cls in (capbridge.Client, capbridge.AsyncClient):
        for verb in ("solve", "submit", "wait"):
            method = getattr(cls, verb)
            assert method.__name__ == verb and "timeout" in inspect.signature(method).parameters
            assert inspect.iscoroutinefunction(method) == (cls is capbridge.AsyncClient), (cls, verb)


def test_on_event_that_is_not_callable_is_refused_at_the_call(emulator: Emulator) -> None:
    for cls in (capbridge.Client, capbridge.AsyncClient):
        with pytest.raises(TypeError) as e:
            cls(emulator.url, KEY, on_event=5)  # type: ignore[arg-type]
        assert str(e.value) == f"{cls.__name__}(...): on_event: expected a function taking a SolveEvent, got int"
    with capbridge.Client(emulator.url, KEY, **FAST) as c:
        for call, verb in [(lambda: c.solve(V2, on_event=5), "solve"),  # type: ignore[arg-type]
                           (lambda: c.wait("1", on_event="print"), "wait")]:  # type: ignore[arg-type]
            with pytest.raises(TypeError) as e:
                call()
            assert str(e.value).startswith(f"Client.{verb}(...): on_event: "), str(e.value)

    async def main() -> None:
        async with capbridge.AsyncClient(emulator.url, KEY, **FAST) as ac:
            with pytest.raises(TypeError) as e:
                await ac.solve(V2, on_event=5)  # type: ignore[arg-type]
            assert str(e.value).startswith("AsyncClient.solve(...): on_event: "), str(e.value)

    asyncio.run(main())
    assert emulator.counters()["requests"] == 0, "refused before anything was sent"
