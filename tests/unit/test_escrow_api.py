"""Escrow agreements through GraphQL, the workflow recorded by a FakeEngine (tests/workflow runs it)."""

from __future__ import annotations

import pytest

from tests import operations as ops
from tests.escrow_flow import SECOND_ADMIN, EscrowFlow
from tests.factories import LEASER_ADMIN, principal

pytestmark = pytest.mark.ports("fake", "dynamodb")  # the same tests on the fakes and on DynamoDB Local


@pytest.fixture
def escrow(world):
    return EscrowFlow(world)


def test_signing_records_an_active_agreement_with_its_history(escrow):
    agreement = escrow.setup()
    assert agreement["status"] == "ACTIVE" and agreement["products"] == ["all-in-web CRM"]
    assert agreement["depositStale"] is False
    assert agreement["history"] == [{"step": "SIGNED", "actor": LEASER_ADMIN.sub, "note": "deposit APP-2026-114"}]


def test_a_deposit_older_than_180_days_is_flagged_stale(escrow):
    assert escrow.setup(deposit_age_days=250)["depositStale"] is True


@pytest.mark.parametrize(
    ("field", "code"),
    [("hostId", "NOT_A_HOST"), ("leaserId", "NOT_A_LEASER"), ("publisherId", "NOT_A_PUBLISHER")],
)
def test_each_party_must_play_its_part(world, field, code):
    flow = EscrowFlow(world)
    flow.setup()
    values = {
        "leaserId": world.leaser,
        "publisherId": world.publisher,
        "hostId": flow.host,
        "continuityProviderId": flow.provider,
        "products": ["CRM"],
        "depositReference": "X",
        "lastDepositAt": "2026-06-01T00:00:00Z",
        field: world.reseller,
    }
    result = world.run(LEASER_ADMIN, ops.SIGN_ESCROW, input=values)
    assert [e["code"] for e in result.data["signEscrowAgreement"]["userErrors"]] == [code]


def test_only_leaser_admins_declare_and_confirm(escrow):
    escrow.setup()
    for who in (principal("credit-analyst"), principal("partner-admin", partner_id="x")):
        assert escrow.declare(who=who).codes == ["FORBIDDEN"]
    assert escrow.read()["status"] == "ACTIVE"


def test_a_declaration_starts_the_workflow_and_waits_for_another_admin(escrow):
    escrow.setup()
    declared = escrow.declare().data["declarePublisherDefault"]
    assert declared["escrowAgreement"]["status"] == "DEFAULT_DECLARED"
    engine = escrow.world.ports.escrow_workflows
    assert engine.started == {f"escrow-{escrow.local}-1": {"escrowAgreementId": escrow.local}}
    assert escrow.confirm(who=LEASER_ADMIN).codes == ["FORBIDDEN"]
    assert escrow.confirm(who=SECOND_ADMIN).data["confirmEscrowTrigger"]["userErrors"] == []
    assert escrow.read()["confirmedBy"] == SECOND_ADMIN.sub
    again = escrow.confirm(who=SECOND_ADMIN).data["confirmEscrowTrigger"]
    assert [e["code"] for e in again["userErrors"]] == ["NOTHING_TO_CONFIRM"]


def test_a_partner_reads_only_the_agreements_naming_it(escrow):
    escrow.setup()
    world = escrow.world
    mine = world.run(world.user_of(world.publisher), ops.ESCROW, id=escrow.agreement)
    assert mine.data["escrowAgreement"]["status"] == "ACTIVE"
    other = world.run(world.user_of(world.reseller), ops.ESCROW, id=escrow.agreement)
    assert other.data == {"escrowAgreement": None}
