"""capbridge: solve captchas through any captcha-solving service.

One call turns a captcha into an answer, in blocking or asyncio form::

    import capbridge

    with capbridge.Client("2captcha", "YOUR_API_KEY") as client:
        solution = client.solve(capbridge.RecaptchaV2("https://example.com/login", "6Le-..."))
        print(solution.answer)

    async with capbridge.AsyncClient("2captcha", "YOUR_API_KEY") as client:
        solution = await client.solve(capbridge.HCaptcha("https://example.com", "10000000-..."))

Tasks are checked when they are made; requests keep the services' limits; every request has
a timeout and every solve a deadline (the service's documented waits by default: a
reCAPTCHA v2 solve polls first after 20 s); failures raise a :class:`CaptchaError` subclass
that says what went wrong and whether to retry. Events of each solve go to an ``on_event``
callback and to the ``capbridge`` logger (never the API key or a proxy password).

Try it without an account against the local emulator, which ships in the package: after
``from capbridge.testing import emulator``, ``with emulator() as emu:`` runs it and
``capbridge.Client(emu.url, emu.api_key)`` solves against it (pytest: the
``capbridge_emulator`` fixture).
"""

import sys as _sys

from ._native import Solution, SolveEvent, __version__
from ._errors import (
    AuthError,
    BalanceError,
    CaptchaError,
    InvalidTaskError,
    NetworkError,
    NotFoundError,
    ProxyError,
    RateLimitError,
    ReportError,
    ServiceError,
    SolveCancelledError,
    SolveTimeoutError,
    UnsolvableError,
    UsageError,
)
from ._types import (
    CharacterSet,
    ErrorKind,
    FailoverPolicy,
    ImageUpload,
    Limits,
    ProtocolName,
    ProviderEntry,
    ProviderLike,
    ProviderName,
    RetryPolicy,
    Seconds,
    Step,
    TaskKind,
)
from ._tasks import CaptchaTask, Cookies, ImageSource, Proxy
from ._kinds import *  # noqa: F403 (one class per kind, generated from the catalogue)
from ._kinds import TASK_CLASSES
from . import _kinds
from ._client import Client
from ._async import AsyncClient

__all__ = [
    "AsyncClient",
    "AuthError",
    "BalanceError",
    "CaptchaError",
    "CaptchaTask",
    "CharacterSet",
    "Client",
    "ErrorKind",
    "FailoverPolicy",
    "ImageSource",
    "ImageUpload",
    "InvalidTaskError",
    "Limits",
    "NetworkError",
    "NotFoundError",
    "ProtocolName",
    "ProviderEntry",
    "ProviderLike",
    "ProviderName",
    "Proxy",
    "ProxyError",
    "RateLimitError",
    "ReportError",
    "RetryPolicy",
    "Seconds",
    "ServiceError",
    "Solution",
    "SolveCancelledError",
    "SolveEvent",
    "SolveTimeoutError",
    "Step",
    "TaskKind",
    "UnsolvableError",
    "UsageError",
    "Cookies",
    "TASK_CLASSES",
    "__version__",
]
__all__ += _kinds.__all__



def _say_public_module() -> None:
    """Public classes say they live in `capbridge` (reprs, docs, pickles), not in a private
    module. Their annotations are strings (``from __future__ import annotations``) that
    ``typing.get_type_hints`` would then look up in `capbridge`, which lacks their names
    (``ClassVar``, ``Optional``, ...): so each is resolved first, in the module that wrote it."""
    for name in __all__:
        obj = globals()[name]
        if isinstance(obj, type) and obj.__module__.startswith("capbridge."):
            _resolve_annotations(obj)
            obj.__module__ = __name__


def _resolve_annotations(cls: type) -> None:
    own = cls.__dict__.get("__annotations__")
    if not own:
        return
    namespace = dict(vars(_sys.modules[cls.__module__]))
    resolved = {}
    for key, hint in own.items():
        if isinstance(hint, str):
            try:
                hint = eval(hint, namespace, dict(vars(cls)))  # our own annotations only
            except Exception:  # noqa: BLE001: a hint this Python cannot evaluate stays text
                pass
        resolved[key] = hint
    cls.__annotations__ = resolved


_say_public_module()
