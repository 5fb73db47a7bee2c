"""Task classes, one per captcha kind, generated from capbridge's catalogue of kinds
(``core/src/task/kinds/`` in the repository) by ``cargo run -p capbridge-codegen``: do not edit.

Required fields are taken by position or keyword, the others by keyword only. A task is checked
by capbridge's core when it is made: a missing or malformed field raises
:class:`InvalidTaskError` naming the field, before anything is sent.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar, Dict, Literal, Mapping, Optional, Tuple, Type, Union

from ._tasks import CaptchaTask, Cookies, ImageSource, Proxy
from ._types import CharacterSet, ImageUpload, TaskKind

__all__ = [
    "ImageToText",
    "RecaptchaV2",
    "RecaptchaV3",
    "HCaptcha",
    "FunCaptcha",
    "Turnstile",
    "CloudflareChallenge",
    "GeeTest",
    "GeeTestV4",
    "AmazonWaf",
    "DataDome",
    "MtCaptcha",
    "FriendlyCaptcha",
    "Coordinates",
    "Grid",
    "TextCaptcha",
    "Audio",
    "Rotate",
    "Lemin",
    "Raw",
]


class ImageToText(CaptchaTask):
    """Text in a picture (jpg, png or gif, 100 bytes to 600 kB, at most 1000 px a side).

    Args:
        image: The image: its bytes, or text that is a file path, base64 or a ``data:`` URL.
        upload: How the image travels: ``base64`` (a form field, the default) or
            ``multipart`` (a file upload).
        phrase: The answer has two or more words.
        case_sensitive: The answer is case sensitive.
        numeric: Which characters the answer holds: 0 any (default), 1 digits, 2 letters, 3
            digits or letters, 4 both.
        math: The image asks for a calculation.
        min_length: Fewest characters in the answer, 1 to 20.
        max_length: Most characters in the answer, 1 to 20.
        lang: A language code for the workers (``en``).
        comment: An instruction for the worker, at most 140 characters.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is the text in the image.
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "ImageToText"
    _media: ClassVar[Tuple[str, ...]] = ("image",)

    image: bytes
    upload: ImageUpload
    phrase: bool
    case_sensitive: bool
    numeric: Union[int, CharacterSet]
    math: bool
    min_length: Optional[int]
    max_length: Optional[int]
    lang: Optional[str]
    comment: Optional[str]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        image: ImageSource,
        *,
        upload: ImageUpload = "base64",
        phrase: bool = False,
        case_sensitive: bool = False,
        numeric: Union[int, CharacterSet] = 0,
        math: bool = False,
        min_length: Optional[int] = None,
        max_length: Optional[int] = None,
        lang: Optional[str] = None,
        comment: Optional[str] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            image=image, upload=upload, phrase=phrase, case_sensitive=case_sensitive,
            numeric=numeric, math=math, min_length=min_length, max_length=max_length, lang=lang,
            comment=comment, pingback=pingback, extra=extra
        ))


