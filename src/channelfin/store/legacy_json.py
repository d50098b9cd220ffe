"""Items stored before nested data became PynamoDB maps: their JSON bodies, read as they were written.

Until December 2026 escrow agreements, incentive campaigns, credit lines and their movements,
and audit entries were one JSON string (`body`), a program's tier rules and an enrolment's
rules a JSON string (`tiers`), a contract's documents a JSON string (`documents`). Nothing
writes that form any more: a save puts the whole item, in the new form, so an old item takes
it the first time it is saved (the counters and payout ids updated in place leave the rest of
an item as it is). Until then the aggregate modules hand its old attribute to the reader here
(dual read).

This module can go once no item of the old form is left: once an export of the partners and
contracts tables shows no item with a `body`, `tiers` or `documents` attribute.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from channelfin.domain.audit import AuditEntry, AuditOutcome
from channelfin.domain.documents import DocumentStatus, FileDocument
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
from channelfin.domain.programs import Actor, PartnerTier, RewardKind, TierRules

_at = datetime.fromisoformat


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _money(value: list[Any]) -> Money:
    return Money.from_cents(int(value[0]), value[1])


def _money_or_none(value: list[Any] | None) -> Money | None:
    return _money(value) if value is not None else None


def escrow(body: str, *, agreement_id: str, version: int) -> EscrowAgreement:
    d = json.loads(body)
    return EscrowAgreement(
        id=agreement_id,
        leaser_id=d["leaserId"],
        publisher_id=d["publisherId"],
        host_id=d["hostId"],
        continuity_provider_id=d["continuityProviderId"],
        products=tuple(d["products"]),
        deposit_reference=d["depositReference"],
        last_deposit_at=_at(d["lastDepositAt"]),
        signed_at=_at(d["signedAt"]),
        signed_by=d["signedBy"],
        status=EscrowStatus(d["status"]),
        default_reason=d["defaultReason"],
        declared_by=d["declaredBy"],
        declarations=int(d["declarations"]),
        confirmed_by=d["confirmedBy"],
        deposit_released_at=_when(d["depositReleasedAt"]),
        history=tuple(EscrowEvent(step, _at(at), actor, note) for step, at, actor, note in d["history"]),
        notifications=tuple(Notification(r, k, s, _at(at), c) for r, k, s, at, c in d["notifications"]),
        taken_over=tuple(d["takenOver"]),
        task_token=d["taskToken"],
        version=version,
    )


def campaign(body: str, *, campaign_id: str) -> IncentiveCampaign:
    d = json.loads(body)
    return IncentiveCampaign(
        id=campaign_id,
        vendor_id=d["vendorId"],
        name=d["name"],
        kind=CampaignKind(d["kind"]),
        starts_at=_at(d["startsAt"]),
        ends_at=_at(d["endsAt"]),
        created_at=_at(d["createdAt"]),
        created_by=d["createdBy"],
        partner_roles=frozenset(PartnerRole(r) for r in d["partnerRoles"]),
        distributor_id=d["distributorId"],
        product_family=d["productFamily"],
        product_references=tuple(d["productReferences"]),
        licence_program=d["licenceProgram"],
        amount=_money_or_none(d["amount"]),
        per_order_amount=_money_or_none(d["perOrderAmount"]),
        rate=Decimal(d["rate"]) if d["rate"] is not None else None,
        multiplier=Decimal(d["multiplier"]) if d["multiplier"] is not None else None,
        payout_sla_hours=d["payoutSlaHours"],
        accepted_by=d.get("acceptedBy"),
        accepted_at=_when(d.get("acceptedAt")),
    )


def credit_line(body: str, *, line_id: str, version: int) -> CreditLine:
    d = json.loads(body)
    pending = d["pending"]
    return CreditLine(
        id=line_id,
        distributor_id=d["distributorId"],
        reseller_id=d["resellerId"],
        insured_limit=_money(d["insuredLimit"]),
        outstanding=_money(d["outstanding"]),
        created_at=_at(d["createdAt"]),
        pending_change=PendingCreditChange(_money(pending[0]), _money(pending[1]), pending[2], _at(pending[3]))
        if pending
        else None,
        history=tuple(
            CreditLineEvent(CreditChangeAction(a), _at(at), by, _money(f), _money(t))
            for a, at, by, f, t in d["history"]
        ),
        version=version,
    )


def credit_movement(body: str, *, line_id: str) -> CreditMovement:
    d = json.loads(body)
    return CreditMovement(
        id=d["id"],
        credit_line_id=line_id,
        kind=MovementKind(d["kind"]),
        amount=_money(d["amount"]),
        at=_at(d["at"]),
        by=d["by"],
        licence_program=d["licenceProgram"],
        reference=d["reference"],
    )


def audit_entry(body: str) -> AuditEntry:
    d = json.loads(body)
    return AuditEntry(
        id=d["id"],
        at=_at(d["at"]),
        actor=d["actor"],
        roles=tuple(d["roles"]),
        partner_id=d["partnerId"],
        operation=d["operation"],
        outcome=AuditOutcome(d["outcome"]),
        arguments=d["arguments"],
        codes=tuple(d["codes"]),
    )


def _rules(d: dict[str, Any]) -> TierRules:
    return TierRules(
        onboarding_by=Actor(d["onboardingBy"]),
        onboarding_invoiced_by=Actor(d["onboardingInvoicedBy"]),
        contract_held_by=Actor(d["contractHeldBy"]),
        support_by=Actor(d["supportBy"]),
        reward=RewardKind(d["reward"]),
        rate=Decimal(d["rate"]),
        from_sale=int(d["fromSale"]),
        needs_technical_qualification=bool(d["needsTechnicalQualification"]),
        benefits=tuple(d["benefits"]),
        evolutive_maintenance_by=Actor(d["evolutiveMaintenanceBy"]),
    )


def program_tiers(text: str) -> dict[PartnerTier, TierRules]:
    """A program's `tiers`: tier → rules (the tiers in the order of their names, as stored)."""
    return {PartnerTier(t): _rules(r) for t, r in json.loads(text).items()}


def enrollment_rules(text: str) -> TierRules:
    """An enrolment's `tiers`: the rules of its tier."""
    return _rules(json.loads(text))


def contract_documents(text: str) -> tuple[FileDocument, ...]:
    return tuple(
        FileDocument(
            kind=DocumentKind(d["kind"]),
            status=DocumentStatus(d["status"]),
            sha256=d["sha256"],
            storage_key=d["storageKey"],
            generated_at=_at(d["generatedAt"]),
            signing_request_id=d["requestId"],
            signing_url=d["signingUrl"],
            signed_by=d["signedBy"],
            signed_at=_when(d["signedAt"]),
            decline_reason=d["declineReason"],
        )
        for d in json.loads(text)
    )
