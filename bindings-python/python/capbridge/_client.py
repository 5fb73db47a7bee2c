"""The blocking client."""

from __future__ import annotations

from types import TracebackType
from typing import Optional, Type

from . import _native
from ._errors import UsageError
from ._events import EventCallback, sink
from ._native import Solution
from ._options import Limits, RetryPolicy, native_options
from ._tasks import Task


def _task_json(task: Task) -> str:
    if not isinstance(task, Task):
        raise UsageError(
            f"usage: expected a capbridge task (ImageToText, RecaptchaV2, ...), got {type(task).__name__}",
            kind="usage",
        )
    return task._json()


class _ClientBase:
    """What both clients share: options, the native client, closing."""

    _name = "Client"

    def __init__(
        self,
        provider: str,
        api_key: str,
        *,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        request_timeout: Optional[float] = None,
        initial_delay: Optional[float] = None,
        poll_interval: Optional[float] = None,
        batch_polling: Optional[bool] = None,
        json_replies: bool = True,
        header_acao: bool = False,
        debug_dump: bool = False,
        soft_id: Optional[int] = None,
        max_concurrent_requests: Optional[int] = None,
        limits: Optional[Limits] = None,
        retry: Optional[RetryPolicy] = None,
        on_event: Optional[EventCallback] = None,
    ) -> None:
        self._native: Optional[_native.NativeClient] = _native.NativeClient(
            provider,
            api_key,
            **native_options(
                base_url=base_url, timeout=timeout, request_timeout=request_timeout,
                initial_delay=initial_delay, poll_interval=poll_interval, batch_polling=batch_polling,
                json_replies=json_replies, header_acao=header_acao, debug_dump=debug_dump,
                soft_id=soft_id, max_concurrent_requests=max_concurrent_requests, limits=limits, retry=retry,
            ),
        )
        self._on_event = on_event
        self._setup()

    def _setup(self) -> None:
        """Per-class state (the async client's loop channels)."""

    def _client(self) -> _native.NativeClient:
        native = self._native
        if native is None:
            raise UsageError("usage: the client is closed", kind="usage")
        return native

    @property
    def provider(self) -> str:
        """The provider's name (``"custom"`` for a base URL)."""
        return self._client().provider

    def __repr__(self) -> str:
        native = self._native
        if native is None:
            return f"capbridge.{self._name}(closed)"
        return f"capbridge.{self._name}({native.provider!r}, base_url={native.base_url!r})"


class Client(_ClientBase):
    """A blocking client. Every call releases the GIL, so threads solve in parallel; Ctrl-C
    stops a solve. Safe to share between threads. A context manager.

    ``provider`` is a preset name (``"bigcaptcha"``, ``"captchaai"``, ``"2captcha"``,
    ``"rucaptcha"``) or a base URL. Durations are in seconds; unset ones take the service's
    documented waits for each task kind. ``limits`` may only be given for a base URL (a
    preset's limits are the service's own); ``on_event`` receives every solve's steps.
    """

    def solve(
        self,
        task: Task,
        *,
        timeout: Optional[float] = None,
        initial_delay: Optional[float] = None,
        poll_interval: Optional[float] = None,
        on_event: Optional[EventCallback] = None,
    ) -> Solution:
        """Solves a task: validates, submits, polls until the answer, a failure or the
        deadline. Errors after the submit carry the task id."""
        return self._client().solve(
            _task_json(task), timeout=timeout, initial_delay=initial_delay,
            poll_interval=poll_interval, on_event=sink(self._on_event, on_event),
        )

    def submit(self, task: Task) -> str:
        """Submits a task and returns its id, without waiting for the answer."""
        return self._client().submit(_task_json(task))

    def result(self, task_id: str) -> Optional[Solution]:
        """Asks once for a task's answer; ``None`` while it is not ready."""
        return self._client().result(task_id)

    def balance(self) -> float:
        """The account balance."""
        return self._client().balance()

    def report(self, task_id: str, good: bool) -> None:
        """Reports an answer as accepted by the site (``good=True``) or refused."""
        self._client().report(task_id, good)

    def close(self) -> None:
        """Releases the client; later calls raise :class:`UsageError`."""
        self._native = None

    def __enter__(self) -> "Client":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()
