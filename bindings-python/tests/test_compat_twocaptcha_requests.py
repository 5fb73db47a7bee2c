"""capbridge.compat.twocaptcha with a caller's own ``api_client``: the swap 2captcha-python
documents (its own test suite replaces ``solver.api_client`` with an object whose ``in_`` and
``res`` record their arguments). Whatever replaces it receives exactly the fields the library
sends, for every method: the expected fields below are written from the library's
documentation and source (``solver.py`` of 2captcha-python 2.0.9: each method's fields, its
``rename_params`` table, ``default_params``' ``key`` and ``soft_id`` 4580, ``check_hint_img``
and ``extract_files``), never from the shim.

The engine is not involved here: a replaced ``api_client`` does the transport, as the
library's own tests do. ``test_compat_twocaptcha.py`` runs the same methods through the
engine against the emulator.
"""

from __future__ import annotations

import asyncio
import base64
import json
import pathlib
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest

from capbridge.compat.twocaptcha import (
    ApiException,
    AsyncTwoCaptcha,
    NetworkException,
    SolverExceptions,
    TimeoutException,
    TwoCaptcha,
    ValidationException,
)
from capbridge.compat.twocaptcha.exceptions import api as api_exceptions
from capbridge.compat.twocaptcha.exceptions import solver as solver_exceptions

IMAGES = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors" / "images"
IMAGE = str(IMAGES / "captcha.jpg")
HINT = str(IMAGES / "captcha.png")
# Inline data: no dot, longer than 50 characters (the library's rule for base64).
B64 = base64.b64encode(pathlib.Path(IMAGE).read_bytes()).decode()
MP3 = base64.b64encode(b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(300)).decode()
PROXY = {"type": "HTTPS", "uri": "login:password@1.2.3.4:8080"}
SITEKEY = "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-"
URL = "https://example.com/login"
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"


class Recorder:
    """A replacement ``api_client``: records every call, answers as the service would."""

    def __init__(self, replies: Optional[List[str]] = None, submit: str = "OK|123") -> None:
        self.submits: List[Tuple[Dict[str, Any], Dict[str, Any]]] = []
        self.requests: List[Dict[str, Any]] = []
        self.replies = list(replies) if replies is not None else ["OK|abcd"]
        self.submit = submit

    def in_(self, files: Any = {}, **kwargs: Any) -> str:  # noqa: B006 - the library's signature
        self.submits.append((kwargs, dict(files)))
        return self.submit

    def res(self, **kwargs: Any) -> str:
        self.requests.append(kwargs)
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


class AsyncRecorder(Recorder):
    async def in_(self, files: Any = {}, **kwargs: Any) -> str:  # type: ignore[override]  # noqa: B006
        return Recorder.in_(self, files, **kwargs)

    async def res(self, **kwargs: Any) -> str:  # type: ignore[override]
        return Recorder.res(self, **kwargs)


BASE = {"key": "API_KEY", "soft_id": 4580}

