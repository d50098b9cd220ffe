"""Objects as an event's payload shows them: the API's field names, global ids, money as strings.

Each view is what the partner receiving the event may read of the object through the API
(`contract(id:)`, `payout`, `escrowAgreement`, `creditLine`), so an integrator can take the
payload for what a query would answer then. Related partners are `{"id": <global id>}`;
amounts are `{"amount": "1000.00", "currency": "EUR"}` (Decimal strings, never numbers).
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from channelfin.domain.contracts import Contract
from channelfin.domain.escrow import EscrowAgreement
from channelfin.domain.financing_file import ContractFinancing, FinancingDecision
from channelfin.domain.incentives.credit_lines import CreditLine, CreditLineEvent, CreditMovement
from channelfin.domain.money import Money
from channelfin.domain.payouts import Payout

Json = dict[str, Any]


def gid(type_name: str, local_id: str) -> str:
    """The API's global id (`api.core.ids.to_global_id`; a unit test holds the two together)."""
    return base64.b64encode(f"{type_name}:{local_id}".encode()).decode()


def stamp(at: datetime | None) -> str | None:
    if at is None:
        return None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat()


def money(amount: Money | None) -> Json | None:
    return None if amount is None else {"amount": str(amount.rounded().amount), "currency": amount.currency}


def _partner(partner_id: str | None) -> Json | None:
    return {"id": gid("Partner", partner_id)} if partner_id else None


def decision(d: FinancingDecision) -> Json:
    return {
        "outcome": d.outcome.value,
        "reasons": list(d.reasons),
        "decidedAt": stamp(d.decided_at),
        "decidedBy": d.decided_by,
    }


def _financing(f: ContractFinancing, owner_sees_terms: bool) -> Json:
    report = f.delivery_report
    return {
        # The agreement's terms are the owner's (and the leaser's): an introducer sees the file, not them.
        "agreement": {"id": gid("FinancingAgreement", f.agreement_id)} if owner_sees_terms else None,
        "financedAmount": money(f.financed_amount),
        "upfrontPayout": money(f.upfront_payout),
        "leaserFees": money(f.leaser_fees),
        "decisionMode": f.decision_mode.value,
        "decision": decision(f.decision),
        "requestedAt": stamp(f.requested_at),
        "transmittedAt": stamp(f.transmitted_at),
        "payoutDueBy": stamp(f.payout_due_by),
        "deliveryReport": {
            "installedAt": report.installed_at.isoformat(),
            "signedBy": report.signed_by,
            "submittedAt": stamp(report.submitted_at),
        }
        if report
        else None,
        "declined": f.declined,
        "waitingFor": f.waiting_for.value if f.waiting_for else None,
    }


def contract(c: Contract, viewer_id: str) -> Json:
    """The contract as a party sees it (without its payouts, which each party sees only in part)."""
    return {
        "id": gid("Contract", c.id),
        "status": c.status.value,
        "owner": _partner(c.owner_id),
        "publisher": _partner(c.publisher_id),
        "reseller": _partner(c.reseller_id),
        "resellerRole": c.reseller_role.value if c.reseller_role else None,
        "supportProvider": _partner(c.support_provider),
        "customer": {
            "name": c.customer.name,
            "registrationNumber": c.customer.registration_number,
            "email": c.customer.email,
        },
        "periodicity": c.periodicity.name,
        "termMonths": c.term_months,
        "startDate": c.start_date.isoformat(),
        "softwareFee": money(c.software_fee),
        "supportFee": money(c.support_fee),
        "underContinuity": c.under_continuity,
        "createdAt": stamp(c.created_at),
        "payoutDueBy": stamp(c.payout_due_by),
        "collectedInstallments": list(c.collected_installments),
        "financing": _financing(c.financing, viewer_id == c.owner_id) if c.financing else None,
        "documents": [
            {"kind": d.kind.value, "status": d.status.value, "sha256": d.sha256, "signedAt": stamp(d.signed_at)}
            for d in c.documents
        ],
    }


def payout(p: Payout) -> Json:
    """A payout as its payer and its beneficiary see it."""
    return {
        "id": gid("Payout", p.id),
        "kind": p.kind.value,
        "status": p.status.value,
        "amount": money(p.amount),
        "payer": _partner(p.payer_id),
        "beneficiary": _partner(p.beneficiary_id),
        "contract": {"id": gid("Contract", p.contract_id)} if p.contract_id else None,
        "installment": p.installment,
        "dueBy": stamp(p.due_by),
        "paidAt": stamp(p.paid_at),
        "slaMet": p.sla_met,
        "failureReason": p.failure_reason,
        "settled": money(p.settled),
    }


def escrow(e: EscrowAgreement) -> Json:
    return {
        "escrowAgreement": {
            "id": gid("EscrowAgreement", e.id),
            "status": e.status.value,
            "leaser": _partner(e.leaser_id),
            "publisher": _partner(e.publisher_id),
            "host": _partner(e.host_id),
            "continuityProvider": _partner(e.continuity_provider_id),
            "products": list(e.products),
            "depositReference": e.deposit_reference,
            "depositReleasedAt": stamp(e.deposit_released_at),
            "defaultReason": e.default_reason,
            "contractsTakenOver": [gid("Contract", c) for c in e.taken_over],
        }
    }


def credit_line(line: CreditLine) -> Json:
    """The line's stored figures; `available` depends on the campaigns in force: ask `creditLine(id:)`."""
    pending = line.pending_change
    return {
        "id": gid("CreditLine", line.id),
        "distributor": _partner(line.distributor_id),
        "reseller": _partner(line.reseller_id),
        "insuredLimit": money(line.insured_limit),
        "outstanding": money(line.outstanding),
        "pendingChange": {
            "fromLimit": money(pending.from_limit),
            "toLimit": money(pending.to_limit),
            "requestedAt": stamp(pending.requested_at),
        }
        if pending
        else None,
    }


def limit_change(event: CreditLineEvent) -> Json:
    return {
        "action": event.action.value,
        "at": stamp(event.at),
        "fromLimit": money(event.from_limit),
        "toLimit": money(event.to_limit),
    }


def movement(m: CreditMovement) -> Json:
    return {"kind": m.kind.value, "amount": money(m.amount), "at": stamp(m.at), "reference": m.reference}