class RecaptchaV2(CaptchaTask):
    """reCAPTCHA v2: the checkbox, invisible and enterprise variants.

    Args:
        website_url: Full URL of the page with the captcha.
        website_key: The site key (the ``k`` or ``data-sitekey`` value).
        invisible: Invisible reCAPTCHA.
        data_s: The ``data-s`` value some Google services use.
        enterprise: reCAPTCHA Enterprise.
        enterprise_payload: Enterprise payload values, such as ``{"s": ...}`` (implies
            ``enterprise``).
        api_domain: Domain the captcha loads from: ``google.com`` (default) or
            ``recaptcha.net``, with or without ``www.`` (each provider gets its own spelling).
        user_agent: The browser user agent to solve with.
        cookies: Cookies to solve with, as name/value pairs.
        proxy: Proxy for the worker; without one the service solves from its own addresses.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is the token to put in ``g-recaptcha-response`` (or pass to the
    page's callback).
    Its ``data`` holds ``user_agent`` (the worker's user agent, where the provider returns one:
    send it with the token).
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "RecaptchaV2"
    _media: ClassVar[Tuple[str, ...]] = ()

    website_url: str
    website_key: str
    invisible: bool
    data_s: Optional[str]
    enterprise: bool
    enterprise_payload: Optional[Mapping[str, Any]]
    api_domain: Optional[str]
    user_agent: Optional[str]
    cookies: Optional[Cookies]
    proxy: Optional[Proxy]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        website_url: str,
        website_key: str,
        *,
        invisible: bool = False,
        data_s: Optional[str] = None,
        enterprise: bool = False,
        enterprise_payload: Optional[Mapping[str, Any]] = None,
        api_domain: Optional[str] = None,
        user_agent: Optional[str] = None,
        cookies: Optional[Cookies] = None,
        proxy: Optional[Proxy] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            website_url=website_url, website_key=website_key, invisible=invisible,
            data_s=data_s, enterprise=enterprise, enterprise_payload=enterprise_payload,
            api_domain=api_domain, user_agent=user_agent, cookies=cookies, proxy=proxy,
            pingback=pingback, extra=extra
        ))


class RecaptchaV3(CaptchaTask):
    """reCAPTCHA v3: score based, no challenge.

    Args:
        website_url: Full URL of the page with the captcha.
        website_key: The site key (the ``render=`` value of api.js).
        action: The action passed to ``grecaptcha.execute`` (default ``verify``, as the
            services assume).
        min_score: The score needed, 0.1 to 0.9; unset lets the service choose.
        enterprise: reCAPTCHA Enterprise.
        enterprise_payload: Enterprise payload values, such as ``{"s": ...}`` (implies
            ``enterprise``).
        api_domain: Domain the captcha loads from: ``google.com`` (default) or
            ``recaptcha.net``, with or without ``www.`` (each provider gets its own spelling).
        user_agent: The browser user agent to solve with.
        cookies: Cookies to solve with, as name/value pairs.
        proxy: Proxy for the worker; without one the service solves from its own addresses.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is the token to put in ``g-recaptcha-response`` (or pass to the
    page's callback).
    Its ``data`` holds ``user_agent`` (the worker's user agent, where the provider returns one:
    send it with the token).
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "RecaptchaV3"
    _media: ClassVar[Tuple[str, ...]] = ()

    website_url: str
    website_key: str
    action: str
    min_score: Optional[float]
    enterprise: bool
    enterprise_payload: Optional[Mapping[str, Any]]
    api_domain: Optional[str]
    user_agent: Optional[str]
    cookies: Optional[Cookies]
    proxy: Optional[Proxy]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        website_url: str,
        website_key: str,
        *,
        action: str = "verify",
        min_score: Optional[float] = None,
        enterprise: bool = False,
        enterprise_payload: Optional[Mapping[str, Any]] = None,
        api_domain: Optional[str] = None,
        user_agent: Optional[str] = None,
        cookies: Optional[Cookies] = None,
        proxy: Optional[Proxy] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            website_url=website_url, website_key=website_key, action=action,
            min_score=min_score, enterprise=enterprise, enterprise_payload=enterprise_payload,
            api_domain=api_domain, user_agent=user_agent, cookies=cookies, proxy=proxy,
            pingback=pingback, extra=extra
        ))


