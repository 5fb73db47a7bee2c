"""The package's shape: exports, typing markers, names, docs, dependencies, and stubs that
match the native module."""

from __future__ import annotations

import ast
import asyncio
import builtins
import inspect
import pathlib
import pickle
import pydoc
import re
import sys
import json
import typing
from typing import Dict, List, Set

import capbridge
from capbridge import _native
from conftest import VECTORS

PKG = pathlib.Path(capbridge.__file__).parent
SOURCE = pathlib.Path(__file__).resolve().parents[1]


def test_typed_package_and_exports() -> None:
    assert (PKG / "py.typed").exists()
    assert (PKG / "_native.pyi").exists()
    for name in capbridge.__all__:
        assert hasattr(capbridge, name), name
    assert capbridge.__version__ == _native.__version__
    assert not (PKG / "_options.py").exists()


def test_public_classes_live_in_capbridge_and_shadow_nothing() -> None:
    for name in capbridge.__all__:
        obj = getattr(capbridge, name)
        if isinstance(obj, type):
            assert obj.__module__ == "capbridge", (name, obj.__module__)
        assert not hasattr(builtins, name), f"{name} shadows a builtin"
        assert not hasattr(asyncio, name), f"{name} shadows an asyncio name"
    for name in ("TimeoutError", "CancelledError"):
        assert not hasattr(capbridge, name)


def test_type_hints_of_public_classes_resolve() -> None:
    # Tools that read annotations (typeguard, cattrs, sphinx) call get_type_hints, which looks
    # names up in the class's module: `capbridge`, since the classes say they live there.
    for name in capbridge.__all__:
        obj = getattr(capbridge, name)
        if isinstance(obj, type):
            typing.get_type_hints(obj)
    hints = typing.get_type_hints(capbridge.RecaptchaV2)
    assert hints["kind"] == typing.ClassVar[capbridge.TaskKind], hints


def test_task_kinds_are_literal_types() -> None:
    # One literal per class, in the catalogue's order, and one class per kind of the catalogue.
    assert typing.get_args(capbridge.TaskKind) == tuple(capbridge.TASK_CLASSES)
    assert all(getattr(capbridge, k).kind == k for k in typing.get_args(capbridge.TaskKind))
    catalogue = json.loads((VECTORS / "catalogue.json").read_text())
    assert [k["name"] for k in catalogue["kinds"]] == list(capbridge.TASK_CLASSES)
    assert "timeout" in typing.get_args(capbridge.ErrorKind)
    assert "capsolver" in typing.get_args(capbridge.ProviderName)


def test_help_answers_how_long_it_waits() -> None:
    for cls in (capbridge.Client, capbridge.AsyncClient):
        text = pydoc.render_doc(cls, renderer=pydoc.plaintext)
        for option in ("initial_delay", "poll_interval", "timeout", "request_timeout", "limits", "retry",
                       "providers", "max_concurrent_requests", "batch_polling", "soft_id", "shared_limits",
                       "adaptive_waits", "callback_listen", "callback_url"):
            assert f"{option}:" in text, option
        assert "first poll" in text and "20 s" in text and "seconds" in text
        params = inspect.signature(cls).parameters
        core_options = ["provider", "api_key", "protocol", "base_url", "providers", "failover", "timeout",
                        "initial_delay", "poll_interval", "request_timeout", "max_concurrent_requests",
                        "batch_polling", "json_replies", "header_acao", "debug_dump", "soft_id", "limits",
                        "retry", "shared_limits", "adaptive_waits", "callback_listen", "callback_url"]
        assert [p for p in params if p != "on_event"] == core_options


def test_no_benchmark_helper_and_no_unused_dependencies() -> None:
    assert not hasattr(_native, "core_throughput")
    import tomllib  # Python 3.11+; the suite runs on the repository's Python

    project = tomllib.loads((SOURCE / "pyproject.toml").read_text())["project"]
    code = "".join(p.read_text() for p in PKG.glob("*.py"))
    for dep in project.get("dependencies", []):
        name = dep.split(";")[0].split("[")[0].split("=")[0].split(">")[0].split("<")[0].strip()
        assert f"import {name.replace('-', '_')}" in code, f"{dep} is declared but never imported"


def test_solutions_pickle_and_cut_their_repr() -> None:
    token = "03AGdBq2" + "x" * 500
    s = capbridge.Solution("72000000001", token, "Mozilla/5.0", None, "0.00299", "2captcha", {"status": 1})
    back = pickle.loads(pickle.dumps(s))
    assert back == s and back.raw == {"status": 1} and str(back.cost) == "0.00299"
    text = repr(s)
    assert token not in text and "03AGdBq2" in text and "(508 chars)" in text and len(text) < 200
    assert "Decimal('0.00299')" in text
    # Python's quoting throughout, as a dataclass's repr: one style, escapes included.
    assert text.startswith("Solution(task_id='72000000001', answer='03AGdBq2xxx"), text
    assert "…' (508 chars), provider='2captcha'" in text, text
    odd = capbridge.Solution("7", "it's\n", None, None, None, "2captcha", {})
    assert repr(odd) == "Solution(task_id='7', answer=\"it's\\n\", provider='2captcha')", repr(odd)


