"""capbridge.compat.twocaptcha on capbridge's engine, against the emulator: the documented
behaviour of 2captcha-python holds (the same fields reach the service for every method, the
same values come back, the same exceptions are raised), and what capbridge adds holds too
(the request limits, capbridge's ``kind``/``retryable``/``task_id`` on every exception).

What reached the service is read from the emulator (``GET /emulator/tasks/ID``: every field
of the submit but ``key`` and ``body``), and compared with the library's fields for the call
(the table of ``test_compat_twocaptcha_requests.py``, written from the library's source).
"""

from __future__ import annotations

import asyncio
import base64
import functools
import http.server
import inspect
import json
import pathlib
import shutil
import subprocess
import sys
import threading
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

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
from conftest import HANG, HELD, VECTORS, Emulator, fresh_key
from test_compat_twocaptcha_requests import CASES, HINT, IDS, IMAGE, SITEKEY, URL

# Waits of milliseconds instead of the documented seconds (a capbridge option the original
# does not have); everything else as the library's defaults.
FAST: Dict[str, Any] = {"initial_delay": 0.02, "retry": {"base_delay": 0.01, "max_delay": 0.1}}

# What capbridge sends differently, by design (the README's migration section): rotations
# (and canvas, a Raw task) send the image as base64 (`method=base64`) where the library uploads
# a file, and reCAPTCHA v3 always names its action (`verify`, the service's default).
BASE64_KINDS = ("rotate", "canvas")

# Methods outside capbridge's catalogue go as Raw tasks, with the library's fields as given;
# the emulator plays the catalogue's captchas and VK's image captcha (EMULATED_RAW), and refuses
# the others with ERROR_BAD_PARAMETERS.
RAW_METHODS = {"keycaptcha", "capy", "atb_captcha", "tencent", "cutcaptcha", "vkimage", "vkcaptcha",
               "captchafox", "prosopo", "temuimage", "cybersiara", "yandex", "altcha", "binance", "yidun",
               "hunt", "alibaba", "tspd", "basilisk"}
EMULATED_RAW = {"vkimage"}


def solver(emu: Emulator, key: Optional[str] = None, **kwargs: Any) -> TwoCaptcha:
    return TwoCaptcha(key or fresh_key(), server=emu.url, pollingInterval=0.05, capbridge_options=FAST, **kwargs)


def text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def several(files: Dict[str, Any]) -> bool:
    """Whether a call sends several images (`file_1`, `file_2`, ...): then every file goes as a
    file part, as the library sends it."""
    return len([k for k in files if k.startswith("file_")]) > 1


def expected_params(name: str, fields: Dict[str, Any], files: Dict[str, Any]) -> Dict[str, str]:
    """The fields the emulator should report for a call: the library's, as form text, with
    `soft_id` (the emulator lists every field but `key` and `body`; file parts apart)."""
    want = {k: text(v) for k, v in {"soft_id": 4580, **fields}.items() if k not in ("key", "body", "file")}
    if "imginstructions" in files and not several(files):
        want["imginstructions"] = base64.b64encode(pathlib.Path(files["imginstructions"]).read_bytes()).decode()
    if name in BASE64_KINDS and want.get("method") == "post":
        want["method"] = "base64"
    if want.get("method") == "userrecaptcha" and want.get("version") == "v3":
        want.setdefault("action", "verify")
    return want