# (method, positional args, keyword args, the fields in_ receives, the files in_ receives)
CASES: List[Tuple[str, Tuple[Any, ...], Dict[str, Any], Dict[str, Any], Dict[str, Any]]] = [
    ("normal", (IMAGE,), {}, {"method": "post", "file": IMAGE}, {}),
    ("normal", (B64,), {}, {"method": "base64", "body": B64}, {}),
    ("normal", (IMAGE,), {"numeric": 4, "minLen": 4, "maxLen": 20, "phrase": 1, "caseSensitive": 1,
                          "calc": 0, "lang": "en", "hintImg": HINT, "hintText": "Type red symbols only"},
     {"method": "post", "numeric": 4, "min_len": 4, "max_len": 20, "phrase": 1, "regsense": 1, "calc": 0,
      "lang": "en", "textinstructions": "Type red symbols only"},
     {"file": IMAGE, "imginstructions": HINT}),
    ("normal", (B64,), {"hintImg": B64}, {"method": "base64", "body": B64, "imginstructions": B64}, {}),
    ("audio", (MP3, "en"), {}, {"method": "audio", "body": MP3, "lang": "en"}, {}),
    ("text", ("If tomorrow is Saturday, what day is today?",), {"lang": "en"},
     {"method": "post", "textcaptcha": "If tomorrow is Saturday, what day is today?", "lang": "en"}, {}),
    ("recaptcha", (SITEKEY, URL), {},
     {"method": "userrecaptcha", "googlekey": SITEKEY, "pageurl": URL, "version": "v2", "enterprise": 0}, {}),
    ("recaptcha", (), {"sitekey": SITEKEY, "url": URL, "version": "v3", "enterprise": 1, "action": "login",
                       "score": 0.9, "invisible": 1, "datas": "S", "domain": "recaptcha.net",
                       "cookies": "K1:V1;K2:V2", "userAgent": UA, "proxy": PROXY, "softId": 123,
                       "callback": "https://example.com/pingback"},
     {"method": "userrecaptcha", "googlekey": SITEKEY, "pageurl": URL, "version": "v3", "enterprise": 1,
      "action": "login", "min_score": 0.9, "invisible": 1, "data-s": "S", "domain": "recaptcha.net",
      "cookies": "K1:V1;K2:V2", "userAgent": UA, "proxy": PROXY["uri"], "proxytype": "HTTPS",
      "soft_id": 123, "pingback": "https://example.com/pingback"}, {}),
    ("funcaptcha", ("69A21A01-CC7B-B9C6-0F9A-E7FA06677FFC", URL),
     {"surl": "https://client-api.arkoselabs.com", "userAgent": UA, "data[blob]": "B"},
     {"method": "funcaptcha", "publickey": "69A21A01-CC7B-B9C6-0F9A-E7FA06677FFC", "pageurl": URL,
      "surl": "https://client-api.arkoselabs.com", "userAgent": UA, "data[blob]": "B"}, {}),
    ("geetest", ("f1ab2cdefa3456789012345b6c78d90e", "12345678abc90123d45678ef90123a456b", URL),
     {"apiServer": "api-na.geetest.com", "offline": 1, "new_captcha": 1, "userAgent": UA},
     {"method": "geetest", "gt": "f1ab2cdefa3456789012345b6c78d90e",
      "challenge": "12345678abc90123d45678ef90123a456b", "pageurl": URL, "api_server": "api-na.geetest.com",
      "offline": 1, "new_captcha": 1, "userAgent": UA}, {}),
    ("hcaptcha", ("10000000-ffff-ffff-ffff-000000000001", URL), {"invisible": 1, "data": "rq", "domain": "js.hcaptcha.com"},
     {"method": "hcaptcha", "sitekey": "10000000-ffff-ffff-ffff-000000000001", "pageurl": URL, "invisible": 1,
      "data": "rq", "domain": "js.hcaptcha.com"}, {}),
    ("keycaptcha", ("184015", "0917788cad24ad3a69813c4fcd556061", "02f7f9669f1269595c4c69bcd4a3c52e",
                    "d888700f6f324ec0f32b44c32c50bde1", URL), {},
     {"method": "keycaptcha", "s_s_c_user_id": "184015", "s_s_c_session_id": "0917788cad24ad3a69813c4fcd556061",
      "s_s_c_web_server_sign": "02f7f9669f1269595c4c69bcd4a3c52e",
      "s_s_c_web_server_sign2": "d888700f6f324ec0f32b44c32c50bde1", "pageurl": URL}, {}),
    ("capy", ("PUZZLE_Cz04hZLjuZRMYC3ee10C32D3uNms5w", URL), {"api_server": "https://jp.api.capy.me/"},
     {"method": "capy", "captchakey": "PUZZLE_Cz04hZLjuZRMYC3ee10C32D3uNms5w", "pageurl": URL,
      "api_server": "https://jp.api.capy.me/"}, {}),
    ("grid", (IMAGE,), {"rows": 3, "cols": 3, "previousId": "7", "canSkip": 0, "lang": "en",
                        "hintText": "Select all images with an Orange", "img_type": "recaptcha"},
     {"method": "post", "file": IMAGE, "recaptcha": 1, "recaptcharows": 3, "recaptchacols": 3, "previousID": "7",
      "can_no_answer": 0, "lang": "en", "textinstructions": "Select all images with an Orange",
      "img_type": "recaptcha"}, {}),
    ("canvas", (IMAGE,), {"hintText": "Draw around apple", "canSkip": 1},
     {"method": "post", "file": IMAGE, "recaptcha": 1, "canvas": 1, "textinstructions": "Draw around apple",
      "can_no_answer": 1}, {}),
    ("coordinates", (IMAGE,), {"hintImg": HINT, "min_clicks": 1, "max_clicks": 3, "lang": "en"},
     {"method": "post", "coordinatescaptcha": 1, "min_clicks": 1, "max_clicks": 3, "lang": "en"},
     {"file": IMAGE, "imginstructions": HINT}),
    ("rotate", (IMAGE,), {}, {"method": "rotatecaptcha", "file": IMAGE}, {}),
    ("rotate", ([IMAGE],), {}, {"method": "rotatecaptcha"}, {"file_1": IMAGE}),
    ("rotate", ({"first": IMAGE, "second": HINT},), {}, {"method": "rotatecaptcha"}, {"file_1": IMAGE, "file_2": HINT}),
    ("rotate", (IMAGE,), {"angle": 40, "lang": "en", "hintImg": HINT, "hintText": "Put it upright"},
     {"method": "rotatecaptcha", "angle": 40, "lang": "en", "textinstructions": "Put it upright"},
     {"file": IMAGE, "imginstructions": HINT}),
    ("geetest_v4", ("e392e1d7fd421dc63325744d5a2b9c73", URL), {"risk_type": "slide"},
     {"method": "geetest_v4", "captcha_id": "e392e1d7fd421dc63325744d5a2b9c73", "pageurl": URL,
      "risk_type": "slide"}, {}),
    ("lemin", ("CROPPED_3dfdd5c_d1872b526b794d83ba3b365eb15a200b", "lemin-cropped-captcha", URL),
     {"api_server": "api.leminnow.com"},
     {"method": "lemin", "captcha_id": "CROPPED_3dfdd5c_d1872b526b794d83ba3b365eb15a200b",
      "div_id": "lemin-cropped-captcha", "pageurl": URL, "api_server": "api.leminnow.com"}, {}),
    ("atb_captcha", ("af25e409b33d722a95e56a230ff8771c", "https://cap.aisecurius.com", URL), {},
     {"method": "atb_captcha", "app_id": "af25e409b33d722a95e56a230ff8771c",
      "api_server": "https://cap.aisecurius.com", "pageurl": URL}, {}),
    ("turnstile", ("0x4AAAAAAAC3DHQFLr1GavRN", URL),
     {"action": "login", "data": "cdata", "pagedata": "chl", "useragent": UA, "proxy": PROXY},
     {"method": "turnstile", "sitekey": "0x4AAAAAAAC3DHQFLr1GavRN", "pageurl": URL, "action": "login",
      "data": "cdata", "pagedata": "chl", "useragent": UA, "proxy": PROXY["uri"], "proxytype": "HTTPS"}, {}),
    ("amazon_waf", ("AQIDAHjcYu/GjX+QlghicBgQ/7bFaQZ+m5FKCMDnO+vTp9Ig", "CgAHbCe2GgAAAAAj", "9BUgmlm48F92WUoqv97a49ZuEJJ50TCk9MVr3C7WMtQ0X6flVbufM4n8mjFLmbLVAPgaQ1Jydeaja94iAS49ljb+sUNLoukWedAQZKrlY4RdbOOzvcFqmD/ZepQFS9N5w15Exr4VwnVq+HIxTsDJwRviElWCdzKDebN/mk8/eX2n7qJi5G3Riq0tdQw9+C4diFZU5E97RSeahejOAAJTDqduqW6uLw9NsjJBkDRBlRjxjn5CaMMo5pYOxYbGrM8Un1JH5DMOLeXbq1xWbC17YSEoM1cRFfTgOoc+VpCe36Ai9Kc=", URL),
     {"challenge_script": "https://41bcdd4fb3cb.610cd090.us-east-1.token.awswaf.com/41bcdd4fb3cb/0d21de737ccb/cd77baa6c832/challenge.js"},
     {"method": "amazon_waf", "sitekey": "AQIDAHjcYu/GjX+QlghicBgQ/7bFaQZ+m5FKCMDnO+vTp9Ig", "iv": "CgAHbCe2GgAAAAAj",
      "context": "9BUgmlm48F92WUoqv97a49ZuEJJ50TCk9MVr3C7WMtQ0X6flVbufM4n8mjFLmbLVAPgaQ1Jydeaja94iAS49ljb+sUNLoukWedAQZKrlY4RdbOOzvcFqmD/ZepQFS9N5w15Exr4VwnVq+HIxTsDJwRviElWCdzKDebN/mk8/eX2n7qJi5G3Riq0tdQw9+C4diFZU5E97RSeahejOAAJTDqduqW6uLw9NsjJBkDRBlRjxjn5CaMMo5pYOxYbGrM8Un1JH5DMOLeXbq1xWbC17YSEoM1cRFfTgOoc+VpCe36Ai9Kc=",
      "pageurl": URL,
      "challenge_script": "https://41bcdd4fb3cb.610cd090.us-east-1.token.awswaf.com/41bcdd4fb3cb/0d21de737ccb/cd77baa6c832/challenge.js"},
     {}),
    ("mtcaptcha", ("MTPublic-KzqLY1cKH", URL), {},
     {"method": "mt_captcha", "sitekey": "MTPublic-KzqLY1cKH", "pageurl": URL}, {}),
    ("friendly_captcha", ("FCMGEMUD2KTDSQ5H", URL), {},
     {"method": "friendly_captcha", "sitekey": "FCMGEMUD2KTDSQ5H", "pageurl": URL}, {}),
    ("tencent", ("190014885", URL), {}, {"method": "tencent", "app_id": "190014885", "pageurl": URL}, {}),
    ("cutcaptcha", ("a1488b66da00bf332a1488993a5443c79047e752", "SAb83IIB", URL), {},
     {"method": "cutcaptcha", "misery_key": "a1488b66da00bf332a1488993a5443c79047e752", "api_key": "SAb83IIB",
      "pageurl": URL}, {}),
    ("vkimage", (B64, "[5,4,7,7,14,22,8]"), {},
     {"method": "vkimage", "steps": "[5,4,7,7,14,22,8]", "body": B64}, {}),
    ("vkimage", ([IMAGE], "[5,4]"), {}, {"method": "vkimage", "steps": "[5,4]"}, {"file_1": IMAGE}),
    ("vkcaptcha", ("https://id.vk.com/not_robot_captcha?domain=vk.com", UA, PROXY), {},
     {"method": "vkcaptcha", "redirect_uri": "https://id.vk.com/not_robot_captcha?domain=vk.com", "useragent": UA,
      "proxy": PROXY["uri"], "proxytype": "HTTPS"}, {}),
    ("captchafox", ("sk_ILKWNruBBVKDOM7dZs59KHnDLEWiH", URL, UA, PROXY), {},
     {"method": "captchafox", "sitekey": "sk_ILKWNruBBVKDOM7dZs59KHnDLEWiH", "pageurl": URL, "useragent": UA,
      "proxy": PROXY["uri"], "proxytype": "HTTPS"}, {}),
    ("prosopo", ("5EZVvsHMrKCFKp5NYNoTyDjTjetoVo1Z4UNNbTwJf1GfN6Xm", URL), {},
     {"method": "prosopo", "sitekey": "5EZVvsHMrKCFKp5NYNoTyDjTjetoVo1Z4UNNbTwJf1GfN6Xm", "pageurl": URL}, {}),
    ("temu", (B64, "p1", "p2", "p3"), {},
     {"method": "temuimage", "body": B64, "part1": "p1", "part2": "p2", "part3": "p3"}, {}),
    ("datadome", ("https://geo.captcha-delivery.com/captcha/?initialCid=AHrlqAAAAAMA", URL, UA, PROXY), {},
     {"method": "datadome", "captcha_url": "https://geo.captcha-delivery.com/captcha/?initialCid=AHrlqAAAAAMA",
      "pageurl": URL, "userAgent": UA, "proxy": PROXY["uri"], "proxytype": "HTTPS"}, {}),
    ("cybersiara", ("tpjOCKjjpdzv3d8Ub2E9COEWKt1vl1Mv", URL, UA), {},
     {"method": "cybersiara", "master_url_id": "tpjOCKjjpdzv3d8Ub2E9COEWKt1vl1Mv", "pageurl": URL,
      "userAgent": UA}, {}),
    ("yandex_smart", ("FEXfAbHQsToo97VidNVk3j4dC74nGW1DgdxjtNB9", URL), {},
     {"method": "yandex", "sitekey": "FEXfAbHQsToo97VidNVk3j4dC74nGW1DgdxjtNB9", "pageurl": URL}, {}),
    ("altcha", (URL,), {"challenge_url": "https://example.com/altcha-challenge"},
     {"method": "altcha", "pageurl": URL, "challenge_url": "https://example.com/altcha-challenge"}, {}),
    ("binance", (URL, "login", "cb0bfefa598b4a3a8b7bc9a1c3b0a8b3"), {},
     {"method": "binance", "pageurl": URL, "sitekey": "login", "validate_id": "cb0bfefa598b4a3a8b7bc9a1c3b0a8b3"}, {}),
    ("yidun", ("0f7f8f76c8bd4fcf8ba2bc2b2dc9e3b6", URL), {"yidun_get_lib": "https://cstaticdun.126.net/load.min.js"},
     {"method": "yidun", "sitekey": "0f7f8f76c8bd4fcf8ba2bc2b2dc9e3b6", "pageurl": URL,
      "yidun_get_lib": "https://cstaticdun.126.net/load.min.js"}, {}),
    ("hunt", (URL, "https://example.com/hd-api/external/apps/a2157wab1045d68672a63557e0n2a77edbfd15ea/api.js"), {},
     {"method": "hunt", "pageurl": URL,
      "api_get_lib": "https://example.com/hd-api/external/apps/a2157wab1045d68672a63557e0n2a77edbfd15ea/api.js"}, {}),
    ("alibaba", (URL, "scene1", "prefix1"), {"region": "cn"},
     {"method": "alibaba", "pageurl": URL, "scene_id": "scene1", "prefix": "prefix1", "region": "cn"}, {}),
    ("tspd", (URL, "TS0123=abc", "PGh0bWw+PC9odG1sPg==", PROXY), {},
     {"method": "tspd", "pageurl": URL, "tspd_cookie": "TS0123=abc", "html_page_base64": "PGh0bWw+PC9odG1sPg==",
      "proxy": PROXY["uri"], "proxytype": "HTTPS"}, {}),
    ("basilisk", (URL, "b7890hre5cf2544b2759c19fb2600897"), {},
     {"method": "basilisk", "pageurl": URL, "sitekey": "b7890hre5cf2544b2759c19fb2600897"}, {}),
]

