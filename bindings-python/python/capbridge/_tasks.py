"""Task classes: one per captcha kind, with keyword arguments.

Tasks are plain descriptions; they are checked (required fields, URL shapes, image size and
format) by the core when solved, before anything is sent, or at once with ``validate()``.
Field names are the same as in the Rust core and the shared test vectors.
"""

from __future__ import annotations

import base64
import json
import os
import re
from types import MappingProxyType
from typing import Any, BinaryIO, ClassVar, Dict, Mapping, Optional, Union

from . import _native
from ._errors import InvalidTaskError

ImageSource = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]", BinaryIO]
"""An image: its bytes, a file path, or a binary file object."""

_PASSWORD = re.compile(r"^((?:[a-zA-Z0-9]+://)?[^:@/]+:)[^@]*@")


def _mask(proxy: Optional[str]) -> Optional[str]:
    """The proxy URL with its password replaced by ``***``."""
    return None if proxy is None else _PASSWORD.sub(r"\1***@", proxy)


class Task:
    """Base class of the task kinds.

    Tasks are values: solving the same task object again (the same page's captcha, say)
    reuses its encoded form. Assigning a field makes a fresh encoding; mapping fields
    (``cookies``, ``data``) are read-only views, so they cannot change behind its back.
    """

    __slots__ = ("_encoded",)
    _type: ClassVar[str] = ""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, Mapping) and not isinstance(value, MappingProxyType):
            value = MappingProxyType(dict(value))
        object.__setattr__(self, name, value)
        if name != "_encoded":
            object.__setattr__(self, "_encoded", None)

    def _payload(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"type": self._type}
        for name in self.__slots__:
            value = getattr(self, name)
            if isinstance(value, MappingProxyType):
                value = dict(value)
            if value is None or value is False or (isinstance(value, (dict, list)) and not value):
                continue
            out[name] = value
        return out

    def _json(self) -> str:
        encoded: Optional[str] = getattr(self, "_encoded", None)
        if encoded is None:
            encoded = json.dumps(self._payload(), separators=(",", ":"))
            object.__setattr__(self, "_encoded", encoded)
        return encoded

    def validate(self) -> None:
        """Checks every field now; raises :class:`InvalidTaskError` naming the field at fault."""
        _native.validate_task(self._json())

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._payload() == other._payload()

    def __hash__(self) -> int:
        return hash(self._json())

    def __repr__(self) -> str:
        parts = []
        for name in self.__slots__:
            value = getattr(self, name)
            if name == "proxy":
                value = _mask(value)
            elif name == "image":
                value = f"<{len(base64.b64decode(value))} bytes>"
            elif isinstance(value, MappingProxyType):
                value = dict(value)
            if value is not None and value is not False and value != {} and value != 0:
                parts.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


def _read_image(image: ImageSource) -> bytes:
    if isinstance(image, (bytes, bytearray, memoryview)):
        return bytes(image)
    if isinstance(image, (str, os.PathLike)):
        try:
            with open(image, "rb") as f:
                return f.read()
        except OSError as e:
            raise InvalidTaskError(
                f"invalid_task: cannot read the image file: {e}", kind="invalid_task", field="image"
            ) from e
    read = getattr(image, "read", None)
    if callable(read):
        data = read()
        if isinstance(data, (bytes, bytearray)):
            return bytes(data)
    raise InvalidTaskError(
        "invalid_task: image must be bytes, a file path or a binary file object",
        kind="invalid_task",
        field="image",
    )


class ImageToText(Task):
    """Text in a picture (jpg, png or gif, 100 bytes to 600 kB, at most 1000 px a side)."""

    __slots__ = ("image", "upload", "phrase", "case_sensitive", "numeric", "math", "min_length",
                 "max_length", "lang", "comment", "pingback")
    _type = "ImageToText"

    def __init__(
        self,
        image: ImageSource,
        *,
        upload: str = "base64",
        phrase: bool = False,
        case_sensitive: bool = False,
        numeric: int = 0,
        math: bool = False,
        min_length: Optional[int] = None,
        max_length: Optional[int] = None,
        lang: Optional[str] = None,
        comment: Optional[str] = None,
        pingback: Optional[str] = None,
    ) -> None:
        self.image: str = base64.b64encode(_read_image(image)).decode("ascii")
        self.upload = upload
        self.phrase = phrase
        self.case_sensitive = case_sensitive
        self.numeric = numeric
        self.math = math
        self.min_length = min_length
        self.max_length = max_length
        self.lang = lang
        self.comment = comment
        self.pingback = pingback

    @classmethod
    def from_base64(cls, data: str, **options: Any) -> "ImageToText":
        """An image task from base64 text (an optional ``data:image/...;base64,`` prefix is fine)."""
        if data.startswith("data:") and ";base64," in data:
            data = data.split(";base64,", 1)[1]
        try:
            raw = base64.b64decode(data, validate=True)
        except ValueError as e:
            raise InvalidTaskError("invalid_task: the image is not valid base64", kind="invalid_task", field="image") from e
        return cls(raw, **options)

    def _payload(self) -> Dict[str, Any]:
        out = super()._payload()
        if out.get("upload") == "base64":
            del out["upload"]
        if out.get("numeric") == 0:
            del out["numeric"]
        return out


