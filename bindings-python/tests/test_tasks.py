"""Tasks: made and checked by the core at construction, every kind solved blocking and async,
images and proxies in every form, extra fields, pickling, and the shared encoding vectors."""

from __future__ import annotations

import asyncio
import base64
import copy
import io
import json
import pathlib
import pickle
from typing import Any, Dict, List

import pytest

import capbridge
from capbridge import TASK_CLASSES
from conftest import FAST, KEY, VECTORS, Emulator, fresh_key, image, plain_python_words

PAGE = "https://example.com/login"
PROXY = "http://user:hunter2@1.2.3.4:3128"


def every_kind() -> List[capbridge.CaptchaTask]:
    return [
        capbridge.ImageToText(image("captcha.png"), numeric=4, case_sensitive=True),
        capbridge.ImageToText(image("captcha.jpg"), upload="multipart"),
        capbridge.RecaptchaV2(PAGE, "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-", invisible=True, cookies={"NID": "1"},
                              proxy=PROXY),
        capbridge.RecaptchaV3(PAGE, "6LfZil0UAAAAAAdm1Dpzsw9q0F11-bmervx9g5fE", action="login", min_score=0.3),
        capbridge.HCaptcha(PAGE, "10000000-ffff-ffff-ffff-000000000001", rqdata="rq"),
        capbridge.FunCaptcha(PAGE, "12AB34CD-56F7-AB8C-9D01-2EF3456789A0", data={"blob": "b"}),
        capbridge.Turnstile(PAGE, "0x4AAAAAAAC3DHQFLr1GavRN", action="managed", cdata="cd"),
    ]


def check(emulator: Emulator, task: capbridge.CaptchaTask, s: capbridge.Solution) -> None:
    info = emulator.task(s.task_id)
    assert info["kind"] == task.kind
    assert info["answer"] == s.answer
    assert s.provider == "custom"
    if task.kind in ("HCaptcha", "Turnstile"):
        assert s.user_agent and s.user_agent.startswith("Mozilla/5.0")
    if task.kind == "HCaptcha":
        assert s.resp_key and s.resp_key.startswith("E0_")
    if task.kind == "FunCaptcha":
        assert "|pk=12AB34CD-56F7-AB8C-9D01-2EF3456789A0|" in s.answer
    if task.kind == "RecaptchaV2":
        assert info["params"]["proxy"] == "user:hunter2@1.2.3.4:3128"
        assert info["params"]["cookies"] == "NID:1"
    assert s.raw["status"] == 1


def test_every_kind_blocking(emulator: Emulator, client: capbridge.Client) -> None:
    for task in every_kind():
        check(emulator, task, client.solve(task))


def test_every_kind_async(emulator: Emulator) -> None:
    async def main() -> List[capbridge.Solution]:
        async with capbridge.AsyncClient(emulator.url, KEY, **FAST) as c:
            return await asyncio.gather(*(c.solve(t) for t in every_kind()))

    for task, s in zip(every_kind(), asyncio.run(main())):
        check(emulator, task, s)


def test_a_bad_task_is_refused_when_made_by_the_core() -> None:
    with pytest.raises(capbridge.InvalidTaskError) as e:
        capbridge.RecaptchaV2(website_url="not a url", website_key="6Le-wvk")
    err = e.value
    assert (err.kind, err.field, err.code, err.task_id) == ("invalid_task", "website_url", None, None)
    assert str(err).startswith("RecaptchaV2(...): website_url: "), str(err)
    assert isinstance(err, ValueError)
    # Wrong Python types name the field, whatever the type.
    for kwargs, field in [
        (dict(min_score="high"), "min_score"),
        (dict(min_score=10**40), "min_score"),
        (dict(min_score=float("nan")), "min_score"),
        (dict(action=3), "action"),
        (dict(extra={"x": object()}), "extra.x"),
        (dict(extra={1: "x"}), "extra"),
        (dict(api_domain=b"google.com"), "api_domain"),
    ]:
        with pytest.raises(capbridge.InvalidTaskError) as e:
            capbridge.RecaptchaV3(PAGE, "6Le-wvk", **kwargs)
        assert e.value.field == field, (kwargs, str(e.value))
        assert field.split(".")[0] in str(e.value) and plain_python_words(str(e.value)), str(e.value)


