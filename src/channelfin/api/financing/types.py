"""GraphQL types of a contract's financing (decision, delivery, installments) and the calculator."""

import datetime as dt

import strawberry

from channelfin.api.core.context import Context
from channelfin.api.core.money import Money
from channelfin.api.core.node import present, presenter
from channelfin.api.core.refs import FinancingAgreementRef
from channelfin.domain import financing as df
from channelfin.domain import financing_file as dff
from channelfin.domain.financing import DecisionMode
from channelfin.domain.financing_file import DecisionOutcome, WaitStep


@strawberry.type(description="A leaser's decision on a financing request.")
class FinancingDecision:
    outcome: DecisionOutcome = strawberry.field(description="Approved, rejected or referred to a credit review.")
    reasons: list[str] = strawberry.field(description="Why, one reason a line (e.g. a missing SIREN).")
    decided_at: dt.datetime = strawberry.field(description="When (UTC).")
    decided_by: str = strawberry.field(description="`automatic`, or the credit analyst's user id.")


@strawberry.type(
    description="The delivery report (procès-verbal de livraison) the owner submitted after installation; "
    "it counts once the end client signed it (documents: DELIVERY_REPORT)."
)
class DeliveryReport:
    installed_at: dt.date = strawberry.field(description="When the service was installed for the end client.")
    signed_by: str = strawberry.field(description="Who signs for the end client, as the owner named them.")
    submitted_at: dt.datetime = strawberry.field(description="When it was submitted (UTC).")


@strawberry.type(description="The financing of a contract.")
class Financing:
    financed_amount: Money = strawberry.field(description="PV of the software fees, financed by the leaser.")
    upfront_payout: Money = strawberry.field(description="Paid to the owner: financed amount less the file fee.")
    leaser_fees: Money = strawberry.field(description="The leaser's fees on this financing.")
    decision_mode: DecisionMode = strawberry.field(description="Immediate or credit review, by the agreement's limit.")
    decision: FinancingDecision | None = strawberry.field(description="The leaser's decision, once made.")
    requested_at: dt.datetime = strawberry.field(description="When financing was asked (UTC).")
    transmitted_at: dt.datetime | None = strawberry.field(description="When the complete file went to the leaser.")
    payout_due_by: dt.datetime | None = strawberry.field(description="transmittedAt + the agreement's payoutSlaHours.")
    delivery_report: DeliveryReport | None = strawberry.field(
        description="The end client's delivery report, once submitted."
    )
    declined: str | None = strawberry.field(description="Who declined to sign what, and why.")
    waiting_for: WaitStep | None = strawberry.field(description="What the workflow waits for now, if anything.")
    unconfirmed_signer: str | None = strawberry.field(
        default=None,
        description="Where a signature request of the file went that no analyst confirmed as the end client's "
        "signatory (confirmSignatory), or `(no address)`: the upfront payout then waits for an analyst "
        "(PAYOUT_RELEASE). Null when every request went to the confirmed signatory.",
    )
    agreement_id: strawberry.Private[str]

    @classmethod
    def from_domain(cls, f: dff.ContractFinancing) -> "Financing":
        d = f.decision
        report = f.delivery_report
        return cls(
            financed_amount=Money.from_domain(f.financed_amount),
            upfront_payout=Money.from_domain(f.upfront_payout),
            leaser_fees=Money.from_domain(f.leaser_fees),
            decision_mode=f.decision_mode,
            decision=FinancingDecision(
                outcome=d.outcome, reasons=list(d.reasons), decided_at=d.decided_at, decided_by=d.decided_by
            ),
            requested_at=f.requested_at,
            transmitted_at=f.transmitted_at,
            payout_due_by=f.payout_due_by,
            delivery_report=DeliveryReport(
                installed_at=report.installed_at, signed_by=report.signed_by, submitted_at=report.submitted_at
            )
            if report
            else None,
            declined=f.declined,
            waiting_for=f.waiting_for,
            unconfirmed_signer=f.unconfirmed_signer,
            agreement_id=f.agreement_id,
        )

    @strawberry.field(
        description="The financing agreement the file runs under: null for a party that is not its owner or leaser."
    )
    async def agreement(self, info: strawberry.Info[Context, None]) -> FinancingAgreementRef | None:
        # Batched: a page of financed contracts reads its agreements in one BatchGetItem.
        found = await info.context.loaders.agreement_by_id.load(self.agreement_id)
        if found is None or not info.context.principal.can_see_any_of((found.partner_id, found.leaser_id)):
            return None  # the same rule as node(id:): an introducer does not read the owner's terms
        return present("FinancingAgreement", found)


@strawberry.type(description="The calculator's answer; nothing is recorded.")
class LeaseQuote:
    financed_amount: Money = strawberry.field(description="PV of the rents paid in advance, to the cent.")
    rent: Money = strawberry.field(description="Software fee per period.")
    upfront_payout: Money = strawberry.field(description="Financed amount less the file fee.")
    leaser_fees: Money = strawberry.field(description="Rents over the term less the upfront payout.")
    decision_mode: DecisionMode = strawberry.field(
        description="IMMEDIATE below the agreement's limit, else CREDIT_REVIEW."
    )
    periods: int = strawberry.field(description="Number of rents over the term.")

    @classmethod
    def from_domain(cls, q: df.LeaseQuote) -> "LeaseQuote":
        return cls(
            financed_amount=Money.from_domain(q.financed_amount),
            rent=Money.from_domain(q.rent),
            upfront_payout=Money.from_domain(q.upfront_payout),
            leaser_fees=Money.from_domain(q.leaser_fees),
            decision_mode=q.decision_mode,
            periods=q.periods,
        )


presenter("Financing", Financing.from_domain)
