"""The asyncio client.

Operations run on capbridge's own runtime; their outcomes come back through a per-event-loop
native channel that the loop watches (``loop.add_reader``) and that completes many futures
per wakeup, so thousands of solves under ``asyncio.gather`` stay cheap and no thread ever
waits for the GIL on their behalf. Cancelling the awaiting task (``task.cancel()``,
``asyncio.wait_for`` timing out) stops the solve's polling at once.
"""

from __future__ import annotations

import asyncio
import weakref
from types import TracebackType
from typing import Optional, Tuple, Type

from . import _native
from ._client import _ClientBase, _task_json
from ._events import EventCallback, sink
from ._native import Solution
from ._tasks import Task


class AsyncClient(_ClientBase):
    """An asyncio client with the same options and verbs as :class:`Client`; every verb is a
    coroutine. Works under ``asyncio.gather`` with thousands of solves. An async context
    manager (``async with capbridge.AsyncClient(...) as client``).
    """

    _name = "AsyncClient"

    # Each verb awaits its future inline (and cancels the native operation if the awaiting
    # task is cancelled) rather than through a shared helper coroutine: one coroutine frame
    # per await is measurably cheaper with thousands of solves in flight.

    def _setup(self) -> None:
        self._channels: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _native.AsyncChannel]" = (
            weakref.WeakKeyDictionary()
        )
        self._last: Optional[Tuple[asyncio.AbstractEventLoop, _native.AsyncChannel]] = None

    def _channel(self) -> _native.AsyncChannel:
        loop = asyncio.get_running_loop()
        last = self._last
        if last is not None and last[0] is loop:
            return last[1]
        ch = self._channels.get(loop)
        if ch is None:
            ch = self._channels[loop] = _native.AsyncChannel(loop)
            loop.add_reader(ch.fileno(), ch.drain)
        self._last = (loop, ch)
        return ch

    async def solve(
        self,
        task: Task,
        *,
        timeout: Optional[float] = None,
        initial_delay: Optional[float] = None,
        poll_interval: Optional[float] = None,
        on_event: Optional[EventCallback] = None,
    ) -> Solution:
        """Solves a task; see :meth:`Client.solve`. Event callbacks run on the event loop."""
        ch = self._channel()
        op, fut = self._client().solve_async(
            ch, _task_json(task), timeout=timeout, initial_delay=initial_delay,
            poll_interval=poll_interval, on_event=sink(self._on_event, on_event),
        )
        try:
            return await fut
        except asyncio.CancelledError:
            ch.cancel(op)
            raise

    async def submit(self, task: Task) -> str:
        """Submits a task and returns its id."""
        ch = self._channel()
        op, fut = self._client().submit_async(ch, _task_json(task))
        try:
            return await fut
        except asyncio.CancelledError:
            ch.cancel(op)
            raise

    async def result(self, task_id: str) -> Optional[Solution]:
        """Asks once for a task's answer; ``None`` while it is not ready."""
        ch = self._channel()
        op, fut = self._client().result_async(ch, task_id)
        try:
            return await fut
        except asyncio.CancelledError:
            ch.cancel(op)
            raise

    async def balance(self) -> float:
        """The account balance."""
        ch = self._channel()
        op, fut = self._client().balance_async(ch)
        try:
            return await fut
        except asyncio.CancelledError:
            ch.cancel(op)
            raise

    async def report(self, task_id: str, good: bool) -> None:
        """Reports an answer as accepted by the site (``good=True``) or refused."""
        ch = self._channel()
        op, fut = self._client().report_async(ch, task_id, good)
        try:
            await fut
        except asyncio.CancelledError:
            ch.cancel(op)
            raise

    async def aclose(self) -> None:
        """Stops every operation still running and releases the client."""
        self.close()

    def close(self) -> None:
        """Stops every operation still running and releases the client."""
        for loop, ch in list(self._channels.items()):
            try:
                loop.remove_reader(ch.fileno())
            except (RuntimeError, ValueError, OSError):  # the loop may be closed already
                pass
            ch.close()
        self._channels.clear()
        self._last = None
        self._native = None

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()


__all__ = ["AsyncClient"]
