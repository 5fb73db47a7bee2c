"""2captcha-python's API on capbridge's engine: change one import, keep your code.

::

    from capbridge.compat.twocaptcha import TwoCaptcha          # was: from twocaptcha import TwoCaptcha

    solver = TwoCaptcha("YOUR_API_KEY")
    result = solver.recaptcha(sitekey="6Le-...", url="https://example.com/login")

The same names at the same paths as the library (``twocaptcha.TwoCaptcha``,
``AsyncTwoCaptcha``, ``ApiClient``, ``AsyncApiClient``, ``twocaptcha.solver``,
``twocaptcha.api``, ``twocaptcha.exceptions.api``, ``twocaptcha.exceptions.solver``), the
same methods, parameters, results and exceptions. Underneath, each call is a capbridge solve:
the service's request limits are kept however many threads or coroutines call at once, tasks
in flight are polled together where the kind allows it, every solve has a deadline, and the exceptions carry
capbridge's ``kind``, ``code``, ``retryable``, ``retry_after`` and ``task_id``.

Imports without ``requests``, ``httpx`` or ``aiofiles``. Where behaviour differs from the
library, the README's migration section says so (and the ``capbridge.compat.twocaptcha``
logger says it once, at INFO).
"""

from .api import ApiClient
from .async_api import AsyncApiClient
from .async_solver import AsyncTwoCaptcha
from .exceptions.solver import (
    ApiException,
    NetworkException,
    SolverExceptions,
    TimeoutException,
    ValidationException,
)
from .solver import TwoCaptcha

__version__ = "2.0.9"
"""The version of 2captcha-python whose API this module follows."""

__all__ = [
    "ApiClient",
    "ApiException",
    "AsyncApiClient",
    "AsyncTwoCaptcha",
    "NetworkException",
    "SolverExceptions",
    "TimeoutException",
    "TwoCaptcha",
    "ValidationException",
]