def test_a_misspelled_field_names_the_one_it_meant() -> None:
    """Another library's spelling (2captcha's ``websiteURL``, Node's ``websiteKey``) or a typo
    gets the field it meant, made as a class or from a dict; a word like no field gets help."""
    with pytest.raises(TypeError) as t:
        capbridge.RecaptchaV2(website_url=PAGE, websiteKey="6Le-wvk")
    assert str(t.value) == "RecaptchaV2: unexpected keyword argument 'websiteKey'; did you mean 'website_key'?"
    with pytest.raises(TypeError) as t:
        capbridge.Turnstile(PAGE, "0x4AAA", actoin="login")
    assert str(t.value).endswith("; did you mean 'action'?"), str(t.value)
    with pytest.raises(TypeError) as t:
        capbridge.Turnstile(PAGE, "0x4AAA", xyzzy=1)
    assert str(t.value) == "Turnstile: unexpected keyword argument 'xyzzy' (see help(capbridge.Turnstile))"
    # Python's own errors stand where no keyword is misspelled.
    with pytest.raises(TypeError, match="missing"):
        capbridge.Turnstile(PAGE)  # type: ignore[call-arg]
    # The dict form is checked by the core, which suggests alike.
    with pytest.raises(capbridge.InvalidTaskError) as e:
        capbridge.CaptchaTask.from_dict({"type": "RecaptchaV2", "website_url": PAGE, "websiteKey": "6Le-wvk"})
    assert e.value.field == "websiteKey"
    assert str(e.value).endswith("did you mean website_key?"), str(e.value)
    # Well spelled, a task is made and pickles as before.
    task = capbridge.RecaptchaV2(website_url=PAGE, website_key="6Le-wvk", invisible=True)
    assert pickle.loads(pickle.dumps(task)) == task


def test_a_services_name_for_a_field_names_ours() -> None:
    """The providers' names for a field (2captcha's ``sitekey``, ``googlekey``, ``pageurl``,
    2captcha-python's ``url``, the json family's ``websiteURL``) are nowhere near ours by
    spelling: they get the field they mean, where the class has it (FunCaptcha's key is
    ``public_key``, and its ``url`` is not ``surl``), made as a class or from a dict."""
    key = "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-"
    for cls, given, meant in [
        (capbridge.RecaptchaV2, {"website_url": PAGE, "sitekey": key}, "website_key"),
        (capbridge.RecaptchaV2, {"website_url": PAGE, "googlekey": key}, "website_key"),
        (capbridge.RecaptchaV2, {"website_url": PAGE, "site_key": key}, "website_key"),
        (capbridge.RecaptchaV2, {"pageurl": PAGE, "website_key": key}, "website_url"),
        (capbridge.RecaptchaV2, {"pageURL": PAGE, "website_key": key}, "website_url"),
        (capbridge.RecaptchaV2, {"url": PAGE, "website_key": key}, "website_url"),
        (capbridge.Turnstile, {"websiteURL": PAGE, "website_key": "0x4AAA"}, "website_url"),
        (capbridge.RecaptchaV3, {"website_url": PAGE, "website_key": key, "minScore": 0.3}, "min_score"),
        (capbridge.HCaptcha, {"website_url": PAGE, "website_key": key, "userAgent": "Mozilla/5.0"}, "user_agent"),
        (capbridge.FunCaptcha, {"website_url": PAGE, "sitekey": "12AB34CD"}, "public_key"),
        (capbridge.FunCaptcha, {"website_url": PAGE, "websiteKey": "12AB34CD"}, "public_key"),
        (capbridge.FunCaptcha, {"website_url": PAGE, "publickey": "12AB34CD"}, "public_key"),
        (capbridge.FunCaptcha, {"url": PAGE, "public_key": "12AB34CD"}, "website_url"),
    ]:
        wrong = next(k for k in given if k not in cls._defaults())
        with pytest.raises(TypeError) as t:
            cls(**given)
        assert str(t.value) == f"{cls.__name__}: unexpected keyword argument {wrong!r}; did you mean {meant!r}?"
        with pytest.raises(capbridge.InvalidTaskError) as e:
            capbridge.CaptchaTask.from_dict({"type": cls.__name__, **given})
        assert e.value.field == wrong, repr(e.value)
        assert str(e.value) == (
            f"{cls.__name__}(...): {wrong}: is not a field of {cls.__name__}; did you mean {meant}?"), str(e.value)
    # A class without the field gets no wrong hint.
    with pytest.raises(TypeError) as t:
        capbridge.ImageToText(image("captcha.png"), sitekey=key)
    assert str(t.value) == "ImageToText: unexpected keyword argument 'sitekey' (see help(capbridge.ImageToText))"


