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


def test_the_version_is_read_from_the_rustc_cargo_uses(
    backend: types.ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path
) -> None:
    for name, script, expect in [
        ("nightly", 'echo "rustc 1.90.0-nightly (abc 2025-01-01)"', (1, 90)),
        ("broken", 'echo "error: no default is configured" >&2; exit 1', "no default is configured"),
    ]:
        fake = tmp_path / name
        fake.write_text(f"#!/bin/sh\n{script}\n")
        fake.chmod(0o755)
        monkeypatch.setenv("RUSTC", str(fake))
        got = backend._rustc_version()
        assert got == expect if isinstance(expect, tuple) else expect in got, got


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
    # A rustup without a toolchain: rustc is on PATH but does not run.
    monkeypatch.setattr(backend, "_rustc_version", lambda: "rustc --version failed: error: no default is configured")
    with pytest.raises(SystemExit) as e:
        backend._require_rust()
    assert "no default is configured" in str(e.value), str(e.value)
    monkeypatch.setattr(backend.shutil, "which", lambda tool: None)
    with pytest.raises(SystemExit) as e:
        backend._require_rust()
    assert "cargo and rustc are not on PATH" in str(e.value)