class HCaptcha(CaptchaTask):
    """hCaptcha. The solution's user agent must be used with the token.

    Args:
        website_url: Full URL of the page with the captcha.
        website_key: The site key (``data-sitekey``).
        api_domain: Domain the captcha loads from: ``hcaptcha.com`` (default) or
            ``js.hcaptcha.com``.
        invisible: Invisible hCaptcha.
        rqdata: The enterprise ``rqdata`` value.
        user_agent: The browser user agent to solve with.
        proxy: Proxy for the worker; without one the service solves from its own addresses.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is the token to put in ``h-captcha-response`` (with the returned
    user agent).
    Its ``data`` holds ``user_agent`` (the worker's user agent: send it with the token);
    ``resp_key`` (hCaptcha's ``respKey``, for sites that check it).
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "HCaptcha"
    _media: ClassVar[Tuple[str, ...]] = ()

    website_url: str
    website_key: str
    api_domain: Optional[str]
    invisible: bool
    rqdata: Optional[str]
    user_agent: Optional[str]
    proxy: Optional[Proxy]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        website_url: str,
        website_key: str,
        *,
        api_domain: Optional[str] = None,
        invisible: bool = False,
        rqdata: Optional[str] = None,
        user_agent: Optional[str] = None,
        proxy: Optional[Proxy] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            website_url=website_url, website_key=website_key, api_domain=api_domain,
            invisible=invisible, rqdata=rqdata, user_agent=user_agent, proxy=proxy,
            pingback=pingback, extra=extra
        ))


class FunCaptcha(CaptchaTask):
    """Arkose Labs FunCaptcha (token method).

    Args:
        website_url: Full URL of the page with the captcha.
        public_key: The public key (``pk`` or ``data-pkey``).
        surl: The service URL (``surl``), when the page names one.
        data: Data the page passes (``data[blob]`` and the like).
        user_agent: The browser user agent to solve with.
        proxy: Proxy for the worker; without one the service solves from its own addresses.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is the token to put in the page's ``fc-token`` field.
    Its ``data`` holds ``user_agent`` (the worker's user agent, where the provider returns one:
    send it with the token).
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "FunCaptcha"
    _media: ClassVar[Tuple[str, ...]] = ()

    website_url: str
    public_key: str
    surl: Optional[str]
    data: Optional[Mapping[str, str]]
    user_agent: Optional[str]
    proxy: Optional[Proxy]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        website_url: str,
        public_key: str,
        *,
        surl: Optional[str] = None,
        data: Optional[Mapping[str, str]] = None,
        user_agent: Optional[str] = None,
        proxy: Optional[Proxy] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            website_url=website_url, public_key=public_key, surl=surl, data=data,
            user_agent=user_agent, proxy=proxy, pingback=pingback, extra=extra
        ))


class Turnstile(CaptchaTask):
    """Cloudflare Turnstile (a widget or a challenge page). The solution carries the worker's user
    agent: send it with the token.

    Args:
        website_url: Full URL of the page with the captcha.
        website_key: The site key (``data-sitekey``).
        action: The widget's ``data-action`` (or the ``action`` given to
            ``turnstile.render``).
        cdata: The widget's ``data-cdata`` (``cData``).
        page_data: The challenge page's ``chlPageData``.
        user_agent: The browser user agent to solve with.
        proxy: Proxy for the worker; without one the service solves from its own addresses.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is the token to put in ``cf-turnstile-response`` (or pass to the
    widget's callback).
    Its ``data`` holds ``user_agent`` (the worker's user agent, where the provider returns one:
    send it with the token).
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "Turnstile"
    _media: ClassVar[Tuple[str, ...]] = ()

    website_url: str
    website_key: str
    action: Optional[str]
    cdata: Optional[str]
    page_data: Optional[str]
    user_agent: Optional[str]
    proxy: Optional[Proxy]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        website_url: str,
        website_key: str,
        *,
        action: Optional[str] = None,
        cdata: Optional[str] = None,
        page_data: Optional[str] = None,
        user_agent: Optional[str] = None,
        proxy: Optional[Proxy] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            website_url=website_url, website_key=website_key, action=action, cdata=cdata,
            page_data=page_data, user_agent=user_agent, proxy=proxy, pingback=pingback,
            extra=extra
        ))


class CloudflareChallenge(CaptchaTask):
    """Cloudflare's challenge page: the answer is the ``cf_clearance`` cookie, valid only with the
    proxy and user agent it was earned with.

    Args:
        website_url: Full URL of the protected page.
        proxy: The proxy the cookie will be used from (the cookie is bound to its address).
        user_agent: The user agent the cookie will be used with.
        html: The challenge page's HTML (the 403 "Just a moment..." page), where the
            provider reads it.
        website_key: The challenge's site key, where the provider needs it (CapMonster).
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is the ``cf_clearance`` cookie's value.
    Its ``data`` holds ``cookies`` (the cookies to set, ``cf_clearance`` among them);
    ``user_agent`` (the user agent the cookie was earned with).
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "CloudflareChallenge"
    _media: ClassVar[Tuple[str, ...]] = ()

    website_url: str
    proxy: Proxy
    user_agent: str
    html: Optional[str]
    website_key: Optional[str]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        website_url: str,
        proxy: Proxy,
        user_agent: str,
        *,
        html: Optional[str] = None,
        website_key: Optional[str] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            website_url=website_url, proxy=proxy, user_agent=user_agent, html=html,
            website_key=website_key, pingback=pingback, extra=extra
        ))


