"""A user's test against the emulator inside the package (``capbridge.testing`` and the
``capbridge_emulator`` pytest fixture): every task kind the package names is solved.

Self-contained on purpose (no conftest, no repository files): the dist tests copy this file
into a fresh venv without Rust and run it there against the installed wheel, as a user would.
A new kind only needs a row in SAMPLES.
"""

from __future__ import annotations

import json
import struct
import typing
import urllib.error
import urllib.request
import zlib
from typing import Any, Callable, Dict

import pytest

import capbridge
from capbridge.testing import AdminRefused, Emulator, emulator

PAGE = "https://example.com/login"


def png(width: int = 48, height: int = 16) -> bytes:
    """A small real PNG (grey stripes), made here so the test needs no file."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    rows = b"".join(b"\x00" + bytes((x * 7 + y * 13) % 256 for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PROXY = "http://user:pass@1.2.3.4:3128"
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
#: An mp3 as the services check it: an ID3 tag first (the bytes after it are not heard here).
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256))


#: One sample task per kind: THE table. A kind the package names without a row here fails
#: `test_every_kind_has_a_sample`.
SAMPLES: Dict[str, Callable[[], capbridge.CaptchaTask]] = {
    "ImageToText": lambda: capbridge.ImageToText(png()),
    "RecaptchaV2": lambda: capbridge.RecaptchaV2(PAGE, "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-"),
    "RecaptchaV3": lambda: capbridge.RecaptchaV3(PAGE, "6LfZil0UAAAAAAdm1Dpzsw9q0F11-bmervx9g5fE", action="login"),
    "HCaptcha": lambda: capbridge.HCaptcha(PAGE, "10000000-ffff-ffff-ffff-000000000001"),
    "FunCaptcha": lambda: capbridge.FunCaptcha(PAGE, "12AB34CD-56F7-AB8C-9D01-2EF3456789A0"),
    "Turnstile": lambda: capbridge.Turnstile(PAGE, "0x4AAAAAAAC3DHQFLr1GavRN"),
    "CloudflareChallenge": lambda: capbridge.CloudflareChallenge(PAGE, PROXY, UA),
    "GeeTest": lambda: capbridge.GeeTest(PAGE, "81388ea1fc187e0c335c0a8907ff2625", "2e2f0f65240058b683cb6ea21c303eea"),
    "GeeTestV4": lambda: capbridge.GeeTestV4(PAGE, "e392e1d7fd421dc63325744d5a2b9c73"),
    "AmazonWaf": lambda: capbridge.AmazonWaf(PAGE, "AQIDAHjcYu/GjX+QlghicBgQ/7bFaQZ+m5FKCMDnO", "CgAHbCe2GgAAAAAj", "9BUgmlm48F92WUoqv97a49"),
    "DataDome": lambda: capbridge.DataDome(
        PAGE, "https://geo.captcha-delivery.com/captcha/?initialCid=AHrlqAAAAAMA&cid=6QAEcL8Bqwd", UA, PROXY
    ),
    "MtCaptcha": lambda: capbridge.MtCaptcha(PAGE, "MTPublic-DemoKey9M"),
    "FriendlyCaptcha": lambda: capbridge.FriendlyCaptcha(PAGE, "FCMST5VUMCBOCGQ9"),
    "Coordinates": lambda: capbridge.Coordinates(png(), instructions="click the birds"),
    "Grid": lambda: capbridge.Grid(png(), rows=3, columns=3, instructions="select all squares with buses"),
    "TextCaptcha": lambda: capbridge.TextCaptcha("If tomorrow is Saturday, what day is today?", language="en"),
    "Audio": lambda: capbridge.Audio(MP3, "en"),
    "Rotate": lambda: capbridge.Rotate(png(), angle_step=40),
    "Lemin": lambda: capbridge.Lemin(PAGE, "CROPPED_3dfdd5c_d1872b526b794d83ba3b365eb15a200b", "lemin-cropped-captcha"),
    # A request as the service takes it (here the form protocol's, for a GeeTest).
    "Raw": lambda: capbridge.Raw(
        {"method": "geetest", "gt": "81388ea1fc187e0c335c0a8907ff2625",
         "challenge": "2e2f0f65240058b683cb6ea21c303eea", "pageurl": PAGE}
    ),
}

#: Kinds whose answer is read from a structure the service sends (a GeeTest's three values,
#: AmazonWaf's voucher and token, DataDome's cookie, clicks and cells), not its text as sent.
STRUCTURED = {"GeeTest", "AmazonWaf", "DataDome", "Coordinates", "Grid"}

#: The kind the emulator sees, where the task's is not it: a raw request names the service's.
EMULATED_KIND = {"Raw": "GeeTest"}

#: Every kind the package names (its TaskKind literal).
KINDS = typing.get_args(capbridge.TaskKind)

FAST: Dict[str, Any] = dict(initial_delay=0.02, poll_interval=0.02, timeout=30)


def test_every_kind_has_a_sample() -> None:
    assert KINDS, "capbridge.TaskKind names no kind"
    missing = [k for k in KINDS if k not in SAMPLES]
    assert not missing, f"add a sample task to SAMPLES for {missing}"


@pytest.mark.capbridge_emulator(time_scale=0.01)
@pytest.mark.parametrize("kind", KINDS)
def test_the_fixture_solves_every_kind(capbridge_emulator: Emulator, kind: str) -> None:
    task = SAMPLES[kind]()
    assert task.kind == kind
    with capbridge.Client(capbridge_emulator.url, capbridge_emulator.api_key, **FAST) as client:
        solution = client.solve(task)
    assert solution.answer
    info = capbridge_emulator.task(solution.task_id)
    assert info["kind"] == EMULATED_KIND.get(kind, kind)
    if kind in STRUCTURED:
        # Read from what the service sent into the answer and its parts (solution.data).
        assert info["answer"] and solution.data, (info, solution)
    else:
        assert info["answer"] == solution.answer
    assert capbridge_emulator.counters()["tasks_accepted"] == 1


def test_a_json_dialect_and_the_admin_api() -> None:
    with emulator(time_scale=0.01, delay_ms=(100, 200), seed=7) as emu:
        assert emu.config()["time_scale"] == 0.01 and emu.config()["seed"] == 7
        # A preset pointed at the emulator's dialect of that provider.
        with capbridge.Client("capsolver", emu.api_key, base_url=emu.url_for("capsolver"), **FAST) as client:
            solution = client.solve(SAMPLES["Turnstile"]())
            assert emu.task(solution.task_id)["answer"] == solution.answer
            # A scripted outcome reaches the client as the typed error.
            emu.rule(when={"kind": "Turnstile"}, result_error="ERROR_CAPTCHA_UNSOLVABLE", times=1)
            with pytest.raises(capbridge.UnsolvableError):
                client.solve(SAMPLES["Turnstile"]())
        assert [r["path"] for r in emu.requests()][:1] == ["/capsolver/createTask"]
        assert len(emu.tasks(emu.api_key)) == 2
        emu.account(emu.api_key, balance=0)
        assert emu.balance(emu.api_key) == 0
        with pytest.raises(urllib.error.HTTPError):
            emu.admin("GET", "no-such-endpoint")


def test_settings_are_the_binary_flags_by_name() -> None:
    key = "k" * 32
    with emulator(strict_accounts=True, account=[f"{key}:2.5"], no_limits=True, site=["a=s", "b=t"]) as emu:
        assert emu.balance(key) == 2.5
        assert emu.config()["sites"] == {"a": "s", "b": "t"}
        assert emu.config()["limits"] is False and emu.config()["auto_accounts"] is False
        with capbridge.Client(emu.url, emu.api_key, **FAST) as client:
            with pytest.raises(capbridge.AuthError):
                client.balance()
    # Errors name the settings as Python keywords, the way the caller wrote them.
    with pytest.raises(ValueError) as e:
        emulator(time_scael=0.01)
    assert '"time_scael"' in str(e.value) and "time_scale" in str(e.value), e.value
    assert "time-scale" not in str(e.value) and "--" not in str(e.value), e.value
    with pytest.raises(ValueError) as e:
        emulator(delay_ms="soon")
    assert "delay_ms" in str(e.value) and "--" not in str(e.value), e.value
    # A range is a pair, as a tuple or a list; a list elsewhere is refused, not cut to its last.
    for pair in ((100, 300), [100, 300]):
        with emulator(delay_ms=pair) as emu:
            assert emu.config()["default_delay"] == {"min_ms": 100, "max_ms": 300}
    with pytest.raises(ValueError, match="seed"):
        emulator(seed=[1, 2, 3])


def test_admin_mistakes_say_why() -> None:
    """A refused admin call says what the emulator said (an unknown fault lists the known
    ones), not urllib's bare ``HTTP Error 400: Bad Request``: a ValueError for a malformed
    request, a LookupError naming what is missing, each with its status, and still the
    HTTPError it was (its code, the reply in ``read()``)."""
    with emulator(time_scale=0.01) as emu:
        with pytest.raises(ValueError) as refused:
            emu.fault(fault="nonsense")
        text = str(refused.value)
        assert text.startswith("HTTP Error 400: POST /emulator/faults: unknown variant `nonsense`"), text
        assert "`html502`" in text, text
        with pytest.raises(ValueError, match="HTTP Error 400: POST /emulator/rules: unknown field `bogus`"):
            emu.rule(bogus=1)
        with pytest.raises(LookupError) as missing:
            emu.task("nonexistent")
        assert str(missing.value) == "HTTP Error 404: GET /emulator/tasks/nonexistent: no such task"
        with pytest.raises(LookupError, match="HTTP Error 404: GET /emulator/accounts/nobody: no such account"):
            emu.balance("nobody")
        with pytest.raises(LookupError, match="^HTTP Error 404: no admin endpoint GET /emulator/no-such-endpoint$"):
            emu.admin("GET", "no-such-endpoint")
        assert isinstance(missing.value, urllib.error.HTTPError) and missing.value.code == 404
        assert json.loads(missing.value.read()) == {"error": "no such task"}


def test_a_range_given_high_end_first_is_refused() -> None:
    """The emulator refuses a range high end first (a test meaning 300 ms or more would
    otherwise get 100 ms solves), at start and at run time, naming the setting."""
    for settings in ({"delay_ms": (300, 100)}, {"delay_ms": [300, 100]}, {"delay_ms": "300-100"},
                     {"delayMs": "300-100"}):
        with pytest.raises(ValueError, match="MIN is above MAX") as e:
            emulator(**settings)
        assert str(e.value) == "delay_ms 300-100: MIN is above MAX"
    with emulator(delay_ms=(100, 100)) as emu:
        assert emu.config()["default_delay"] == {"min_ms": 100, "max_ms": 100}
        with pytest.raises(AdminRefused, match="min_ms 300 is above max_ms 100"):
            emu.delay(300, 100)
        assert emu.config()["default_delay"] == {"min_ms": 100, "max_ms": 100}


def test_the_settings_errors_list_are_the_emulators() -> None:
    """The settings a marker error lists are the ones the emulator knows, no more, no fewer."""
    from capbridge.testing import _SETTINGS

    with pytest.raises(ValueError) as e:
        emulator(no_such_setting=1)
    assert f"(known: {', '.join(_SETTINGS)})" in str(e.value), str(e.value)


MARKED = '''
import pytest

@pytest.mark.capbridge_emulator(0.01)
def test_positional(capbridge_emulator):
    pass

@pytest.mark.capbridge_emulator(time_scael=0.01)
def test_misspelt(capbridge_emulator):
    pass

@pytest.mark.capbridge_emulator(time_scale=0.01)
def test_keyword(capbridge_emulator):
    assert capbridge_emulator.config()["time_scale"] == 0.01
'''


def test_the_marker_takes_settings_as_keywords_only() -> None:
    """``@pytest.mark.capbridge_emulator(0.01)`` would run the test with the defaults it meant
    to change: it fails, naming the marker, that settings are keywords, and which."""
    from capbridge.pytest_plugin import _settings_of

    with pytest.raises(pytest.fail.Exception) as e:
        _settings_of(pytest.mark.capbridge_emulator(0.01, seed=7).mark)
    assert str(e.value) == (
        "@pytest.mark.capbridge_emulator(0.01, seed=7): the emulator's settings are keyword arguments (known: "
        "port, time_scale, delay_ms, solve_time, no_limits, strict_accounts, account, balance, seed, site), "
        "such as @pytest.mark.capbridge_emulator(time_scale=0.01)")
    assert _settings_of(pytest.mark.capbridge_emulator(seed=7).mark) == {"seed": 7}
    assert _settings_of(None) == {}


def test_python_m_pytest_errors_at_setup_of_a_marker_it_cannot_use(tmp_path: Any) -> None:
    """As a user's run shows it: the test errors at setup with the marker's message alone (no
    traceback into the plugin); a misspelt setting names the marker too."""
    import subprocess
    import sys

    (tmp_path / "test_marked.py").write_text(MARKED)
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_marked.py"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert "1 passed, 2 errors" in r.stdout, r.stdout + r.stderr
    assert ("@pytest.mark.capbridge_emulator(0.01): the emulator's settings are keyword arguments (known: port, "
            "time_scale, delay_ms, solve_time, no_limits, strict_accounts, account, balance, seed, site), such as "
            "@pytest.mark.capbridge_emulator(time_scale=0.01)") in r.stdout, r.stdout
    assert '@pytest.mark.capbridge_emulator(time_scael=0.01): unknown setting "time_scael"' in r.stdout, r.stdout


def test_close_stops_serving() -> None:
    emu = emulator()
    url = emu.url
    emu.close()
    emu.close()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "emulator/counters", timeout=5)


def test_python_m_capbridge_testing_serves_like_the_binary() -> None:
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "capbridge.testing", "--time-scale", "0.5", "--no-limits", "--account=abc:3",
         "--solve-time", "fixed:5", "--solve-time=RecaptchaV2=lognormal:12000,0.35",
         "--site", "key-a=secret-a", "--site=key-b=secret-b"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        with urllib.request.urlopen(url + "emulator/config", timeout=10) as reply:
            config = json.loads(reply.read())
        assert config["time_scale"] == 0.5 and config["limits"] is False
        # A repeated flag is every value given, not a range of two.
        assert config["solve_time"] and "RecaptchaV2" in config["solve_times"], config
        assert config["sites"] == {"key-a": "secret-a", "key-b": "secret-b"}, config
        with urllib.request.urlopen(url + "emulator/accounts/abc", timeout=10) as reply:
            assert json.loads(reply.read())["balance"] == 3
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    bad = subprocess.run([sys.executable, "-m", "capbridge.testing", "--time-scael", "1"], capture_output=True, text=True)
    assert bad.returncode != 0 and "time-scael" in bad.stderr
