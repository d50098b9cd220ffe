"""The lease calculator: no side effect."""

from __future__ import annotations

from channelfin.domain.access import Principal
from channelfin.domain.errors import NotFound
from channelfin.domain.financing import LeaseQuote, LeaseTerms, Periodicity, quote
from channelfin.domain.money import Money
from channelfin.services.partners import visible_agreement
from channelfin.services.ports import Ports


def lease_quote(
    ports: Ports,
    principal: Principal,
    *,
    agreement_id: str,
    periodicity: Periodicity,
    term_months: int,
    software_fee: Money | None,
    financed_amount: Money | None,
) -> LeaseQuote:
    agreement = visible_agreement(ports, principal, agreement_id)
    if agreement is None:
        raise NotFound("no such financing agreement", field=["agreementId"])
    terms = LeaseTerms(periodicity, term_months, agreement.annual_rate)
    return quote(
        terms,
        file_fee=agreement.file_fee,
        instant_decision_limit=agreement.instant_decision_limit,
        software_fee=software_fee,
        financed_amount=financed_amount,
    )