class GeeTest(CaptchaTask):
    """GeeTest v3: the slide puzzle identified by the page's ``gt`` and a fresh ``challenge``.

    Args:
        website_url: Full URL of the page with the captcha.
        gt: The ``gt`` value the page passes to ``initGeetest``.
        challenge: The ``challenge`` value, fresh for each solve (it expires within
            minutes).
        api_server: The API server's domain, when the page names one
            (``api-na.geetest.com``).
        user_agent: The browser user agent to solve with.
        proxy: Proxy for the worker; without one the service solves from its own addresses.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is ``data`` as compact JSON.
    Its ``data`` holds ``challenge`` (``geetest_challenge``); ``validate``
    (``geetest_validate``); ``seccode`` (``geetest_seccode``).
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "GeeTest"
    _media: ClassVar[Tuple[str, ...]] = ()

    website_url: str
    gt: str
    challenge: str
    api_server: Optional[str]
    user_agent: Optional[str]
    proxy: Optional[Proxy]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        website_url: str,
        gt: str,
        challenge: str,
        *,
        api_server: Optional[str] = None,
        user_agent: Optional[str] = None,
        proxy: Optional[Proxy] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            website_url=website_url, gt=gt, challenge=challenge, api_server=api_server,
            user_agent=user_agent, proxy=proxy, pingback=pingback, extra=extra
        ))


class GeeTestV4(CaptchaTask):
    """GeeTest v4: identified by the page's ``captcha_id``.

    Args:
        website_url: Full URL of the page with the captcha.
        captcha_id: The ``captcha_id`` the page passes to ``initGeetest4``.
        init_parameters: Further values the page passes to ``initGeetest4`` (such as
            ``riskType``).
        api_server: The API server's domain, when the page names one.
        user_agent: The browser user agent to solve with.
        proxy: Proxy for the worker; without one the service solves from its own addresses.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is ``data`` as compact JSON.
    Its ``data`` holds ``captcha_id`` (the captcha id); ``lot_number`` (``lot_number``);
    ``pass_token`` (``pass_token``); ``gen_time`` (``gen_time``); ``captcha_output``
    (``captcha_output``).
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "GeeTestV4"
    _media: ClassVar[Tuple[str, ...]] = ()

    website_url: str
    captcha_id: str
    init_parameters: Optional[Mapping[str, Any]]
    api_server: Optional[str]
    user_agent: Optional[str]
    proxy: Optional[Proxy]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        website_url: str,
        captcha_id: str,
        *,
        init_parameters: Optional[Mapping[str, Any]] = None,
        api_server: Optional[str] = None,
        user_agent: Optional[str] = None,
        proxy: Optional[Proxy] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            website_url=website_url, captcha_id=captcha_id, init_parameters=init_parameters,
            api_server=api_server, user_agent=user_agent, proxy=proxy, pingback=pingback,
            extra=extra
        ))


