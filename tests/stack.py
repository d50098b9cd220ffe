"""Real ports on DynamoDB Local with fresh, uniquely prefixed tables (integration and workflow layers)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from channelfin.bootstrap import Settings, build_ports
from channelfin.services.ports import Ports
from channelfin.store.persisted_queries import PersistedQueryRecord
from channelfin.store.tables import ALL_RECORDS, IdempotencyRecord, create_missing_tables, delete_tables

# The idempotency and persisted-queries tables serve the HTTP layer only (tests/integration/test_idempotency.py
# and test_persisted_queries.py make their own): two CreateTable less per test.
RECORDS = tuple(r for r in ALL_RECORDS if r not in (IdempotencyRecord, PersistedQueryRecord))


@contextmanager
def fresh_ports(endpoint_url: str, env: dict[str, str] | None = None, **build: Any) -> Iterator[Ports]:
    prefix = f"t{uuid.uuid4().hex[:10]}-"
    settings = Settings.from_env(
        {
            "CHANNELFIN_TABLE_PREFIX": prefix,
            "AWS_ENDPOINT_URL_DYNAMODB": endpoint_url,
            "AWS_REGION": "eu-west-3",
            **(env or {}),
        }
    )
    ports = build_ports(settings, **build)
    create_missing_tables(records=RECORDS)
    ports.document_store.ensure_bucket()  # type: ignore[attr-defined]
    try:
        yield ports
    finally:
        delete_tables(records=RECORDS)
