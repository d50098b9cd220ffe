"""The DynamoDB toolkit the aggregate modules share.

The tables' generic indexes and where a record's table is (`TableMeta`); the attribute types
nested data is stored with (`IsoDateTimeAttribute`, `MoneyMap`); index sort stamps;
one page of a Query with a position per item; conditional puts whose lost condition is a
`Conflict` (so the use cases never see botocore); an item written with its copies in one
transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar

from pynamodb.attributes import Attribute, MapAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.constants import STRING
from pynamodb.exceptions import PutError, QueryError, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, Index
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from channelfin.domain.errors import Conflict
from channelfin.domain.money import Money
from channelfin.services.paging import InvalidCursor, Page, PageRequest
from channelfin.store import cursors, reads

T = TypeVar("T")


class TableMeta:
    """A record's table: its name and endpoint are bound at start-up by `tables.bind`, never read
    from the environment at import time (each record's `Meta` subclasses this with its table's
    logical name)."""

    table_name = "unbound"
    region = "eu-west-3"
    host: str | None = None


class Gsi1(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class Gsi2(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "gsi2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class Gsi3(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "gsi3"
        projection = AllProjection()

    gsi3pk = UnicodeAttribute(hash_key=True)
    gsi3sk = UnicodeAttribute(range_key=True)


class Gsi4(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "gsi4"
        projection = AllProjection()

    gsi4pk = UnicodeAttribute(hash_key=True)
    gsi4sk = UnicodeAttribute(range_key=True)


class Gsi5(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "gsi5"
        projection = AllProjection()

    gsi5pk = UnicodeAttribute(hash_key=True)
    gsi5sk = UnicodeAttribute(range_key=True)


class PartnersTableItem(Model):
    """The keys and index every record of the partners table declares alike (each subclasses this)."""

    class Meta(TableMeta):
        table_name = "partners"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi1 = Gsi1()


class ContractsTableItem(Model):
    """The keys and indexes of the contracts table's side items (an end client's exposure, its
    signatory), in no index: declared as by every record of that table (each subclasses this)."""

    class Meta(TableMeta):
        table_name = "contracts"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    gsi1 = Gsi1()
    gsi2 = Gsi2()


class PayoutsTableItem(Model):
    """The keys and indexes every record of the payouts table declares alike (each subclasses this).

    The indexes are sparse: an item fills only the keys of the indexes it is found by.
    """

    class Meta(TableMeta):
        table_name = "payouts"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    gsi3pk = UnicodeAttribute(null=True)
    gsi3sk = UnicodeAttribute(null=True)
    gsi4pk = UnicodeAttribute(null=True)
    gsi4sk = UnicodeAttribute(null=True)
    gsi5pk = UnicodeAttribute(null=True)
    gsi5sk = UnicodeAttribute(null=True)
    gsi1 = Gsi1()
    gsi2 = Gsi2()
    gsi3 = Gsi3()
    gsi4 = Gsi4()
    gsi5 = Gsi5()


class IsoDateTimeAttribute(Attribute[datetime]):
    """A datetime as its ISO 8601 text, with the offset it was given (`UTCDateTimeAttribute` turns
    every time into UTC): a campaign's start sent as "2027-03-01T00:00:00+01:00" comes back so, as
    it did from the JSON bodies this attribute replaced. Never a key: index keys use `sort_stamp`."""

    attr_type = STRING

    def serialize(self, value: datetime) -> str:
        return value.isoformat()

    def deserialize(self, value: str) -> datetime:
        return datetime.fromisoformat(value)


class MoneyMap(MapAttribute[str, Any]):
    """An amount nested in an item: integer cents and the currency code."""

    cents = NumberAttribute()
    currency = UnicodeAttribute()


def money_map(money: Money) -> MoneyMap:
    return MoneyMap(cents=money.to_cents(), currency=money.currency)


def money(stored: Any) -> Money:
    """The amount of a stored `MoneyMap` (its view, as `reads` gives it)."""
    return Money.from_cents(int(stored.cents), stored.currency)


def sort_stamp(at: datetime) -> str:
    """A UTC timestamp that sorts lexicographically (for index sort keys); an offset is converted, not dropped."""
    utc = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    # isoformat pads the year to four digits (strftime's %Y writes year 999 as "999", which sorts after 2026).
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def connection(record: type[Model]) -> Connection:
    """The record's cached connection: building a botocore client per transaction costs ~50 ms."""
    return record._get_connection().connection


