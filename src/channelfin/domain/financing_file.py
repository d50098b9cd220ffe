"""The financing file of one contract: the decision, the signed documents, the SLA clock.

The order of seed 000 is: approval (immediate below the agreement's limit, credit review
at or above it) → the end client signs the sale and the lease contracts → after
installation, the delivery report → the file is transmitted and the leaser pays the
software part within `payoutSlaHours`.

An immediate decision is automatic, so it follows fixed rules (`decide`): it approves
unless the end client cannot be identified (no SIREN), the file fee would eat the whole
financed amount, or the term is longer than the leaser finances software without a
review (`MAX_AUTOMATIC_TERM_MONTHS`). It refers to credit review, instead of approving, a
file that takes the end client's total outstanding with the leaser to the limit
(`credit_exposure`) and any file of a publisher in default.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from channelfin.domain.financing import DecisionMode, LeaseQuote
from channelfin.domain.money import Money
from channelfin.domain.partners import FinancingAgreement

MAX_AUTOMATIC_TERM_MONTHS = 60


class DecisionOutcome(enum.Enum):
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    REFERRED = "REFERRED"


class DocumentKind(enum.Enum):
    SALE_CONTRACT = "SALE_CONTRACT"
    LEASE_CONTRACT = "LEASE_CONTRACT"
    DELIVERY_REPORT = "DELIVERY_REPORT"


SIGNED_BEFORE_DELIVERY = (DocumentKind.SALE_CONTRACT, DocumentKind.LEASE_CONTRACT)


class WaitStep(enum.Enum):
    """The steps where the workflow waits for people (a task token is held meanwhile)."""

    CREDIT_REVIEW = "CREDIT_REVIEW"
    SIGNATURES = "SIGNATURES"
    DELIVERY_REPORT = "DELIVERY_REPORT"  # the owner's submission, after installation
    DELIVERY_SIGNATURE = "DELIVERY_SIGNATURE"  # the end client's signature of the submitted report
    PAYOUT_RELEASE = "PAYOUT_RELEASE"  # publisher in default, or signer unconfirmed: an analyst releases it


class SignatureSource(enum.Enum):
    """Who vouches for a signature: never the party that is paid (issue 17)."""

    PROVIDER = "PROVIDER"  # the e-signature provider: its webhook, or the platform's connector
    OVERRIDE = "OVERRIDE"  # a leaser-admin, with the reason it gave (signed on paper...)


@dataclass(frozen=True, slots=True)
class FinancingDecision:
    outcome: DecisionOutcome
    reasons: tuple[str, ...]
    decided_at: datetime
    decided_by: str


@dataclass(frozen=True, slots=True)
class Signature:
    """The end client's signature of one document of the file."""

    document: DocumentKind
    signed_by: str
    signed_at: datetime
    source: SignatureSource = SignatureSource.PROVIDER
    recorded_by: str = ""  # the connector's or the admin's id ("" on signatures older than the field)
    override_reason: str | None = None


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What the owner submits after installation; it counts once the end client signed it."""

    installed_at: date
    signed_by: str  # the end client's signer the report names (and the signature request is addressed to)
    submitted_at: datetime


@dataclass(frozen=True, slots=True)
class ContractFinancing:
    agreement_id: str
    financed_amount: Money
    upfront_payout: Money
    leaser_fees: Money
    decision_mode: DecisionMode
    decision: FinancingDecision
    payout_sla_hours: int
    requested_at: datetime
    requested_by: str
    delivery_report: DeliveryReport | None = None
    transmitted_at: datetime | None = None
    declined: str | None = None  # who declined to sign what, and why
    waiting_for: WaitStep | None = None
    task_token: str | None = None  # the workflow's callback while `waiting_for` is set
    leaser_id: str = ""  # who pays the software part and the support shares ("" in files older than payers)
    payout_released_by: str | None = None  # the analyst who released a held upfront payout
    # Where a signature request of the file went that no analyst confirmed as the end client's
    # signatory (`domain/signatories.py`), or NO_ADDRESS. Its upfront payout and the commission of
    # its sale are held until an analyst releases the file.
    unconfirmed_signer: str | None = None

    @property
    def signer_unchecked(self) -> bool:
        """A request went to an address no analyst confirmed, and no analyst released the file yet:
        whoever typed that address may have signed as the end client, so nothing it earns is paid."""
        return self.unconfirmed_signer is not None and self.payout_released_by is None

    @property
    def payout_due_by(self) -> datetime | None:
        if self.transmitted_at is None:
            return None
        return self.transmitted_at + timedelta(hours=self.payout_sla_hours)

    def waiting(self, step: WaitStep | None, token: str | None) -> ContractFinancing:
        return replace(self, waiting_for=step, task_token=token)


NO_ADDRESS = "(no address)"  # a signature request sent without an e-mail address (the local signer's)
AUTOMATIC = "automatic"  # who decided, for a decision made by the rules at request time


def decide(
    quote: LeaseQuote,
    *,
    term_months: int,
    customer_registration: str | None,
    decided_at: datetime,
    limit: Money | None = None,
    outstanding: Money | None = None,
    publisher_default: str | None = None,
) -> FinancingDecision:
    """The decision at request time: automatic below the limit, REFERRED to credit review above.

    `outstanding` is what the leaser already finances for the same end client (its open files,
    `credit_exposure`): the limit bounds that total with this file. `publisher_default` says
    why the publisher is frozen (a confirmed escrow trigger): nothing of it is approved automatically.
    """
    referrals = []
    if quote.decision_mode is DecisionMode.CREDIT_REVIEW:
        referrals.append(f"financed amount {quote.financed_amount} is at or above the instant-decision limit")
    elif limit is not None and outstanding is not None and outstanding.amount > 0:
        total = outstanding + quote.financed_amount
        if total >= limit:
            referrals.append(
                f"the end client's outstanding financed amount with this leaser, {total} with this file "
                f"({outstanding} before it), is at or above the instant-decision limit {limit}"
            )
    if publisher_default:
        referrals.append(f"the publisher is in default ({publisher_default}): no automatic approval")
    if quote.decision_mode is DecisionMode.CREDIT_REVIEW:
        return FinancingDecision(DecisionOutcome.REFERRED, tuple(referrals), decided_at, AUTOMATIC)
    reasons = []
    if not customer_registration:
        reasons.append("the end client has no registration number (SIREN): it cannot be identified")
    if quote.upfront_payout.amount <= 0:
        reasons.append("the file fee is not less than the financed amount")
    if term_months > MAX_AUTOMATIC_TERM_MONTHS:
        reasons.append(f"software is not financed over more than {MAX_AUTOMATIC_TERM_MONTHS} months")
    if reasons:
        return FinancingDecision(DecisionOutcome.REJECTED, tuple(reasons), decided_at, AUTOMATIC)
    if referrals:
        return FinancingDecision(DecisionOutcome.REFERRED, tuple(referrals), decided_at, AUTOMATIC)
    return FinancingDecision(DecisionOutcome.APPROVED, (), decided_at, AUTOMATIC)


def open_file(
    agreement: FinancingAgreement, quote: LeaseQuote, decision: FinancingDecision, *, at: datetime, by: str
) -> ContractFinancing:
    return ContractFinancing(
        agreement_id=agreement.id,
        financed_amount=quote.financed_amount,
        upfront_payout=quote.upfront_payout,
        leaser_fees=quote.leaser_fees,
        # A file referred for the end client's total, or its publisher's default, is reviewed like a big one.
        decision_mode=DecisionMode.CREDIT_REVIEW
        if decision.outcome is DecisionOutcome.REFERRED
        else quote.decision_mode,
        decision=decision,
        payout_sla_hours=agreement.payout_sla_hours,
        requested_at=at,
        requested_by=by,
        leaser_id=agreement.leaser_id,
    )
