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

The marker's keyword arguments are the emulator's settings (the binary's flags by name).
"""

from __future__ import annotations

from typing import Iterator

import pytest

from .testing import Emulator, emulator

MARKER = "capbridge_emulator"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**settings): settings of the {MARKER} fixture (the emulator binary's flags by name)",
    )


@pytest.fixture
def capbridge_emulator(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """A running in-process emulator of every captcha service, one per test."""
    marker = request.node.get_closest_marker(MARKER)
    settings = dict(marker.kwargs) if marker is not None else {}
    with emulator(**settings) as emu:
        yield emu
