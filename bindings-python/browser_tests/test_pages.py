"""capbridge.browser in headless Chromium, driven by Playwright for Python: the page matrix
(every page posts its form to the test's site, which verifies the tokens through the
emulator's siteverify: a page passes only when the site accepted them), failover, the API
key's absence from every page, the options, and the sync API."""

from __future__ import annotations

import _thread
import asyncio
import concurrent.futures
import contextlib
import inspect
import json
import logging
import os
import pathlib
import threading
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest
from conftest import MANIFEST, REPO, Emulator, Portal, Site, fresh_key
from playwright.async_api import Browser, Frame, Page
from playwright.sync_api import Page as SyncPage
from playwright.sync_api import sync_playwright

import capbridge
from capbridge.browser import PageCaptcha, page_script, prepare, prepare_sync, solve_page, solve_page_sync

FAST: Dict[str, Any] = dict(initial_delay=0.05, poll_interval=0.05)
# An emulator solve delay no test outlives (an hour): such tasks stay pending.
HELD = 3_600_000


def screenshot_path() -> pathlib.Path:
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return pathlib.Path(os.environ.get("CAPBRIDGE_BROWSER_SCREENSHOT", target / "browser" / "solved.png"))


async def open_page(browser: Browser, site: Site, name: str, *, prepared: bool = True, query: str = "") -> Tuple[Any, Page]:
    context = await browser.new_context(viewport={"width": 1060, "height": 260})
    page = await context.new_page()
    if prepared:
        await prepare(page)
    await page.goto(site.url(f"/pages/{name}.html{query}"))
    await page.wait_for_function("window.pageReady === true")
    return context, page


def form_frame(page: Page, spec: Dict[str, Any]) -> Frame:
    if spec["form"] == "main":
        return page.main_frame
    frame = page.frame(name=spec["form"])
    assert frame is not None, f"no frame named {spec['form']}"
    return frame


def check_results(results: List[PageCaptcha], spec: Dict[str, Any], site: Site, emulator: Emulator,
                  provider: Optional[str] = None) -> None:
    expect = spec["expect"]
    assert [(r.kind, r.website_key) for r in results] == [(e["kind"], e["sitekey"]) for e in expect], results
    for r, e in zip(results, expect):
        assert r.error is None, r.error
        assert r.filled, r
        assert r.task_id
        assert r.callback_called == e["callback"], r
        if provider is not None:
            assert r.provider == provider, r
        if "frame" in e:
            assert r.frame_url.endswith(site.render(e["frame"])), r.frame_url
        task = emulator.admin("GET", f"tasks/{r.task_id}")
        # form: the fields as sent; json: the project's names.
        assert task["params"].get("pageurl", task["params"].get("website_url")) == r.frame_url
        for name, value in e.get("params", {}).items():
            assert task["params"].get(name) == value, (name, task["params"])


async def submit_and_judge(page: Page, spec: Dict[str, Any]) -> Dict[str, Any]:
    frame = form_frame(page, spec)
    if spec["submit"]:
        await frame.click(spec["submit"])
    await frame.wait_for_selector("#verdict")
    verdict: Dict[str, Any] = json.loads(await frame.text_content("#verdict") or "{}")
    return verdict


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_the_page_matrix(name: str, portal: Portal, site: Site, emulator: Emulator) -> None:
    spec = MANIFEST[name]

    async def go() -> Tuple[List[PageCaptcha], Dict[str, Any]]:
        context, page = await open_page(portal.browser, site, name)
        try:
            async with capbridge.AsyncClient(emulator.url, fresh_key(), **FAST) as client:
                results = await solve_page(page, client, timeout=120, **spec.get("solve", {}))
            check_results(results, spec, site, emulator)
            if name == "several":
                path = screenshot_path()
                path.parent.mkdir(parents=True, exist_ok=True)
                await page.screenshot(path=str(path))
            return results, await submit_and_judge(page, spec)
        finally:
            await context.close()

    results, verdict = portal.run(go())
    assert verdict["accepted"], json.dumps(verdict, indent=1)
    assert len(verdict["checks"]) == len(spec["verify"])


def test_a_client_whose_first_provider_has_no_money_solves_through_the_second(
    portal: Portal, site: Site, emulator: Emulator
) -> None:
    broke, funded = fresh_key(), fresh_key()
    emulator.admin("POST", "accounts", {"key": broke, "balance": 0})
    spec = MANIFEST["implicit"]
    events: List[capbridge.SolveEvent] = []

    async def go() -> Tuple[List[PageCaptcha], Dict[str, Any]]:
        context, page = await open_page(portal.browser, site, "implicit")
        try:
            async with capbridge.AsyncClient(
                providers=[
                    {"provider": "2captcha", "api_key": broke, "base_url": emulator.url + "2captcha/"},
                    {"provider": "capsolver", "api_key": funded, "base_url": emulator.url + "capsolver/"},
                ],
                **FAST,
            ) as client:
                results = await solve_page(page, client, on_event=events.append)
            check_results(results, spec, site, emulator, provider="capsolver")
            return results, await submit_and_judge(page, spec)
        finally:
            await context.close()

    results, verdict = portal.run(go())
    assert verdict["accepted"], verdict
    switched = [e for e in events if e.step == "switched_provider"]
    assert switched and switched[0].provider == "2captcha" and switched[0].to == "capsolver"
    assert switched[0].error_kind == "balance"


def test_no_page_can_read_the_api_key(portal: Portal, site: Site, emulator: Emulator) -> None:
    key = fresh_key()

    async def go() -> List[Tuple[str, str, List[str]]]:
        dumps = []
        for name in ("several", "iframe-cross", "turnstile"):
            context, page = await open_page(portal.browser, site, name)
            try:
                async with capbridge.AsyncClient(emulator.url, key, **FAST) as client:
                    results = await solve_page(page, client)
                assert results and all(r.filled for r in results), results
                answers = [emulator.admin("GET", f"tasks/{r.task_id}")["answer"] for r in results]
                for frame in page.frames:
                    if await frame.evaluate("() => typeof window.capbridgeCollect === 'function'"):
                        dumps.append((name, str(await frame.evaluate("() => window.capbridgeCollect()")), answers))
            finally:
                await context.close()
        return dumps

    dumps = portal.run(go())
    assert len(dumps) >= 3
    seen_tokens = 0
    for name, dump, answers in dumps:
        # The search works: it reaches the tokens the page received, its own globals, the DOM.
        seen_tokens += sum(a in dump for a in answers)
        assert "capbridgeCollect" in dump and "pageReady" in dump, name
        for part in (key, key[:12], key[10:22], key[-12:]):
            assert part not in dump, f"the API key is readable in {name}"
    assert seen_tokens >= 4


def unseen_render_warnings(caplog: pytest.LogCaptureFixture) -> List[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == "capbridge.browser" and r.levelno == logging.WARNING and "turnstile.render()" in r.getMessage()]


