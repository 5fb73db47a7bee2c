"""The exceptions 2captcha-python's solver raises (``from twocaptcha import ApiException``).

Every class here and in :mod:`.api` derives from :class:`SolverExceptions` (the library's
``solver.exceptions``), and each carries capbridge's view of the failure besides its message:

* ``kind``: capbridge's error kind (``"balance"``, ``"timeout"``, ``"network"``, ...), or
  ``None`` when the shim itself raised it (a missing file, a bad argument);
* ``code``: the service's raw code (``"ERROR_ZERO_BALANCE"``), if any;
* ``retryable`` and ``retry_after``: whether the same call may succeed later, and after how
  many seconds;
* ``task_id``: the service's task id once there is one (a timed-out solve can still be
  collected with ``solver.get_result(e.task_id)``).

The original library has two unrelated ``ApiException`` classes (``twocaptcha.ApiException``,
raised when a reply cannot be read, and ``twocaptcha.exceptions.api.ApiException``, raised
for the service's error codes), so that ``except ApiException`` missed a zero balance. Here
the second derives from the first (and ``api.NetworkException`` from ``NetworkException``):
code that catches either class keeps catching what it caught before, and
``except ApiException`` now also catches the service's errors.
"""

from __future__ import annotations

from typing import Any, Optional


class SolverExceptions(Exception):
    """Base class of every exception of the shim (``solver.exceptions``)."""

    kind: Optional[str] = None
    code: Optional[str] = None
    retryable: bool = False
    retry_after: Optional[float] = None
    task_id: Optional[str] = None

    def __init__(
        self,
        *args: Any,
        kind: Optional[str] = None,
        code: Optional[str] = None,
        retryable: bool = False,
        retry_after: Optional[float] = None,
        task_id: Optional[str] = None,
    ) -> None:
        super().__init__(*args)
        self.kind = kind
        self.code = code
        self.retryable = retryable
        self.retry_after = retry_after
        self.task_id = task_id

    def __reduce__(self) -> Any:
        # Picklable with the added attributes (multiprocessing, concurrent.futures).
        return (_rebuild, (type(self), self.args, self.kind, self.code, self.retryable,
                           self.retry_after, self.task_id))


def _rebuild(
    cls: "type[SolverExceptions]",
    args: Any,
    kind: Optional[str],
    code: Optional[str],
    retryable: bool,
    retry_after: Optional[float],
    task_id: Optional[str],
) -> SolverExceptions:
    return cls(*args, kind=kind, code=code, retryable=retryable, retry_after=retry_after,
               task_id=task_id)


class ValidationException(SolverExceptions):
    """An argument was refused before anything was sent (a missing file, too many files, a
    language the method does not take)."""


class NetworkException(SolverExceptions):
    """The service could not be reached (``api.NetworkException`` derives from this class).
    ``get_result`` also raises it while the answer is not ready, as the original does."""


class ApiException(SolverExceptions):
    """The service's reply could not be used; ``api.ApiException`` (the service's own error
    codes) derives from this class."""


class TimeoutException(SolverExceptions):
    """The solve's deadline passed; ``task_id`` says which task."""


__all__ = ["ApiException", "NetworkException", "SolverExceptions", "TimeoutException", "ValidationException"]
