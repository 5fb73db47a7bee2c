"""capbridge: solve captchas through any captcha-solving service.

One call turns a captcha into an answer, in blocking or asyncio form::

    import capbridge

    with capbridge.Client("2captcha", "YOUR_API_KEY") as client:
        solution = client.solve(capbridge.RecaptchaV2("https://example.com/login", "6Le-..."))
        print(solution.answer)

    async with capbridge.AsyncClient("2captcha", "YOUR_API_KEY") as client:
        solution = await client.solve(capbridge.HCaptcha("https://example.com", "10000000-..."))

Requests keep the services' limits, every request has a timeout and every solve a deadline,
and failures raise a :class:`CaptchaError` subclass that says what went wrong. Events of each
solve go to an ``on_event`` callback and to the ``capbridge`` logger (never the API key).
"""

from ._native import Event, Solution, __version__
from ._errors import (
    AuthError,
    BalanceError,
    CancelledError,
    CaptchaError,
    InvalidTaskError,
    NetworkError,
    NotFoundError,
    ProxyError,
    RateLimitError,
    ReportError,
    ServiceError,
    TimeoutError,
    UnsolvableError,
    UsageError,
)
from ._options import Limits, RetryPolicy
from ._tasks import FunCaptcha, HCaptcha, ImageToText, RecaptchaV2, RecaptchaV3, Task, Turnstile
from ._client import Client
from ._async import AsyncClient

__all__ = [
    "AsyncClient",
    "AuthError",
    "BalanceError",
    "CancelledError",
    "CaptchaError",
    "Client",
    "Event",
    "FunCaptcha",
    "HCaptcha",
    "ImageToText",
    "InvalidTaskError",
    "Limits",
    "NetworkError",
    "NotFoundError",
    "ProxyError",
    "RateLimitError",
    "RecaptchaV2",
    "RecaptchaV3",
    "ReportError",
    "RetryPolicy",
    "ServiceError",
    "Solution",
    "Task",
    "TimeoutError",
    "Turnstile",
    "UnsolvableError",
    "UsageError",
    "__version__",
]