class AmazonWaf(CaptchaTask):
    """Amazon WAF's captcha: the values of the page's ``window.gokuProps``.

    Args:
        website_url: Full URL of the page with the captcha.
        website_key: ``gokuProps.key``.
        iv: ``gokuProps.iv``.
        context: ``gokuProps.context``.
        challenge_script: The URL of the page's ``challenge.js``.
        captcha_script: The URL of the page's ``captcha.js``.
        user_agent: The browser user agent to solve with.
        proxy: Proxy for the worker; without one the service solves from its own addresses.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is ``existing_token`` when the provider returns a voucher and
    token, else the ``aws-waf-token`` cookie's value.
    Its ``data`` holds ``captcha_voucher`` (the voucher to post to the WAF's ``verify``
    endpoint); ``existing_token`` (the token that goes with the voucher); ``cookie`` (the
    ``aws-waf-token`` cookie's value, where the provider returns the cookie instead
    (anti-captcha, CapMonster's cookie mode)).
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "AmazonWaf"
    _media: ClassVar[Tuple[str, ...]] = ()

    website_url: str
    website_key: str
    iv: str
    context: str
    challenge_script: Optional[str]
    captcha_script: Optional[str]
    user_agent: Optional[str]
    proxy: Optional[Proxy]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        website_url: str,
        website_key: str,
        iv: str,
        context: str,
        *,
        challenge_script: Optional[str] = None,
        captcha_script: Optional[str] = None,
        user_agent: Optional[str] = None,
        proxy: Optional[Proxy] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            website_url=website_url, website_key=website_key, iv=iv, context=context,
            challenge_script=challenge_script, captcha_script=captcha_script,
            user_agent=user_agent, proxy=proxy, pingback=pingback, extra=extra
        ))


class DataDome(CaptchaTask):
    """DataDome's captcha: the answer is the ``datadome`` cookie, valid only with the proxy and
    user agent it was earned with.

    Args:
        website_url: Full URL of the protected page.
        captcha_url: The captcha's URL (the ``src`` of its iframe,
            ``https://geo.captcha-delivery.com/captcha/?...``).
        user_agent: The user agent the cookie will be used with.
        proxy: The proxy the cookie will be used from.
        datadome_cookie: The page's current ``datadome`` cookie, where the provider needs it
            (CapMonster).
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is the ``datadome`` cookie's value.
    Its ``data`` holds ``cookie`` (the whole cookie as the provider gave it (``datadome=...;
    Max-Age=...; Domain=...``), or ``datadome=VALUE``).
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "DataDome"
    _media: ClassVar[Tuple[str, ...]] = ()

    website_url: str
    captcha_url: str
    user_agent: str
    proxy: Proxy
    datadome_cookie: Optional[str]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        website_url: str,
        captcha_url: str,
        user_agent: str,
        proxy: Proxy,
        *,
        datadome_cookie: Optional[str] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            website_url=website_url, captcha_url=captcha_url, user_agent=user_agent,
            proxy=proxy, datadome_cookie=datadome_cookie, pingback=pingback, extra=extra
        ))


class MtCaptcha(CaptchaTask):
    """MTCaptcha.

    Args:
        website_url: Full URL of the page with the captcha.
        website_key: The site key (``MTPublic-...``).
        proxy: Proxy for the worker; without one the service solves from its own addresses.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is the token to put in the page's ``mtcaptcha-verifiedtoken``
    field.
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "MtCaptcha"
    _media: ClassVar[Tuple[str, ...]] = ()

    website_url: str
    website_key: str
    proxy: Optional[Proxy]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        website_url: str,
        website_key: str,
        *,
        proxy: Optional[Proxy] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            website_url=website_url, website_key=website_key, proxy=proxy, pingback=pingback,
            extra=extra
        ))


class FriendlyCaptcha(CaptchaTask):
    """Friendly Captcha.

    Args:
        website_url: Full URL of the page with the captcha.
        website_key: The site key (``data-sitekey``).
        proxy: Proxy for the worker; without one the service solves from its own addresses.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is the token to put in the page's ``frc-captcha-solution`` field.
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "FriendlyCaptcha"
    _media: ClassVar[Tuple[str, ...]] = ()

    website_url: str
    website_key: str
    proxy: Optional[Proxy]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        website_url: str,
        website_key: str,
        *,
        proxy: Optional[Proxy] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            website_url=website_url, website_key=website_key, proxy=proxy, pingback=pingback,
            extra=extra
        ))


