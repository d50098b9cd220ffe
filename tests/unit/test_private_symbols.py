"""Every private or unexported name of a library that our fast paths rely on, in one place.

The executor (`api/http/execution.py`), the HTTP endpoint (`api/http/endpoint.py`) and the item
reader (`store/reads.py`) skip the libraries' public layers for measured speed, so they lean
on names the libraries do not promise to keep. pyproject.toml pins Strawberry and PynamoDB
to patch releases (`~=`) and the lock pins everything; when an upgrade moves one of these
names it fails here, naming the module of ours that uses it and what to check, instead of
breaking or slowing the warm path somewhere deeper.

To upgrade one of these libraries: widen its `~=` in pyproject.toml if needed, run
`scripts/lock --upgrade-package NAME`, then this file, the suite, and `bench/run.py --quick`
(the figures the fast paths are there for). Beyond the names, check in the release notes:
- Strawberry: anything `Schema.execute` now does before or around graphql-core's `execute`
  (extensions aside) that `api/http/execution.py` would then miss — e.g. new validation rules, a
  changed error masking, context handling;
- PynamoDB: changes to how `from_raw_data` reads attributes (`tests/unit/test_reads.py`
  compares the views with it, record by record) and to the connection's retry settings;
- graphql-core: the `max_tokens` deprecation below; `find_breaking_changes` for the schema test.

One is the test suite's own: tests/lanes.py, which shares the suite between scripts/test's two
pytest-xdist workers.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
import strawberry


def parameters(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


@strawberry.input(one_of=True)
class Pick:
    a: str | None = strawberry.UNSET
    b: str | None = strawberry.UNSET


@strawberry.type
class OneOfQuery:
    @strawberry.field
    def pick(self, by: Pick) -> str:
        return ""


def test_strawberry_internals_used_by_the_executor_and_the_endpoint():
    from graphql import GraphQLError, GraphQLSchema, parse, specified_rules, validate

    # api/http/execution.py: graphql-core's execute(is_awaitable=...) with Strawberry's fast check.
    from strawberry.execution import optimized_is_awaitable

    # api/http/execution.py `Executor.rules`: Strawberry's own validation rules, which its unexported
    # `validate_document` adds to graphql-core's; the executor runs graphql-core's `validate` with
    # them (and hide_suggestions). Check on upgrade that validate_document adds no other rule.
    from strawberry.schema.schema import validate_document
    from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
    from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

    from channelfin.api.schema import schema

    # api/http/execution.py `Executor`, tests/unit/test_authorization_matrix.py: the graphql-core schema
    # that Strawberry builds, which graphql-core then executes directly.
    assert isinstance(schema._schema, GraphQLSchema)
    # Strawberry's Info (`info.schema`, directives) finds its Schema through this back-reference
    # when graphql-core runs the resolvers without Schema.execute. Check: a resolver's `info`.
    assert schema._schema._strawberry_schema is schema

    # Strawberry's validate_document adds exactly these two rules to the ones it is given.
    source = inspect.getsource(validate_document)
    added = {name for name in ("MaybeNullValidationRule", "OneOfInputValidationRule") if name in source}
    assert added == {"MaybeNullValidationRule", "OneOfInputValidationRule"}
    assert source.count("ValidationRule,") == 2, "validate_document adds a rule the executor does not run"
    # ...and with them graphql-core refuses a @oneOf input with two fields set.
    two_set = parse('{ pick(by: {a: "x", b: "y"}) }')
    rules = (*specified_rules, MaybeNullValidationRule, OneOfInputValidationRule)
    assert validate(strawberry.Schema(OneOfQuery)._schema, two_set, rules), "Strawberry's rules no longer apply"
    [error] = validate(schema._schema, parse("{ noSuchField }"), rules, hide_suggestions=True)
    assert isinstance(error, GraphQLError) and "noSuchField" in error.message

    assert optimized_is_awaitable(optimized_is_awaitable) is False

    async def coroutine() -> None: ...

    pending = coroutine()
    assert optimized_is_awaitable(pending) is True
    pending.close()


def test_graphql_core_behaviour_the_executor_relies_on():
    from graphql import GraphQLError, execute, parse

    # api/http/execution.py: execute(..., is_awaitable=optimized_is_awaitable).
    assert "is_awaitable" in parameters(execute)
    # api/http/execution.py `_parsed` stops the parser at `max_tokens`, and `_parse_failure` tells the
    # TOO_MANY_TOKENS code by "tokens" in the message. graphql-core 3.3 deprecates max_tokens for
    # max_lexical_tokens (plus max_comments): move to them before it goes.
    assert "max_tokens" in parameters(parse)
    with pytest.raises(GraphQLError, match="tokens"):
        parse("{ a b c d e }", max_tokens=3)

    # api/http/media.py `is_request_error`: variables that do not coerce fail before execution, with
    # no data and errors without a path; a resolver's error always has its path.
    from channelfin.api.schema import schema

    refused = execute(schema._schema, parse("query($n: Int!) { __typename }"), variable_values={"n": "x"})
    assert refused.data is None and refused.errors and all(e.path is None for e in refused.errors)


def test_pynamodb_internals_used_by_the_reader_and_the_repositories():
    from pynamodb.attributes import Attribute, ListAttribute, MapAttribute, UnicodeAttribute
    from pynamodb.connection.base import Connection
    from pynamodb.connection.table import TableConnection
    from pynamodb.constants import NULL
    from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, Index
    from pynamodb.models import Model
    from pynamodb.pagination import ResultIterator

    from channelfin.store.tables import ALL_RECORDS

    class ByB(GlobalSecondaryIndex[Any]):
        class Meta:
            index_name = "by_b"
            projection = AllProjection()

        b = UnicodeAttribute(hash_key=True)

    class Inner(MapAttribute[str, Any]):
        x = UnicodeAttribute()

    class Record(Model):
        class Meta:
            table_name = "private-symbols-check"
            region = "eu-west-3"

        a = UnicodeAttribute(hash_key=True)
        z = UnicodeAttribute(range_key=True)
        b = UnicodeAttribute(null=True)
        inner = ListAttribute(of=Inner, null=True)
        by_b = ByB()

    # store/reads.py `_key`, `query`: the key attributes of a table and of an index.
    assert Record._hash_key_attribute().attr_name == "a" and Record._range_key_attribute().attr_name == "z"
    assert ByB._hash_key_attribute().attr_name == "b"

    # store/dynamo.py `_query_page`: an index knows its model (set by the model's metaclass).
    assert Record.by_b._model is Record
    for record in ALL_RECORDS:
        for _, index in inspect.getmembers(record, lambda member: isinstance(member, Index)):
            assert index._model is record
        # store/reads.py `reader_for` refuses polymorphic records; ours have no discriminator.
        assert record._get_discriminator_attribute() is None

    # store/reads.py `_client` and `query`, store/dynamo.py `_connection`, store/tables.py,
    # bench/run.py: the record's cached TableConnection, its Connection, that one's botocore
    # client; store/tables.py `bind` resets `_connection` to drop the old table name and host.
    assert Record._connection is None
    table = Record._get_connection()
    assert isinstance(table, TableConnection) and isinstance(table.connection, Connection)
    assert Record._connection is table
    assert isinstance(inspect.getattr_static(Connection, "client"), property)
    query_keywords = {"range_key_condition", "filter_condition", "index_name", "exclusive_start_key", "limit"}
    assert query_keywords | {"hash_key", "scan_index_forward"} <= set(parameters(TableConnection.query))

    # store/reads.py `query`: PynamoDB's paging (ExclusiveStartKey from each LastEvaluatedKey,
    # at most `limit` items) around the operation, items mapped to views by map_fn.
    assert parameters(ResultIterator)[:5] == ["operation", "args", "kwargs", "map_fn", "limit"]
    starts = []

    def operation(hash_key: str, **kwargs: Any) -> dict[str, Any]:
        starts.append(kwargs["exclusive_start_key"])
        if kwargs["exclusive_start_key"] is None:
            return {"Items": [{"n": 1}, {"n": 2}], "Count": 2, "ScannedCount": 2, "LastEvaluatedKey": {"k": 2}}
        return {"Items": [{"n": 3}, {"n": 4}], "Count": 2, "ScannedCount": 2}

    paged = ResultIterator(
        operation, ("h",), {"exclusive_start_key": None, "limit": 3}, map_fn=lambda i: i["n"], limit=3
    )
    assert list(paged) == [1, 2, 3] and starts == [None, {"k": 2}]

    # store/tables.py `add_missing_indexes`: the table description PynamoDB builds.
    [described] = Record._get_schema()["global_secondary_indexes"]
    assert described["index_name"] == "by_b" and described["projection"]["ProjectionType"] == "ALL"
    assert {"AttributeName": "b", "KeyType": "HASH"} in described["key_schema"]
    assert {"AttributeName": "b", "AttributeType": "S"} in described["attribute_definitions"]

    # store/reads.py `_converter` and `_leaf`: a list knows its element class, a leaf reads its
    # stored value with get_value, a map class lists its attributes, a stored NULL is {"NULL": True}.
    assert Record.inner.element_type is Inner
    assert UnicodeAttribute().get_value({"S": "v"}) == "v"
    assert list(Inner.get_attributes()) == ["x"] and "deserialize" in vars(Attribute)
    assert NULL == "NULL"


def test_botocore_internal_used_by_the_scan_guard():
    from botocore.client import BaseClient

    # tests/conftest.py `no_scan_ever` wraps every AWS call of the suite to refuse a Scan, and
    # tests/stack.py's table pool to note the keys written.
    assert parameters(BaseClient._make_api_call) == ["self", "operation_name", "api_params"]


def test_powertools_idempotency_internals_used_by_the_api():
    # api/http/idempotency.py drives the persistence layer as Powertools' own handler does (the
    # request runs in the event loop; Powertools' decorators wrap synchronous functions), so it
    # relies on these methods, their keyword names and these exceptions, none of them documented.
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyItemAlreadyExistsError,
        IdempotencyItemNotFoundError,
        IdempotencyValidationError,
    )
    from aws_lambda_powertools.utilities.idempotency.persistence.base import BasePersistenceLayer
    from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import DataRecord

    assert all(issubclass(e, Exception) for e in (IdempotencyItemAlreadyExistsError, IdempotencyItemNotFoundError))
    assert issubclass(IdempotencyValidationError, Exception)
    calls = {
        "configure": {"config", "key_prefix"},
        "save_inprogress": {"data", "remaining_time_in_millis"},
        "save_success": {"data", "result"},
        "delete_record": {"data", "exception"},
        "get_record": {"data"},
    }
    for method, keywords in calls.items():
        assert keywords <= set(parameters(getattr(BasePersistenceLayer, method))), method
    # api/http/idempotency.py `_earlier`: a stored answer, replayed.
    record = DataRecord(idempotency_key="k", status="COMPLETED", response_data='{"data": {}}')
    assert record.status == "COMPLETED" and record.response_json_as_dict() == {"data": {}}


def test_xdist_internal_used_by_the_test_lanes():
    """tests/lanes.py: scripts/test's two workers get whole units by overriding `_split_scope`, as
    xdist's own LoadFile scheduler does; a scheduler that lost it would split the in-process layers
    between workers (and moto's shared backends with them) without a word."""
    from xdist.scheduler import LoadFileScheduling, LoadScopeScheduling

    from tests import lanes

    assert "_split_scope" in vars(LoadScopeScheduling) and "_split_scope" in vars(LoadFileScheduling)
    assert parameters(LoadScopeScheduling._split_scope) == ["self", "nodeid"]
    assert parameters(LoadScopeScheduling.__init__)[:3] == ["self", "config", "log"]
    assert lanes.scope_of("tests/unit/test_api.py::test_x[fake]") == lanes.IN_PROCESS
    assert lanes.scope_of("tests/workflow/test_escrow_workflow.py::test_y") == lanes.IN_PROCESS
    assert lanes.scope_of("tests/e2e/test_fuzzing.py::test_z[a::b]") == "tests/e2e/test_fuzzing.py"
