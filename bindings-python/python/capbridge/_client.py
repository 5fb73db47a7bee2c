"""The blocking client, and what both clients share: options, the native client, closing."""

from __future__ import annotations

import difflib
import functools
import inspect
from decimal import Decimal
from types import TracebackType
from typing import Any, Callable, Dict, List, Optional, Sequence, Type, TypeVar, Union, cast

from . import _native
from ._errors import UsageError
from ._events import EventCallback, checked, notices, sink
from ._native import Solution
from ._tasks import CaptchaTask
from ._types import FailoverPolicy, Limits, ProtocolName, ProviderLike, RetryPolicy, Seconds

_OPTIONS_DOC = """
    Args:
        provider: a preset name (``"2captcha"``, ``"rucaptcha"``, ``"bigcaptcha"``,
            ``"captchaai"``: form protocol; ``"capsolver"``, ``"anti-captcha"``,
            ``"capmonster"``, ``"nextcaptcha"``, ``"2captcha-v2"``: json protocol), or a base
            URL such as the local emulator's ``"http://127.0.0.1:8080/"``.
        api_key: the account's key.
        protocol: ``"form"`` (default) or ``"json"``, for a provider given as a base URL.
        base_url: sends a preset's requests to another base URL, keeping its behaviour
            (``Client("capsolver", key, base_url="http://127.0.0.1:8080/capsolver/")``).
        providers: failover, in order: ``[("capsolver", key1), ("2captcha", key2)]``, or
            dicts ``{"provider", "api_key", "base_url", "protocol"}``; follows ``provider``
            when both are given. ``Solution.provider`` says which one solved.
        failover: when a solve moves on: ``{"busy_for": 30.0, "outage_attempts": 3,
            "on_unsolvable": True}`` (the defaults).
        timeout: seconds a solve may take in all before :class:`SolveTimeoutError`.
            Default: the service's give-up time per kind plus a margin (form presets: 330 s
            for reCAPTCHA v2, 120 s for the others; json presets 120-180 s).
        initial_delay: seconds between the submit and the first poll. Default: the
            service's documented wait per kind: form presets 20 s for reCAPTCHA v2 and
            FunCaptcha, 15 s for v3, 10 s for hCaptcha and Turnstile, 5 s for images; json
            presets 2-5 s.
        poll_interval: seconds between polls. Default 5 s (form presets), 2-3 s (json).
        request_timeout: seconds each HTTP request may take. Default 30 s.
        max_concurrent_requests: HTTP requests in flight at once. Default 64.
        batch_polling: poll every task in flight with one request where the service allows
            it. Default: on for 2captcha and rucaptcha, off elsewhere (form protocol only).
        json_replies: form protocol: ask for JSON replies. Default True.
        header_acao: form protocol: send ``header_acao=1``. Default False.
        debug_dump: form protocol: send ``debug_dump=1``. Default False.
        soft_id: your software's id at the service (text or a whole number). Default none.
        limits: request limits for a provider given as a base URL (a dict; see
            :class:`capbridge.Limits`); a preset's limits cannot be changed.
        retry: how transient failures are retried (a dict; see
            :class:`capbridge.RetryPolicy`). Default: backoff from 1 s to 20 s.
        shared_limits: keep the key's limits in Redis (``"redis://host:6379/0"``) for every
            process and machine using the key, or a Redis Cluster's node URLs as a list
            (``["redis://h1:7000/", "redis://h2:7001/"]``). Default: this process alone.
        adaptive_waits: learn each kind's first wait from the solves seen (never under the
            service's documented minimum; a given ``initial_delay`` wins). Default True.
        callback_listen: an address (``"0.0.0.0:8088"``, ``"127.0.0.1:0"``) on which to run a
            receiver for answers the service pushes (pingback, callbackUrl); tasks are then
            polled only after a third of their deadline, as a safety net. Default none.
        callback_url: the public URL the service calls to push answers (a proxy's, or with
            ``shared_limits`` another member's receiver). Default: the receiver's own.
        on_event: a function receiving every :class:`SolveEvent` of every solve (on the thread
            that called ``solve``, or on the event loop), and, with ``shared_limits``, the
            client's own ``"shared_limits"`` events (Redis stopped answering: ``shared`` is
            False; it answers again: True), on a thread of capbridge's. Events also go to the
            ``capbridge`` logger (the fall back to this process's own limits at WARNING).
            Never sees the API key or a proxy password.

    Every option is checked when the client is made; a wrong one raises :class:`UsageError`
    naming it; a misspelled one raises :class:`TypeError` naming the nearest. Durations are
    seconds (a number, or a :class:`datetime.timedelta`).
"""


