"""Repository behaviour that only the real engine can show."""

import contextlib
from datetime import timedelta

import boto3
import pytest

from channelfin.domain.contract_status import ContractStatus
from channelfin.domain.errors import Conflict
from channelfin.domain.money import Money
from channelfin.domain.partners import PartnerRole
from channelfin.domain.payouts import Payout, PayoutKind, PayoutStatus
from channelfin.services.paging import InvalidCursor, PageRequest
from channelfin.store.contracts import ContractRecord
from tests import factories as f

pytestmark = pytest.mark.integration


def test_partner_round_trip_and_role_index(ports):
    publisher = f.partner(PartnerRole.PUBLISHER, PartnerRole.RESELLER, name="Zeta Soft")
    other = f.partner(PartnerRole.RESELLER, name="alpha reseller")
    ports.partners.add(publisher)
    ports.partners.add(other)
    assert ports.partners.get(publisher.id) == publisher
    resellers = ports.partners.find(role=PartnerRole.RESELLER, page=PageRequest(first=10))
    assert [p.name for p in resellers.items] == ["alpha reseller", "Zeta Soft"]  # by name, case-blind
    publishers = ports.partners.find(role=PartnerRole.PUBLISHER, page=PageRequest(first=10))
    assert [p.id for p in publishers.items] == [publisher.id]
    with pytest.raises(Conflict):
        ports.partners.add(publisher)


def test_agreement_money_is_stored_in_cents_and_comes_back_exact(ports):
    owner, leaser = f.partner(PartnerRole.PUBLISHER), f.partner(PartnerRole.LEASER)
    agreement = f.agreement(owner, leaser, file_fee=Money.of("150.10"))
    ports.partners.add_agreement(agreement)
    assert ports.partners.get_agreement(agreement.id) == agreement
    assert ports.partners.agreements_of(owner.id) == [agreement]


def test_contract_is_written_with_a_copy_per_party_and_money_in_cents(ports, dynamodb_local):
    publisher, reseller = f.partner(PartnerRole.PUBLISHER), f.partner(PartnerRole.RESELLER)
    contract = f.contract(publisher, publisher, reseller, software_fee=Money.of("1234.56"))
    ports.contracts.add(contract)
    assert ports.contracts.get(contract.id) == contract

    raw = boto3.client("dynamodb", endpoint_url=dynamodb_local.endpoint_url).query(
        TableName=ContractRecord.Meta.table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"CONTRACT#{contract.id}"}},
    )["Items"]
    assert sorted(i["sk"]["S"] for i in raw) == sorted(["CONTRACT", f"PARTY#{publisher.id}", f"PARTY#{reseller.id}"])
    assert {i["software_fee_cents"]["N"] for i in raw} == {"123456"}


def test_saving_on_a_stale_version_is_a_conflict_and_changes_nothing(ports):
    publisher = f.partner(PartnerRole.PUBLISHER)
    contract = f.contract(publisher, publisher)
    ports.contracts.add(contract)
    moved = contract.moved_to(ContractStatus.CANCELLED, at=f.T0 + timedelta(hours=1), actor="a")
    ports.contracts.save(moved, expected_version=contract.version)
    with pytest.raises(Conflict):
        ports.contracts.save(moved, expected_version=contract.version)
    stored = ports.contracts.get(contract.id)
    assert stored.status is ContractStatus.CANCELLED
    assert [e.status for e in stored.timeline] == [ContractStatus.DRAFT, ContractStatus.CANCELLED]
    # the party copies follow the status, so the status-filtered list finds it
    page = ports.contracts.find(
        party_id=publisher.id, role=None, status=ContractStatus.CANCELLED, page=PageRequest(first=5)
    )
    assert [c.id for c in page.items] == [contract.id]
    drafts = ports.contracts.find(
        party_id=publisher.id, role=None, status=ContractStatus.DRAFT, page=PageRequest(first=5)
    )
    assert drafts.items == []


