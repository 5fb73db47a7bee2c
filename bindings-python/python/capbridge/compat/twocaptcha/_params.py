"""2captcha-python's parameter rules: which ``in.php`` fields a call becomes.

These are the library's documented behaviour, kept exactly, because a caller's replacement
``api_client`` must receive the very fields the original sends, and because the fields that
reach the service through capbridge's engine are built from the same dict:

* every submit carries ``key`` and, when set, ``soft_id`` (4580 by default) and ``pingback``
  (the ``callback``), the per-call ``softId``/``callback`` winning over the instance's;
* keyword spellings are renamed (``hintText`` -> ``textinstructions``, ``url`` -> ``pageurl``,
  ...; :data:`RENAMES`), and a proxy ``{"type", "uri"}`` becomes ``proxy`` and ``proxytype``;
* an image given as a path travels as the path (``method=post``, ``file``), a long string
  without a dot as base64 (``method=base64``, ``body``), an ``http`` URL is downloaded and sent
  as base64; several files become ``file_1``, ``file_2``, ...; a hint image given as a path
  becomes the ``imginstructions`` file;
* a missing file, or more than ``max_files`` files, raises the validation exception before
  anything is sent.

Nothing here sends anything. Downloads use the standard library only (the module imports
without ``requests``, ``httpx`` or ``aiofiles``).
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.request
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from .exceptions.solver import ValidationException

# keyword spelling -> in.php field, in the library's order (its rename_params table).
RENAMES: Tuple[Tuple[str, str], ...] = (
    ("caseSensitive", "regsense"),
    ("minLen", "min_len"),
    ("maxLen", "max_len"),
    ("minLength", "min_len"),
    ("maxLength", "max_len"),
    ("hintText", "textinstructions"),
    ("hintImg", "imginstructions"),
    ("url", "pageurl"),
    ("score", "min_score"),
    ("text", "textcaptcha"),
    ("rows", "recaptcharows"),
    ("cols", "recaptchacols"),
    ("previousId", "previousID"),
    ("canSkip", "can_no_answer"),
    ("apiServer", "api_server"),
    ("softId", "soft_id"),
    ("callback", "pingback"),
    ("datas", "data-s"),
)

AUDIO_LANGUAGES = ("en", "ru", "de", "el", "pt", "fr")

# Seconds a download of an image or audio URL may take (the original waits forever).
DOWNLOAD_TIMEOUT = 30.0


def looks_like_base64(value: str) -> bool:
    """The library's test for inline data: no dot, and longer than 50 characters."""
    return "." not in value and len(value) > 50


def default_params(params: Dict[str, Any], api_key: str, callback: Any, soft_id: Any) -> Dict[str, Any]:
    """Adds ``key``, and the call's (else the instance's) callback and soft id when set."""
    params.update({"key": api_key})
    callback = params.pop("callback", callback)
    soft_id = params.pop("softId", soft_id)
    if callback:
        params.update({"callback": callback})
    if soft_id:
        params.update({"softId": soft_id})
    return params


def rename_params(params: Dict[str, Any]) -> Dict[str, Any]:
    """The keyword spellings as ``in.php`` fields; the proxy dict as ``proxy``/``proxytype``."""
    renamed = {field: params.pop(name) for name, field in RENAMES if name in params}
    proxy = params.pop("proxy", "")
    if proxy:
        renamed.update({"proxy": proxy["uri"], "proxytype": proxy["type"]})
    renamed.update(params)
    return renamed


def check_hint_img(params: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """Splits the files from the fields. A hint image given as a path becomes a file part
    (beside the captcha's own ``file``); given as base64 it stays a field."""
    hint = params.pop("imginstructions", None)
    files: Dict[str, Any] = params.pop("files", {})
    if not hint:
        return params, files
    if looks_like_base64(hint):
        params.update({"imginstructions": hint})
        return params, files
    if not os.path.exists(hint):
        raise ValidationException(f"File not found: {hint}")
    if not files:
        files = {"file": params.pop("file", {})}
    files.update({"imginstructions": hint})
    return params, files


def extract_files(files: Sequence[str], max_files: int) -> Dict[str, str]:
    """Several image paths as ``file_1``, ``file_2``, ...; each must exist."""
    if len(files) > max_files:
        raise ValidationException(f"Too many files (max: {max_files})")
    missing = [f for f in files if not os.path.exists(f)]
    if missing:
        raise ValidationException(f"File not found: {missing}")
    return {f"file_{n + 1}": f for n, f in enumerate(files)}


def download(url: str) -> bytes:
    """The bytes at an ``http(s)`` URL, or the validation exception the library raises when
    it cannot get them."""
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as reply:  # noqa: S310 - http(s) only
            status = getattr(reply, "status", 200)
            if status != 200:
                raise ValidationException(f"File could not be downloaded from url: {url}")
            data: bytes = reply.read()
            return data
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise ValidationException(f"File could not be downloaded from url: {url}") from e


def image_method(file: Any, fetch: Optional[bytes] = None) -> Dict[str, Any]:
    """The library's ``get_method``: how an image argument travels. ``fetch`` holds the bytes
    of an ``http`` URL once downloaded (the async solver downloads off the event loop). A
    :class:`pathlib.Path` is taken as its path."""
    if isinstance(file, os.PathLike):
        file = os.fspath(file)
    if not file:
        raise ValidationException("File required")
    if looks_like_base64(file):
        return {"method": "base64", "body": file}
    if file.startswith("http"):
        data = fetch if fetch is not None else download(file)
        return {"method": "base64", "body": base64.b64encode(data).decode("utf-8")}
    if not os.path.exists(file):
        raise ValidationException(f"File not found: {file}")
    return {"method": "post", "file": file}


def needs_download(file: Any) -> bool:
    """Whether :func:`image_method` would download ``file``."""
    return bool(file) and isinstance(file, str) and not looks_like_base64(file) and file.startswith("http")


def audio_body(file: Any, fetch: Optional[bytes] = None) -> str:
    """The base64 body of an mp3 given as base64, a URL or a path (``audio``'s rules)."""
    if not file:
        raise ValidationException("File is none")
    if looks_like_base64(file):
        return str(file)
    if file.endswith(".mp3") and file.startswith("http"):
        data = fetch if fetch is not None else download(file)
        return base64.b64encode(data).decode("utf-8")
    if file.endswith(".mp3"):
        with open(file, "rb") as media:
            return base64.b64encode(media.read()).decode("utf-8")
    raise ValidationException("File extension is not .mp3 or it is not a base64 string.")


def audio_needs_download(file: Any) -> bool:
    return (bool(file) and isinstance(file, str) and not looks_like_base64(file)
            and file.endswith(".mp3") and file.startswith("http"))


def check_audio_lang(lang: Any) -> None:
    if not lang or lang not in AUDIO_LANGUAGES:
        raise ValidationException(f'Lang not in "en", "ru", "de", "el", "pt", "fr". You send {lang}')


def canvas_hint(kwargs: Mapping[str, Any]) -> None:
    if not ("hintText" in kwargs or "hintImg" in kwargs):
        raise ValidationException("parameters required: hintText and/or hintImg")


def file_list(files: Union[Sequence[str], Mapping[str, str]]) -> List[str]:
    """``rotate``/``vkimage``'s several files: a list, or a dict's values."""
    if isinstance(files, Mapping):
        return list(files.values())
    return list(files)
