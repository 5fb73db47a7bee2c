"""The sdist's build backend (bindings-python/build_backend): the Rust version it asks for is
the crates' own, and an older rustc is named before anything is built."""

from __future__ import annotations

import importlib
import pathlib
import re
import sys
import types
from typing import Iterator

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture()
def backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[types.ModuleType]:
    # The backend imports maturin, which a test needs not have: a stand-in module will do.
    monkeypatch.setitem(sys.modules, "maturin", types.ModuleType("maturin"))
    monkeypatch.syspath_prepend(str(REPO / "bindings-python" / "build_backend"))
    monkeypatch.delenv("CAPBRIDGE_INSTALL_RUST", raising=False)
    module = importlib.import_module("capbridge_build")
    yield module
    sys.modules.pop("capbridge_build", None)


def test_the_minimum_rust_is_the_crates_rust_version(backend: types.ModuleType) -> None:
    m = re.search(r'^rust-version = "(\d+)\.(\d+)"', (REPO / "Cargo.toml").read_text(), re.M)
    assert m, "no rust-version in Cargo.toml"
    assert backend.MINIMUM_RUST == (int(m.group(1)), int(m.group(2)))


def test_an_old_rustc_is_named_before_anything_is_built(
    backend: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backend.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    monkeypatch.setattr(backend, "_rustc_version", lambda: (1, 85))
    with pytest.raises(SystemExit) as e:
        backend._require_rust()
    text = str(e.value)
    assert "rustc on PATH is 1.85" in text and "1.88 or newer" in text, text
    monkeypatch.setattr(backend, "_rustc_version", lambda: backend.MINIMUM_RUST)
    backend._require_rust()  # new enough: no exit
    monkeypatch.setattr(backend.shutil, "which", lambda tool: None)
    with pytest.raises(SystemExit) as e:
        backend._require_rust()
    assert "cargo and rustc are not on PATH" in str(e.value)
