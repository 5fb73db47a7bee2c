"""``AsyncApiClient``: the asyncio twin of :class:`~.api.ApiClient`, on capbridge's asyncio
client (no ``httpx`` or ``aiofiles`` needed). ``await api_client.in_(files=..., **fields)``
and ``await api_client.res(**fields)`` answer as the service would; a replacement object
with those coroutines receives exactly the fields the original library sends."""

from __future__ import annotations

from typing import Any, Mapping, Optional

import capbridge

from . import _engine
from ._tasks import Submit, wire_text
from .api import _answer, _batch_item, _is_json, _ok
from .exceptions.api import ApiException, NetworkException
from .exceptions.solver import ValidationException


class AsyncApiClient:
    """The transport of :class:`~.async_solver.AsyncTwoCaptcha`; see
    :class:`~.api.ApiClient`."""

    def __init__(self, post_url: str = "2captcha.com", capbridge_options: Optional[Mapping[str, Any]] = None) -> None:
        self.post_url = post_url
        # Checked now, as capbridge.Client checks its options: a mistake there raises
        # ValidationException when the solver is made, not at its first solve.
        self.capbridge_options = _engine.checked_options(str(post_url), capbridge_options)

    def _client(
        self, key: str, soft_id: Optional[str], extended: bool, switches: Optional[Mapping[str, bool]] = None
    ) -> capbridge.AsyncClient:
        """The shared client of this server, key and options; ``switches``: the options a
        call's own fields ask for (``header_acao=1``), which choose the client."""
        options = {**(self.capbridge_options or {}), **switches} if switches else self.capbridge_options
        return _engine.async_client(str(self.post_url), key, soft_id, extended, options)

    async def in_(self, files: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> str:
        """Submits a task from its ``in.php`` fields and files; ``OK|<task id>``."""
        sub = Submit(kwargs, files)
        try:
            task_id = await _engine.submit_async(self._client(sub.key, sub.soft_id, False, sub.switches), sub)
        except capbridge.CaptchaError as e:
            raise _engine.failure(e) from e
        return _ok(task_id, kwargs)

    async def res(self, **kwargs: Any) -> str:
        """A ``res.php`` request from its fields; see :meth:`.api.ApiClient.res`."""
        action = wire_text(kwargs.get("action", ""))
        key = wire_text(kwargs.get("key", ""))
        json_reply = _is_json(kwargs)
        try:
            client = self._client(key, None, json_reply)
            if action == "get" and "ids" in kwargs:
                ids = [i for i in wire_text(kwargs["ids"]).split(",") if i]
                return "|".join([_batch_item(await client.result(i)) for i in ids])
            if action == "get":
                return _answer(await client.result(wire_text(kwargs.get("id", ""))), json_reply)
            if action == "getbalance":
                return _ok(str(await client.balance()), kwargs, prefix="")
            if action in ("reportgood", "reportbad"):
                await client.report(wire_text(kwargs.get("id", "")), action == "reportgood")
                return _ok("OK_REPORT_RECORDED", kwargs, prefix="")
        except capbridge.CaptchaError as e:
            raise _engine.failure(e) from e
        raise ValidationException(f"action={action!r}: capbridge's AsyncApiClient sends get, getbalance, reportgood and reportbad")


__all__ = ["ApiException", "AsyncApiClient", "NetworkException"]
