"""Task classes: one per captcha kind, with keyword arguments.

A task is checked by capbridge's core when it is made: a missing or malformed field raises
:class:`InvalidTaskError` naming the field, before anything is sent. Tasks are immutable
values (``task.replace(...)`` makes a changed copy), compare by value, and pickle.

Every token task takes a ``proxy`` in any of the forms other clients use:

* a URL: ``"http://user:pass@1.2.3.4:3128"``, ``"socks5://1.2.3.4:1080"``, ``"1.2.3.4:3128"``;
* 2captcha-python's dict: ``{"type": "HTTPS", "uri": "user:pass@1.2.3.4:3128"}``;
* parts: ``{"type": "http", "host": "1.2.3.4", "port": 3128, "login": "user", "password": "pass"}``.

Every task takes ``extra={...}``: fields the service takes that capbridge does not name, sent
as given.
"""

from __future__ import annotations

import inspect
import os
from types import MappingProxyType
from typing import IO, Any, ClassVar, Dict, Mapping, Optional, Sequence, Tuple, Type, Union

from . import _native
from ._types import CharacterSet, ImageUpload, TaskKind

ImageSource = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]", IO[bytes]]
"""An image: its bytes, a :class:`pathlib.Path`, a binary file object, or text that is a file
path, base64 or a ``data:image/...;base64,`` URL (the core tells them apart and says what it
tried when none fits)."""

Proxy = Union[str, Mapping[str, Any]]
"""A proxy: a URL, or a dict (2captcha-python's ``{"type", "uri"}``, or ``{"type", "host",
"port", "login", "password"}``)."""

Cookies = Union[Mapping[str, str], Sequence[Tuple[str, str]], str]
"""Cookies: a dict, a list of ``(name, value)`` pairs, or ``"name:value;name2:value2"``."""

_DEFAULTS: Dict[type, Dict[str, Any]] = {}


def _copy(value: Any) -> Any:
    """A private copy of a container argument, so that later changes to the caller's object
    cannot make the task's fields disagree with what the core checked."""
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy(v) for v in value]
    return value


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _restore(cls: Type[CaptchaTask], fields: Dict[str, Any]) -> CaptchaTask:
    """Unpickles a task: made again from its fields, and checked again."""
    return cls(**fields)


class CaptchaTask:
    """Base class of the task kinds. Make one of the subclasses; or, from a dict such as a JSON
    or YAML config holds, :meth:`CaptchaTask.from_dict`."""

    __slots__ = ("_parsed", "_fields")
    kind: ClassVar[TaskKind]
    """The task kind: the class's name."""

    _parsed: _native.NativeTask
    _fields: Dict[str, Any]

    def _setup(self, fields: Dict[str, Any]) -> None:
        given = {k: _copy(v) for k, v in fields.items() if v is not None}
        native = _native.parse_task(self.kind, given)
        if "image" in given:
            given["image"] = native.image
        object.__setattr__(self, "_parsed", native)
        object.__setattr__(self, "_fields", given)

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> CaptchaTask:
        """A task from its dict form, ``{"type": "RecaptchaV2", "website_url": ..., ...}``:
        the field names are the keyword arguments of the classes. Raises
        :class:`InvalidTaskError` naming the field at fault (an unknown type or field too)."""
        fields = dict(data)
        native = _native.task_from_dict(fields)
        cls = TASK_CLASSES[native.kind]
        fields.pop("type", None)
        given = {k: _copy(v) for k, v in fields.items() if v is not None}
        if "image" in given:
            given["image"] = native.image
        task = object.__new__(cls)
        object.__setattr__(task, "_parsed", native)
        object.__setattr__(task, "_fields", given)
        return task

    @classmethod
    def _defaults(cls) -> Dict[str, Any]:
        d = _DEFAULTS.get(cls)
        if d is None:
            params = inspect.signature(cls.__init__).parameters.values()
            d = _DEFAULTS[cls] = {
                p.name: (None if p.default is inspect.Parameter.empty else p.default)
                for p in params if p.name != "self"
            }
        return d

    def __getattr__(self, name: str) -> Any:
        defaults = type(self)._defaults()
        if name.startswith("_") or name not in defaults:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}")
        value = self._fields.get(name, defaults[name])
        return MappingProxyType(value) if isinstance(value, dict) else value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            f"{type(self).__name__} is immutable; make a changed copy with task.replace({name}=...)"
        )

    def replace(self, **changes: Any) -> CaptchaTask:
        """A copy with some fields changed, checked again (``task.replace(proxy=None)``)."""
        return type(self)(**{**self._fields, **changes})

    def to_dict(self) -> Dict[str, Any]:
        """The dict form :meth:`CaptchaTask.from_dict` takes (the image as bytes)."""
        return {"type": self.kind, **_copy(self._fields)}

    def __reduce__(self) -> Any:
        return (_restore, (type(self), self._fields))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and isinstance(other, CaptchaTask) and self._fields == other._fields

    def __hash__(self) -> int:
        return hash((type(self).__name__, _freeze(self._fields)))

    def __repr__(self) -> str:
        parts = []
        for name in type(self)._defaults():
            if name not in self._fields:
                continue
            value = self._fields[name]
            if name == "proxy":
                shown = repr(self._parsed.proxy)  # the core's form: the password masked
            elif name == "image":
                shown = f"<{len(value)} bytes>"
            else:
                shown = repr(value)
            parts.append(f"{name}={shown}")
        return f"{type(self).__name__}({', '.join(parts)})"


