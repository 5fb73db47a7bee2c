"""examples/python/every_kind.py builds every kind of the catalogue (tests/vectors/catalogue.json):
its ``every_kind()`` returns one task of each kind, each once, and the script, run as written
against the emulator, solves them all (none is "not offered here": the emulator's root offers
every kind). A kind added to the catalogue without a line in
the example fails here. (tests/run-python checks the same file with mypy --strict and pyright,
and runs it from a fresh venv.)"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from types import ModuleType
from typing import List

import capbridge
from conftest import HANG, KEY, REPO, VECTORS, Emulator

EXAMPLE = REPO / "examples" / "python" / "every_kind.py"


def catalogue_kinds() -> List[str]:
    return [k["name"] for k in json.loads((VECTORS / "catalogue.json").read_text())["kinds"]]


def same_kinds(built: List[str]) -> None:
    """``built`` names each kind of the catalogue once."""
    want = catalogue_kinds()
    assert sorted(built) == sorted(want), (
        f"missing: {sorted(set(want) - set(built))}; not in the catalogue: {sorted(set(built) - set(want))}; "
        f"more than once: {sorted({k for k in built if built.count(k) > 1})}")


def load_example() -> ModuleType:
    # Under a name of its own: the module's body only reads the environment and defines names
    # (it solves only when run as a script).
    spec = importlib.util.spec_from_file_location("every_kind_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_kind_example_builds_each_kind_of_the_catalogue_once() -> None:
    tasks = load_example().every_kind()
    for task in tasks:
        assert type(task) is capbridge.TASK_CLASSES[task.kind], task
    same_kinds([task.kind for task in tasks])


def test_every_kind_example_solves_every_kind_against_the_emulator(emulator: Emulator) -> None:
    env = {**os.environ, "CAPBRIDGE_PROVIDER": emulator.url, "CAPBRIDGE_API_KEY": KEY}
    r = subprocess.run([sys.executable, str(EXAMPLE)], env=env, capture_output=True, text=True, timeout=2 * HANG)
    # Exit status 0: no task failed.
    assert r.returncode == 0, f"the example failed ({r.returncode}):\n{r.stdout}\n{r.stderr}"
    printed = []
    for line in r.stdout.splitlines():
        m = re.match(r" *([A-Za-z0-9]+): ", line)
        assert m, f"a line that names no kind: {line!r}"
        # The emulator's root offers every kind: a usage error here is a regression.
        assert "not offered here" not in line, line
        printed.append(m.group(1))
    same_kinds(printed)
