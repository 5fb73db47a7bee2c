"""Where events go: the user's callbacks and the ``capbridge`` logger."""

from __future__ import annotations

import logging
from typing import Callable, List, Optional

from ._native import SolveEvent

logger = logging.getLogger("capbridge")

EventCallback = Callable[[SolveEvent], object]
"""A function receiving each :class:`SolveEvent` of a solve."""

_INFO_STEPS = frozenset(("submitted", "solved", "failed"))


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
        for cb in cbs:
            try:
                cb(event)
            except Exception:  # a failing callback must not end the solve
                logger.exception("capbridge event callback %r failed", cb)

    return deliver
