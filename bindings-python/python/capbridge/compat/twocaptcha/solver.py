"""``TwoCaptcha``: 2captcha-python's blocking solver, on capbridge's engine.

The same constructor, methods, positional and keyword parameters, return values and
exceptions as 2captcha-python 2.0.9 (``from twocaptcha import TwoCaptcha``)::

    from capbridge.compat.twocaptcha import TwoCaptcha

    solver = TwoCaptcha("YOUR_API_KEY")
    result = solver.recaptcha(sitekey="6Le-...", url="https://example.com/login")
    print(result["captchaId"], result["code"])

Each solving method builds the library's ``in.php`` fields and calls :meth:`TwoCaptcha.solve`,
which runs one capbridge solve: the task goes through the engine's submit governor (the
service's limits kept, whatever the number of threads), is polled with every other task in
flight, and fails at its deadline (``defaultTimeout``, ``recaptchaTimeout``, or ``timeout=``).
The solver is safe to share between threads.
"""

from __future__ import annotations

import time
from typing import Any, Dict, Mapping, Optional, Protocol, Sequence, Union

import capbridge

from . import _engine, _params
from ._base import DEFAULT_TIMEOUT, POLLING_INTERVAL, RECAPTCHA_TIMEOUT, SOFT_ID, SolverBase
from ._tasks import Submit
from .api import ApiClient
from .exceptions import api as api_errors
from .exceptions.solver import (
    ApiException,
    NetworkException,
    SolverExceptions,
    TimeoutException,
    ValidationException,
)

Files = Union[str, Sequence[str], Mapping[str, str]]
"""One image (a path, base64, or an ``http`` URL), or several paths (a list, or a dict's
values)."""


class SyncApi(Protocol):
    """What the solver calls on ``api_client``: the library's transport methods, and its
    ``post_url`` (the host), which code written for the library sets after construction."""

    post_url: str

    def in_(self, files: Any = ..., **kwargs: Any) -> str: ...

    def res(self, **kwargs: Any) -> str: ...


