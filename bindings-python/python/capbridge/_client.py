"""The blocking client, and what both clients share: options, the native client, closing."""

from __future__ import annotations

import functools
import inspect
from decimal import Decimal
from types import TracebackType
from typing import Any, Callable, Dict, List, Literal, Optional, Sequence, Tuple, Type, TypeVar, Union, cast

from . import _native
from ._errors import UsageError
from ._events import EventCallback, checked, notices, sink
from ._native import Solution
from ._tasks import CaptchaTask
from ._types import FailoverPolicy, Limits, ProviderLike, RetryPolicy, Seconds

# --- generated docs from the table of options (cargo run -p capbridge-codegen): do not edit ---
_OPTIONS_ARGS = """
    Args:
        provider: a preset name ("2captcha", "capsolver", ...) or the service's base URL
            (http:// or https://).
        api_key: the account's API key.
        protocol: the protocol family of a provider given as a base URL (a preset knows its
            own). Default: "form".
        base_url: another base URL for the provider, keeping its behaviour (tests, proxies,
            mirrors). Default: the provider's own.
        providers: failover: more providers to move a solve to when the ones before fail, in
            order. Default: none.
        failover: when a solve moves to the next provider. Default: the defaults of its
            fields.
        timeout: overall deadline of a solve, in seconds (or a datetime.timedelta). Default:
            the provider's, per task kind. From 1 ms to 7 days.
        initial_delay: wait before the first poll, in seconds (or a datetime.timedelta).
            Default: the provider's, per task kind. From 0 s to 1 day.
        poll_interval: wait between polls, in seconds (or a datetime.timedelta). Default:
            the provider's, per task kind. From 1 ms to 1 day.
        request_timeout: timeout of each HTTP request, in seconds (or a datetime.timedelta).
            Default: 30 s. From 1 ms to 1 hour.
        max_concurrent_requests: most HTTP requests of the client in flight at once (the
            rest wait for a free slot). Default: 64. From 1 to 4294967295.
        batch_polling: batch polls on or off (form protocol only). Default: on where the
            provider offers batch polls.
        json_replies: ask a form-protocol service for JSON replies (json=1). Default: True.
        header_acao: ask a form-protocol service for Access-Control-Allow-Origin: *
            (header_acao=1). Default: False.
        debug_dump: ask a form-protocol service to dump the parameters it received
            (debug_dump=1). Default: False.
        soft_id: the integrating software's id (soft_id, softId or appId on the wire).
            Default: none.
        limits: the request limits of a provider given as a base URL; fields left out keep
            its own. Default: the provider's (only a provider given as a base URL may change
            them).
        retry: retry and backoff settings. Default: the defaults of its fields.
        shared_limits: keep the key's limits in Redis
            (redis://[user:password@]host:port/db), shared by every process using the key; a
            list of URLs names a Redis Cluster's nodes. Default: none: each process keeps the
            key's limits alone.
        adaptive_waits: learn each kind's first wait from the solves seen (never under the
            provider's documented minimum; a given initial_delay wins). Default: True.
        callback_listen: run a receiver for answers the service pushes (pingback,
            callbackUrl) on this address; tasks are then polled only after a third of their
            deadline, as a safety net. Default: none: answers are polled.
        callback_url: the public URL the service calls to push answers (each task's secret
            token is appended); with shared_limits, another member's receiver. Default: the
            receiver's own address (callback_listen on a specific one).
"""
# --- end of generated docs ---

_OPTIONS_DOC = _OPTIONS_ARGS + """        on_event: a function receiving every :class:`SolveEvent` of every solve (on the thread
            that called ``solve``, or on the event loop), and, with ``shared_limits``, the
            client's own ``"shared_limits"`` events (Redis stopped answering: ``shared`` is
            False; it answers again: True), on a thread of capbridge's. Events also go to the
            ``capbridge`` logger (the fall back to this process's own limits at WARNING).
            Never sees the API key or a proxy password.

    Every option is checked when the client is made; a wrong one raises :class:`UsageError`
    naming it; a misspelled one raises :class:`TypeError` naming the nearest. Durations are
    seconds (a number, or a :class:`datetime.timedelta`). ``providers`` also takes
    ``(provider, api_key)`` pairs: ``[("capsolver", key1), ("2captcha", key2)]``.
"""


def _providers(entries: Any) -> Any:
    """``(provider, api_key)`` pairs (tuples, or two-item lists as a JSON or YAML file gives
    them) as the dicts the core reads; anything else as it is (the core names the option in
    its error)."""
    if not isinstance(entries, (list, tuple)):
        return entries
    return [
        {"provider": e[0], "api_key": e[1]}
        if isinstance(e, (tuple, list)) and len(e) == 2 and all(isinstance(x, str) for x in e)
        else e
        for e in entries
    ]


