"""The asyncio client.

Operations run on capbridge's own runtime; their outcomes come back through a per-event-loop
native channel that completes many futures per wakeup, so thousands of solves under
``asyncio.gather`` stay cheap and no thread ever waits for the GIL on their behalf. The loop
watches the channel's socket (``loop.add_reader``); loops without ``add_reader`` (Windows'
proactor loop) get a helper thread that hands each batch to ``loop.call_soon_threadsafe``.

Cancelling the awaiting task (``task.cancel()``, ``asyncio.wait_for`` timing out) stops the
solve's polling at once and raises :class:`asyncio.CancelledError` as usual. Closing the
client (``await client.aclose()``, leaving ``async with``) with operations in flight makes
each raise :class:`SolveCancelledError` with its task id.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
import weakref
from decimal import Decimal
from types import TracebackType
from typing import Any, Dict, List, Optional, Tuple, Type, Union

from . import _native
from ._client import _OPTIONS_DOC, _ClientBase, _named_verb, _solve_options
from ._events import EventCallback
from ._native import Solution
from ._tasks import CaptchaTask
from ._types import Seconds

_CLIENTS: "weakref.WeakSet[AsyncClient]" = weakref.WeakSet()
# Channels of the parent process, kept alive (never dropped) in a forked child: their pump
# ran on the parent's runtime, whose threads do not exist there.
_FORKED_AWAY: List[Any] = []


def _after_fork_in_child() -> None:
    for client in list(_CLIENTS):
        _FORKED_AWAY.extend(client._channels.values())
        client._channels = weakref.WeakKeyDictionary()
        client._last = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _watch_with_thread(loop: asyncio.AbstractEventLoop, ch: _native.AsyncChannel) -> None:
    """For loops without ``add_reader``: a thread waits for outcomes without the GIL and
    hands ``drain`` to the loop. It holds the loop weakly, as the channel does, and ends when
    the loop is gone or closed, so that each ``asyncio.run`` lets go of its loop and channel."""
    loop_ref = weakref.ref(loop)
    del loop

    def run() -> None:
        while not ch.finished():
            ready = ch.wait(0.5)
            current = loop_ref()
            if current is None or current.is_closed():
                return
            if ready:
                try:
                    current.call_soon_threadsafe(ch.drain)
                except RuntimeError:  # the loop closed meanwhile
                    return
            del current

    threading.Thread(target=run, name="capbridge-asyncio-waker", daemon=True).start()


class AsyncClient(_ClientBase):
    """An asyncio client with the same options and verbs as :class:`Client`; every verb is a
    coroutine. Works under ``asyncio.gather`` with thousands of solves. An async context
    manager (``async with capbridge.AsyncClient(...) as client``); leaving it with solves in
    flight makes each raise :class:`SolveCancelledError` with its task id.

    ``AsyncClient("2captcha", api_key)`` keeps the service's documented waits: a reCAPTCHA v2
    solve polls first 20 s after the submit, then every 5 s, and gives up after 330 s.
    """

    __doc__ = (__doc__ or "") + _OPTIONS_DOC

    _name = "AsyncClient"

    # Each verb awaits its future inline (and cancels the native operation if the awaiting
    # task is cancelled) rather than through a shared helper coroutine: one coroutine frame
    # per await is measurably cheaper with thousands of solves in flight. The verbs that take
    # keyword options go through `_named_verb` (a misspelled keyword names the nearest one),
    # which costs one more frame, about 0.3 us a call: about 1% of a solve's Python-side time.

    def _setup(self) -> None:
        self._channels: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _native.AsyncChannel]" = (
            weakref.WeakKeyDictionary()
        )
        # The last loop (weakly: a loop that is gone must not stay alive here) and its channel.
        self._last: Optional[Tuple["weakref.ref[asyncio.AbstractEventLoop]", _native.AsyncChannel]] = None
        _CLIENTS.add(self)

    def _channel(self) -> _native.AsyncChannel:
        loop = asyncio.get_running_loop()
        last = self._last
        if last is not None and last[0]() is loop:
            return last[1]
        self._client()  # a closed client makes no new channel
        ch = self._channels.get(loop)
        if ch is None or ch.finished():
            ch = self._channels[loop] = _native.AsyncChannel(loop)
            try:
                loop.add_reader(ch.fileno(), ch.drain)
            except NotImplementedError:
                _watch_with_thread(loop, ch)
        self._last = (weakref.ref(loop), ch)
        return ch

    @_named_verb
    async def solve(
        self,
        task: CaptchaTask,
        *,
        timeout: Optional[Seconds] = None,
        initial_delay: Optional[Seconds] = None,
        poll_interval: Optional[Seconds] = None,
        request_timeout: Optional[Seconds] = None,
        on_event: Optional[EventCallback] = None,
    ) -> Solution:
        """Solves a task; see :meth:`Client.solve`. Event callbacks run on the event loop."""
        ch = self._channel()
        op, fut = self._client().solve_async(
            ch, self._task("solve", task), _solve_options(timeout, initial_delay, poll_interval, request_timeout),
            self._sink("solve", on_event),
        )
        try:
            return await fut
        except asyncio.CancelledError:
            ch.cancel(op)
            raise

    @_named_verb
    async def submit(
        self,
        task: CaptchaTask,
        *,
        timeout: Optional[Seconds] = None,
        request_timeout: Optional[Seconds] = None,
        on_event: Optional[EventCallback] = None,
    ) -> str:
        """Submits a task and returns its id; see :meth:`Client.submit`. Event callbacks run
        on the event loop."""
        ch = self._channel()
        op, fut = self._client().submit_async(
            ch,
            self._task("submit", task),
            _solve_options(timeout, None, None, request_timeout),
            self._sink("submit", on_event),
        )
        try:
            return await fut
        except asyncio.CancelledError:
            ch.cancel(op)
            raise

    @_named_verb
    async def wait(
        self,
        task_id: Union[str, int],
        *,
        timeout: Optional[Seconds] = None,
        initial_delay: Optional[Seconds] = None,
        poll_interval: Optional[Seconds] = None,
        request_timeout: Optional[Seconds] = None,
        on_event: Optional[EventCallback] = None,
    ) -> Solution:
        """Waits for the answer of a task submitted earlier; see :meth:`Client.wait`."""
        ch = self._channel()
        op, fut = self._client().wait_async(
            ch, self._task_id("wait", task_id), _solve_options(timeout, initial_delay, poll_interval, request_timeout),
            self._sink("wait", on_event),
        )
        try:
            return await fut
        except asyncio.CancelledError:
            ch.cancel(op)
            raise

    async def result(self, task_id: Union[str, int]) -> Optional[Solution]:
        """Asks once for a task's answer; ``None`` while it is not ready."""
        ch = self._channel()
        op, fut = self._client().result_async(ch, self._task_id("result", task_id))
        try:
            return await fut
        except asyncio.CancelledError:
            ch.cancel(op)
            raise

    async def balance(self) -> Decimal:
        """The account balance, as a :class:`decimal.Decimal` exactly as the service wrote it."""
        ch = self._channel()
        op, fut = self._client().balance_async(ch)
        try:
            return await fut
        except asyncio.CancelledError:
            ch.cancel(op)
            raise

    async def report(self, task_id: Union[str, int], good: bool) -> None:
        """Reports an answer as accepted by the site (``good=True``) or refused."""
        ch = self._channel()
        op, fut = self._client().report_async(
            ch, self._task_id("report", task_id), self._good("report", self._name, good)
        )
        try:
            await fut
        except asyncio.CancelledError:
            ch.cancel(op)
            raise

    @_named_verb
    async def aclose(self, grace: float = 5.0) -> None:
        """Releases the client. Operations still running fail with
        :class:`SolveCancelledError` (with their task ids); this waits up to ``grace`` seconds
        for the engine to stop them, then fails what is left at once."""
        channels = self._close()
        deadline = time.monotonic() + grace
        while any(ch.pending() for ch in channels.values()) and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        for ch in channels.values():
            ch.abandon()

    def close(self) -> None:
        """Releases the client. Operations still running fail with
        :class:`SolveCancelledError` when their event loop next runs."""
        self._close()

    def _close(self) -> Dict[asyncio.AbstractEventLoop, _native.AsyncChannel]:
        channels = dict(self._channels)
        for ch in channels.values():
            ch.close()
        self._channels = weakref.WeakKeyDictionary()
        self._last = None
        self._native = None
        return channels

    async def __aenter__(self) -> AsyncClient:
        self._client()  # a closed client refuses at once, as a closed file does
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        await self.aclose()


__all__ = ["AsyncClient"]
