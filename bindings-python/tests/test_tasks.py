"""Every task kind, blocking and async, and the shared encoding vectors: what the service
receives is what the seed says."""

from __future__ import annotations

import asyncio
import io
import json
import pathlib
from typing import Any, Dict

import pytest

import capbridge
from capbridge._tasks import TASK_CLASSES
from conftest import FAST, KEY, VECTORS, Emulator, fresh_key, image

PAGE = "https://example.com/login"


def every_kind() -> list:
    return [
        capbridge.ImageToText(image("captcha.png"), numeric=4, case_sensitive=True),
        capbridge.ImageToText(image("captcha.jpg"), upload="multipart"),
        capbridge.RecaptchaV2(PAGE, "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-", invisible=True, cookies={"NID": "1"},
                              proxy="http://user:hunter2@1.2.3.4:3128"),
        capbridge.RecaptchaV3(PAGE, "6LfZil0UAAAAAAdm1Dpzsw9q0F11-bmervx9g5fE", action="login", min_score=0.3),
        capbridge.HCaptcha(PAGE, "10000000-ffff-ffff-ffff-000000000001", rqdata="rq"),
        capbridge.FunCaptcha(PAGE, "12AB34CD-56F7-AB8C-9D01-2EF3456789A0", data={"blob": "b"}),
        capbridge.Turnstile(PAGE, "0x4AAAAAAAC3DHQFLr1GavRN", action="managed", cdata="cd"),
    ]


def check(emulator: Emulator, task: capbridge.Task, s: capbridge.Solution) -> None:
    info = emulator.task(s.task_id)
    assert info["kind"] == task._type
    assert info["answer"] == s.answer
    if task._type in ("HCaptcha", "Turnstile"):
        assert s.user_agent and s.user_agent.startswith("Mozilla/5.0")
    if task._type == "HCaptcha":
        assert s.resp_key and s.resp_key.startswith("E0_")
    if task._type == "FunCaptcha":
        assert "|pk=12AB34CD-56F7-AB8C-9D01-2EF3456789A0|" in s.answer
    if task._type == "RecaptchaV2":
        assert info["params"]["proxy"] == "user:hunter2@1.2.3.4:3128"
        assert info["params"]["cookies"] == "NID:1"
    assert s.raw["status"] == 1


def test_every_kind_blocking(emulator: Emulator, client: capbridge.Client) -> None:
    for task in every_kind():
        check(emulator, task, client.solve(task))


def test_every_kind_async(emulator: Emulator) -> None:
    async def main() -> list:
        async with capbridge.AsyncClient(emulator.url, KEY, **FAST) as c:
            return await asyncio.gather(*(c.solve(t) for t in every_kind()))

    for task, s in zip(every_kind(), asyncio.run(main())):
        check(emulator, task, s)


def test_images_from_bytes_paths_and_files(tmp_path: pathlib.Path, client: capbridge.Client) -> None:
    data = image("captcha.gif")
    path = tmp_path / "c.gif"
    path.write_bytes(data)
    tasks = [
        capbridge.ImageToText(data),
        capbridge.ImageToText(bytearray(data)),
        capbridge.ImageToText(str(path)),
        capbridge.ImageToText(path),
        capbridge.ImageToText(io.BytesIO(data)),
        capbridge.ImageToText.from_base64("data:image/gif;base64," + __import__("base64").b64encode(data).decode()),
    ]
    assert len({t._json() for t in tasks}) == 1
    assert len(client.solve(tasks[2]).answer) == 5
    with pytest.raises(capbridge.InvalidTaskError) as e:
        capbridge.ImageToText(tmp_path / "missing.png")
    assert e.value.field == "image"


def test_repr_hides_the_proxy_password_and_validate_checks_early() -> None:
    t = capbridge.HCaptcha(PAGE, "k", proxy="socks5://user:hunter2@1.2.3.4:1080")
    assert "hunter2" not in repr(t) and "user:***@" in repr(t)
    assert "hunter2" not in repr(capbridge.RecaptchaV2(PAGE, "k", proxy="user:hunter2@1.2.3.4:80"))
    t.validate()
    with pytest.raises(capbridge.InvalidTaskError) as e:
        capbridge.RecaptchaV3(PAGE, "k", min_score=2).validate()
    assert e.value.field == "min_score"
    with pytest.raises(capbridge.InvalidTaskError) as e:
        capbridge.Turnstile(PAGE, "k", proxy="http://user:hunter2@host").validate()
    assert e.value.field == "proxy" and "hunter2" not in str(e.value)
    assert capbridge.RecaptchaV2(PAGE, "k") == capbridge.RecaptchaV2(PAGE, "k")


# ---- the shared vectors -------------------------------------------------------------------

def expand(value: str) -> bytes:
    if value.startswith("@pad:png:"):
        n = int(value.split(":")[2])
        return (b"\x89PNG\r\n\x1a\n" + b"\0" * n)[:n]
    if value.startswith("@"):
        return (VECTORS / value[1:]).read_bytes()
    return __import__("base64").b64decode(value)


def build(task: Dict[str, Any]) -> capbridge.Task:
    fields = dict(task)
    cls = TASK_CLASSES[fields.pop("type")]
    if "image" in fields:
        img = fields.pop("image")
        if not img.startswith("@"):
            return capbridge.ImageToText.from_base64(img, **fields)
        fields["image"] = expand(img)
    return cls(**fields)


VECTOR_DATA = json.loads((VECTORS / "tasks.json").read_text())


@pytest.mark.parametrize("case", VECTOR_DATA["encode"], ids=lambda c: c["name"])
def test_encoding_vectors_reach_the_service_as_the_seed_says(make_emulator: Any, case: Dict[str, Any]) -> None:
    emu = make_emulator("--delay-ms", "0")
    o = case.get("options", {})
    with capbridge.Client(emu.url, VECTOR_DATA["key"], json_replies=o.get("json", False),
                          header_acao=o.get("header_acao", False), debug_dump=o.get("debug_dump", False),
                          soft_id=o.get("soft_id"), **FAST) as c:
        task_id = c.submit(build(case["task"]))
    info = emu.task(task_id)
    want = {k: v for k, v in case["fields"].items() if k not in ("key", "body")}
    assert info["params"] == want
    if "body" in case["fields"] or "file" in case:
        src = case.get("file", {}).get("image") or case["fields"]["body"]
        assert info["image"][1] == len(expand(src))


INVALID = [c for c in VECTOR_DATA["invalid"] if c["task"].get("type") in TASK_CLASSES]


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c["name"])
def test_invalid_vectors_are_refused_before_sending(emulator: Emulator, case: Dict[str, Any]) -> None:
    try:
        task = build(case["task"])
    except TypeError as e:  # a misspelled keyword is refused by Python itself
        assert case["field"] not in ("task", "type")
        assert case["field"] in str(e)
        return
    except capbridge.InvalidTaskError as e:
        assert e.field == case["field"]
        return
    with capbridge.Client(emulator.url, fresh_key(), **FAST) as c:
        with pytest.raises(capbridge.InvalidTaskError) as e:
            c.solve(task)
    assert e.value.field == case["field"], str(e.value)
    assert "secret" not in str(e.value)
    assert emulator.counters()["requests"] == 0
