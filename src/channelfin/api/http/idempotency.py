"""Idempotency keys (Stripe's model) on Powertools' idempotency utility and its DynamoDB table.

An integrator that retries a request with the same `Idempotency-Key` header and the same
body gets the first answer back, replayed, without a second effect; the same key with a
different body is refused (422, `IDEMPOTENCY_KEY_REUSED`); while the first request still
runs, a retry gets 409 (`IDEMPOTENCY_IN_PROGRESS`). Keys are scoped to the caller (JWT
`sub`, with the partner and the client it acts through) and expire after 24 hours. An
answer that carries a masked bug (`INTERNAL_ERROR`) is not kept, so a retry runs again.

The request runs inside the event loop (resolvers are async), so Powertools' decorators,
which wrap synchronous functions, are not used: this drives its persistence layer the way
its own handler does (save in progress, run, save the answer or delete the record).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyItemAlreadyExistsError,
    IdempotencyItemNotFoundError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.idempotency.persistence.base import BasePersistenceLayer

HEADER = "idempotency-key"
REPLAYED_HEADER = "idempotent-replayed"
MAX_KEY_LENGTH = 255
DAY_SECONDS = 24 * 3600
IN_PROGRESS_SECONDS = 60  # a record left in progress longer than this is an abandoned request


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    replayed: bool = False


def _error(status: int, code: str, message: str) -> Answer:
    return Answer(status, {"errors": [{"message": message, "extensions": {"code": code}}]})


def _reused() -> Answer:
    return _error(
        422,
        "IDEMPOTENCY_KEY_REUSED",
        "this Idempotency-Key was used with a different request; use a new key for a new request",
    )


def _fingerprint(body: Any) -> str:
    """The request as the server understands it, whatever the client's whitespace or key order."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _keeps(answer: dict[str, Any]) -> bool:
    return not any((e.get("extensions") or {}).get("code") == "INTERNAL_ERROR" for e in answer.get("errors") or ())


class IdempotentRequests:
    def __init__(self, persistence: BasePersistenceLayer, *, expires_after_seconds: int = DAY_SECONDS) -> None:
        config = IdempotencyConfig(
            event_key_jmespath="key",
            payload_validation_jmespath="request",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=expires_after_seconds,
        )
        persistence.configure(config, key_prefix="channelfin-graphql")
        self.persistence = persistence

    async def run(
        self, *, key: str, caller: str, body: Any, execute: Callable[[], Awaitable[dict[str, Any]]]
    ) -> Answer:
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            return _error(400, "INVALID_IDEMPOTENCY_KEY", f"Idempotency-Key is 1 to {MAX_KEY_LENGTH} characters")
        data = {"key": f"{caller}|{key}", "request": _fingerprint(body)}
        try:
            self.persistence.save_inprogress(data=data, remaining_time_in_millis=IN_PROGRESS_SECONDS * 1000)
        except IdempotencyValidationError:  # the store compares fingerprints on a refused put already
            return _reused()
        except IdempotencyItemAlreadyExistsError:
            return self._earlier(data)
        try:
            answer = await execute()
        except BaseException as exc:
            failure = exc if isinstance(exc, Exception) else Exception(repr(exc))  # a cancelled request too
            self.persistence.delete_record(data=data, exception=failure)  # nothing kept: a retry runs again
            raise
        if _keeps(answer):
            self.persistence.save_success(data=data, result=answer)
        else:
            self.persistence.delete_record(data=data, exception=RuntimeError("masked error"))
        return Answer(200, answer)

    def _earlier(self, data: dict[str, Any]) -> Answer:
        try:
            record = self.persistence.get_record(data=data)  # checks the request's fingerprint too
        except IdempotencyValidationError:
            return _reused()
        except IdempotencyItemNotFoundError:
            record = None  # the first request failed and was cleared meanwhile: the client may retry
        if record is None or record.status != "COMPLETED":
            return _error(409, "IDEMPOTENCY_IN_PROGRESS", "a request with this Idempotency-Key is still running")
        return Answer(200, record.response_json_as_dict() or {}, replayed=True)
