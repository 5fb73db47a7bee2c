"""The annotations say what the docs say: durations are seconds or a ``datetime.timedelta``;
an event's ``step``, ``task_kind`` and ``error_kind`` are the package's Literal types; an
image's ``upload`` is its Literal. Checked the way a user meets them: a user's program,
type-checked with ``mypy --strict`` against the installed package."""

from __future__ import annotations

import datetime
import pathlib
import subprocess
import sys
import typing

import pytest

import capbridge

USER_PROGRAM = '''
import asyncio
import datetime
from typing import Optional

import capbridge

minute = datetime.timedelta(minutes=1)
client = capbridge.Client(
    "2captcha", "0" * 32, timeout=minute, initial_delay=datetime.timedelta(seconds=5),
    poll_interval=2.5, request_timeout=minute,
    limits={"submit_interval": datetime.timedelta(milliseconds=100)},
    retry={"base_delay": datetime.timedelta(seconds=1), "max_delay": 20},
    failover={"busy_for": minute},
)
task = capbridge.RecaptchaV2("https://example.com/", "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-")


def on_event(e: capbridge.SolveEvent) -> None:
    step: capbridge.Step = e.step
    kind: Optional[capbridge.TaskKind] = e.task_kind
    error: Optional[capbridge.ErrorKind] = e.error_kind
    shared: Optional[bool] = e.shared
    print(step, kind, error, shared)


def solve() -> str:
    return client.solve(task, timeout=minute, initial_delay=minute, poll_interval=minute, on_event=on_event).answer


def wait(task_id: str) -> str:
    return client.wait(task_id, timeout=minute, poll_interval=datetime.timedelta(seconds=1)).answer


async def solve_async() -> str:
    async with capbridge.AsyncClient("2captcha", "0" * 32, timeout=minute, on_event=on_event) as ac:
        await ac.submit(task, timeout=minute)
        return (await ac.solve(task, timeout=minute, initial_delay=minute)).answer


upload: capbridge.ImageUpload = capbridge.ImageToText(b"\\x89PNG", upload="multipart").upload
invisible: capbridge.RecaptchaV2 = task.replace(invisible=True)
asyncio.run(solve_async())
'''


def test_a_users_typed_program_passes_mypy_strict(tmp_path: pathlib.Path) -> None:
    pytest.importorskip("mypy")
    program = tmp_path / "user_program.py"
    program.write_text(USER_PROGRAM)
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
         str(program)],
        capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_misspelled_task_field_is_a_type_error(tmp_path: pathlib.Path) -> None:
    # Each kind's class declares its fields: a typo is not `Any` to a type checker.
    pytest.importorskip("mypy")
    program = tmp_path / "typo.py"
    program.write_text(
        "import capbridge\n"
        "task = capbridge.RecaptchaV2('https://example.com/', '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-')\n"
        "print(task.website_url, task.websiteurl)\n")
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
         str(program)],
        capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert '"RecaptchaV2" has no attribute "websiteurl"' in r.stdout, r.stdout
    assert r.stdout.count("error:") == 1, r.stdout


def test_a_misspelled_verb_keyword_is_still_a_type_error(tmp_path: pathlib.Path) -> None:
    # The verbs check their keywords at run time through a wrapper; type checkers must still
    # see each verb's own signature, not a wrapper's (*args, **kwargs).
    pytest.importorskip("mypy")
    program = tmp_path / "verb_typo.py"
    program.write_text(
        "import capbridge\n"
        "task = capbridge.RecaptchaV2('https://example.com/', '6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-')\n"
        "client = capbridge.Client('2captcha', '0' * 32)\n"
        "client.solve(task, timeout_ms=5000)\n"
        "async def main(ac: capbridge.AsyncClient) -> None:\n"
        "    await ac.wait('1', poll_intervall=1)\n"
        "    await ac.aclose(grace=1.0)\n")
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
         str(program)],
        capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert 'Unexpected keyword argument "timeout_ms" for "solve" of "Client"' in r.stdout, r.stdout
    assert 'Unexpected keyword argument "poll_intervall" for "wait" of "AsyncClient"' in r.stdout, r.stdout
    assert r.stdout.count("error:") == 2, r.stdout


def test_annotations_at_run_time() -> None:
    hints = typing.get_type_hints(capbridge.Client.__init__)
    for option in ("timeout", "initial_delay", "poll_interval", "request_timeout"):
        assert datetime.timedelta in typing.get_args(hints[option]), (option, hints[option])
    for cls in (capbridge.Client, capbridge.AsyncClient):
        for verb in ("solve", "wait", "submit"):
            h = typing.get_type_hints(getattr(cls, verb))
            assert datetime.timedelta in typing.get_args(h["timeout"]), (cls, verb)
    assert typing.get_type_hints(capbridge.ImageToText.__init__)["upload"] == capbridge.ImageUpload
    # The signature names the alias (help() shows `upload: ImageUpload`); the class's field
    # annotations are resolved, so that get_type_hints works on the classes too.
    assert capbridge.ImageToText.__init__.__annotations__["upload"] == "ImageUpload"
    assert typing.get_type_hints(capbridge.ImageToText)["upload"] == capbridge.ImageUpload
    assert typing.get_args(capbridge.ImageUpload) == ("base64", "multipart")
    assert "shared_limits" in typing.get_args(capbridge.Step)
    assert datetime.timedelta in typing.get_args(typing.get_type_hints(capbridge.Limits)["submit_interval"])