IDS = [f"{c[0]}-{n}" for n, c in enumerate(CASES)]


def _solver(api: Recorder, **kwargs: Any) -> TwoCaptcha:
    solver = TwoCaptcha("API_KEY", pollingInterval=1, **kwargs)
    solver.api_client = api
    return solver


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_each_method_sends_the_library_fields(case: Any) -> None:
    name, args, kwargs, fields, files = case
    api = Recorder()
    solver = _solver(api)
    result = getattr(solver, name)(*args, **kwargs)
    assert result == {"captchaId": "123", "code": "abcd"}
    [(sent, sent_files)] = api.submits
    expected = {**BASE, **fields}
    assert sent == expected
    assert sent_files == files
    # One poll, the library's: key, action=get and the id, nothing else.
    assert api.requests == [{"key": "API_KEY", "action": "get", "id": "123"}]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_each_coroutine_sends_the_library_fields(case: Any) -> None:
    name, args, kwargs, fields, files = case
    api = AsyncRecorder()
    solver = AsyncTwoCaptcha("API_KEY", pollingInterval=1)
    solver.api_client = api
    result = asyncio.run(getattr(solver, name)(*args, **kwargs))
    assert result == {"captchaId": "123", "code": "abcd"}
    [(sent, sent_files)] = api.submits
    assert sent == {**BASE, **fields}
    assert sent_files == files
    assert api.requests == [{"key": "API_KEY", "action": "get", "id": "123"}]


