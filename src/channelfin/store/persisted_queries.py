"""GraphQL documents kept by their SHA-256, shared by every Lambda instance (the `persisted-queries` table).

  <sha256 hex>    document, trusted, expiresAt (epoch seconds; DynamoDB's TTL attribute)

An automatic persisted query expires (30 days by default) and is registered again by the
client that misses it; a trusted document (`channelfin trust-documents`) has no expiry and
is never replaced by an automatic one. DynamoDB deletes expired items within a day or two,
so a read treats an expired item as absent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NamedTuple

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError
from pynamodb.models import Model

from channelfin.store.dynamo import TableMeta


class StoredDocument(NamedTuple):
    document: str
    trusted: bool


class PersistedQueryRecord(Model):
    class Meta(TableMeta):
        table_name = "persisted-queries"

    id = UnicodeAttribute(hash_key=True)  # the document's SHA-256, lower-case hex
    document = UnicodeAttribute()
    trusted = BooleanAttribute(default=False)
    expires_at = NumberAttribute(null=True, attr_name="expiresAt")  # the table's TTL attribute


class DynamoPersistedQueries:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock

    def get(self, sha256: str) -> StoredDocument | None:
        try:
            record = PersistedQueryRecord.get(sha256)
        except PersistedQueryRecord.DoesNotExist:
            return None
        if record.expires_at is not None and record.expires_at <= self.clock():
            return None
        return StoredDocument(record.document, bool(record.trusted))

    def put(self, sha256: str, document: str, *, ttl_seconds: int | None, trusted: bool = False) -> None:
        """Keep a document; an automatic one never replaces a trusted one (the write is refused, and ignored)."""
        expires = None if ttl_seconds is None else int(self.clock()) + ttl_seconds
        record = PersistedQueryRecord(sha256, document=document, trusted=trusted, expires_at=expires)
        condition = None
        if not trusted:
            condition = PersistedQueryRecord.id.does_not_exist() | (PersistedQueryRecord.trusted == False)  # noqa: E712
        try:
            record.save(condition=condition)
        except PutError as refused:
            if refused.cause_response_code != "ConditionalCheckFailedException":
                raise
