"""The pytest plugin of capbridge (registered by installing the package, through the
``pytest11`` entry point): a ``capbridge_emulator`` fixture that yields a running
:class:`capbridge.testing.Emulator` for each test and stops it afterwards.

::

    import capbridge
    import pytest

    @pytest.mark.capbridge_emulator(time_scale=0.01)
    def test_login(capbridge_emulator):
        with capbridge.Client(capbridge_emulator.url, capbridge_emulator.api_key,
                              initial_delay=0.05, poll_interval=0.05) as client:
            assert client.solve(capbridge.Turnstile("https://example.com/", "0x4AAAAAAAB")).answer

The marker's keyword arguments are the emulator's settings (the binary's flags by name); it
takes no positional argument, and a wrong setting fails the test at setup, naming the marker.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, Mapping, Optional

import pytest

from .testing import _SETTINGS, Emulator, SettingValue, emulator

MARKER = "capbridge_emulator"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**settings): settings of the {MARKER} fixture (the emulator binary's flags by name)",
    )


def _call(args: Any, kwargs: Mapping[str, Any]) -> str:
    """The marker as written, for messages: ``@pytest.mark.capbridge_emulator(0.01)``."""
    shown = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"@pytest.mark.{MARKER}({', '.join(shown)})"


def _settings_of(marker: Optional[pytest.Mark]) -> Dict[str, SettingValue]:
    """The emulator's settings a marker gives: its keyword arguments. A positional argument
    (``capbridge_emulator(0.01)``) would otherwise be dropped without a word, and the test run
    with the defaults it meant to change: it fails the test instead, naming the settings."""
    if marker is None:
        return {}
    if marker.args:
        pytest.fail(
            f"{_call(marker.args, marker.kwargs)}: the emulator's settings are keyword arguments "
            f"(known: {', '.join(_SETTINGS)}), such as @pytest.mark.{MARKER}(time_scale=0.01)",
            pytrace=False,
        )
    return dict(marker.kwargs)


@pytest.fixture
def capbridge_emulator(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """A running in-process emulator of every captcha service, one per test."""
    marker = request.node.get_closest_marker(MARKER)
    settings = _settings_of(marker)
    emu: Optional[Emulator] = None
    refused = ""
    try:
        emu = emulator(**settings)
    except ValueError as e:
        refused = str(e)
    if emu is None:
        # A misspelt or bad setting: said once, with the marker that gave it, without the
        # plugin's own frames (failed outside the `except`, so without the chained error).
        pytest.fail(f"{_call((), settings)}: {refused}", pytrace=False)
    with emu:
        yield emu
