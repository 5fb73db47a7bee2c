"""The local emulator of every captcha service, inside the package: test a scraper offline,
for free, against each provider's dialect, without Rust or a clone of the repository.

::

    import capbridge
    from capbridge.testing import emulator

    with emulator(time_scale=0.01) as emu:
        with capbridge.Client(emu.url, emu.api_key, initial_delay=0.05, poll_interval=0.05) as client:
            print(client.solve(capbridge.Turnstile("https://example.com/", "0x4AAAAAAAB")).answer)
        print(emu.counters()["tasks_accepted"])

The emulator runs in this process on a thread of its own and serves real HTTP on 127.0.0.1.
Settings are the ``capbridge-emulator`` binary's flags by name (``time_scale=0.01``,
``delay_ms=(50, 200)``, ``no_limits=True``, ``strict_accounts=True``,
``account=["<key>:5"]``, ``balance=0``, ``seed=7``, ``port=0``,
``solve_time="lognormal:12000,0.35"`` or a list with ``"RecaptchaV2=fixed:5000"``); the object it yields drives
the emulator's admin API (faults, rules, delays, accounts, counters, the requests it got).

From a shell (for any language's tests): ``python -m capbridge.testing --time-scale 0.1``
prints the base URL and serves until Ctrl-C, as the ``capbridge-emulator`` binary does.

With pytest, the ``capbridge_emulator`` fixture (a pytest plugin that installing the package
registers) yields one per test; ``@pytest.mark.capbridge_emulator(time_scale=0.01)`` gives it
settings.
"""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.parse
import urllib.request
from types import TracebackType
from typing import Any, Dict, List, Optional, Sequence, Tuple, Type, Union

from . import _native

__all__ = ["AdminError", "AdminNotFound", "AdminRefused", "Emulator", "SettingValue", "emulator"]

#: A setting's value: text as on the command line, a number, a switch's bool, a
#: ``(min, max)`` pair for ``delay_ms``, or a list for ``account``, ``solve_time`` and ``site``.
SettingValue = Union[str, int, float, bool, Tuple[int, int], Sequence[str]]

#: A key that the emulator treats as an account (any 32 characters are one, by default).
DEFAULT_API_KEY = "0123456789abcdef0123456789abcdef"


#: Every setting, by name: the ``capbridge-emulator`` binary's flags as keywords (a test
#: checks that the binary knows exactly these), for errors that list them.
_SETTINGS = ("port", "time_scale", "delay_ms", "solve_time", "no_limits", "strict_accounts", "account",
             "balance", "seed", "site")

#: The settings that may be given several times (a list of values).
_REPEATABLE = ("account", "solve_time", "site")


def _setting_pairs(settings: Dict[str, SettingValue]) -> List[Tuple[str, Optional[str]]]:
    """The settings as the native side takes them: (name, text) pairs, ``account``,
    ``solve_time`` and ``site`` repeated; any other setting given as a pair is a range
    (``delay_ms=(100, 300)`` or ``[100, 300]``)."""
    pairs: List[Tuple[str, Optional[str]]] = []
    for name, value in settings.items():
        if isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
        elif isinstance(value, (str, int, float)):
            pairs.append((name, str(value)))
        elif name in _REPEATABLE and isinstance(value, (Sequence, set, frozenset)):
            pairs.extend((name, str(item)) for item in value)
        elif isinstance(value, Sequence) and len(value) == 2:
            low, high = value
            pairs.append((name, f"{low}-{high}"))
        else:
            raise ValueError(
                f"{name}={value!r}: expected a value, or a (min, max) pair; only "
                f"{' and '.join(_REPEATABLE)} take a list of values"
            )
    return pairs


