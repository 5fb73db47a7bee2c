"""capbridge's engine behind the shim: which client serves a call, how a solve runs, and how
its outcome reads as 2captcha-python's (the ``code`` text, the extended response, the
library's exception classes).

Clients are shared by every solver of the process that uses the same server, key, soft id and
reply mode, so that one engine spreads their submits, batches their polls and keeps the key's
limits (clients of one key share its limits in any case).
"""

from __future__ import annotations

import json
import logging
import re
import threading
from typing import Any, Dict, List, Mapping, Optional, Tuple

import capbridge
from capbridge import _native
from capbridge._client import _did_you_mean, _keywords, _native_options

from ._tasks import Submit
from .exceptions import api as api_errors
from .exceptions.solver import SolverExceptions, TimeoutException, ValidationException

log = logging.getLogger("capbridge.compat.twocaptcha")

DIFFERENCES = (
    "capbridge.compat.twocaptcha runs each call as a capbridge solve; where it differs from "
    "2captcha-python: submits are spread to keep the service's request limits (at most 60 "
    "in.php requests in 3 s, 100 ms apart), so a burst takes longer to submit instead of "
    "drawing MAX_USER_TURN; the first poll waits the service's documented time for the kind, "
    "then every pollingInterval; tasks in flight are polled together (one ids= request per "
    "interval) only for images, reCAPTCHA, MTCaptcha, Friendly Captcha, clicks, grids, text, "
    "audio and rotation, while FunCaptcha, Turnstile, GeeTest, GeeTest v4, Amazon WAF, "
    "DataDome, Lemin, methods sent as Raw (hCaptcha among them) and every task with "
    "extendedResponse are polled one by one; defaultTimeout and recaptchaTimeout bound the "
    "whole solve, submit included; the service's errors raise exceptions.api.ApiException, "
    "which derives from twocaptcha.ApiException; with a callback, the result holds the "
    "captchaId; reCAPTCHA v3 is sent with action=verify when none is given, and "
    "extendedResponse adds json=1 to in.php; a rotation or canvas sends its one image as "
    "base64 (several files in one rotate or vkimage go as the library's file parts), a hint "
    "image given as a path goes as base64 text (a file part beside several files), and image "
    "and audio URLs are downloaded (30 s); "
    "a server other than 2captcha.com or rucaptcha.com is https://host/ with batch polls; an "
    "unreachable service is retried until the deadline, then TimeoutException (not "
    "NetworkException); after ERROR_ZERO_BALANCE the key's submits fail at once for 60 s "
    "without being sent; api_client.res() takes get, getbalance, reportgood and reportbad "
    "only, and polls the ids of get with ids= one request each; a replacement api_client gets "
    "the original's fields and polling, without capbridge's engine (details: the README's "
    "migration section)"
)

# Durations capbridge accepts (it refuses others before sending anything).
_MAX_TIMEOUT = 7 * 24 * 3600.0
_MAX_INTERVAL = 24 * 3600.0

_lock = threading.Lock()
_noted = False
_sync_clients: Dict[Tuple[Any, ...], capbridge.Client] = {}
_async_clients: Dict[Tuple[Any, ...], capbridge.AsyncClient] = {}


def note_differences() -> None:
    """Logs the differences from the original once per process, at INFO."""
    global _noted
    with _lock:
        if _noted:
            return
        _noted = True
    log.info("%s", DIFFERENCES)


def target(server: str) -> Tuple[str, Dict[str, Any]]:
    """The capbridge provider of a ``server`` argument and the options it needs.

    ``2captcha.com`` and ``rucaptcha.com`` are capbridge's presets; any other host is a
    service speaking the same protocol (``https://`` + host, as the original builds it, or a
    URL given whole, such as a local emulator's ``http://127.0.0.1:8080/``), with batch
    polling on: the engine falls back to single polls when the service does not answer
    batches."""
    text = server.strip()
    bare = text.lower()
    for scheme in ("https://", "http://"):
        if bare.startswith(scheme):
            bare = bare[len(scheme):]
    bare = bare.rstrip("/")
    if bare in ("2captcha.com", "www.2captcha.com"):
        return "2captcha", {}
    if bare in ("rucaptcha.com", "www.rucaptcha.com"):
        return "rucaptcha", {}
    url = text if "://" in text else "https://" + text
    if not url.endswith("/"):
        url += "/"
    return url, {"batch_polling": True}


Options = Optional[Mapping[str, Any]]
"""capbridge client options a solver adds (``TwoCaptcha(..., capbridge_options={...})``)."""


# Options the shim sets itself from the solver's arguments, which a value in capbridge_options
# would lose to without a word.
_SOLVER_SET = {
    "soft_id": "softId",
    "json_replies": "extendedResponse",
    "api_key": "apiKey",
    "provider": "server",
    "protocol": "server",
}
# The key the options are checked with: no client is made, nothing is sent.
_CHECK_KEY = "capbridge-compat-options-check"
_client_options: Optional[Tuple[List[str], List[str]]] = None


