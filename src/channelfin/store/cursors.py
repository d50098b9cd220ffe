"""Opaque pagination cursors: the DynamoDB key of the last item seen, base64url JSON.

A cursor is checked against the key names the query expects, so a cursor made for one
list cannot be replayed against another index (and garbage is refused, not sent on).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from channelfin.services.paging import InvalidCursor

MAX_CURSOR_LENGTH = 2048


def encode(key: dict[str, str]) -> str:
    raw = json.dumps(key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, expected_keys: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """The `ExclusiveStartKey` for DynamoDB, in its attribute-value format."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursor("cursor too long")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor("not a cursor of this list") from exc
    if (
        not isinstance(key, dict)
        or set(key) != set(expected_keys)
        or not all(isinstance(v, str) and v for v in key.values())
    ):
        raise InvalidCursor("not a cursor of this list")
    return {name: {"S": value} for name, value in key.items()}