@pytest.fixture
def emu(make_emulator: Any) -> Emulator:
    return make_emulator("--delay-ms", "20")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_each_method_reaches_the_service_with_the_library_fields(emu: Emulator, case: Any) -> None:
    name, args, kwargs, fields, files = case
    s = solver(emu)
    if fields["method"] in RAW_METHODS - EMULATED_RAW:
        with pytest.raises(api_exceptions.ApiException, match="^ERROR_BAD_PARAMETERS$") as info:
            getattr(s, name)(*args, **kwargs)
        assert info.value.kind == "invalid_task" and info.value.code == "ERROR_BAD_PARAMETERS"
        assert emu.counters()["actions"][f"in:{fields['method']}"] == 1
        return
    result = getattr(s, name)(*args, **kwargs)
    task = emu.task(result["captchaId"])
    assert task["params"] == expected_params(name, fields, files)
    if several(files):
        assert file_parts(task) == {k: pathlib.Path(v).read_bytes() for k, v in files.items()}
    assert set(result) == {"captchaId", "code"}
    assert result["code"] == task["answer"]
    assert emu.counters()["violations"] == {}


@pytest.mark.parametrize("case", [c for c in CASES if c[3]["method"] in RAW_METHODS], ids=lambda c: c[0])
def test_a_raw_task_carries_the_library_fields_exactly(case: Any) -> None:
    from capbridge.compat.twocaptcha._tasks import Submit

    name, args, kwargs, fields, files = case
    task = Submit({"key": "K", "soft_id": 4580, **fields}, files).raw().to_dict()
    want = {k: text(v) for k, v in fields.items() if k != "file"}
    if several(files):
        assert task["files"] == {k: pathlib.Path(v).read_bytes() for k, v in files.items()}
    else:
        for path in files.values():
            want["body"] = base64.b64encode(pathlib.Path(path).read_bytes()).decode()
    assert task["request"] == want


def file_parts(task: Dict[str, Any]) -> Dict[str, bytes]:
    """The multipart file parts the emulator received for a task, by name."""
    return {f["name"]: base64.b64decode(f["base64"]) for f in task["files"]}


@pytest.mark.parametrize("which", ["sync", "async"])
def test_several_files_travel_as_the_library_sends_them(emu: Emulator, which: str) -> None:
    """rotate([a, b]) and vkimage([a, b], steps): `file_1`, `file_2` (and a hint image given as
    a path, `imginstructions`) as file parts with the files' bytes, the other fields as the
    library sends them, through the engine; the result in the library's shape."""
    s = any_solver(emu, which)
    jpg, png = pathlib.Path(IMAGE).read_bytes(), pathlib.Path(HINT).read_bytes()
    calls: List[Tuple[Callable[[], Any], Dict[str, str], Dict[str, bytes]]] = [
        (lambda: s.rotate([IMAGE, HINT]), {"method": "rotatecaptcha"}, {"file_1": jpg, "file_2": png}),
        (lambda: s.rotate({"a": HINT, "b": IMAGE}, angle=30, hintImg=HINT, hintText="Put it upright"),
         {"method": "rotatecaptcha", "angle": "30", "textinstructions": "Put it upright"},
         {"file_1": png, "file_2": jpg, "imginstructions": png}),
        (lambda: s.vkimage([IMAGE, HINT], steps="[5,4,7,7,14,22,8]"),
         {"method": "vkimage", "steps": "[5,4,7,7,14,22,8]"}, {"file_1": jpg, "file_2": png}),
    ]
    for call, fields, parts in calls:
        result = run(call())
        task = emu.task(result["captchaId"])
        assert task["params"] == {"soft_id": "4580", **fields}, task
        assert file_parts(task) == parts
        assert [f["name"] for f in task["files"]] == list(parts)
        assert result == {"captchaId": str(task["id"]), "code": task["answer"]}
    submits = [r for r in emu.admin("GET", "requests")["requests"] if r["endpoint"] == "in"]
    assert len(submits) == 3 and all(r["content_type"].startswith("multipart/form-data") for r in submits)
    assert emu.counters()["violations"] == {}


