"""Exceptions: one class per error kind, all subclasses of :class:`CaptchaError`.

Every exception carries what capbridge knows: ``kind`` (the same names in every language),
``code`` (the service's raw code, such as ``"ERROR_ZERO_BALANCE"``), ``retryable``,
``retry_after``, ``task_id`` (once the service gave one), ``field`` (the task field at fault)
and ``option`` (the client or solve option at fault). Messages name fields and options the
way they are written in Python, and never contain the API key or a proxy password.

``retryable`` and ``retry_after`` are the core's values, as they are: the core's rule is that
``retry_after`` is a number only when ``retryable`` is true (the seconds the service asks to
wait first), and ``None`` otherwise; a zero balance, for one, is not retryable and has no
``retry_after``.
"""

from __future__ import annotations

import builtins
from typing import Any, ClassVar, Dict, Optional, Type

from ._types import ErrorKind


class CaptchaError(Exception):
    """Base class of every capbridge error.

    Attributes:
        kind: what went wrong, in words shared by every language (``"auth"``, ``"timeout"``).
        code: the service's raw code (``"ERROR_ZERO_BALANCE"``, ``"HTTP 502"``), if any.
        message: the whole message (also ``str(error)``).
        retryable: whether repeating the same call later, unchanged, may succeed (rate limits,
            network and service faults, deadlines, unsolvable captchas).
        retry_after: seconds to wait before that retry, as the service asked; capbridge sets
            it only when ``retryable`` is true, ``None`` otherwise.
        task_id: the service's task id, once it gave one: a solve that timed out can still be
            collected with ``client.wait(task_id)`` or ``client.result(task_id)``.
        field: the task field at fault (``"website_key"``, ``"cookies[0]"``), for invalid tasks.
        option: the option at fault (``"timeout"``, ``"limits.submit_interval"``), for usage
            errors.
    """

    _kind: ClassVar[ErrorKind] = "service"

    kind: ErrorKind
    code: Optional[str]
    message: str
    retryable: bool
    retry_after: Optional[float]
    task_id: Optional[str]
    field: Optional[str]
    option: Optional[str]

    def __init__(
        self,
        message: str,
        *,
        kind: Optional[ErrorKind] = None,
        code: Optional[str] = None,
        retryable: bool = False,
        retry_after: Optional[float] = None,
        task_id: Optional[str] = None,
        field: Optional[str] = None,
        option: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind if kind is not None else self._kind
        self.code = code
        self.retryable = bool(retryable)
        self.retry_after = retry_after
        self.task_id = task_id
        self.field = field
        self.option = option

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        # `field` and `option` only when set: they are what an invalid task or option says.
        named = "".join(f", {n}={v!r}" for n, v in (("field", self.field), ("option", self.option)) if v)
        return (
            f"{type(self).__name__}({self.message!r}, kind={self.kind!r}, code={self.code!r}, "
            f"retryable={self.retryable!r}, retry_after={self.retry_after!r}, task_id={self.task_id!r}{named})"
        )

    def __reduce__(self) -> Any:
        # Picklable (multiprocessing, concurrent.futures), keeping every attribute.
        return (
            _rebuild,
            (type(self), self.message, self.kind, self.code, self.retryable, self.retry_after,
             self.task_id, self.field, self.option),
        )


def _rebuild(
    cls: Type[CaptchaError],
    message: str,
    kind: ErrorKind,
    code: Optional[str],
    retryable: bool,
    retry_after: Optional[float],
    task_id: Optional[str],
    field: Optional[str],
    option: Optional[str],
) -> CaptchaError:
    return cls(message, kind=kind, code=code, retryable=retryable, retry_after=retry_after,
               task_id=task_id, field=field, option=option)


class InvalidTaskError(CaptchaError, ValueError):
    """The task was refused: a missing or malformed field (``field`` names it), a bad image.
    Raised when the task is made (``RecaptchaV2(website_url="not a url", ...)``), or by the
    service."""

    _kind = "invalid_task"


class AuthError(CaptchaError):
    """The API key is malformed, unknown, or not allowed from this IP."""

    _kind = "auth"


class BalanceError(CaptchaError):
    """The account has no money left."""

    _kind = "balance"


class RateLimitError(CaptchaError):
    """A request limit of the service was hit; ``retry_after`` says how long it lasts."""

    _kind = "rate_limited"


class ProxyError(CaptchaError):
    """The proxy given with the task was refused by the service."""

    _kind = "proxy"


class UnsolvableError(CaptchaError):
    """The service could not solve the captcha (not charged; submitting again may work)."""

    _kind = "unsolvable"


class NotFoundError(CaptchaError):
    """The task id is unknown to the service."""

    _kind = "not_found"


class ReportError(CaptchaError):
    """A good/bad report was not recorded."""

    _kind = "report"


class SolveTimeoutError(CaptchaError, builtins.TimeoutError):
    """The solve's deadline passed. ``task_id`` is kept: collect the answer later with
    ``client.wait(task_id)``. Also a builtin :class:`TimeoutError` (so ``except TimeoutError``
    and ``asyncio.wait_for`` users catch it)."""

    _kind = "timeout"


class NetworkError(CaptchaError):
    """A transport failure that survived the retries."""

    _kind = "network"


class ServiceError(CaptchaError):
    """Anything else the service said: HTML error pages, 5xx, unknown codes, malformed replies."""

    _kind = "service"


class SolveCancelledError(CaptchaError):
    """The operation was cancelled by capbridge's side: its client was closed while it ran
    (``client.close()``, leaving ``async with``). ``task_id`` says which task, once the
    service gave one. (Cancelling your own asyncio task raises :class:`asyncio.CancelledError`
    as usual; this class is deliberately not a subclass of it, so that ``asyncio.gather``
    reports it instead of treating it as your task's cancellation.)"""

    _kind = "cancelled"


class UsageError(CaptchaError, ValueError):
    """capbridge was called in a way it does not support: an unknown provider, a bad option
    (``option`` names it), a closed client."""

    _kind = "usage"


CLASSES: Dict[str, Type[CaptchaError]] = {
    cls._kind: cls
    for cls in (InvalidTaskError, AuthError, BalanceError, RateLimitError, ProxyError,
                UnsolvableError, NotFoundError, ReportError, SolveTimeoutError, NetworkError,
                ServiceError, SolveCancelledError, UsageError)
}


def _class_for(kind: str) -> Type[CaptchaError]:
    """The exception class of an error kind (used by the native module)."""
    return CLASSES.get(kind, CaptchaError)
