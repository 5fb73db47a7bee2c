"""What ``TwoCaptcha`` and ``AsyncTwoCaptcha`` share: the constructor's attributes and the
library's synchronous parameter helpers (``default_params``, ``rename_params``,
``check_hint_img``, ``extract_files``), which both originals expose as plain methods."""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence, Tuple, Type

from . import _engine, _params
from .exceptions.solver import SolverExceptions

# The library's defaults: seconds, as its constructor documents them.
DEFAULT_TIMEOUT = 120
RECAPTCHA_TIMEOUT = 600
POLLING_INTERVAL = 10
SOFT_ID = 4580


class SolverBase:
    """Attributes of a solver, read at every call (as the library reads them), so that a
    caller may change ``API_KEY``, ``api_client``, ``polling_interval``, ``max_files`` or
    ``extendedResponse`` after construction."""

    API_KEY: str
    soft_id: Any
    callback: Optional[str]
    default_timeout: float
    recaptcha_timeout: float
    polling_interval: float
    max_files: int
    exceptions: Type[SolverExceptions]
    extendedResponse: Optional[bool]
    has_callback: bool

    def _setup(
        self,
        apiKey: str,
        softId: Any,
        callback: Optional[str],
        defaultTimeout: float,
        recaptchaTimeout: float,
        pollingInterval: float,
        extendedResponse: Optional[bool],
    ) -> None:
        self.API_KEY = apiKey
        self.soft_id = softId
        self.callback = callback
        self.default_timeout = defaultTimeout
        self.recaptcha_timeout = recaptchaTimeout
        self.polling_interval = pollingInterval
        self.max_files = 9
        self.exceptions = SolverExceptions
        self.extendedResponse = extendedResponse
        self.has_callback = bool(callback)
        _engine.note_differences()

    def _extended(self) -> bool:
        return self.extendedResponse == True  # noqa: E712 - the library's test, kept

    def _prepare(self, kwargs: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
        """A call's keyword arguments as ``in.php`` fields and files, as ``send`` builds them."""
        params = self.default_params(kwargs)
        params = self.rename_params(params)
        return self.check_hint_img(params)

    def default_params(self, params: Dict[str, Any]) -> Dict[str, Any]:
        """Adds ``key``, and the callback and soft id (the call's, else the instance's)."""
        params = _params.default_params(params, self.API_KEY, self.callback, self.soft_id)
        self.has_callback = "callback" in params
        return params

    def rename_params(self, params: Dict[str, Any]) -> Dict[str, Any]:
        """The keyword spellings as ``in.php`` fields (``hintText`` -> ``textinstructions``,
        ``url`` -> ``pageurl``, ...); a proxy ``{"type", "uri"}`` as ``proxy``/``proxytype``."""
        return _params.rename_params(params)

    def extract_files(self, files: Sequence[str]) -> Dict[str, str]:
        """Several image paths as ``file_1``, ``file_2``, ... (at most ``max_files``)."""
        return _params.extract_files(files, self.max_files)

    def check_hint_img(self, params: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
        """Splits files from fields; a hint image given as a path becomes a file part."""
        return _params.check_hint_img(params)