def condition_failed(exc: Exception) -> bool:
    """Whether a PynamoDB write error is a failed condition (rather than a throttle or an outage)."""
    return getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException"


# What a transaction meets when its own conditions, or a concurrent transaction, refuse it: a
# Conflict to the services. Anything else (access denied, throttled, malformed) must surface: a
# denied write reported as "changed by others" hid a missing permission (2026-12-03).
_REFUSALS = frozenset({"ConditionalCheckFailed", "TransactionConflict"})


def transaction_refused(exc: TransactWriteError) -> bool:
    """Whether the transaction was cancelled by a condition or a concurrent transaction, and by nothing else."""
    if getattr(exc, "cause_response_code", None) != "TransactionCanceledException":
        return False
    codes = {r.code for r in exc.cancellation_reasons if r is not None}  # None: an item not at fault
    return bool(codes) and codes <= _REFUSALS


def save_if(record: Model, condition: Condition, conflict: str) -> None:
    """Put the item if `condition` holds; a failed condition is a `Conflict` the services understand."""
    try:
        record.save(condition=condition)
    except PutError as exc:
        if condition_failed(exc):
            raise Conflict(conflict) from exc
        raise


def put_with_copies(
    main: Model,
    condition: Condition,
    copies: Iterable[Model],
    conflict: str,
    *,
    also: Iterable[tuple[Model, Condition | None]] = (),
    dropped: Iterable[Model] = (),
) -> None:
    """Put an item, its copies (for other access patterns) and `also` in one transaction
    conditioned on the item, deleting the copies `dropped`; a failed condition is a `Conflict`
    with that message."""
    try:
        with TransactWrite(connection=connection(type(main))) as tx:
            tx.save(main, condition=condition)
            for copy in copies:
                tx.save(copy)
            for gone in dropped:
                tx.delete(gone)
            for item, item_condition in also:
                tx.save(item, condition=item_condition)
    except TransactWriteError as exc:
        if not transaction_refused(exc):
            raise
        raise Conflict(conflict) from exc


def query_page(
    target: type[Model] | Index[Any],
    hash_key: str,
    *,
    key_names: tuple[str, ...],
    page: PageRequest,
    to_domain: Callable[[Any], T],
    newest_first: bool = True,
    filter_condition: Condition | None = None,
    range_condition: Condition | None = None,
) -> Page[T]:
    """One page of a Query on a table or index (read through `reads`), with a position per item.

    One item more than the page is asked for, to know whether the list goes on; a backward
    page (`last`/`before`) reads the same index the other way and is turned back into the
    list's order. Positions pack the items' keys under `key_names` (those of the table and of
    the index queried). A start key DynamoDB refuses is an `InvalidCursor`, never a 500.
    """
    record, index = (target._model, target) if isinstance(target, Index) else (target, None)
    hash_key_name = target._hash_key_attribute().attr_name
    start = cursors.decode(page.start, key_names, hash_key_name, hash_key) if page.start else None
    try:
        records = list(
            reads.query(
                record,
                hash_key,
                range_condition,
                index=index,
                scan_index_forward=newest_first if page.backward else not newest_first,
                limit=page.size + 1,
                page_size=page.size + 1,
                last_evaluated_key=start,
                filter_condition=filter_condition,
            )
        )
    except QueryError as exc:
        if start is not None and getattr(exc, "cause_response_code", None) == "ValidationException":
            raise InvalidCursor("DynamoDB refused the start key") from exc
        raise
    shown = records[: page.size]
    if page.backward:
        shown.reverse()
    positions = [cursors.encode([getattr(r, k) for k in key_names if k != hash_key_name], hash_key) for r in shown]
    more = len(records) > page.size
    return Page(
        items=[to_domain(r) for r in shown],
        cursors=positions,
        has_next_page=page.before is not None if page.backward else more,
        has_previous_page=more if page.backward else page.after is not None,
    )
