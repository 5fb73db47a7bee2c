"""Exceptions: one class per error kind, all subclasses of :class:`CaptchaError`.

Every exception carries what capbridge knows: ``kind`` (the same names in every language),
``code`` (the service's raw code, such as ``"ERROR_ZERO_BALANCE"``), ``retryable``,
``retry_after`` (seconds the service asks to wait), ``task_id`` (once the service gave one)
and ``field`` (the task field at fault, for invalid tasks). Messages never contain the API key
or a proxy password.
"""

from __future__ import annotations

import builtins
from typing import Any, Dict, Optional, Type


class CaptchaError(Exception):
    """Base class of every capbridge error."""

    kind: str
    code: Optional[str]
    retryable: bool
    retry_after: Optional[float]
    task_id: Optional[str]
    field: Optional[str]

    def __init__(
        self,
        message: str,
        *,
        kind: str = "service",
        code: Optional[str] = None,
        retryable: bool = False,
        retry_after: Optional[float] = None,
        task_id: Optional[str] = None,
        field: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.code = code
        self.retryable = retryable
        self.retry_after = retry_after
        self.task_id = task_id
        self.field = field

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, kind={self.kind!r}, code={self.code!r}, "
            f"retryable={self.retryable!r}, retry_after={self.retry_after!r}, task_id={self.task_id!r})"
        )

    def __reduce__(self) -> Any:
        # Picklable (multiprocessing, concurrent.futures), keeping every attribute.
        return (
            _rebuild,
            (type(self), self.message, self.kind, self.code, self.retryable, self.retry_after, self.task_id, self.field),
        )


def _rebuild(
    cls: Type[CaptchaError],
    message: str,
    kind: str,
    code: Optional[str],
    retryable: bool,
    retry_after: Optional[float],
    task_id: Optional[str],
    field: Optional[str],
) -> CaptchaError:
    return cls(message, kind=kind, code=code, retryable=retryable, retry_after=retry_after, task_id=task_id, field=field)


class InvalidTaskError(CaptchaError, ValueError):
    """The task was refused: a missing or malformed field (``field`` names it), a bad image."""


class AuthError(CaptchaError):
    """The API key is malformed, unknown, or not allowed from this IP."""


class BalanceError(CaptchaError):
    """The account has no money left."""


class RateLimitError(CaptchaError):
    """A request limit of the service was hit; ``retry_after`` says how long it lasts."""


class ProxyError(CaptchaError):
    """The proxy given with the task is malformed or was refused."""


class UnsolvableError(CaptchaError):
    """The service could not solve the captcha (not charged; submitting again may work)."""


class NotFoundError(CaptchaError):
    """The task id is unknown to the service."""


class ReportError(CaptchaError):
    """A good/bad report was not recorded."""


class TimeoutError(CaptchaError, builtins.TimeoutError):  # noqa: A001 - deliberately shadows
    """The solve's deadline passed. ``task_id`` is kept: ask for the result later."""


class NetworkError(CaptchaError):
    """A transport failure that survived the retries."""


class ServiceError(CaptchaError):
    """Anything else the service said: HTML error pages, 5xx, unknown codes, malformed replies."""


class CancelledError(CaptchaError):
    """The operation was cancelled (asyncio cancellation raises ``asyncio.CancelledError``)."""


class UsageError(CaptchaError, ValueError):
    """capbridge was called in a way it does not support: unknown provider, bad option, ..."""


CLASSES: Dict[str, Type[CaptchaError]] = {
    "invalid_task": InvalidTaskError,
    "auth": AuthError,
    "balance": BalanceError,
    "rate_limited": RateLimitError,
    "proxy": ProxyError,
    "unsolvable": UnsolvableError,
    "not_found": NotFoundError,
    "report": ReportError,
    "timeout": TimeoutError,
    "network": NetworkError,
    "service": ServiceError,
    "cancelled": CancelledError,
    "usage": UsageError,
}


def _class_for(kind: str) -> Type[CaptchaError]:
    """The exception class of an error kind (used by the native module)."""
    return CLASSES.get(kind, CaptchaError)