def test_turnstile_rendered_explicitly_without_prepare_is_found_and_warned_of(
    portal: Portal, site: Site, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    """The site key comes from the iframe's URL (in a closed shadow root); the callback, the
    action and cData were only ever given to render(), which nobody saw: solved without them,
    the result alone (filled, no error) would pass for a success, so a warning says so, once
    per widget (the widget reset and solved again is not warned of twice). Prepared, the same
    page gives none."""

    async def go(prepared: bool) -> Tuple[List[PageCaptcha], List[PageCaptcha], List[str]]:
        context, page = await open_page(portal.browser, site, "turnstile", prepared=prepared, query="?session=s3cr3t")
        try:
            async with capbridge.AsyncClient(emulator.url, fresh_key(), **FAST) as client:
                first = await solve_page(page, client, timeout=120)
                assert await page.eval_on_selector("input[name=cf-turnstile-response]", "e => e.value.length") > 20
                await page.evaluate("() => turnstile.reset()")
                again = await solve_page(page, client, timeout=120)
            return first, again, unseen_render_warnings(caplog)
        finally:
            await context.close()

    with caplog.at_level(logging.WARNING, logger="capbridge.browser"):
        first, again, warnings = portal.run(go(prepared=False))
    assert [(r.kind, r.website_key, r.filled, r.callback_called, r.error) for r in first + again] == [
        ("Turnstile", "0x4AAAAAAATurnstileExplicit07", True, False, None)
    ] * 2
    params = emulator.admin("GET", f"tasks/{first[0].task_id}")["params"]
    assert params.get("action") is None and params.get("data") is None, params  # what the warning says
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("solve_page: Turnstile '0x4AAAAAAATurnstileExplicit07' in ") and "prepare()" in warnings[0]
    assert f"'{site.origin}/pages/turnstile.html'" in warnings[0] and "s3cr3t" not in warnings[0], warnings

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="capbridge.browser"):
        first, again, warnings = portal.run(go(prepared=True))
    assert [(r.filled, r.callback_called, r.error) for r in first + again] == [(True, True, None)] * 2
    assert emulator.admin("GET", f"tasks/{first[0].task_id}")["params"]["action"] == "signup"
    assert warnings == []


