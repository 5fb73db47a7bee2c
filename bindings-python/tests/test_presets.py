"""The same task objects through every preset, pointed at the emulator's prefix for that
provider (form presets under /2captcha/ ..., json presets under /capsolver/ ...); failover
between providers; money as Decimal."""

from __future__ import annotations

import asyncio
import decimal
from typing import Any, Dict, List, Union

import pytest

import capbridge
from conftest import HANG, KEY, Emulator, fresh_key, image

PAGE = "https://example.com/login"
FORM = ["bigcaptcha", "captchaai", "2captcha", "rucaptcha"]
JSON = ["nextcaptcha", "anti-captcha", "capmonster", "capsolver", "2captcha-v2"]
WAITS: Dict[str, Any] = dict(initial_delay=0.05, poll_interval=0.05, timeout=HANG)  # the deadline a guard

# Written once for every provider: what each documents in common (IP proxies, a v3 min_score
# every one of them takes, no proxy where some have no proxy variant).
TASKS: List[capbridge.CaptchaTask] = [
    capbridge.ImageToText(image("captcha.png")),
    capbridge.RecaptchaV2(PAGE, "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-",
                          proxy={"type": "http", "host": "1.2.3.4", "port": 3128, "login": "u", "password": "p"}),
    capbridge.RecaptchaV3(PAGE, "6LfZil0UAAAAAAdm1Dpzsw9q0F11-bmervx9g5fE", action="login", min_score=0.3),
    capbridge.HCaptcha(PAGE, "10000000-ffff-ffff-ffff-000000000001"),
    capbridge.FunCaptcha(PAGE, "12AB34CD-56F7-AB8C-9D01-2EF3456789A0"),
    capbridge.Turnstile(PAGE, "0x4AAAAAAAC3DHQFLr1GavRN", action="login"),
]


@pytest.fixture
def emu(make_emulator: Any) -> Emulator:
    return make_emulator("--delay-ms", "0")


@pytest.mark.parametrize("preset", FORM + JSON)
def test_every_kind_through_every_preset(emu: Emulator, preset: str) -> None:
    async def main() -> List[Union[capbridge.Solution, BaseException]]:
        async with capbridge.AsyncClient(preset, fresh_key(), base_url=f"{emu.url}{preset}/", **WAITS) as c:
            return await asyncio.gather(*(c.solve(t) for t in TASKS), return_exceptions=True)

    for task, r in zip(TASKS, asyncio.run(main())):
        if preset == "nextcaptcha" and task.kind == "ImageToText":
            # NextCaptcha has no image tasks: refused before anything is sent, saying so.
            assert isinstance(r, capbridge.UsageError), repr(r)
            assert "nextcaptcha" in str(r).lower() and "image" in str(r).lower(), str(r)
            continue
        assert isinstance(r, capbridge.Solution), f"{preset} {task.kind}: {r!r}"
        assert r.provider == preset and r.answer
        info = emu.task(r.task_id)
        assert info["kind"] == task.kind, info
        expected = preset if preset in JSON else None
        assert info.get("profile") == expected or preset in FORM, info


def test_the_blocking_client_through_a_json_preset(emu: Emulator) -> None:
    with capbridge.Client("anti-captcha", KEY, base_url=f"{emu.url}anti-captcha/", **WAITS) as c:
        s = c.solve(TASKS[1])
        assert s.provider == "anti-captcha" and s.answer.startswith("03AG")
        assert isinstance(s.cost, decimal.Decimal) and s.cost > 0  # anti-captcha sends "0.000350"
        assert s == c.wait(s.task_id)  # already answered: from the engine's memory
        balance = c.balance()
        assert isinstance(balance, decimal.Decimal) and balance < 10


def test_failover_moves_to_the_next_provider(emu: Emulator) -> None:
    bad, good = fresh_key(), fresh_key()
    emu.account(bad, balance=0)
    with capbridge.Client(
        providers=[
            {"provider": "capsolver", "api_key": bad, "base_url": f"{emu.url}capsolver/"},
            {"provider": "2captcha", "api_key": good, "base_url": f"{emu.url}2captcha/"},
        ],
        **WAITS,
    ) as c:
        assert c.providers == ["capsolver", "2captcha"]
        steps: List[capbridge.SolveEvent] = []
        s = c.solve(TASKS[1], on_event=steps.append)
        assert s.provider == "2captcha"
        switch = [e for e in steps if e.step == "switched_provider"]
        assert switch and switch[0].provider == "capsolver" and switch[0].to == "2captcha"
        assert switch[0].error_kind == "balance"
    # Pairs read as well as dicts; base URLs as providers.
    with capbridge.Client(providers=[(emu.url + "nowhere/", bad), (emu.url, good)], **WAITS) as c:
        assert c.providers == ["custom", "custom"]


def test_money_is_exact(emu: Emulator) -> None:
    key = fresh_key()
    emu.account(key, balance=0.3)
    with capbridge.Client(emu.url, key, **WAITS) as c:
        assert c.balance() == decimal.Decimal("0.3")
    s = capbridge.Solution("1", "x", cost=decimal.Decimal("0.00070"))
    assert s.cost == decimal.Decimal("0.00070") and str(s.cost) == "0.00070"