def test_a_task_is_the_same_value_however_it_was_made() -> None:
    """Made by its class (its declared defaults filled in), from its dict (left out), or
    unpickled: one value, one hash, one repr."""
    png = image("captcha.png")
    for made, from_dict in [
        (capbridge.Coordinates(png, instructions="click the birds"),
         {"type": "Coordinates", "image": png, "instructions": "click the birds"}),
        (capbridge.Grid(png, instructions="buses", upload="base64"),
         {"type": "Grid", "image": png, "instructions": "buses"}),
        (capbridge.ImageToText(png), {"type": "ImageToText", "image": png}),
        (capbridge.RecaptchaV3(PAGE, "6Le-wvk", action="verify"),
         {"type": "RecaptchaV3", "website_url": PAGE, "website_key": "6Le-wvk"}),
    ]:
        other = capbridge.CaptchaTask.from_dict(from_dict)
        assert made == other and hash(made) == hash(other) and repr(made) == repr(other), (made, other)
        for t in (made, other):
            assert pickle.loads(pickle.dumps(t)) == t and copy.copy(t) == t, t
    # A Raw request's repr shows its names and method, never a value (a proxy password).
    raw = capbridge.Raw({"method": "userrecaptcha", "proxy": "user:hunter2@1.2.3.4:3128", "proxyPassword": "hunter2"})
    assert "hunter2" not in repr(raw) and "'method': 'userrecaptcha'" in repr(raw) and "'proxyPassword': ..." in repr(raw)
    # A value other than the default is kept.
    assert capbridge.Grid(png, instructions="buses", upload="multipart").upload == "multipart"
    assert capbridge.Grid(png, instructions="buses").upload == "base64"


def test_images_in_every_form(tmp_path: pathlib.Path, client: capbridge.Client) -> None:
    data = image("captcha.gif")
    path = tmp_path / "c.gif"
    path.write_bytes(data)
    b64 = base64.b64encode(data).decode()
    tasks = [
        capbridge.ImageToText(data),
        capbridge.ImageToText(bytearray(data)),
        capbridge.ImageToText(memoryview(data)),
        capbridge.ImageToText(path),
        capbridge.ImageToText(str(path)),
        capbridge.ImageToText(io.BytesIO(data)),
        capbridge.ImageToText(b64),
        capbridge.ImageToText("data:image/gif;base64," + b64),
    ]
    for t in tasks:
        assert t.image == data
        assert t == tasks[0]
    with open(path, "rb") as f:
        assert capbridge.ImageToText(f).image == data
    assert len(client.solve(tasks[4]).answer) == 5
    # What was tried, when nothing fits.
    for bad, words in [
        (tmp_path / "missing.png", "cannot read the file"),
        (str(tmp_path / "missing.png"), "cannot read the file"),
        ("not an image, not base64 ***", "no file exists at that path"),
        ("data:text/plain,hello", "data: URL"),
        (io.StringIO("text"), "binary mode"),
        (12, "got int"),
    ]:
        with pytest.raises(capbridge.InvalidTaskError) as e:
            capbridge.ImageToText(bad)  # type: ignore[arg-type]
        assert e.value.field == "image" and words in str(e.value), str(e.value)
        assert plain_python_words(str(e.value)), str(e.value)


