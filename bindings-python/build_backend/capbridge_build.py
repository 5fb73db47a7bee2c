"""capbridge's build backend for the sdist: maturin's, behind one check.

pip builds from the sdist only where no wheel fits (wheels cover manylinux and musllinux on
x86_64 and aarch64, macOS and Windows). Building needs the Rust toolchain; without it, maturin
would fail on a missing ``cargo`` deep in its output, or fetch a toolchain behind the user's
back. This says plainly what is missing and what to do, before anything is built.
"""

from __future__ import annotations

import os
import re
import subprocess
import platform
import shutil
import sys
from typing import Any, Dict, List, Optional, Tuple, Union

import maturin  # type: ignore[import-untyped]  # no type information

MESSAGE = """
capbridge: no prebuilt wheel fits this platform ({where}), or pip was told not to use
one, so pip is building capbridge from its source. That needs the Rust toolchain (cargo and
rustc {minimum} or newer): {missing}.

  * Install Rust (https://rustup.rs), open a new shell so that cargo is on PATH, and run the
    same pip command again; the build takes a few minutes.
  * Or let maturin fetch a temporary toolchain for this one build: set CAPBRIDGE_INSTALL_RUST=1.
  * Or use a platform with a wheel: Linux (glibc 2.17+ or musl 1.2+) on x86_64 or aarch64,
    macOS, Windows x86_64; and a pip new enough to know those tags (pip install -U pip).
"""


# The crates' `rust-version` (Cargo.toml); a test keeps the two equal.
MINIMUM_RUST = (1, 88)


def _rustc_version() -> Union[Tuple[int, int], str]:
    """The version of the rustc cargo will use (``$RUSTC``, else ``rustc``) as (major, minor),
    or why it could not be read."""
    rustc = os.environ.get("RUSTC") or "rustc"
    try:
        run = subprocess.run([rustc, "--version"], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return f"{rustc} --version did not answer within 60 s"
    except OSError as e:
        return f"{rustc} does not run ({e})"
    m = re.match(r"rustc (\d+)\.(\d+)", run.stdout)
    if run.returncode == 0 and m:
        return (int(m.group(1)), int(m.group(2)))
    said = (run.stderr.strip() or run.stdout.strip() or f"exit status {run.returncode}").splitlines()[0]
    return f"{rustc} --version failed: {said}"


def _require_rust() -> None:
    if os.environ.get("CAPBRIDGE_INSTALL_RUST") == "1":
        return  # maturin installs a temporary toolchain (puccinialin) itself
    missing = [tool for tool in ("cargo", "rustc") if shutil.which(tool) is None]
    problem = None
    if missing:
        problem = " and ".join(missing) + (" are" if len(missing) > 1 else " is") + " not on PATH"
    else:
        found = _rustc_version()
        if isinstance(found, str):
            problem = found + " (a rustup without a toolchain: rustup default stable)"
        elif found < MINIMUM_RUST:
            problem = f"rustc on PATH is {found[0]}.{found[1]} (rustup update)"
    if problem:
        where = f"{sys.platform} {platform.machine()}, Python {platform.python_version()}"
        minimum = ".".join(map(str, MINIMUM_RUST))
        # SystemExit: pip shows the message as it is, without a traceback around it.
        raise SystemExit(MESSAGE.format(where=where, missing=problem, minimum=minimum))


def get_requires_for_build_wheel(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    _require_rust()
    result: List[str] = maturin.get_requires_for_build_wheel(config_settings)
    return result


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: Optional[Dict[str, Any]] = None) -> str:
    _require_rust()
    result: str = maturin.prepare_metadata_for_build_wheel(metadata_directory, config_settings)
    return result


def build_wheel(
    wheel_directory: str,
    config_settings: Optional[Dict[str, Any]] = None,
    metadata_directory: Optional[str] = None,
) -> str:
    _require_rust()
    result: str = maturin.build_wheel(wheel_directory, config_settings, metadata_directory)
    return result


def build_sdist(sdist_directory: str, config_settings: Optional[Dict[str, Any]] = None) -> str:
    result: str = maturin.build_sdist(sdist_directory, config_settings)
    return result


def get_requires_for_build_sdist(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    result: List[str] = maturin.get_requires_for_build_sdist(config_settings)
    return result


def build_editable(
    wheel_directory: str,
    config_settings: Optional[Dict[str, Any]] = None,
    metadata_directory: Optional[str] = None,
) -> str:
    _require_rust()
    result: str = maturin.build_editable(wheel_directory, config_settings, metadata_directory)
    return result


get_requires_for_build_editable = get_requires_for_build_wheel