class Coordinates(CaptchaTask):
    """Points to click in a picture ("click the birds"): the answer is their coordinates.

    Args:
        image: The picture: its bytes, or text that is a file path, base64 or a ``data:``
            URL.
        instructions: What to click, in words.
        instructions_image: What to click, as a picture.
        min_clicks: Fewest points to click.
        max_clicks: Most points to click.
        upload: How the picture travels to a form provider: ``base64`` (a form field, the
            default) or ``multipart`` (a file upload, as 2captcha-python sends a file).
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is the points as ``x=56,y=56;x=170,y=56``.
    Its ``data`` holds ``points`` (the points to click, ``[{x, y}]`` in pixels from the top-left
    corner).
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "Coordinates"
    _media: ClassVar[Tuple[str, ...]] = ("image", "instructions_image")

    image: bytes
    instructions: Optional[str]
    instructions_image: Optional[bytes]
    min_clicks: Optional[int]
    max_clicks: Optional[int]
    upload: ImageUpload
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        image: ImageSource,
        *,
        instructions: Optional[str] = None,
        instructions_image: Optional[ImageSource] = None,
        min_clicks: Optional[int] = None,
        max_clicks: Optional[int] = None,
        upload: ImageUpload = "base64",
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            image=image, instructions=instructions, instructions_image=instructions_image,
            min_clicks=min_clicks, max_clicks=max_clicks, upload=upload, pingback=pingback,
            extra=extra
        ))


class Grid(CaptchaTask):
    """Tiles of a grid to select ("select all squares with buses"): the answer is their numbers,
    from 1, left to right and top to bottom.

    Args:
        image: The picture of the grid: its bytes, or text that is a file path, base64 or a
            ``data:`` URL.
        rows: Rows of the grid (default 3).
        columns: Columns of the grid (default 3).
        instructions: What to select, in words (one of the two instructions is required).
        instructions_image: What to select, as a picture (one of the two instructions is
            required).
        upload: How the picture travels to a form provider: ``base64`` (a form field, the
            default) or ``multipart`` (a file upload, as 2captcha-python sends a file).
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is the cells as ``3,6,9``; empty when the provider says no tile
    matches (CapMonster, CapSolver).
    Its ``data`` holds ``cells`` (the tiles to select, numbered from 1, left to right and top to
    bottom; ``[]`` when the provider says none matches (CapMonster, CapSolver)).
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "Grid"
    _media: ClassVar[Tuple[str, ...]] = ("image", "instructions_image")

    image: bytes
    rows: Optional[int]
    columns: Optional[int]
    instructions: Optional[str]
    instructions_image: Optional[bytes]
    upload: ImageUpload
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        image: ImageSource,
        *,
        rows: Optional[int] = None,
        columns: Optional[int] = None,
        instructions: Optional[str] = None,
        instructions_image: Optional[ImageSource] = None,
        upload: ImageUpload = "base64",
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            image=image, rows=rows, columns=columns, instructions=instructions,
            instructions_image=instructions_image, upload=upload, pingback=pingback, extra=extra
        ))


class TextCaptcha(CaptchaTask):
    """A question in words ("what is two plus three?"): the answer is text.

    Args:
        text: The question.
        language: The question's language code (``en``).
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is the answer's text.
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "TextCaptcha"
    _media: ClassVar[Tuple[str, ...]] = ()

    text: str
    language: Optional[str]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        text: str,
        *,
        language: Optional[str] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(text=text, language=language, pingback=pingback, extra=extra))


class Audio(CaptchaTask):
    """Words in a recording (an mp3, at most 1 MB): the answer is the text.

    Args:
        audio: The recording: its bytes, or text that is a file path, base64 or a ``data:``
            URL.
        language: The language spoken.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is the words spoken.
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "Audio"
    _media: ClassVar[Tuple[str, ...]] = ("audio",)

    audio: bytes
    language: Literal["en", "ru", "de", "el", "pt", "fr"]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        audio: ImageSource,
        language: Literal["en", "ru", "de", "el", "pt", "fr"],
        *,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(audio=audio, language=language, pingback=pingback, extra=extra))


