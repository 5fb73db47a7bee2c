"""The package's shape: exports, typing markers, and stubs that match the native module."""

from __future__ import annotations

import ast
import inspect
import pathlib
from typing import Dict, List, Set

import capbridge
from capbridge import _native

PKG = pathlib.Path(capbridge.__file__).parent


def test_typed_package_and_exports() -> None:
    assert (PKG / "py.typed").exists()
    assert (PKG / "_native.pyi").exists()
    for name in capbridge.__all__:
        assert hasattr(capbridge, name), name
    assert capbridge.__version__ == _native.__version__


def stub_tree() -> ast.Module:
    return ast.parse((PKG / "_native.pyi").read_text())


def params(fn: ast.FunctionDef) -> List[str]:
    a = fn.args
    names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
    return [n for n in names if n != "self"]


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
                if isinstance(n, ast.FunctionDef) and n.name == "__init__":
                    sig = inspect.signature(obj)
                    assert [p for p in sig.parameters if p != "self"] == params(n), f"{node.name}.__init__"
        elif isinstance(node, ast.FunctionDef):
            stub_functions[node.name] = params(node)
    native_classes = {n for n, o in vars(_native).items() if inspect.isclass(o)}
    native_functions = {n for n, o in vars(_native).items() if callable(o) and not inspect.isclass(o) and not n.startswith("_")}
    assert native_classes == set(stub_classes), "classes in the module and the stub differ"
    assert native_functions == set(stub_functions), "functions in the module and the stub differ"
    for name, ps in stub_functions.items():
        assert list(inspect.signature(getattr(_native, name)).parameters) == ps, name
    for cls, members in stub_classes.items():
        public = {m for m in dir(getattr(_native, cls)) if not m.startswith("_")}
        assert public == {m for m in members if not m.startswith("_")}, cls
