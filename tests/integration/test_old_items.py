"""Items stored in the old form (nested data as JSON strings) are read as before, and take the new
form (PynamoDB maps) the first time they are saved.

The old items are written here as the store wrote them until December 2026: escrow agreements,
incentive campaigns, credit lines, movements and audit entries as one JSON `body`; a program's
and an enrolment's rules as a JSON `tiers`; a contract's documents as a JSON `documents`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import boto3
import pytest

from channelfin.domain.audit import AuditEntry, AuditOutcome
from channelfin.domain.documents import DocumentStatus, FileDocument
from channelfin.domain.errors import Conflict
from channelfin.domain.escrow import EscrowAgreement, EscrowEvent, EscrowStatus, Notification
from channelfin.domain.financing_file import DocumentKind
from channelfin.domain.incentives.campaigns import CampaignKind, IncentiveCampaign
from channelfin.domain.incentives.credit_lines import (
    CreditChangeAction,
    CreditLine,
    CreditLineEvent,
    CreditMovement,
    MovementKind,
    PendingCreditChange,
)
from channelfin.domain.money import Money
from channelfin.domain.partners import PartnerRole
from channelfin.domain.payouts import Payout, PayoutKind, PayoutStatus
from channelfin.domain.programs import Enrollment, PartnerProgram, PartnerTier
from channelfin.domain.relations import ConsentStatus
from channelfin.services.migrations import index_enrollments, migrate
from channelfin.services.paging import PageRequest
from channelfin.store.contracts import ContractRecord
from channelfin.store.escrow import EscrowRecord
from channelfin.store.payouts import _payout_record
from channelfin.store.programs import ProgramRecord
from tests import factories as f

pytestmark = pytest.mark.integration

T0 = f.T0
DAY = timedelta(days=1)
PARIS = timezone(timedelta(hours=1))
PARIS_SUMMER = timezone(timedelta(hours=2))


@pytest.fixture
def dynamodb(ports, dynamodb_local) -> Any:
    return boto3.client("dynamodb", endpoint_url=dynamodb_local.endpoint_url)


def _table() -> str:
    return EscrowRecord.Meta.table_name  # the partners table, bound by the `ports` fixture


def _put_old(dynamodb: Any, keys: dict[str, str], body: dict[str, Any], version: int | None = None) -> None:
    item: dict[str, Any] = {name: {"S": value} for name, value in keys.items()}
    item["body"] = {"S": json.dumps(body)}
    if version is not None:
        item["version"] = {"N": str(version)}
    dynamodb.put_item(TableName=_table(), Item=item)


def _raw(dynamodb: Any, table: str, pk: str, sk: str) -> dict[str, Any]:
    return dynamodb.get_item(TableName=table, Key={"pk": {"S": pk}, "sk": {"S": sk}})["Item"]


def _money(cents: int) -> list[Any]:
    return [cents, "EUR"]


# ---------------------------------------------------------------- escrow agreements

OLD_ESCROW = {
    "leaserId": "leaser",
    "publisherId": "pub",
    "hostId": "host",
    "continuityProviderId": "cp",
    "products": ["Compta", "Paie"],
    "depositReference": "DEP-1",
    "lastDepositAt": "2026-10-01T00:00:00+01:00",
    "signedAt": "2026-11-02T09:00:00+00:00",
    "signedBy": "admin-1",
    "status": "DEFAULT_DECLARED",
    "defaultReason": "insolvency",
    "declaredBy": "admin-1",
    "declarations": 1,
    "confirmedBy": None,
    "depositReleasedAt": None,
    "history": [
        ["SIGNED", "2026-11-02T09:00:00+00:00", "admin-1", None],
        ["DEFAULT_DECLARED", "2026-11-05T09:00:00+00:00", "admin-1", "insolvency"],
    ],
    "notifications": [
        ["host", "HOST", "Default declared", "2026-11-05T09:00:00+00:00", None],
        ["client", "END_CLIENT", "Continuity", "2026-11-05T09:00:00+00:00", "c1"],
    ],
    "takenOver": ["c1"],
    "taskToken": "token-1",
}
ESCROW = EscrowAgreement(
    id="old-escrow",
    leaser_id="leaser",
    publisher_id="pub",
    host_id="host",
    continuity_provider_id="cp",
    products=("Compta", "Paie"),
    deposit_reference="DEP-1",
    last_deposit_at=datetime(2026, 10, 1, tzinfo=PARIS),
    signed_at=T0,
    signed_by="admin-1",
    status=EscrowStatus.DEFAULT_DECLARED,
    default_reason="insolvency",
    declared_by="admin-1",
    declarations=1,
    history=(
        EscrowEvent("SIGNED", T0, "admin-1"),
        EscrowEvent("DEFAULT_DECLARED", T0 + timedelta(days=3), "admin-1", "insolvency"),
    ),
    notifications=(
        Notification("host", "HOST", "Default declared", T0 + timedelta(days=3)),
        Notification("client", "END_CLIENT", "Continuity", T0 + timedelta(days=3), "c1"),
    ),
    taken_over=("c1",),
    task_token="token-1",
    version=3,
)


def test_an_escrow_agreement_of_the_old_form_reads_as_before_and_is_saved_in_the_new(ports, dynamodb):
    keys = {"pk": "ESCROW#old-escrow", "sk": "ESCROW", "gsi1pk": "PUBLISHER#pub#ESCROWS"}
    _put_old(dynamodb, keys | {"gsi1sk": "2026-11-02T09:00:00.000000Z#old-escrow"}, OLD_ESCROW, version=3)

    stored = ports.escrows.get("old-escrow")
    assert stored == ESCROW
    assert stored.last_deposit_at.utcoffset() == timedelta(hours=1)  # the offset as it was given

    confirmed = replace(stored, status=EscrowStatus.TRIGGERED, confirmed_by="admin-2", version=4)
    with pytest.raises(Conflict):
        ports.escrows.save(confirmed, expected_version=2)
    ports.escrows.save(confirmed, expected_version=3)

    raw = _raw(dynamodb, _table(), "ESCROW#old-escrow", "ESCROW")
    assert "body" not in raw and raw["history"]["L"][1]["M"]["note"] == {"S": "insolvency"}
    assert raw["last_deposit_at"] == {"S": "2026-10-01T00:00:00+01:00"}
    assert ports.escrows.get("old-escrow") == confirmed


# ---------------------------------------------------------------- incentive campaigns

OLD_CAMPAIGN = {
    "vendorId": "vendor",
    "name": "Encours garanti",
    "kind": "CREDIT_GUARANTEE",
    "startsAt": "2027-03-01T00:00:00+01:00",
    "endsAt": "2027-04-01T00:00:00+02:00",
    "createdAt": "2026-11-02T09:00:00+00:00",
    "createdBy": "vendor-admin",
    "partnerRoles": ["RESELLER"],
    "distributorId": "dist",
    "productFamily": None,
    "productReferences": [],
    "licenceProgram": None,
    "amount": _money(500000),
    "perOrderAmount": None,
    "rate": None,
    "multiplier": None,
    "payoutSlaHours": None,
}  # written before distributors accepted credit campaigns: no acceptedBy/acceptedAt
CAMPAIGN = IncentiveCampaign(
    id="old-campaign",
    vendor_id="vendor",
    name="Encours garanti",
    kind=CampaignKind.CREDIT_GUARANTEE,
    starts_at=datetime(2027, 3, 1, tzinfo=PARIS),
    ends_at=datetime(2027, 4, 1, tzinfo=PARIS_SUMMER),
    created_at=T0,
    created_by="vendor-admin",
    partner_roles=frozenset({PartnerRole.RESELLER}),
    distributor_id="dist",
    amount=Money.of("5000.00"),
)


def test_a_campaign_of_the_old_form_and_its_copy_read_as_before_and_are_saved_in_the_new(ports, dynamodb):
    sort = "CREDIT_GUARANTEE#2027-02-28T23:00:00.000000Z#old-campaign"
    pk = {"pk": "CAMPAIGN#old-campaign"}
    _put_old(dynamodb, pk | {"sk": "CAMPAIGN", "gsi1pk": "VENDOR#vendor#CAMPAIGNS", "gsi1sk": sort}, OLD_CAMPAIGN)
    _put_old(
        dynamodb, pk | {"sk": "DISTRIBUTOR#dist", "gsi1pk": "DISTRIBUTOR#dist#CAMPAIGNS", "gsi1sk": sort}, OLD_CAMPAIGN
    )

    assert ports.incentives.get_campaign("old-campaign") == CAMPAIGN
    in_march = datetime(2027, 3, 2, tzinfo=UTC)
    kind = CampaignKind.CREDIT_GUARANTEE
    assert ports.incentives.started_campaigns(distributor_id="dist", kind=kind, at=in_march) == [CAMPAIGN]
    page = ports.incentives.campaigns_of_vendor("vendor", kind=None, page=PageRequest())
    assert page.items == [CAMPAIGN]

    accepted = CAMPAIGN.accepted(by="dist-admin", at=T0 + timedelta(hours=1))
    ports.incentives.save_campaign(accepted)

    for sk in ("CAMPAIGN", "DISTRIBUTOR#dist"):
        raw = _raw(dynamodb, _table(), "CAMPAIGN#old-campaign", sk)
        assert "body" not in raw and raw["amount"] == {"M": {"cents": {"N": "500000"}, "currency": {"S": "EUR"}}}
        assert raw["starts_at"] == {"S": "2027-03-01T00:00:00+01:00"}
    assert ports.incentives.started_campaigns(distributor_id="dist", kind=kind, at=in_march) == [accepted]
    assert ports.incentives.get_campaign("old-campaign").starts_at.utcoffset() == timedelta(hours=1)


# ---------------------------------------------------------------- credit lines and movements

OLD_LINE = {
    "distributorId": "dist",
    "resellerId": "res",
    "insuredLimit": _money(2000000),
    "outstanding": _money(150000),
    "createdAt": "2026-11-02T09:00:00+00:00",
    "pending": [_money(2000000), _money(0), "dist-admin", "2026-11-03T09:00:00+00:00"],
    "history": [
        ["OPENED", "2026-11-02T09:00:00+00:00", "dist-admin", _money(0), _money(2000000)],
        ["HELD", "2026-11-03T09:00:00+00:00", "dist-admin", _money(2000000), _money(0)],
    ],
}
LINE = CreditLine(
    id="old-line",
    distributor_id="dist",
    reseller_id="res",
    insured_limit=Money.of("20000.00"),
    outstanding=Money.of("1500.00"),
    created_at=T0,
    pending_change=PendingCreditChange(Money.of("20000.00"), Money.of("0.00"), "dist-admin", T0 + timedelta(days=1)),
    history=(
        CreditLineEvent(CreditChangeAction.OPENED, T0, "dist-admin", Money.of("0.00"), Money.of("20000.00")),
        CreditLineEvent(
            CreditChangeAction.HELD, T0 + timedelta(days=1), "dist-admin", Money.of("20000.00"), Money.of("0.00")
        ),
    ),
    version=4,
)
OLD_MOVEMENT = {
    "id": "mv1",
    "kind": "FIRM_ORDER",
    "amount": _money(150000),
    "at": "2026-11-02T11:00:00+00:00",
    "by": "res-user",
    "licenceProgram": "OEM",
    "reference": "PO-1",
}
MOVEMENT = CreditMovement(
    id="mv1",
    credit_line_id="old-line",
    kind=MovementKind.FIRM_ORDER,
    amount=Money.of("1500.00"),
    at=T0 + timedelta(hours=2),
    by="res-user",
    licence_program="OEM",
    reference="PO-1",
)


def test_a_credit_line_and_its_movements_of_the_old_form_read_as_before_and_new_ones_join_them(ports, dynamodb):
    pk = {"pk": "CREDITLINE#old-line"}
    _put_old(
        dynamodb, pk | {"sk": "LINE", "gsi1pk": "DISTRIBUTOR#dist#CREDITLINES", "gsi1sk": "res"}, OLD_LINE, version=4
    )
    _put_old(
        dynamodb, pk | {"sk": "RESELLER", "gsi1pk": "RESELLER#res#CREDITLINES", "gsi1sk": "dist"}, OLD_LINE, version=4
    )
    _put_old(dynamodb, pk | {"sk": "MOVE#2026-11-02T11:00:00.000000Z#mv1"}, OLD_MOVEMENT)

    assert ports.incentives.get_line("old-line") == LINE
    assert ports.incentives.lines_of("res", as_distributor=False, page=PageRequest()).items == [LINE]
    day = (T0, T0 + timedelta(days=1))
    assert ports.incentives.movements("old-line", start=day[0], end=day[1]) == [MOVEMENT]

    payment = CreditMovement(
        "mv2", "old-line", MovementKind.RESELLER_PAYMENT, Money.of("500.00"), T0 + timedelta(hours=3), "dist-user"
    )
    repaid = replace(LINE, outstanding=Money.of("1000.00"), version=5)
    with pytest.raises(Conflict):
        ports.incentives.save_line(repaid, expected_version=3, movement=payment)
    ports.incentives.save_line(repaid, expected_version=4, movement=payment)

    for sk in ("LINE", "RESELLER"):
        raw = _raw(dynamodb, _table(), "CREDITLINE#old-line", sk)
        assert "body" not in raw and raw["pending_change"]["M"]["requested_by"] == {"S": "dist-admin"}
    assert ports.incentives.get_line("old-line") == repaid
    assert ports.incentives.lines_of("dist", as_distributor=True, page=PageRequest()).items == [repaid]
    assert ports.incentives.movements("old-line", start=day[0], end=day[1]) == [MOVEMENT, payment]
    assert ports.incentives.movements_page("old-line", PageRequest()).items == [payment, MOVEMENT]


# ---------------------------------------------------------------- audit entries


def test_audit_entries_of_the_old_form_read_as_before_beside_new_ones(ports, dynamodb):
    at = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    old = AuditEntry(
        id="e1",
        at=at,
        actor="vendor-admin",
        roles=("partner-admin",),
        partner_id="vendor",
        operation="recordFirmOrder",
        outcome=AuditOutcome.REFUSED,
        arguments='{"input": {"amount": "1000.00"}}',
        codes=("CREDIT_LIMIT_EXCEEDED",),
    )
    body = {
        "id": "e1",
        "at": "2026-11-02T09:30:00+00:00",
        "actor": "vendor-admin",
        "roles": ["partner-admin"],
        "partnerId": "vendor",
        "operation": "recordFirmOrder",
        "outcome": "REFUSED",
        "arguments": '{"input": {"amount": "1000.00"}}',
        "codes": ["CREDIT_LIMIT_EXCEEDED"],
    }
    _put_old(dynamodb, {"pk": "AUDIT#2026-11-02", "sk": "2026-11-02T09:30:00.000000Z#e1"}, body)
    new = replace(old, id="e2", at=at + timedelta(minutes=5), outcome=AuditOutcome.DONE, codes=(), partner_id=None)
    ports.audit.record(new)

    assert ports.audit.entries_of_day(date(2026, 11, 2), PageRequest()).items == [new, old]


# ---------------------------------------------------------------- contracts' documents


def _to_old_form(dynamodb: Any, table: str, pk: str, sks: list[str], remove: str, old: str, text: str) -> None:
    """Turn items written in the new form back into the old one: the attribute `old` as JSON text."""
    for sk in sks:
        dynamodb.update_item(
            TableName=table,
            Key={"pk": {"S": pk}, "sk": {"S": sk}},
            UpdateExpression="REMOVE #new SET #old = :text",
            ExpressionAttributeNames={"#new": remove, "#old": old},
            ExpressionAttributeValues={":text": {"S": text}},
        )


def test_a_contract_whose_documents_are_of_the_old_form_reads_as_before_and_is_saved_in_the_new(ports, dynamodb):
    publisher, reseller = f.partner(PartnerRole.PUBLISHER), f.partner(PartnerRole.RESELLER)
    generated = datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)
    sent = FileDocument(
        DocumentKind.SALE_CONTRACT, DocumentStatus.SENT, "ab" * 32, "contracts/x/sale.pdf", generated, "req-1", "u"
    )
    signed = FileDocument(
        DocumentKind.LEASE_CONTRACT,
        DocumentStatus.SIGNED,
        "cd" * 32,
        "contracts/x/lease.pdf",
        generated,
        "req-2",
        "u2",
        "Client",
        generated + timedelta(hours=1),
    )
    contract = replace(f.contract(publisher, publisher, reseller), documents=(sent, signed))
    ports.contracts.add(contract)
    old_json = json.dumps(
        [
            {
                "kind": d.kind.value,
                "status": d.status.value,
                "sha256": d.sha256,
                "storageKey": d.storage_key,
                "generatedAt": d.generated_at.isoformat(),
                "requestId": d.signing_request_id,
                "signingUrl": d.signing_url,
                "signedBy": d.signed_by,
                "signedAt": d.signed_at.isoformat() if d.signed_at else None,
                "declineReason": d.decline_reason,
            }
            for d in contract.documents
        ]
    )
    sks = ["CONTRACT", f"PARTY#{publisher.id}", f"PARTY#{reseller.id}"]
    table, pk = ContractRecord.Meta.table_name, f"CONTRACT#{contract.id}"
    _to_old_form(dynamodb, table, pk, sks, "file_documents", "documents", old_json)

    assert ports.contracts.get(contract.id) == contract
    assert ports.contracts.get(contract.id).documents[0].generated_at.utcoffset() == timedelta(hours=1)
    listed = ports.contracts.find(party_id=reseller.id, role=None, status=None, page=PageRequest())
    assert listed.items == [contract]

    moved = replace(contract, documents=(sent, signed, replace(sent, kind=DocumentKind.DELIVERY_REPORT)), version=2)
    ports.contracts.save(moved, expected_version=1)
    for sk in sks:
        raw = _raw(dynamodb, table, pk, sk)
        assert "documents" not in raw and len(raw["file_documents"]["L"]) == 3
    assert ports.contracts.get(contract.id) == moved


# ---------------------------------------------------------------- programs' and enrolments' rules


def _old_rules(rules: Any) -> dict[str, Any]:
    return {
        "onboardingBy": rules.onboarding_by.value,
        "onboardingInvoicedBy": rules.onboarding_invoiced_by.value,
        "contractHeldBy": rules.contract_held_by.value,
        "supportBy": rules.support_by.value,
        "reward": rules.reward.value,
        "rate": str(rules.rate),
        "fromSale": rules.from_sale,
        "needsTechnicalQualification": rules.needs_technical_qualification,
        "benefits": list(rules.benefits),
        "evolutiveMaintenanceBy": rules.evolutive_maintenance_by.value,
    }


def test_programs_and_enrolments_whose_rules_are_of_the_old_form_read_as_before_and_count_sales(ports, dynamodb):
    program = PartnerProgram.create(
        id=f.next_id("prog"),
        publisher_id="pub",
        name="Partenaires",
        entry_fee_rate=Decimal("0.03"),
        affiliate_min_sales_per_year=None,
        tier_overrides={PartnerTier.PRESCRIBER: {"rate": Decimal("0.12")}},
        created_at=T0,
        created_by="pub-admin",
    )
    enrollment = Enrollment.enroll(
        id=f.next_id("enr"),
        program=program,
        partner_id="prescriber",
        tier=PartnerTier.PRESCRIBER,
        segment_potential=None,
        enrolled_at=T0,
        enrolled_by="pub-admin",
    )
    ports.programs.add_program(program)
    ports.programs.add_enrollment(enrollment)
    table = ProgramRecord.Meta.table_name
    tiers = json.dumps({t.value: _old_rules(r) for t, r in program.tiers.items()}, sort_keys=True)
    _to_old_form(dynamodb, table, f"PROGRAM#{program.id}", ["PROGRAM"], "tier_rules", "tiers", tiers)
    rules = json.dumps(_old_rules(enrollment.rules), sort_keys=True)
    _to_old_form(dynamodb, table, f"ENROLLMENT#{enrollment.id}", ["ENROLLMENT"], "rules", "tiers", rules)

    stored = ports.programs.get_program(program.id)
    assert stored == program
    assert list(stored.tiers) == sorted(program.tiers, key=lambda t: t.value)  # the order reads always gave
    assert ports.programs.programs_of("pub") == [program]
    assert ports.programs.get_enrollment(enrollment.id) == enrollment
    assert ports.programs.enrollments_of(program.id) == [enrollment]

    sale = ports.programs.record_sale(enrollment.id, "c1", T0 + timedelta(days=1))  # the counter moves on the old item
    assert sale.number == 1
    counted = replace(enrollment, sales_count=1)
    assert ports.programs.get_enrollment(enrollment.id) == counted

    ports.programs.save_enrollment(replace(counted, technically_qualified=True))
    raw = _raw(dynamodb, table, f"ENROLLMENT#{enrollment.id}", "ENROLLMENT")
    assert "tiers" not in raw and raw["rules"]["M"]["rate"] == {"S": "0.12"}
    assert ports.programs.get_enrollment(enrollment.id) == replace(counted, technically_qualified=True)


def test_an_enrolment_made_before_consent_reads_as_accepted_and_is_listed_and_related_once(ports, dynamodb):
    publisher, partner = f.partner(PartnerRole.PUBLISHER), f.partner(PartnerRole.RESELLER, PartnerRole.PRESCRIBER)
    for p in (publisher, partner):
        ports.partners.add(p)
    program = PartnerProgram.create(
        id=f.next_id("prog"),
        publisher_id=publisher.id,
        name="Partenaires",
        entry_fee_rate=Decimal("0.03"),
        affiliate_min_sales_per_year=None,
        tier_overrides=None,
        created_at=T0,
        created_by="pub-admin",
    )
    enrollment = Enrollment.enroll(
        id=f.next_id("enr"),
        program=program,
        partner_id=partner.id,
        tier=PartnerTier.PRESCRIBER,
        segment_potential=None,
        enrolled_at=T0,
        enrolled_by="pub-admin",
    )
    ports.programs.add_program(program)
    ports.programs.add_enrollment(enrollment)
    table, key = ProgramRecord.Meta.table_name, f"ENROLLMENT#{enrollment.id}"
    # As the store wrote it until consent: no status, not listed among its partner's.
    dynamodb.update_item(
        TableName=table,
        Key={"pk": {"S": key}, "sk": {"S": "ENROLLMENT"}},
        UpdateExpression="REMOVE #status",
        ExpressionAttributeNames={"#status": "status"},
    )
    dynamodb.delete_item(TableName=table, Key={"pk": {"S": key}, "sk": {"S": "PARTNER"}})

    old = ports.programs.get_enrollment(enrollment.id)
    assert old == replace(enrollment, status=ConsentStatus.ACCEPTED)  # its entry fee was charged when made

    def listed() -> list[Enrollment]:
        return ports.programs.enrollments_of_partner(partner.id, status=None, page=PageRequest()).items

    assert listed() == [] and not ports.relations.related(publisher.id, partner.id)

    assert index_enrollments(ports, dry_run=True) == 1
    assert listed() == [] and not ports.relations.related(publisher.id, partner.id)
    assert index_enrollments(ports) == 1
    assert listed() == [old] and ports.relations.related(publisher.id, partner.id)
    assert index_enrollments(ports) == 0 and index_enrollments(ports, dry_run=True) == 0
    with pytest.raises(Conflict):  # answered, in effect, when it was made
        ports.programs.answer_enrollment(replace(old, answered_by="x", answered_at=T0), charge=None, relation=None)
    ports.programs.save_enrollment(replace(old, technically_qualified=True))  # its qualification still changes
    assert ports.programs.get_enrollment(enrollment.id).technically_qualified is True


def _old_payout(payout_id: str, kind: PayoutKind, beneficiary: str, contract_id: str | None, **more: Any) -> Payout:
    """A payout as stored before payers existed: no `payer_id`, no ledger entries."""
    payout = Payout(
        id=payout_id,
        kind=kind,
        status=more.pop("status", PayoutStatus.SCHEDULED),
        amount=Money.of("120.00"),
        beneficiary_id=beneficiary,
        payer_id="",
        created_at=T0,
        contract_id=contract_id,
        **more,
    )
    _payout_record(payout).save()
    return payout


def test_payouts_stored_before_payers_get_their_payer_and_ledger_entries_once(ports):
    publisher, affiliate = f.partner(PartnerRole.PUBLISHER), f.partner(PartnerRole.RESELLER)
    vendor = f.partner(PartnerRole.PUBLISHER, name="Vendor")  # a vendor is a publisher with campaigns
    for partner in (publisher, affiliate, vendor):
        ports.partners.add(partner)
    contract = f.contract(affiliate, publisher, affiliate)  # the affiliate holds it
    ports.contracts.add(contract)
    _old_payout("old-commission", PayoutKind.COMMISSION, affiliate.id, contract.id)
    _old_payout("old-charge", PayoutKind.PARTNER_CHARGE, affiliate.id, contract.id)
    _old_payout(f"rebate-{vendor.id}-S1", PayoutKind.REBATE, affiliate.id, None)
    _old_payout("old-paid", PayoutKind.COMMISSION, affiliate.id, contract.id, status=PayoutStatus.PAID, paid_at=T0)
    _old_payout("rebate", PayoutKind.REBATE, affiliate.id, None)  # whose vendor cannot be told
    told: list[str] = []

    assert migrate(ports, dry_run=True) == 4
    assert ports.payouts.get("old-commission").payer_id == "" and ports.ledger.journal_until(T0 + DAY) == []

    assert migrate(ports, progress=told.append) == 4
    ids = ["old-commission", "old-charge", f"rebate-{vendor.id}-S1", "old-paid", "rebate"]
    payers = {p.id: (p.payer_id, p.beneficiary_id) for p in ports.payouts.get_many(ids).values()}
    assert payers == {
        "old-commission": (publisher.id, affiliate.id),
        "old-charge": (affiliate.id, publisher.id),  # turned round: the affiliate owes the publisher
        f"rebate-{vendor.id}-S1": (vendor.id, affiliate.id),
        "old-paid": (publisher.id, affiliate.id),
        "rebate": ("", affiliate.id),
    }
    assert told == ["1 payouts have no payer that can be told (see services/migrations.py)"]
    entries = ports.ledger.journal_until(T0 + DAY)
    assert {e.payout_id for e in entries} == {"old-commission", "old-charge", f"rebate-{vendor.id}-S1", "old-paid"}
    assert [e.id for e in entries if e.payout_id == "old-paid" and e.id.endswith("/paid")]  # its history, paid
    assert migrate(ports) == 0 and len(ports.ledger.journal_until(T0 + DAY)) == len(entries)  # once
