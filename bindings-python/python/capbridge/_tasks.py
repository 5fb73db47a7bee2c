"""The base of the task classes (one per captcha kind, generated from the catalogue of kinds
into ``_kinds.py``) and the types their fields take.

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
from typing import IO, TYPE_CHECKING, Any, ClassVar, Dict, Mapping, Optional, Sequence, Tuple, Type, TypeVar, Union

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

_Task = TypeVar("_Task", bound="CaptchaTask")


def _copy(value: Any) -> Any:
    """A private copy of a container argument, so that later changes to the caller's object
    cannot make the task's fields disagree with what the core checked."""
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy(v) for v in value]
    return value


def _same(value: Any, default: Any) -> bool:
    """Whether a given value is the declared default itself (``"base64"``, ``"verify"``, 0):
    of the same type too, so that ``True`` is not taken for ``1``."""
    return type(value) is type(default) and bool(value == default)


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _read_media(cls: Type[CaptchaTask], native: _native.NativeTask, given: Dict[str, Any]) -> None:
    """Replaces the media fields given (a path, a file object, base64 ...) by the bytes the core
    read; an empty map of images is left out, as not given."""
    for name in cls._media:
        if name in given:
            media = native.media(name)
            if media is None:
                del given[name]
            else:
                given[name] = media


def _restore(cls: Type[CaptchaTask], fields: Dict[str, Any]) -> CaptchaTask:
    """Unpickles a task: made again from its fields, and checked again."""
    return cls(**fields)


class CaptchaTask:
    """Base class of the task kinds. Make one of the subclasses; or, from a dict such as a JSON
    or YAML config holds, :meth:`CaptchaTask.from_dict`."""

    __slots__ = ("_parsed", "_fields")
    kind: ClassVar[TaskKind]
    """The task kind: the class's name."""
    _media: ClassVar[Tuple[str, ...]] = ()
    """The fields that hold bytes (images, recordings, a map of images by name): kept as the
    bytes the core read."""

    _parsed: _native.NativeTask
    _fields: Dict[str, Any]

    def _setup(self, fields: Dict[str, Any]) -> None:
        # A value equal to the class's default is left out, as from_dict leaves it out: a task
        # made either way, or unpickled, compares and hashes the same.
        defaults = type(self)._defaults()
        given = {
            k: _copy(v) for k, v in fields.items()
            if v is not None and not (k in defaults and defaults[k] is not None and _same(v, defaults[k]))
        }
        native = _native.parse_task(self.kind, given)
        _read_media(type(self), native, given)
        object.__setattr__(self, "_parsed", native)
        object.__setattr__(self, "_fields", given)

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> CaptchaTask:
        """A task from its dict form, ``{"type": "RecaptchaV2", "website_url": ..., ...}``:
        the field names are the keyword arguments of the classes. Raises
        :class:`InvalidTaskError` naming the field at fault (an unknown type or field too)."""
        from ._kinds import TASK_CLASSES

        fields = dict(data)
        native = _native.task_from_dict(fields)
        cls = TASK_CLASSES[native.kind]
        fields.pop("type", None)
        given = {k: _copy(v) for k, v in fields.items() if v is not None}
        _read_media(cls, native, given)
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

    if not TYPE_CHECKING:
        # Hidden from type checkers, which read each class's own `__init__`.
        def __new__(cls, /, *args: Any, **kwargs: Any) -> Any:
            """Refuses a misspelled field naming the nearest one (``websiteURL``: did you mean
            ``website_url``?), where Python's own error names neither the class nor a fix."""
            if kwargs:
                known = cls._defaults()
                for key in kwargs:
                    if key not in known:
                        near = _native.nearest(key, list(known))
                        hint = f"; did you mean {near!r}?" if near else f" (see help(capbridge.{cls.__name__}))"
                        raise TypeError(f"{cls.__name__}: unexpected keyword argument {key!r}{hint}")
            return object.__new__(cls)

        # Hidden from type checkers: each generated class declares its fields, so a
        # misspelled field (`task.websiteurl`) is a type error, not `Any`.
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

    def replace(self: _Task, **changes: Any) -> _Task:
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
        if not hasattr(self, "_parsed"):
            # Refused while being made (a traceback's locals, a debugger): no fields to show.
            return f"<{type(self).__name__}: refused>"
        parts = []
        for name in type(self)._defaults():
            if name not in self._fields:
                continue
            value = self._fields[name]
            if name == "proxy":
                shown = repr(self._parsed.proxy)  # the core's form: the password masked
            elif name == "request" and isinstance(value, dict):
                # A Raw request's values may hold a proxy password in any spelling: its
                # names only, and what it is (`method`, `type`), as the core's Debug does.
                shown = "{" + ", ".join(
                    f"{k!r}: {v!r}" if k in ("method", "type") else f"{k!r}: ..." for k, v in value.items()
                ) + "}"
            elif name in self._media and isinstance(value, Mapping):
                shown = "{" + ", ".join(f"{k!r}: <{len(v)} bytes>" for k, v in value.items()) + "}"
            elif name in self._media:
                shown = f"<{len(value)} bytes>"
            else:
                shown = repr(value)
            parts.append(f"{name}={shown}")
        return f"{type(self).__name__}({', '.join(parts)})"
