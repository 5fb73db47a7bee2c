"""Solve the captchas of a page open in Playwright.

::

    from playwright.async_api import async_playwright
    import capbridge
    from capbridge.browser import prepare, solve_page

    async with capbridge.AsyncClient("2captcha", api_key) as client, async_playwright() as p:
        browser = await p.chromium.launch()
        page = await browser.new_page()
        await prepare(page)                      # before navigation: see below
        await page.goto("https://example.com/login")
        for found in await solve_page(page, client):
            print(found.kind, found.website_key, found.filled, found.error)
        await page.click("button[type=submit]")

:func:`solve_page` looks into every frame of the page, cross-origin frames included, for
reCAPTCHA v2 (checkbox and invisible), v3 and Enterprise, hCaptcha and Turnstile, by the
markers the vendors' widgets leave. It solves each widget through the client (with the
client's failover, limits, deadlines and events; the frame's URL is the task's
``website_url``), writes the token into the widget's response field
(``g-recaptcha-response``, ``h-captcha-response``, ``cf-turnstile-response``) and calls the
widget's callback. It returns one :class:`PageCaptcha` per captcha found; a page without one
gives an empty list. The API key never enters the page: solves run in this process and the
page only receives tokens.

A page (any frame of it) decides which captchas it shows, and so what :func:`solve_page`
spends: it can show widget markup for site keys of its choosing, or run a helper of its own
under the helper's name. What a frame reports is therefore checked here before anything is
sent (a malformed record gives a result with an :class:`InvalidTaskError`), ``kinds`` and
``visible_only`` are applied again here, and ``max_solves`` (default 10) bounds the solves of
one call.

:func:`prepare`, given a Page or a BrowserContext before navigation, adds an init script that
hooks ``grecaptcha.render`` / ``execute``, ``hcaptcha.render`` and ``turnstile.render``: the
options given to ``render`` (the callback, Turnstile's ``action``, ``cData`` and
``chlPageData``) reach the solve, and reCAPTCHA v3's ``execute(sitekey, {action})`` promise
waits for the solved token (solved for the page's action). Turnstile keeps its callback and
options only in what was passed to ``render``, so an explicitly rendered Turnstile needs
``prepare``; without it, :func:`solve_page` still solves what it can find, without the callback,
``action`` and ``cData`` (logged as a warning on the ``capbridge.browser`` logger, once per
widget).

Without :func:`prepare`, a reCAPTCHA v3 found by its badge is solved for ``action`` and the
page's ``grecaptcha.execute`` is hooked then (by the search), so that the page's next
``execute(sitekey, {action})`` (within 100 s) gets the token: ``filled`` is true. An execute
the page made before the call got the vendor's token, so this is logged as a warning on the
``capbridge.browser`` logger. Where the page's ``execute`` cannot be reached at all (no
``grecaptcha`` in that frame, or not one the hook could wrap), the token is only in the badge's
field: ``filled`` is false, with a warning.

Concurrent calls on one page do not solve a widget twice: each call's search claims the widgets
it reports, and another call's search skips them until the claim ends (the token was written,
or the call gave the widget up: a cancelled call does too), or, for a call that died without
saying so (a killed process), after the call's ``timeout`` plus 30 s (10 minutes without a
timeout).

The sync API has the same pair: :func:`prepare_sync` and :func:`solve_page_sync` (with a
blocking :class:`capbridge.Client`; solves run in threads, the page is driven from the calling
thread). Nothing here imports Playwright: pages are typed by the methods used.

Every argument is checked before anything is sent: a wrong one raises
:class:`capbridge.UsageError` naming the function called, the argument (``option``), what it
takes and what it got; a misspelt keyword names the nearest one (``timeout_ms``: ``timeout``,
in seconds). Those a Python call itself would refuse (an unknown keyword, a missing argument,
``on_event`` that is not callable) are also a :class:`TypeError`, as they are for
:class:`capbridge.Client`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import functools
import inspect
import json
import logging
import math
import re
import secrets
import time
import typing
import urllib.parse
from dataclasses import dataclass
from typing import (
    Any, Awaitable, Callable, Dict, Generic, Iterable, List, Literal, Optional, Protocol, Sequence, Tuple, TypeVar,
    cast,
)

from .. import _native
from .._async import AsyncClient
from .._client import Client, _did_you_mean, _keywords
from .._errors import CaptchaError, InvalidTaskError, SolveTimeoutError, UsageError
from .._events import EventCallback
from .._native import Solution
from .._kinds import HCaptcha, RecaptchaV2, RecaptchaV3, Turnstile
from .._tasks import CaptchaTask
from .._types import Seconds, TaskKind

PageCaptchaKind = Literal["RecaptchaV2", "RecaptchaV3", "HCaptcha", "Turnstile"]
"""The kinds of captcha :func:`solve_page` finds."""

_KINDS: Tuple[PageCaptchaKind, ...] = ("RecaptchaV2", "RecaptchaV3", "HCaptcha", "Turnstile")

# Widgets solved per call unless ``max_solves`` says otherwise: a page decides what it shows,
# and so how many solves (each one paid) a call would make.
_MAX_SOLVES = 10
# What a record from a page must look like to be solved (see _plan): site keys as the core
# accepts them (letters, digits, ``-``, ``_``, ``.``), and shorter than any vendor's.
_SITE_KEY = re.compile(r"[A-Za-z0-9._-]{1,200}")
# Optional text fields: their most characters (a challenge page's ``chlPageData`` runs to a few
# kilobytes; actions and cData are short).
_TEXTS: Tuple[Tuple[str, str, int], ...] = (("action", "action", 200), ("cdata", "cdata", 1000),
                                           ("pageData", "page_data", 20000))
_FLAGS = ("invisible", "enterprise", "visible", "renderUnseen")
# The most characters of the caller's ``action`` (what a record's action may hold: see _TEXTS).
_ACTION_MOST = 200

# Each page evaluation is bounded: a page whose main thread hangs cannot hold a solve forever.
_EVAL_TIMEOUT = 30.0
# A solve that sent its submit just before the deadline still gets the reply of that request
# (the core never cuts a sent submit short); past this much more, solve_page stops waiting.
_SOLVE_GRACE = 2.0
# Writing a token that was paid for gets at least this long, even at the overall deadline;
# beyond it, a page that hangs gets ``filled=False`` (the token is lost with the page).
_APPLY_GRACE = 1.0

# A call's claim on the widgets its search reported outlasts the call by this much (its last
# page evaluations are bounded by the timeout plus a few seconds); without a timeout, a claim
# lasts _CLAIM_UNBOUNDED (longer than any default solve deadline).
_CLAIM_MARGIN = 30.0
_CLAIM_UNBOUNDED = 600.0

logger = logging.getLogger("capbridge.browser")

_MISSING = "__capbridge_missing__"
# What prepare adds after the helper: its hooks, in every document, before the page's scripts.
_HOOKS = "\n;window.__capbridgeBrowser.installHooks({{ executeHoldMs: {hold_ms} }})\n"
_CALL = (
    "(a) => { const h = window.__capbridgeBrowser;"
    " return h ? h[a.op].apply(h, a.args) : '" + _MISSING + "' }"
)
# For the sync API, whose `evaluate` takes no timeout: whether the frame answers, and has the
# helper, asked through `wait_for_function`, whose timeout the driver enforces (a page whose
# main thread hangs cannot hold the caller). The value comes as JSON text: never empty, so
# the wait ends at once, and read back without the page.
_PROBE = "() => JSON.stringify({ v: !!window.__capbridgeBrowser })"
# The helper's call the same way, for the calls that run none of the page's own code (`scan`,
# `release`, `releaseCall`): bounded as a whole, so that a page getter that never returns
# cannot hold the caller either. (A scan run twice by the wait reports the same widgets
# again under this call's claim.)
_CALL_TEXT = (
    "(a) => { const h = window.__capbridgeBrowser;"
    " return JSON.stringify({ v: h ? h[a.op].apply(h, a.args) : '" + _MISSING + "' }) }"
)
# The helper's calls that end claims: a document without the helper holds none (no scan ran
# there, or the frame navigated since), so the helper is not added to it for them.
_ENDING = ("release", "releaseCall")


@dataclass(frozen=True)
class PageCaptcha:
    """One captcha :func:`solve_page` found, and what became of it.

    Attributes:
        kind: ``"RecaptchaV2"``, ``"RecaptchaV3"``, ``"HCaptcha"`` or ``"Turnstile"``; for a
            record refused as malformed (``error`` an :class:`InvalidTaskError`), what the page
            reported there (any text, cut to 200 characters; empty when it was not text).
        website_key: the widget's site key (for a refused record, as the page reported it,
            cut to 200 characters).
        frame_url: the URL of the frame holding the widget (the task's ``website_url``).
        task_id: the service's task id, once there is one (for ``client.report``).
        provider: the provider that answered (with failover, the one that solved it).
        filled: the token was written into the widget (or handed to v3's ``execute``). For
            reCAPTCHA v3 solved from its badge: the page's ``execute`` got it, or the page's
            next ``execute`` for that site key and action (within 100 s) gets it; false when
            the page's ``execute`` cannot be reached from its frame (the token is then only in
            the badge's field; a warning is logged).
        callback_called: the widget's callback was called with the token and returned
            without raising (for v3, the ``execute`` promise was resolved). False for a
            Turnstile rendered by ``turnstile.render`` without :func:`prepare`: its callback
            (and its ``action`` and ``cData``, so the solve went without them) were never seen;
            a warning is logged.
        error: why the captcha was not solved, or ``None``. A solved captcha that could not
            be written (the frame navigated away meanwhile) has ``filled`` false and no error.
            A record no widget could give (an unknown kind, a missing or malformed site key)
            has an :class:`InvalidTaskError`; a widget past ``max_solves`` a
            :class:`UsageError` whose ``option`` is ``"max_solves"``. Neither was sent.
    """

    # Text, not PageCaptchaKind: a refused record keeps what the page said its kind was.
    kind: str
    website_key: str
    frame_url: str
    task_id: Optional[str] = None
    provider: Optional[str] = None
    filled: bool = False
    callback_called: bool = False
    error: Optional[CaptchaError] = None


class AsyncFrame(Protocol):
    """What :func:`solve_page` uses of a Playwright ``Frame`` (async API)."""

    @property
    def url(self) -> str: ...
    @property
    def parent_frame(self) -> Optional[AsyncFrame]: ...
    @property
    def child_frames(self) -> Sequence[AsyncFrame]: ...
    def evaluate(self, expression: str, arg: Any = None, /) -> Awaitable[Any]: ...


class AsyncPage(Protocol):
    """What :func:`solve_page` uses of a Playwright ``Page`` (async API)."""

    @property
    def frames(self) -> Sequence[AsyncFrame]: ...
    @property
    def main_frame(self) -> AsyncFrame: ...


class SyncFrame(Protocol):
    """What :func:`solve_page_sync` uses of a Playwright ``Frame`` (sync API)."""

    @property
    def url(self) -> str: ...
    @property
    def parent_frame(self) -> Optional[SyncFrame]: ...
    @property
    def child_frames(self) -> Sequence[SyncFrame]: ...
    def evaluate(self, expression: str, arg: Any = None, /) -> Any: ...
    def wait_for_function(
        self, expression: str, *, arg: Any = None, timeout: Optional[float] = None, polling: Any = None
    ) -> SyncJSHandle: ...


class SyncJSHandle(Protocol):
    """What :func:`solve_page_sync` uses of a Playwright ``JSHandle`` (sync API)."""

    def json_value(self) -> Any: ...
    def dispose(self) -> None: ...


class SyncPage(Protocol):
    """What :func:`solve_page_sync` uses of a Playwright ``Page`` (sync API)."""

    @property
    def frames(self) -> Sequence[SyncFrame]: ...
    @property
    def main_frame(self) -> SyncFrame: ...


class AsyncInitScriptTarget(Protocol):
    """A Playwright ``Page`` or ``BrowserContext`` (async API)."""

    # Recent Playwright versions return a handle that removes the script; older ones None.
    def add_init_script(self, script: Optional[str] = None, /) -> Awaitable[object]: ...


class SyncInitScriptTarget(Protocol):
    """A Playwright ``Page`` or ``BrowserContext`` (sync API)."""

    def add_init_script(self, script: Optional[str] = None, /) -> object: ...


_SOURCE: Optional[str] = None


def page_script() -> str:
    """The in-page helper (detector, injector and hooks) that :func:`prepare` adds and
    :func:`solve_page` runs in each frame: JavaScript, the same file the npm package ships."""
    global _SOURCE
    if _SOURCE is None:
        from importlib import resources

        _SOURCE = resources.files(__name__).joinpath("page.js").read_text(encoding="utf-8")
    return _SOURCE


# ---- arguments ---------------------------------------------------------------------------------


class _ArgumentError(UsageError, TypeError):
    """A usage error Python itself would raise as a :class:`TypeError` (an unknown keyword, a
    missing argument, a callback that is not callable), as :class:`capbridge.Client` raises
    those: ``except capbridge.UsageError`` and ``except TypeError`` both catch it. Shown (and
    pickled) as ``capbridge.UsageError``, the class callers know."""

    def __reduce__(self) -> Any:
        # Unpickled as the class it is shown as (this one is not importable under that name).
        rebuild, args = super().__reduce__()
        return rebuild, (UsageError,) + tuple(args[1:])


_ArgumentError.__module__ = UsageError.__module__
_ArgumentError.__name__ = _ArgumentError.__qualname__ = UsageError.__name__

_Call = TypeVar("_Call", bound=Callable[..., Any])


def _named(name: str) -> Callable[[_Call], _Call]:
    """Checks a call's arguments as ``capbridge.Client`` does, naming ``name`` (the function as
    the caller called it): a misspelt keyword names the nearest one (``timeout_ms``: ``timeout``,
    in seconds, where Python's own error names no fix), and a misplaced argument says how to give
    it. The wrapper keeps the function's name, docs and signature (type checkers see the
    function's own); a coroutine function stays one, and raises when awaited, as every error of
    ``solve_page`` does."""

    def decorate(func: _Call) -> _Call:
        sig = inspect.signature(func)
        names, durations = _keywords(func)
        positional = [p.name for p in sig.parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]

        def check(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> None:
            for key in kwargs:
                if key not in names:
                    hint = _did_you_mean(key, names, durations) or f" (see help(capbridge.browser.{name}))"
                    raise _ArgumentError(f"{name}: unexpected keyword argument {key!r}{hint}", option=key)
            if len(args) > len(positional):
                # A dict of options given as Node's solvePage takes them lands here too.
                raise _ArgumentError(
                    f"{name}: takes {' and '.join(positional)} as positional arguments, got {len(args)}: "
                    f"give the others by name ({name}({', '.join(positional)}, {names[len(positional)]}=...))"
                )
            try:
                sig.bind(*args, **kwargs)
            except TypeError as e:
                named = re.search(r"'(\w+)'", str(e))
                raise _ArgumentError(f"{name}: {e}", option=named.group(1) if named else None) from None

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def awaited(*args: Any, **kwargs: Any) -> Any:
                check(args, kwargs)
                return await func(*args, **kwargs)

            return cast(_Call, awaited)

        @functools.wraps(func)
        def call(*args: Any, **kwargs: Any) -> Any:
            check(args, kwargs)
            return func(*args, **kwargs)

        return cast(_Call, call)

    return decorate


def _given(value: Any) -> str:
    """A caller's value, for a message: as Python writes it when short, else by its type."""
    if value is None or isinstance(value, (bool, int, float, str, datetime.timedelta)):
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "..."
    return f"a value of type {type(value).__name__}"


def _playwright_api(value: Any) -> Optional[str]:
    """``"async"`` or ``"sync"`` for an object of Playwright's async or sync API (by its class's
    module: nothing here imports Playwright), else None."""
    module = getattr(type(value), "__module__", None) or ""
    for api in ("async", "sync"):
        if module == f"playwright.{api}_api" or module.startswith(f"playwright.{api}_api."):
            return api
    return None


def _check_page(name: str, page: Any, api: str) -> None:
    """A page: something with ``frames`` and ``main_frame`` (a Playwright ``Page``), of the API
    ``name`` drives (the other one's evaluate returns what this one cannot use)."""
    other = "sync" if api == "async" else "async"
    if _playwright_api(page) == other:
        instead = "solve_page_sync" if other == "sync" else "solve_page"
        raise UsageError(
            f"{name}: page: expected a Page of Playwright's {api} API, got one of its {other} API "
            f"(use {instead})", option="page")
    if not (hasattr(page, "frames") and hasattr(page, "main_frame")):
        raise UsageError(f"{name}: page: expected a Playwright Page ({api} API), got {_given(page)}", option="page")


def _check_target(name: str, target: Any, api: str) -> None:
    """prepare's target: a Page or BrowserContext (``add_init_script``) of the API ``name``
    drives (prepare_sync given an async one would make a coroutine nobody awaits: no hooks)."""
    other = "sync" if api == "async" else "async"
    add = getattr(target, "add_init_script", None)
    if _playwright_api(target) == other or (api == "sync" and inspect.iscoroutinefunction(add)):
        instead = "prepare_sync" if other == "sync" else "prepare"
        raise UsageError(
            f"{name}: target: expected a Page or BrowserContext of Playwright's {api} API, got one of "
            f"its {other} API (use {instead})", option="target")
    if not callable(add):
        raise UsageError(
            f"{name}: target: expected a Playwright Page or BrowserContext ({api} API), got {_given(target)}",
            option="target")


def _check_client(name: str, client: Any, api: str) -> None:
    """The client of the API ``name`` drives: an AsyncClient's ``solve`` is a coroutine
    function, a blocking Client's is not (told apart by that, as stand-ins of either fit)."""
    solve = getattr(client, "solve", None)
    if api == "async" and not inspect.iscoroutinefunction(solve):
        raise UsageError(
            f"{name}: client: expected a capbridge.AsyncClient (with Playwright's sync API, solve_page_sync "
            f"takes a blocking capbridge.Client), got {_given(client)}", option="client")
    if api == "sync" and (not callable(solve) or inspect.iscoroutinefunction(solve)):
        raise UsageError(
            f"{name}: client: expected a blocking capbridge.Client (with Playwright's async API, solve_page "
            f"takes a capbridge.AsyncClient), got {_given(client)}", option="client")


def _check_on_event(name: str, on_event: Any) -> Optional[EventCallback]:
    """``on_event``, refused now unless None or callable (it would fail every solve's events)."""
    if on_event is None or callable(on_event):
        return cast(Optional[EventCallback], on_event)
    raise _ArgumentError(
        f"{name}: on_event: expected a function taking a SolveEvent, got {_given(on_event)}", option="on_event")


@_named("prepare")
async def prepare(target: AsyncInitScriptTarget, *, execute_hold: Seconds = 60.0) -> None:
    """Adds the helper as an init script of a Page or a BrowserContext (async API), so that
    it runs in every frame before the page's own scripts and sees the widgets' ``render`` and
    ``execute`` calls. Call it before navigating.

    A reCAPTCHA v3 ``execute(sitekey, {action})`` the page makes is held until
    :func:`solve_page` resolves it with a token solved for that action. ``execute_hold`` (in
    seconds, or a ``timedelta``; at most 600) is how long a held execute waits for a
    ``solve_page`` to take it up before the vendor's own ``execute`` answers it, so that a page
    is never left waiting. A token ``solve_page`` solved from the v3 badge before the page asked
    (with ``action=`` the page's action) answers the page's execute at once."""
    script = _prepared("prepare", execute_hold)
    _check_target("prepare", target, "async")
    await target.add_init_script(script)


@_named("prepare_sync")
def prepare_sync(target: SyncInitScriptTarget, *, execute_hold: Seconds = 60.0) -> None:
    """:func:`prepare` for Playwright's sync API."""
    script = _prepared("prepare_sync", execute_hold)
    _check_target("prepare_sync", target, "sync")
    target.add_init_script(script)


def _prepared(name: str, execute_hold: Seconds) -> str:
    """The init script: the helper, then its hooks with the execute hold in milliseconds."""
    hold = execute_hold.total_seconds() if isinstance(execute_hold, datetime.timedelta) else execute_hold
    if isinstance(hold, bool) or not isinstance(hold, (int, float)) or not 0 <= hold <= 600:
        raise UsageError(
            f"{name}: execute_hold: expected a number of seconds from 0 to 600 (or a datetime.timedelta), "
            f"got {_given(execute_hold)}", option="execute_hold")
    return page_script() + _HOOKS.format(hold_ms=int(hold * 1000))


# ---- what both halves share ------------------------------------------------------------------


class _Deadline:
    def __init__(self, name: str, timeout: Optional[Seconds]) -> None:
        seconds = timeout.total_seconds() if isinstance(timeout, datetime.timedelta) else timeout
        # Infinity too is refused, as the client refuses it: no timeout is None.
        if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, (int, float))
                                    or not math.isfinite(seconds) or seconds <= 0):
            raise UsageError(
                f"{name}: timeout: expected a positive number of seconds (or a datetime.timedelta), "
                f"got {_given(timeout)}", option="timeout")
        self.at = None if seconds is None else time.monotonic() + float(seconds)

    def left(self) -> Optional[float]:
        return None if self.at is None else self.at - time.monotonic()

    def bound(self, cap: float) -> float:
        left = self.left()
        return cap if left is None else max(0.0, min(cap, left))

    def claim_ms(self) -> int:
        """How long the page keeps this call's claims: the time left plus a margin, for a call
        that died without releasing them."""
        left = self.left()
        return int(((_CLAIM_UNBOUNDED if left is None else max(0.0, left)) + _CLAIM_MARGIN) * 1000)