def _providers(entries: Any) -> Any:
    """``(provider, api_key)`` pairs as the dicts the core reads; anything else as it is (the
    core names the option in its error)."""
    if not isinstance(entries, (list, tuple)):
        return entries
    return [
        {"provider": e[0], "api_key": e[1]} if isinstance(e, tuple) and len(e) == 2 else e
        for e in entries
    ]


_Init = TypeVar("_Init", bound=Callable[..., None])


def _named_call(init: _Init) -> _Init:
    """A client's ``__init__`` whose argument errors name the public class (``Client(...)``,
    not this module's private base) and, for a misspelled option, the nearest one."""
    sig = inspect.signature(init)
    options = [name for name in sig.parameters if name != "self"]

    @functools.wraps(init)
    def call(self: Any, *args: Any, **kwargs: Any) -> None:
        name = f"{self._name}(...)"
        for key in kwargs:
            if key not in options:
                near = difflib.get_close_matches(key, options, n=1)
                hint = f"; did you mean {near[0]!r}?" if near else f" (see help(capbridge.{self._name}))"
                raise TypeError(f"{name}: unexpected keyword argument {key!r}{hint}")
        try:
            sig.bind(self, *args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{name}: {e}") from None
        init(self, *args, **kwargs)

    return cast(_Init, call)


class _ClientBase:
    """What both clients share: options, the native client, closing."""

    _name = "Client"

    @_named_call
    def __init__(
        self,
        provider: Optional[str] = None,
        api_key: Optional[str] = None,
        *,
        protocol: Optional[ProtocolName] = None,
        base_url: Optional[str] = None,
        providers: Optional[Sequence[ProviderLike]] = None,
        failover: Optional[FailoverPolicy] = None,
        timeout: Optional[Seconds] = None,
        initial_delay: Optional[Seconds] = None,
        poll_interval: Optional[Seconds] = None,
        request_timeout: Optional[Seconds] = None,
        max_concurrent_requests: Optional[int] = None,
        batch_polling: Optional[bool] = None,
        json_replies: Optional[bool] = None,
        header_acao: Optional[bool] = None,
        debug_dump: Optional[bool] = None,
        soft_id: Union[str, int, None] = None,
        limits: Optional[Limits] = None,
        retry: Optional[RetryPolicy] = None,
        shared_limits: Union[str, Sequence[str], None] = None,
        adaptive_waits: Optional[bool] = None,
        callback_listen: Optional[str] = None,
        callback_url: Optional[str] = None,
        on_event: Optional[EventCallback] = None,
    ) -> None:
        # Every keyword argument is an option of the core by the same name: passed on as
        # one dict, which the core reads, checks and documents (capbridge::options).
        given = dict(locals())
        on_event = checked(f"{self._name}(...)", on_event)
        options: Dict[str, Any] = {
            k: v for k, v in given.items() if k not in ("self", "on_event") and v is not None
        }
        if providers is not None:
            options["providers"] = _providers(providers)
        # The client's own events (shared limits going local and back) reach the logger and
        # on_event through `notices`, which holds on_event only (never the client).
        self._native: Optional[_native.NativeClient] = _native.NativeClient(
            options, self._name, notices(on_event)
        )
        self._on_event = on_event
        self._setup()

    def _setup(self) -> None:
        """Per-class state (the async client's loop channels)."""

    def _client(self) -> _native.NativeClient:
        native = self._native
        if native is None:
            raise UsageError(
                f"{self._name}.close() was called: this client no longer works; make a new one",
                kind="usage",
            )
        return native

    def _task(self, verb: str, task: CaptchaTask) -> _native.NativeTask:
        if not isinstance(task, CaptchaTask):
            raise UsageError(
                f"{self._name}.{verb}(...): task: expected a capbridge task (ImageToText, "
                f"RecaptchaV2, RecaptchaV3, HCaptcha, FunCaptcha, Turnstile), got {type(task).__name__}",
                kind="usage",
                option="task",
            )
        return task._parsed

    def _task_id(self, verb: str, task_id: object) -> str:
        if isinstance(task_id, int) and not isinstance(task_id, bool):
            return str(task_id)  # services' ids are digits; an int kept by the caller is one
        if not isinstance(task_id, str):
            raise UsageError(
                f"{self._name}.{verb}(...): task_id: expected the task id as text, got {type(task_id).__name__}",
                kind="usage",
                option="task_id",
            )
        return task_id

    @staticmethod
    def _good(verb: str, name: str, good: object) -> bool:
        if not isinstance(good, bool):
            raise UsageError(
                f"{name}.{verb}(...): good: expected True or False, got {type(good).__name__}",
                kind="usage",
                option="good",
            )
        return good

    @property
    def provider(self) -> str:
        """The (first) provider's name (``"custom"`` for a base URL)."""
        return self._client().provider

    @property
    def providers(self) -> List[str]:
        """Every provider's name, in failover order."""
        return self._client().providers

    def __repr__(self) -> str:
        native = self._native
        if native is None:
            return f"capbridge.{self._name}(closed)"
        return f"capbridge.{self._name}({native.provider!r}, base_url={native.base_url!r})"

    def _sink(self, verb: str, on_event: Optional[EventCallback]) -> Optional[EventCallback]:
        """The solve's event function: the client's ``on_event``, the call's, the logger."""
        return sink(self._on_event, checked(f"{self._name}.{verb}(...)", on_event))


def _solve_options(
    timeout: Optional[Seconds], initial_delay: Optional[Seconds], poll_interval: Optional[Seconds]
) -> Optional[Dict[str, Any]]:
    if timeout is None and initial_delay is None and poll_interval is None:
        return None
    return {"timeout": timeout, "initial_delay": initial_delay, "poll_interval": poll_interval}


class Client(_ClientBase):
    """A blocking client. Every call releases the GIL, so threads solve in parallel; Ctrl-C
    stops a solve. Safe to share between threads, and keeps working in a process forked after
    it was made (``multiprocessing``, gunicorn). A context manager.

    ``Client("2captcha", api_key)`` keeps the service's documented waits: a reCAPTCHA v2 solve
    polls first 20 s after the submit, then every 5 s, and gives up after 330 s.
    """

    __doc__ = (__doc__ or "") + _OPTIONS_DOC

    def solve(
        self,
        task: CaptchaTask,
        *,
        timeout: Optional[Seconds] = None,
        initial_delay: Optional[Seconds] = None,
        poll_interval: Optional[Seconds] = None,
        on_event: Optional[EventCallback] = None,
    ) -> Solution:
        """Solves a task: submits it, polls until the answer, a failure or the deadline.

        ``timeout``, ``initial_delay`` and ``poll_interval`` (seconds) override the client's
        for this solve. Errors after the submit carry the task id."""
        return self._client().solve(
            self._task("solve", task),
            _solve_options(timeout, initial_delay, poll_interval),
            self._sink("solve", on_event),
        )

    def submit(self, task: CaptchaTask, *, timeout: Optional[Seconds] = None) -> str:
        """Submits a task and returns its id, without waiting for the answer (collect it
        with :meth:`wait` or :meth:`result`)."""
        return self._client().submit(self._task("submit", task), _solve_options(timeout, None, None))

    def wait(
        self,
        task_id: Union[str, int],
        *,
        timeout: Optional[Seconds] = None,
        initial_delay: Optional[Seconds] = None,
        poll_interval: Optional[Seconds] = None,
        on_event: Optional[EventCallback] = None,
    ) -> Solution:
        """Waits for the answer of a task submitted earlier (by :meth:`submit`, a solve that
        timed out, another process), polling through the engine, its limits and batches,
        until the answer, a failure or ``timeout`` seconds. Polls at once unless
        ``initial_delay`` is given."""
        return self._client().wait(
            self._task_id("wait", task_id), _solve_options(timeout, initial_delay, poll_interval),
            self._sink("wait", on_event),
        )

    def result(self, task_id: Union[str, int]) -> Optional[Solution]:
        """Asks once for a task's answer; ``None`` while it is not ready."""
        return self._client().result(self._task_id("result", task_id))

    def balance(self) -> Decimal:
        """The account balance, as a :class:`decimal.Decimal` exactly as the service wrote it."""
        return self._client().balance()

    def report(self, task_id: Union[str, int], good: bool) -> None:
        """Reports an answer as accepted by the site (``good=True``) or refused."""
        self._client().report(self._task_id("report", task_id), self._good("report", self._name, good))

    def close(self) -> None:
        """Releases the client; later calls raise :class:`UsageError`."""
        self._native = None

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()