def test_solve_and_send_take_any_method_with_its_fields() -> None:
    api = Recorder()
    solver = _solver(api, softId=None)
    assert solver.send(method="lemin", captcha_id="C", div_id="d", url=URL) == "123"
    assert api.submits[-1] == ({"key": "API_KEY", "method": "lemin", "captcha_id": "C", "div_id": "d", "pageurl": URL}, {})
    assert solver.solve(method="post", text="2+2?") == {"captchaId": "123", "code": "abcd"}


def test_polls_until_ready_and_extended_response_asks_for_json() -> None:
    api = Recorder(replies=["CAPCHA_NOT_READY", "OK|abcd"])
    solver = _solver(api)
    solver.polling_interval = 0
    assert solver.recaptcha(SITEKEY, URL) == {"captchaId": "123", "code": "abcd"}
    assert [r["action"] for r in api.requests] == ["get", "get"]

    reply = json.dumps({"status": 1, "request": "TOKEN", "useragent": UA, "respKey": "E0_ey"})
    api = Recorder(replies=[json.dumps({"status": 0, "request": "CAPCHA_NOT_READY"}), reply])
    solver = _solver(api, extendedResponse=True)
    solver.polling_interval = 0
    result = solver.hcaptcha("10000000-ffff-ffff-ffff-000000000001", URL)
    assert result == {"captchaId": "123", "code": "TOKEN", "useragent": UA, "respKey": "E0_ey"}
    # json=1 goes to res.php only; in.php gets exactly the non-extended fields.
    assert api.requests[-1] == {"key": "API_KEY", "action": "get", "id": "123", "json": 1}
    assert "json" not in api.submits[0][0]


