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
``prepare``; without it, :func:`solve_page` still solves what it can find.

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
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import inspect
import json
import logging
import re
import secrets
import time
import urllib.parse
from dataclasses import dataclass
from typing import (
    Any, Awaitable, Dict, Generic, Iterable, List, Literal, Optional, Protocol, Sequence, Tuple, TypeVar,
)

from .._async import AsyncClient
from .._client import Client
from .._errors import CaptchaError, InvalidTaskError, SolveTimeoutError, UsageError
from .._events import EventCallback
from .._native import Solution
from .._kinds import HCaptcha, RecaptchaV2, RecaptchaV3, Turnstile
from .._tasks import CaptchaTask
from .._types import Seconds

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
_FLAGS = ("invisible", "enterprise", "visible")

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
            without raising (for v3, the ``execute`` promise was resolved).
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
    script = _prepared(execute_hold)
    await target.add_init_script(script)


def prepare_sync(target: SyncInitScriptTarget, *, execute_hold: Seconds = 60.0) -> None:
    """:func:`prepare` for Playwright's sync API."""
    script = _prepared(execute_hold)
    target.add_init_script(script)


def _prepared(execute_hold: Seconds) -> str:
    """The init script: the helper, then its hooks with the execute hold in milliseconds."""
    hold = execute_hold.total_seconds() if isinstance(execute_hold, datetime.timedelta) else execute_hold
    if isinstance(hold, bool) or not isinstance(hold, (int, float)) or not 0 <= hold <= 600:
        raise UsageError(
            "prepare: execute_hold must be a number of seconds from 0 to 600", option="execute_hold"
        )
    return page_script() + _HOOKS.format(hold_ms=int(hold * 1000))


# ---- what both halves share ------------------------------------------------------------------


class _Deadline:
    def __init__(self, timeout: Optional[Seconds]) -> None:
        if isinstance(timeout, datetime.timedelta):
            timeout = timeout.total_seconds()
        if timeout is not None and not timeout > 0:
            raise UsageError("solve_page: timeout must be a positive number of seconds", option="timeout")
        self.at = None if timeout is None else time.monotonic() + float(timeout)

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


def _options(kinds: Optional[Iterable[PageCaptchaKind]], visible_only: bool, action: str) -> Dict[str, Any]:
    chosen: Optional[List[str]] = None
    if kinds is not None:
        chosen = [kinds] if isinstance(kinds, str) else [str(k) for k in kinds]
        for k in chosen:
            if k not in _KINDS:
                raise UsageError(
                    f"solve_page: unknown kind {k!r}; expected some of {', '.join(_KINDS)}", option="kinds"
                )
    if not isinstance(action, str) or not action:
        raise UsageError("solve_page: action must be a non-empty string", option="action")
    return {"kinds": chosen, "visibleOnly": bool(visible_only), "action": action}


def _max_solves(value: int) -> int:
    """``max_solves``, checked: a whole number from 1 (``True`` is not one)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UsageError("solve_page: max_solves must be a whole number from 1", option="max_solves")
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


def _plan(reported: Sequence[Tuple[_F, Any]], opts: Dict[str, Any], max_solves: int) -> List[_Planned[_F]]:
    """What becomes of each record, in frame and page order. A malformed one is refused
    whatever the filters (a helper that is not ours sends one, and ours one for a widget whose
    site key is malformed: the caller should hear of it); one the caller did not ask for is left
    out, as our helper would have left it; of the rest, the first ``max_solves`` are solved and
    the others are reported over the cap. Those over the cap, and refused ones with a
    reference, are given back."""
    plan: List[_Planned[_F]] = []
    solving = 0
    for frame, w in reported:
        refusal = _refusal(w)
        if refusal is not None:
            record = w if isinstance(w, dict) else {}
            plan.append(_Planned(frame, record, refusal, release=_is_ref(record.get("ref"))))
        elif not _wanted(w, opts):
            continue
        elif solving >= max_solves:
            plan.append(_Planned(frame, w, _over_cap(max_solves), release=True))
        else:
            solving += 1
            plan.append(_Planned(frame, w))
    return plan


def _refusal(w: Any) -> Optional[InvalidTaskError]:
    """Why a record cannot come from a widget our helper found, or None: it has a kind
    solve_page solves, a site key the core takes, a reference, and fields of the types (and
    sizes) the helper writes."""
    if not isinstance(w, dict):
        return _refused("it is not an object", "record")
    kind = w.get("kind")
    if not isinstance(kind, str) or kind not in _KINDS:
        return _refused(f"the kind {_shown(kind)} is not one solve_page solves", "kind")
    key = w.get("sitekey")
    if not isinstance(key, str) or not _SITE_KEY.fullmatch(key):
        return _refused(f"the site key {_shown(key)} is not 1 to 200 letters, digits, '-', '_' or '.'", "website_key")
    ref = w.get("ref")
    if not _is_ref(ref):
        return _refused(f"the reference {_shown(ref)} is not a whole number from 0", "ref")
    for name in _FLAGS:
        if w.get(name) is not None and not isinstance(w[name], bool):
            return _refused(f"{name} is {_shown(w[name])}, not true or false", name)
    for name, field, most in _TEXTS:
        value = w.get(name)
        if value is not None and not (isinstance(value, str) and len(value) <= most):
            return _refused(f"{field} is not text of at most {most} characters", field)
    return None


def _is_ref(ref: Any) -> bool:
    """A widget's reference as the helper gives it: a whole number from 0 (``True`` is not one)."""
    return not isinstance(ref, bool) and isinstance(ref, int) and 0 <= ref < 2**53


def _refused(problem: str, field: str) -> InvalidTaskError:
    return InvalidTaskError(f"solve_page: a record the page reported was refused, not solved: {problem}", field=field)


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