def _claim_options(opts: Dict[str, Any], deadline: _Deadline) -> Dict[str, Any]:
    """The search's options, with this call's claim: an id of its own and how long it lasts."""
    return dict(opts, claim=secrets.token_hex(12), claimMs=deadline.claim_ms())


def _options(name: str, kinds: Optional[Iterable[PageCaptchaKind]], visible_only: bool, action: str) -> Dict[str, Any]:
    """The search's options, checked: a switch that is not a bool would otherwise pass as one
    (``visible_only="no"`` is true)."""
    chosen: Optional[List[str]] = None
    if kinds is not None:
        if isinstance(kinds, str):
            chosen = [kinds]
        else:
            try:
                chosen = list(kinds)
            except TypeError:
                raise UsageError(
                    f"{name}: kinds: expected a list of kinds ({', '.join(_KINDS)}), got {_given(kinds)}",
                    option="kinds") from None
        for k in chosen:
            if not isinstance(k, str) or k not in _KINDS:
                if k in typing.get_args(TaskKind):
                    # FunCaptcha is no misspelt HCaptcha: a kind of its own, which pages are not searched for.
                    hint = f", which {name} does not look for (solve it with client.solve)"
                else:
                    near = _native.nearest(k, list(_KINDS)) if isinstance(k, str) else None
                    hint = f"; did you mean {near!r}?" if near else ""
                raise UsageError(f"{name}: kinds: expected some of {', '.join(_KINDS)}, got {_given(k)}{hint}",
                                 option="kinds")
    if not isinstance(visible_only, bool):
        raise UsageError(f"{name}: visible_only: expected True or False, got {_given(visible_only)}",
                         option="visible_only")
    if not isinstance(action, str) or not 0 < len(action) <= _ACTION_MOST:
        raise UsageError(
            f"{name}: action: expected reCAPTCHA v3's action, text of 1 to {_ACTION_MOST} characters, "
            f"got {_given(action)}", option="action")
    return {"kinds": chosen, "visibleOnly": visible_only, "action": action}