def test_several_files_the_service_cannot_take(emu: Emulator, tmp_path: pathlib.Path) -> None:
    s = solver(emu)
    # A file that is no image goes as the library sends it: the service judges it, and its code
    # is raised as the library raises it.
    notes = tmp_path / "notes.txt"
    notes.write_text("not an image " * 20)
    with pytest.raises(api_exceptions.ApiException, match="^ERROR_IMAGE_TYPE_NOT_SUPPORTED$"):
        s.rotate([IMAGE, str(notes)])
    assert emu.counters()["in_requests"] == 1
    # A file larger than the service takes (600 kB) is refused before anything is sent.
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff\xd8\xff" + bytes(600_000))
    with pytest.raises(ValidationException, match="file_2") as info:
        s.rotate([IMAGE, str(big)])
    assert info.value.kind == "invalid_task"
    assert emu.counters()["in_requests"] == 1


def test_image_files_travel_as_the_library_sends_them(emu: Emulator) -> None:
    s = solver(emu)
    image = pathlib.Path(IMAGE).read_bytes()
    # A path goes as a file upload (method=post), base64 as `body` (method=base64).
    for given, method in ((IMAGE, "post"), (base64.b64encode(image).decode(), "base64")):
        task = emu.task(s.normal(given)["captchaId"])
        assert task["method"] == method
        assert task["image"] == ["jpeg", len(image)]


class Served:
    """Files served over HTTP from 127.0.0.1 (the standard library's ``http.server``), and the
    paths it was asked for."""

    def __init__(self, directory: pathlib.Path) -> None:
        self.asked: List[str] = []
        asked = self.asked

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self) -> None:
                asked.append(self.path)
                super().do_GET()

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
                pass

        handler = functools.partial(Handler, directory=str(directory))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# The served files, under names no local path has: their bytes can come only from the URL.
SERVED = {"picture.jpg": VECTORS / "images" / "captcha.jpg", "grid.png": VECTORS / "images" / "captcha.png",
          "voice.mp3": VECTORS / "audio" / "captcha.mp3"}


