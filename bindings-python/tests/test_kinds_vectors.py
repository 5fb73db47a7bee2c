"""The shared vectors of every kind x preset pair (tests/vectors/kinds.json) from Python: each
pair's task is made from its dict and submitted to that preset's dialect of the emulator (a form
preset's fields, and a json preset's task object, arrive as the vectors say), what a preset cannot take is refused before anything
is sent, and what validation refuses names the field."""

from __future__ import annotations

import base64
import json
from typing import Any, Dict

import pytest

import capbridge
from conftest import FAST, VECTORS, Emulator, fresh_key

KINDS = json.loads((VECTORS / "kinds.json").read_text())
FORM = {"bigcaptcha", "captchaai", "2captcha", "rucaptcha"}


def as_python(task: Dict[str, Any]) -> Dict[str, Any]:
    """A vector's task with its files (``@images/x.png``) as their bytes."""
    return {
        k: (VECTORS / v[1:]).read_bytes() if isinstance(v, str) and v.startswith("@") else v
        for k, v in task.items()
    }


@pytest.fixture(scope="module")
def emu(emulator_bin: str) -> Any:
    e = Emulator(emulator_bin, "--delay-ms", "0")
    yield e
    e.stop()


# Raw requests are sent as given (pinned by the core's own vector test); the emulator knows only
# some of their methods.
@pytest.mark.parametrize("case", [c for c in KINDS["pairs"] if c["task"]["type"] != "Raw"], ids=lambda c: c["name"])
def test_every_pair_reaches_its_dialect(emu: Emulator, case: Dict[str, Any]) -> None:
    preset = case["provider"]
    task = capbridge.CaptchaTask.from_dict(as_python(case["task"]))
    json_replies = case.get("options", {}).get("json_replies", True)
    options: Dict[str, Any] = {**FAST, "base_url": f"{emu.url}{preset}/"}
    if preset in FORM:
        options["json_replies"] = json_replies
    with capbridge.Client(preset, fresh_key(), **options) as c:
        task_id = c.submit(task)
    info = emu.task(task_id)
    assert info["kind"] == task.kind, info
    if preset in FORM:
        # Every field but the key and the image's bytes arrives as the vectors say.
        want = {
            k: base64.b64encode((VECTORS / v[1:]).read_bytes()).decode() if v.startswith("@") else v
            for k, v in case["request"].items()
            if k not in ("body", "file")
        }
        got = {k: v for k, v in info["params"].items() if k not in ("body", "file")}
        assert got == want, info
    else:
        # The task object arrives as the vectors say, images as their base64.
        assert info["raw"] == expand(case["request"]), info


def expand(value: Any) -> Any:
    """A vector's value with each ``@images/x.png`` as the base64 of that file, anywhere in it."""
    if isinstance(value, str) and value.startswith("@"):
        return base64.b64encode((VECTORS / value[1:]).read_bytes()).decode()
    if isinstance(value, dict):
        return {k: expand(v) for k, v in value.items()}
    if isinstance(value, list):
        return [expand(v) for v in value]
    return value


@pytest.mark.parametrize("case", KINDS["refused"], ids=lambda c: c["name"])
def test_what_a_preset_cannot_take_is_refused_unsent(emu: Emulator, case: Dict[str, Any]) -> None:
    preset = case["provider"]
    task = capbridge.CaptchaTask.from_dict(as_python(case["task"]))
    before = emu.counters()["tasks_accepted"]
    with capbridge.Client(preset, fresh_key(), base_url=f"{emu.url}{preset}/", **FAST) as c:
        with pytest.raises(capbridge.UsageError):
            c.submit(task)
    assert emu.counters()["tasks_accepted"] == before


@pytest.mark.parametrize("case", KINDS["invalid"], ids=lambda c: c["name"])
def test_validation_names_the_field(case: Dict[str, Any]) -> None:
    with pytest.raises(capbridge.InvalidTaskError) as e:
        capbridge.CaptchaTask.from_dict(as_python(case["task"]))
    assert e.value.field == case["field"], str(e.value)