def stub_tree() -> ast.Module:
    return ast.parse((PKG / "_native.pyi").read_text())


def params(fn: ast.FunctionDef) -> List[str]:
    a = fn.args
    names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
    return [n for n in names if n != "self"]


def literal_defaults(fn: ast.FunctionDef) -> Dict[str, object]:
    """The stub's defaults written as literals (``None``, ``"custom"``), by parameter."""
    a = fn.args
    positional = a.posonlyargs + a.args
    pairs = list(zip(positional[len(positional) - len(a.defaults):], a.defaults))
    pairs += [(x, d) for x, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None]
    return {x.arg: d.value for x, d in pairs if isinstance(d, ast.Constant) and d.value is not ...}


def same_defaults(sig: inspect.Signature, fn: ast.FunctionDef, what: str) -> None:
    for name, value in literal_defaults(fn).items():
        assert sig.parameters[name].default == value, f"{what}: {name}={sig.parameters[name].default!r}"


def test_stubs_match_the_native_module() -> None:
    tree = stub_tree()
    stub_classes: Dict[str, Set[str]] = {}
    stub_functions: Dict[str, List[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            members = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
            stub_classes[node.name] = members
            obj = getattr(_native, node.name)
            for n in node.body:
                if isinstance(n, ast.FunctionDef) and not n.decorator_list and n.name != "__init__" \
                        and not (n.name.startswith("__") and n.name.endswith("__")):
                    sig = inspect.signature(getattr(obj, n.name))
                    assert [p for p in sig.parameters if p != "self"] == params(n), f"{node.name}.{n.name}"
                    same_defaults(sig, n, f"{node.name}.{n.name}")
                if isinstance(n, ast.FunctionDef) and n.name == "__init__":
                    sig = inspect.signature(obj)
                    assert [p for p in sig.parameters if p != "self"] == params(n), f"{node.name}.__init__"
                    same_defaults(sig, n, f"{node.name}.__init__")
        elif isinstance(node, ast.FunctionDef):
            stub_functions[node.name] = params(node)
    native_classes = {n for n, o in vars(_native).items() if inspect.isclass(o)}
    native_functions = {n for n, o in vars(_native).items() if callable(o) and not inspect.isclass(o) and not n.startswith("_")}
    assert native_classes == set(stub_classes), "classes in the module and the stub differ"
    assert native_functions == set(stub_functions), "functions in the module and the stub differ"
    for name, ps in stub_functions.items():
        assert list(inspect.signature(getattr(_native, name)).parameters) == ps, name
        fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
        same_defaults(inspect.signature(getattr(_native, name)), fn, name)
    for cls, members in stub_classes.items():
        public = {m for m in dir(getattr(_native, cls)) if not m.startswith("_")}
        assert public == {m for m in members if not m.startswith("_")}, cls
    assert sys.version_info >= (3, 9)


def test_the_readme_names_real_classes_platforms_the_emulator_and_the_async_example() -> None:
    text = (SOURCE / "README.md").read_text()
    # Every capbridge name it cites exists, and the timeout class under its real name.
    for name in set(re.findall(r"`capbridge\.(\w+)", text)) | set(re.findall(r"`(\w+Error)`", text)):
        assert hasattr(capbridge, name) or hasattr(builtins, name), f"README cites {name}, which does not exist"
    assert "`SolveTimeoutError`" in text
    # Platforms built and tested here, and what is not.
    for words in ("Linux x86_64", "manylinux2014", "abi3", "Debian", "macOS", "Windows", "untested"):
        assert words in text, words
    # How a pip user gets the emulator (inside the wheel) and points code at it.
    assert "from capbridge.testing import emulator" in text and "capbridge_emulator" in text
    assert "cargo run" not in text
    assert "base_url=" in text
    # The asyncio browser-flow example, by name; the first waits next to the first example.
    assert "examples/python/browser_flow.py" in text and "AsyncClient" in text
    first_example = text.split("```python", 1)[1].split("```", 1)[0]
    assert "20 s" in first_example and "polls first" in first_example


def test_options_follow_the_core_table() -> None:
    """The clients' keyword arguments are the core's table of options (rendered from it), and
    the verbs that poll (solve, wait) take the options a solve takes."""
    catalogue = json.loads((VECTORS / "catalogue.json").read_text())
    names = [o["name"] for o in catalogue["options"]]
    for cls in (capbridge.Client, capbridge.AsyncClient):
        init = inspect.signature(cls.__init__).parameters
        assert [n for n in init if n not in ("self", "on_event")] == names, cls
        for o in catalogue["options"]:
            assert o["name"] in (cls.__doc__ or ""), (cls, o["name"])
    per_solve = [o["name"] for o in catalogue["options"] if o["per_solve"]]
    assert per_solve == ["timeout", "initial_delay", "poll_interval", "request_timeout"]
    for cls in (capbridge.Client, capbridge.AsyncClient):
        for verb in ("solve", "wait"):
            params = inspect.signature(getattr(cls, verb)).parameters
            assert all(p in params for p in per_solve), (cls.__name__, verb)
