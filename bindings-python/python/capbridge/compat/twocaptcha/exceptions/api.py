"""The exceptions 2captcha-python's ``ApiClient`` raises: the service's error codes
(``str(e) == "ERROR_ZERO_BALANCE"``) and transport failures. Each derives from the solver's
class of the same name, so ``except twocaptcha.ApiException`` catches them too."""

from __future__ import annotations

from . import solver


class NetworkException(solver.NetworkException):
    """The service could not be reached, or answered with an HTTP error."""


class ApiException(solver.ApiException):
    """The service answered with an error code: ``str(e)`` is the code as the service wrote
    it (``"ERROR_ZERO_BALANCE"``, ``"ERROR_CAPTCHA_UNSOLVABLE"``)."""


__all__ = ["ApiException", "NetworkException"]