@pytest.fixture
def served(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    for name, source in SERVED.items():
        shutil.copyfile(source, tmp_path / name)
    # The downloads go straight to 127.0.0.1, whatever proxy the environment names.
    for var in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(var, "127.0.0.1,localhost")
    s = Served(tmp_path)
    yield s
    s.stop()


def run(result: Any) -> Dict[str, Any]:
    """What a solving method of either solver gives: the sync one's result as it is, the async
    one's coroutine run to its end."""
    if inspect.iscoroutine(result):
        return asyncio.run(result)
    assert isinstance(result, dict)
    return result


def any_solver(emu: Emulator, which: str, key: Optional[str] = None) -> Any:
    if which == "sync":
        return solver(emu, key)
    return AsyncTwoCaptcha(key or fresh_key(), server=emu.url, pollingInterval=0.05, capbridge_options=FAST)


@pytest.mark.parametrize("which", ["sync", "async"])
def test_files_given_as_urls_are_downloaded_and_sent_as_base64(emu: Emulator, served: Served, which: str) -> None:
    key = fresh_key()
    s = any_solver(emu, which, key)
    # normal(): an image URL goes as base64 (`method=base64`), the served image's bytes.
    result = run(s.normal(served.url + "picture.jpg"))
    task = emu.task(result["captchaId"])
    assert (task["kind"], task["method"]) == ("ImageToText", "base64")
    assert task["params"] == {"method": "base64", "soft_id": "4580"}
    assert task["image"] == ["jpeg", SERVED["picture.jpg"].stat().st_size]
    assert result["code"] == task["answer"]
    # grid(): likewise, with the grid's fields.
    result = run(s.grid(served.url + "grid.png", hintText="select all buses"))
    task = emu.task(result["captchaId"])
    assert (task["kind"], task["method"]) == ("Grid", "base64")
    assert task["params"] == {"method": "base64", "recaptcha": "1", "textinstructions": "select all buses",
                              "soft_id": "4580"}
    assert task["image"] == ["png", SERVED["grid.png"].stat().st_size]
    assert result["code"] == task["answer"]
    # audio(): an mp3 URL goes as `body`, base64, the same request as the file given by its path.
    result = run(s.audio(served.url + "voice.mp3", lang="en"))
    task = emu.task(result["captchaId"])
    assert (task["kind"], task["method"]) == ("Audio", "audio")
    assert task["params"] == {"method": "audio", "lang": "en", "soft_id": "4580"}
    assert result["code"] == task["answer"]
    by_path_key = fresh_key()  # as long as `key`: the two submits differ only by their file
    run(any_solver(emu, which, by_path_key).audio(str(SERVED["voice.mp3"]), lang="en"))
    submits = [r for r in emu.admin("GET", "requests")["requests"] if r["endpoint"] == "in"]
    by_url = [r["body_len"] for r in submits if r["key"] == key]
    by_path = [r["body_len"] for r in submits if r["key"] == by_path_key]
    assert len(by_url) == 3 and by_url[2] == by_path[0], (by_url, by_path)

    assert served.asked == ["/picture.jpg", "/grid.png", "/voice.mp3"]
    assert emu.counters()["violations"] == {}


@pytest.mark.parametrize("which", ["sync", "async"])
def test_a_url_that_cannot_be_downloaded_is_a_validation_exception(emu: Emulator, served: Served,
                                                                     which: str) -> None:
    s = any_solver(emu, which)
    calls: Dict[str, Callable[[str], Any]] = {
        "missing.jpg": lambda url: s.normal(url),
        "missing.png": lambda url: s.grid(url, hintText="select all buses"),
        "missing.mp3": lambda url: s.audio(url, lang="en"),
    }
    for name, call in calls.items():
        url = served.url + name
        with pytest.raises(ValidationException) as info:
            run(call(url))
        assert str(info.value) == f"File could not be downloaded from url: {url}"
    # Each was asked for (and answered 404); nothing reached the service.
    assert served.asked == ["/missing.jpg", "/missing.png", "/missing.mp3"]
    assert emu.counters()["in_requests"] == 0


def test_async_solver_gathers_many_within_the_limits(emu: Emulator) -> None:
    s = AsyncTwoCaptcha(fresh_key(), server=emu.url, pollingInterval=0.05, capbridge_options=FAST)

    async def main() -> List[Dict[str, Any]]:
        return list(await asyncio.gather(*(s.recaptcha(SITEKEY, URL) for _ in range(30))))

    results = asyncio.run(main())
    assert len({r["captchaId"] for r in results}) == 30
    for r in results[:3]:
        assert r["code"] == emu.task(r["captchaId"])["answer"]
    c = emu.counters()
    assert c["violations"] == {} and c["tasks_accepted"] == 30


def test_threads_share_one_engine_within_the_limits(emu: Emulator) -> None:
    key = fresh_key()
    solvers = [solver(emu, key) for _ in range(4)]
    results: List[Dict[str, Any]] = []
    errors: List[BaseException] = []

    def work(n: int) -> None:
        try:
            for _ in range(3):
                results.append(solvers[n % 4].recaptcha(SITEKEY, URL))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 90
    c = emu.counters()
    assert c["violations"] == {}
    assert c["tasks_accepted"] == 90
    assert c["keys"][key]["in_requests"] == 90  # one submit per solve: no MAX_USER_TURN retries


def test_extended_response_returns_the_reply_fields(emu: Emulator) -> None:
    s = solver(emu, extendedResponse=True)
    result = s.hcaptcha("10000000-ffff-ffff-ffff-000000000001", URL)
    task = emu.task(result["captchaId"])
    assert result["code"] == task["answer"]
    assert result["useragent"] and "status" not in result and "request" not in result
    plain = s.recaptcha(SITEKEY, URL)
    assert plain["code"] == emu.task(plain["captchaId"])["answer"]
    # get_result gives the reply as a dict, status included.
    reply = s.get_result(result["captchaId"])
    assert reply["status"] == 1 and reply["request"] == task["answer"]


def test_send_get_result_wait_result_balance_report(emu: Emulator) -> None:
    key = fresh_key()
    s = solver(emu, key)
    task_id = s.send(method="userrecaptcha", googlekey=SITEKEY, url=URL)
    assert task_id.isdigit()
    assert emu.task(task_id)["params"] == {"method": "userrecaptcha", "googlekey": SITEKEY, "pageurl": URL,
                                           "soft_id": "4580"}
    code = s.wait_result(task_id, HANG, 0.05)  # the deadline a guard: the answer ends the wait
    assert code == emu.task(task_id)["answer"]
    assert s.get_result(task_id) == code
    assert s.balance() == pytest.approx(emu.admin("GET", f"accounts/{key}")["balance"])
    assert s.report(task_id, True) == "OK_REPORT_RECORDED"
    assert emu.task(task_id)["report"] == "good"


def test_callback_submits_without_polling(emu: Emulator) -> None:
    s = solver(emu, callback="http://127.0.0.1:9/pingback")
    result = s.mtcaptcha("MTPublic-KzqLY1cKH", URL)
    assert set(result) == {"captchaId"}
    task = emu.task(result["captchaId"])
    assert task["params"]["pingback"] == "http://127.0.0.1:9/pingback"
    assert task["polls"] == 0


def test_service_errors_are_the_library_exceptions_with_capbridge_fields(emu: Emulator) -> None:
    key = fresh_key()
    emu.account(key, balance=0)
    s = solver(emu, key)
    with pytest.raises(ApiException) as info:  # the pitfall: twocaptcha.ApiException catches it now
        s.recaptcha(SITEKEY, URL)
    e = info.value
    assert type(e) is api_exceptions.ApiException and str(e) == "ERROR_ZERO_BALANCE"
    assert (e.kind, e.code, e.retryable, e.task_id) == ("balance", "ERROR_ZERO_BALANCE", False, None)

    key = fresh_key()
    emu.rule(when={"key": key}, result_error="ERROR_CAPTCHA_UNSOLVABLE")
    with pytest.raises(api_exceptions.ApiException, match="^ERROR_CAPTCHA_UNSOLVABLE$") as info:
        solver(emu, key).normal(IMAGE)
    assert info.value.kind == "unsolvable" and info.value.task_id is not None
    assert emu.task(info.value.task_id)["status"] == "failed"

    # The key is the service's to judge, as in the library.
    for call in (lambda s: s.balance(), lambda s: s.normal(IMAGE)):
        with pytest.raises(api_exceptions.ApiException, match="^ERROR_WRONG_USER_KEY$") as info:
            call(solver(emu, "not-a-key-of-32-characters"))
        assert isinstance(info.value, SolverExceptions) and info.value.kind == "auth"


def test_deadline_is_a_timeout_exception_with_the_task_id(emu: Emulator) -> None:
    # The task is pending until let go, so the deadline is what ends the solve. The id is
    # carried once the submit went out; a machine too busy to send it within the deadline made
    # no task (checked), and the case runs again with a longer one.
    for deadline in (0.5, 2.0, 8.0, HANG):
        key = fresh_key()
        emu.rule(when={"key": key}, delay_ms=int(HELD))
        s = solver(emu, key, defaultTimeout=deadline)
        with pytest.raises(TimeoutException) as info:
            s.normal(IMAGE)
        e = info.value
        assert str(e) == f"timeout {deadline} exceeded"
        assert e.kind == "timeout" and e.retryable
        made = emu.task_ids(key)
        if not made:
            assert e.task_id is None, "an id for a task the service never made"
            continue
        assert [e.task_id] == [str(i) for i in made]
        with pytest.raises(NetworkException):  # not ready yet: the library's signal
            s.get_result(e.task_id)
        return
    pytest.fail("no submit went out within any deadline")


def test_network_failures_are_network_exceptions(emu: Emulator) -> None:
    emu.fault(fault="http500", endpoint="in")
    # The deadline and each request's timeout are capbridge's guards (a slow reply on a busy
    # machine must not become a timeout): what ends the case is the engine's own rule.
    s = TwoCaptcha(fresh_key(), server=emu.url, defaultTimeout=HANG, capbridge_options=FAST)
    with pytest.raises(api_exceptions.NetworkException) as info:
        s.normal(IMAGE)
    # The library's NetworkException (both classes), with capbridge's word on it: the submit's
    # outcome is unknown (the service may have made the task), so it was not repeated forever.
    assert isinstance(info.value, NetworkException)
    # Not retryable: repeating the call is the blind resubmit that may pay for a second task.
    assert (info.value.kind, info.value.retryable) == ("network", False)
    assert "HTTP 500" in str(info.value)
    # Ended by the engine's rule, not a clock: the submit and its two resubmits
    # (retry.unknown_submit_retries), each answered HTTP 500.
    c = emu.counters()
    assert (c["in_requests"], c["faults_injected"]) == (3, 3)


def test_validation_exceptions_before_anything_is_sent(emu: Emulator) -> None:
    s = solver(emu)
    for call in (lambda: s.normal("lost_file"), lambda: s.canvas(IMAGE), lambda: s.audio("x", "en"),
                 lambda: s.rotate([IMAGE] * 10), lambda: s.coordinates(IMAGE, hintImg="no_such_hint.png")):
        with pytest.raises(ValidationException):
            call()
    assert emu.counters()["in_requests"] == 0


@pytest.mark.parametrize("which", ["sync", "async"])
def test_capbridge_options_are_checked_when_the_solver_is_made(emu: Emulator, which: str) -> None:
    """The README's migration section: ``capbridge_options`` are capbridge's client options. A
    misspelled name (with the nearest one), an option the solver's own arguments set, or a
    value capbridge refuses raises ValidationException when the solver is made, as
    capbridge.Client refuses its own, instead of a TypeError (or the exception) at the first
    solve; nothing is sent."""
    cls = TwoCaptcha if which == "sync" else AsyncTwoCaptcha
    for options, want in [
        ({"poll_intervall": 1}, "capbridge_options: unexpected option 'poll_intervall'; did you mean 'poll_interval'?"),
        ({"timeout_ms": 5000}, "capbridge_options: unexpected option 'timeout_ms'; did you mean 'timeout'? "
                               "It takes seconds (or a datetime.timedelta), not milliseconds"),
        ({"zzzz": 1}, "capbridge_options: unexpected option 'zzzz' (see help(capbridge.Client))"),
        ({"soft_id": 1}, "capbridge_options: 'soft_id' is set by the solver's softId argument; give it there"),
        ({"provider": "capsolver"}, "capbridge_options: 'provider' is set by the solver's server argument; give it there"),
        ({"initial_delay": "x"}, "capbridge_options: initial_delay: expected a number"),
        ({"retry": {"bse_delay": 1}}, 'capbridge_options: retry["bse_delay"]: is not an option; '
                                      'did you mean retry["base_delay"]?'),
        (["initial_delay"], "capbridge_options: expected a dict of capbridge.Client's options, got list"),
    ]:
        with pytest.raises(ValidationException) as e:
            cls(fresh_key(), server=emu.url, capbridge_options=options)  # type: ignore[arg-type]
        assert str(e.value) == want
    # What only building a client checked is checked too, with nothing started.
    with pytest.raises(ValidationException, match="^capbridge_options: callback_url: needs callback_listen"):
        cls(fresh_key(), server=emu.url, capbridge_options={"callback_url": "https://cb.example.com/x/"})
    with pytest.raises(ValidationException, match="^capbridge_options: shared_limits: "):
        cls(fresh_key(), server=emu.url, capbridge_options={"shared_limits": "mysql://db.example.com/"})
    # A value that only a preset refuses is refused for the preset alone.
    with pytest.raises(ValidationException, match="limits: the request limits of the 2captcha preset"):
        cls(fresh_key(), capbridge_options={"limits": {"submit_interval": 1}})
    cls(fresh_key(), server=emu.url, capbridge_options={"limits": {"submit_interval": 1}, **FAST})
    assert emu.counters()["requests"] == 0, "refused before anything was sent"


def test_servers_become_providers() -> None:
    from capbridge.compat.twocaptcha import _engine

    assert _engine.target("2captcha.com") == ("2captcha", {})
    assert _engine.target("rucaptcha.com") == ("rucaptcha", {})
    assert _engine.target("https://2captcha.com/") == ("2captcha", {})
    assert _engine.target("api.example.org") == ("https://api.example.org/", {"batch_polling": True})
    assert _engine.target("http://127.0.0.1:8080") == ("http://127.0.0.1:8080/", {"batch_polling": True})


def test_differences_are_logged_once_at_info() -> None:
    program = (
        "import logging, io\n"
        "stream = io.StringIO()\n"
        "logging.basicConfig(level=logging.INFO, stream=stream, format='%(levelname)s %(name)s %(message)s')\n"
        "from capbridge.compat.twocaptcha import TwoCaptcha, AsyncTwoCaptcha\n"
        "TwoCaptcha('k'); TwoCaptcha('k'); AsyncTwoCaptcha('k')\n"
        "print(stream.getvalue())\n"
    )
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout
    lines = [line for line in out.splitlines() if line.startswith("INFO capbridge.compat.twocaptcha")]
    assert len(lines) == 1, out
    assert "request limits" in lines[0] and "bound the whole solve" in lines[0]


def test_imports_and_solves_without_requests_httpx_or_aiofiles(emu: Emulator) -> None:
    program = (
        "import sys\n"
        "for name in ('requests', 'httpx', 'aiofiles'):\n"
        "    sys.modules[name] = None  # any import of it fails\n"
        "from capbridge.compat.twocaptcha import TwoCaptcha, AsyncTwoCaptcha, ApiClient, AsyncApiClient\n"
        "import capbridge.compat.twocaptcha.solver, capbridge.compat.twocaptcha.async_solver\n"
        "import capbridge.compat.twocaptcha.api, capbridge.compat.twocaptcha.async_api\n"
        "s = TwoCaptcha(sys.argv[1], server=sys.argv[2], pollingInterval=0.05,\n"
        "               capbridge_options={'initial_delay': 0.02})\n"
        "print(s.normal(sys.argv[3])['code'])\n"
        "assert not any(m in sys.modules and sys.modules[m] for m in ('requests', 'httpx', 'aiofiles'))\n"
    )
    r = subprocess.run([sys.executable, "-c", program, fresh_key(), emu.url, IMAGE],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()


CALLER = '''
import asyncio
from typing import Any, Dict

from capbridge.compat.twocaptcha import ApiException, AsyncTwoCaptcha, TimeoutException, TwoCaptcha, ValidationException
from capbridge.compat.twocaptcha.exceptions.api import ApiException as TransportApiException

solver = TwoCaptcha("YOUR_API_KEY", defaultTimeout=120, recaptchaTimeout=600, pollingInterval=10)
solver.api_client.post_url = "rucaptcha.com"


def token() -> str:
    try:
        result: Dict[str, Any] = solver.recaptcha(sitekey="6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-",
                                                  url="https://example.com/", invisible=1)
    except ApiException as e:
        print(e.kind, e.code, e.retryable, e.task_id)
        raise
    except TimeoutException as e:
        print(e.task_id)
        raise
    code: str = result["code"]
    return code


def others() -> None:
    solver.normal("captcha.jpg", numeric=4, minLen=4)
    solver.rotate(["a.jpg", "b.jpg"], angle=40)
    solver.rotate({"1": "a.jpg"})
    solver.geetest(gt="g", challenge="c", url="https://example.com/")
    solver.lemin(captcha_id="c", div_id="d", url="https://example.com/")
    solver.datadome(captcha_url="https://c.example/", pageurl="https://example.com/", userAgent="UA",
                    proxy={"type": "HTTP", "uri": "1.2.3.4:8080"})
    balance: float = solver.balance()
    report: str = solver.report("123", True)
    task_id: str = solver.send(method="post", text="2+2?")
    print(balance, report, task_id, solver.get_result(task_id))
    try:
        solver.normal("")
    except (ValidationException, TransportApiException):
        pass


async def main() -> str:
    a = AsyncTwoCaptcha("YOUR_API_KEY", extendedResponse=True)
    result = await a.turnstile(sitekey="0x4AAAAAAAC3DHQFLr1GavRN", url="https://example.com/")
    balance: float = await a.balance()
    print(balance)
    code: str = result["code"]
    return code


if __name__ == "__main__":
    print(token(), asyncio.run(main()))
'''


def test_a_callers_program_passes_mypy_strict(tmp_path: pathlib.Path) -> None:
    pytest.importorskip("mypy")
    program = tmp_path / "caller.py"
    program.write_text(CALLER)
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
         str(program)],
        capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr


def test_exceptions_pickle_with_capbridge_fields() -> None:
    import pickle

    e = api_exceptions.ApiException("ERROR_ZERO_BALANCE", kind="balance", code="ERROR_ZERO_BALANCE", task_id="7")
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is api_exceptions.ApiException and str(back) == "ERROR_ZERO_BALANCE"
    assert (back.kind, back.code, back.task_id) == ("balance", "ERROR_ZERO_BALANCE", "7")
    assert isinstance(back, ApiException)
    assert json.dumps(str(back))


def test_callback_of_a_raw_method_goes_once_as_the_tasks_pingback(emu: Emulator) -> None:
    # vkimage has no kind in the catalogue: a Raw task (with file parts), whose pingback is its
    # own field, not one of its request's (capbridge refuses a pingback there: sent twice).
    s = solver(emu, callback="http://127.0.0.1:9/pingback")
    result = s.vkimage([IMAGE, HINT], steps="[5,4,7,7,14,22,8]")
    assert set(result) == {"captchaId"}
    task = emu.task(result["captchaId"])
    assert task["params"]["method"] == "vkimage"
    assert task["params"]["pingback"] == "http://127.0.0.1:9/pingback"
    assert [f["name"] for f in task["files"]] == ["file_1", "file_2"]
    assert task["polls"] == 0


def test_header_acao_and_debug_dump_given_to_a_method_reach_the_service(emu: Emulator) -> None:
    # The original sends any keyword as an in.php field; capbridge's client writes these two
    # itself, from its options: the call is made through a client with that option on.
    s = solver(emu)
    for fields in ({"header_acao": 1}, {"debug_dump": 1}, {"header_acao": 1, "debug_dump": 1}):
        result = s.normal(IMAGE, **fields)
        params = emu.task(result["captchaId"])["params"]
        for name in fields:
            assert params[name] == "1", (fields, params)
    # The same through a raw method (vkimage: several files).
    result = s.vkimage([IMAGE, HINT], steps="[5,4]", debug_dump=1)
    assert emu.task(result["captchaId"])["params"]["debug_dump"] == "1"


def test_capbridge_options_take_what_capbridge_client_takes(emu: Emulator) -> None:
    seen: List[Any] = []
    s = TwoCaptcha(fresh_key(), server=emu.url, pollingInterval=0.05,
                   capbridge_options={**FAST, "on_event": seen.append,
                                      "providers": [(emu.url, fresh_key())]})
    s.normal(IMAGE)
    assert seen, "on_event received the solve's steps"
    with pytest.raises(ValidationException, match="on_event: expected a function"):
        TwoCaptcha(fresh_key(), server=emu.url, capbridge_options={"on_event": 5})