def test_proxies_in_every_form_reach_the_service(emulator: Emulator, client: capbridge.Client) -> None:
    forms: List[Any] = [
        "https://lo:pw@1.2.3.4:3128",
        {"type": "HTTPS", "uri": "lo:pw@1.2.3.4:3128"},
        {"type": "https", "host": "1.2.3.4", "port": 3128, "login": "lo", "password": "pw"},
    ]
    for proxy in forms:
        task = capbridge.RecaptchaV2(PAGE, "6Le-wvk", proxy=proxy)
        assert repr(task).endswith("proxy='https://lo:***@1.2.3.4:3128')"), repr(task)
        assert "pw" not in repr(task).replace("https", "")
        info = emulator.task(client.submit(task))
        assert (info["params"]["proxy"], info["params"]["proxytype"]) == ("lo:pw@1.2.3.4:3128", "HTTPS")
    with pytest.raises(capbridge.InvalidTaskError) as e:
        capbridge.Turnstile(PAGE, "0x4A", proxy="http://user:hunter2@host")
    assert e.value.field == "proxy" and "hunter2" not in str(e.value) and "port" in str(e.value)
    with pytest.raises(capbridge.InvalidTaskError) as e:
        capbridge.HCaptcha(PAGE, "k", proxy={"type": "https", "host": "1.2.3.4"})
    assert e.value.field == "proxy"


def test_extra_fields_on_every_kind_are_sent_as_given(emulator: Emulator, client: capbridge.Client) -> None:
    for task in every_kind():
        t = task.replace(extra={"my_field": "v", "n": 2})
        info = emulator.task(client.submit(t))
        assert (info["params"]["my_field"], info["params"]["n"]) == ("v", "2"), info["params"]


def test_tasks_are_values_and_pickle() -> None:
    for task in every_kind():
        back = pickle.loads(pickle.dumps(task))
        assert back == task and hash(back) == hash(task) and repr(back) == repr(task)
        assert type(back) is type(task) and back.kind == task.kind
    t = capbridge.RecaptchaV2(PAGE, "k", cookies={"a": "1"}, proxy=PROXY)
    with pytest.raises(AttributeError, match="replace"):
        t.website_key = "other"  # type: ignore[misc]
    assert t.invisible is False and t.cookies == {"a": "1"}
    with pytest.raises(TypeError):
        t.cookies["b"] = "2"  # type: ignore[index]
    u = t.replace(website_key="other")
    assert u.website_key == "other" and u != t and t.website_key == "k"
    assert capbridge.RecaptchaV2(PAGE, "k") == capbridge.RecaptchaV2(PAGE, "k")
    assert "hunter2" not in repr(t) and "user:***@" in repr(t)
    img = capbridge.ImageToText(image("captcha.png"))
    assert repr(img).startswith("ImageToText(image=<") and "bytes>" in repr(img)
    assert capbridge.CaptchaTask.from_dict(t.to_dict()) == t


# ---- the shared vectors -------------------------------------------------------------------

def expand(value: str) -> bytes:
    if value.startswith("@pad:png:"):
        n = int(value.split(":")[2])
        return (b"\x89PNG\r\n\x1a\n" + b"\0" * n)[:n]
    if value.startswith("@"):
        return (VECTORS / value[1:]).read_bytes()
    return base64.b64decode(value)


def as_python(task: Dict[str, Any]) -> Dict[str, Any]:
    """A vector's task with its image placeholders as the bytes they stand for."""
    fields = dict(task)
    img = fields.get("image")
    if isinstance(img, str) and img.startswith("@"):
        fields["image"] = expand(img)
    return fields


def build(task: Dict[str, Any]) -> capbridge.CaptchaTask:
    """The task made by its class, with keyword arguments."""
    fields = as_python(task)
    cls = TASK_CLASSES[fields.pop("type")]
    return cls(**fields)