def test_role_filtered_pages_are_full_despite_the_filter(ports):
    reseller, publisher = f.partner(PartnerRole.RESELLER), f.partner(PartnerRole.PUBLISHER)
    owned = []
    for k in range(6):
        at = f.T0 + timedelta(minutes=k)
        if k % 2:
            c = f.contract(reseller, publisher, reseller, created_at=at)
            owned.append(c.id)
        else:
            c = f.contract(publisher, publisher, reseller, created_at=at)
        ports.contracts.add(c)
    from channelfin.domain.contracts import PartyRole

    first = ports.contracts.find(party_id=reseller.id, role=PartyRole.OWNER, status=None, page=PageRequest(first=2))
    assert len(first.items) == 2 and first.has_next_page
    rest = ports.contracts.find(
        party_id=reseller.id, role=PartyRole.OWNER, status=None, page=PageRequest(first=2, after=first.end_cursor)
    )
    assert [c.id for c in first.items + rest.items] == list(reversed(owned))
    assert not rest.has_next_page


def test_payouts_by_contract_and_by_beneficiary(ports):
    payout = Payout(
        id="po1",
        kind=PayoutKind.SOFTWARE_UPFRONT,
        status=PayoutStatus.SCHEDULED,
        amount=Money.of("32885.37"),
        beneficiary_id="b1",
        payer_id="leaser1",
        created_at=f.T0,
        contract_id="c1",
        due_by=f.T0 + timedelta(hours=72),
    )
    ports.payouts.add(payout)
    assert ports.payouts.get("po1") == payout
    assert ports.payouts.find(contract_id="c1", beneficiary_id=None, page=PageRequest()).items == [payout]
    assert ports.payouts.find(contract_id="c1", beneficiary_id="other", page=PageRequest()).items == []
    assert ports.payouts.find(contract_id=None, beneficiary_id="b1", page=PageRequest()).items == [payout]


def test_a_run_holds_only_the_payouts_still_free_in_batches(ports):
    """150 payouts (two transactions): those another run holds or that are paid stay as they are."""
    payouts = [
        Payout(
            id=f"held-{n:03d}",
            kind=PayoutKind.COMMISSION,
            status=PayoutStatus.PAID if n in (7, 120) else PayoutStatus.SCHEDULED,
            amount=Money.of("10.00"),
            beneficiary_id=f"b{n % 3}",
            payer_id="payer",
            created_at=f.T0 + timedelta(seconds=n),
        )
        for n in range(150)
    ]
    for payout in payouts:
        ports.payouts.add(payout)
    assert [p.id for p in ports.payouts.hold([payouts[3], payouts[130]], "other-run")] == ["held-003", "held-130"]

    held = ports.payouts.hold(payouts, "this-run")

    taken = {"held-003", "held-130", "held-007", "held-120"}
    assert [p.id for p in held] == [p.id for p in payouts if p.id not in taken]  # in the order asked
    stored = ports.payouts.get_many(p.id for p in payouts)
    assert {p.id: p.run_id for p in stored.values() if p.run_id != "this-run"} == {
        "held-003": "other-run",
        "held-130": "other-run",
        "held-007": None,
        "held-120": None,
    }
    assert ports.payouts.hold(payouts[:5], "this-run") == [
        p.held_by("this-run") for p in payouts[:5] if p.id != "held-003"
    ]


def test_a_position_of_another_list_never_reaches_dynamodb_as_another_lists_key(ports):
    """Positions reach a store only signed for their list (api/core/cursors.py). Even so, a position
    holds no hash key (the Query supplies its own), so a foreign one is a place in this list or an
    InvalidCursor: never the ValidationException a raw key of another index gave (a 500)."""

    publisher, reseller = f.partner(PartnerRole.PUBLISHER), f.partner(PartnerRole.RESELLER)
    for p in (publisher, reseller):
        ports.partners.add(p)
    for _ in range(3):
        ports.contracts.add(f.contract(publisher, publisher, reseller))
    mine = ports.contracts.find(party_id=publisher.id, role=None, status=None, page=PageRequest(first=1))
    everyone = ports.contracts.find(party_id=None, role=None, status=None, page=PageRequest(first=1))
    for party, position in ((None, mine.end_cursor), (reseller.id, everyone.end_cursor), (None, "AwAA")):
        with contextlib.suppress(InvalidCursor):  # or a place in this list: not a QueryError
            ports.contracts.find(party_id=party, role=None, status=None, page=PageRequest(after=position))
    all_three = ports.contracts.find(party_id=publisher.id, role=None, status=None, page=PageRequest()).items
    backward = ports.contracts.find(party_id=publisher.id, role=None, status=None, page=PageRequest(last=2))
    assert [c.id for c in backward.items] == [c.id for c in all_three[1:]]
    assert backward.has_previous_page and not backward.has_next_page
