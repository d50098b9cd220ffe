"""Root query fields of financing (decision, delivery, installments)."""

from typing import Annotated

import strawberry

from channelfin.api.core.ids import local_id
from channelfin.api.core.node import Info
from channelfin.api.financing.inputs import LeaseQuoteInput
from channelfin.api.financing.types import LeaseQuote
from channelfin.domain.money import Money as DomainMoney
from channelfin.services import quotes as quote_service


@strawberry.type
class FinancingQueries:
    @strawberry.field(
        description="The lease calculator under a financing agreement. No side effect. It needs no end client, "
        "but financing will: the contract must name the end client's SIREN (createContract refuses it without "
        "one, SIREN_REQUIRED, unless `forFinancing` is false; requestFinancing rejects a contract still without one)."
    )
    def lease_quote(
        self,
        info: Info,
        input: Annotated[LeaseQuoteInput, strawberry.argument(description="What to do: see `LeaseQuoteInput`.")],
    ) -> LeaseQuote:
        ctx = info.context
        quote = quote_service.lease_quote(
            ctx.ports,
            ctx.principal,
            agreement_id=local_id(input.agreement_id, "FinancingAgreement", field=["agreementId"]),
            periodicity=input.periodicity,
            term_months=input.term_months,
            software_fee=DomainMoney(input.software_fee) if input.software_fee is not None else None,
            financed_amount=DomainMoney(input.financed_amount) if input.financed_amount is not None else None,
        )
        return LeaseQuote.from_domain(quote)