class AdminError(urllib.error.HTTPError):
    """An error reply of the emulator's admin API, its reason (the reply's ``error``) in the
    message: ``HTTP Error 404: GET /emulator/tasks/7: no such task``. Still the
    ``urllib.error.HTTPError`` it used to be (``code``; ``read()`` gives the reply), so that
    code written against that keeps working."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}: {self.msg!r}>"


class AdminRefused(AdminError, ValueError):
    """The admin API refused a request as malformed (HTTP 400): an unknown fault, rule field or
    setting, a value of the wrong type. A ``ValueError``, as a bad argument is."""


class AdminNotFound(AdminError, LookupError):
    """The admin API has no such thing (HTTP 404): a task or account it never saw, or an
    endpoint. A ``LookupError``, as a missing key is."""


def _admin_error(method: str, path: str, e: urllib.error.HTTPError) -> AdminError:
    """The emulator's error reply as an exception that says why, rather than urllib's bare
    ``HTTP Error 400: Bad Request`` with the reason left unread in the body."""
    try:
        body = e.read()
    finally:
        e.close()
    reason: str = str(e.reason)
    text = body.decode("utf-8", "replace").strip()
    try:
        decoded = json.loads(text)
    except ValueError:
        decoded = None
    if isinstance(decoded, dict) and isinstance(decoded.get("error"), str):
        reason = decoded["error"]
    elif text:
        reason = text[:500]
    request = f"{method} /emulator/{urllib.parse.unquote(path)}"
    message = reason if request in reason else f"{request}: {reason}"
    cls = {400: AdminRefused, 404: AdminNotFound}.get(e.code, AdminError)
    return cls(e.url, e.code, message, e.headers, io.BytesIO(body))


class Emulator:
    """A running in-process emulator: its base URL, and its admin API as methods.

    ``url`` is the form protocol's base (``in.php``, ``res.php``) and the json protocol's
    tolerant ``generic`` dialect; ``url_for("capsolver")`` is a provider's dialect. Use it as a
    context manager, or call :meth:`close`.
    """

    def __init__(self, **settings: SettingValue) -> None:
        self._native = _native.start_emulator(_setting_pairs(settings))
        #: The base URL, ``http://127.0.0.1:PORT/``.
        self.url: str = self._native.url
        #: A key the emulator accepts as an account (with its default settings).
        self.api_key: str = DEFAULT_API_KEY

    def url_for(self, prefix: str) -> str:
        """The base URL of a provider's dialect: ``"capsolver"``, ``"anti-captcha"``,
        ``"capmonster"``, ``"nextcaptcha"``, ``"2captcha-v2"`` (json protocol) or
        ``"2captcha"``, ``"rucaptcha"``, ``"captchaai"``, ``"bigcaptcha"`` (form protocol).
        Give it to a preset as ``base_url=``."""
        prefix = prefix.strip("/")
        return self.url + prefix + "/" if prefix else self.url

    def admin(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        """One request to the admin API (``/emulator/<path>``), its JSON reply decoded. An
        error reply raises :class:`AdminRefused` (a ``ValueError``: HTTP 400, a malformed
        request), :class:`AdminNotFound` (a ``LookupError``: HTTP 404, no such task, account or
        endpoint) or :class:`AdminError`, each an ``urllib.error.HTTPError`` whose message holds
        the status and the emulator's reason."""
        path = path.lstrip("/")
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + "emulator/" + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                return json.loads(reply.read())
        except urllib.error.HTTPError as e:
            raise _admin_error(method, path, e) from None

    def counters(self) -> Dict[str, Any]:
        """Every request counted so far: ``requests``, ``tasks_accepted``, ``polls``,
        ``violations`` (limits broken), ``replies`` by code, ``keys``, ..."""
        result: Dict[str, Any] = self.admin("GET", "counters")
        return result

    def config(self) -> Dict[str, Any]:
        """The current settings (``time_scale``, ``limits``, ``default_delay``, ...)."""
        result: Dict[str, Any] = self.admin("GET", "config")
        return result

    def configure(self, **fields: Any) -> Dict[str, Any]:
        """Changes settings while it runs (fields of :meth:`config`); returns the new ones."""
        result: Dict[str, Any] = self.admin("POST", "config", fields)
        return result

    def fault(self, **fault: Any) -> None:
        """Adds a fault: ``fault(fault="html502", endpoint="in", count=2)``,
        ``fault(fault="drop", endpoint="res", share=0.5)``, ... (the emulator's README lists
        them)."""
        self.admin("POST", "faults", fault)

    def clear_faults(self) -> None:
        self.admin("DELETE", "faults")

    def rule(self, **rule: Any) -> None:
        """Adds an outcome rule: ``rule(when={"kind": "RecaptchaV2"},
        result_error="ERROR_CAPTCHA_UNSOLVABLE", times=1)``, ``rule(answer="abc")``, ..."""
        self.admin("POST", "rules", rule)

    def clear_rules(self) -> None:
        self.admin("DELETE", "rules")

    def delay(self, min_ms: int, max_ms: Optional[int] = None, kind: Optional[str] = None) -> None:
        """The solve delay, in emulated milliseconds, of one kind (``"RecaptchaV2"``) or of
        every kind without its own: ``min_ms`` always, or uniform from ``min_ms`` to ``max_ms``
        (``max_ms`` below ``min_ms`` is refused: :class:`AdminRefused`)."""
        body: Dict[str, Any] = {"min_ms": min_ms, "max_ms": max_ms if max_ms is not None else min_ms}
        if kind is not None:
            body["kind"] = kind
        self.admin("POST", "delays", body)

    def account(self, key: str, balance: Optional[float] = None, exists: bool = True) -> None:
        """Creates or funds an account; ``exists=False`` makes the key unknown."""
        body: Dict[str, Any] = {"key": key, "exists": exists}
        if balance is not None:
            body["balance"] = balance
        self.admin("POST", "accounts", body)

    def balance(self, key: str) -> float:
        result: float = self.admin("GET", "accounts/" + urllib.parse.quote(key, safe=""))["balance"]
        return result

    def task(self, task_id: str) -> Dict[str, Any]:
        """What the emulator knows of a task: what it received, its state, its answer."""
        result: Dict[str, Any] = self.admin("GET", "tasks/" + urllib.parse.quote(task_id, safe=""))
        return result

    def tasks(self, key: str) -> List[Union[int, str]]:
        """Every task id created for a key, in order."""
        result: List[Union[int, str]] = self.admin("GET", "tasks?key=" + urllib.parse.quote(key, safe=""))["ids"]
        return result

    def requests(self, limit: int = 100) -> List[Dict[str, Any]]:
        """The latest protocol requests, oldest first (method, path, key, endpoint, ...)."""
        result: List[Dict[str, Any]] = self.admin("GET", f"requests?limit={int(limit)}")["requests"]
        return result

    def reset(self) -> None:
        """Forgets accounts, tasks, rules, faults, limits and counters; keeps the settings."""
        self.admin("POST", "reset")

    def close(self) -> None:
        """Stops serving; a second call does nothing."""
        self._native.close()

    def __enter__(self) -> "Emulator":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<capbridge.testing.Emulator {getattr(self, 'url', '(not started)')}>"