def _checked_call(
    name: str,
    api: str,
    page: Any,
    client: Any,
    timeout: Optional[Seconds],
    kinds: Optional[Iterable[PageCaptchaKind]],
    visible_only: bool,
    action: str,
    max_solves: int,
    on_event: Any,
) -> Tuple[_Deadline, Dict[str, Any], int, Optional[EventCallback], Dict[str, Any]]:
    """Every argument of ``solve_page`` (``api`` "async") or ``solve_page_sync`` ("sync")
    checked, in order, before anything is sent: the deadline, the scan's options, the cap on
    solves, the event function, and the scan's options with this call's claim."""
    _check_page(name, page, api)
    _check_client(name, client, api)
    deadline = _Deadline(name, timeout)
    opts = _options(name, kinds, visible_only, action)
    cap = _max_solves(name, max_solves)
    checked_on_event = _check_on_event(name, on_event)
    return deadline, opts, cap, checked_on_event, _claim_options(opts, deadline)


def _max_solves(name: str, value: int) -> int:
    """``max_solves``, checked: a whole number from 1 (``True`` is not one)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UsageError(f"{name}: max_solves: expected a whole number from 1, got {_given(value)}",
                         option="max_solves")
    return value


# ---- what a page reports -----------------------------------------------------------------------
# The helper runs in the page's own realm: a page can define ``window.__capbridgeBrowser``
# before the helper does (which then keeps it), or change the built-ins the helper uses. So a
# scan's records are the page's word: each is checked here, the caller's filters are applied
# again here, and the number of solves per call is bounded here.

_F = TypeVar("_F")


@dataclass(frozen=True)
class _Planned(Generic[_F]):
    """A record a frame reported, and what becomes of it: solved when ``error`` is None, else
    reported with that error and not sent."""

    frame: _F
    record: Dict[str, Any]
    error: Optional[CaptchaError] = None
    # A widget left over the cap, or refused, is given back: the search claimed it for this
    # call (and a v3 execute it took up goes back to its hold, then to the vendor's own execute).
    release: bool = False


def _plan(name: str, reported: Sequence[Tuple[_F, Any]], opts: Dict[str, Any], max_solves: int) -> List[_Planned[_F]]:
    """What becomes of each record, in frame and page order. A malformed one is refused
    whatever the filters (a helper that is not ours sends one, and ours one for a widget whose
    site key is malformed: the caller should hear of it); one the caller did not ask for is left
    out, as our helper would have left it; of the rest, the first ``max_solves`` are solved and
    the others are reported over the cap. Those over the cap, and refused ones with a
    reference, are given back. ``name``: the function called, for the errors' messages."""
    plan: List[_Planned[_F]] = []
    solving = 0
    for frame, w in reported:
        refusal = _refusal(name, w)
        if refusal is not None:
            record = w if isinstance(w, dict) else {}
            plan.append(_Planned(frame, record, refusal, release=_is_ref(record.get("ref"))))
        elif not _wanted(w, opts):
            continue
        elif solving >= max_solves:
            plan.append(_Planned(frame, w, _over_cap(name, max_solves), release=True))
        else:
            solving += 1
            plan.append(_Planned(frame, w))
    return plan


