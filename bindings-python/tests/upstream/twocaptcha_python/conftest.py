"""2captcha-python's own test suite (v2.0.9, vendored unmodified under ``tests/``) run against
``capbridge.compat.twocaptcha``.

The vendored tests do ``from twocaptcha import TwoCaptcha``. While pytest imports a module of
this folder, ``twocaptcha`` and its submodules are aliases of the shim's modules in
``sys.modules``; once the module is imported they are taken away again (and a real
``twocaptcha`` installed in the venv, if any, put back), so no other test of the suite sees
the alias. The test classes keep the shim's classes they imported.

pytest's default patterns (``test_*.py`` and ``*_test.py``) collect every test file upstream
ships, ``canvas_test.py`` and ``canvas_async_test.py`` included (older copies of
``test_canvas.py`` and ``test_async_canvas.py``, formatted differently, which unittest's
``test*.py`` discovery would skip). ``abstract.py`` and ``abstract_async.py`` hold the base
classes and the recording ``api_client`` and have no tests of their own.

Tests that cannot hold for a capbridge solve would be marked xfail by id in ``XFAIL`` below,
with the reason (see README.md); the vendored files are never edited.
"""

from __future__ import annotations

import importlib
import pathlib
import sys
from typing import Any, Dict, Generator, List, Optional

import pytest

HERE = pathlib.Path(__file__).resolve().parent

# The library's module paths, each served by the shim's module of the same place.
ALIASES = (
    "twocaptcha",
    "twocaptcha.api",
    "twocaptcha.async_api",
    "twocaptcha.solver",
    "twocaptcha.async_solver",
    "twocaptcha.exceptions",
    "twocaptcha.exceptions.api",
    "twocaptcha.exceptions.solver",
)

# Upstream test ids (relative to this folder) that cannot hold for a capbridge solve, with
# the reason; README.md says more for each.
XFAIL: Dict[str, str] = {}


def _shim(name: str) -> Any:
    return importlib.import_module("capbridge.compat." + name)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, None]:
    """The aliases, while a module of this folder is imported (its collection)."""
    if not isinstance(collector, pytest.Module) or HERE not in pathlib.Path(collector.path).parents:
        yield
        return
    saved: Dict[str, Optional[Any]] = {name: sys.modules.get(name) for name in ALIASES}
    for name in ALIASES:
        sys.modules[name] = _shim(name)
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def pytest_collection_modifyitems(config: pytest.Config, items: List[pytest.Item]) -> None:
    for item in items:
        path = pathlib.Path(item.path)
        if HERE not in path.parents:
            continue
        ident = path.relative_to(HERE).as_posix() + "::" + "::".join(item.nodeid.split("::")[1:])
        reason = XFAIL.get(ident)
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