_Init = TypeVar("_Init", bound=Callable[..., None])
_Verb = TypeVar("_Verb", bound=Callable[..., Any])


def _did_you_mean(key: str, options: List[str], durations: List[str]) -> Optional[str]:
    """The hint for a misspelled keyword: the nearest option; for another library's
    milliseconds (``timeout_ms``, ``timeoutMs``), the duration it meant, with its unit, since
    the same number in seconds would wait a thousand times longer."""
    stem = _native.millis_stem(key)
    meant = _native.nearest(stem, durations) if stem else None
    if meant:
        return f"; did you mean {meant!r}? It takes seconds (or a datetime.timedelta), not milliseconds"
    near = _native.nearest(key, options)
    return f"; did you mean {near!r}?" if near else None


def _keywords(func: Callable[..., Any]) -> Tuple[List[str], List[str]]:
    """A function's parameter names (``self`` aside), and those of them that are durations
    (typed :data:`Seconds`), for :func:`_did_you_mean`."""
    sig = inspect.signature(func)
    names = [name for name in sig.parameters if name != "self"]
    return names, [n for n in names if "Seconds" in str(sig.parameters[n].annotation)]


def _named_call(init: _Init) -> _Init:
    """A client's ``__init__`` whose argument errors name the public class (``Client(...)``,
    not this module's private base) and, for a misspelled option, the nearest one."""
    sig = inspect.signature(init)
    options, durations = _keywords(init)

    @functools.wraps(init)
    def call(self: Any, *args: Any, **kwargs: Any) -> None:
        name = f"{self._name}(...)"
        for key in kwargs:
            if key not in options:
                hint = _did_you_mean(key, options, durations) or f" (see help(capbridge.{self._name}))"
                raise TypeError(f"{name}: unexpected keyword argument {key!r}{hint}")
        try:
            sig.bind(self, *args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{name}: {e}") from None
        init(self, *args, **kwargs)

    return cast(_Init, call)


def _native_options(given: Dict[str, Any]) -> Dict[str, Any]:
    """A client's keyword arguments as the core reads them: those given (not ``None``), but
    ``on_event`` (a function, the binding's), the providers as dicts."""
    options = {k: v for k, v in given.items() if k not in ("self", "on_event") and v is not None}
    if "providers" in options:
        options["providers"] = _providers(options["providers"])
    return options


def _unexpected(owner: str, verb: str, key: str, names: List[str], durations: List[str]) -> TypeError:
    """The error for a keyword a verb does not take, as ``Client(...)`` words it."""
    hint = _did_you_mean(key, names, durations)
    if hint is None and verb == "submit" and key in ("initial_delay", "poll_interval"):
        hint = f": submit() does not poll; give it to {owner}.wait() (or {owner}.solve())"
    if hint is None:
        hint = f" (see help(capbridge.{owner}.{verb}))"
    return TypeError(f"{owner}.{verb}(...): unexpected keyword argument {key!r}{hint}")


def _named_verb(verb: _Verb) -> _Verb:
    """A verb (``solve``, ``submit``, ``wait``, ...) whose misspelled keyword names the nearest
    one, as ``Client(...)`` does (``timeout_ms``: did you mean ``timeout``, in seconds?), where
    Python's own error names no fix. The wrapper keeps the verb's name, docs and annotations,
    and type checkers see the verb's own signature; a coroutine verb stays a coroutine
    function (``inspect.iscoroutinefunction``, which callers test to tell the clients apart),
    and raises when awaited, as any error of an ``AsyncClient`` verb does."""
    names, durations = _keywords(verb)
    known = frozenset(names)

    def _refused(owner: str, kwargs: Dict[str, Any]) -> TypeError:
        key = next(k for k in kwargs if k not in known)
        return _unexpected(owner, verb.__name__, key, names, durations)

    if inspect.iscoroutinefunction(verb):

        @functools.wraps(verb)
        async def awaited(self: Any, *args: Any, **kwargs: Any) -> Any:
            if not known.issuperset(kwargs):
                raise _refused(self._name, kwargs)
            return await verb(self, *args, **kwargs)

        return cast(_Verb, awaited)

    @functools.wraps(verb)
    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not known.issuperset(kwargs):
            raise _refused(self._name, kwargs)
        return verb(self, *args, **kwargs)

    return cast(_Verb, call)


class _ClientBase:
    """What both clients share: options, the native client, closing."""

    _name = "Client"

    @_named_call
    def __init__(
        self,
        # --- generated from the table of options (cargo run -p capbridge-codegen): do not edit ---
        provider: Optional[str] = None,
        api_key: Optional[str] = None,
        *,
        protocol: Optional[Literal["form", "json"]] = None,
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
        soft_id: Optional[Union[str, int]] = None,
        limits: Optional[Limits] = None,
        retry: Optional[RetryPolicy] = None,
        shared_limits: Optional[Union[str, Sequence[str]]] = None,
        adaptive_waits: Optional[bool] = None,
        callback_listen: Optional[str] = None,
        callback_url: Optional[str] = None,
        # --- end of generated options ---
        on_event: Optional[EventCallback] = None,
    ) -> None:
        # Every keyword argument is an option of the core by the same name: passed on as
        # one dict, which the core reads, checks and documents (capbridge::options).
        given = dict(locals())
        on_event = checked(f"{self._name}(...)", on_event)
        options = _native_options(given)
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
                f"{self._name}.{verb}(...): task: expected a capbridge task (one of the "
                f"classes in capbridge.TASK_CLASSES, such as capbridge.RecaptchaV2 or "
                f"capbridge.ImageToText), got {type(task).__name__}",
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
    timeout: Optional[Seconds],
    initial_delay: Optional[Seconds],
    poll_interval: Optional[Seconds],
    request_timeout: Optional[Seconds] = None,
) -> Optional[Dict[str, Any]]:
    given = {
        "timeout": timeout,
        "initial_delay": initial_delay,
        "poll_interval": poll_interval,
        "request_timeout": request_timeout,
    }
    return {k: v for k, v in given.items() if v is not None} or None