def test_callback_submits_only() -> None:
    api = Recorder()
    solver = _solver(api, callback="https://example.com/pingback")
    result = solver.turnstile("0x4AAAAAAAC3DHQFLr1GavRN", URL)
    # The library returns None here (its `return` sits inside `if callback is None`); the shim
    # returns the id, the one thing a caller of a pingback flow needs.
    assert result == {"captchaId": "123"}
    assert api.submits[0][0]["pingback"] == "https://example.com/pingback"
    assert api.requests == []
    assert solver.has_callback


def test_balance_report_and_get_result_send_the_library_fields() -> None:
    api = Recorder(replies=["9.99915"])
    solver = _solver(api)
    assert solver.balance() == 9.99915
    api.replies = ["OK_REPORT_RECORDED"]
    assert solver.report("123", True) == "OK_REPORT_RECORDED"
    assert solver.report("123", False) == "OK_REPORT_RECORDED"
    api.replies = ["CAPCHA_NOT_READY"]
    with pytest.raises(NetworkException):
        solver.get_result("123")
    assert api.requests == [
        {"key": "API_KEY", "action": "getbalance"},
        {"key": "API_KEY", "action": "reportgood", "id": "123"},
        {"key": "API_KEY", "action": "reportbad", "id": "123"},
        {"key": "API_KEY", "action": "get", "id": "123"},
    ]


