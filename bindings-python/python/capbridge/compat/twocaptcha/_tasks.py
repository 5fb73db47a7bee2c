"""The fields of a 2captcha-python submit as a capbridge task.

A submit whose ``method`` capbridge's catalogue knows becomes that kind's task (``RecaptchaV2``,
``GeeTest``, ``Coordinates``, ...), so the engine applies the kind's documented waits, batch
polling and answer decoding. Only what the engine needs is read into the task's own fields:
the required ones, the image, the proxy (so that its password is masked everywhere) and the
pingback, plus the fields the kind's encoding always writes (reCAPTCHA v3's ``version`` and
``action``, the grid and click flags), so that nothing is sent twice. Every other field goes
in ``extra``, under its own name and with the text the original would have sent, and reaches
the service as given. A submit the catalogue does not name (KeyCaptcha, Capy, Tencent, ...), or
whose typed task capbridge refuses, goes as a ``Raw`` task: the library's fields exactly.

Images travel as the library sends them where capbridge's kinds can: a plain image, a click or
a grid picture given as a path stays a file upload (``method=post``); rotations travel as
base64 (``body``), as capbridge sends that kind; a hint image given as a path travels as base64
text in ``imginstructions``. Several files (``rotate`` or ``vkimage`` with a list) go as the
library sends them: a ``Raw`` task whose ``files`` are the multipart parts under the library's
names (``file_1``, ``file_2``, ..., and ``imginstructions`` for a hint image given as a path),
beside its fields.
"""

from __future__ import annotations

import base64
import pathlib
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

import capbridge

from .exceptions.solver import ValidationException

# Fields the client adds itself (the key, the integrator id, reply switches).
_CLIENT_FIELDS = ("key", "soft_id", "json")
# Fields the original sends as given and capbridge's client writes from its options: a call
# that gives one is made through a client with that option.
_SWITCHES = ("header_acao", "debug_dump")

_SITE = {"pageurl": "website_url", "sitekey": "website_key"}

# method -> (kind, {in.php field: task field}) for the widget kinds: the page and its keys.
_WIDGETS: Dict[str, Tuple[str, Dict[str, str]]] = {
    "hcaptcha": ("HCaptcha", _SITE),
    "turnstile": ("Turnstile", _SITE),
    "funcaptcha": ("FunCaptcha", {"pageurl": "website_url", "publickey": "public_key"}),
    "geetest": ("GeeTest", {"pageurl": "website_url", "gt": "gt", "challenge": "challenge"}),
    "geetest_v4": ("GeeTestV4", {"pageurl": "website_url", "captcha_id": "captcha_id"}),
    "amazon_waf": ("AmazonWaf", {"pageurl": "website_url", "sitekey": "website_key", "iv": "iv",
                                 "context": "context"}),
    "datadome": ("DataDome", {"pageurl": "website_url", "captcha_url": "captcha_url",
                              "userAgent": "user_agent"}),
    "mt_captcha": ("MtCaptcha", _SITE),
    "friendly_captcha": ("FriendlyCaptcha", _SITE),
    "lemin": ("Lemin", {"pageurl": "website_url", "captcha_id": "captcha_id", "div_id": "div_id"}),
}


