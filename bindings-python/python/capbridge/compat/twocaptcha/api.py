"""``ApiClient``: 2captcha-python's transport (``solver.api_client``), on capbridge's engine.

The solver reads ``api_client`` at every call. While it is an :class:`ApiClient` (the one the
constructor makes, or one made with another ``post_url``), each solve runs through
capbridge's engine: limits, batch polls, deadlines. Replace it with an object of your own
(a test double, a logging wrapper) and the solver calls that object's ``in_(files=...,
**fields)`` and ``res(**fields)`` with exactly the fields the original library sends, reads
``OK|...`` replies and polls the way the original does.

Called directly, ``in_`` and ``res`` answer as the service would (``OK|<id>``, ``OK|<answer>``,
``CAPCHA_NOT_READY``, the balance), and raise :class:`~.exceptions.api.ApiException` with the
service's code for its errors.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Mapping, Optional

import capbridge

from . import _engine
from ._tasks import Submit, wire_text
from .exceptions.api import ApiException, NetworkException
from .exceptions.solver import ValidationException


class ApiClient:
    """The transport of :class:`~.solver.TwoCaptcha`: ``in.php`` submits and ``res.php``
    requests of the service at ``post_url`` (``"2captcha.com"``, ``"rucaptcha.com"``, another
    host, or a whole base URL such as ``"http://127.0.0.1:8080/"``)."""

    def __init__(self, post_url: str = "2captcha.com", capbridge_options: Optional[Mapping[str, Any]] = None) -> None:
        self.post_url = post_url
        # Checked now, as capbridge.Client checks its options: a mistake there raises
        # ValidationException when the solver is made, not at its first solve.
        self.capbridge_options = _engine.checked_options(str(post_url), capbridge_options)

    def _client(
        self, key: str, soft_id: Optional[str], extended: bool, switches: Optional[Mapping[str, bool]] = None
    ) -> capbridge.Client:
        """The shared client of this server, key and options; ``switches``: the options a
        call's own fields ask for (``header_acao=1``), which choose the client."""
        options = {**(self.capbridge_options or {}), **switches} if switches else self.capbridge_options
        return _engine.sync_client(str(self.post_url), key, soft_id, extended, options)

    def in_(self, files: Optional[Mapping[str, Any]] = None, **kwargs: Any) -> str:
        """Submits a task from its ``in.php`` fields (``key`` among them) and files; returns
        ``OK|<task id>`` (JSON with ``json=1``)."""
        sub = Submit(kwargs, files)
        try:
            task_id = _engine.submit(self._client(sub.key, sub.soft_id, False, sub.switches), sub)
        except capbridge.CaptchaError as e:
            raise _engine.failure(e) from e
        return _ok(task_id, kwargs)

    def res(self, **kwargs: Any) -> str:
        """A ``res.php`` request from its fields: ``action=get`` (with ``id`` or ``ids``),
        ``getbalance``, ``reportgood``, ``reportbad``."""
        action = wire_text(kwargs.get("action", ""))
        key = wire_text(kwargs.get("key", ""))
        json_reply = _is_json(kwargs)
        try:
            client = self._client(key, None, json_reply)
            if action == "get" and "ids" in kwargs:
                ids = [i for i in wire_text(kwargs["ids"]).split(",") if i]
                return "|".join(_batch_item(client.result(i)) for i in ids)
            if action == "get":
                solution = client.result(wire_text(kwargs.get("id", "")))
                return _answer(solution, json_reply)
            if action == "getbalance":
                return _ok(str(client.balance()), kwargs, prefix="")
            if action in ("reportgood", "reportbad"):
                client.report(wire_text(kwargs.get("id", "")), action == "reportgood")
                return _ok("OK_REPORT_RECORDED", kwargs, prefix="")
        except capbridge.CaptchaError as e:
            raise _engine.failure(e) from e
        raise ValidationException(f"action={action!r}: capbridge's ApiClient sends get, getbalance, reportgood and reportbad")


def _is_json(fields: Mapping[str, Any]) -> bool:
    return "json" in fields and wire_text(fields["json"]) == "1"


def _ok(text: str, fields: Mapping[str, Any], prefix: str = "OK|") -> str:
    if _is_json(fields):
        return json.dumps({"status": 1, "request": text})
    return prefix + text


def _answer(solution: Optional[capbridge.Solution], json_reply: bool) -> str:
    if solution is None:
        return json.dumps({"status": 0, "request": "CAPCHA_NOT_READY"}) if json_reply else "CAPCHA_NOT_READY"
    if json_reply:
        reply: Dict[str, Any] = _engine.reply_of(solution, True)
        return json.dumps(reply, ensure_ascii=False)
    return "OK|" + _engine.code_of(solution)


def _batch_item(solution: Optional[capbridge.Solution]) -> str:
    return "CAPCHA_NOT_READY" if solution is None else _engine.code_of(solution)


__all__ = ["ApiClient", "ApiException", "NetworkException"]