def _option_names() -> Tuple[List[str], List[str]]:
    """capbridge.Client's options, and its durations (for the seconds hint)."""
    global _client_options
    if _client_options is None:
        names, durations = _keywords(capbridge.Client.__init__)
        _client_options = [n for n in names if n not in ("provider", "api_key")], durations
    return _client_options


def checked_options(server: str, extra: Options) -> Dict[str, Any]:
    """``capbridge_options`` checked when the solver is made, as :class:`capbridge.Client`
    checks its own, rather than at the first solve (an unknown name then raised a bare
    ``TypeError`` from inside the shim): an unknown name (with the nearest one), an option the
    solver's own arguments set, or a value capbridge refuses raises
    :class:`ValidationException`, before anything is sent. The values are checked as
    ``capbridge.Client`` checks them, without making one (no receiver bound, no Redis link)."""
    if extra is None:
        return {}
    if not isinstance(extra, Mapping):
        raise ValidationException(
            f"capbridge_options: expected a dict of capbridge.Client's options, got {type(extra).__name__}"
        )
    options = dict(extra)
    if not options:
        return options
    names, durations = _option_names()
    for key in options:
        if not isinstance(key, str):
            raise ValidationException(f"capbridge_options: option names are text, got {key!r}")
        if key in _SOLVER_SET:
            raise ValidationException(
                f"capbridge_options: {key!r} is set by the solver's {_SOLVER_SET[key]} argument; give it there"
            )
        if key not in names:
            hint = _did_you_mean(key, names, durations) or " (see help(capbridge.Client))"
            raise ValidationException(f"capbridge_options: unexpected option {key!r}{hint}")
    provider, client_options = _options(server, None, False, options)
    if options.get("on_event") is not None and not callable(options["on_event"]):
        raise ValidationException(
            f"capbridge_options: on_event: expected a function, got {type(options['on_event']).__name__}"
        )
    try:
        _native.NativeClient.check(
            _native_options({"provider": provider, "api_key": _CHECK_KEY, **client_options})
        )
    except capbridge.CaptchaError as e:
        # Only an option given here is this argument's fault; anything else (a server
        # capbridge cannot use) is said by the first call, as before.
        if e.option is not None and re.split(r"[.\[]", e.option)[0] in options:
            message = e.message.removeprefix("Client(...): ")
            raise ValidationException(f"capbridge_options: {message}", kind=e.kind, code=e.code) from None
    return options


def _options(server: str, soft_id: Optional[str], extended: bool, extra: Options) -> Tuple[str, Dict[str, Any]]:
    provider, options = target(server)
    options.update(extra or {})
    options["soft_id"] = soft_id
    # The original asks for JSON replies only with extendedResponse (and then reads the
    # reply's extra fields, so each task is polled alone); otherwise replies are plain text,
    # read in batches.
    options["json_replies"] = extended
    if extended:
        options["batch_polling"] = False
    return provider, options


def _ident(server: str, key: str, soft_id: Optional[str], extended: bool, extra: Options) -> Tuple[Any, ...]:
    return (server, key, soft_id, extended, json.dumps(dict(extra or {}), sort_keys=True, default=repr))


def sync_client(server: str, key: str, soft_id: Optional[str], extended: bool, extra: Options = None) -> capbridge.Client:
    """The shared blocking client of a server, key, soft id, reply mode and options."""
    ident = _ident(server, key, soft_id, extended, extra)
    with _lock:
        client = _sync_clients.get(ident)
        if client is None:
            provider, options = _options(server, soft_id, extended, extra)
            client = _sync_clients[ident] = capbridge.Client(provider, key, **options)
        return client


def async_client(server: str, key: str, soft_id: Optional[str], extended: bool, extra: Options = None) -> capbridge.AsyncClient:
    """The shared asyncio client of a server, key, soft id, reply mode and options."""
    ident = _ident(server, key, soft_id, extended, extra)
    with _lock:
        client = _async_clients.get(ident)
        if client is None:
            provider, options = _options(server, soft_id, extended, extra)
            client = _async_clients[ident] = capbridge.AsyncClient(provider, key, **options)
        return client


def timeout_of(value: Any) -> float:
    """A solve's deadline in seconds, within what capbridge accepts."""
    t = float(value)
    return min(max(t, 0.001), _MAX_TIMEOUT)


def interval_of(value: Any) -> Optional[float]:
    """A poll interval in seconds; ``None`` (capbridge's documented default) for 0."""
    t = float(value)
    if t <= 0:
        return None
    return min(t, _MAX_INTERVAL)