class RecaptchaV2(Task):
    """reCAPTCHA v2: the checkbox, invisible and enterprise variants."""

    __slots__ = ("website_url", "website_key", "invisible", "data_s", "enterprise", "api_domain",
                 "user_agent", "cookies", "proxy", "pingback")
    _type = "RecaptchaV2"

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
        cookies: Optional[Union[Mapping[str, str], str]] = None,
        proxy: Optional[str] = None,
        pingback: Optional[str] = None,
    ) -> None:
        self.website_url = website_url
        self.website_key = website_key
        self.invisible = invisible
        self.data_s = data_s
        self.enterprise = enterprise
        self.api_domain = api_domain
        self.user_agent = user_agent
        self.cookies: Union[Mapping[str, str], str, None] = cookies
        self.proxy = proxy
        self.pingback = pingback


class RecaptchaV3(Task):
    """reCAPTCHA v3: score based; ``action`` defaults to ``"verify"`` as the services do."""

    __slots__ = ("website_url", "website_key", "action", "min_score", "enterprise", "api_domain",
                 "proxy", "pingback")
    _type = "RecaptchaV3"

    def __init__(
        self,
        website_url: str,
        website_key: str,
        *,
        action: str = "verify",
        min_score: Optional[float] = None,
        enterprise: bool = False,
        api_domain: Optional[str] = None,
        proxy: Optional[str] = None,
        pingback: Optional[str] = None,
    ) -> None:
        self.website_url = website_url
        self.website_key = website_key
        self.action = action
        self.min_score = min_score
        self.enterprise = enterprise
        self.api_domain = api_domain
        self.proxy = proxy
        self.pingback = pingback

    def _payload(self) -> Dict[str, Any]:
        out = super()._payload()
        out["action"] = self.action  # an empty action is sent, to be refused by validation
        return out


class HCaptcha(Task):
    """hCaptcha. The solution's ``user_agent`` must be used with the token."""

    __slots__ = ("website_url", "website_key", "api_domain", "invisible", "rqdata", "user_agent",
                 "proxy", "pingback")
    _type = "HCaptcha"

    def __init__(
        self,
        website_url: str,
        website_key: str,
        *,
        api_domain: Optional[str] = None,
        invisible: bool = False,
        rqdata: Optional[str] = None,
        user_agent: Optional[str] = None,
        proxy: Optional[str] = None,
        pingback: Optional[str] = None,
    ) -> None:
        self.website_url = website_url
        self.website_key = website_key
        self.api_domain = api_domain
        self.invisible = invisible
        self.rqdata = rqdata
        self.user_agent = user_agent
        self.proxy = proxy
        self.pingback = pingback


class FunCaptcha(Task):
    """Arkose Labs FunCaptcha (token method)."""

    __slots__ = ("website_url", "public_key", "surl", "data", "user_agent", "proxy", "pingback")
    _type = "FunCaptcha"

    def __init__(
        self,
        website_url: str,
        public_key: str,
        *,
        surl: Optional[str] = None,
        data: Optional[Mapping[str, str]] = None,
        user_agent: Optional[str] = None,
        proxy: Optional[str] = None,
        pingback: Optional[str] = None,
    ) -> None:
        self.website_url = website_url
        self.public_key = public_key
        self.surl = surl
        self.data: Mapping[str, str] = data or {}
        self.user_agent = user_agent
        self.proxy = proxy
        self.pingback = pingback


class Turnstile(Task):
    """Cloudflare Turnstile. The solution's ``user_agent`` must be used with the token."""

    __slots__ = ("website_url", "website_key", "action", "cdata", "page_data", "user_agent",
                 "proxy", "pingback")
    _type = "Turnstile"

    def __init__(
        self,
        website_url: str,
        website_key: str,
        *,
        action: Optional[str] = None,
        cdata: Optional[str] = None,
        page_data: Optional[str] = None,
        user_agent: Optional[str] = None,
        proxy: Optional[str] = None,
        pingback: Optional[str] = None,
    ) -> None:
        self.website_url = website_url
        self.website_key = website_key
        self.action = action
        self.cdata = cdata
        self.page_data = page_data
        self.user_agent = user_agent
        self.proxy = proxy
        self.pingback = pingback


TASK_CLASSES: Dict[str, type] = {
    cls._type: cls for cls in (ImageToText, RecaptchaV2, RecaptchaV3, HCaptcha, FunCaptcha, Turnstile)
}