def test_the_sync_api_warns_of_a_turnstile_rendered_without_prepare(
    chromium: Any, site: Site, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    out: Dict[str, Any] = {}

    def run() -> None:
        with sync_playwright() as p:
            browser = p.chromium.connect_over_cdp(chromium.endpoint)
            context = browser.new_context()
            try:
                page = context.new_page()
                page.goto(site.url("/pages/turnstile.html"))
                page.wait_for_function("window.pageReady === true")
                with capbridge.Client(emulator.url, fresh_key(), **FAST) as client:
                    out["results"] = solve_page_sync(page, client, timeout=120)
            finally:
                context.close()
                browser.close()

    with caplog.at_level(logging.WARNING, logger="capbridge.browser"):
        in_own_thread(run, "the sync run did not finish")
    assert [(r.kind, r.filled, r.callback_called) for r in out["results"]] == [("Turnstile", True, False)]
    warnings = unseen_render_warnings(caplog)
    assert len(warnings) == 1 and warnings[0].startswith("solve_page_sync: Turnstile "), warnings


def test_v3_is_known_by_its_client_number_without_the_loader_tag_or_prepare(
    portal: Portal, site: Site, emulator: Emulator
) -> None:
    # Tag managers drop the loader's <script> after it ran; nothing was hooked. The badge's
    # registry entry, numbered from 100000 as reCAPTCHA numbers v3 clients, still says v3: it
    # is solved as RecaptchaV3, not paid for as an invisible v2 the site would refuse.
    async def go() -> List[PageCaptcha]:
        context, page = await open_page(portal.browser, site, "v3", prepared=False)
        try:
            await page.evaluate("() => document.querySelectorAll('script[src*=\"recaptcha\"]').forEach(s => s.remove())")
            assert await page.evaluate("() => document.querySelectorAll('script[src*=\"render=\"]').length") == 0
            async with capbridge.AsyncClient(emulator.url, fresh_key(), **FAST) as client:
                return await solve_page(page, client)
        finally:
            await context.close()

    results = portal.run(go())
    assert [(r.kind, r.website_key, r.error) for r in results] == [
        ("RecaptchaV3", "6LcV3xxxAAAAA-score-based-execute-0000004", None)
    ]


def test_a_challenge_page_is_solved_as_this_browser(portal: Portal, site: Site, emulator: Emulator) -> None:
    async def go() -> Tuple[List[PageCaptcha], str]:
        context, page = await open_page(portal.browser, site, "challenge")
        try:
            async with capbridge.AsyncClient(emulator.url, fresh_key(), **FAST) as client:
                results = await solve_page(page, client)
            return results, str(await page.evaluate("navigator.userAgent"))
        finally:
            await context.close()

    results, user_agent = portal.run(go())
    assert [(r.kind, r.filled, r.callback_called, r.error) for r in results] == [("Turnstile", True, True, None)]
    params = emulator.admin("GET", f"tasks/{results[0].task_id}")["params"]
    assert (params["action"], params["data"], params["pagedata"]) == ("managed", "ray-8c0ffee", "chl-page-data-3gAFo2l2")
    assert params["userAgent"] == user_agent and "Chrome" in user_agent


def test_the_real_widgets_markup_is_found_without_their_scripts(portal: Portal, site: Site, emulator: Emulator) -> None:
    async def go() -> Tuple[List[PageCaptcha], List[str]]:
        context, page = await open_page(portal.browser, site, "real-markup", prepared=False)
        try:
            async with capbridge.AsyncClient(emulator.url, fresh_key(), **FAST) as client:
                results = await solve_page(page, client)
            fields = await page.eval_on_selector_all(
                "[name$=-response]", "els => els.map(e => e.name + '=' + e.value.length)"
            )
            return results, fields
        finally:
            await context.close()

    results, fields = portal.run(go())
    assert [(r.kind, r.website_key, r.filled, r.error) for r in results] == [
        ("RecaptchaV2", "6LcRealMarkupAAA-google-anchor-frame-0016", True, None),
        ("HCaptcha", "a5f74b19-9e45-40e0-b45d-47ff91b7a6c2", True, None),
        ("Turnstile", "0x4AAAAAAADnPIDROrmt1Wwj", True, None),
    ]
    # Every response field got its widget's token (hCaptcha's reCAPTCHA-compatible one too).
    assert all(not f.endswith("=0") for f in fields) and len(fields) == 4, fields


def test_options_choose_kinds_and_visible_widgets(portal: Portal, site: Site, emulator: Emulator) -> None:
    async def solve(name: str, **options: Any) -> List[PageCaptcha]:
        context, page = await open_page(portal.browser, site, name)
        try:
            async with capbridge.AsyncClient(emulator.url, fresh_key(), **FAST) as client:
                return await solve_page(page, client, **options)
        finally:
            await context.close()

    async def go() -> Dict[str, List[PageCaptcha]]:
        return {
            "all": await solve("hidden"),
            "visible": await solve("hidden", visible_only=True),
            "turnstile": await solve("several", kinds=["Turnstile"]),
            "empty": await solve("empty"),
        }

    got = portal.run(go())
    assert [r.website_key for r in got["all"]] == [
        "6LcShownAAAAAAA-visible-checkbox-0000013", "6LcHiddenAAAAAA-hidden-checkbox-00000014"
    ]
    assert [r.website_key for r in got["visible"]] == ["6LcShownAAAAAAA-visible-checkbox-0000013"]
    assert [(r.kind, r.filled) for r in got["turnstile"]] == [("Turnstile", True)]
    assert got["empty"] == []
    with pytest.raises(capbridge.UsageError) as e:
        portal.run(solve("empty", kinds=["FunCaptcha"]))
    assert e.value.option == "kinds"


def test_a_v3_execute_on_submit_waits_for_solve_page_and_never_longer_than_its_hold(
    portal: Portal, site: Site, emulator: Emulator
) -> None:
    """The common v3 pattern (the submit handler calls execute, then sends the form), clicked
    before any solve: solve_page takes the held execute up and solves it for the page's action;
    with nobody solving, the vendor's own execute answers after the hold (its token refused)."""

    async def go(hold: float, solve: bool) -> Tuple[List[PageCaptcha], Dict[str, Any]]:
        context = await portal.browser.new_context()
        try:
            await prepare(context, execute_hold=hold)
            page = await context.new_page()
            await page.goto(site.url("/pages/v3-on-submit.html"))
            await page.wait_for_function("window.pageReady === true")
            await page.click("#submit")
            results: List[PageCaptcha] = []
            if solve:
                await page.wait_for_function("document.getElementById('status').textContent === 'asking for a token'")
                async with capbridge.AsyncClient(emulator.url, fresh_key(), **FAST) as client:
                    results = await solve_page(page, client, timeout=120)
            await page.wait_for_selector("#verdict")
            return results, json.loads(await page.text_content("#verdict") or "{}")
        finally:
            await context.close()

    results, verdict = portal.run(go(60, True))
    assert [(r.kind, r.filled, r.callback_called) for r in results] == [("RecaptchaV3", True, True)]
    assert emulator.admin("GET", f"tasks/{results[0].task_id}")["params"]["action"] == "login"
    assert verdict["accepted"], json.dumps(verdict, indent=1)
    _, verdict = portal.run(go(0.3, False))
    assert not verdict["accepted"] and verdict["checks"][0]["reply"]["success"] is False, verdict
    for bad in (-1, 601, "5", True):
        with pytest.raises(capbridge.UsageError) as e:
            prepare_sync(object(), execute_hold=bad)  # type: ignore[arg-type]
        assert e.value.option == "execute_hold"


def test_a_timeout_ends_the_solves_with_timeout_errors(portal: Portal, site: Site, emulator: Emulator) -> None:
    async def go(key: str, timeout: float) -> List[PageCaptcha]:
        context, page = await open_page(portal.browser, site, "implicit")
        try:
            async with capbridge.AsyncClient(emulator.url, key, **FAST) as client:
                return await solve_page(page, client, timeout=timeout)
        finally:
            await context.close()

    # Every task of the key is pending until let go (never, here): the page's timeout is what
    # ends its solve. A machine too busy to search the page within the timeout gets the
    # documented SolveTimeoutError from solve_page itself, having sent nothing (checked), and
    # the case runs again with a longer timeout.
    for timeout in (0.5, 2.0, 8.0, 60.0):
        key = fresh_key()
        emulator.admin("POST", "rules", {"when": {"key": key}, "delay_ms": HELD})
        try:
            results = portal.run(go(key, timeout))
        except capbridge.SolveTimeoutError:
            assert emulator.admin("GET", f"tasks?key={key}")["ids"] == [], "a task sent, then no result for it"
            continue
        assert len(results) == 1 and not results[0].filled
        assert isinstance(results[0].error, capbridge.SolveTimeoutError), results[0]
        return
    pytest.fail("the page was never searched within the timeout")


def in_own_thread(run: Callable[[], None], hung: str) -> None:
    """Runs ``run`` in a thread of its own (Playwright's sync API wants one without a running
    event loop), failing with ``hung`` if it has not ended after 300 s, and raising here what
    it raised."""
    failure: List[BaseException] = []

    def guarded() -> None:
        try:
            run()
        except BaseException as e:  # noqa: BLE001 - re-raised in the test's thread
            failure.append(e)

    t = threading.Thread(target=guarded, daemon=True)
    t.start()
    t.join(300)
    assert not t.is_alive(), hung
    if failure:
        raise failure[0]


@contextlib.contextmanager
def sync_page(chromium: Any, url: str, **prepared: Any) -> Iterator[SyncPage]:
    """Playwright's sync API: a page of a fresh context, prepared (a BrowserContext: every page
    of it), at ``url`` once its widgets are ready."""
    with sync_playwright() as p:
        browser = p.chromium.connect_over_cdp(chromium.endpoint)
        context = browser.new_context()
        try:
            prepare_sync(context, **prepared)
            page = context.new_page()
            page.goto(url)
            page.wait_for_function("window.pageReady === true")
            yield page
        finally:
            context.close()
            browser.close()


def test_the_sync_api(chromium: Any, site: Site, emulator: Emulator) -> None:
    spec = MANIFEST["invisible"]
    out: Dict[str, Any] = {}

    # Playwright's sync API wants a thread without a running event loop.
    def run() -> None:
        with sync_page(chromium, site.url("/pages/invisible.html")) as page:
            with capbridge.Client(emulator.url, fresh_key(), **FAST) as client:
                out["results"] = solve_page_sync(page, client, timeout=120)
            page.wait_for_selector("#verdict")
            out["verdict"] = json.loads(page.text_content("#verdict") or "{}")

    in_own_thread(run, "the sync run did not finish")
    check_results(out["results"], spec, site, emulator)
    assert out["verdict"]["accepted"], out["verdict"]


def test_a_failed_solve_of_a_held_v3_execute_does_not_leave_the_page_waiting(
    portal: Portal, chromium: Any, site: Site, emulator: Emulator
) -> None:
    """The solve of a held execute fails (no money): the execute goes back to its hold, and
    then to the vendor's own execute, in both APIs (with the old helper the page waited 10
    minutes for a token that was not coming)."""
    broke = fresh_key()
    emulator.admin("POST", "accounts", {"key": broke, "balance": 0})
    asking = "document.getElementById('status').textContent === 'asking for a token'"

    async def go() -> Tuple[List[PageCaptcha], Dict[str, Any]]:
        context = await portal.browser.new_context()
        try:
            await prepare(context, execute_hold=0.3)
            page = await context.new_page()
            await page.goto(site.url("/pages/v3-on-submit.html"))
            await page.wait_for_function("window.pageReady === true")
            await page.click("#submit")
            await page.wait_for_function(asking)
            async with capbridge.AsyncClient(emulator.url, broke, **FAST) as client:
                results = await solve_page(page, client, timeout=120)
            await page.wait_for_selector("#verdict")
            return results, json.loads(await page.text_content("#verdict") or "{}")
        finally:
            await context.close()

    results, verdict = portal.run(go())
    assert [(r.kind, type(r.error).__name__) for r in results] == [("RecaptchaV3", "BalanceError")], results
    assert not verdict["accepted"], verdict
    out: Dict[str, Any] = {}

    def run() -> None:
        with sync_page(chromium, site.url("/pages/v3-on-submit.html"), execute_hold=0.3) as page:
            page.click("#submit")
            page.wait_for_function(asking)
            with capbridge.Client(emulator.url, broke, **FAST) as client:
                out["results"] = solve_page_sync(page, client, timeout=120)
            page.wait_for_selector("#verdict")
            out["verdict"] = json.loads(page.text_content("#verdict") or "{}")

    in_own_thread(run, "the sync run did not finish")
    assert [(r.kind, type(r.error).__name__) for r in out["results"]] == [("RecaptchaV3", "BalanceError")]
    assert not out["verdict"]["accepted"], out["verdict"]


def test_the_shipped_page_script_is_the_canonical_one() -> None:
    assert page_script() == (REPO / "browser" / "page.js").read_text(encoding="utf-8"), (
        "capbridge/browser/page.js differs from browser/page.js: copy the canonical file over it"
    )


def test_the_sync_api_bounds_a_page_that_hangs(chromium: Any, site: Site, emulator: Emulator) -> None:
    # The page's scripts are held by the debugger (paused before the next statement runs):
    # Playwright's sync `evaluate` has no timeout, so without bounds of its own solve_page_sync
    # would wait for ever. It must end by its timeout instead, with a SolveTimeoutError while
    # searching the page.
    out: Dict[str, Any] = {}

    def run() -> None:
        with sync_playwright() as p:
            browser = p.chromium.connect_over_cdp(chromium.endpoint)
            context = browser.new_context()
            try:
                page = context.new_page()
                page.goto(site.url("/pages/implicit.html"))
                page.wait_for_function("window.pageReady === true")
                cdp = context.new_cdp_session(page)
                cdp.send("Debugger.enable")
                cdp.send("Debugger.pause")
                with capbridge.Client(emulator.url, fresh_key(), **FAST) as client:
                    try:
                        out["results"] = solve_page_sync(page, client, timeout=2)
                    except capbridge.SolveTimeoutError as e:
                        out["error"] = e
            finally:
                context.close()
                browser.close()

    in_own_thread(run, "solve_page_sync waited for the hung page")
    assert isinstance(out.get("error"), capbridge.SolveTimeoutError), out


def test_the_sync_api_bounds_a_page_getter_that_never_returns(chromium: Any, site: Site, emulator: Emulator) -> None:
    # The page answers the probe, then its ___grecaptcha_cfg holds a getter that loops for
    # ever, which the search reads: the search is bounded as a whole, so solve_page_sync
    # ends (by its timeout, or with what the other frames hold) instead of waiting for ever.
    out: Dict[str, Any] = {}

    def run() -> None:
        with sync_page(chromium, site.url("/pages/implicit.html")) as page:
            page.evaluate(
                "() => { const cfg = window.___grecaptcha_cfg || (window.___grecaptcha_cfg = { clients: {} });"
                " cfg.clients[99] = { get trap() { for (;;) {} } } }"
            )
            with capbridge.Client(emulator.url, fresh_key(), **FAST) as client:
                try:
                    out["results"] = solve_page_sync(page, client, timeout=3)
                except capbridge.SolveTimeoutError as e:
                    out["error"] = e

    in_own_thread(run, "solve_page_sync waited for a page getter that never returns")
    assert "results" in out or isinstance(out.get("error"), capbridge.SolveTimeoutError), out


def test_the_wrong_client_is_refused_before_anything_is_sent(portal: Portal, site: Site, emulator: Emulator) -> None:
    key = fresh_key()

    async def go() -> None:
        context, page = await open_page(portal.browser, site, "implicit")
        try:
            with capbridge.Client(emulator.url, key, **FAST) as blocking:
                with pytest.raises(capbridge.UsageError) as e:
                    await solve_page(page, blocking)  # type: ignore[arg-type]
                assert e.value.option == "client"
        finally:
            await context.close()

    portal.run(go())
    asynchronous = capbridge.AsyncClient(emulator.url, key, **FAST)
    try:
        with pytest.raises(capbridge.UsageError) as e:
            solve_page_sync(FakePage(FakeSyncFrame([WIDGET])), asynchronous)  # type: ignore[arg-type]
        assert e.value.option == "client"
    finally:
        asynchronous.close()
    assert emulator.admin("GET", f"tasks?key={key}")["ids"] == []


# ---- a page that runs a helper of its own -----------------------------------------------------
# hostile.html defines window.__capbridgeBrowser itself: its scan reports a record of an unknown
# kind, a Turnstile record without a site key, then 25 made-up widgets (refs 0..11 Turnstile
# shown, 12..14 Turnstile hidden, 15..24 RecaptchaV2 / HCaptcha / RecaptchaV3 in turn, all
# claiming to be shown) whatever it is asked. What reaches the emulator is what was paid for.

HOSTILE_TURNSTILE = [f"0x4AAAAAAAHostileTurnstile{i:02}" for i in range(15)]


def task_kinds(emulator: Emulator, key: str) -> List[str]:
    """The kind of every task the emulator received for ``key``, in order."""
    ids = emulator.admin("GET", f"tasks?key={key}")["ids"]
    return [str(emulator.admin("GET", f"tasks/{i}")["kind"]) for i in ids]


def error_of(r: PageCaptcha) -> capbridge.CaptchaError:
    assert r.error is not None, r
    return r.error


def check_refused(results: List[PageCaptcha]) -> None:
    """The page's two records no widget could give: refused as invalid tasks, nothing sent."""
    assert [(r.kind, r.website_key) for r in results] == [("NotAKind", "WHATEVER"), ("Turnstile", "")], results
    assert all(isinstance(r.error, capbridge.InvalidTaskError) for r in results), results
    assert [error_of(r).field for r in results] == ["kind", "website_key"]
    assert not any(r.filled or r.task_id for r in results), results


def check_capped(results: List[PageCaptcha], option: str = "max_solves") -> None:
    for r in results:
        assert isinstance(r.error, capbridge.UsageError) and r.error.option == option, r
        assert not r.filled and r.task_id is None, r


def test_a_page_running_its_own_helper_gets_only_the_kinds_asked_for_and_at_most_max_solves(
    portal: Portal, site: Site, emulator: Emulator
) -> None:
    async def solve(key: str, **options: Any) -> Tuple[List[PageCaptcha], List[Any]]:
        context, page = await open_page(portal.browser, site, "hostile")
        try:
            async with capbridge.AsyncClient(emulator.url, key, **FAST) as client:
                results = await solve_page(page, client, timeout=120, **options)
            return results, list(await page.evaluate("window.hostileCalls"))
        finally:
            await context.close()

    # Turnstile only: of its 15, the first 10 (the default cap) are solved, the rest reported.
    key = fresh_key()
    results, calls = portal.run(solve(key, kinds=["Turnstile"]))
    check_refused(results[:2])
    assert [(r.kind, r.website_key) for r in results[2:]] == [("Turnstile", k) for k in HOSTILE_TURNSTILE]
    assert all(r.error is None and r.filled and r.task_id for r in results[2:12]), results[2:12]
    check_capped(results[12:])
    assert task_kinds(emulator, key) == ["Turnstile"] * 10
    assert sorted(arg for op, arg in calls if op == "apply") == list(range(10))

    # Shown widgets only: not the hidden Turnstiles, not the v3 records that claim to be shown.
    key = fresh_key()
    results, _ = portal.run(solve(key, visible_only=True, max_solves=30))
    check_refused(results[:2])
    assert [r.kind for r in results[2:]] == ["Turnstile"] * 12 + ["RecaptchaV2", "HCaptcha"] * 3 + ["RecaptchaV2"]
    assert all(r.error is None and r.filled for r in results[2:]), results
    assert sorted(task_kinds(emulator, key)) == ["HCaptcha"] * 3 + ["RecaptchaV2"] * 4 + ["Turnstile"] * 12

    # One solve: every other widget is reported over the cap and given back (the search claimed
    # it for the call; a v3 execute it took up goes back to its hold).
    key = fresh_key()
    results, calls = portal.run(solve(key, max_solves=1))
    check_refused(results[:2])
    assert len(results) == 27 and results[2].filled and results[2].website_key == HOSTILE_TURNSTILE[0]
    check_capped(results[3:])
    assert len(task_kinds(emulator, key)) == 1
    # The two refused records are given back too (our helper reports a widget whose site key is
    # malformed, and claims it).
    assert sorted(arg for op, arg in calls if op == "release") == list(range(1, 25)) + [98, 99]

    key = fresh_key()
    for bad in (0, -1, 1.5, True, "3", None):
        with pytest.raises(capbridge.UsageError) as e:
            portal.run(solve(key, max_solves=bad))
        assert e.value.option == "max_solves", bad
    assert task_kinds(emulator, key) == []


def test_the_sync_api_checks_what_a_page_reports_too(chromium: Any, site: Site, emulator: Emulator) -> None:
    key = fresh_key()
    out: Dict[str, Any] = {}

    def run() -> None:
        with sync_page(chromium, site.url("/pages/hostile.html")) as page:
            with capbridge.Client(emulator.url, key, **FAST) as client:
                out["results"] = solve_page_sync(page, client, timeout=120, kinds=["Turnstile"], max_solves=3)

    in_own_thread(run, "the sync run did not finish")
    results: List[PageCaptcha] = out["results"]
    check_refused(results[:2])
    assert [r.website_key for r in results[2:]] == HOSTILE_TURNSTILE
    assert all(r.error is None and r.filled for r in results[2:5]), results[2:5]
    check_capped(results[5:])
    assert task_kinds(emulator, key) == ["Turnstile"] * 3


# ---- reCAPTCHA v3 without prepare ---------------------------------------------------------------
# v3-on-submit.html asks grecaptcha.execute for its token when the form is sent. Without prepare
# nothing was hooked when the page loaded: solve_page hooks execute when it finds v3, so that
# the page's next execute gets the token it solved.

V3_SUBMIT_KEY = "6LcV3SubmitAAAA-execute-in-submit-handler7"
ASKING = "document.getElementById('status').textContent === 'asking for a token'"


async def verdict_of(page: Page) -> Dict[str, Any]:
    await page.wait_for_selector("#verdict")
    verdict: Dict[str, Any] = json.loads(await page.text_content("#verdict") or "{}")
    return verdict


async def eventually(what: str, check: Callable[[], bool]) -> None:
    """Waits until ``check()`` holds (polled; what decides is the state reached, not the time
    taken), failing after 120 s."""
    for _ in range(2400):
        if await asyncio.to_thread(check):
            return
        await asyncio.sleep(0.05)
    pytest.fail(f"never: {what}")


async def finish(emulator: Emulator) -> None:
    """Lets every task held at the emulator go (this test's, and any an earlier test left)."""
    assert (await asyncio.to_thread(emulator.admin, "POST", "finish"))["finished"] >= 1


def v3_warnings(caplog: pytest.LogCaptureFixture) -> List[str]:
    return [r.getMessage() for r in caplog.records if r.name == "capbridge.browser" and r.levelno == logging.WARNING]


def test_v3_without_prepare_the_pages_next_execute_gets_the_token(
    portal: Portal, site: Site, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    key = fresh_key()

    async def go() -> Tuple[List[PageCaptcha], Dict[str, Any], str]:
        # Page URLs carry session tokens: the warning shows the frame's origin and path only.
        context, page = await open_page(portal.browser, site, "v3-on-submit", prepared=False, query="?session=s3cr3t")
        try:
            async with capbridge.AsyncClient(emulator.url, key, **FAST) as client:
                results = await solve_page(page, client, timeout=120, action="login")
            await page.click("#submit")  # the page's own execute, made after the solve
            verdict = await verdict_of(page)
            return results, verdict, str(verdict["checks"][0]["reply"].get("action"))
        finally:
            await context.close()

    with caplog.at_level(logging.WARNING, logger="capbridge.browser"):
        results, verdict, action = portal.run(go())
    # Queued for the page's next execute (not yet asked for: no callback), which got it.
    assert [(r.kind, r.website_key, r.filled, r.callback_called, r.error) for r in results] == [
        ("RecaptchaV3", V3_SUBMIT_KEY, True, False, None)
    ]
    assert verdict["accepted"] and action == "login", json.dumps(verdict, indent=1)
    assert len(emulator.admin("GET", f"tasks?key={key}")["ids"]) == 1
    # Not silent: an execute the page made before the call would have had the vendor's token.
    assert len(v3_warnings(caplog)) == 1 and "without prepare()" in v3_warnings(caplog)[0], caplog.records
    assert f"'{site.origin}/pages/v3-on-submit.html'" in v3_warnings(caplog)[0], v3_warnings(caplog)
    assert "s3cr3t" not in v3_warnings(caplog)[0] and results[0].frame_url.endswith("?session=s3cr3t"), results


def test_v3_without_prepare_an_execute_made_while_the_badge_is_solved_waits_for_its_token(
    portal: Portal, site: Site, emulator: Emulator
) -> None:
    key = fresh_key()
    emulator.admin("POST", "rules", {"when": {"key": key}, "delay_ms": HELD})

    async def go() -> Tuple[List[PageCaptcha], Dict[str, Any]]:
        context, page = await open_page(portal.browser, site, "v3-on-submit", prepared=False)
        try:
            async with capbridge.AsyncClient(emulator.url, key, **FAST) as client:
                solving = asyncio.ensure_future(solve_page(page, client, timeout=120, action="login"))
                await eventually("the badge is being solved", lambda: len(emulator.admin("GET", f"tasks?key={key}")["ids"]) == 1)
                await page.click("#submit")
                await page.wait_for_function(ASKING)
                await finish(emulator)
                results = await solving
            return results, await verdict_of(page)
        finally:
            await context.close()

    results, verdict = portal.run(go())
    assert [(r.kind, r.filled, r.callback_called, r.error) for r in results] == [("RecaptchaV3", True, True, None)]
    assert verdict["accepted"], json.dumps(verdict, indent=1)
    assert len(emulator.admin("GET", f"tasks?key={key}")["ids"]) == 1


def test_v3_whose_execute_cannot_be_hooked_is_reported_unfilled(
    portal: Portal, site: Site, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    """The page's execute cannot be wrapped (made read-only here, as a page may): the token
    reaches only the badge's field, the result says ``filled=False`` and a warning says why,
    and the page's execute gets the vendor's token, which the site refuses."""

    async def go() -> Tuple[List[PageCaptcha], Dict[str, Any]]:
        context, page = await open_page(portal.browser, site, "v3-on-submit", prepared=False)
        try:
            await page.evaluate(
                "() => Object.defineProperty(grecaptcha, 'execute',"
                " { value: grecaptcha.execute, writable: false, configurable: false })"
            )
            async with capbridge.AsyncClient(emulator.url, fresh_key(), **FAST) as client:
                results = await solve_page(page, client, timeout=120, action="login")
            await page.click("#submit")
            return results, await verdict_of(page)
        finally:
            await context.close()

    with caplog.at_level(logging.WARNING, logger="capbridge.browser"):
        results, verdict = portal.run(go())
    assert [(r.kind, r.filled, r.callback_called, r.error) for r in results] == [("RecaptchaV3", False, False, None)]
    assert results[0].task_id
    assert not verdict["accepted"], verdict
    assert len(v3_warnings(caplog)) == 1 and "cannot be reached" in v3_warnings(caplog)[0], caplog.records


# ---- concurrent calls on one page ---------------------------------------------------------------


def test_two_concurrent_calls_on_one_page_solve_its_widget_once(portal: Portal, site: Site, emulator: Emulator) -> None:
    """The first call's solve is held at the emulator; a second call made meanwhile finds the
    widget claimed and leaves it: one submit in all, and the site accepts the token."""
    key = fresh_key()
    emulator.admin("POST", "rules", {"when": {"key": key}, "delay_ms": HELD})

    async def go() -> Tuple[List[PageCaptcha], List[PageCaptcha], Dict[str, Any]]:
        context, page = await open_page(portal.browser, site, "implicit")
        try:
            async with capbridge.AsyncClient(emulator.url, key, **FAST) as client:
                first = asyncio.ensure_future(solve_page(page, client, timeout=120))
                await eventually("the first call is solving", lambda: len(emulator.admin("GET", f"tasks?key={key}")["ids"]) == 1)
                second = await solve_page(page, client, timeout=120)
                await finish(emulator)
                results = await first
            await page.click("#submit")
            return results, second, await verdict_of(page)
        finally:
            await context.close()

    first, second, verdict = portal.run(go())
    assert second == []
    assert [(r.kind, r.filled, r.error) for r in first] == [("RecaptchaV2", True, None)]
    assert len(emulator.admin("GET", f"tasks?key={key}")["ids"]) == 1
    assert verdict["accepted"], json.dumps(verdict, indent=1)


def test_two_concurrent_calls_solve_a_held_v3_execute_once(portal: Portal, site: Site, emulator: Emulator) -> None:
    """The page's execute is held (prepare); the first call takes it up, and a second call made
    while its solve is held at the emulator leaves both the execute and the badge to it."""
    key = fresh_key()
    emulator.admin("POST", "rules", {"when": {"key": key}, "delay_ms": HELD})

    async def go() -> Tuple[List[PageCaptcha], List[PageCaptcha], Dict[str, Any]]:
        context, page = await open_page(portal.browser, site, "v3-on-submit")
        try:
            await page.click("#submit")
            await page.wait_for_function(ASKING)
            async with capbridge.AsyncClient(emulator.url, key, **FAST) as client:
                first = asyncio.ensure_future(solve_page(page, client, timeout=120))
                await eventually("the first call is solving", lambda: len(emulator.admin("GET", f"tasks?key={key}")["ids"]) == 1)
                second = await solve_page(page, client, timeout=120)
                await finish(emulator)
                results = await first
            return results, second, await verdict_of(page)
        finally:
            await context.close()

    first, second, verdict = portal.run(go())
    assert second == []
    assert [(r.kind, r.filled, r.callback_called, r.error) for r in first] == [("RecaptchaV3", True, True, None)]
    assert len(emulator.admin("GET", f"tasks?key={key}")["ids"]) == 1
    assert verdict["accepted"], json.dumps(verdict, indent=1)


@pytest.mark.parametrize("name", ["implicit", "v3-on-submit"])
def test_a_cancelled_call_gives_its_widgets_back(name: str, portal: Portal, site: Site, emulator: Emulator) -> None:
    """A call whose solve is held at the emulator is cancelled (as ``asyncio.wait_for`` does
    at its timeout): it gives back what it claimed, so that the next call solves the widget (on
    v3-on-submit, the page's held execute, which the first call had taken up) at once, instead
    of skipping it until the claim expires."""
    held, other = fresh_key(), fresh_key()
    emulator.admin("POST", "rules", {"when": {"key": held}, "delay_ms": HELD})

    async def go() -> Tuple[List[PageCaptcha], Dict[str, Any]]:
        context, page = await open_page(portal.browser, site, name)
        try:
            if name == "v3-on-submit":
                await page.click("#submit")
                await page.wait_for_function(ASKING)
            async with capbridge.AsyncClient(emulator.url, held, **FAST) as client:
                first = asyncio.ensure_future(solve_page(page, client, timeout=120))
                await eventually("the first call is solving", lambda: len(emulator.admin("GET", f"tasks?key={held}")["ids"]) == 1)
                first.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await first
            async with capbridge.AsyncClient(emulator.url, other, **FAST) as client:
                second = await solve_page(page, client, timeout=120)
            if name == "implicit":
                await page.click("#submit")
            return second, await verdict_of(page)
        finally:
            await context.close()
            await asyncio.to_thread(emulator.admin, "POST", "finish")  # the cancelled call's task, still held

    second, verdict = portal.run(go())
    kind = "RecaptchaV2" if name == "implicit" else "RecaptchaV3"
    assert [(r.kind, r.filled, r.error) for r in second] == [(kind, True, None)], second
    assert [len(emulator.admin("GET", f"tasks?key={k}")["ids"]) for k in (held, other)] == [1, 1]
    assert verdict["accepted"], json.dumps(verdict, indent=1)


def test_a_claim_ends_when_its_call_gives_up_or_dies(portal: Portal, site: Site, emulator: Emulator) -> None:
    """A call whose solve failed gives its widget back at once; a claim whose call never came
    back (the helper's scan called here, as a call that died would leave it) ends when its time
    has passed on the page's clock."""
    broke, other = fresh_key(), fresh_key()
    emulator.admin("POST", "accounts", {"key": broke, "balance": 0})
    scan = "(o) => window.__capbridgeBrowser.scan(o).length"

    async def go() -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        context = await portal.browser.new_context()
        try:
            page = await context.new_page()
            await prepare(page)
            await page.clock.install()
            await page.goto(site.url("/pages/implicit.html"))
            await page.wait_for_function("window.pageReady === true")
            # Gave up: the solve failed (no money), and its widget was released.
            async with capbridge.AsyncClient(emulator.url, broke, **FAST) as client:
                out["gave_up"] = await solve_page(page, client, timeout=120)
            # Died: claimed for a minute by a call that never applies nor releases.
            out["claimed"] = await page.evaluate(scan, {"claim": "a-call-that-died", "claimMs": 60_000})
            out["unclaimed"] = await page.evaluate(scan, {"claim": "another-call", "claimMs": 60_000})
            async with capbridge.AsyncClient(emulator.url, other, **FAST) as client:
                out["while_claimed"] = await solve_page(page, client, timeout=120)
                await page.clock.fast_forward(60_001)
                out["after"] = await solve_page(page, client, timeout=120)
            await page.click("#submit")
            out["verdict"] = await verdict_of(page)
            return out
        finally:
            await context.close()

    out = portal.run(go())
    assert [type(r.error).__name__ for r in out["gave_up"]] == ["BalanceError"], out["gave_up"]
    assert (out["claimed"], out["unclaimed"], out["while_claimed"]) == (1, 0, [])
    assert [(r.kind, r.filled, r.error) for r in out["after"]] == [("RecaptchaV2", True, None)]
    assert len(emulator.admin("GET", f"tasks?key={other}")["ids"]) == 1
    assert out["verdict"]["accepted"], json.dumps(out["verdict"], indent=1)


# ---- what a call ends, on pages of its own making ------------------------------------------------
# Frames that answer as a page would (no browser): what matters is which helper calls each got.

WIDGET = {"kind": "RecaptchaV2", "sitekey": "6LcFakeFrameAAAA-a-widget-of-this-test00", "ref": 1, "invisible": False,
          "enterprise": False, "visible": True}


class FakeFrame:
    """A frame whose helper reports ``widgets``, or whose scan never answers (``hangs``) or
    fails (``fails``); every helper call it gets is kept in ``calls``. Anything else asked of
    it (the user agent) fails, as a page closed meanwhile does."""

    def __init__(self, widgets: Any = (), *, hangs: bool = False, fails: bool = False) -> None:
        self.url = "https://example.com/login"
        self.parent_frame = None
        self.child_frames: List[Any] = []
        self.widgets, self.hangs, self.fails = list(widgets), hangs, fails
        self.calls: List[Tuple[str, Any]] = []
        self.released = threading.Event()

    def answer(self, arg: Any) -> Any:
        if not isinstance(arg, dict):
            raise RuntimeError("Target page, context or browser has been closed")
        op, args = arg["op"], arg["args"]
        self.calls.append((op, args[0]))
        if op == "scan" and self.fails:
            raise RuntimeError("Execution context was destroyed")
        if op in ("release", "releaseCall"):
            self.released.set()
        return self.widgets if op == "scan" else {"filled": True, "callbackCalled": False}

    def ops(self, *names: str) -> List[Any]:
        return [arg for op, arg in self.calls if op in names]


class FakeAsyncFrame(FakeFrame):
    async def evaluate(self, expression: str, arg: Any = None) -> Any:
        if isinstance(arg, dict) and arg["op"] == "scan" and self.hangs:
            self.calls.append(("scan", arg["args"][0]))
            await asyncio.Event().wait()
        return self.answer(arg)


class FakeSyncFrame(FakeFrame):
    def evaluate(self, expression: str, arg: Any = None) -> Any:
        return self.answer(arg)

    def wait_for_function(self, expression: str, *, arg: Any = None, timeout: Any = None, polling: Any = None) -> Any:
        if arg is not None and arg["op"] == "scan" and self.hangs:
            self.calls.append(("scan", arg["args"][0]))
            raise RuntimeError(f"Timeout {timeout}ms exceeded.")  # Playwright's TimeoutError says so
        # Without an argument: the probe before `apply`, which the helper answers.
        value = json.dumps({"v": True if arg is None else self.answer(arg)})

        class Handle:
            def json_value(self) -> str:
                return value

            def dispose(self) -> None:
                pass

        return Handle()


class FakePage:
    def __init__(self, *frames: Any) -> None:
        self.frames = list(frames)
        self.main_frame = frames[0]


def claim_of(*frames: FakeFrame) -> List[str]:
    """The claim the call's scans carried: one scan in each frame, all for one call."""
    scans = [arg for f in frames for arg in f.ops("scan")]
    assert len(scans) == len(frames) and len({s["claim"] for s in scans}) == 1, [f.calls for f in frames]
    return [str(scans[0]["claim"])]


def test_what_a_scan_that_did_not_answer_claimed_is_given_up_when_the_call_ends(
    monkeypatch: pytest.MonkeyPatch, emulator: Emulator
) -> None:
    """A frame whose scan timed out (or failed) is left out of the search, but a page that was
    only slow still runs the scan, claiming for this call: the call's end releases the call's
    claims there, whether it solved the others, failed, or was cancelled. A refused record (our
    helper reports a malformed site key too) is given back."""
    import capbridge.browser as browser

    monkeypatch.setattr(browser, "_EVAL_TIMEOUT", 0.2)
    refused = dict(WIDGET, sitekey="not a site key", ref=7)
    challenge = dict(WIDGET, kind="Turnstile", sitekey="0x4AAAAAAAFakeFrameTurnstile", pageData="p")

    async def go() -> None:
        async with capbridge.AsyncClient(emulator.url, fresh_key(), **FAST) as client:
            # Solved: the widget and the refused record are done with one by one; the frames
            # whose scan did not answer get the call's release at its end.
            fine, slow, failing = FakeAsyncFrame([WIDGET, refused]), FakeAsyncFrame(hangs=True), FakeAsyncFrame(fails=True)
            results = await solve_page(FakePage(fine, slow, failing), client, timeout=120)
            assert [(r.website_key, r.filled, type(r.error).__name__) for r in results] == [
                (WIDGET["sitekey"], True, "NoneType"), ("not a site key", False, "InvalidTaskError")]
            assert sorted(fine.ops("apply", "release")) == [1, 7] and fine.ops("release") == [7], fine.calls
            assert fine.ops("releaseCall") == []
            assert slow.ops("releaseCall") == failing.ops("releaseCall") == claim_of(fine, slow, failing)

            # Failed after the search (the page closed before its user agent was read): every
            # frame asked gives its claims up.
            fine, slow = FakeAsyncFrame([challenge]), FakeAsyncFrame(hangs=True)
            with pytest.raises(RuntimeError, match="closed"):
                await solve_page(FakePage(fine, slow), client, timeout=120)
            assert fine.ops("releaseCall") == slow.ops("releaseCall") == claim_of(fine, slow)

            # Cancelled while a scan is under way.
            fine, slow = FakeAsyncFrame([WIDGET]), FakeAsyncFrame(hangs=True)
            monkeypatch.setattr(browser, "_EVAL_TIMEOUT", 600.0)
            call = asyncio.ensure_future(solve_page(FakePage(fine, slow), client, timeout=120))
            while not slow.ops("scan"):
                await asyncio.sleep(0.01)
            call.cancel()
            with pytest.raises(asyncio.CancelledError):
                await call
            assert fine.ops("releaseCall") == slow.ops("releaseCall") == claim_of(fine, slow)

    asyncio.run(go())

    monkeypatch.setattr(browser, "_EVAL_TIMEOUT", 0.2)
    with capbridge.Client(emulator.url, fresh_key(), **FAST) as client:
        fine, slow = FakeSyncFrame([WIDGET, refused]), FakeSyncFrame(hangs=True)
        results = solve_page_sync(FakePage(fine, slow), client, timeout=120)
        assert [(r.filled, type(r.error).__name__) for r in results] == [(True, "NoneType"), (False, "InvalidTaskError")]
        assert fine.ops("apply") == [1] and fine.ops("release") == [7] and fine.ops("releaseCall") == []
        assert slow.ops("releaseCall") == claim_of(fine, slow)


def test_an_interrupted_sync_call_gives_its_widgets_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C (KeyboardInterrupt) while the sync API waits for its solves: every widget the call
    still claims is given back before the interrupt goes on, and a solve not started yet is
    dropped."""
    frame = FakeSyncFrame([WIDGET, dict(WIDGET, ref=2)])
    solves: List[Any] = []

    class Interrupted:
        def solve(self, task: Any, timeout: Any = None, on_event: Any = None) -> Any:
            solves.append(task)
            _thread.interrupt_main()  # what Ctrl-C does to the caller's thread
            # Ends once the call gave its widgets back (a call that does not fails here).
            assert frame.released.wait(60), "the interrupted call gave nothing back"
            raise capbridge.CaptchaError("not solved")

    class OneWorker(concurrent.futures.ThreadPoolExecutor):
        def __init__(self, max_workers: Any = None, **kwargs: Any) -> None:
            super().__init__(max_workers=1, **kwargs)

    # One worker: the second solve waits for the first, and is dropped at the interrupt.
    monkeypatch.setattr(concurrent.futures, "ThreadPoolExecutor", OneWorker)
    with pytest.raises(KeyboardInterrupt):
        solve_page_sync(FakePage(frame), Interrupted(), timeout=120)  # type: ignore[arg-type]
    assert frame.ops("releaseCall") == claim_of(frame), frame.calls
    assert frame.ops("apply") == [] and len(solves) == 1, (frame.calls, solves)


# ---- the arguments ---------------------------------------------------------------------------

def refusal(call: Callable[[], Any]) -> capbridge.UsageError:
    """The UsageError ``call`` raises (awaiting what it returns: solve_page and prepare raise
    when awaited)."""
    with pytest.raises(capbridge.UsageError) as e:
        result = call()
        if inspect.isawaitable(result):
            asyncio.run(result)  # type: ignore[arg-type]
    assert e.value.kind == "usage"
    return e.value


class PlaywrightSyncPage(FakePage):
    """Stands for a Page of Playwright's sync API (known by its class's module)."""


PlaywrightSyncPage.__module__ = "playwright.sync_api._generated"


def test_every_argument_is_checked_naming_the_function_called(emulator: Emulator) -> None:
    """Each wrong argument of solve_page / solve_page_sync / prepare / prepare_sync raises a
    UsageError before anything is sent: its message names the function as called, the
    argument (also its ``option``), what it takes and what it got. A misspelt keyword names the
    nearest one (another library's milliseconds: the option in seconds, said so), and is a
    TypeError too, as ``capbridge.Client``'s are."""
    key = fresh_key()
    aclient = capbridge.AsyncClient(emulator.url, key, **FAST)
    client = capbridge.Client(emulator.url, key, **FAST)
    apage, spage = FakePage(FakeAsyncFrame([WIDGET])), FakePage(FakeSyncFrame([WIDGET]))
    typeerrors = ("on_event", "timeout_ms", "timeoutMs", "visibleOnly", "maxSolves")
    calls: Dict[str, Callable[..., Any]] = {
        "solve_page": lambda **kw: solve_page(apage, aclient, **kw),
        "solve_page_sync": lambda **kw: solve_page_sync(spage, client, **kw),
    }
    try:
        for name, solve in calls.items():
            # option, keywords, what the message says after "NAME: "
            cases: List[Tuple[str, Dict[str, Any], str]] = [
                ("timeout", {"timeout": "10"}, "timeout: expected a positive number of seconds (or a datetime.timedelta), got '10'"),
                ("timeout", {"timeout": -1}, "timeout: expected a positive number of seconds"),
                ("timeout", {"timeout": float("inf")}, "got inf"),
                ("timeout", {"timeout": True}, "got True"),
                ("kinds", {"kinds": 5}, "kinds: expected a list of kinds (RecaptchaV2, RecaptchaV3, HCaptcha, Turnstile), got 5"),
                ("kinds", {"kinds": ["turnstile"]}, "got 'turnstile'; did you mean 'Turnstile'?"),
                ("kinds", {"kinds": ["FunCaptcha"]}, f"got 'FunCaptcha', which {name} does not look for (solve it with client.solve)"),
                ("visible_only", {"visible_only": "yes"}, "visible_only: expected True or False, got 'yes'"),
                ("visible_only", {"visible_only": 1}, "got 1"),
                ("action", {"action": ""}, "action: expected reCAPTCHA v3's action, text of 1 to 200 characters, got ''"),
                ("action", {"action": "a" * 201}, "action: expected"),
                ("max_solves", {"max_solves": "3"}, "max_solves: expected a whole number from 1, got '3'"),
                ("on_event", {"on_event": 3}, "on_event: expected a function taking a SolveEvent, got 3"),
                ("timeout_ms", {"timeout_ms": 10_000},
                 "unexpected keyword argument 'timeout_ms'; did you mean 'timeout'? It takes seconds"),
                ("timeoutMs", {"timeoutMs": 10_000}, "did you mean 'timeout'? It takes seconds"),
                ("visibleOnly", {"visibleOnly": True}, "unexpected keyword argument 'visibleOnly'; did you mean 'visible_only'?"),
                ("maxSolves", {"maxSolves": 3}, "did you mean 'max_solves'?"),
            ]
            for option, kw, says in cases:
                e = refusal(lambda: solve(**kw))
                assert e.option == option and e.message.startswith(f"{name}: ") and says in e.message, (kw, e.message)
                # What Python itself would refuse is a TypeError too.
                assert isinstance(e, TypeError) == (option in typeerrors), (kw, type(e).__mro__)
        # Options given as Node's solvePage takes them; a missing client; the other API's page.
        e = refusal(lambda: solve_page(apage, aclient, {"timeout": 10}))  # type: ignore[call-arg, arg-type]
        assert isinstance(e, TypeError) and "give the others by name (solve_page(page, client, timeout=...))" in e.message
        e = refusal(lambda: solve_page_sync(spage))  # type: ignore[call-arg]
        assert e.option == "client" and e.message == "solve_page_sync: missing a required argument: 'client'"
        e = refusal(lambda: solve_page(None, aclient))  # type: ignore[arg-type]
        assert (e.option, e.message) == ("page", "solve_page: page: expected a Playwright Page (async API), got None")
        e = refusal(lambda: solve_page(PlaywrightSyncPage(FakeAsyncFrame()), aclient))
        assert e.option == "page" and "got one of its sync API (use solve_page_sync)" in e.message
        e = refusal(lambda: solve_page_sync(spage, aclient))  # type: ignore[arg-type]
        assert e.option == "client" and e.message.endswith("got a value of type AsyncClient")

        e = refusal(lambda: prepare(object(), execute_hold_ms=5_000))  # type: ignore[arg-type, call-arg]
        assert isinstance(e, TypeError) and e.option == "execute_hold_ms"
        assert e.message.startswith("prepare: unexpected keyword argument 'execute_hold_ms'; did you mean 'execute_hold'? It takes seconds")
        e = refusal(lambda: prepare_sync(object(), execute_hold="5"))  # type: ignore[arg-type]
        assert (e.option, e.message) == (
            "execute_hold", "prepare_sync: execute_hold: expected a number of seconds from 0 to 600 (or a datetime.timedelta), got '5'")
        e = refusal(lambda: prepare_sync(object()))  # type: ignore[arg-type]
        assert (e.option, e.message) == (
            "target", "prepare_sync: target: expected a Playwright Page or BrowserContext (sync API), got a value of type object")

        class AsyncTarget:
            async def add_init_script(self, script: Optional[str] = None) -> None:
                pytest.fail("an async target's script added by prepare_sync: a coroutine nobody awaits")

        e = refusal(lambda: prepare_sync(AsyncTarget()))
        assert e.option == "target" and "got one of its async API (use prepare)" in e.message
    finally:
        aclient.close()
        client.close()
    assert emulator.admin("GET", f"tasks?key={key}")["ids"] == []