def _over_cap(max_solves: int) -> UsageError:
    # A usage error: the caller's own bound stopped it, and raising max_solves (or calling
    # again: solved widgets are not reported twice) is the remedy; nothing failed at a service.
    return UsageError(
        f"solve_page: not solved: this call already solves max_solves ({max_solves}) captchas", option="max_solves"
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


def _task(w: Dict[str, Any], url: str, user_agent: Optional[str]) -> CaptchaTask:
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
    raise _refused(f"the kind {_shown(kind)} is not one solve_page solves", "kind")


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
    "solve_page: reCAPTCHA v3 %r in %r was solved without prepare(): the token goes to the page's "
    "next grecaptcha.execute() for the action %r (made within 100 s); an execute the page made "
    "before this call got the vendor's token. Call prepare() before the page loads."
)
_V3_UNREACHED = (
    "solve_page: reCAPTCHA v3 %r in %r was solved, but the page's grecaptcha.execute() cannot be "
    "reached from that frame: the token is only in the badge's field (filled=False). Call "
    "prepare() before the page loads."
)


def _told(base: PageCaptcha, w: Dict[str, Any], applied: Any) -> None:
    """Logs where a v3 token solved from the badge went, when the result alone would let it
    pass unnoticed."""
    where = applied.get("v3") if isinstance(applied, dict) else None
    if where == "next-execute-late":
        logger.warning(_V3_LATE, base.website_key, _logged_url(base.frame_url), _clipped(w.get("action")))
    elif where == "no-hook":
        logger.warning(_V3_UNREACHED, base.website_key, _logged_url(base.frame_url))


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


def _timed_out() -> SolveTimeoutError:
    return SolveTimeoutError("solve_page: the overall timeout passed before this captcha was solved")


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
    Raises :class:`SolveTimeoutError` when the timeout passes while the page is still being
    searched.

    Widgets another call on the same page is solving are left to it (not reported): the search
    claims what it reports for this call until its token is written or the call gives it up
    (cancelling the call, ``asyncio.wait_for`` included, gives up what it still claims; a call
    that died without doing so: its ``timeout`` plus 30 s, or 10 minutes without one).
    Without :func:`prepare`, reCAPTCHA v3's ``execute`` is hooked when v3 is found, so that the
    page's next ``execute`` gets the token (see :class:`PageCaptcha`'s ``filled``).
    """
    if not inspect.iscoroutinefunction(getattr(client, "solve", None)):
        raise UsageError(
            "solve_page: expected a capbridge.AsyncClient (with Playwright's sync API, "
            "solve_page_sync takes a blocking capbridge.Client)", option="client")
    deadline = _Deadline(timeout)
    opts = _options(kinds, visible_only, action)
    cap = _max_solves(max_solves)
    claiming = _claim_options(opts, deadline)
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
                raise _timed_out()
            opts_here = dict(claiming, childUrls=[c.url for c in frame.child_frames])
            stalled.append(frame)  # until its scan answers
            try:
                widgets = await _call(frame, "scan", [opts_here], deadline.bound(_EVAL_TIMEOUT))
            except asyncio.TimeoutError:
                if deadline.bound(1.0) <= 0:
                    raise _timed_out() from None
                continue  # a frame whose page hangs: the others still count
            except Exception:  # noqa: BLE001 - a frame that navigated or detached meanwhile
                continue
            stalled.pop()
            if isinstance(widgets, list):
                searched.append(frame)
                reported.extend((frame, w) for w in widgets)
        plan = _plan(reported, opts, cap)
        user_agent: Optional[str] = None
        if _needs_user_agent(plan):
            try:
                user_agent = str(await asyncio.wait_for(
                    page.main_frame.evaluate("() => navigator.userAgent"), deadline.bound(_EVAL_TIMEOUT)))
            except asyncio.TimeoutError:
                if deadline.bound(1.0) <= 0:
                    raise _timed_out() from None
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
            task = _task(w, url, user_agent)
            left = deadline.left()
            if left is not None and left <= 0.001:
                raise _timed_out()
            solving = client.solve(task, timeout=left, on_event=on_event)
            solution = await (solving if left is None else asyncio.wait_for(solving, left + _SOLVE_GRACE))
        except CaptchaError as e:
            error = e
        except asyncio.TimeoutError:
            error = _timed_out()
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
        _told(base, w, applied)
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


def _refuse_async_client(client: object) -> None:
    solve = getattr(client, "solve", None)
    if solve is None or inspect.iscoroutinefunction(solve):
        raise UsageError(
            "solve_page_sync: expected a blocking capbridge.Client (with Playwright's async API, "
            "solve_page takes a capbridge.AsyncClient)", option="client")


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
    _refuse_async_client(client)
    deadline = _Deadline(timeout)
    opts = _options(kinds, visible_only, action)
    cap = _max_solves(max_solves)
    claiming = _claim_options(opts, deadline)
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
                raise _timed_out()
            stalled.append(frame)  # until its scan answers
            try:
                opts_here = dict(claiming, childUrls=[c.url for c in frame.child_frames])
                widgets = _call_sync(frame, "scan", [opts_here], deadline.bound(_EVAL_TIMEOUT))
            except Exception:  # noqa: BLE001 - a frame that navigated, detached or hangs
                if deadline.bound(1.0) <= 0:
                    raise _timed_out() from None
                continue
            stalled.pop()
            if isinstance(widgets, list):
                searched.append(frame)
                reported.extend((frame, w) for w in widgets)
        plan = _plan(reported, opts, cap)
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
                    raise _timed_out() from None
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
                    task = _task(w, url, user_agent)
                    left = deadline.left()
                    if left is not None and left <= 0.001:
                        raise _timed_out()
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
                _told(base, w, applied)
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