class TwoCaptcha(SolverBase):
    """2captcha-python's ``TwoCaptcha``, each solve run by capbridge's engine.

    Args:
        apiKey: the account's API key.
        softId: the integrator id sent as ``soft_id`` (default 4580, as the library's).
        callback: a pingback URL: solves then return ``{"captchaId": ...}`` at once.
        defaultTimeout: seconds a solve may take (default 120), reCAPTCHA excepted.
        recaptchaTimeout: seconds a reCAPTCHA solve may take (default 600).
        pollingInterval: seconds between polls (default 10); the first poll waits the
            service's documented time for the kind.
        server: ``"2captcha.com"`` (default), ``"rucaptcha.com"``, another host speaking the
            same API, or a base URL (``"http://127.0.0.1:8080/"``, a local emulator).
        extendedResponse: return every field of the service's JSON reply (``useragent``,
            ``respKey``, ...) beside ``code``.
        capbridge_options: capbridge's own client options, a keyword the original does not
            have (``{"initial_delay": 5, "shared_limits": "redis://..."}``; see
            :class:`capbridge.Client`), checked here: an unknown name or a refused value
            raises :class:`ValidationException` before anything is sent.
    """

    api_client: SyncApi

    def __init__(
        self,
        apiKey: str,
        softId: Any = SOFT_ID,
        callback: Optional[str] = None,
        defaultTimeout: float = DEFAULT_TIMEOUT,
        recaptchaTimeout: float = RECAPTCHA_TIMEOUT,
        pollingInterval: float = POLLING_INTERVAL,
        server: str = "2captcha.com",
        extendedResponse: Optional[bool] = None,
        *,
        capbridge_options: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self.api_client = ApiClient(post_url=str(server), capbridge_options=capbridge_options)
        self._setup(apiKey, softId, callback, defaultTimeout, recaptchaTimeout, pollingInterval,
                    extendedResponse)

    # ---- solving methods (the library's, with its parameters) -------------------------------

    def normal(self, file: str, **kwargs: Any) -> Dict[str, Any]:
        """An image with text (``method=post`` or ``base64``): a path, base64, or a URL."""
        return self.solve(**self.get_method(file), **kwargs)

    def audio(self, file: str, lang: str, **kwargs: Any) -> Dict[str, Any]:
        """An mp3 captcha (``method=audio``): base64, a path or a URL ending in ``.mp3``;
        ``lang`` one of en, ru, de, el, pt, fr."""
        body = _params.audio_body(file)
        _params.check_audio_lang(lang)
        return self.solve(body=body, method="audio", lang=lang, **kwargs)

    def text(self, text: str, **kwargs: Any) -> Dict[str, Any]:
        """A question in plain text (``textcaptcha``)."""
        return self.solve(text=text, method="post", **kwargs)

    def recaptcha(self, sitekey: str, url: str, version: str = "v2", enterprise: int = 0,
                  **kwargs: Any) -> Dict[str, Any]:
        """reCAPTCHA v2 or v3 (``version="v3"``), Enterprise with ``enterprise=1``
        (``method=userrecaptcha``); its deadline is ``recaptchaTimeout``."""
        params = {"googlekey": sitekey, "url": url, "method": "userrecaptcha", "version": version,
                  "enterprise": enterprise, **kwargs}
        return self.solve(timeout=self.recaptcha_timeout, **params)

    def funcaptcha(self, sitekey: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Arkose Labs FunCaptcha (``method=funcaptcha``, ``publickey``)."""
        return self.solve(publickey=sitekey, url=url, method="funcaptcha", **kwargs)

    def geetest(self, gt: str, challenge: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """GeeTest v3 (``method=geetest``)."""
        return self.solve(gt=gt, challenge=challenge, url=url, method="geetest", **kwargs)

    def hcaptcha(self, sitekey: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """hCaptcha (``method=hcaptcha``; 2captcha has withdrawn it)."""
        return self.solve(sitekey=sitekey, url=url, method="hcaptcha", **kwargs)

    def keycaptcha(self, s_s_c_user_id: str, s_s_c_session_id: str, s_s_c_web_server_sign: str,
                   s_s_c_web_server_sign2: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """KeyCaptcha (``method=keycaptcha``)."""
        params = {"s_s_c_user_id": s_s_c_user_id, "s_s_c_session_id": s_s_c_session_id,
                  "s_s_c_web_server_sign": s_s_c_web_server_sign,
                  "s_s_c_web_server_sign2": s_s_c_web_server_sign2, "url": url,
                  "method": "keycaptcha", **kwargs}
        return self.solve(**params)

    def capy(self, sitekey: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Capy puzzle (``method=capy``, ``captchakey``)."""
        return self.solve(captchakey=sitekey, url=url, method="capy", **kwargs)

    def grid(self, file: str, **kwargs: Any) -> Dict[str, Any]:
        """A grid of pictures to click (``recaptcha=1``); answers ``click:3/6/9``."""
        return self.solve(**{"recaptcha": 1, **self.get_method(file), **kwargs})

    def canvas(self, file: str, **kwargs: Any) -> Dict[str, Any]:
        """A line to draw around an object (``recaptcha=1``, ``canvas=1``); needs ``hintText``
        or ``hintImg``."""
        _params.canvas_hint(kwargs)
        return self.solve(**{"recaptcha": 1, "canvas": 1, **self.get_method(file), **kwargs})

    def coordinates(self, file: str, **kwargs: Any) -> Dict[str, Any]:
        """Points to click (``coordinatescaptcha=1``); answers ``coordinates:x=..,y=..``."""
        return self.solve(**{"coordinatescaptcha": 1, **self.get_method(file), **kwargs})

    def rotate(self, files: Files, **kwargs: Any) -> Dict[str, Any]:
        """An object to turn upright (``method=rotatecaptcha``): one image (a path, base64 or a
        URL), or several paths (``file_1``, ...; at most ``max_files``)."""
        if isinstance(files, str):
            image = self.get_method(files)
            image.pop("method")
            return self.solve(method="rotatecaptcha", **image, **kwargs)
        return self.solve(files=self.extract_files(_params.file_list(files)), method="rotatecaptcha",
                          **kwargs)

    def geetest_v4(self, captcha_id: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """GeeTest v4 (``method=geetest_v4``)."""
        return self.solve(captcha_id=captcha_id, url=url, method="geetest_v4", **kwargs)

    def lemin(self, captcha_id: str, div_id: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Lemin cropped captcha (``method=lemin``)."""
        return self.solve(captcha_id=captcha_id, div_id=div_id, url=url, method="lemin", **kwargs)

    def atb_captcha(self, app_id: str, api_server: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """atbCAPTCHA (``method=atb_captcha``)."""
        return self.solve(app_id=app_id, api_server=api_server, url=url, method="atb_captcha", **kwargs)

    def turnstile(self, sitekey: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Cloudflare Turnstile (``method=turnstile``; ``action``, ``data``, ``pagedata``,
        ``useragent`` for challenge pages)."""
        return self.solve(sitekey=sitekey, url=url, method="turnstile", **kwargs)

    def amazon_waf(self, sitekey: str, iv: str, context: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Amazon WAF (``method=amazon_waf``)."""
        return self.solve(sitekey=sitekey, iv=iv, context=context, url=url, method="amazon_waf", **kwargs)

    def mtcaptcha(self, sitekey: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """MTCaptcha (``method=mt_captcha``)."""
        return self.solve(sitekey=sitekey, url=url, method="mt_captcha", **kwargs)

    def friendly_captcha(self, sitekey: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Friendly Captcha (``method=friendly_captcha``)."""
        return self.solve(sitekey=sitekey, url=url, method="friendly_captcha", **kwargs)

    def tencent(self, app_id: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Tencent captcha (``method=tencent``)."""
        return self.solve(app_id=app_id, url=url, method="tencent", **kwargs)

    def cutcaptcha(self, misery_key: str, apikey: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Cutcaptcha (``method=cutcaptcha``, ``misery_key``, ``api_key``)."""
        return self.solve(misery_key=misery_key, api_key=apikey, url=url, method="cutcaptcha", **kwargs)

    def vkimage(self, files: Files, steps: str, **kwargs: Any) -> Dict[str, Any]:
        """VK image captcha (``method=vkimage``): one image, or several paths, and ``steps``."""
        if isinstance(files, str):
            image = self.get_method(files)
            image.pop("method", None)
            return self.solve(method="vkimage", steps=steps, **image, **kwargs)
        return self.solve(method="vkimage", files=self.extract_files(_params.file_list(files)),
                          steps=steps, **kwargs)

    def vkcaptcha(self, redirect_uri: str, userAgent: str, proxy: Mapping[str, str],
                  **kwargs: Any) -> Dict[str, Any]:
        """VK captcha by token (``method=vkcaptcha``)."""
        return self.solve(method="vkcaptcha", redirect_uri=redirect_uri, useragent=userAgent, proxy=proxy,
                          **kwargs)

    def captchafox(self, sitekey: str, pageurl: str, userAgent: str, proxy: Mapping[str, str],
                   **kwargs: Any) -> Dict[str, Any]:
        """CaptchaFox (``method=captchafox``)."""
        return self.solve(method="captchafox", sitekey=sitekey, pageurl=pageurl, useragent=userAgent,
                          proxy=proxy, **kwargs)

    def prosopo(self, sitekey: str, pageurl: str, **kwargs: Any) -> Dict[str, Any]:
        """Prosopo (``method=prosopo``)."""
        return self.solve(method="prosopo", sitekey=sitekey, pageurl=pageurl, **kwargs)

    def temu(self, body: str, part1: str, part2: str, part3: str, **kwargs: Any) -> Dict[str, Any]:
        """Temu's puzzle (``method=temuimage``): the image and three tiles, as base64."""
        return self.solve(method="temuimage", body=body, part1=part1, part2=part2, part3=part3, **kwargs)

    def datadome(self, captcha_url: str, pageurl: str, userAgent: str, proxy: Mapping[str, str],
                 **kwargs: Any) -> Dict[str, Any]:
        """DataDome (``method=datadome``); a proxy is required."""
        return self.solve(method="datadome", captcha_url=captcha_url, pageurl=pageurl, userAgent=userAgent,
                          proxy=proxy, **kwargs)

    def cybersiara(self, master_url_id: str, pageurl: str, userAgent: str, **kwargs: Any) -> Dict[str, Any]:
        """CyberSiARA (``method=cybersiara``)."""
        return self.solve(method="cybersiara", master_url_id=master_url_id, pageurl=pageurl,
                          userAgent=userAgent, **kwargs)

    def yandex_smart(self, sitekey: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Yandex SmartCaptcha (``method=yandex``)."""
        return self.solve(sitekey=sitekey, url=url, method="yandex", **kwargs)

    def altcha(self, pageurl: str, **kwargs: Any) -> Dict[str, Any]:
        """Altcha (``method=altcha``; ``challenge_url`` or ``challenge_json``)."""
        return self.solve(pageurl=pageurl, method="altcha", **kwargs)

    def binance(self, pageurl: str, sitekey: str, validate_id: str, **kwargs: Any) -> Dict[str, Any]:
        """Binance's captcha (``method=binance``)."""
        return self.solve(method="binance", pageurl=pageurl, sitekey=sitekey, validate_id=validate_id,
                          **kwargs)

    def yidun(self, sitekey: str, pageurl: str, **kwargs: Any) -> Dict[str, Any]:
        """Yidun NECaptcha (``method=yidun``)."""
        return self.solve(method="yidun", pageurl=pageurl, sitekey=sitekey, **kwargs)

    def hunt(self, pageurl: str, api_get_lib: str, **kwargs: Any) -> Dict[str, Any]:
        """Hunt captcha (``method=hunt``)."""
        return self.solve(method="hunt", pageurl=pageurl, api_get_lib=api_get_lib, **kwargs)

    def alibaba(self, pageurl: str, scene_id: str, prefix: str, **kwargs: Any) -> Dict[str, Any]:
        """Alibaba captcha (``method=alibaba``)."""
        return self.solve(method="alibaba", pageurl=pageurl, scene_id=scene_id, prefix=prefix, **kwargs)

    def tspd(self, pageurl: str, tspd_cookie: str, html_page_base64: str, proxy: Mapping[str, str],
             **kwargs: Any) -> Dict[str, Any]:
        """TSPD (``method=tspd``)."""
        return self.solve(method="tspd", pageurl=pageurl, tspd_cookie=tspd_cookie,
                          html_page_base64=html_page_base64, proxy=proxy, **kwargs)

    def basilisk(self, pageurl: str, sitekey: str, **kwargs: Any) -> Dict[str, Any]:
        """Basilisk (``method=basilisk``)."""
        return self.solve(method="basilisk", pageurl=pageurl, sitekey=sitekey, **kwargs)

    # ---- the verbs ---------------------------------------------------------------------------

    def _engine_api(self) -> Optional[ApiClient]:
        """``api_client`` when it is capbridge's own (the engine then runs each solve whole);
        ``None`` for a caller's replacement, which gets the library's requests instead."""
        api = self.api_client
        if isinstance(api, ApiClient) and type(api).in_ is ApiClient.in_ and type(api).res is ApiClient.res:
            return api
        return None

    def solve(self, timeout: float = 0, polling_interval: float = 0, **kwargs: Any) -> Dict[str, Any]:
        """Sends a captcha from its fields (``method=...`` and the rest) and waits for the
        answer: ``{"captchaId": ..., "code": ...}``, or with ``extendedResponse`` every field
        of the reply. With a callback set, returns ``{"captchaId": ...}`` once submitted.

        ``timeout`` (seconds; default ``defaultTimeout``) bounds the whole solve;
        ``polling_interval`` (default ``pollingInterval``) spaces the polls."""
        api = self._engine_api()
        if api is None:
            return self._solve_by_requests(timeout, polling_interval, kwargs)
        params, files = self._prepare(kwargs)
        sub = Submit(params, files)
        extended = self._extended()
        deadline = float(timeout or self.default_timeout)
        try:
            client = api._client(sub.key, sub.soft_id, extended, sub.switches)
            if self.callback is not None:
                return {"captchaId": _engine.submit(client, sub)}
            solution = _engine.solve(client, sub, deadline, polling_interval or self.polling_interval)
        except capbridge.CaptchaError as e:
            raise _engine.failure(e, deadline) from e
        return _engine.result_of(solution, extended)

    def _solve_by_requests(self, timeout: float, polling_interval: float, kwargs: Dict[str, Any]) -> Dict[str, Any]:
        """The library's own loop, through a caller's ``api_client``: send, then poll every
        ``polling_interval`` seconds until the answer or ``timeout``."""
        id_ = self.send(**kwargs)
        result: Dict[str, Any] = {"captchaId": id_}
        if self.callback is None:
            deadline = float(timeout or self.default_timeout)
            sleep = int(polling_interval or self.polling_interval)
            code = self.wait_result(id_, deadline, sleep)
            if self._extended():
                result.update({("code" if k == "request" else k): v for k, v in code.items() if k != "status"})
            else:
                result.update({"code": code})
        return result

    def wait_result(self, id_: str, timeout: float, polling_interval: float) -> Any:
        """Polls a task until its answer (``get_result``'s value) or ``timeout`` seconds."""
        api = self._engine_api()
        if api is not None:
            extended = self._extended()
            try:
                client = api._client(str(self.API_KEY), _soft_id(self.soft_id), extended)
                solution = client.wait(str(id_), timeout=_engine.timeout_of(timeout),
                                       poll_interval=_engine.interval_of(polling_interval))
            except capbridge.CaptchaError as e:
                raise _engine.failure(e, timeout) from e
            return _engine.reply_of(solution, extended)
        max_wait = time.time() + timeout
        while time.time() < max_wait:
            try:
                return self.get_result(id_)
            except NetworkException as e:
                if isinstance(e, api_errors.NetworkException):
                    raise  # the transport failed: the library does not wait that out
                time.sleep(polling_interval)
        raise TimeoutException(f"timeout {timeout} exceeded")

    def get_method(self, file: str) -> Dict[str, Any]:
        """How an image travels: ``{"method": "post", "file": path}``, or ``base64`` with
        ``body`` (for base64 text, and for an ``http`` URL, downloaded)."""
        return _params.image_method(file)

    def send(self, **kwargs: Any) -> str:
        """Submits a captcha from its fields (``method`` and the rest) without waiting;
        returns its id."""
        params, files = self._prepare(kwargs)
        response = self.api_client.in_(files=files, **params)
        if not response.startswith("OK|"):
            raise ApiException(f"cannot recognize response {response}")
        return response[3:]

    def get_result(self, id_: str) -> Any:
        """Asks once for an answer: the code (with ``extendedResponse``, the reply as a dict);
        raises ``NetworkException`` while it is not ready."""
        if self._extended():
            response = self.api_client.res(key=self.API_KEY, action="get", id=id_, json=1)
            return _extended_reply(response)
        response = self.api_client.res(key=self.API_KEY, action="get", id=id_)
        if response == "CAPCHA_NOT_READY":
            raise NetworkException
        if not response.startswith("OK|"):
            raise ApiException(f"cannot recognize response {response}")
        return response[3:]

    def balance(self) -> float:
        """The account's balance."""
        response = self.api_client.res(key=self.API_KEY, action="getbalance")
        return float(response)

    def report(self, id_: str, correct: bool) -> str:
        """Reports an answer as accepted (``correct=True``) or refused; the service's reply
        (``OK_REPORT_RECORDED``)."""
        rep = "reportgood" if correct else "reportbad"
        return self.api_client.res(key=self.API_KEY, action=rep, id=id_)


def _soft_id(value: Any) -> Optional[str]:
    return str(value) if value else None


def _extended_reply(response: str) -> Dict[str, Any]:
    import json

    data: Dict[str, Any] = json.loads(response)
    if data.get("status") == 0:
        raise NetworkException
    if not data.get("status") == 1:
        raise ApiException(f"Unexpected status in response: {data}")
    return data


__all__ = [
    "ApiException",
    "NetworkException",
    "SolverExceptions",
    "TimeoutException",
    "TwoCaptcha",
    "ValidationException",
]
