"""``AsyncTwoCaptcha``: 2captcha-python's asyncio solver, on capbridge's asyncio client.

The same constructor, coroutines, parameters, return values and exceptions as the library's
``AsyncTwoCaptcha`` (``from twocaptcha import AsyncTwoCaptcha``), without ``httpx`` or
``aiofiles``::

    from capbridge.compat.twocaptcha import AsyncTwoCaptcha

    solver = AsyncTwoCaptcha("YOUR_API_KEY")
    results = await asyncio.gather(*(solver.recaptcha(sitekey=key, url=url) for _ in range(100)))

Thousands of solves under ``asyncio.gather`` share one engine: the service's limits are kept,
tasks in flight are polled together where the kind allows it, and each solve has a deadline. Cancelling the awaiting
task stops its solve's polling.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any, Awaitable, Dict, Mapping, Optional, Protocol

import capbridge

from . import _engine, _params
from ._base import DEFAULT_TIMEOUT, POLLING_INTERVAL, RECAPTCHA_TIMEOUT, SOFT_ID, SolverBase
from ._tasks import Submit
from .async_api import AsyncApiClient
from .exceptions import api as api_errors
from .exceptions.solver import (
    ApiException,
    NetworkException,
    SolverExceptions,
    TimeoutException,
    ValidationException,
)
from .solver import Files


class AsyncApi(Protocol):
    """What the solver awaits on ``api_client``: the library's transport coroutines, and its
    ``post_url`` (the host), which code written for the library sets after construction."""

    post_url: str

    def in_(self, files: Any = ..., **kwargs: Any) -> Awaitable[str]: ...

    def res(self, **kwargs: Any) -> Awaitable[str]: ...


class AsyncTwoCaptcha(SolverBase):
    """2captcha-python's ``AsyncTwoCaptcha``; the same arguments as
    :class:`~.solver.TwoCaptcha`, every method a coroutine."""

    api_client: AsyncApi

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
        self.api_client = AsyncApiClient(post_url=str(server), capbridge_options=capbridge_options)
        self._setup(apiKey, softId, callback, defaultTimeout, recaptchaTimeout, pollingInterval,
                    extendedResponse)

    # ---- solving methods (the library's, with its parameters) -------------------------------

    async def normal(self, file: str, **kwargs: Any) -> Dict[str, Any]:
        """An image with text (``method=post`` or ``base64``): a path, base64, or a URL."""
        return await self.solve(**await self.get_method(file), **kwargs)

    async def audio(self, file: str, lang: str, **kwargs: Any) -> Dict[str, Any]:
        """An mp3 captcha (``method=audio``): base64, a path or a URL ending in ``.mp3``;
        ``lang`` one of en, ru, de, el, pt, fr."""
        body = await _audio_body(file)
        _params.check_audio_lang(lang)
        return await self.solve(body=body, method="audio", lang=lang, **kwargs)

    async def text(self, text: str, **kwargs: Any) -> Dict[str, Any]:
        """A question in plain text (``textcaptcha``)."""
        return await self.solve(text=text, method="post", **kwargs)

    async def recaptcha(self, sitekey: str, url: str, version: str = "v2", enterprise: int = 0,
                  **kwargs: Any) -> Dict[str, Any]:
        """reCAPTCHA v2 or v3 (``version="v3"``), Enterprise with ``enterprise=1``
        (``method=userrecaptcha``); its deadline is ``recaptchaTimeout``."""
        params = {"googlekey": sitekey, "url": url, "method": "userrecaptcha", "version": version,
                  "enterprise": enterprise, **kwargs}
        return await self.solve(timeout=self.recaptcha_timeout, **params)

    async def funcaptcha(self, sitekey: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Arkose Labs FunCaptcha (``method=funcaptcha``, ``publickey``)."""
        return await self.solve(publickey=sitekey, url=url, method="funcaptcha", **kwargs)

    async def geetest(self, gt: str, challenge: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """GeeTest v3 (``method=geetest``)."""
        return await self.solve(gt=gt, challenge=challenge, url=url, method="geetest", **kwargs)

    async def hcaptcha(self, sitekey: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """hCaptcha (``method=hcaptcha``; 2captcha has withdrawn it)."""
        return await self.solve(sitekey=sitekey, url=url, method="hcaptcha", **kwargs)

    async def keycaptcha(self, s_s_c_user_id: str, s_s_c_session_id: str, s_s_c_web_server_sign: str,
                   s_s_c_web_server_sign2: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """KeyCaptcha (``method=keycaptcha``)."""
        params = {"s_s_c_user_id": s_s_c_user_id, "s_s_c_session_id": s_s_c_session_id,
                  "s_s_c_web_server_sign": s_s_c_web_server_sign,
                  "s_s_c_web_server_sign2": s_s_c_web_server_sign2, "url": url,
                  "method": "keycaptcha", **kwargs}
        return await self.solve(**params)

    async def capy(self, sitekey: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Capy puzzle (``method=capy``, ``captchakey``)."""
        return await self.solve(captchakey=sitekey, url=url, method="capy", **kwargs)

    async def grid(self, file: str, **kwargs: Any) -> Dict[str, Any]:
        """A grid of pictures to click (``recaptcha=1``); answers ``click:3/6/9``."""
        return await self.solve(**{"recaptcha": 1, **await self.get_method(file), **kwargs})

    async def canvas(self, file: str, **kwargs: Any) -> Dict[str, Any]:
        """A line to draw around an object (``recaptcha=1``, ``canvas=1``); needs ``hintText``
        or ``hintImg``."""
        _params.canvas_hint(kwargs)
        return await self.solve(**{"recaptcha": 1, "canvas": 1, **await self.get_method(file), **kwargs})

    async def coordinates(self, file: str, **kwargs: Any) -> Dict[str, Any]:
        """Points to click (``coordinatescaptcha=1``); answers ``coordinates:x=..,y=..``."""
        return await self.solve(**{"coordinatescaptcha": 1, **await self.get_method(file), **kwargs})

    async def rotate(self, files: Files, **kwargs: Any) -> Dict[str, Any]:
        """An object to turn upright (``method=rotatecaptcha``): one image (a path, base64 or a
        URL), or several paths (``file_1``, ...; at most ``max_files``)."""
        if isinstance(files, str):
            image = await self.get_method(files)
            image.pop("method")
            return await self.solve(method="rotatecaptcha", **image, **kwargs)
        return await self.solve(files=self.extract_files(_params.file_list(files)), method="rotatecaptcha",
                          **kwargs)

    async def geetest_v4(self, captcha_id: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """GeeTest v4 (``method=geetest_v4``)."""
        return await self.solve(captcha_id=captcha_id, url=url, method="geetest_v4", **kwargs)

    async def lemin(self, captcha_id: str, div_id: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Lemin cropped captcha (``method=lemin``)."""
        return await self.solve(captcha_id=captcha_id, div_id=div_id, url=url, method="lemin", **kwargs)

    async def atb_captcha(self, app_id: str, api_server: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """atbCAPTCHA (``method=atb_captcha``)."""
        return await self.solve(app_id=app_id, api_server=api_server, url=url, method="atb_captcha", **kwargs)

    async def turnstile(self, sitekey: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Cloudflare Turnstile (``method=turnstile``; ``action``, ``data``, ``pagedata``,
        ``useragent`` for challenge pages)."""
        return await self.solve(sitekey=sitekey, url=url, method="turnstile", **kwargs)

    async def amazon_waf(self, sitekey: str, iv: str, context: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Amazon WAF (``method=amazon_waf``)."""
        return await self.solve(sitekey=sitekey, iv=iv, context=context, url=url, method="amazon_waf", **kwargs)

    async def mtcaptcha(self, sitekey: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """MTCaptcha (``method=mt_captcha``)."""
        return await self.solve(sitekey=sitekey, url=url, method="mt_captcha", **kwargs)

    async def friendly_captcha(self, sitekey: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Friendly Captcha (``method=friendly_captcha``)."""
        return await self.solve(sitekey=sitekey, url=url, method="friendly_captcha", **kwargs)

    async def tencent(self, app_id: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Tencent captcha (``method=tencent``)."""
        return await self.solve(app_id=app_id, url=url, method="tencent", **kwargs)

    async def cutcaptcha(self, misery_key: str, apikey: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Cutcaptcha (``method=cutcaptcha``, ``misery_key``, ``api_key``)."""
        return await self.solve(misery_key=misery_key, api_key=apikey, url=url, method="cutcaptcha", **kwargs)

    async def vkimage(self, files: Files, steps: str, **kwargs: Any) -> Dict[str, Any]:
        """VK image captcha (``method=vkimage``): one image, or several paths, and ``steps``."""
        if isinstance(files, str):
            image = await self.get_method(files)
            image.pop("method", None)
            return await self.solve(method="vkimage", steps=steps, **image, **kwargs)
        return await self.solve(method="vkimage", files=self.extract_files(_params.file_list(files)),
                          steps=steps, **kwargs)

    async def vkcaptcha(self, redirect_uri: str, userAgent: str, proxy: Mapping[str, str],
                  **kwargs: Any) -> Dict[str, Any]:
        """VK captcha by token (``method=vkcaptcha``)."""
        return await self.solve(method="vkcaptcha", redirect_uri=redirect_uri, useragent=userAgent, proxy=proxy,
                          **kwargs)

    async def captchafox(self, sitekey: str, pageurl: str, userAgent: str, proxy: Mapping[str, str],
                   **kwargs: Any) -> Dict[str, Any]:
        """CaptchaFox (``method=captchafox``)."""
        return await self.solve(method="captchafox", sitekey=sitekey, pageurl=pageurl, useragent=userAgent,
                          proxy=proxy, **kwargs)

    async def prosopo(self, sitekey: str, pageurl: str, **kwargs: Any) -> Dict[str, Any]:
        """Prosopo (``method=prosopo``)."""
        return await self.solve(method="prosopo", sitekey=sitekey, pageurl=pageurl, **kwargs)

    async def temu(self, body: str, part1: str, part2: str, part3: str, **kwargs: Any) -> Dict[str, Any]:
        """Temu's puzzle (``method=temuimage``): the image and three tiles, as base64."""
        return await self.solve(method="temuimage", body=body, part1=part1, part2=part2, part3=part3, **kwargs)

    async def datadome(self, captcha_url: str, pageurl: str, userAgent: str, proxy: Mapping[str, str],
                 **kwargs: Any) -> Dict[str, Any]:
        """DataDome (``method=datadome``); a proxy is required."""
        return await self.solve(method="datadome", captcha_url=captcha_url, pageurl=pageurl, userAgent=userAgent,
                          proxy=proxy, **kwargs)

    async def cybersiara(self, master_url_id: str, pageurl: str, userAgent: str, **kwargs: Any) -> Dict[str, Any]:
        """CyberSiARA (``method=cybersiara``)."""
        return await self.solve(method="cybersiara", master_url_id=master_url_id, pageurl=pageurl,
                          userAgent=userAgent, **kwargs)

    async def yandex_smart(self, sitekey: str, url: str, **kwargs: Any) -> Dict[str, Any]:
        """Yandex SmartCaptcha (``method=yandex``)."""
        return await self.solve(sitekey=sitekey, url=url, method="yandex", **kwargs)

    async def altcha(self, pageurl: str, **kwargs: Any) -> Dict[str, Any]:
        """Altcha (``method=altcha``; ``challenge_url`` or ``challenge_json``)."""
        return await self.solve(pageurl=pageurl, method="altcha", **kwargs)

    async def binance(self, pageurl: str, sitekey: str, validate_id: str, **kwargs: Any) -> Dict[str, Any]:
        """Binance's captcha (``method=binance``)."""
        return await self.solve(method="binance", pageurl=pageurl, sitekey=sitekey, validate_id=validate_id,
                          **kwargs)

    async def yidun(self, sitekey: str, pageurl: str, **kwargs: Any) -> Dict[str, Any]:
        """Yidun NECaptcha (``method=yidun``)."""
        return await self.solve(method="yidun", pageurl=pageurl, sitekey=sitekey, **kwargs)

    async def hunt(self, pageurl: str, api_get_lib: str, **kwargs: Any) -> Dict[str, Any]:
        """Hunt captcha (``method=hunt``)."""
        return await self.solve(method="hunt", pageurl=pageurl, api_get_lib=api_get_lib, **kwargs)

    async def alibaba(self, pageurl: str, scene_id: str, prefix: str, **kwargs: Any) -> Dict[str, Any]:
        """Alibaba captcha (``method=alibaba``)."""
        return await self.solve(method="alibaba", pageurl=pageurl, scene_id=scene_id, prefix=prefix, **kwargs)

    async def tspd(self, pageurl: str, tspd_cookie: str, html_page_base64: str, proxy: Mapping[str, str],
             **kwargs: Any) -> Dict[str, Any]:
        """TSPD (``method=tspd``)."""
        return await self.solve(method="tspd", pageurl=pageurl, tspd_cookie=tspd_cookie,
                          html_page_base64=html_page_base64, proxy=proxy, **kwargs)

    async def basilisk(self, pageurl: str, sitekey: str, **kwargs: Any) -> Dict[str, Any]:
        """Basilisk (``method=basilisk``)."""
        return await self.solve(method="basilisk", pageurl=pageurl, sitekey=sitekey, **kwargs)

    # ---- the verbs ---------------------------------------------------------------------------

    def _engine_api(self) -> Optional[AsyncApiClient]:
        """``api_client`` when it is capbridge's own; ``None`` for a caller's replacement."""
        api = self.api_client
        if (isinstance(api, AsyncApiClient) and type(api).in_ is AsyncApiClient.in_
                and type(api).res is AsyncApiClient.res):
            return api
        return None

    async def solve(self, timeout: float = 0, polling_interval: float = 0, **kwargs: Any) -> Dict[str, Any]:
        """Sends a captcha from its fields and waits for the answer; see
        :meth:`.solver.TwoCaptcha.solve`."""
        api = self._engine_api()
        if api is None:
            return await self._solve_by_requests(timeout, polling_interval, kwargs)
        params, files = self._prepare(kwargs)
        sub = Submit(params, files)
        extended = self._extended()
        deadline = float(timeout or self.default_timeout)
        try:
            client = api._client(sub.key, sub.soft_id, extended, sub.switches)
            if self.callback is not None:
                return {"captchaId": await _engine.submit_async(client, sub)}
            solution = await _engine.solve_async(client, sub, deadline, polling_interval or self.polling_interval)
        except capbridge.CaptchaError as e:
            raise _engine.failure(e, deadline) from e
        return _engine.result_of(solution, extended)

    async def _solve_by_requests(self, timeout: float, polling_interval: float,
                                 kwargs: Dict[str, Any]) -> Dict[str, Any]:
        """The library's own loop, through a caller's ``api_client``."""
        id_ = await self.send(**kwargs)
        result: Dict[str, Any] = {"captchaId": id_}
        if self.callback is None:
            deadline = float(timeout or self.default_timeout)
            sleep = int(polling_interval or self.polling_interval)
            code = await self.wait_result(id_, deadline, sleep)
            if self._extended():
                result.update({("code" if k == "request" else k): v for k, v in code.items() if k != "status"})
            else:
                result.update({"code": code})
        return result

    async def wait_result(self, id_: str, timeout: float, polling_interval: float) -> Any:
        """Polls a task until its answer or ``timeout`` seconds."""
        api = self._engine_api()
        if api is not None:
            extended = self._extended()
            try:
                client = api._client(str(self.API_KEY), str(self.soft_id) if self.soft_id else None, extended)
                solution = await client.wait(str(id_), timeout=_engine.timeout_of(timeout),
                                             poll_interval=_engine.interval_of(polling_interval))
            except capbridge.CaptchaError as e:
                raise _engine.failure(e, timeout) from e
            return _engine.reply_of(solution, extended)
        max_wait = time.time() + timeout
        while time.time() < max_wait:
            try:
                return await self.get_result(id_)
            except NetworkException as e:
                if isinstance(e, api_errors.NetworkException):
                    raise
                await asyncio.sleep(polling_interval)
        raise TimeoutException(f"timeout {timeout} exceeded")

    async def get_method(self, file: str) -> Dict[str, Any]:
        """How an image travels (a URL is downloaded off the event loop)."""
        data = await asyncio.to_thread(_params.download, file) if _params.needs_download(file) else None
        return _params.image_method(file, data)

    async def send(self, **kwargs: Any) -> str:
        """Submits a captcha from its fields without waiting; returns its id."""
        params, files = self._prepare(kwargs)
        response = await self.api_client.in_(files=files, **params)
        if not response.startswith("OK|"):
            raise ApiException(f"cannot recognize response {response}")
        return response[3:]

    async def get_result(self, id_: str) -> Any:
        """Asks once for an answer; raises ``NetworkException`` while it is not ready."""
        if self._extended():
            response = await self.api_client.res(key=self.API_KEY, action="get", id=id_, json=1)
            data: Dict[str, Any] = json.loads(response)
            if data.get("status") == 0:
                raise NetworkException
            if not data.get("status") == 1:
                raise ApiException(f"Unexpected status in response: {data}")
            return data
        response = await self.api_client.res(key=self.API_KEY, action="get", id=id_)
        if response == "CAPCHA_NOT_READY":
            raise NetworkException
        if not response.startswith("OK|"):
            raise ApiException(f"cannot recognize response {response}")
        return response[3:]

    async def balance(self) -> float:
        """The account's balance."""
        response = await self.api_client.res(key=self.API_KEY, action="getbalance")
        return float(response)

    async def report(self, id_: str, correct: bool) -> str:
        """Reports an answer as accepted (``correct=True``) or refused."""
        rep = "reportgood" if correct else "reportbad"
        return await self.api_client.res(key=self.API_KEY, action=rep, id=id_)


async def _audio_body(file: str) -> str:
    data = await asyncio.to_thread(_params.download, file) if _params.audio_needs_download(file) else None
    return _params.audio_body(file, data)


__all__ = [
    "ApiException",
    "AsyncTwoCaptcha",
    "NetworkException",
    "SolverExceptions",
    "TimeoutException",
    "ValidationException",
]