VECTOR_DATA = json.loads((VECTORS / "tasks.json").read_text())


@pytest.mark.parametrize("case", VECTOR_DATA["encode"], ids=lambda c: c["name"])
def test_encoding_vectors_reach_the_service_as_the_api_documentation_says(make_emulator: Any, case: Dict[str, Any]) -> None:
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


INVALID = VECTOR_DATA["invalid"]


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c["name"])
def test_invalid_vectors_are_refused_when_made(case: Dict[str, Any]) -> None:
    # From the dict form: the core names the field, for every case.
    with pytest.raises(capbridge.InvalidTaskError) as e:
        capbridge.CaptchaTask.from_dict(as_python(case["task"]))
    assert e.value.field == case["field"], str(e.value)
    # With the class and keyword arguments (where the case can be written that way).
    if case["task"].get("type") in TASK_CLASSES:
        with pytest.raises((capbridge.InvalidTaskError, TypeError)) as e2:
            build(case["task"])
        if isinstance(e2.value, capbridge.InvalidTaskError):
            assert e2.value.field == case["field"], str(e2.value)
        else:  # a missing or misspelled keyword: Python's own TypeError names it
            assert case["field"] in str(e2.value) and case["task"]["type"] in str(e2.value)


def test_every_message_names_things_as_written_in_python() -> None:
    """The messages of every invalid task of the shared vectors, made both ways, and of bad
    options: field and option names as Python spells them, the class or call, no Rust words."""
    messages: List[str] = []
    for case in INVALID:
        for make in (lambda: capbridge.CaptchaTask.from_dict(as_python(case["task"])), lambda: build(case["task"])):
            try:
                make()
            except (capbridge.CaptchaError, TypeError, KeyError) as e:
                if isinstance(e, KeyError):  # no class for the type: only the dict form applies
                    continue
                text = str(e)
                messages.append(text)
                assert case["field"].split(".")[0].split("[")[0] in text, text
                kind = case["task"].get("type")
                if isinstance(e, capbridge.InvalidTaskError) and kind in TASK_CLASSES:
                    assert text.startswith(f"{kind}(...): "), text
            else:
                pytest.fail(f"accepted: {case['name']}")
    key = "0123456789abcdef0123456789abcdef"
    bad_options: List[Dict[str, Any]] = [
        dict(provider="nope", api_key=key),
        dict(provider="2captcha", api_key=key, timeout=-1),
        dict(provider="2captcha", api_key=key, timeout="soon"),
        dict(provider="2captcha", api_key=key, poll_interval=0),
        dict(provider="2captcha", api_key=key, request_timeout=1e30),
        dict(provider="2captcha", api_key=key, limits={"submit_interval": 0}),
        dict(provider="http://127.0.0.1:9/", api_key=key, limits={"submit_intervall": 0}),
        dict(provider="2captcha", api_key=key, retry={"base_delay": "x"}),
        dict(provider="2captcha", api_key=key, batch_polling="yes"),
        dict(provider="2captcha", api_key=key, max_concurrent_requests=2**70),
        dict(provider="2captcha", api_key=key, max_concurrent_requests=0),
        dict(provider="2captcha", api_key=""),
        dict(provider="2captcha", api_key=key, protocol="json"),
        dict(provider="http://127.0.0.1:9/", api_key=key, protocol="soap"),
        dict(provider="capsolver", api_key=key, json_replies=False),
        dict(provider="2captcha", api_key=key, base_url="ftp://x"),
        dict(provider="2captcha", api_key=key, providers=[("capsolver",)]),
        dict(provider="2captcha", api_key=key, providers=[{"provider": "capsolver"}]),
        dict(provider="2captcha", api_key=key, failover={"busy_for": -1}),
        dict(api_key=key),
        dict(provider="2captcha", api_key=key, soft_id=1.5),
    ]
    for kw in bad_options:
        with pytest.raises(capbridge.UsageError) as e:
            capbridge.Client(**kw)
        text = str(e.value)
        messages.append(text)
        assert text.startswith("Client(...): "), text
        assert e.value.option is not None, text
    with pytest.raises(capbridge.UsageError) as e:
        capbridge.Client("http://127.0.0.1:9/", key, limits={"submit_intervall": 0})
    assert 'limits["submit_intervall"]' in str(e.value) and 'did you mean limits["submit_interval"]?' in str(e.value)
    with pytest.raises(capbridge.UsageError) as e:
        capbridge.Client("2captcha", key, providers=[{"provider": "capsolver"}])
    assert 'providers[0]["api_key"]' in str(e.value)
    for text in messages:
        assert plain_python_words(text), text


