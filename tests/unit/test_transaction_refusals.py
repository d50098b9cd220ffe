"""Which failed transactions are a Conflict (refused by a condition or a concurrent transaction)
and which must surface (denied, throttled): `store/dynamo.transaction_refused`.

A deploy simulation (2026-12-03) found a role without DeleteItem whose denied transaction
answered "changed by others; try again", and a sale's cancellation that a denied write turned
into "no sale", leaving its commission due. The refusals themselves are met on DynamoDB Local
by the concurrency tests of every layer.
"""

from __future__ import annotations

from unittest import mock

import pytest
from pynamodb.exceptions import CancellationReason, TransactWriteError, VerboseClientError

from channelfin.domain.errors import Conflict
from channelfin.store import dynamo


def failed(code: str, *reasons: str | None) -> TransactWriteError:
    cause = VerboseClientError(
        {"Error": {"Code": code, "Message": code}},
        "TransactWriteItems",
        cancellation_reasons=[None if r is None else CancellationReason(code=r) for r in reasons],
    )
    return TransactWriteError("transaction failed", cause=cause)


@pytest.mark.parametrize(
    ("error", "refused"),
    [
        (failed("TransactionCanceledException", None, "ConditionalCheckFailed"), True),
        (failed("TransactionCanceledException", "TransactionConflict", None), True),
        (failed("TransactionCanceledException", "ConditionalCheckFailed", "ThrottlingError"), False),
        (failed("TransactionCanceledException", "ValidationError"), False),
        (failed("TransactionCanceledException"), False),
        (failed("AccessDeniedException"), False),
        (failed("ProvisionedThroughputExceededException"), False),
    ],
)
def test_only_conditions_and_concurrent_transactions_are_refusals(error, refused):
    assert dynamo.transaction_refused(error) is refused


def _writing_fails_with(error: TransactWriteError):
    transaction = mock.MagicMock()
    transaction.__exit__.side_effect = error
    return mock.patch.object(dynamo, "TransactWrite", return_value=transaction)


def test_a_denied_write_surfaces_instead_of_passing_for_a_conflict(monkeypatch):
    monkeypatch.setattr(dynamo, "connection", lambda record: None)
    item = mock.MagicMock()
    with _writing_fails_with(failed("AccessDeniedException")), pytest.raises(TransactWriteError):
        dynamo.put_with_copies(item, None, [], "changed by others", also=())
    refused = failed("TransactionCanceledException", "ConditionalCheckFailed")
    with _writing_fails_with(refused), pytest.raises(Conflict, match="changed by others"):
        dynamo.put_with_copies(item, None, [], "changed by others")


def test_a_denied_cancellation_of_a_sale_surfaces_instead_of_meaning_no_sale(monkeypatch):
    from channelfin.store import programs

    monkeypatch.setattr(programs, "connection", lambda record: None)
    store = programs.DynamoProgramRepository.__new__(programs.DynamoProgramRepository)
    with mock.patch.object(programs, "TransactWrite") as write:
        write.return_value.__enter__.return_value = mock.MagicMock()
        write.return_value.__exit__.side_effect = failed("AccessDeniedException")
        with pytest.raises(TransactWriteError):
            store.cancel_sale("e1", "c1")
        write.return_value.__exit__.side_effect = failed("TransactionCanceledException", "ConditionalCheckFailed")
        assert store.cancel_sale("e1", "c1") is None  # no sale, or cancelled already


def test_a_new_payout_refused_by_a_concurrent_transaction_is_written_on_a_later_try(monkeypatch):
    # Adding a payout also touches its contract's items, which a cancellation may be writing at the
    # same moment. That refusal wrote nothing: the payout is tried again, not reported as existing
    # (callers read "exists" as "given back already") nor as a raw error failing the step.
    from channelfin.domain.money import Money
    from channelfin.domain.payouts import PayoutKind
    from channelfin.store import payouts
    from tests.factories import T0, payout

    store = payouts.DynamoPayoutRepository.__new__(payouts.DynamoPayoutRepository)
    refund = payout("refund-x", PayoutKind.CHARGE_REFUND, "publisher", "affiliate", Money.of("10.00"), T0)
    monkeypatch.setattr(store, "get", lambda payout_id, consistent=False: None)
    monkeypatch.setattr(payouts, "backoff", lambda attempt: None)
    tries = []

    def once(new):
        tries.append(new.id)
        if len(tries) < 3:
            raise failed("TransactionCanceledException", "TransactionConflict", None)

    monkeypatch.setattr(store, "_add_once", once)
    store.add(refund)
    assert len(tries) == 3

    def denied(new):
        tries.append(new.id)
        raise failed("AccessDeniedException")

    tries.clear()
    monkeypatch.setattr(store, "_add_once", denied)
    with pytest.raises(TransactWriteError):
        store.add(refund)
    assert tries == ["refund-x"]  # denied: surfaces at once
