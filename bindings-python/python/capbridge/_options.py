"""Client options that group several values: request limits and retry policy."""

from __future__ import annotations

from typing import Any, Dict, Optional


class Limits:
    """The request limits a client keeps for its key. Durations are in seconds.

    The presets' limits are the services' own and cannot be changed; a custom provider (a
    base URL) may declare others, for example ``Limits.unlimited()`` against a local emulator
    with its limits lifted, or ``Limits.scaled(0.01)`` against an emulator on a faster clock.
    """

    __slots__ = ("submit_interval", "submit_window", "submits_per_window", "polls_per_task",
                 "poll_allowance", "no_slot_wait", "max_user_turn_wait", "zero_balance_wait")

    def __init__(
        self,
        *,
        submit_interval: float = 0.1,
        submit_window: float = 3.0,
        submits_per_window: int = 60,
        polls_per_task: int = 20,
        poll_allowance: int = 1200,
        no_slot_wait: float = 5.0,
        max_user_turn_wait: float = 10.0,
        zero_balance_wait: float = 60.0,
    ) -> None:
        self.submit_interval = submit_interval
        self.submit_window = submit_window
        self.submits_per_window = submits_per_window
        self.polls_per_task = polls_per_task
        self.poll_allowance = poll_allowance
        self.no_slot_wait = no_slot_wait
        self.max_user_turn_wait = max_user_turn_wait
        self.zero_balance_wait = zero_balance_wait

    @classmethod
    def seed(cls) -> "Limits":
        """The service document's limits (the default)."""
        return cls()

    @classmethod
    def unlimited(cls) -> "Limits":
        """No limits at all: for benchmarks against a local emulator with ``--no-limits``."""
        return cls(submit_interval=0.0, submits_per_window=2**31 - 1, polls_per_task=2**40,
                   poll_allowance=2**40, no_slot_wait=0.0, max_user_turn_wait=0.0, zero_balance_wait=0.0)

    @classmethod
    def scaled(cls, factor: float) -> "Limits":
        """The service's limits with every duration multiplied by ``factor``."""
        return cls(submit_interval=0.1 * factor, submit_window=3.0 * factor, no_slot_wait=5.0 * factor,
                   max_user_turn_wait=10.0 * factor, zero_balance_wait=60.0 * factor)

    def _dict(self) -> Dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __repr__(self) -> str:
        return "Limits(" + ", ".join(f"{k}={v!r}" for k, v in self._dict().items()) + ")"


class RetryPolicy:
    """How transient failures are retried. Durations are in seconds.

    Failed requests are retried inside the solve's deadline with exponential backoff from
    ``base_delay`` up to ``max_delay``. A submit whose outcome is unknown (it left but no
    usable reply came back, so the service may have created a task) is resubmitted at most
    ``unknown_submit_retries`` times. Calls outside a solve try ``max_attempts`` times.
    """

    __slots__ = ("base_delay", "max_delay", "unknown_submit_retries", "max_attempts")

    def __init__(
        self,
        *,
        base_delay: float = 1.0,
        max_delay: float = 20.0,
        unknown_submit_retries: int = 2,
        max_attempts: int = 3,
    ) -> None:
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.unknown_submit_retries = unknown_submit_retries
        self.max_attempts = max_attempts

    def _dict(self) -> Dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __repr__(self) -> str:
        return "RetryPolicy(" + ", ".join(f"{k}={v!r}" for k, v in self._dict().items()) + ")"


def native_options(
    *,
    base_url: Optional[str],
    timeout: Optional[float],
    request_timeout: Optional[float],
    initial_delay: Optional[float],
    poll_interval: Optional[float],
    batch_polling: Optional[bool],
    json_replies: bool,
    header_acao: bool,
    debug_dump: bool,
    soft_id: Optional[int],
    max_concurrent_requests: Optional[int],
    limits: Optional[Limits],
    retry: Optional[RetryPolicy],
) -> Dict[str, Any]:
    """The keyword arguments of the native client."""
    return dict(
        base_url=base_url,
        timeout=timeout,
        request_timeout=request_timeout,
        initial_delay=initial_delay,
        poll_interval=poll_interval,
        batch_polling=batch_polling,
        json_replies=json_replies,
        header_acao=header_acao,
        debug_dump=debug_dump,
        soft_id=soft_id,
        max_concurrent_requests=max_concurrent_requests,
        limits=limits._dict() if limits is not None else None,
        retry=retry._dict() if retry is not None else None,
    )
