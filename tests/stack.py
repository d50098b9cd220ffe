"""Real ports on DynamoDB Local (integration and workflow layers), on sets of tables made once and reused.

Creating a set of tables costs 1.5–3 s on DynamoDB Local (the tables with their indexes, on
a busy 2-core machine); most tests write a few dozen items. So a session keeps a few sets, and a
test takes one that was emptied first: every write to a pooled table is noted on its way through
botocore (the key of each PutItem, UpdateItem, TransactWriteItems and BatchWriteItem item, whichever
thread or client sends it), and emptying deletes exactly those keys, in batches. Nothing is ever
scanned. DynamoDB Local keeps DescribeTable's ItemCount current, so a set is checked empty before a
test gets it; one that is not (a write that was not noted) is dropped for a new one.

A set is emptied when it is next taken, not when its test ends: a Step Functions execution stopped
by the workflow layer may still be finishing a step, and its late write is then noted and removed.

`pooled_ports(table_pool)` is the way in; `fresh_ports(endpoint_url)`, the older one that tests
written before the pool still call, takes its set from the session's pool too when one is running
for that endpoint (tests/conftest.py's `table_pool`), and makes and deletes fresh tables otherwise.
"""

from __future__ import annotations

import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.client import BaseClient

from channelfin.bootstrap import Settings, build_ports
from channelfin.services.ports import Ports
from channelfin.store.persisted_queries import PersistedQueryRecord
from channelfin.store.tables import (
    ALL_RECORDS,
    LOGICAL_NAMES,
    IdempotencyRecord,
    bind,
    create_missing_tables,
    delete_tables,
)

REGION = "eu-west-3"
# Each logical table (several records share the partners table) and the names of its key attributes.
KEYS: dict[str, tuple[str, ...]] = {
    LOGICAL_NAMES[record.__name__]: tuple(
        name
        for is_key in ("is_hash_key", "is_range_key")
        for name, attribute in record.get_attributes().items()
        if getattr(attribute, is_key)
    )
    for record in ALL_RECORDS
}
# Writes the pool cannot note: PartiQL. Nothing in channelfin uses it; if something starts to, say so.
UNNOTED_WRITES = {"ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"}
Key = tuple[tuple[str, str], ...]  # ((type, value), ...) of each key attribute, in KEYS order
# The pool running for each DynamoDB Local endpoint, for `fresh_ports`.
RUNNING: dict[str, TablePool] = {}


def _key_value(value: Any) -> tuple[str, str]:
    """A key attribute as the low-level client (`{"S": "x"}`) or boto3's resource (`"x"`) passes it."""
    if isinstance(value, dict):
        [(kind, raw)] = value.items()
        return kind, str(raw)
    return ("N", str(value)) if isinstance(value, int | float) else ("S", str(value))


@dataclass
class TableSet:
    prefix: str
    written: dict[str, set[Key]] = field(default_factory=dict)
    connections: dict[str, Any] = field(default_factory=dict)

    def table(self, logical: str) -> str:
        return f"{self.prefix}{logical}"

    def keep_connections(self) -> None:
        """Give the records (just bound to this set) the connections of the set's earlier leases.

        A new PynamoDB connection builds its own botocore session and client on first use, loading
        the service's JSON models again: 0.15 s a table, 0.6 s a test, more than everything else the
        set costs. (`_connection` is the attribute `store.tables.bind` resets; see
        tests/unit/test_private_symbols.py.)
        """
        for record in ALL_RECORDS:
            if record.__name__ in self.connections:
                record._connection = self.connections[record.__name__]
            else:
                self.connections[record.__name__] = record._connection


