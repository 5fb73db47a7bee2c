"""The same task objects through every preset, pointed at the emulator's prefix for that
provider (form presets under /2captcha/ ..., json presets under /capsolver/ ...); failover
between providers; money as Decimal."""

from __future__ import annotations

import asyncio
import decimal
import json
from typing import Any, Dict, List, Union

import pytest

import capbridge
from conftest import HANG, KEY, VECTORS, Emulator, fresh_key, image

PAGE = "https://example.com/login"
FORM = ["bigcaptcha", "captchaai", "2captcha", "rucaptcha"]
JSON = ["nextcaptcha", "anti-captcha", "capmonster", "capsolver", "2captcha-v2"]
WAITS: Dict[str, Any] = dict(initial_delay=0.05, poll_interval=0.05, timeout=HANG)  # the deadline a guard

# The catalogue of kinds, as the core renders it (tests/vectors/catalogue.json): every kind,
# its example task and the presets that offer it.
CATALOGUE: Dict[str, Any] = json.loads((VECTORS / "catalogue.json").read_text())


def example(kind: Dict[str, Any]) -> capbridge.CaptchaTask:
    """A kind's example task, its files (``@images/x.png``) resolved to the shared vectors."""
    fields = {
        k: str(VECTORS / v[1:]) if isinstance(v, str) and v.startswith("@") else v
        for k, v in kind["example"].items()
    }
    return capbridge.CaptchaTask.from_dict(fields)


# A reCAPTCHA v2 task with a proxy, for the tests below.
V2_PROXIED = capbridge.RecaptchaV2(
    PAGE, "6Le-wvkSAAAAAPBMRTvw0Q4Muexq9bi0DJwx_mJ-",
    proxy={"type": "http", "host": "1.2.3.4", "port": 3128, "login": "u", "password": "p"},
)


@pytest.fixture
def emu(make_emulator: Any) -> Emulator:
    return make_emulator("--delay-ms", "0")


@pytest.mark.parametrize("preset", FORM + JSON)
def test_every_kind_through_every_preset(emu: Emulator, preset: str) -> None:
    """One table over every kind x preset pair: each kind's example solves at each preset that
    offers it (its structured answer in ``data``), and is refused before sending elsewhere."""
    kinds = [k for k in CATALOGUE["kinds"] if k["name"] != "Raw"]
    tasks = [example(k) for k in kinds]

    async def main() -> List[Union[capbridge.Solution, BaseException]]:
        async with capbridge.AsyncClient(preset, fresh_key(), base_url=f"{emu.url}{preset}/", **WAITS) as c:
            return await asyncio.gather(*(c.solve(t) for t in tasks), return_exceptions=True)

    before = emu.counters()["tasks_accepted"]
    refused = 0
    for kind, task, r in zip(kinds, tasks, asyncio.run(main())):
        if preset not in kind["offered_by"]:
            assert isinstance(r, capbridge.UsageError), f"{preset} {task.kind}: {r!r}"
            assert task.kind in str(r), str(r)
            refused += 1
            continue
        assert isinstance(r, capbridge.Solution), f"{preset} {task.kind}: {r!r}"
        assert r.provider == preset and r.answer
        for d in kind["data"]:
            if d["always"]:
                assert d["name"] in r.data, f"{preset} {task.kind}: {r.data}"
        info = emu.task(r.task_id)
        assert info["kind"] == task.kind, info
        expected = preset if preset in JSON else None
        assert info.get("profile") == expected or preset in FORM, info
    # Refused tasks sent nothing: the emulator took one task per solved one.
    assert emu.counters()["tasks_accepted"] - before == len(kinds) - refused
    assert refused < len(kinds)


def test_the_blocking_client_through_a_json_preset(emu: Emulator) -> None:
    with capbridge.Client("anti-captcha", KEY, base_url=f"{emu.url}anti-captcha/", **WAITS) as c:
        s = c.solve(V2_PROXIED)
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
        s = c.solve(V2_PROXIED, on_event=steps.append)
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