def _refusal(name: str, w: Any) -> Optional[InvalidTaskError]:
    """Why a record cannot come from a widget our helper found, or None: it has a kind
    solve_page solves, a site key the core takes, a reference, and fields of the types (and
    sizes) the helper writes."""
    if not isinstance(w, dict):
        return _refused(name, "it is not an object", "record")
    kind = w.get("kind")
    if not isinstance(kind, str) or kind not in _KINDS:
        return _refused(name, f"the kind {_shown(kind)} is not one {name} solves", "kind")
    key = w.get("sitekey")
    if not isinstance(key, str) or not _SITE_KEY.fullmatch(key):
        return _refused(name, f"the site key {_shown(key)} is not 1 to 200 letters, digits, '-', '_' or '.'", "website_key")
    ref = w.get("ref")
    if not _is_ref(ref):
        return _refused(name, f"the reference {_shown(ref)} is not a whole number from 0", "ref")
    for flag in _FLAGS:
        if w.get(flag) is not None and not isinstance(w[flag], bool):
            return _refused(name, f"{flag} is {_shown(w[flag])}, not true or false", flag)
    for key, field, most in _TEXTS:
        value = w.get(key)
        if value is not None and not (isinstance(value, str) and len(value) <= most):
            return _refused(name, f"{field} is not text of at most {most} characters", field)
    return None