def test_validation_happens_before_anything_is_sent(tmp_path: pathlib.Path) -> None:
    api = Recorder()
    solver = _solver(api)
    missing = str(tmp_path / "lost_file.jpg")
    calls: List[Callable[[], Any]] = [
        lambda: solver.normal("lost_file"),
        lambda: solver.normal(""),
        lambda: solver.grid(missing),
        lambda: solver.rotate([IMAGE] * (solver.max_files + 1)),
        lambda: solver.rotate([IMAGE, missing]),
        lambda: solver.normal(IMAGE, hintImg=missing),
        lambda: solver.canvas(IMAGE),
        lambda: solver.audio(B64, "xx"),
        lambda: solver.audio("sound.wav", "en"),
    ]
    for call in calls:
        with pytest.raises(ValidationException):
            call()
        with pytest.raises(solver.exceptions):
            call()
    # max_files is read at call time, as the library reads it.
    solver.max_files = 1
    with pytest.raises(ValidationException, match=r"Too many files \(max: 1\)"):
        solver.rotate([IMAGE, IMAGE])
    assert api.submits == []


def test_exceptions_keep_both_paths_and_the_pitfall_is_fixed() -> None:
    # The library's two ApiException classes: the solver's (twocaptcha.ApiException) and the
    # transport's (twocaptcha.exceptions.api.ApiException, which carries the service's codes).
    assert ApiException is solver_exceptions.ApiException
    assert issubclass(api_exceptions.ApiException, ApiException)
    assert issubclass(api_exceptions.NetworkException, NetworkException)
    for cls in (ValidationException, NetworkException, ApiException, TimeoutException):
        assert issubclass(cls, SolverExceptions)

    class ZeroBalance(Recorder):
        def in_(self, files: Any = {}, **kwargs: Any) -> str:  # noqa: B006
            raise api_exceptions.ApiException("ERROR_ZERO_BALANCE")

    solver = _solver(ZeroBalance())
    # `except ApiException` (the name 2captcha-python exports) now catches a zero balance...
    with pytest.raises(ApiException, match="^ERROR_ZERO_BALANCE$"):
        solver.recaptcha(SITEKEY, URL)
    # ... and code catching the transport's class keeps catching it.
    with pytest.raises(api_exceptions.ApiException):
        solver.recaptcha(SITEKEY, URL)

    solver = _solver(Recorder(submit="<html>502 Bad Gateway</html>"))
    with pytest.raises(ApiException, match="cannot recognize response"):
        solver.normal(B64)


