"""The read views of `store.reads` hold what PynamoDB's `from_raw_data` would, for every record.

Items are made by PynamoDB itself (`serialize`), so no AWS is needed: every attribute of every
record class, maps inside maps, lists of maps, sets, dates, absent attributes and their defaults.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pynamodb.attributes import (
    Attribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.models import Model

from channelfin.store import reads
from channelfin.store.dynamo import IsoDateTimeAttribute
from channelfin.store.tables import ALL_RECORDS

AT = datetime(2026, 3, 14, 9, 26, 53, 589793, tzinfo=UTC)
PARIS = timezone(timedelta(hours=1))


def _sample(attribute: Attribute[Any], depth: int = 0) -> Any:
    """A value for every attribute, nested containers filled too."""
    if isinstance(attribute, MapAttribute):
        return type(attribute)(**{n: _sample(a, depth + 1) for n, a in type(attribute).get_attributes().items()})
    if isinstance(attribute, ListAttribute):
        element = attribute.element_type()
        return [_sample(element, depth + 1), _sample(element, depth + 1)]
    if isinstance(attribute, UTCDateTimeAttribute):
        return AT
    if isinstance(attribute, IsoDateTimeAttribute):
        return AT.astimezone(PARIS)  # kept with its offset
    if isinstance(attribute, NumberAttribute):
        return 12345 + depth
    if isinstance(attribute, UnicodeSetAttribute):
        return {"b", "a"}
    return f"text-{depth}-é"


def _same(view: Any, model: Any, path: str) -> None:
    if isinstance(model, MapAttribute):
        for name in type(model).get_attributes():
            _same(getattr(view, name), getattr(model, name), f"{path}.{name}")
    elif isinstance(model, list):
        assert isinstance(view, list) and len(view) == len(model), path
        for i, (v, m) in enumerate(zip(view, model, strict=True)):
            _same(v, m, f"{path}[{i}]")
    else:
        assert view == model and type(view) is type(model), f"{path}: {view!r} != {model!r}"
        if isinstance(model, datetime):
            assert view.utcoffset() == model.utcoffset(), path


def _compare(record: type[Model], item: dict[str, Any]) -> None:
    view, model = reads.reader_for(record)(item), record.from_raw_data(item)
    for name in record.get_attributes():
        _same(getattr(view, name), getattr(model, name), f"{record.__name__}.{name}")


@pytest.mark.parametrize("record", ALL_RECORDS, ids=lambda r: r.__name__)
def test_a_view_holds_what_pynamodb_reads_when_every_attribute_is_set(record: type[Model]) -> None:
    full = record(**{name: _sample(a) for name, a in record.get_attributes().items()})
    _compare(record, full.serialize())


@pytest.mark.parametrize("record", ALL_RECORDS, ids=lambda r: r.__name__)
def test_absent_attributes_read_as_their_defaults_or_none(record: type[Model]) -> None:
    keys_only = {"pk": {"S": "PK#1"}, "sk": {"S": "SK"}}
    _compare(record, keys_only)
    view = reads.reader_for(record)(keys_only)
    assert all(hasattr(view, name) for name in record.get_attributes())


def test_nulls_in_lists_and_null_attributes_read_as_pynamodb_reads_them() -> None:
    from channelfin.store.contracts import ContractRecord

    item = {
        "pk": {"S": "CONTRACT#1"},
        "sk": {"S": "CONTRACT"},
        "reseller_id": {"NULL": True},
        "under_continuity": {"NULL": True},
        "collected_installments": {"L": [{"N": "1"}, {"NULL": True}, {"N": "3"}]},
        "timeline": {"L": [{"NULL": True}]},
        "customer": {"M": {"name": {"S": "Client"}, "email": {"NULL": True}}},
    }
    _compare(ContractRecord, item)
    view = reads.reader_for(ContractRecord)(item)
    assert view.reseller_id is None and view.under_continuity == 0
    assert view.collected_installments == [1, None, 3] and view.timeline == [None]
    assert view.customer.name == "Client" and view.customer.email is None


def test_a_stored_value_of_the_wrong_type_is_refused_as_pynamodb_refuses_it() -> None:
    from pynamodb.exceptions import AttributeDeserializationError

    from channelfin.store.payouts import PayoutRecord

    item = {"pk": {"S": "PAYOUT#1"}, "sk": {"S": "PAYOUT"}, "amount_cents": {"S": "not a number"}}
    with pytest.raises(AttributeDeserializationError):
        PayoutRecord.from_raw_data(item)
    with pytest.raises(AttributeDeserializationError):
        reads.reader_for(PayoutRecord)(item)