@dataclass
class TablePool:
    """Sets of the tables (all of `ALL_RECORDS`, with a documents bucket each), lent to one test at a time."""

    endpoint_url: str
    size: int = 2
    stats: dict[str, int] = field(default_factory=lambda: {"created": 0, "emptied": 0, "deleted": 0, "dirty": 0})
    _free: deque[TableSet] = field(default_factory=deque)
    _all: dict[str, TableSet] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _original: Callable[..., Any] | None = None
    _dynamodb: Any = None

    # --- the session ------------------------------------------------------------------------

    def start(self) -> None:
        """Note every write to a pooled table from now on (botocore's one entry for all API calls)."""
        original = BaseClient._make_api_call
        note = self._note

        def noting(self: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
            if self.meta.service_model.service_name == "dynamodb":
                note(operation_name, api_params)
            return original(self, operation_name, api_params)

        self._original = original
        BaseClient._make_api_call = noting  # type: ignore[method-assign]
        RUNNING[self.endpoint_url] = self

    def stop(self) -> None:
        RUNNING.pop(self.endpoint_url, None)
        if self._original is not None:
            BaseClient._make_api_call = self._original  # type: ignore[method-assign]
            self._original = None
        for table_set in list(self._all.values()):
            self._drop(table_set)

    # --- lending ----------------------------------------------------------------------------

    @contextmanager
    def lease(self) -> Iterator[TableSet]:
        """A set of tables that exist and are empty, for one test."""
        table_set = self._take()
        try:
            yield table_set
        finally:
            self._free.append(table_set)

    def _take(self) -> TableSet:
        if len(self._free) < self.size:
            return self._create()
        table_set = self._free.popleft()
        if self._empty(table_set):
            return table_set
        self.stats["dirty"] += 1
        self._drop(table_set)
        return self._create()

    def _create(self) -> TableSet:
        table_set = TableSet(prefix=f"t{uuid.uuid4().hex[:10]}-")
        with self._lock:
            self._all[table_set.prefix] = table_set
        bind(prefix=table_set.prefix, region=REGION, host=self.endpoint_url)
        create_missing_tables()
        self.stats["created"] += 1
        return table_set

    def _drop(self, table_set: TableSet) -> None:
        with self._lock:
            self._all.pop(table_set.prefix, None)
        client = self._client()
        for logical in KEYS:
            client.delete_table(TableName=table_set.table(logical))

    def _client(self) -> Any:
        # Its own credentials: the pool outlives each test's environment (aws_local_env).
        if self._dynamodb is None:
            self._dynamodb = boto3.client(
                "dynamodb",
                endpoint_url=self.endpoint_url,
                region_name=REGION,
                aws_access_key_id="local",
                aws_secret_access_key="local",
            )
        return self._dynamodb

    # --- noting writes and emptying ----------------------------------------------------------

    def _note(self, operation: str, params: dict[str, Any]) -> None:
        items: list[tuple[str, dict[str, Any]]] = []
        if operation == "PutItem":
            items.append((params["TableName"], params["Item"]))
        elif operation == "UpdateItem":
            items.append((params["TableName"], params["Key"]))
        elif operation == "TransactWriteItems":
            for entry in params.get("TransactItems", []):
                for kind, key_field in (("Put", "Item"), ("Update", "Key")):
                    if kind in entry:
                        items.append((entry[kind]["TableName"], entry[kind][key_field]))
        elif operation == "BatchWriteItem":
            for table, requests in params.get("RequestItems", {}).items():
                items += [(table, r["PutRequest"]["Item"]) for r in requests if "PutRequest" in r]
        elif operation in UNNOTED_WRITES:
            raise AssertionError(f"{operation}: the table pool (tests/stack.py) cannot note PartiQL writes")
        if not items:
            return
        with self._lock:
            for table, item in items:
                prefix, logical = self._split(table)
                table_set = self._all.get(prefix) if prefix is not None else None
                if table_set is not None and logical is not None:
                    key = tuple(_key_value(item[name]) for name in KEYS[logical])
                    table_set.written.setdefault(logical, set()).add(key)

    def _split(self, table: str) -> tuple[str | None, str | None]:
        for logical in KEYS:
            if table.endswith(logical):
                return table[: -len(logical)], logical
        return None, None

    def _empty(self, table_set: TableSet) -> bool:
        """Delete every noted item of the set; True when the set's tables then hold nothing."""
        client = self._client()
        with self._lock:
            written, table_set.written = table_set.written, {}
        for logical, keys in written.items():
            names = KEYS[logical]
            requests = [{"DeleteRequest": {"Key": _wire(names, key)}} for key in keys]
            self.stats["deleted"] += len(requests)
            _batch_delete(client, table_set.table(logical), requests)
        self.stats["emptied"] += 1
        return all(_item_count(client, table_set.table(logical)) == 0 for logical in KEYS)


def _wire(names: tuple[str, ...], key: Key) -> dict[str, dict[str, str]]:
    return {name: {kind: value} for name, (kind, value) in zip(names, key, strict=True)}


def _batch_delete(client: Any, table: str, requests: list[dict[str, Any]]) -> None:
    for start in range(0, len(requests), 25):
        pending = {table: requests[start : start + 25]}
        while pending:
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}


def _item_count(client: Any, table: str) -> int:
    return int(client.describe_table(TableName=table)["Table"].get("ItemCount", 0))


@contextmanager
def pooled_ports(pool: TablePool, env: dict[str, str] | None = None, **build: Any) -> Iterator[Ports]:
    """Ports on a clean set of tables from `pool` (the set's documents bucket made if missing)."""
    with pool.lease() as table_set:
        settings = Settings.from_env(
            {
                "CHANNELFIN_TABLE_PREFIX": table_set.prefix,
                "AWS_ENDPOINT_URL_DYNAMODB": pool.endpoint_url,
                "AWS_REGION": REGION,
                **(env or {}),
            }
        )
        ports = build_ports(settings, **build)
        table_set.keep_connections()
        ports.document_store.ensure_bucket()  # type: ignore[attr-defined]
        yield ports


@contextmanager
def fresh_ports(endpoint_url: str, env: dict[str, str] | None = None, **build: Any) -> Iterator[Ports]:
    """Ports on empty tables: a set from the session's pool when one runs, fresh tables otherwise.

    The way tests were written before the pool (and still may be): same signature, same promise.
    """
    pool = RUNNING.get(endpoint_url)
    if pool is not None:
        with pooled_ports(pool, env, **build) as ports:
            yield ports
        return
    settings = Settings.from_env(
        {
            "CHANNELFIN_TABLE_PREFIX": f"t{uuid.uuid4().hex[:10]}-",
            "AWS_ENDPOINT_URL_DYNAMODB": endpoint_url,
            "AWS_REGION": REGION,
            **(env or {}),
        }
    )
    ports = build_ports(settings, **build)
    # The idempotency and persisted-queries tables serve the HTTP layer only: two CreateTable less.
    records = tuple(r for r in ALL_RECORDS if r not in (IdempotencyRecord, PersistedQueryRecord))
    create_missing_tables(records=records)
    ports.document_store.ensure_bucket()  # type: ignore[attr-defined]
    try:
        yield ports
    finally:
        delete_tables(records=records)