def _is_ref(ref: Any) -> bool:
    """A widget's reference as the helper gives it: a whole number from 0 (``True`` is not one)."""
    return not isinstance(ref, bool) and isinstance(ref, int) and 0 <= ref < 2**53


def _refused(name: str, problem: str, field: str) -> InvalidTaskError:
    return InvalidTaskError(f"{name}: a record the page reported was refused, not solved: {problem}", field=field)


def _shown(value: Any) -> str:
    """A value from the page, for a message: text quoted and cut to 40 characters, anything
    else by its type (the page chooses both the size and the content)."""
    if isinstance(value, str):
        return json.dumps(value[:40] + ("..." if len(value) > 40 else ""))
    if value is None or isinstance(value, (bool, int, float)):
        return json.dumps(value)[:24]
    return "an array" if isinstance(value, list) else "an object"


def _wanted(w: Dict[str, Any], opts: Dict[str, Any]) -> bool:
    """The caller's ``kinds`` and ``visible_only``, from the record's own fields: a helper that
    is not ours may have ignored them. Shown means what our helper means: not invisible, not
    v3, and on screen."""
    if opts["kinds"] is not None and w["kind"] not in opts["kinds"]:
        return False
    shown = w.get("visible") is True and not w.get("invisible") and w["kind"] != "RecaptchaV3"
    return shown or not opts["visibleOnly"]


def _over_cap(name: str, max_solves: int) -> UsageError:
    # A usage error: the caller's own bound stopped it, and raising max_solves (or calling
    # again: solved widgets are not reported twice) is the remedy; nothing failed at a service.
    return UsageError(
        f"{name}: not solved: this call already solves max_solves ({max_solves}) captchas", option="max_solves"
    )


def _http_url(frame: Any) -> str:
    """The URL a widget's task names: its frame's, or for an ``about:blank`` / ``srcdoc`` frame
    the nearest ancestor's with a web address."""
    f = frame
    for _ in range(50):
        if f is None:
            break
        url = str(f.url)
        if url.startswith(("http://", "https://")):
            return url
        f = f.parent_frame
    return str(frame.url)


def _task(name: str, w: Dict[str, Any], url: str, user_agent: Optional[str]) -> CaptchaTask:
    kind, key = w["kind"], w["sitekey"]
    if kind == "RecaptchaV2":
        return RecaptchaV2(url, key, invisible=bool(w.get("invisible")), enterprise=bool(w.get("enterprise")))
    if kind == "RecaptchaV3":
        return RecaptchaV3(url, key, action=w.get("action") or "verify", enterprise=bool(w.get("enterprise")))
    if kind == "HCaptcha":
        return HCaptcha(url, key, invisible=bool(w.get("invisible")))
    if kind == "Turnstile":
        page_data = w.get("pageData")
        # A challenge page's token is bound to the browser that shows it: the worker must solve
        # as this browser.
        return Turnstile(
            url, key, action=w.get("action"), cdata=w.get("cdata"), page_data=page_data,
            user_agent=user_agent if page_data else None,
        )
    # _plan refuses these first; a kind no branch knows is never some other kind's task.
    raise _refused(name, f"the kind {_shown(kind)} is not one {name} solves", "kind")


def _needs_user_agent(plan: Sequence[_Planned[Any]]) -> bool:
    return any(p.error is None and p.record["kind"] == "Turnstile" and p.record.get("pageData") for p in plan)


def _result(w: Dict[str, Any], url: str) -> PageCaptcha:
    return PageCaptcha(kind=_clipped(w.get("kind")), website_key=_clipped(w.get("sitekey")), frame_url=url)


def _clipped(value: Any) -> str:
    """A record's text as a result shows it: at most 200 characters, empty for what is not text
    (a refused record's fields are the page's choice)."""
    return value[:200] if isinstance(value, str) else ""


# Where a v3 token solved from the badge went, as the helper's apply says (see page.js): the
# cases that must not pass silently.
_V3_LATE = (
    "%s: reCAPTCHA v3 %r in %r was solved without prepare(): the token goes to the page's "
    "next grecaptcha.execute() for the action %r (made within 100 s); an execute the page made "
    "before this call got the vendor's token. Call prepare() before the page loads."
)
_V3_UNREACHED = (
    "%s: reCAPTCHA v3 %r in %r was solved, but the page's grecaptcha.execute() cannot be "
    "reached from that frame: the token is only in the badge's field (filled=False). Call "
    "prepare() before the page loads."
)


