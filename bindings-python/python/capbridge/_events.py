"""Where events go: the user's callbacks and the ``capbridge`` logger."""

from __future__ import annotations

import logging
from typing import Callable, List, Optional, cast

from ._native import SolveEvent

logger = logging.getLogger("capbridge")

EventCallback = Callable[[SolveEvent], object]
"""A function receiving each :class:`SolveEvent` of a solve."""

_INFO_STEPS = frozenset(("submitted", "solved", "failed"))


def checked(call: str, on_event: object) -> Optional[EventCallback]:
    """``on_event`` as given, refused at the call (``TypeError`` naming the option) unless it
    is ``None`` or callable: a wrong value would otherwise fail on every event, later."""
    if on_event is None or callable(on_event):
        return cast(Optional[EventCallback], on_event)
    raise TypeError(
        f"{call}: on_event: expected a function taking a SolveEvent, got {type(on_event).__name__}"
    )


def _call(cbs: List[EventCallback], event: SolveEvent) -> None:
    for cb in cbs:
        try:
            cb(event)
        except Exception:  # a failing callback must not end the solve
            logger.exception("capbridge event callback %r failed", cb)


def sink(*callbacks: Optional[EventCallback]) -> Optional[EventCallback]:
    """One function feeding the logger and the given callbacks, or ``None`` when nobody
    listens (then events are not even sent across from the engine)."""
    log = logger.isEnabledFor(logging.INFO)
    if not log and all(cb is None for cb in callbacks):
        return None
    cbs: List[EventCallback] = [cb for cb in callbacks if cb is not None]

    def deliver(event: SolveEvent) -> None:
        if log:
            logger.log(logging.INFO if event.step in _INFO_STEPS else logging.DEBUG, "%s", event)
        _call(cbs, event)

    return deliver


def notices(*callbacks: Optional[EventCallback]) -> EventCallback:
    """The function receiving a client's own events (``shared_limits``: the key's limits
    moving between Redis and this process), on a thread of capbridge's: logged at WARNING when
    the process falls back to its own limits and at INFO when Redis answers again, then handed
    to the client's ``on_event``."""
    cbs: List[EventCallback] = [cb for cb in callbacks if cb is not None]

    def deliver(event: SolveEvent) -> None:
        if event.step == "shared_limits":
            logger.log(logging.INFO if event.shared else logging.WARNING, "%s", event)
        else:
            logger.debug("%s", event)
        _call(cbs, event)

    return deliver
