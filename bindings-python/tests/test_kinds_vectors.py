"""The shared vectors of every kind x preset pair (tests/vectors/kinds.json) from Python: each
pair's task is made from its dict and submitted to that preset's dialect of the emulator (a form
preset's fields, and a json preset's task object, arrive as the vectors say); each pair solved
with the emulator playing the vector's reply gives the vector's ``answer`` and ``data``; what a
preset cannot take is refused before anything is sent, and what validation refuses names the
field."""

from __future__ import annotations

import base64
import json
from typing import Any, Dict, List

import pytest

import capbridge
from conftest import FAST, VECTORS, Emulator, fresh_key

KINDS = json.loads((VECTORS / "kinds.json").read_text())
FORM = {"bigcaptcha", "captchaai", "2captcha", "rucaptcha"}


def as_python(task: Dict[str, Any]) -> Dict[str, Any]:
    """A vector's task with its files (``@images/x.png``) as their bytes, and as their base64
    inside a value (a ``Raw`` task's request)."""
    return {
        k: (VECTORS / v[1:]).read_bytes() if isinstance(v, str) and v.startswith("@") else expand(v)
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
    with client_for(emu, case) as c:
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
        # The task object arrives as the vectors say, images as their base64, and beside it
        # in the body what the vector adds (2captcha v2's languagePool), nothing else.
        assert same(info["raw"], expand(case["request"])), info
        assert same(info["envelope"], case.get("body_extra", {})), info


def client_for(emu: Emulator, case: Dict[str, Any]) -> capbridge.Client:
    """A client of the pair's preset at that preset's dialect of the emulator, with the pair's
    options (a form preset's ``json_replies``)."""
    preset = case["provider"]
    options: Dict[str, Any] = {**FAST, "base_url": f"{emu.url}{preset}/"}
    if preset in FORM:
        options["json_replies"] = case.get("options", {}).get("json_replies", True)
    return capbridge.Client(preset, fresh_key(), **options)


def same(got: Any, want: Any) -> bool:
    """JSON values equal as the vectors compare them (as core/tests/kinds.rs does): numbers by
    value (``40`` and ``40.0`` are one angle), key order aside; ``True`` is not ``1``."""
    if isinstance(got, bool) or isinstance(want, bool):
        return type(got) is type(want) and got == want
    if isinstance(got, (int, float)) and isinstance(want, (int, float)):
        return float(got) == float(want)
    if isinstance(got, list) and isinstance(want, list):
        return len(got) == len(want) and all(same(g, w) for g, w in zip(got, want))
    if isinstance(got, dict) and isinstance(want, dict):
        return got.keys() == want.keys() and all(same(got[k], want[k]) for k in want)
    return type(got) is type(want) and got == want


def body_of(reply: Dict[str, Any]) -> str:
    """A vector's reply as the service sends it: ``text`` verbatim, ``json`` compact (keys in
    the vector's order: a ``Raw`` answer keeps the provider's)."""
    if "text" in reply:
        text: str = reply["text"]
        return text
    return json.dumps(reply["json"], separators=(",", ":"), ensure_ascii=False)


def submit_reply(case: Dict[str, Any]) -> str:
    """A submit reply accepting a task (one the emulator did not make: it does not know every
    ``Raw`` request), in the pair's dialect, from the vectors."""
    replies: Dict[str, str] = KINDS["submit_replies"]
    if case["provider"] in FORM:
        return replies["form_json" if case.get("options", {}).get("json_replies", True) else "form_text"]
    return replies["capsolver" if case["provider"] == "capsolver" else "json"]


# The emulator plays the vector's reply (a `reply` fault at the pair's preset: the next poll,
# or the createTask when the preset answers in the submit reply) to a real solve; the solution
# is the vector's. A Raw task's submit reply is played too (the emulator does not know every
# Raw request; what a Raw task sends is pinned by the core's own vector test).
@pytest.mark.parametrize("case", KINDS["pairs"], ids=lambda c: c["name"])
def test_every_pair_reads_the_vector_solution(emu: Emulator, case: Dict[str, Any]) -> None:
    preset = case["provider"]
    task = capbridge.CaptchaTask.from_dict(as_python(case["task"]))
    form = preset in FORM
    emu.clear_faults()
    faults: List[Dict[str, str]] = []
    if case.get("answered_in_submit"):
        faults.append({"endpoint": "create", "body": body_of(case["reply"])})
    else:
        if task.kind == "Raw":
            faults.append({"endpoint": "in" if form else "create", "body": submit_reply(case)})
        faults.append({"endpoint": "res" if form else "result", "body": body_of(case["reply"])})
    for f in faults:
        emu.fault(fault="reply", prefix=preset, status=200, count=1, **f)
    served = emu.counters()["faults_injected"]
    with client_for(emu, case) as c:
        solution = c.solve(task)
    # Every reply played was read: the answer is the vector's reply's, not the emulator's own.
    assert emu.counters()["faults_injected"] - served == len(faults)
    want = case["solution"]
    assert solution.answer == want["answer"], f"answer\n got  {solution.answer!r}\n want {want['answer']!r}"
    assert same(solution.data, want["data"]), f"data\n got  {solution.data!r}\n want {want['data']!r}"


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
