"""Positions in a DynamoDB Query: the key of the last item seen, packed small.

The API signs a position and binds it to the list, its filters and the caller
(`api/core/cursors.py`); here it only has to be short and to come back as the
`ExclusiveStartKey` of the same Query. It holds the item's key values except the hash key
the Query already names. Each value is split on `#` and its parts packed: a part seen before
(in the hash key, an earlier value, or a word of `WORDS`) as one byte, lowercase hex (our
ids) as bytes, a sort stamp (`dynamo.sort_stamp`) as its microseconds, other text as UTF-8.
A contract's key on a partner's list (pk, sk and gsi1sk: 141 characters) packs into 34 bytes.

Changing `WORDS` or the tags makes positions issued before unreadable: clients holding one get
INVALID_CURSOR and start again from the first page.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from channelfin.services.paging import InvalidCursor

MAX_POSITION_LENGTH = 1024
WORDS = (
    "CONTRACT",
    "CONTRACTS",
    "PARTY",
    "STATUS",
    "PAYOUT",
    "PAYOUTS",
    "PARTNER",
    "PARTNERS",
    "PROFILE",
    "ROLE",
    "AGREEMENT",
    "AGREEMENTS",
    "BENEFICIARY",
    "PAYER",
    "CAMPAIGN",
    "CAMPAIGNS",
    "CREDITLINE",
    "CREDITLINES",
    "LINE",
    "RESELLER",
    "DISTRIBUTOR",
    "VENDOR",
    "MOVE",
    "RUN",
    "RUNS",
    "TRANSFER",
    "AUDIT",
    "ENTRY",
)
_REF, _HEX, _STAMP, _TEXT = 0x00, 0x40, 0x80, 0xC0  # tag in the top two bits, a length or index below
_SMALL = 0x3F  # largest index or length a tag byte holds
_HEX_PART = re.compile(r"(?:[0-9a-f]{2}){1,63}")
_STAMP_PART = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _stamp_text(micros: int) -> str:
    return (_EPOCH + timedelta(microseconds=micros)).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _pack_part(part: str, seen: list[str], out: bytearray) -> None:
    if part in seen and seen.index(part) <= _SMALL:
        out.append(_REF | seen.index(part))
        return
    if _HEX_PART.fullmatch(part):
        out.append(_HEX | len(part) // 2)
        out += bytes.fromhex(part)
    elif _STAMP_PART.fullmatch(part) and _stamp_text(micros := _micros(part)) == part:
        out.append(_STAMP)
        out += micros.to_bytes(8, "big", signed=True)
    else:
        raw = part.encode()
        if len(raw) < _SMALL:
            out.append(_TEXT | len(raw))
        else:  # a long part (a partner's name in its sort key): the length in the next two bytes
            out.append(_TEXT | _SMALL)
            out += len(raw).to_bytes(2, "big")
        out += raw
    seen.append(part)


def _micros(stamp: str) -> int:
    at = datetime.fromisoformat(stamp.removesuffix("Z")).replace(tzinfo=UTC)
    delta = at - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def encode(values: list[str], known: str) -> str:
    """The position of an item: its key values (the hash key of the Query left out, `known`)."""
    seen = [*WORDS, *known.split("#")]
    out = bytearray()
    for value in values:
        parts = value.split("#")
        if len(parts) > _SMALL:
            raise ValueError("a key with too many parts for a position")
        out.append(len(parts))
        for part in parts:
            _pack_part(part, seen, out)
    return base64.urlsafe_b64encode(bytes(out)).decode().rstrip("=")


def _unpack(data: bytes, count: int, known: str) -> list[str]:
    seen = [*WORDS, *known.split("#")]
    values, at = [], 0

    def take(n: int) -> bytes:
        nonlocal at
        if at + n > len(data):
            raise InvalidCursor("a truncated position")
        chunk, at = data[at : at + n], at + n
        return chunk

    for _ in range(count):
        parts = []
        for _ in range(take(1)[0]):
            tag = take(1)[0]
            kind, small = tag & 0xC0, tag & _SMALL
            if kind == _REF:
                if small >= len(seen):
                    raise InvalidCursor("a position that refers to nothing")
                parts.append(seen[small])
                continue
            if kind == _HEX:
                part = take(small).hex()
            elif kind == _STAMP:
                part = _stamp_text(int.from_bytes(take(8), "big", signed=True))
            else:
                length = int.from_bytes(take(2), "big") if small == _SMALL else small
                part = take(length).decode()
            parts.append(part)
            seen.append(part)
        values.append("#".join(parts))
    if at != len(data):
        raise InvalidCursor("a position with bytes left over")
    return values


def decode(position: str, key_names: tuple[str, ...], hash_key_name: str, hash_key: str) -> dict[str, dict[str, Any]]:
    """The `ExclusiveStartKey` of the Query on `hash_key`, in DynamoDB's attribute-value format."""
    if len(position) > MAX_POSITION_LENGTH:
        raise InvalidCursor("position too long")
    others = [name for name in key_names if name != hash_key_name]
    try:
        data = base64.urlsafe_b64decode((position + "=" * (-len(position) % 4)).encode())
        values = _unpack(data, len(others), hash_key)
    except (binascii.Error, ValueError, OverflowError) as exc:  # UnicodeDecodeError is a ValueError
        raise InvalidCursor("not a position of this list") from exc
    if not all(values):
        raise InvalidCursor("not a position of this list")
    key = {name: {"S": value} for name, value in zip(others, values, strict=True)}
    if hash_key_name in key_names:
        key[hash_key_name] = {"S": hash_key}
    return key