class Rotate(CaptchaTask):
    """A picture to turn upright: the answer is the angle.

    Args:
        image: The picture: its bytes, or text that is a file path, base64 or a ``data:``
            URL.
        angle_step: The step one turn of the control makes, in degrees (2captcha's default
            40).
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is the angle in degrees, as text.
    Its ``data`` holds ``angle`` (the angle to turn the picture by, in degrees).
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "Rotate"
    _media: ClassVar[Tuple[str, ...]] = ("image",)

    image: bytes
    angle_step: Optional[int]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        image: ImageSource,
        *,
        angle_step: Optional[int] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(image=image, angle_step=angle_step, pingback=pingback, extra=extra))


class Lemin(CaptchaTask):
    """Lemin's cropped puzzle captcha.

    Args:
        website_url: Full URL of the page with the captcha.
        captcha_id: The ``captcha_id`` the page passes to Lemin's script (``CROPPED_...``).
        div_id: The id of the element the captcha renders into (``lemin-cropped-captcha``).
        api_server: The domain of Lemin's script, when the page loads it from another than
            ``api.leminnow.com``.
        user_agent: The browser user agent to solve with.
        proxy: Proxy for the worker; without one the service solves from its own addresses.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is ``data`` as compact JSON.
    Its ``data`` holds ``answer`` (the value for the page's ``answer`` field); ``challenge_id``
    (the value for the page's ``challenge_id`` field).
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "Lemin"
    _media: ClassVar[Tuple[str, ...]] = ()

    website_url: str
    captcha_id: str
    div_id: str
    api_server: Optional[str]
    user_agent: Optional[str]
    proxy: Optional[Proxy]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        website_url: str,
        captcha_id: str,
        div_id: str,
        *,
        api_server: Optional[str] = None,
        user_agent: Optional[str] = None,
        proxy: Optional[Proxy] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            website_url=website_url, captcha_id=captcha_id, div_id=div_id,
            api_server=api_server, user_agent=user_agent, proxy=proxy, pingback=pingback,
            extra=extra
        ))


class Raw(CaptchaTask):
    """A provider's own request, sent as given: the form protocol's fields (with ``method``) or the
    json protocol's task object (with ``type``). The answer is the provider's solution as
    received.

    Args:
        request: The form fields (``{"method": "lemin", ...}``) or the json task object
            (``{"type": "LeminTaskProxyless", ...}``).
        files: Images sent as multipart file parts beside a form request's fields, by part
            name (``{"file_1": ..., "file_2": ...}``: ``rotatecaptcha`` or ``vkimage`` with
            several images); each is read as an image field is, at most 600 kB, its format the
            service's to judge. Form requests only: a json task object carries its images
            inside, as base64.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.

    The solution's ``answer`` is the token or text when the solution has one, else the solution
    as compact JSON.
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "Raw"
    _media: ClassVar[Tuple[str, ...]] = ("files",)

    request: Mapping[str, Any]
    files: Optional[Mapping[str, bytes]]
    pingback: Optional[str]
    extra: Optional[Mapping[str, Any]]

    def __init__(
        self,
        request: Mapping[str, Any],
        *,
        files: Optional[Mapping[str, ImageSource]] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(request=request, files=files, pingback=pingback, extra=extra))


TASK_CLASSES: Dict[str, Type[CaptchaTask]] = {
    "ImageToText": ImageToText,
    "RecaptchaV2": RecaptchaV2,
    "RecaptchaV3": RecaptchaV3,
    "HCaptcha": HCaptcha,
    "FunCaptcha": FunCaptcha,
    "Turnstile": Turnstile,
    "CloudflareChallenge": CloudflareChallenge,
    "GeeTest": GeeTest,
    "GeeTestV4": GeeTestV4,
    "AmazonWaf": AmazonWaf,
    "DataDome": DataDome,
    "MtCaptcha": MtCaptcha,
    "FriendlyCaptcha": FriendlyCaptcha,
    "Coordinates": Coordinates,
    "Grid": Grid,
    "TextCaptcha": TextCaptcha,
    "Audio": Audio,
    "Rotate": Rotate,
    "Lemin": Lemin,
    "Raw": Raw,
}
"""Every task class by its kind's name."""

_ = (Literal, Union, os)
