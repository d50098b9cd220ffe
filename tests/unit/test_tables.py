"""The records of one table: the same keys and indexes, and one connection once bound."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pytest

from channelfin.store import tables


def _by_table() -> dict[str, list[type]]:
    grouped: dict[str, list[type]] = defaultdict(list)
    for record in tables.ALL_RECORDS:
        grouped[tables.LOGICAL_NAMES[record.__name__]].append(record)
    return grouped


def test_the_records_of_one_table_declare_the_same_keys_and_indexes():
    for logical, records in _by_table().items():
        schemas = {repr(record._get_schema()) for record in records}
        assert len(schemas) == 1, f"the records of {logical} disagree on keys or indexes"


@pytest.fixture
def rebound() -> Iterator[None]:
    """Bind for the test, then put every record back as it was (other tests may have bound them)."""
    saved = [(r, r.Meta.table_name, r.Meta.region, r.Meta.host, r._connection) for r in tables.ALL_RECORDS]
    yield
    for record, name, region, host, connection in saved:
        record.Meta.table_name, record.Meta.region, record.Meta.host = name, region, host
        record._connection = connection


def test_binding_gives_the_records_of_one_table_one_connection(rebound):
    tables.bind(prefix="unit-", region="eu-west-3", host="http://127.0.0.1:9")
    for logical, records in _by_table().items():
        connections = {id(record._get_connection()) for record in records}
        assert len(connections) == 1, logical
        assert all(r._get_connection().table_name == f"unit-{logical}" for r in records)