def test_timeout_and_transport_failures_while_polling() -> None:
    solver = _solver(Recorder(replies=["CAPCHA_NOT_READY"]))
    solver.polling_interval = 0
    with pytest.raises(TimeoutException, match=r"^timeout 0\.2 exceeded$"):
        solver.solve(timeout=0.2, method="post", text="2+2?")

    class Down(Recorder):
        def res(self, **kwargs: Any) -> str:
            raise api_exceptions.NetworkException("bad response: 502")

    # A transport failure is not "not ready": it ends the wait, as in the library.
    solver = _solver(Down())
    with pytest.raises(api_exceptions.NetworkException, match="bad response: 502"):
        solver.solve(timeout=60, method="post", text="2+2?")


def test_attributes_are_the_library_s() -> None:
    solver = TwoCaptcha("K", softId=99, callback=None, defaultTimeout=30, recaptchaTimeout=90,
                        pollingInterval=7, server="rucaptcha.com", extendedResponse=True)
    assert (solver.API_KEY, solver.soft_id, solver.default_timeout, solver.recaptcha_timeout,
            solver.polling_interval, solver.max_files, solver.extendedResponse) == ("K", 99, 30, 90, 7, 9, True)
    assert solver.exceptions is SolverExceptions
    assert solver.api_client.post_url == "rucaptcha.com"  # type: ignore[attr-defined]
    assert TwoCaptcha("K").soft_id == 4580
    assert solver.rename_params({"hintText": "t", "url": URL, "proxy": PROXY, "x": 1}) == {
        "textinstructions": "t", "pageurl": URL, "proxy": PROXY["uri"], "proxytype": "HTTPS", "x": 1}
    assert solver.extract_files([IMAGE, HINT]) == {"file_1": IMAGE, "file_2": HINT}
    assert solver.get_method(B64) == {"method": "base64", "body": B64}
    assert solver.get_method(IMAGE) == {"method": "post", "file": IMAGE}
