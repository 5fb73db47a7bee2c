"""Names of things, as types: task kinds, error kinds, providers, event steps, and the dicts
that group client options (request limits, retry policy, failover, a failover entry).

These are for type checkers and ``help()`` only: the values go to capbridge's core as they
are, which checks every one and names what is wrong.
"""

from __future__ import annotations

import datetime
from typing import Literal, Tuple, TypedDict, Union

Seconds = Union[float, datetime.timedelta]
"""A duration: seconds as a number, or a :class:`datetime.timedelta`."""

# --- generated from the catalogue of kinds (cargo run -p capbridge-codegen): do not edit ---
TaskKind = Literal[
    "ImageToText", "RecaptchaV2", "RecaptchaV3", "HCaptcha", "FunCaptcha", "Turnstile",
    "CloudflareChallenge", "GeeTest", "GeeTestV4", "AmazonWaf", "DataDome", "MtCaptcha",
    "FriendlyCaptcha", "Coordinates", "Grid", "TextCaptcha", "Audio", "Rotate", "Lemin", "Raw"
]
"""The kind of a task: the name of its class."""
# --- end of generated ---

ErrorKind = Literal[
    "invalid_task", "auth", "balance", "rate_limited", "proxy", "unsolvable", "not_found",
    "report", "timeout", "network", "service", "cancelled", "usage",
]
"""The kind of an error: the same names in every language capbridge speaks."""

ProviderName = Literal[
    "bigcaptcha", "captchaai", "2captcha", "rucaptcha",
    "nextcaptcha", "anti-captcha", "capmonster", "capsolver", "2captcha-v2",
]
"""A preset: the first four speak the form protocol (``in.php``/``res.php``), the others the
json protocol (``createTask``/``getTaskResult``)."""

ProtocolName = Literal["form", "json"]
"""The wire protocol of a provider given as a base URL."""

Step = Literal[
    "submitting", "submitted", "polled", "retrying", "switched_provider", "solved", "failed",
    "shared_limits",
]
"""What happened in a :class:`SolveEvent`. ``"shared_limits"`` is not part of a solve: the
key's limits moved between Redis and this process (``Client(..., shared_limits=...)``)."""

ImageUpload = Literal["base64", "multipart"]
"""How :class:`ImageToText` sends its image: base64 text, or a multipart file upload."""

CharacterSet = Literal["any", "numbers_only", "letters_only", "numbers_or_letters", "numbers_and_letters"]
"""Which characters an image's answer holds (``ImageToText(numeric=...)``; also 0 to 4)."""


class Limits(TypedDict, total=False):
    """Request limits a provider given as a base URL declares (``Client(url, key, limits={...})``;
    a preset's limits are its service's own and cannot be changed). Durations in seconds;
    unset fields keep the form protocol's documented limits."""

    submit_interval: Seconds
    """Least time between two submits (default 0.1 s)."""
    submit_window: Seconds
    """The sliding window of the submit cap (default 3 s)."""
    submits_per_window: int
    """Most submits in one window (default 60)."""
    polls_per_task: int
    """Poll requests allowed per task sent, account-wide (default 20)."""
    poll_allowance: int
    """Poll requests allowed on top (default 1200)."""
    max_polls_per_task: int
    """Most polls of one task (default: no cap)."""
    min_poll_interval: Seconds
    """Least time between two polls of one task (default 0 s)."""
    balance_interval: Seconds
    """Least time between two balance requests (default 0 s)."""
    no_slot_wait: Seconds
    """Wait before resubmitting after "no slot available" (default 5 s)."""
    rate_limit_wait: Seconds
    """Pause of all submits after "too many requests" (default 10 s)."""
    zero_balance_wait: Seconds
    """Time submits fail at once, unsent, after a zero balance (default 60 s)."""


class RetryPolicy(TypedDict, total=False):
    """How transient failures are retried (``Client(..., retry={...})``). Durations in seconds."""

    base_delay: Seconds
    """First backoff delay (default 1 s), doubling per attempt."""
    max_delay: Seconds
    """Longest backoff delay (default 20 s)."""
    unknown_submit_retries: int
    """Resubmits of a submit whose outcome is unknown (default 2)."""
    max_attempts: int
    """Attempts of a call outside a solve: balance, result, report (default 3)."""


class FailoverPolicy(TypedDict, total=False):
    """When a solve moves to the next provider of ``providers=[...]``."""

    busy_for: Seconds
    """Seconds a provider may answer "no slot" before the solve moves on (default 30)."""
    outage_attempts: int
    """Failed attempts of a provider that is down before the solve moves on (default 3)."""
    on_unsolvable: bool
    """Move on when a provider answers that the captcha is unsolvable (default True)."""


class ProviderEntry(TypedDict, total=False):
    """One provider of a failover list, as a dict (a ``(provider, api_key)`` pair works too)."""

    provider: str
    """A preset name or a base URL."""
    api_key: str
    """That provider's key."""
    base_url: str
    """Another base URL for a preset, keeping its behaviour."""
    protocol: ProtocolName
    """``"form"`` or ``"json"``, for a base URL."""


ProviderLike = Union[ProviderEntry, Tuple[str, str]]
"""A failover entry: ``("capsolver", key)`` or ``{"provider": "capsolver", "api_key": key}``."""

__all__ = [
    "CharacterSet", "ErrorKind", "FailoverPolicy", "ImageUpload", "Limits", "ProtocolName",
    "ProviderEntry", "ProviderLike", "ProviderName", "RetryPolicy", "Seconds", "Step", "TaskKind",
]
