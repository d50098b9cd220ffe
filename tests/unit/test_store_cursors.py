"""The store's positions: packed small, read back exactly, anything else refused as InvalidCursor."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channelfin.services.paging import InvalidCursor
from channelfin.store import cursors
from channelfin.store.dynamo import sort_stamp

KEYS = ("pk", "sk", "gsi1pk", "gsi1sk")


def test_a_contract_on_a_partners_list_packs_into_a_few_dozen_characters():
    contract, party = uuid.uuid4().hex, uuid.uuid4().hex
    from datetime import UTC, datetime

    values = [f"CONTRACT#{contract}", f"PARTY#{party}", f"{sort_stamp(datetime.now(UTC))}#{contract}"]
    position = cursors.encode(values, f"PARTY#{party}")
    assert len(position) <= 48  # 141 characters of key
    key = cursors.decode(position, KEYS, "gsi1pk", f"PARTY#{party}")
    assert key == {
        "pk": {"S": values[0]},
        "sk": {"S": values[1]},
        "gsi1sk": {"S": values[2]},
        "gsi1pk": {"S": f"PARTY#{party}"},
    }


key_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300)


@given(st.lists(key_text, min_size=3, max_size=3), key_text)
def test_any_key_reads_back_as_it_was(values, known):
    position = cursors.encode(values, known)
    key = cursors.decode(position, KEYS, "gsi1pk", known)
    assert [key[name]["S"] for name in ("pk", "sk", "gsi1sk")] == values


@pytest.mark.parametrize("garbage", ["", "!!!", "AAAA", "/w", "A" * 2000, "AwAA", "A" * 12])
def test_garbage_is_refused(garbage):
    with pytest.raises(InvalidCursor):
        cursors.decode(garbage, KEYS, "gsi1pk", "PARTY#x")


@given(st.binary(max_size=80))
def test_random_bytes_are_refused_or_read_never_crash(data):
    import base64

    position = base64.urlsafe_b64encode(data).decode().rstrip("=")
    try:
        key = cursors.decode(position, KEYS, "gsi1pk", "PARTY#x")
    except InvalidCursor:
        return
    # Read: a key of this Query (its hash key as asked, every other value non-empty text).
    assert set(key) == set(KEYS) and key["gsi1pk"] == {"S": "PARTY#x"}
    assert all(isinstance(v["S"], str) and v["S"] for v in key.values())