def emulator(**settings: SettingValue) -> Emulator:
    """Starts the emulator in this process; use it as a context manager (``with
    emulator(time_scale=0.01) as emu:``), which stops it on leaving. Settings are the
    ``capbridge-emulator`` binary's flags by name; an unknown name or a bad value raises
    ``ValueError`` naming it."""
    return Emulator(**settings)


def _flags(argv: Sequence[str]) -> Dict[str, SettingValue]:
    """Command-line flags as settings: ``--name VALUE``, ``--name=VALUE``, a switch alone."""
    settings: Dict[str, SettingValue] = {}
    repeated: Dict[str, List[str]] = {}  # account, solve_time, site: every one given
    i = 0
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("--"):
            raise SystemExit(f"capbridge.testing: unexpected argument {arg!r}")
        name, sep, value = arg[2:].partition("=")
        if not sep:
            if i + 1 < len(argv) and not argv[i + 1].startswith("--"):
                value = argv[i + 1]
                i += 1
            else:
                value = "true"
        if name.replace("-", "_") in _REPEATABLE:  # --solve-time as solve_time: one list
            repeated.setdefault(name.replace("-", "_"), []).append(value)
        else:
            settings[name] = value
        i += 1
    settings.update(repeated)
    return settings


def main(argv: Optional[Sequence[str]] = None) -> None:
    """``python -m capbridge.testing [FLAGS]``: serves until interrupted; prints the URL first."""
    import sys
    import threading

    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] in (["-h"], ["--help"]):
        print("usage: python -m capbridge.testing [--port N] [--time-scale F] [--delay-ms MIN[-MAX]] "
              "[--no-limits] [--strict-accounts] [--account KEY[:BAL]]... [--balance F] [--seed N] "
              "[--solve-time [KIND=]fixed:MS|uniform:MIN-MAX|lognormal:MEDIAN,SIGMA]... "
              "[--site SITEKEY=SECRET]...")
        return
    try:
        emu = emulator(**_flags(args))
    except ValueError as e:
        raise SystemExit(f"capbridge.testing: {e}") from None
    with emu:
        print(emu.url, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