# A Turnstile the search found rendered by a turnstile.render() nobody saw (see page.js,
# renderUnseen): solved, it would look a success (filled, no error) with nothing to say that the
# site's callback was not called and the token lacks the page's action and cData.
_TURNSTILE_UNSEEN = (
    "%s: Turnstile %r in %r was rendered by a turnstile.render() call that was not seen (no prepare() "
    "before the page loaded, and no data-sitekey markup to read): the callback, action and cData given "
    "to render() are unknown, so the token is solved without the action and cData, and the callback is "
    "not called (callback_called=False); the site may refuse the token. Call prepare() before the page "
    "loads."
)


def _told(name: str, base: PageCaptcha, w: Dict[str, Any], applied: Any) -> None:
    """Logs where a v3 token solved from the badge went, when the result alone would let it
    pass unnoticed."""
    where = applied.get("v3") if isinstance(applied, dict) else None
    if where == "next-execute-late":
        logger.warning(_V3_LATE, name, base.website_key, _logged_url(base.frame_url), _clipped(w.get("action")))
    elif where == "no-hook":
        logger.warning(_V3_UNREACHED, name, base.website_key, _logged_url(base.frame_url))


def _tell_unseen_renders(name: str, plan: Sequence[_Planned[Any]]) -> None:
    """Logs each Turnstile the search found rendered by a call nobody saw, when it is found (a
    page says so once per widget), whatever becomes of its solve: what the solve lacks is known
    before it starts."""
    for p in plan:
        w = p.record
        if w.get("renderUnseen") is True and w.get("kind") == "Turnstile" and not isinstance(p.error, InvalidTaskError):
            logger.warning(_TURNSTILE_UNSEEN, name, _clipped(w.get("sitekey")), _logged_url(_http_url(p.frame)))


