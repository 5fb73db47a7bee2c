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


# --- generated from the table of options (cargo run -p capbridge-codegen): do not edit ---


class ProviderEntry(TypedDict, total=False):
    """The fields of ``providers``: failover: more providers to move a solve to when the ones
    before fail, in order."""

    provider: str
    """A preset name ("2captcha", "capsolver", ...) or the service's base URL (http:// or
    https://)."""
    api_key: str
    """The account's API key."""
    base_url: str
    """Another base URL for the provider, keeping its behaviour (tests, proxies, mirrors). Default:
    the provider's own."""
    protocol: Literal["form", "json"]
    """The protocol family of a provider given as a base URL (a preset knows its own). Default:
    "form"."""


class FailoverPolicy(TypedDict, total=False):
    """The fields of ``failover``: when a solve moves to the next provider."""

    busy_for: Seconds
    """Move on when the provider has had no free slot (or asked to slow down) this long, in seconds
    (or a datetime.timedelta). Default: 30 s. From 0 s to 255 days."""
    outage_attempts: int
    """Move on after this many submits in a row without a usable reply. Default: 3. From 0 to
    4294967295."""
    on_unsolvable: bool
    """Move on when the provider says the captcha is unsolvable. Default: True."""


class Limits(TypedDict, total=False):
    """The fields of ``limits``: the request limits of a provider given as a base URL; fields left
    out keep its own."""

    submit_interval: Seconds
    """Least time between two submits, in seconds (or a datetime.timedelta). Default: the
    provider's. From 0 s to 255 days."""
    submit_window: Seconds
    """The sliding window of the submit cap, in seconds (or a datetime.timedelta). Default: the
    provider's. From 0 s to 255 days."""
    submits_per_window: int
    """Most submits in one window. Default: the provider's. From 0 to 4294967295."""
    polls_per_task: int
    """Poll requests allowed per task sent, account-wide. Default: the provider's."""
    poll_allowance: int
    """Poll requests allowed on top of polls_per_task. Default: the provider's."""
    max_polls_per_task: int
    """Most polls of one task. Default: the provider's (none: no cap). From 0 to 4294967295."""
    min_poll_interval: Seconds
    """Least time between two polls of one task, in seconds (or a datetime.timedelta). Default: the
    provider's. From 0 s to 255 days."""
    balance_interval: Seconds
    """Least time between two balance requests (a sooner one gets the last reply), in seconds (or a
    datetime.timedelta). Default: the provider's. From 0 s to 255 days."""
    no_slot_wait: Seconds
    """Wait before resubmitting after "no slot available", in seconds (or a datetime.timedelta).
    Default: the provider's. From 0 s to 255 days."""
    rate_limit_wait: Seconds
    """Pause of all submits after "too many requests" when the service names no wait, in seconds
    (or a datetime.timedelta). Default: the provider's. From 0 s to 255 days."""
    zero_balance_wait: Seconds
    """Time during which submits fail at once, unsent, after a zero balance, in seconds (or a
    datetime.timedelta). Default: the provider's. From 0 s to 255 days."""


class RetryPolicy(TypedDict, total=False):
    """The fields of ``retry``: retry and backoff settings."""

    base_delay: Seconds
    """First backoff delay after a transient failure, in seconds (or a datetime.timedelta).
    Default: 1 s. From 0 s to 255 days."""
    max_delay: Seconds
    """Longest backoff delay, in seconds (or a datetime.timedelta). Default: 20 s. From 0 s to 255
    days."""
    unknown_submit_retries: int
    """Resubmits allowed after submits whose outcome is unknown (each may be charged). Default: 2.
    From 0 to 4294967295."""
    max_attempts: int
    """Attempts of a call outside a solve (submit, result, balance, report). Default: 3. From 0 to
    4294967295."""
# --- end of generated options ---


ProviderLike = Union[ProviderEntry, Tuple[str, str]]
"""A failover entry: ``("capsolver", key)`` or ``{"provider": "capsolver", "api_key": key}``."""

__all__ = [
    "CharacterSet", "ErrorKind", "FailoverPolicy", "ImageUpload", "Limits", "ProtocolName",
    "ProviderEntry", "ProviderLike", "ProviderName", "RetryPolicy", "Seconds", "Step", "TaskKind",
]
