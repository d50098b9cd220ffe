"""The persisted-queries table on DynamoDB Local, and the in-memory fake held to the same behaviour.

The same contract runs on both (`tests/fakes.py` FakePersistedQueries is what the unit tests use):
a document kept by hash, expiry read as DynamoDB's TTL, a trusted document never replaced by
an automatic one; and `channelfin trust-documents` writing a manifest into the table.
"""

from __future__ import annotations

import hashlib
import json
import uuid

import pytest

from channelfin.cli import main
from channelfin.store.persisted_queries import DynamoPersistedQueries, PersistedQueryRecord
from channelfin.store.tables import bind, create_missing_tables, delete_tables
from tests.fakes import FakePersistedQueries

pytestmark = pytest.mark.integration

QUERY = "{ viewer { sub } }"
SHA = hashlib.sha256(QUERY.encode()).hexdigest()


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def prefix(aws_local_env, dynamodb_local):
    prefix = f"q{uuid.uuid4().hex[:10]}-"
    bind(prefix=prefix, region="eu-west-3", host=dynamodb_local.endpoint_url)
    create_missing_tables(records=[PersistedQueryRecord])
    yield prefix
    delete_tables(records=[PersistedQueryRecord])


@pytest.fixture(params=["dynamodb", "fake"])
def store_and_clock(request, prefix):
    clock = Clock()
    return (DynamoPersistedQueries(clock) if request.param == "dynamodb" else FakePersistedQueries(clock)), clock


def test_a_document_is_kept_by_hash_until_it_expires(store_and_clock):
    store, clock = store_and_clock
    assert store.get(SHA) is None
    store.put(SHA, QUERY, ttl_seconds=60)
    assert store.get(SHA) == (QUERY, False)
    clock.now += 61
    assert store.get(SHA) is None  # DynamoDB may still hold it for a day or two: read as absent
    store.put(SHA, QUERY, ttl_seconds=60)  # the client registers it again
    assert store.get(SHA) == (QUERY, False)


def test_a_trusted_document_never_expires_and_is_never_replaced(store_and_clock):
    store, clock = store_and_clock
    store.put(SHA, QUERY, ttl_seconds=None, trusted=True)
    store.put(SHA, QUERY, ttl_seconds=60)  # refused by the condition, silently
    clock.now += 365 * 24 * 3600
    assert store.get(SHA) == (QUERY, True)


def test_the_ttl_attribute_is_epoch_seconds_as_dynamodb_expects(prefix, dynamodb_local):
    import boto3

    DynamoPersistedQueries(lambda: 1_800_000_000.0).put(SHA, QUERY, ttl_seconds=60)
    client = boto3.client("dynamodb", region_name="eu-west-3", endpoint_url=dynamodb_local.endpoint_url)
    item = client.get_item(TableName=f"{prefix}persisted-queries", Key={"id": {"S": SHA}})["Item"]
    assert item["expiresAt"] == {"N": "1800000060"}


def test_trust_documents_writes_a_manifest_and_refuses_a_wrong_hash(prefix, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CHANNELFIN_TABLE_PREFIX", prefix)
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "format": "apollo-persisted-query-manifest",
                "version": 1,
                "operations": [{"id": SHA, "name": "Viewer", "type": "query", "body": QUERY}],
            }
        )
    )
    assert main(["trust-documents", str(manifest)]) == 0
    assert DynamoPersistedQueries().get(SHA) == (QUERY, True)

    manifest.write_text(json.dumps({SHA: "{ viewer { roles } }"}))
    assert main(["trust-documents", str(manifest)]) == 1
    assert "not the SHA-256" in capsys.readouterr().err
