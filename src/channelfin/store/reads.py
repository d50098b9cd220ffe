"""Reads that turn DynamoDB items into light read-only views instead of PynamoDB models.

PynamoDB's `from_raw_data` builds a model, deep-copies an attribute per map and sets every
default one by one: about 90 µs for a contract, as much as the whole GraphQL execution of a
warm `contract(id) { status }`, and 100 times that for a page of contracts. Here each record
class gets a reading plan, made once from the same attribute declarations: leaves go through
the attribute's own `deserialize` (so dates, numbers and sets read exactly as PynamoDB reads
them), maps and lists of maps become nested views, absent attributes take their default.

The records (each in its aggregate's module) stay the one description of the items, and writes
still go through them; the aggregate modules' mappers read a view as they read a record
(attribute access).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache
from types import SimpleNamespace
from typing import Any

from pynamodb.attributes import Attribute, AttributeContainer, ListAttribute, MapAttribute
from pynamodb.constants import NULL
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import Index
from pynamodb.models import Model
from pynamodb.pagination import ResultIterator

from channelfin.services.retry import backoff

RawItem = dict[str, dict[str, Any]]
Reader = Callable[[RawItem], Any]

BATCH_GET_LIMIT = 100  # DynamoDB's BatchGetItem takes at most 100 keys
UNPROCESSED_RETRIES = 8


def _leaf(attribute: Attribute[Any]) -> Callable[[dict[str, Any]], Any]:
    if type(attribute).deserialize is Attribute.deserialize:
        return attribute.get_value  # strings: the stored value itself (checked to be of the declared type)
    return lambda value: attribute.deserialize(attribute.get_value(value))


def _converter(attribute: Attribute[Any]) -> Callable[[dict[str, Any]], Any]:
    """How one stored attribute value (`{"S": ...}`, `{"M": ...}`...) becomes a Python value."""
    if isinstance(attribute, MapAttribute) and type(attribute).get_attributes():
        read_map = reader_for(type(attribute))
        return lambda value: read_map(value["M"])
    if isinstance(attribute, ListAttribute) and attribute.element_type is not None:
        element_type = attribute.element_type
        if issubclass(element_type, MapAttribute):
            read_element = reader_for(element_type)
            return lambda value: [None if NULL in e else read_element(e["M"]) for e in value["L"]]
        element = _leaf(element_type())
        return lambda value: [None if NULL in e else element(e) for e in value["L"]]
    return _leaf(attribute)


@cache
def reader_for(container: type[AttributeContainer]) -> Reader:
    """The reading plan of a record (or map) class: raw item → view with the same attribute names."""
    if container._get_discriminator_attribute() is not None:
        raise TypeError(f"{container.__name__}: polymorphic records are read through PynamoDB")
    plan = [(n, a.attr_name, _converter(a), a.default) for n, a in container.get_attributes().items()]

    def read(item: RawItem) -> Any:
        view = SimpleNamespace()
        values = view.__dict__
        for name, stored_name, convert, default in plan:
            value = item.get(stored_name)
            if value is None or NULL in value:
                values[name] = default() if callable(default) else default
            else:
                values[name] = convert(value)
        return view

    return read


def _key(record: type[Model], hash_key: Any, range_key: Any) -> RawItem:
    hash_attribute, range_attribute = record._hash_key_attribute(), record._range_key_attribute()
    key = {hash_attribute.attr_name: {hash_attribute.attr_type: hash_attribute.serialize(hash_key)}}
    if range_attribute is not None:
        key[range_attribute.attr_name] = {range_attribute.attr_type: range_attribute.serialize(range_key)}
    return key


def _client(record: type[Model]) -> Any:
    # The record's cached botocore client (PynamoDB's: no parameter validation, its retry settings).
    return record._get_connection().connection.client


def get(record: type[Model], hash_key: Any, range_key: Any = None, *, consistent: bool = False) -> Any | None:
    """GetItem: the item as a view, or None (`consistent`: a strongly consistent read)."""
    found = _client(record).get_item(
        TableName=record.Meta.table_name, Key=_key(record, hash_key, range_key), ConsistentRead=consistent
    )
    item = found.get("Item")
    return reader_for(record)(item) if item else None


def get_many(record: type[Model], keys: Iterable[tuple[Any, Any]], *, consistent: bool = False) -> list[Any]:
    """BatchGetItem, 100 keys a request (each key once), unprocessed keys asked again after a backoff
    (`consistent`: strongly consistent reads)."""
    table, read, client = record.Meta.table_name, reader_for(record), _client(record)
    wanted = [_key(record, h, r) for h, r in dict.fromkeys(keys)]
    found: list[Any] = []
    for start in range(0, len(wanted), BATCH_GET_LIMIT):
        pending = wanted[start : start + BATCH_GET_LIMIT]
        for attempt in range(UNPROCESSED_RETRIES + 1):
            backoff(attempt)
            answer = client.batch_get_item(RequestItems={table: {"Keys": pending, "ConsistentRead": consistent}})
            found.extend(read(item) for item in answer.get("Responses", {}).get(table, ()))
            pending = answer.get("UnprocessedKeys", {}).get(table, {}).get("Keys") or []
            if not pending:
                break
        else:
            raise RuntimeError(f"BatchGetItem left {len(pending)} keys of {table} unprocessed")
    return found


def query(
    record: type[Model],
    hash_key: Any,
    range_key_condition: Condition | None = None,
    *,
    index: Index[Any] | None = None,
    filter_condition: Condition | None = None,
    scan_index_forward: bool | None = None,
    limit: int | None = None,
    page_size: int | None = None,
    last_evaluated_key: RawItem | None = None,
    consistent: bool = False,
) -> Iterator[Any]:
    """Query (a table or one of its indexes) as `Model.query` does, paging through PynamoDB, items as views."""
    if consistent and index is not None:
        raise ValueError("a global secondary index cannot be read consistently")
    key_attribute = (index or record)._hash_key_attribute()
    return ResultIterator(
        record._get_connection().query,
        (key_attribute.serialize(hash_key),),
        {
            "range_key_condition": range_key_condition,
            "filter_condition": filter_condition,
            "index_name": index.Meta.index_name if index is not None else None,
            "exclusive_start_key": last_evaluated_key,
            "scan_index_forward": scan_index_forward,
            "consistent_read": consistent,
            "limit": page_size or limit,
        },
        map_fn=reader_for(record),
        limit=limit,
    )