def _logged_url(url: str) -> str:
    """A frame's URL as a log shows it: its origin and path, without the user name and password,
    query or fragment (page URLs carry session and reset tokens; the result holds the URL)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return ""
    if not parts.netloc:
        return parts.scheme + ":" if parts.scheme else ""  # about:blank, data: ...
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"[:200]


def _solved(base: PageCaptcha, solution: Solution, applied: Any) -> PageCaptcha:
    ok = isinstance(applied, dict)
    return PageCaptcha(
        kind=base.kind, website_key=base.website_key, frame_url=base.frame_url,
        task_id=solution.task_id, provider=solution.provider,
        filled=bool(ok and applied.get("filled")), callback_called=bool(ok and applied.get("callbackCalled")),
    )


def _failed(base: PageCaptcha, error: CaptchaError) -> PageCaptcha:
    return PageCaptcha(
        kind=base.kind, website_key=base.website_key, frame_url=base.frame_url,
        task_id=error.task_id, error=error,
    )


def _timed_out(name: str) -> SolveTimeoutError:
    return SolveTimeoutError(f"{name}: the overall timeout passed before this captcha was solved")


# ---- async ---------------------------------------------------------------------------------


async def _call(frame: AsyncFrame, op: str, args: List[Any], timeout: float) -> Any:
    arg = {"op": op, "args": args}
    result = await asyncio.wait_for(frame.evaluate(_CALL, arg), timeout)
    if result == _MISSING:
        if op in _ENDING:
            return None
        await asyncio.wait_for(frame.evaluate(page_script()), timeout)
        result = await asyncio.wait_for(frame.evaluate(_CALL, arg), timeout)
    return result


@_named("solve_page")
async def solve_page(
    page: AsyncPage,
    client: AsyncClient,
    *,
    timeout: Optional[Seconds] = None,
    kinds: Optional[Iterable[PageCaptchaKind]] = None,
    visible_only: bool = False,
    action: str = "verify",
    max_solves: int = _MAX_SOLVES,
    on_event: Optional[EventCallback] = None,
) -> List[PageCaptcha]:
    """Finds the captchas in every frame of a Playwright page (async API), solves each through
    ``client``, writes the tokens and calls the widgets' callbacks.

    Args:
        page: a Playwright ``Page``.
        client: the :class:`capbridge.AsyncClient` to solve with.
        timeout: for everything, in seconds (or a ``timedelta``); default: each solve's own
            deadline.
        kinds: solve only these kinds (``["RecaptchaV2", "Turnstile"]``).
        visible_only: solve only widgets shown on the page (not invisible ones, not v3).
        action: reCAPTCHA v3's action when the page's own ``execute`` call was not seen
            (:func:`prepare` sees it).
        max_solves: solve at most this many captchas (default 10); the others found get a
            :class:`UsageError` (``option="max_solves"``) and are not sent. The page decides
            what it shows, and so how many solves a call would pay for.
        on_event: receives every solve's events.

    Returns one :class:`PageCaptcha` per captcha found, in frame and page order. What a frame
    reports is checked before anything is sent (its kind, its site key, its fields' types),
    and ``kinds`` and ``visible_only`` are applied to it again: a page can run a helper of its
    own. A malformed record gives a result with an :class:`InvalidTaskError` and no solve.
    Raises :class:`UsageError` for a wrong argument, before anything is sent (``option`` names
    it; a misspelt keyword names the nearest one), and :class:`SolveTimeoutError` when the
    timeout passes while the page is still being searched.

    Widgets another call on the same page is solving are left to it (not reported): the search
    claims what it reports for this call until its token is written or the call gives it up
    (cancelling the call, ``asyncio.wait_for`` included, gives up what it still claims; a call
    that died without doing so: its ``timeout`` plus 30 s, or 10 minutes without one).
    Without :func:`prepare`, reCAPTCHA v3's ``execute`` is hooked when v3 is found, so that the
    page's next ``execute`` gets the token (see :class:`PageCaptcha`'s ``filled``).
    """
    deadline, opts, cap, on_event, claiming = _checked_call(
        "solve_page", "async", page, client, timeout, kinds, visible_only, action, max_solves, on_event
    )
    reported: List[Tuple[AsyncFrame, Any]] = []
    # The frames whose scan answered, and those whose scan did not (it timed out or failed, or
    # the call was cancelled while waiting for it): a page that was only slow still runs that
    # scan, which claims what it reports for this call.
    searched: List[AsyncFrame] = []
    stalled: List[AsyncFrame] = []

    async def release_call(frames: Sequence[AsyncFrame]) -> None:
        # Ends every claim this call still holds in these frames, at once in each (bounded: a
        # frame that does not answer keeps them until they expire).
        async def quietly(f: AsyncFrame) -> None:
            try:
                await _call(f, "releaseCall", [claiming["claim"]], _APPLY_GRACE)
            except Exception:  # noqa: BLE001 - the frame navigated away or detached meanwhile
                pass

        await asyncio.gather(*(quietly(f) for f in frames))

    try:
        for frame in list(page.frames):
            if deadline.bound(1.0) <= 0:
                raise _timed_out("solve_page")
            opts_here = dict(claiming, childUrls=[c.url for c in frame.child_frames])
            stalled.append(frame)  # until its scan answers
            try:
                widgets = await _call(frame, "scan", [opts_here], deadline.bound(_EVAL_TIMEOUT))
            except asyncio.TimeoutError:
                if deadline.bound(1.0) <= 0:
                    raise _timed_out("solve_page") from None
                continue  # a frame whose page hangs: the others still count
            except Exception:  # noqa: BLE001 - a frame that navigated or detached meanwhile
                continue
            stalled.pop()
            if isinstance(widgets, list):
                searched.append(frame)
                reported.extend((frame, w) for w in widgets)
        plan = _plan("solve_page", reported, opts, cap)
        _tell_unseen_renders("solve_page", plan)
        user_agent: Optional[str] = None
        if _needs_user_agent(plan):
            try:
                user_agent = str(await asyncio.wait_for(
                    page.main_frame.evaluate("() => navigator.userAgent"), deadline.bound(_EVAL_TIMEOUT)))
            except asyncio.TimeoutError:
                if deadline.bound(1.0) <= 0:
                    raise _timed_out("solve_page") from None
                raise
    except BaseException:
        # The call stops before solving what it found (it failed, or was cancelled): its claims
        # end now, not at their expiry. Shielded: a cancellation cannot cut the releases short.
        await asyncio.shield(release_call(searched + stalled))
        raise

    async def release(frame: AsyncFrame, w: Dict[str, Any]) -> None:
        # The widget's claim ends (another call may solve it), and a held v3 execute it took up
        # waits for the next solve_page again, then for the vendor's own execute, instead of
        # for a token that is not coming.
        try:
            await _call(frame, "release", [w["ref"]], max(_APPLY_GRACE, deadline.bound(_EVAL_TIMEOUT)))
        except Exception:  # noqa: BLE001 - the frame navigated away or detached meanwhile
            pass

    async def one(planned: _Planned[AsyncFrame]) -> PageCaptcha:
        frame, w = planned.frame, planned.record
        url = _http_url(frame)
        base = _result(w, url)
        if planned.error is not None:
            if planned.release:
                await release(frame, w)
            return _failed(base, planned.error)
        error: CaptchaError
        try:
            task = _task("solve_page", w, url, user_agent)
            left = deadline.left()
            if left is not None and left <= 0.001:
                raise _timed_out("solve_page")
            solving = client.solve(task, timeout=left, on_event=on_event)
            solution = await (solving if left is None else asyncio.wait_for(solving, left + _SOLVE_GRACE))
        except CaptchaError as e:
            error = e
        except asyncio.TimeoutError:
            error = _timed_out("solve_page")
        except Exception:
            await release(frame, w)  # what the call raises, its claim does not outlive
            raise
        else:
            return await written(frame, w, base, solution)
        await release(frame, w)
        return _failed(base, error)

    async def written(frame: AsyncFrame, w: Dict[str, Any], base: PageCaptcha, solution: Solution) -> PageCaptcha:
        extra = {"respKey": solution.resp_key}
        try:
            limit = max(_APPLY_GRACE, deadline.bound(_EVAL_TIMEOUT))
            applied = await _call(frame, "apply", [w["ref"], solution.answer, extra], limit)
        except Exception:  # noqa: BLE001 - the frame navigated away or detached meanwhile
            applied = None
        _told("solve_page", base, w, applied)
        return _solved(base, solution, applied)

    try:
        results = list(await asyncio.gather(*(one(p) for p in plan)))
    except BaseException as e:
        # A solve that raised gave its widget back, and the others go on and end their own. A
        # cancelled call (asyncio.wait_for, task.cancel()) ends every claim it still holds now:
        # those of solves cut short or never started (a token written ended its own), shielded.
        await asyncio.shield(release_call(stalled if isinstance(e, Exception) else searched + stalled))
        raise
    # What a scan that did not answer claimed meanwhile ends with the call.
    await asyncio.shield(release_call(stalled))
    return results


# ---- sync ----------------------------------------------------------------------------------


def _release_sync(frame: SyncFrame, w: Dict[str, Any], deadline: _Deadline) -> None:
    """A held v3 execute the failed widget took up waits for the next solve_page again."""
    try:
        _call_sync(frame, "release", [w["ref"]], max(_APPLY_GRACE, deadline.bound(_EVAL_TIMEOUT)))
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError, or a frame gone
        pass


def _evaluate_sync(frame: SyncFrame, expression: str, arg: Any, timeout: float) -> Any:
    """``expression`` (a function returning ``JSON.stringify({v: value})``) called in
    ``frame``, within ``timeout`` seconds (Playwright's ``TimeoutError`` after that)."""
    handle = frame.wait_for_function(expression, arg=arg, timeout=max(1.0, timeout * 1000.0), polling=100)
    text = handle.json_value()
    try:
        handle.dispose()
    except Exception:  # noqa: BLE001 - the page that made it may be gone; nothing to free
        pass
    wrapped = json.loads(text) if isinstance(text, str) else None
    return wrapped.get("v") if isinstance(wrapped, dict) else None


def _call_sync(frame: SyncFrame, op: str, args: List[Any], timeout: float) -> Any:
    """The helper's ``op`` in ``frame``; a frame that does not answer within ``timeout``
    raises Playwright's ``TimeoutError``. ``scan``, ``release`` and ``releaseCall`` are asked
    through ``wait_for_function`` as a whole. ``apply`` is probed that way first, then run by
    ``evaluate``, whose value comes back with the call's own reply (``apply`` may send the
    page on by submitting its form, which a second round trip would not outlive). That
    ``evaluate``, and the helper's injection into a frame that lacks it, are what the sync API
    cannot bound: there the page's own code runs (its callback, its input and change
    listeners), which the async API bounds."""
    if op != "apply":
        result = _evaluate_sync(frame, _CALL_TEXT, {"op": op, "args": args}, timeout)
        if result == _MISSING:
            if op in _ENDING:
                return None
            frame.evaluate(page_script())
            result = _evaluate_sync(frame, _CALL_TEXT, {"op": op, "args": args}, timeout)
        return result
    if not _evaluate_sync(frame, _PROBE, None, timeout):
        frame.evaluate(page_script())
    return frame.evaluate(_CALL, {"op": op, "args": args})


@_named("solve_page_sync")
def solve_page_sync(
    page: SyncPage,
    client: Client,
    *,
    timeout: Optional[Seconds] = None,
    kinds: Optional[Iterable[PageCaptchaKind]] = None,
    visible_only: bool = False,
    action: str = "verify",
    max_solves: int = _MAX_SOLVES,
    on_event: Optional[EventCallback] = None,
) -> List[PageCaptcha]:
    """:func:`solve_page` for Playwright's sync API, with a blocking :class:`capbridge.Client`.
    The solves run in threads at once (the client releases the GIL); the page is driven from
    the calling thread only, as Playwright's sync API requires. Each page evaluation is
    bounded (by the overall timeout, and by 30 s): a page whose main thread hangs cannot hold
    the call, but for the writing of a token: the page's own code that it sets off (the
    widget's callback, the field's input and change listeners) runs inside one ``evaluate``
    that Playwright's sync API cannot bound (the async API bounds it too). What the frames
    report is checked, filtered and capped as :func:`solve_page`
    does."""
    deadline, opts, cap, on_event, claiming = _checked_call(
        "solve_page_sync", "sync", page, client, timeout, kinds, visible_only, action, max_solves, on_event
    )
    reported: List[Tuple[SyncFrame, Any]] = []
    # The frames whose scan answered, and those whose scan did not (as solve_page): a page that
    # was only slow still runs that scan, which claims what it reports for this call.
    searched: List[SyncFrame] = []
    stalled: List[SyncFrame] = []

    def release_call(frames: Sequence[SyncFrame]) -> None:
        # Ends every claim this call still holds in these frames (each bounded: a frame that
        # does not answer keeps them until they expire).
        for f in frames:
            try:
                _call_sync(f, "releaseCall", [claiming["claim"]], _APPLY_GRACE)
            except Exception:  # noqa: BLE001 - Playwright's TimeoutError, or a frame gone
                pass

    try:
        for frame in list(page.frames):
            if deadline.bound(1.0) <= 0:
                raise _timed_out("solve_page_sync")
            stalled.append(frame)  # until its scan answers
            try:
                opts_here = dict(claiming, childUrls=[c.url for c in frame.child_frames])
                widgets = _call_sync(frame, "scan", [opts_here], deadline.bound(_EVAL_TIMEOUT))
            except Exception:  # noqa: BLE001 - a frame that navigated, detached or hangs
                if deadline.bound(1.0) <= 0:
                    raise _timed_out("solve_page_sync") from None
                continue
            stalled.pop()
            if isinstance(widgets, list):
                searched.append(frame)
                reported.extend((frame, w) for w in widgets)
        plan = _plan("solve_page_sync", reported, opts, cap)
        _tell_unseen_renders("solve_page_sync", plan)
        if not plan:
            release_call(stalled)
            return []
        user_agent: Optional[str] = None
        if _needs_user_agent(plan):
            try:
                ua = _evaluate_sync(page.main_frame, "() => JSON.stringify({ v: navigator.userAgent })", None,
                                    deadline.bound(_EVAL_TIMEOUT))
            except Exception:  # noqa: BLE001 - Playwright's TimeoutError, or a page gone
                if deadline.bound(1.0) <= 0:
                    raise _timed_out("solve_page_sync") from None
                raise
            user_agent = str(ua)
    except BaseException:
        # The call stops before solving what it found (it failed, or KeyboardInterrupt): its
        # claims end now, not at their expiry.
        release_call(searched + stalled)
        raise

    results: List[Optional[PageCaptcha]] = [None] * len(plan)
    pending: Dict[concurrent.futures.Future[Solution], int] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(8, len(plan)), thread_name_prefix="capbridge-page") as pool:
        try:
            for i, planned in enumerate(plan):
                frame, w = planned.frame, planned.record
                url = _http_url(frame)
                base = _result(w, url)
                if planned.error is not None:
                    results[i] = _failed(base, planned.error)
                    if planned.release:
                        _release_sync(frame, w, deadline)
                    continue
                try:
                    task = _task("solve_page_sync", w, url, user_agent)
                    left = deadline.left()
                    if left is not None and left <= 0.001:
                        raise _timed_out("solve_page_sync")
                except CaptchaError as e:
                    results[i] = _failed(base, e)
                    _release_sync(frame, w, deadline)
                    continue
                pending[pool.submit(client.solve, task, timeout=left, on_event=on_event)] = i
            # Each solve ends by its own deadline; tokens are written as they arrive.
            for fut in concurrent.futures.as_completed(pending):
                i = pending[fut]
                frame, w = plan[i].frame, plan[i].record
                base = _result(w, _http_url(frame))
                try:
                    solution = fut.result()
                except CaptchaError as e:
                    results[i] = _failed(base, e)
                    _release_sync(frame, w, deadline)
                    continue
                try:
                    limit = max(_APPLY_GRACE, deadline.bound(_EVAL_TIMEOUT))
                    applied = _call_sync(frame, "apply", [w["ref"], solution.answer, {"respKey": solution.resp_key}], limit)
                except Exception:  # noqa: BLE001 - the frame navigated away or detached meanwhile
                    applied = None
                _told("solve_page_sync", base, w, applied)
                results[i] = _solved(base, solution, applied)
        except BaseException:
            # A solve raised, or the caller was interrupted (KeyboardInterrupt): no token of this
            # call is written any more, so every widget it still claims goes back now (those
            # solving, those not started, the one whose solve raised; a token written ended its
            # own claim). Solves not started are dropped; those running end by their deadline.
            pool.shutdown(wait=False, cancel_futures=True)
            release_call(searched + stalled)
            raise
    # What a scan that did not answer claimed meanwhile ends with the call.
    release_call(stalled)
    return [r for r in results if r is not None]


__all__ = [
    "AsyncFrame",
    "AsyncInitScriptTarget",
    "AsyncPage",
    "PageCaptcha",
    "PageCaptchaKind",
    "SyncFrame",
    "SyncInitScriptTarget",
    "SyncJSHandle",
    "SyncPage",
    "page_script",
    "prepare",
    "prepare_sync",
    "solve_page",
    "solve_page_sync",
]