def refused_kind(e: capbridge.CaptchaError) -> bool:
    """A typed task the provider does not offer, refused before anything was sent: the
    library would have sent the fields and let the service answer, so the raw task does."""
    return isinstance(e, capbridge.UsageError) and e.task_id is None and e.option is None


def failure(e: BaseException, timeout: Optional[float] = None) -> BaseException:
    """A capbridge error as the exception 2captcha-python raises in its place, with
    capbridge's ``kind``, ``code``, ``retryable``, ``retry_after`` and ``task_id``."""
    if not isinstance(e, capbridge.CaptchaError):
        return e
    attrs: Dict[str, Any] = dict(
        kind=e.kind, code=e.code, retryable=e.retryable, retry_after=e.retry_after, task_id=e.task_id
    )
    err: SolverExceptions
    if e.kind == "timeout":
        err = TimeoutException(f"timeout {timeout} exceeded", **attrs)
    elif e.kind in ("network", "cancelled"):
        err = api_errors.NetworkException(e.message, **attrs)
    elif e.kind == "service" and e.code is not None and e.code.startswith("HTTP "):
        err = api_errors.NetworkException(f"bad response: {e.code[5:]}", **attrs)
    elif e.kind in ("usage", "invalid_task") and e.code is None:
        err = ValidationException(e.message, **attrs)
    else:
        # The service's own code, as the original's ApiClient raises it.
        err = api_errors.ApiException(e.code or e.message, **attrs)
    return err


def code_of(solution: capbridge.Solution) -> str:
    """The answer as the original reads it after ``OK|`` (structured answers as the
    service's compact JSON)."""
    raw = solution.raw
    request = raw.get("request") if isinstance(raw, dict) else None
    if isinstance(request, str):
        return request
    if request is None:
        return solution.answer
    return json.dumps(request, separators=(",", ":"), ensure_ascii=False)


def reply_of(solution: capbridge.Solution, extended: bool) -> Any:
    """``get_result``'s value: the code, or with ``extendedResponse`` the whole JSON reply."""
    if extended:
        raw = solution.raw
        if isinstance(raw, dict) and "status" in raw:
            return dict(raw)
        return {"status": 1, "request": code_of(solution)}
    return code_of(solution)


def result_of(solution: capbridge.Solution, extended: bool) -> Dict[str, Any]:
    """``solve``'s value: ``{"captchaId": ..., "code": ...}``, or with ``extendedResponse``
    the reply's fields besides (``request`` named ``code``, without ``status``)."""
    result: Dict[str, Any] = {"captchaId": solution.task_id}
    if extended:
        reply = reply_of(solution, True)
        result.update({("code" if k == "request" else k): v for k, v in reply.items() if k != "status"})
    else:
        result["code"] = code_of(solution)
    return result


def solve(client: capbridge.Client, submit: Submit, timeout: float, interval: Any) -> capbridge.Solution:
    """Runs one solve (typed task, else raw) within ``timeout`` seconds, polling every
    ``interval``, raising the library's exceptions."""
    t, i = timeout_of(timeout), interval_of(interval)
    try:
        typed = submit.typed()
        if typed is not None:
            try:
                return client.solve(typed, timeout=t, poll_interval=i)
            except capbridge.CaptchaError as e:
                if not refused_kind(e):
                    raise
        return client.solve(submit.raw(), timeout=t, poll_interval=i)
    except capbridge.CaptchaError as e:
        raise failure(e, timeout) from e


async def solve_async(
    client: capbridge.AsyncClient, submit: Submit, timeout: float, interval: Any
) -> capbridge.Solution:
    """:func:`solve` on the asyncio client."""
    t, i = timeout_of(timeout), interval_of(interval)
    try:
        typed = submit.typed()
        if typed is not None:
            try:
                return await client.solve(typed, timeout=t, poll_interval=i)
            except capbridge.CaptchaError as e:
                if not refused_kind(e):
                    raise
        return await client.solve(submit.raw(), timeout=t, poll_interval=i)
    except capbridge.CaptchaError as e:
        raise failure(e, timeout) from e


def submit(client: capbridge.Client, sub: Submit) -> str:
    """Submits without waiting (``send``, or ``solve`` with a callback); the task id."""
    try:
        typed = sub.typed()
        if typed is not None:
            try:
                return client.submit(typed)
            except capbridge.CaptchaError as e:
                if not refused_kind(e):
                    raise
        return client.submit(sub.raw())
    except capbridge.CaptchaError as e:
        raise failure(e) from e


async def submit_async(client: capbridge.AsyncClient, sub: Submit) -> str:
    """:func:`submit` on the asyncio client."""
    try:
        typed = sub.typed()
        if typed is not None:
            try:
                return await client.submit(typed)
            except capbridge.CaptchaError as e:
                if not refused_kind(e):
                    raise
        return await client.submit(sub.raw())
    except capbridge.CaptchaError as e:
        raise failure(e) from e