def wire_text(value: Any) -> str:
    """A field's value as the original's HTTP client writes it in a form (``str()``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _is_one(value: Any) -> bool:
    return value is True or wire_text(value) == "1"


def _b64_file(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return base64.b64encode(f.read()).decode("ascii")
    except OSError as e:
        raise ValidationException(f"File not found: {path}") from e


class Submit:
    """One submit: the key, the integrator id, and the task, typed or raw."""

    def __init__(self, params: Mapping[str, Any], files: Optional[Mapping[str, Any]]) -> None:
        fields = {k: v for k, v in params.items() if v is not None}
        self.key = wire_text(fields.get("key", ""))
        soft_id = fields.get("soft_id")
        self.soft_id: Optional[str] = wire_text(soft_id) if soft_id else None
        for name in _CLIENT_FIELDS:
            fields.pop(name, None)
        #: capbridge client options this call's fields ask for (``header_acao=1``).
        self.switches: Dict[str, bool] = {
            name: wire_text(fields.pop(name)) == "1" for name in _SWITCHES if name in fields
        }
        self.method = wire_text(fields.get("method", ""))
        self.fields = fields
        self.files: Dict[str, str] = {
            k: str(v) for k, v in (files or {}).items() if v not in (None, {}, "")
        }
        if "file" in fields and "file" not in self.files:
            self.files["file"] = str(fields.pop("file"))
        images = [k for k in self.files if k == "file" or k.startswith("file_")]
        self.several_files = len(images) > 1

    def image(self) -> Any:
        """The captcha's image: a path (a file part) or the base64 ``body``."""
        for name in ("file", "file_1"):
            if name in self.files:
                return pathlib.Path(self.files[name])
        body = self.fields.get("body")
        return wire_text(body) if body is not None else None

    def typed(self) -> Optional[capbridge.CaptchaTask]:
        """The task of the catalogue's kind, or ``None`` when there is none, or when capbridge
        refuses the fields as that kind's (the raw task then lets the service decide, as the
        library would)."""
        if self.several_files:
            return None
        build = self._builder()
        if build is None:
            return None
        try:
            return build()
        except capbridge.InvalidTaskError:
            return None

    def raw(self) -> capbridge.CaptchaTask:
        """The library's fields as they are, as a ``Raw`` task. Several files are its
        multipart file parts, under the library's part names; one file travels as base64 text
        (a ``post`` upload becomes ``method=base64``)."""
        request = {k: wire_text(v) for k, v in self.fields.items()}
        # The pingback is the task's own field (the client writes it, once).
        pingback = request.pop("pingback", None)
        if self.several_files:
            files = {name: _b64_file(path) for name, path in self.files.items()}
            return capbridge.Raw(request=request, files=files, pingback=pingback)
        for name, path in self.files.items():
            if name in ("file", "file_1"):
                request["body"] = _b64_file(path)
                if request.get("method") == "post":
                    request["method"] = "base64"
            else:
                request[name] = _b64_file(path)
        return capbridge.Raw(request=request, pingback=pingback)

    # ---- the kinds --------------------------------------------------------------------------

    def _builder(self) -> Optional[Callable[[], capbridge.CaptchaTask]]:
        m, f = self.method, self.fields
        if m == "userrecaptcha":
            return self._recaptcha
        if m in _WIDGETS:
            return self._widget
        if m == "audio":
            return lambda: self._make("Audio", {"body": "audio", "lang": "language"}, proxy=False)
        if m == "rotatecaptcha":
            return lambda: self._picture("Rotate", {}, hint="extra")
        if m in ("post", "base64"):
            if m == "post" and "textcaptcha" in f and self.image() is None:
                return lambda: self._make("TextCaptcha", {"textcaptcha": "text"}, proxy=False,
                                          constants=("method",))
            if "coordinatescaptcha" in f:
                if not _is_one(f["coordinatescaptcha"]):
                    return None
                return lambda: self._picture("Coordinates", {}, hint="instructions_image",
                                             constants=("coordinatescaptcha",))
            if "recaptcha" in f:
                if "canvas" in f or not _is_one(f["recaptcha"]):
                    return None  # canvas answers polygons: no kind of the catalogue
                return lambda: self._picture(
                    "Grid", {"textinstructions": "instructions"}, hint="instructions_image",
                    constants=("recaptcha",))
            return self._plain_image
        return None

    def _make(
        self,
        kind: str,
        mapping: Mapping[str, str],
        *,
        proxy: bool = True,
        constants: Tuple[str, ...] = (),
        given: Optional[Dict[str, Any]] = None,
        fields: Optional[Mapping[str, Any]] = None,
    ) -> capbridge.CaptchaTask:
        """A task of ``kind``: ``mapping``'s fields into the task's fields, the proxy and
        pingback too, ``constants`` (written by the kind's encoding) dropped, the rest in
        ``extra`` as the original writes them. ``fields``: the submit's fields less those
        ``given`` already holds."""
        rest = dict(self.fields if fields is None else fields)
        rest.pop("method", None)
        args: Dict[str, Any] = dict(given or {})
        for wire, ours in mapping.items():
            if wire in rest:
                args[ours] = wire_text(rest.pop(wire))
        for name in constants:
            rest.pop(name, None)
        if proxy and "proxy" in rest and "proxytype" in rest:
            args["proxy"] = {"type": wire_text(rest.pop("proxytype")), "uri": wire_text(rest.pop("proxy"))}
        if "pingback" in rest:
            args["pingback"] = wire_text(rest.pop("pingback"))
        extra = {k: wire_text(v) for k, v in rest.items()}
        for name, path in self.files.items():
            if name == "imginstructions" and "instructions_image" not in args:
                extra["imginstructions"] = _b64_file(path)
        if extra:
            args["extra"] = extra
        return capbridge.TASK_CLASSES[kind](**args)

    def _recaptcha(self) -> capbridge.CaptchaTask:
        if wire_text(self.fields.get("version", "")) == "v3":
            # v3's encoding writes version=v3 and an action (verify unless given).
            return self._make("RecaptchaV3", {"pageurl": "website_url", "googlekey": "website_key",
                                              "action": "action"}, constants=("version",))
        return self._make("RecaptchaV2", {"pageurl": "website_url", "googlekey": "website_key"})

    def _widget(self) -> capbridge.CaptchaTask:
        kind, mapping = _WIDGETS[self.method]
        return self._make(kind, mapping)

    def _picture(
        self,
        kind: str,
        mapping: Mapping[str, str],
        *,
        hint: str,
        constants: Tuple[str, ...] = (),
    ) -> capbridge.CaptchaTask:
        image = self.image()
        if image is None:
            raise capbridge.InvalidTaskError("no image", field="image")
        given: Dict[str, Any] = {"image": image}
        if kind in ("Coordinates", "Grid") and self.method == "post":
            given["upload"] = "multipart"  # a file given as a path stays a file upload
        if hint != "extra":
            if "imginstructions" in self.files:
                given[hint] = pathlib.Path(self.files["imginstructions"])
            elif "imginstructions" in self.fields:
                given[hint] = wire_text(self.fields["imginstructions"])
        fields = dict(self.fields)
        if hint != "extra":
            fields.pop("imginstructions", None)
        fields.pop("body", None)
        return self._make(kind, mapping, proxy=False, constants=constants, given=given, fields=fields)

    def _plain_image(self) -> capbridge.CaptchaTask:
        image = self.image()
        if image is None:
            raise capbridge.InvalidTaskError("no image", field="image")
        upload = "multipart" if self.method == "post" else "base64"
        fields = dict(self.fields)
        fields.pop("body", None)
        return self._make("ImageToText", {}, proxy=False, given={"image": image, "upload": upload},
                          fields=fields)
