"""Verification of the router's callbacks, written to the Standard Webhooks specification (v1 signatures).

A delivery carries ``webhook-id``, ``webhook-timestamp`` (Unix seconds) and ``webhook-signature`` (space-separated
``v1,<base64 HMAC-SHA256>``), the HMAC taken with the app's secret (``whsec_`` + base64, from
``POST /v1/apps/{app}/webhook-secret``) over ``<id>.<timestamp>.<body>``. A receiver checks the signature on the raw
body, before parsing it, and refuses a timestamp far from now (a replay).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from typing import Mapping

DEFAULT_TOLERANCE_SECONDS = 300
_PREFIX = "whsec_"


class InvalidSignature(Exception):
    """The delivery is not from the router holding this secret, was altered, or is too old or too new."""


def verify(secret: str, headers: Mapping[str, str], body: bytes | str, *,
           tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS, now: float | None = None) -> None:
    """Raises :class:`InvalidSignature` unless ``body`` (the raw bytes received) was signed with ``secret``.

    ``headers`` may use any letter case. ``now`` (Unix seconds) is for tests.
    """
    lower = {k.lower(): v for k, v in headers.items()}
    msg_id, timestamp, signatures = (lower.get("webhook-id"), lower.get("webhook-timestamp"),
                                     lower.get("webhook-signature"))
    if not msg_id or not timestamp or not signatures:
        raise InvalidSignature("missing webhook-id, webhook-timestamp or webhook-signature")
    try:
        sent = int(timestamp)
    except ValueError as e:
        raise InvalidSignature("webhook-timestamp is not a number of seconds") from e
    current = time.time() if now is None else now
    if abs(current - sent) > tolerance_seconds:
        raise InvalidSignature(f"webhook-timestamp is more than {tolerance_seconds} s from now")
    payload = body.encode("utf-8") if isinstance(body, str) else body
    expected = sign(secret, msg_id, sent, payload).split(",", 1)[1].encode("ascii")
    for candidate in signatures.split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode("ascii", "replace"), expected):
            return
    raise InvalidSignature("no v1 signature matches")


def sign(secret: str, msg_id: str, timestamp: int, body: bytes | str) -> str:
    """The ``webhook-signature`` value (``v1,<base64>``) of a message: what the router sends."""
    key = _key(secret)
    payload = body.encode("utf-8") if isinstance(body, str) else body
    content = f"{msg_id}.{timestamp}.".encode("utf-8") + payload
    return "v1," + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode("ascii")


def _key(secret: str) -> bytes:
    raw = secret[len(_PREFIX):] if secret.startswith(_PREFIX) else secret
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as e:
        raise ValueError("a webhook secret is whsec_ followed by base64") from e