class Client(_ClientBase):
    """A blocking client. Every call releases the GIL, so threads solve in parallel; Ctrl-C
    stops a solve. Safe to share between threads, and keeps working in a process forked after
    it was made (``multiprocessing``, gunicorn). A context manager.

    ``Client("2captcha", api_key)`` keeps the service's documented waits: a reCAPTCHA v2 solve
    polls first 20 s after the submit, then every 5 s, and gives up after 330 s.
    """

    __doc__ = (__doc__ or "") + _OPTIONS_DOC

    @_named_verb
    def solve(
        self,
        task: CaptchaTask,
        *,
        timeout: Optional[Seconds] = None,
        initial_delay: Optional[Seconds] = None,
        poll_interval: Optional[Seconds] = None,
        request_timeout: Optional[Seconds] = None,
        on_event: Optional[EventCallback] = None,
    ) -> Solution:
        """Solves a task: submits it, polls until the answer, a failure or the deadline.

        ``timeout``, ``initial_delay``, ``poll_interval`` and ``request_timeout`` (seconds)
        override the client's for this solve; ``request_timeout`` bounds each of its submits
        and of the polls that ask about its task alone (a batch poll keeps the client's).
        Errors after the submit carry the task id."""
        return self._client().solve(
            self._task("solve", task),
            _solve_options(timeout, initial_delay, poll_interval, request_timeout),
            self._sink("solve", on_event),
        )

    @_named_verb
    def submit(
        self,
        task: CaptchaTask,
        *,
        timeout: Optional[Seconds] = None,
        request_timeout: Optional[Seconds] = None,
        on_event: Optional[EventCallback] = None,
    ) -> str:
        """Submits a task and returns its id, without waiting for the answer (collect it
        with :meth:`wait` or :meth:`result`). ``request_timeout`` (seconds) overrides the
        client's for each submit request (a large image on a slow link); the submit's events
        (``submitting``, ``retrying``, ``submitted``) reach ``on_event`` and the client's."""
        return self._client().submit(
            self._task("submit", task),
            _solve_options(timeout, None, None, request_timeout),
            self._sink("submit", on_event),
        )

    @_named_verb
    def wait(
        self,
        task_id: Union[str, int],
        *,
        timeout: Optional[Seconds] = None,
        initial_delay: Optional[Seconds] = None,
        poll_interval: Optional[Seconds] = None,
        request_timeout: Optional[Seconds] = None,
        on_event: Optional[EventCallback] = None,
    ) -> Solution:
        """Waits for the answer of a task submitted earlier (by :meth:`submit`, a solve that
        timed out, another process), polling through the engine, its limits and batches,
        until the answer, a failure or ``timeout`` seconds. Polls at once unless
        ``initial_delay`` is given."""
        return self._client().wait(
            self._task_id("wait", task_id), _solve_options(timeout, initial_delay, poll_interval, request_timeout),
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
        """Releases the client; later calls raise :class:`UsageError`. Solves, submits and
        waits still running in other threads stop at once with :class:`SolveCancelledError`
        (carrying their task ids); ``result``, ``balance`` and ``report`` finish their one
        request."""
        native, self._native = self._native, None
        if native is not None:
            native.close()

    def __enter__(self) -> Client:
        self._client()  # a closed client refuses at once, as a closed file does
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()
