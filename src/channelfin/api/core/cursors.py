"""Cursors as clients see them: a store's position, signed and bound to one list, its filters and the caller.

`position.signature`: the position is the store's packed key of the item (`store/cursors.py`,
or an in-memory list's key), the signature an HMAC (itsdangerous, the key derived per binding)
over it and over the binding: the list (`Query.contracts`, `Contract.payouts` of one contract),
every argument but the page ones (`filter`...) and the caller (`sub` and partner). A cursor
replayed on another list, with other filters, by another user, edited, or signed with a key
since retired fails the check: INVALID_CURSOR, before any store sees it. Several keys may be
configured (`CHANNELFIN_CURSOR_SECRET`, comma-separated, newest last): cursors signed with an
older one still verify while it is listed, so keys rotate without breaking clients mid-list.
"""

import json
import secrets
from collections.abc import Sequence
from functools import cache

from itsdangerous import BadSignature, Signer

from channelfin.services.paging import InvalidCursor

MAX_CURSOR_LENGTH = 1100


@cache
def process_secret() -> str:
    """A key of this process only, where none is configured (tests, a bare workstation): its cursors
    are refused by every other process."""
    return secrets.token_urlsafe(32)


def secret_keys(configured: str) -> list[str]:
    keys = [k.strip() for k in configured.split(",") if k.strip()]
    return keys or [process_secret()]


class CursorSigner:
    def __init__(self, keys: Sequence[str]) -> None:
        self._keys = list(keys)

    def _signer(self, binding: Sequence[object]) -> Signer:
        salt = json.dumps(list(binding), default=str, sort_keys=True, separators=(",", ":"))
        return Signer(self._keys, salt=salt, key_derivation="hmac")

    def sign(self, position: str, binding: Sequence[object]) -> str:
        return self._signer(binding).sign(position).decode()

    def open(self, cursor: str, binding: Sequence[object]) -> str:
        """The position a cursor holds, if this API issued it for this binding; `InvalidCursor` otherwise."""
        if len(cursor) > MAX_CURSOR_LENGTH or not cursor.isascii():
            raise InvalidCursor("not a cursor of this list")
        try:
            return self._signer(binding).unsign(cursor).decode()
        except BadSignature as exc:
            raise InvalidCursor("not a cursor of this list, for these filters and this caller") from exc
