"""The tables' records, binding them to their tables, and creating the tables where none exist yet."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from channelfin.store import sessions
from channelfin.store.audit import AuditRecord
from channelfin.store.contracts import ContractRecord, ExposureRecord
from channelfin.store.dynamo import TableMeta
from channelfin.store.escrow import EscrowRecord
from channelfin.store.incentives import IncentiveRecord
from channelfin.store.ledger import LedgerEntryRecord
from channelfin.store.outbox import EventRecord
from channelfin.store.partners import PartnerRecord
from channelfin.store.payment_runs import PaymentRunRecord, TransferRecord
from channelfin.store.payouts import PayoutRecord
from channelfin.store.persisted_queries import PersistedQueryRecord
from channelfin.store.programs import ProgramRecord
from channelfin.store.relations import RelationRecord
from channelfin.store.signatories import SignatoryRecord
from channelfin.store.webhooks import DeliveryRecord, EndpointRecord


class IdempotencyRecord(Model):
    """The table of Powertools' idempotency utility (its items are written by Powertools, never read here);
    declared so that the local stack and the tests create it like the others."""

    class Meta(TableMeta):
        table_name = "idempotency"

    id = UnicodeAttribute(hash_key=True)


ALL_RECORDS: tuple[type[Model], ...] = (
    PartnerRecord,
    ContractRecord,
    ExposureRecord,
    SignatoryRecord,
    PayoutRecord,
    LedgerEntryRecord,
    PaymentRunRecord,
    TransferRecord,
    ProgramRecord,
    RelationRecord,
    EscrowRecord,
    IncentiveRecord,
    AuditRecord,
    EventRecord,
    EndpointRecord,
    DeliveryRecord,
    IdempotencyRecord,
    PersistedQueryRecord,
)

# Each record's logical table: the aggregates of the partners table share it (single-table design).
LOGICAL_NAMES = {
    "PartnerRecord": "partners",
    "ContractRecord": "contracts",
    "ExposureRecord": "contracts",
    "SignatoryRecord": "contracts",
    "PayoutRecord": "payouts",
    "LedgerEntryRecord": "payouts",
    "PaymentRunRecord": "payouts",
    "TransferRecord": "payouts",
    "ProgramRecord": "partners",
    "RelationRecord": "partners",
    "EscrowRecord": "partners",
    "IncentiveRecord": "partners",
    "AuditRecord": "partners",
    "EventRecord": "events",
    "EndpointRecord": "events",
    "DeliveryRecord": "events",
    "IdempotencyRecord": "idempotency",
    "PersistedQueryRecord": "persisted-queries",
}


def table_name(prefix: str, logical: str) -> str:
    return f"{prefix}{logical}"


def bind(*, prefix: str, region: str, host: str | None = None) -> None:
    """Point every record at `<prefix><table>` in `region` (at `host`, e.g. DynamoDB Local)."""
    sessions.share_sessions()
    shared: dict[str, Any] = {}
    for record in ALL_RECORDS:
        record.Meta.table_name = table_name(prefix, LOGICAL_NAMES[record.__name__])
        record.Meta.region = region
        record.Meta.host = host
        record._connection = None  # the cached connection holds the old name and host
        # The records of one table share its connection: each connection builds its own botocore
        # session and client on first use (~150 ms), which a cold Lambda would pay once per record.
        # PynamoDB keeps a connection whose table is the record's (the records of a table declare
        # the same keys and indexes: tests/unit/test_tables.py).
        if record.Meta.table_name in shared:
            record._connection = shared[record.Meta.table_name]
        else:
            shared[record.Meta.table_name] = record._get_connection()


def create_missing_tables(
    progress: Callable[[str], None] = lambda _: None, records: Iterable[type[Model]] = ALL_RECORDS
) -> list[str]:
    """Create the tables that do not exist (on-demand billing), add missing indexes; return the tables created."""
    created = []
    for record in records:
        model: type[Model] = record
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
            created.append(model.Meta.table_name)
            progress(f"created table {model.Meta.table_name}")
        else:
            for index in add_missing_indexes(model):
                progress(f"added index {index} to {model.Meta.table_name}")
    return created


def add_missing_indexes(model: type[Model]) -> list[str]:
    """A data directory made by an older version lacks the indexes added since: create them."""
    connection = model._get_connection().connection
    described = connection.describe_table(model.Meta.table_name)
    present = {i["IndexName"] for i in described.get("GlobalSecondaryIndexes", [])}
    schema = model._get_schema()
    added = []
    for index in schema["global_secondary_indexes"]:
        if index["index_name"] in present:
            continue
        cast(Any, connection.client).update_table(  # botocore types its client's operations dynamically
            TableName=model.Meta.table_name,
            AttributeDefinitions=index["attribute_definitions"],
            GlobalSecondaryIndexUpdates=[
                {
                    "Create": {
                        "IndexName": index["index_name"],
                        "KeySchema": [
                            {"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in index["key_schema"]
                        ],
                        "Projection": {"ProjectionType": index["projection"]["ProjectionType"]},
                    }
                }
            ],
        )
        added.append(index["index_name"])
    return added


def delete_tables(records: Iterable[type[Model]] = ALL_RECORDS) -> None:
    for record in records:
        if record.exists():  # two records may share a table: the first one deletes it
            record.delete_table()