class ImageToText(CaptchaTask):
    """Text in a picture (jpg, png or gif, 100 bytes to 600 kB, at most 1000 px a side).

    Args:
        image: the image: bytes, a :class:`pathlib.Path`, a binary file object, or text that
            is a path, base64 or a ``data:`` URL. ``task.image`` is its bytes.
        upload: ``"base64"`` (default) or ``"multipart"`` (a file upload).
        phrase: the answer has two or more words.
        case_sensitive: the answer is case sensitive.
        numeric: which characters the answer holds: 0 (any, default) to 4, or a name.
        math: the image asks for a calculation.
        min_length, max_length: bounds of the answer's length, 1 to 20.
        lang: a language code for the workers (``"en"``).
        comment: an instruction for the worker, at most 140 characters.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "ImageToText"

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
            numeric=numeric, math=math, min_length=min_length, max_length=max_length,
            lang=lang, comment=comment, pingback=pingback, extra=extra,
        ))


class RecaptchaV2(CaptchaTask):
    """reCAPTCHA v2: the checkbox, invisible and enterprise variants.

    Args:
        website_url: the full URL of the page with the captcha.
        website_key: the site key (the ``data-sitekey`` or ``k`` value).
        invisible: invisible reCAPTCHA.
        data_s: the ``data-s`` value some Google services use.
        enterprise: reCAPTCHA Enterprise.
        api_domain: the domain the captcha loads from (``"google.com"``, ``"recaptcha.net"``).
        user_agent: the browser user agent to solve with.
        cookies: cookies to solve with: a dict, ``(name, value)`` pairs or ``"a:1;b:2"``.
        proxy: a proxy for the worker: a URL or a dict (see the module's documentation).
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "RecaptchaV2"

    website_url: str
    website_key: str
    invisible: bool
    data_s: Optional[str]
    enterprise: bool
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
        api_domain: Optional[str] = None,
        user_agent: Optional[str] = None,
        cookies: Optional[Cookies] = None,
        proxy: Optional[Proxy] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            website_url=website_url, website_key=website_key, invisible=invisible, data_s=data_s,
            enterprise=enterprise, api_domain=api_domain, user_agent=user_agent, cookies=cookies,
            proxy=proxy, pingback=pingback, extra=extra,
        ))


class RecaptchaV3(CaptchaTask):
    """reCAPTCHA v3: score based.

    Args:
        website_url: the full URL of the page with the captcha.
        website_key: the site key (the ``render=`` value of api.js).
        action: the action passed to ``grecaptcha.execute`` (default ``"verify"``, as the
            services assume).
        min_score: the score needed, 0.1 to 0.9 (default: the service's choice).
        enterprise: reCAPTCHA Enterprise.
        api_domain: the domain the captcha loads from.
        proxy: a proxy for the worker: a URL or a dict.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "RecaptchaV3"

    website_url: str
    website_key: str
    action: str
    min_score: Optional[float]
    enterprise: bool
    api_domain: Optional[str]
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
        api_domain: Optional[str] = None,
        proxy: Optional[Proxy] = None,
        pingback: Optional[str] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self._setup(dict(
            website_url=website_url, website_key=website_key, action=action, min_score=min_score,
            enterprise=enterprise, api_domain=api_domain, proxy=proxy, pingback=pingback, extra=extra,
        ))


class HCaptcha(CaptchaTask):
    """hCaptcha. The solution's ``user_agent`` must be used with the token.

    Args:
        website_url: the full URL of the page with the captcha.
        website_key: the site key (``data-sitekey``).
        api_domain: the domain the captcha loads from.
        invisible: invisible hCaptcha.
        rqdata: the enterprise ``rqdata`` value.
        user_agent: the browser user agent to solve with.
        proxy: a proxy for the worker: a URL or a dict.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "HCaptcha"

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
            pingback=pingback, extra=extra,
        ))


class FunCaptcha(CaptchaTask):
    """Arkose Labs FunCaptcha (token method).

    Args:
        website_url: the full URL of the page with the captcha.
        public_key: the public key (``data-pkey``).
        surl: the service URL (``surl``), when the page names one.
        data: extra data the page passes (``data[blob]`` and the like), as a dict.
        user_agent: the browser user agent to solve with.
        proxy: a proxy for the worker: a URL or a dict.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "FunCaptcha"

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
            user_agent=user_agent, proxy=proxy, pingback=pingback, extra=extra,
        ))


class Turnstile(CaptchaTask):
    """Cloudflare Turnstile. The solution's ``user_agent`` must be used with the token.

    Args:
        website_url: the full URL of the page with the captcha.
        website_key: the site key (``data-sitekey``).
        action: the widget's ``data-action``.
        cdata: the widget's ``data-cdata``.
        page_data: the challenge page's ``chlPageData``.
        user_agent: the browser user agent to solve with.
        proxy: a proxy for the worker: a URL or a dict.
        pingback: a URL the service calls when the task is solved.
        extra: fields the service takes that capbridge does not name, sent as given.
    """

    __slots__ = ()
    kind: ClassVar[TaskKind] = "Turnstile"

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
            page_data=page_data, user_agent=user_agent, proxy=proxy, pingback=pingback, extra=extra,
        ))


TASK_CLASSES: Dict[str, Type[CaptchaTask]] = {
    cls.kind: cls for cls in (ImageToText, RecaptchaV2, RecaptchaV3, HCaptcha, FunCaptcha, Turnstile)
}
