"""The vendored files are 2captcha-python's, byte for byte: each file's git blob id is the one
``UPSTREAM-FILES`` records from the upstream commit, and no test file was added beside them.
A shim fix must never be an edit of the tests that judge it."""

from __future__ import annotations

import hashlib
import pathlib
from typing import Dict

HERE = pathlib.Path(__file__).resolve().parent


def _blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _manifest() -> Dict[str, str]:
    entries: Dict[str, str] = {}
    for line in (HERE / "UPSTREAM-FILES").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            blob, path = line.split(" ", 1)
            entries[path] = blob
    return entries


def test_every_vendored_file_is_upstreams() -> None:
    manifest = _manifest()
    assert len(manifest) == 84
    changed = [p for p, blob in manifest.items() if _blob_id((HERE / p).read_bytes()) != blob]
    assert changed == []


def test_no_file_added_among_the_vendored() -> None:
    manifest = _manifest()
    present = {
        p.relative_to(HERE).as_posix()
        for folder in ("tests", "examples")
        for p in (HERE / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert present - set(manifest) == set()