def test_values_are_named_in_python_words() -> None:
    """The core words its reasons for JSON; the binding's one spelling function (errors.rs)
    says them as Python does: True or False, a dict, None."""
    url, key = "https://example.com/login", "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-"
    cases = [
        (lambda: capbridge.RecaptchaV2(url, key, invisible="yes"),  # type: ignore[arg-type]
         "RecaptchaV2(...): invisible: expected True or False, got text"),
        (lambda: capbridge.RecaptchaV2(url, key, extra=[1]),  # type: ignore[arg-type]
         "RecaptchaV2(...): extra: expected a dict, got a list"),
        (lambda: capbridge.RecaptchaV2(url, key, extra={"a": None}),
         "RecaptchaV2(...): extra: an extra field's value may not be None"),
        (lambda: capbridge.RecaptchaV2(url, key, cookies=5),  # type: ignore[arg-type]
         "RecaptchaV2(...): cookies: expected a dict of names and values"),
        (lambda: capbridge.RecaptchaV2(url, key, proxy=5),  # type: ignore[arg-type]
         "or a dict"),
        (lambda: capbridge.Client("2captcha", "0" * 32, batch_polling="yes"),  # type: ignore[arg-type]
         "Client(...): batch_polling: expected True or False"),
        (lambda: capbridge.Client("2captcha", "0" * 32, providers=[("capsolver",)]),  # type: ignore[list-item]
         "Client(...): providers[0]: expected a dict with provider and api_key"),
        (lambda: capbridge.Client("2captcha", "0" * 32, retry={"base_delay": object()}),  # type: ignore[dict-item]
         "True or False, a list or a dict; got object"),
    ]
    for make, want in cases:
        with pytest.raises(capbridge.CaptchaError) as e:
            make()
        assert want in str(e.value), str(e.value)
        assert plain_python_words(str(e.value)), str(e.value)


def test_refused_before_sending_by_the_client(emulator: Emulator) -> None:
    with capbridge.Client(emulator.url, fresh_key(), **FAST) as c:
        with pytest.raises(capbridge.UsageError) as e:
            c.solve("not a task")  # type: ignore[arg-type]
        assert e.value.option == "task" and "Client.solve(...)" in str(e.value)
        with pytest.raises(capbridge.UsageError) as e:
            c.solve(every_kind()[2], timeout=-1)
        assert e.value.option == "timeout" and str(e.value).startswith("Client.solve(...): timeout: ")
    assert emulator.counters()["requests"] == 0


def test_a_task_refused_while_being_made_still_has_a_repr() -> None:
    # A traceback's locals (pytest -l, a debugger) hold the `self` whose __init__ raised.
    with pytest.raises(capbridge.InvalidTaskError) as info:
        capbridge.Raw(request={"method": "lemin", "pingback": "https://cb.example.com/"})
    frames = [tb.tb_frame for tb in _tracebacks(info.tb)]
    selves = [f.f_locals["self"] for f in frames if isinstance(f.f_locals.get("self"), capbridge.Raw)]
    assert selves and all(repr(s) == "<Raw: refused>" for s in selves)
    assert "the task's pingback field" in str(info.value)


def _tracebacks(tb: Any) -> Any:
    while tb is not None:
        yield tb
        tb = tb.tb_next
